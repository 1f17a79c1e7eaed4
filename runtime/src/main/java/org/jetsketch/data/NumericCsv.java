package org.jetsketch.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.jetsketch.io.Utf8Text;

/**
 * Reads a CSV file of numeric records into a {@link NumericTable}: RFC 4180 (commas, double-quoted
 * cells that may hold commas and line breaks, LF or CRLF), UTF-8 (a leading byte-order mark is
 * dropped), a header row naming the columns, blank lines skipped, cells trimmed.
 *
 * <p>The whole file is checked before anything is returned; the first problem is a
 * {@link TableDataException} naming the file, the line and the column (header name and 1-based
 * position):
 * <ul>
 *   <li>an empty file, a header without data rows, an empty or repeated header name;
 *   <li>a column asked for that the header does not have;
 *   <li>a row with fewer or more cells than the header (a ragged row);
 *   <li>a feature or label cell that is empty, not a decimal number ({@code 1}, {@code -2.5},
 *       {@code .5}, {@code 3e-4}), or not finite ({@code NaN}, {@code Infinity}, {@code 1e999});
 *   <li>an empty or repeated id;
 *   <li>malformed CSV (a quote never closed) and bytes that are not UTF-8.
 * </ul>
 * Missing values are not imputed: a learning algorithm's result depends on how, so the choice is
 * the user's, made in the file.
 */
public final class NumericCsv {
    private NumericCsv() {}

    /**
     * A decimal number as people write them in CSV files; stricter than {@link Double#parseDouble},
     * which also takes {@code 1d}, {@code 0x1p3} and {@code Infinity}.
     */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern NON_FINITE = Pattern.compile("[+-]?(nan|inf|infinity)", Pattern.CASE_INSENSITIVE);

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setIgnoreEmptyLines(true)
            .setTrim(true)
            .get();

