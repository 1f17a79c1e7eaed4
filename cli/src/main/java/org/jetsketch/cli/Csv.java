package org.jetsketch.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jetsketch.io.AtomicFiles;

/** A small CSV writer: a header row, then rows of numbers or text; non-finite numbers are empty cells. */
final class Csv {
    private final List<String> header;
    private final List<String> rows = new ArrayList<>();

    Csv(List<String> header) {
        this.header = List.copyOf(header);
    }

    Csv row(Object... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, header " + header.size());
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) sb.append(',');
            sb.append(cell(cells[i]));
        }
        rows.add(sb.toString());
        return this;
    }

    private static String cell(Object o) {
        if (o == null) return "";
        if (o instanceof Double d) return Double.isFinite(d) ? Double.toString(d) : "";
        if (o instanceof Float f) return Float.isFinite(f) ? Float.toString(f) : "";
        String s = o.toString();
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) return "\"" + s.replace("\"", "\"\"") + "\"";
        return s;
    }

    /** Writes the table to {@code file} atomically (the old file survives any failure). */
    void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        StringBuilder sb = new StringBuilder(String.join(",", header)).append('\n');
        for (String r : rows) sb.append(r).append('\n');
        AtomicFiles.writeString(file, sb);
    }
}
