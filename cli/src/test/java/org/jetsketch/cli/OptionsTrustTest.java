package org.jetsketch.cli;

import static org.jetsketch.cli.CliTest.fails;
import static org.jetsketch.cli.CliTest.ok;
import static org.jetsketch.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jetsketch.cli.CliTest.Result;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Issue 11, items 8-14: the command line's exit codes, option validation and messages. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OptionsTrustTest {

    @org.junit.jupiter.api.io.TempDir
    static Path dir;

    static Path docs;
    Path sketch;

    @BeforeAll
    void makeSketch() throws IOException {
        docs = dir.resolve("docs.txt");
        Files.writeString(docs, "emma\nmax\nalex\nxena\nliam\nnoah\n");
        sketch = dir.resolve("sketch");
        Result r = ok("sketch", "--docs", docs, "--sketch", sketch, "--directions", 2, "--degree", 1, "--threads", 1);
        // item 10: every long phase says what it is doing
        assertTrue(r.err().contains("timing the jet step") && r.err().contains("training theta_0"), r::toString);
    }

    // ------------------------------------------------------------------ 8. exit codes: usage errors are 2

    static Stream<Arguments> malformedOptionValues() {
        return Stream.of(
                Arguments.of("a negative count", "--degree must be between 1 and 100, got -1",
                        List.of("sketch", "--docs", "DOCS", "--degree", "-1")),
                Arguments.of("a zero count", "--threads must be at least 1, got 0",
                        List.of("predict", "--sketch", "SKETCH", "--delete-indices", "1", "--threads", "0")),
                Arguments.of("a zero count (directions)", "--directions must be at least 1, got 0",
                        List.of("sketch", "--docs", "DOCS", "--directions", "0")),
                Arguments.of("--t that is not numbers", "\"abc\" is not a number",
                        List.of("predict", "--sketch", "SKETCH", "--delete-indices", "1", "--t", "abc")),
                Arguments.of("--t range that is empty", "the step must be positive",
                        List.of("predict", "--sketch", "SKETCH", "--delete-indices", "1", "--t", "1:0:0.1")),
                Arguments.of("--delete-indices that are not indices", "\"abc\" is not an index",
                        List.of("retrain", "--docs", "DOCS", "--delete-indices", "abc")),
                Arguments.of("--measure that is not a measurement", "unknown kind 'bogus'",
                        List.of("retrain", "--docs", "DOCS", "--delete-indices", "1", "--measure", "bogus:x")),
                Arguments.of("a degree above the maximum", "--degree must be between 1 and 100, got 1000",
                        List.of("curve", "--docs", "DOCS", "--delete-indices", "1", "--degree", "1000")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedOptionValues")
    void malformedOptionValuesAreUsageErrors(String what, String message, List<String> args) {
        List<Object> a = new ArrayList<>();
        for (String s : args) a.add(s.equals("DOCS") ? docs : s.equals("SKETCH") ? sketch : s);
        Result r = fails(2, message, a.toArray());
        assertTrue(r.err().contains("Usage: jetsketch " + args.get(0)), r::toString);
        assertFalse(r.err().contains("Exception"), r::toString);
    }

    @Test
    void docsListTheExitCodesTheCodeUses() throws IOException {
        String cli = Files.readString(Path.of("").toAbsolutePath().getParent().resolve("docs/cli.md"));
        assertTrue(cli.contains("- 2: usage error") && cli.contains("malformed option value"), "docs/cli.md");
        assertEquals(2, Main.EXIT_USAGE);
        assertEquals(1, Main.EXIT_ERROR);
    }

    // ------------------------------------------------------------------ 9. --t bounded and validated

    @Test
    void tIsBoundedAndValuesOutsideZeroOneAreWarned() throws IOException {
        Result tiny = fails(2, "more than 10000", "predict", "--sketch", sketch, "--delete-indices", 1, "--t", "0:1e-300:1");
        assertFalse(tiny.err().contains("Exception"), tiny::toString);
        fails(2, "1e10 is outside [-10, 10]", "predict", "--sketch", sketch, "--delete-indices", 1, "--t", "0:0.5:1e10");
        fails(2, "1e6 is outside [-10, 10]", "predict", "--sketch", sketch, "--delete-indices", 1, "--t", "1e6");
        fails(2, "NaN is outside", "retrain", "--docs", docs, "--delete-indices", 1, "--t", "NaN");
        Result warned = ok("predict", "--sketch", sketch, "--delete-indices", 1, "--t", "0.5,1.5,-1", "--json");
        assertTrue(warned.err().contains("warning: --t 1.5, -1 outside [0, 1]"), warned::toString);
        assertEquals(3, warned.json().get("predictions").size());
        Result quiet = ok("predict", "--sketch", sketch, "--delete-indices", 1, "--t", "0:0.25:1");
        assertFalse(quiet.err().contains("warning"), quiet::toString);
    }

    // ------------------------------------------------------------------ 11. output locations checked first

    @Test
    void outputLocationsAreCheckedBeforeAnyWork() throws IOException {
        Path file = dir.resolve("a-file");
        Files.writeString(file, "not a directory");
        for (String command : List.of("train", "curve", "retrain")) {
            List<Object> args = new ArrayList<>(List.of(command, "--docs", docs, "--out", file));
            if (!command.equals("train")) args.addAll(List.of("--delete-indices", 1));
            Result r = fails(1, "--out " + file + ": is a file, not a directory; nothing was done", args.toArray());
            assertFalse(r.err().contains("[") || r.err().contains("Exception"), "no progress bar, no trace: " + r);
        }
        fails(1, "--sketch " + file + ": is a file, not a directory", "sketch", "--docs", docs, "--sketch", file);
        fails(1, "a-file is a file, not a directory", "train", "--docs", docs, "--out", file.resolve("sub"));
        Path readOnly = Path.of("/sys/jetsketch-cannot-write-here");
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/sys")) && !Files.exists(readOnly));
        Result r = fails(1, "--out " + readOnly + ": cannot create the directory", "train", "--docs", docs, "--out",
                readOnly);
        assertFalse(r.err().contains("FileSystemException"), r::toString);
    }

    // ------------------------------------------------------------------ 12. --init parsed strictly

    @Test
    void initFilesAreRejectedWithOneShortMessageNamingTheElement() throws IOException {
        StringBuilder good = new StringBuilder("[");
        for (int i = 0; i < 4192; i++) good.append(i == 0 ? "" : ",").append("0.01");
        String ok = good + "]";
        Object[][] cases = {
            {ok.replaceFirst("0\\.01", "NaN"), "element 0 is NaN", "not a number"},
            {ok.substring(0, ok.length() / 2), "the file ends after element", "truncated"},
            {ok + " garbage", "text after the closing ']'", "garbage"},
            {ok.replaceFirst("0\\.01,0\\.01", "[0.01],0.01"), "element 0 is a nested array", "line 1, column 2"},
            {ok.replaceFirst("0\\.01", "1e308"), "element 0 is 1e308, outside [-1e6, 1e6]", ""},
            {ok.replaceFirst("0\\.01", "1e400"), "element 0 is 1e400, outside", ""},
            {"{\"a\": 1}", "expected a JSON array of 4192 numbers", ""},
        };
        int i = 0;
        for (Object[] c : cases) {
            Path f = dir.resolve("init" + i++ + ".json");
            Files.writeString(f, (String) c[0]);
            Result r = fails(1, (String) c[1], "train", "--docs", docs, "--init", f, "--steps", 1);
            assertTrue(r.err().contains((String) c[2]), r::toString);
            assertTrue(r.err().length() < 400, "short: " + r.err().length() + " chars: " + r);
            assertFalse(r.err().contains("jackson") || r.err().contains("rsqrt"), r::toString);
        }
        Path f = dir.resolve("good.json");
        Files.writeString(f, " \n" + ok + "\n\n");
        ok("train", "--docs", docs, "--init", f, "--steps", 1);
    }

    // ------------------------------------------------------------------ 13. control characters, long names

    @Test
    void controlCharactersAreRejectedEscapedAndOverlongNamesRefused() throws IOException {
        Path bad = dir.resolve("ctl.txt");
        Files.writeString(bad, "emma\nma\u001b[31mx\nzo\u0000e\n");
        Result r = fails(1, "line 2: U+001B (ESCAPE)", "train", "--docs", bad);
        assertTrue(r.err().contains("line 3: U+0000"), r::toString);
        assertTrue(r.err().chars().noneMatch(c -> c == 0x1b || c == 0), "no raw control character on stderr: " + r);
        // an option echoed in a message is escaped too
        Result m = fails(1, "\\u{001B}", "retrain", "--docs", docs, "--delete-containing", "\u001b");
        assertTrue(m.err().chars().noneMatch(c -> c == 0x1b), m::toString);
        // block_size 16: a name of 15 characters fits (15 predictions + the end), 16 do not
        ok("retrain", "--docs", docs, "--delete-indices", 1, "--measure", "loss:" + "a".repeat(15), "--steps", 2);
        fails(1, "the name has 16 characters, at most 15 fit the context", "retrain", "--docs", docs, "--delete-indices",
                1, "--measure", "loss:" + "a".repeat(16));
    }

    // ------------------------------------------------------------------ 14. a standard error that cannot be estimated

    @Test
    void aStandardErrorThatCannotBeEstimatedIsSaidToBeSo() throws IOException {
        Path one = dir.resolve("n1");
        ok("sketch", "--docs", docs, "--steps", 1, "--sketch", one, "--directions", 2, "--degree", 2, "--threads", 1);
        Result r = ok("predict", "--sketch", one, "--delete-indices", 0);
        assertTrue(r.out().contains("n/a") && r.out().contains("n = 1 training example"), r::toString);
        assertFalse(r.out().contains("0.000000     "), r::toString);
        JsonNode j = ok("predict", "--sketch", one, "--delete-indices", 0, "--json").json();
        // degree 1 is the exact first order (no standard error to estimate); the sketch's beside it says why it has none
        JsonNode d1 = j.get("predictions").get(0).get("degrees").get(0);
        assertEquals("exact first order (reverse)", d1.get("estimator").asText(), d1::toString);
        assertTrue(d1.get("sketchStandardError").isNull(), d1::toString);
        assertTrue(d1.get("sketchStandardErrorUnavailable").asText().contains("n = 1"), d1::toString);
        JsonNode d2 = j.get("predictions").get(0).get("degrees").get(1);
        assertTrue(d2.get("standardError").isNull(), d2::toString);
        assertTrue(d2.get("standardErrorUnavailable").asText().contains("n = 1"), d2::toString);

        Result m1 = ok("predict", "--sketch", sketch, "--delete-indices", 1, "--sketches", 1);
        assertTrue(m1.out().contains("n/a") && m1.out().contains("m = 1 sketch"), m1::toString);
        Result m2 = ok("predict", "--sketch", sketch, "--delete-indices", 1);
        assertFalse(m2.out().contains("n/a"), m2::toString);
    }
}
