package org.jetsketch.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Every command once on tiny settings (12 training names, 2-3 directions), and the error cases. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliTest {

    static final List<String> NAMES = List.of("emma", "olivia", "max", "alex", "xena", "liam", "noah", "ava", "mia",
            "zoe", "axel", "lucas");

    @TempDir
    static Path dir;

    Path docs;
    Path sketch;

    record Result(int code, String out, String err) {
        JsonNode json() throws IOException {
            return Json.MAPPER.readTree(out);
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    static Result run(Object... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] a = Arrays.stream(args).map(String::valueOf).toArray(String[]::new);
        int code = Main.run(a, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Result ok(Object... args) {
        Result r = run(args);
        assertEquals(0, r.code(), r::toString);
        return r;
    }

    static Result fails(int code, String expected, Object... args) {
        Result r = run(args);
        assertEquals(code, r.code(), r::toString);
        assertTrue(r.err().contains(expected), () -> "stderr should contain \"" + expected + "\"\n" + r);
        return r;
    }

    @BeforeAll
    void makeSketch() throws IOException {
        docs = dir.resolve("docs.txt");
        Files.writeString(docs, String.join("\n", NAMES) + "\n");
        sketch = dir.resolve("sketch");
        Result r = ok("sketch", "--docs", docs, "--sketch", sketch, "--directions", 3, "--degree", 2, "--json");
        JsonNode j = r.json();
        assertEquals(3, j.get("directions").asInt());
        assertEquals(2, j.get("degree").asInt());
        assertEquals(12, j.get("steps").asInt());
        assertTrue(r.err().contains("sketching"), "a progress bar on stderr");
    }

    // ------------------------------------------------------------------ on Spark

    /** --spark: the local command's store, byte for byte, and the local command's predictions. */
    @Test
    void sketchAndPredictOnSparkGiveTheLocalResults() throws IOException {
        Path onSpark = dir.resolve("spark-sketch");
        JsonNode s = ok("sketch", "--docs", docs, "--sketch", onSpark, "--directions", 3, "--degree", 2, "--spark",
                "local[2]", "--json").json();
        assertEquals("local[2]", s.get("spark").asText());
        List<String> names;
        try (var files = Files.list(sketch)) {
            names = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        try (var files = Files.list(onSpark)) {
            assertEquals(names, files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        for (String name : names) {
            if (name.equals(Setup.RUN_FILE)) {
                // the same run; only the recorded command (and so the checksum) differs
                JsonNode a = Json.MAPPER.readTree(sketch.resolve(name).toFile());
                JsonNode b = Json.MAPPER.readTree(onSpark.resolve(name).toFile());
                for (JsonNode x : List.of(a, b)) {
                    ((com.fasterxml.jackson.databind.node.ObjectNode) x).remove(List.of("sketchCommand", "checksum"));
                }
                assertEquals(a, b, name);
                continue;
            }
            assertArrayEquals(Files.readAllBytes(sketch.resolve(name)), Files.readAllBytes(onSpark.resolve(name)), name);
        }
        JsonNode local = ok("predict", "--sketch", sketch, "--delete-containing", "x", "--json").json();
        JsonNode spark = ok("predict", "--sketch", onSpark, "--delete-containing", "x", "--spark", "local[2]",
                "--json").json();
        assertEquals(local.get("f0"), spark.get("f0"));
        assertEquals(local.get("predictions"), spark.get("predictions"));
    }

    // ------------------------------------------------------------------ help and usage

    @Test
    void helpOnEveryCommand() {
        Result top = ok("--help");
        for (String c : List.of("demo", "train", "sketch", "predict", "influence", "curve", "stability", "retrain",
                "validate", "fig1", "fig2", "fig3", "bench", "influence-bench", "example")) {
            assertTrue(top.out().contains(c), c);
            Result r = ok(c, "--help");
            assertTrue(r.out().contains("Usage: jetsketch " + c), r::toString);
        }
    }

    @Test
    void unknownOptionsAndCommandsAreUsageErrors() {
        Result r = fails(2, "Unknown option", "train", "--bogus");
        assertTrue(r.err().contains("Usage: jetsketch train"), r::toString);
        fails(2, "Unmatched argument", "frobnicate");
        fails(2, "Missing command");
        fails(2, "--steps", "train", "--steps", "abc");
    }

    // ------------------------------------------------------------------ commands

    @Test
    void trainWritesParametersThatInitRoundTrips() throws IOException {
        Path out = dir.resolve("train");
        JsonNode j = ok("train", "--docs", docs, "--out", out, "--json").json();
        assertEquals(4192, j.get("parameters").asInt());
        assertTrue(Files.size(out.resolve("params.json")) > 1000);
        assertEquals(13, Files.readAllLines(out.resolve("losses.csv")).size());
        // The trained parameters as --init: a valid 4192-number array.
        Result again = ok("train", "--docs", docs, "--init", out.resolve("params.json"), "--steps", 3,
                "--measure", "prob:ma:x");
        assertTrue(again.out().contains("probability of 'x' after \"ma\""), again::toString);
    }

    @Test
    void predictInfluenceStabilityValidate() throws IOException {
        JsonNode p = ok("predict", "--sketch", sketch, "--delete-containing", "x", "--t", "0.5,1", "--json").json();
        assertEquals(4, p.get("deletion").get("size").asInt()); // max, alex, xena, axel
        assertEquals(2, p.get("predictions").size());
        assertEquals(2, p.get("predictions").get(1).get("degrees").size());
        Result text = ok("predict", "--sketch", sketch, "--delete-indices", "0,2-3", "--measure", "logit::e");
        assertTrue(text.out().contains("ordinary value f(0)"), text::toString);
        // microgpt's only max is the softmax shift (Fn.stopGradient): no branch limits the predictions
        assertTrue(p.get("branchSwitch").get("t").isNull(), p::toString);
        assertTrue(text.out().contains("branches: no decision on a value that depends on the parameters"), text::toString);

        JsonNode inf = ok("influence", "--sketch", sketch, "--top", 5, "--out", dir.resolve("inf"), "--json").json();
        assertEquals(5, inf.get("top").size());
        assertTrue(inf.get("branchSwitch").get("t").isNull(), inf::toString);
        assertTrue(Files.exists(dir.resolve("inf/influence.csv")));

        Path st = dir.resolve("stab");
        JsonNode s = ok("stability", "--sketch", sketch, "--out", st, "--json").json();
        assertEquals(2, s.get("profile").size());
        assertTrue(s.get("branchSwitch").get("t").isNull(), s::toString);
        assertTrue(Files.size(st.resolve("stability.png")) > 1000);

        JsonNode v = ok("validate", "--sketch", sketch, "--letters", "xz", "--random", 1, "--size", 2, "--json").json();
        assertEquals(3, v.get("cases").size());
        assertEquals(2, v.get("summary").size());
    }

    /** 12 names by first letter: a (alex, ava, axel), e, l (liam, lucas), m (max, mia), n, o, x, z: G = 8. */
    @Test
    void groupedSketchesPredictInfluenceValidateAndBatchedCurves() throws IOException {
        Path grouped = dir.resolve("grouped");
        JsonNode s = ok("sketch", "--docs", docs, "--sketch", grouped, "--directions", 5, "--degree", 2,
                "--group-by", "first-letter", "--json").json();
        assertEquals(8, s.get("groups").asInt());
        JsonNode p = ok("predict", "--sketch", grouped, "--delete-groups", "x,m",
                "--json").json();
        assertEquals(3, p.get("deletion").get("size").asInt()); // max, mia, xena
        assertEquals("[\"m\",\"x\"]", p.get("deletion").get("groups").toString());
        JsonNode d1 = p.get("predictions").get(0).get("degrees").get(0);
        assertEquals("least squares", d1.get("estimator").asText()); // 2m = 10 >= N_1 = 8
        // least squares recovers the degree-1 group polynomial exactly: the exact first order, to rounding
        assertEquals(d1.get("mean").asDouble(), p.get("predictions").get(0).get("exactFirstOrder").asDouble(), 1e-8);
        assertEquals("least squares to degree R, unbiased above",
                p.get("predictions").get(0).get("degrees").get(1).get("estimator").asText()); // N_2 = 36
        assertTrue(p.get("leastSquares").get(0).get("conditionNumber").asDouble() >= 1);
        assertTrue(p.get("branchSwitch").get("t").isNull(), p::toString); // microgpt: no branch decision
        fails(1, "cuts group 'a'", "predict", "--sketch", grouped, "--delete-indices", 3);
        fails(1, "no group is named 'q'", "predict", "--sketch", grouped,
                "--delete-groups", "q");
        fails(1, "are per-example", "predict", "--sketch", sketch, "--delete-groups", "x");
        fails(1, "holds per-example sketches", "validate", "--sketch", sketch, "--group-sketch", sketch);
        JsonNode alone = ok("validate", "--sketch", grouped, "--group-sets", "a,m,x", "--json").json();
        assertEquals(3, alone.get("comparison").size()); // grouped sketches alone: both estimators, exact first order
        assertEquals("grouped, least squares", alone.get("comparison").get(1).get("method").asText());
        // resuming into the directory with another grouping is refused by the store header
        fails(1, "groups", "sketch", "--docs", docs, "--sketch", grouped, "--directions", 5, "--degree", 2,
                "--group-by", "last-letter");

        JsonNode inf = ok("influence", "--sketch", grouped, "--groups", "--top", 3,
                "--json").json();
        assertEquals(3, inf.get("top").size());
        assertEquals("least squares", inf.get("estimator").asText());
        assertTrue(inf.get("branchSwitch").get("t").isNull(), inf::toString); // microgpt: no branch decision

        JsonNode v = ok("validate", "--sketch", sketch, "--group-sketch", grouped,
                "--group-sets", "a,m,x,l", "--exact", "--sketches", "2,3", "--json").json();
        assertEquals(4, v.get("cases").size());
        // per m: per-example, grouped unbiased, grouped least squares; then the exact curves and the exact first order
        assertEquals(8, v.get("comparison").size());
        assertEquals("exact, batched", v.get("comparison").get(6).get("method").asText());
        assertEquals("exact first order (reverse)", v.get("comparison").get(7).get("method").asText());
        assertEquals(1, v.get("comparison").get(7).get("summary").size(), "the first order has degree 1 only");
        for (int q = 0; q < 4; q++) {
            // along 1_D the exact curve's degree-1 value is the exact first order, to rounding
            assertEquals(v.get("comparison").get(6).get("cases").get(q).get(0).get("mean").asDouble(),
                    v.get("comparison").get(7).get("cases").get(q).get(0).get("mean").asDouble(), 1e-9, "set " + q);
        }
        assertEquals(2 * 2, v.get("varianceRatio").size());
        assertEquals(8.0 * 0 + 12.0 / 8, v.get("varianceRatio").get(0).get("predicted").asDouble(), 1e-12);
        fails(1, "cuts group", "validate", "--sketch", sketch, "--group-sketch", grouped,
                "--letters", "x");

        JsonNode c = ok("curve", "--docs", docs, "--each-containing", "x,m", "--degree", 2, "--t", "0,1", "--json").json();
        assertEquals(1, c.get("passes").asInt());
        assertEquals(2, c.get("sets").size());
        JsonNode single = ok("curve", "--docs", docs, "--delete-containing", "m", "--degree", 2, "--t", "0,1",
                "--no-retrain", "--json").json();
        assertEquals(single.get("coefficients").get(2).asDouble(),
                c.get("sets").get(1).get("coefficients").get(2).asDouble(), 1e-13);
    }

    @Test
    void curveRetrainAndFig2() throws IOException {
        Path out = dir.resolve("curve");
        JsonNode c = ok("curve", "--docs", docs, "--delete-indices", "1,3", "--degree", 3, "--t", "0,0.5,1",
                "--out", out, "--json").json();
        assertEquals(3, c.get("curve").size());
        assertEquals(3, c.get("errorsAtT1").size());
        assertFalse(c.get("branchSwitch").get("beyondRequested").asBoolean(), c::toString);
        for (String f : List.of("curve.csv", "curve_errors.csv", "curve.png")) assertTrue(Files.exists(out.resolve(f)), f);

        JsonNode r = ok("retrain", "--docs", docs, "--delete-indices", "1,3", "--json").json();
        double retrained = r.get("retrained").get(0).get("value").asDouble();
        assertEquals(retrained, c.get("curve").get(2).get("retrained").asDouble(), 0.0);

        Path f2 = dir.resolve("fig2");
        Result fig2 = ok("fig2", "--docs", docs, "--degree", 2, "--t", "0,1", "--out", f2);
        assertTrue(fig2.out().contains("error at t = 1"), fig2::toString);
        for (String f : List.of("fig2.csv", "fig2_errors.csv", "fig2.png")) assertTrue(Files.exists(f2.resolve(f)), f);
    }

    @Test
    void fig1Fig3AndDemo() throws IOException {
        Path f1 = dir.resolve("fig1");
        JsonNode one = ok("fig1", "--docs", docs, "--degree", 4, "--directions", 2, "--out", f1, "--json").json();
        assertEquals(4, one.get("profile").size());
        assertTrue(Files.exists(f1.resolve("fig1.png")) && Files.exists(f1.resolve("fig1.csv")));

        Path f3 = dir.resolve("fig3");
        JsonNode three = ok("fig3", "--docs", docs, "--directions", 3, "--degree", 2, "--t", "0,0.5,1", "--out", f3,
                "--json").json();
        assertEquals(3, three.get("points").size());
        assertFalse(three.get("branchSwitch").get("beyondRequested").asBoolean(), three::toString);
        for (String f : List.of("fig3.png", "fig3.csv", "fig3_curve.csv")) assertTrue(Files.exists(f3.resolve(f)), f);

        Path demo = dir.resolve("demo");
        Result d = ok("demo", "--docs", docs, "--directions", 2, "--degree", 2, "--curve-degree", 3, "--out", demo);
        assertTrue(d.out().contains("retrained without D"), d::toString);
        assertTrue(d.out().contains("most influential"), d::toString);
        JsonNode report = Json.MAPPER.readTree(demo.resolve("demo.json").toFile());
        assertEquals(2, report.get("prediction").size());
        assertEquals(4, report.get("deletion").get("size").asInt());
        assertTrue(report.get("branchSwitch").get("t").isNull(), report::toString);
        assertTrue(report.get("exactDirection").get("branchSwitch").get("t").isNull(), report::toString);
        assertTrue(d.out().contains("exact-direction curve: branches: no decision"), d::toString);
        assertTrue(Files.size(demo.resolve("demo.png")) > 1000);
        // A second run reuses the sketches.
        ok("demo", "--docs", docs, "--directions", 2, "--degree", 2, "--curve-degree", 3, "--out", demo, "--json");
    }

    @Test
    void benchOnTinySettings() throws IOException {
        // every measurement in a JVM of its own (the default)
        JsonNode b = ok("bench", "--steps", 12, "--warmup", 6, "--repeats", 1, "--ordinary-steps", 3, "--jet-steps", 2,
                "--degrees", "1,2", "--mlp-degrees", "1,3", "--heap-directions", 1, "--heap-steps", 5, "--json").json();
        assertTrue(b.get("jvmPerMeasurement").asBoolean());
        assertTrue(b.get("handWrittenStepMs").asDouble() > 0);
        // the hand-written and the generated step computed the same parameters
        assertEquals(0.0, b.get("handWrittenLargestDifference").asDouble(), 1e-12);
        // the bench uses the sketcher's default directions per pass for each degree
        assertEquals(org.jetsketch.sketch.Sketcher.WIDE_DIRECTIONS, b.get("jet").get(0).get("directionsPerPass").asInt());
        assertTrue(b.get("jet").get(1).get("recordedBytesPerStep").asLong() > b.get("ordinaryRecordedBytesPerStep").asLong());
        assertEquals(2, b.get("jet").size());
        assertEquals(1, b.get("jet").get(0).get("degree").asInt());
        assertEquals(2, b.get("jet").get(1).get("degree").asInt());
        assertTrue(b.get("ordinaryStepMs").asDouble() > 0);
        assertTrue(b.get("ordinaryRecordedBytesPerStep").asLong() > 0);
        assertTrue(b.get("sketchHeap").get("peakHeapUsedBytes").asLong() > 0);
        assertMlp(b.get("mlp"), 2);
        JsonNode j = b.get("jet").get(0);
        assertEquals(j.get("perDirectionStepMs").asDouble() / b.get("handWrittenStepMs").asDouble(),
                j.get("perDirectionOverHandWritten").asDouble(), 1e-9 * j.get("perDirectionOverHandWritten").asDouble());
        // thread CPU times beside the wall times (HotSpot measures them)
        assertTrue(b.get("handWrittenStepCpuMs").asDouble() > 0 && b.get("ordinaryStepCpuMs").asDouble() > 0, b::toString);
        assertEquals(j.get("perDirectionStepCpuMs").asDouble() / b.get("handWrittenStepCpuMs").asDouble(),
                j.get("perDirectionCpuOverHandWrittenCpu").asDouble(),
                1e-9 * j.get("perDirectionCpuOverHandWrittenCpu").asDouble());

        // all in this JVM: the same figures
        JsonNode one = ok("bench", "--no-fork", "--steps", 12, "--warmup", 0, "--repeats", 1, "--ordinary-steps", 2,
                "--jet-steps", 1, "--degrees", "1", "--mlp-degrees", "1", "--heap-directions", 0, "--json").json();
        assertFalse(one.get("jvmPerMeasurement").asBoolean());
        assertEquals(b.get("ordinaryRecordedBytesPerStep").asLong(), one.get("ordinaryRecordedBytesPerStep").asLong());
        assertEquals(b.get("jet").get(0).get("recordedBytesPerStep").asLong(),
                one.get("jet").get(0).get("recordedBytesPerStep").asLong());
        assertMlp(one.get("mlp"), 1);
        assertEquals(b.get("mlp").get("ordinaryRecordedBytesPerStep").asLong(),
                one.get("mlp").get("ordinaryRecordedBytesPerStep").asLong());
        assertFalse(one.has("sketchHeap"));
        JsonNode none = ok("bench", "--no-fork", "--no-mlp", "--steps", 12, "--warmup", 0, "--repeats", 1,
                "--ordinary-steps", 1, "--jet-steps", 1, "--degrees", "1", "--heap-directions", 0, "--json").json();
        assertFalse(none.has("mlp"));
        fails(2, "--mlp-degrees: -1 is negative", "bench", "--mlp-degrees", "-1");
    }

    /** The MLP figures of bench: the hand-written and generated step, and jets at the given count of degrees. */
    static void assertMlp(JsonNode m, int degrees) {
        assertEquals(676, m.get("parameters").asInt()); // 32·16 + 32 + 4·32 + 4
        assertEquals(8, m.get("batch").asInt());
        assertTrue(m.get("handWrittenStepMs").asDouble() > 0);
        assertTrue(m.get("ordinaryStepMs").asDouble() > 0);
        assertTrue(m.get("ordinaryOverHandWritten").asDouble() > 0);
        // the hand-written MLP computes the generated trainer's parameters
        assertEquals(0.0, m.get("handWrittenLargestDifference").asDouble(), 1e-12);
        assertTrue(m.get("ordinaryRecordedBytesPerStep").asLong() > 0);
        assertEquals(degrees, m.get("jet").size());
        assertTrue(m.get("ordinaryCpuOverHandWrittenCpu").asDouble() > 0);
        for (JsonNode j : m.get("jet")) {
            assertEquals(org.jetsketch.sketch.Sketcher.WIDE_DIRECTIONS, j.get("directionsPerPass").asInt());
            assertTrue(j.get("perDirectionStepMs").asDouble() > 0);
            assertTrue(j.get("perDirectionStepCpuMs").asDouble() > 0);
            assertTrue(j.get("perDirectionCpuOverHandWrittenCpu").asDouble() > 0);
            assertTrue(j.get("perDirectionOverHandWritten").asDouble() > 0);
            assertTrue(j.get("perDirectionOverOrdinary").asDouble() > 0);
            // jets record more than doubles: stride 1 + 2kB doubles for each recorded value
            assertTrue(j.get("recordedBytesPerStep").asLong() > m.get("ordinaryRecordedBytesPerStep").asLong(), j::toString);
        }
    }

    @Test
    void exampleCommand() {
        fails(1, "unknown example 'nope'; the examples are linear, logistic, mlp", "example", "nope");
        fails(2, "Missing required parameter", "example");
        Result r = ok("example", "linear");
        assertTrue(r.out().contains("== example linear"), r::toString);
    }

    // ------------------------------------------------------------------ bad input: exit 1, clear message

    @Test
    void charactersOutsideTheVocabularyAreListed() throws IOException {
        Path bad = dir.resolve("bad.txt");
        Files.writeString(bad, "emma\nZoe\njo3\n");
        Result r = fails(1, "outside the vocabulary", "train", "--docs", bad);
        assertTrue(r.err().contains("'Z'") && r.err().contains("'3'"), r::toString);
        assertTrue(r.err().contains("line 2") && r.err().contains("line 3"), r::toString);
        Result m = fails(1, "outside the vocabulary", "retrain", "--docs", docs, "--delete-indices", "1", "--measure",
                "loss:MAX");
        assertTrue(m.err().contains("'M'") && m.err().contains("'A'") && m.err().contains("'X'"), m::toString);
        fails(2, "expected loss:<name>", "retrain", "--docs", docs, "--delete-indices", "1", "--measure", "bogus");
    }

    @Test
    void badInitFiles() throws IOException {
        Path shortInit = dir.resolve("short.json");
        Files.writeString(shortInit, "[0.1, 0.2, 0.3]");
        Result r = fails(1, "has 3 numbers, expected 4192", "train", "--docs", docs, "--init", shortInit);
        assertTrue(r.err().contains("--init"), r::toString);

        List<String> values = new ArrayList<>();
        for (int i = 0; i < 4192; i++) values.add(i == 7 ? "\"abc\"" : "0.01");
        Path words = dir.resolve("words.json");
        Files.writeString(words, "[" + String.join(",", values) + "]");
        fails(1, "element 7 is \"abc\"", "train", "--docs", docs, "--init", words);

        Path notJson = dir.resolve("not.json");
        Files.writeString(notJson, "[1, 2,");
        fails(1, "the file ends after element 1 without the closing ']' (truncated?)", "train", "--docs", docs, "--init",
                notJson);
        fails(1, "no such file", "train", "--docs", docs, "--init", dir.resolve("missing.json"));
    }

    @Test
    void emptyOrUnreadableDataFiles() throws IOException {
        Path empty = dir.resolve("empty.txt");
        Files.writeString(empty, "\n  \n");
        fails(1, "no names", "train", "--docs", empty);
        fails(1, "no names", "train", "--data", empty);
        fails(1, "no such file", "train", "--docs", dir.resolve("nope.txt"));
        fails(1, "--data " + dir + ": cannot read the file: it is a directory", "train", "--data", dir);
        fails(1, "needs 20 training names", "train", "--docs", docs, "--steps", 20);
    }

    @Test
    void deletionIndicesOutsideTheTrainingRange() throws IOException {
        fails(1, "99 is outside the training range 0..11", "retrain", "--docs", docs, "--delete-indices", "3,99");
        fails(1, "outside the training range", "predict", "--sketch", sketch, "--delete-indices", "-1");
        Path file = dir.resolve("delete.txt");
        Files.writeString(file, "# deleted steps\n1\n2, 12\n");
        fails(1, "12 is outside the training range", "retrain", "--docs", docs, "--delete-file", file);
        fails(2, "not an index", "retrain", "--docs", docs, "--delete-indices", "one");
        fails(1, "none of the 12 training names contains \"q\"", "retrain", "--docs", docs, "--delete-containing", "q");
        fails(1, "no deletion set", "predict", "--sketch", sketch);
        fails(1, "no such file", "retrain", "--docs", docs, "--delete-file", dir.resolve("none.txt"));
    }

    @Test
    void badSketchDirectories() throws IOException {
        fails(1, "no such directory", "predict", "--sketch", dir.resolve("nothing"), "--delete-indices", "1");
        Path other = dir.resolve("other");
        Files.createDirectories(other);
        fails(1, "not a sketch directory", "stability", "--sketch", other);
        // Sketching a different run into an existing directory is refused.
        Result r = fails(1, "different training run", "sketch", "--docs", docs, "--steps", 5, "--sketch", sketch,
                "--directions", 1);
        assertFalse(r.err().contains("Exception"), r::toString);
    }
}