    /**
     * Reads {@code file} with the given columns.
     *
     * @throws TableDataException if the file cannot be read or breaks a rule above
     */
    public static NumericTable read(Path file, TableColumns columns) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TableDataException(file.toString(), 0, null, 0, "no such file", e);
        } catch (IOException e) {
            throw new TableDataException(file.toString(), 0, null, 0, "cannot read it: " + e, e);
        }
        return read(file.toString(), bytes, columns);
    }

    /**
     * Reads CSV {@code bytes} (UTF-8) with the given columns; errors name the data {@code source}
     * (a bundled resource's name, for example).
     *
     * @throws TableDataException if the bytes break a rule above
     */
    public static NumericTable read(String source, byte[] bytes, TableColumns columns) {
        String text = Utf8Text.decode(bytes, bad -> new TableDataException(source, bad.line(), null, 0, String.format(
                "not UTF-8 text: byte 0x%02X at offset %d (save the file as UTF-8)", bad.value(), bad.offset())));
        try (CSVParser parser = CSVParser.builder().setReader(new StringReader(text)).setFormat(FORMAT).get()) {
            return read(source, columns, parser);
        } catch (IOException e) {
            throw new TableDataException(source, 0, null, 0, "cannot parse it: " + e, e);
        }
    }

    private static NumericTable read(String file, TableColumns columns, CSVParser parser) throws IOException {
        Iterator<CSVRecord> records = parser.iterator();
        RecordAt headerRecord = next(file, parser, records, 0);
        if (headerRecord == null) {
            throw new TableDataException(file, 0, null, 0, "the file is empty; it needs a header row naming the columns"
                    + " (" + String.join(", ", wanted(columns)) + ") and one row per example");
        }
        List<String> header = header(file, headerRecord);
        int width = header.size();
        int features = columns.features().size();
        int[] featureColumn = new int[features];
        for (int j = 0; j < features; j++) featureColumn[j] = find(file, header, headerRecord.line, columns.features().get(j), "feature");
        int labelColumn = find(file, header, headerRecord.line, columns.label(), "label");
        int idColumn = columns.id() == null ? -1 : find(file, header, headerRecord.line, columns.id(), "id");

        List<double[]> featureRows = new ArrayList<>();
        List<Double> labels = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        List<String[]> cells = new ArrayList<>();
        Map<String, Integer> idLines = new HashMap<>();
        for (RecordAt r = next(file, parser, records, headerRecord.line); r != null; r = next(file, parser, records, r.line)) {
            CSVRecord record = r.record;
            if (record.size() != width) ragged(file, header, r);
            double[] x = new double[features];
            for (int j = 0; j < features; j++) x[j] = number(file, header, r, featureColumn[j]);
            labels.add(number(file, header, r, labelColumn));
            if (idColumn >= 0) {
                String id = record.get(idColumn);
                if (id.isEmpty()) throw cell(file, header, r, idColumn, "empty id (ids name the examples)");
                Integer before = idLines.putIfAbsent(id, r.line);
                if (before != null) {
                    throw cell(file, header, r, idColumn, "id '" + id + "' is also on line " + before
                            + " (ids name the examples, so each must be unique)");
                }
            }
            featureRows.add(x);
            lines.add(r.line);
            cells.add(record.values());
        }
        int n = featureRows.size();
        if (n == 0) {
            throw new TableDataException(file, headerRecord.line, null, 0, "the header has no data rows after it");
        }
        double[] flat = new double[n * features];
        double[] y = new double[n];
        int[] line = new int[n];
        String[][] text = new String[width][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(featureRows.get(i), 0, flat, i * features, features);
            y[i] = labels.get(i);
            line[i] = lines.get(i);
            String[] row = cells.get(i);
            for (int c = 0; c < width; c++) text[c][i] = row[c];
        }
        return new NumericTable(file, columns, header, n, flat, y, line, text, idColumn);
    }

    /** A record and the line it starts on. */
    private record RecordAt(CSVRecord record, int line) {}

    /**
     * The next record, or null at the end. Its first line: the parser counts the line breaks it
     * has consumed, so a record ends on that line; a quoted cell's own line breaks are subtracted.
     * (Counting from the previous record's end would be wrong after skipped blank lines.)
     */
    private static RecordAt next(String file, CSVParser parser, Iterator<CSVRecord> records, int previousLine) {
        CSVRecord record;
        try {
            if (!records.hasNext()) return null;
            record = records.next();
        } catch (UncheckedIOException e) {
            // a quote never closed; Commons CSV's message names the line it started on
            throw new TableDataException(file, previousLine + 1, null, 0, "malformed CSV in the record starting on"
                    + " this line or after blank lines: " + e.getCause().getMessage(), e);
        }
        int end = (int) parser.getCurrentLineNumber();
        int inside = 0;
        for (String value : record.values()) inside += lineBreaks(value);
        return new RecordAt(record, Math.max(previousLine + 1, end - inside));
    }

    private static int lineBreaks(String s) {
        int count = 0;
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c == '\n' || (c == '\r' && (k + 1 == s.length() || s.charAt(k + 1) != '\n'))) count++;
        }
        return count;
    }

    private static List<String> header(String file, RecordAt headerRecord) {
        List<String> header = new ArrayList<>();
        Map<String, Integer> position = new HashMap<>();
        for (int c = 0; c < headerRecord.record.size(); c++) {
            String name = headerRecord.record.get(c);
            if (c == 0 && name.startsWith("\uFEFF")) name = name.substring(1).strip();
            if (name.isEmpty()) {
                throw new TableDataException(file, headerRecord.line, null, c + 1, "empty column name in the header"
                        + " (every column needs a name)");
            }
            Integer before = position.putIfAbsent(name, c + 1);
            if (before != null) {
                throw new TableDataException(file, headerRecord.line, name, c + 1, "the header names column '" + name
                        + "' twice (also #" + before + ")");
            }
            header.add(name);
        }
        return header;
    }

    private static int find(String file, List<String> header, int headerLine, String name, String role) {
        int c = header.indexOf(name);
        if (c < 0) {
            throw new TableDataException(file, headerLine, name, 0, "no " + role + " column '" + name
                    + "' in the header (it has: " + String.join(", ", header) + ")");
        }
        return c;
    }

    private static void ragged(String file, List<String> header, RecordAt r) {
        int size = r.record.size();
        String counts = "the row has " + size + " cell" + (size == 1 ? "" : "s") + ", the header " + header.size();
        if (size < header.size()) {
            throw new TableDataException(file, r.line, header.get(size), size + 1, "missing: " + counts);
        }
        throw new TableDataException(file, r.line, null, header.size() + 1, "extra cell '" + r.record.get(header.size())
                + "': " + counts);
    }

    private static double number(String file, List<String> header, RecordAt r, int column) {
        String cell = r.record.get(column);
        if (cell.isEmpty()) {
            throw cell(file, header, r, column, "empty cell (missing values are not filled in; fill or drop the row)");
        }
        if (NON_FINITE.matcher(cell).matches()) throw cell(file, header, r, column, "'" + cell + "' is not a finite number");
        if (!DECIMAL.matcher(cell).matches()) throw cell(file, header, r, column, "'" + cell + "' is not a number");
        double v = Double.parseDouble(cell);
        if (!Double.isFinite(v)) {
            throw cell(file, header, r, column, "'" + cell + "' is not a finite number (beyond the range of a double)");
        }
        return v;
    }

    private static TableDataException cell(String file, List<String> header, RecordAt r, int column, String problem) {
        return new TableDataException(file, r.line, header.get(column), column + 1, problem);
    }

    private static List<String> wanted(TableColumns columns) {
        List<String> out = new ArrayList<>();
        if (columns.id() != null) out.add(columns.id());
        out.addAll(columns.features());
        out.add(columns.label());
        return out;
    }
}
