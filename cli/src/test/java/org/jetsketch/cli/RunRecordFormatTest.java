package org.jetsketch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jetsketch.sketch.SketchFormat;
import org.jetsketch.study.RunRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * run.json: the record the library checksums (format 3, with the study and its input), and the
 * microgpt records written before studies (format 2, checksum over the JSON text) still read.
 */
class RunRecordFormatTest {

    @TempDir
    Path dir;

    @Test
    void aFormatTwoRecordStillReadsAndPredictsTheSame() throws IOException {
        Path docs = dir.resolve("docs.txt");
        Files.writeString(docs, String.join("\n", CliTest.NAMES) + "\n");
        Path store = dir.resolve("s");
        CliTest.ok("sketch", "--docs", docs, "--sketch", store, "--directions", 2, "--degree", 1);
        JsonNode now = CliTest.ok("predict", "--sketch", store, "--delete-indices", "1,3", "--json").json();

        ObjectNode record = (ObjectNode) Json.MAPPER.readTree(store.resolve(Setup.RUN_FILE).toFile());
        assertEquals("microgpt", record.get("study").asText());
        assertEquals(record.get("vocabulary").asText(), record.get("input").get("options").get("vocabulary").asText());
        // as the version before studies wrote it: no study, no input, the checksum over the text
        record.remove(List.of("study", "input", "checksum"));
        record.put("format", "jetsketch-run/2");
        record.put("checksum", RunRecord.hex(SketchFormat.digest(List.of(Json.pretty(record)))));
        Files.writeString(store.resolve(Setup.RUN_FILE), Json.pretty(record));
        JsonNode before = CliTest.ok("predict", "--sketch", store, "--delete-indices", "1,3", "--json").json();
        assertEquals(now.get("predictions"), before.get("predictions"));

        // an edit is still caught in the old format
        Files.writeString(store.resolve(Setup.RUN_FILE), Json.pretty(record).replace("\"xena\"", "\"xeno\""));
        CliTest.fails(1, "its checksum does not match", "predict", "--sketch", store, "--delete-indices", 1);
    }

    @Test
    void theChecksumCoversEveryField() throws IOException {
        Path store = dir.resolve("lin");
        CliTest.ok("sketch", "--study", "linear", "--sketch", store, "--directions", 2, "--degree", 1);
        String text = Files.readString(store.resolve(Setup.RUN_FILE));
        RunRecord r = Setup.readRecord(store, "--sketch");
        assertEquals(r.checksum(), Json.MAPPER.readTree(text).get("checksum").asText());
        // each edit below changes one field of the record; each is refused
        List<String[]> edits = List.of(new String[] {"\"#0 x=", "\"#0 y="}, new String[] {"\"seed\" : 42", "\"seed\" : 43"},
                new String[] {"\"study\" : \"linear\"", "\"study\" : \"logistic\""});
        for (String[] e : edits) {
            assertTrue(text.contains(e[0]), e[0]);
            Files.writeString(store.resolve(Setup.RUN_FILE), text.replace(e[0], e[1]));
            CliTest.fails(1, "its checksum does not match", "predict", "--sketch", store, "--delete-indices", 1);
        }
    }
}
