package org.jetsketch.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.jetsketch.io.AtomicFiles;

/** JSON reading and writing (Jackson). Non-finite numbers are written as null. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {}

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** Puts a double, or null if it is NaN or infinite. */
    static ObjectNode put(ObjectNode node, String key, double value) {
        if (Double.isFinite(value)) node.put(key, value);
        else node.putNull(key);
        return node;
    }

    static ArrayNode add(ArrayNode node, double value) {
        if (Double.isFinite(value)) node.add(value);
        else node.addNull();
        return node;
    }

    static ArrayNode doubles(double[] values) {
        ArrayNode a = array();
        for (double v : values) add(a, v);
        return a;
    }

    static String pretty(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code node} to {@code file} atomically (the old file survives any failure). */
    static void write(Path file, JsonNode node) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        AtomicFiles.writeString(file, pretty(node) + System.lineSeparator());
    }

    /** The largest |value| of an initial parameter: beyond it the model's arithmetic overflows. */
    static final double MAX_ABS_PARAMETER = 1e6;

    /**
     * Reads a JSON array of exactly {@code expected} finite numbers within
     * ±{@value #MAX_ABS_PARAMETER}: white space, {@code [}, numbers separated by commas, {@code ]},
     * white space, nothing else. Parsed here (not by a JSON library) so that every problem is one
     * short message naming the element, the line and the column.
     *
     * @throws CliException naming the file: unreadable, not such an array (truncated, trailing text,
     *     a nested array, a string, NaN), an element out of range, or the wrong length
     */
    static double[] readNumbers(Path file, int expected, String option, String what) {
        String where = option + " " + file;
        String text = InputFiles.readText(file, option);
        NumberArray a = new NumberArray(text, where, expected, what);
        double[] values = a.parse();
        if (values.length != expected) {
            throw new CliException(where + ": has " + values.length + " numbers, expected " + expected + " (" + what + ")");
        }
        return values;
    }

    /** The strict reader of {@link #readNumbers}. */
    private static final class NumberArray {
        private static final java.util.regex.Pattern NUMBER =
                java.util.regex.Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
        private final String text;
        private final String where;
        private final int expected;
        private final String what;
        private int pos;

        NumberArray(String text, String where, int expected, String what) {
            this.text = text.startsWith("\uFEFF") ? text.substring(1) : text;
            this.where = where;
            this.expected = expected;
            this.what = what;
        }

        double[] parse() {
            skipSpace();
            if (pos >= text.length()) {
                throw fail("the file is empty; expected a JSON array of " + expected + " numbers (" + what + ")");
            }
            if (text.charAt(pos) != '[') {
                throw fail("expected a JSON array of " + expected + " numbers (" + what + "), found " + token() + " at "
                        + at(pos));
            }
            pos++;
            double[] values = new double[Math.max(16, Math.min(expected, 1 << 20))];
            int count = 0;
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == ']') {
                pos++;
            } else {
                while (true) {
                    skipSpace();
                    if (pos >= text.length()) throw truncated(count);
                    int start = pos;
                    char c = text.charAt(pos);
                    if (c == '[' || c == '{') {
                        throw fail("element " + count + " is a nested " + (c == '[' ? "array" : "object") + " at " + at(start)
                                + "; expected a flat array of numbers");
                    }
                    while (pos < text.length() && ",] \t\r\n".indexOf(text.charAt(pos)) < 0) pos++;
                    String tok = text.substring(start, pos);
                    if (!NUMBER.matcher(tok).matches()) {
                        throw fail("element " + count + " is " + shorten(tok) + " at " + at(start) + ", not a number"
                                + (tok.equals("NaN") || tok.contains("Infinity") ? " (NaN and infinities are not"
                                        + " finite numbers)" : ""));
                    }
                    double v = Double.parseDouble(tok);
                    if (!Double.isFinite(v) || Math.abs(v) > MAX_ABS_PARAMETER) {
                        throw fail("element " + count + " is " + shorten(tok) + ", outside [-1e6, 1e6] (initial"
                                + " parameters this large overflow the model's arithmetic)");
                    }
                    if (count == values.length) values = Arrays.copyOf(values, 2 * values.length);
                    values[count++] = v;
                    skipSpace();
                    if (pos >= text.length()) throw truncated(count);
                    c = text.charAt(pos);
                    if (c == ',') {
                        pos++;
                        continue;
                    }
                    if (c == ']') {
                        pos++;
                        break;
                    }
                    throw fail("expected ',' or ']' after element " + (count - 1) + " at " + at(pos) + ", found " + token());
                }
            }
            skipSpace();
            if (pos < text.length()) {
                throw fail("text after the closing ']' at " + at(pos) + ": " + token() + "; the file must hold one array");
            }
            return Arrays.copyOf(values, count);
        }

        private CliException truncated(int count) {
            return fail("the file ends after element " + (count - 1) + " without the closing ']' (truncated?)");
        }

        private CliException fail(String problem) {
            return new CliException(where + ": " + problem);
        }

        private void skipSpace() {
            while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) pos++;
        }

        private String token() {
            int end = pos;
            while (end < text.length() && end - pos < 20 && ",] \t\r\n".indexOf(text.charAt(end)) < 0) end++;
            return end == pos ? "'" + text.charAt(pos) + "'" : shorten(text.substring(pos, Math.max(end, pos + 1)));
        }

        private static String shorten(String s) {
            return s.length() <= 24 ? s : s.substring(0, 20) + "...";
        }

        private String at(int p) {
            int line = 1, col = 1;
            for (int i = 0; i < p; i++) {
                if (text.charAt(i) == '\n') {
                    line++;
                    col = 1;
                } else {
                    col++;
                }
            }
            return "line " + line + ", column " + col;
        }
    }
}
