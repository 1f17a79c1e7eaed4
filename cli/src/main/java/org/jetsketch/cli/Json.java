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

    static void write(Path file, JsonNode node) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Files.writeString(file, pretty(node) + System.lineSeparator());
    }

    /**
     * Reads a JSON array of exactly {@code expected} numbers.
     *
     * @throws CliException naming the file: unreadable, not JSON, not an array, the wrong length,
     *     or an element that is not a finite number
     */
    static double[] readNumbers(Path file, int expected, String option, String what) {
        String where = option + " " + file;
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new CliException(where + ": cannot read the file (" + (Files.exists(file) ? "not a readable file"
                    : "no such file") + ")");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new CliException(where + ": not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")" : ""));
        } catch (IOException e) {
            throw new CliException(where + ": cannot read the file: " + e.getMessage(), e);
        }
        if (node == null || node.isMissingNode()) {
            throw new CliException(where + ": the file is empty; expected a JSON array of " + expected + " numbers ("
                    + what + ")");
        }
        if (!node.isArray()) {
            throw new CliException(where + ": expected a JSON array of " + expected + " numbers (" + what
                    + "), found a JSON " + node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
        }
        StringBuilder bad = new StringBuilder();
        int badCount = 0;
        double[] values = new double[node.size()];
        for (int i = 0; i < node.size(); i++) {
            JsonNode e = node.get(i);
            if (e.isNumber() && Double.isFinite(e.asDouble())) {
                values[i] = e.asDouble();
            } else {
                if (badCount < 5) bad.append(badCount == 0 ? "" : ", ").append("element ").append(i).append(" is ")
                        .append(e.toString());
                badCount++;
            }
        }
        if (badCount > 0) {
            throw new CliException(where + ": " + badCount + " element(s) are not finite numbers: " + bad
                    + (badCount > 5 ? ", ..." : ""));
        }
        if (values.length != expected) {
            throw new CliException(where + ": has " + values.length + " numbers, expected " + expected + " ("
                    + what + ")");
        }
        return values;
    }
}
