package org.jetsketch.circuits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Branch sites as the generated code names them: "File.java:line" of a circuit's source. */
final class SourceLines {
    private SourceLines() {}

    /** The site of the first line of {@code circuit}'s source that contains {@code code}. */
    static String site(Class<?> circuit, String code) throws IOException {
        String file = circuit.getSimpleName() + ".java";
        List<String> lines = Files.readAllLines(Path.of("src/main/java/org/jetsketch/circuits", file));
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).contains(code)) return file + ":" + (i + 1);
        throw new AssertionError("no line of " + file + " contains " + code);
    }
}
