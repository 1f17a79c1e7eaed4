package org.jetsketch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every store command on every example study, end to end through {@link Main} at small settings
 * (8 directions, degree 2): sketch, predict, influence, curve, validate --exact and verify, with
 * their JSON checked and figures compared with independent computations (the exact-direction
 * curve and retraining).
 */
class StudyCommandsTest {

    @TempDir
    static Path dir;

    private static long totalNanos;

    @AfterAll
    static void reportTime() {
        System.out.printf(Locale.ROOT, "StudyCommandsTest: the commands took %.1f s in all%n", totalNanos / 1e9);
    }

    private static JsonNode json(Object... args) throws IOException {
        long t0 = System.nanoTime();
        CliTest.Result r = CliTest.ok(args);
        totalNanos += System.nanoTime() - t0;
        return r.json();
    }

    private static void finite(JsonNode n, String what) {
        assertTrue(n.isNumber() && Double.isFinite(n.asDouble()), what + " = " + n);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "linear,   65, 60-64",
        "logistic, 86, 80-85",
        "mlp,      63, 60-62",
    })
    void everyCommandRunsOnTheStudy(String study, int n, String deletion) throws IOException {
        Path store = dir.resolve(study);
        JsonNode sketch = json("sketch", "--study", study, "--sketch", store, "--directions", 8, "--degree", 2, "--json");
        assertEquals(8, sketch.get("directions").asInt());
        assertEquals(2, sketch.get("degree").asInt());
        assertEquals(n, sketch.get("steps").asInt(), "n, the training examples");
        JsonNode record = Json.MAPPER.readTree(Files.readString(store.resolve(Setup.RUN_FILE)));
        assertEquals(study, record.get("study").asText(), "run.json records the study");

        JsonNode verify = json("verify", "--sketch", store, "--json");
        assertTrue(verify.get("ok").asBoolean(), verify::toString);
        assertEquals(8, verify.get("intact").asInt());

        // the exact-direction curve and one retraining: the oracle of the sketch's figures
        JsonNode curve = json("curve", "--study", study, "--delete-indices", deletion, "--degree", 3, "--t", 1, "--json");
        assertEquals(sizeOf(deletion), curve.get("deletion").get("size").asInt());
        JsonNode errors = curve.get("errorsAtT1");
        assertEquals(3, errors.size());
        double retrained = curve.get("curve").get(0).get("retrained").asDouble();
        finite(curve.get("curve").get(0).get("retrained"), "retrained");
        double slope = curve.get("coefficients").get(1).asDouble();
        assertTrue(errors.get(2).get("absError").asDouble() < errors.get(0).get("absError").asDouble(),
                () -> "degree 3 is closer to retraining than degree 1: " + errors);

        JsonNode predict = json("predict", "--sketch", store, "--delete-indices", deletion, "--json");
        assertEquals(8, predict.get("sketches").asInt());
        JsonNode degrees = predict.get("predictions").get(0).get("degrees");
        assertEquals(2, degrees.size());
        for (JsonNode d : degrees) {
            finite(d.get("mean"), "mean");
            finite(d.get("standardError"), "standardError");
        }
        double f0 = predict.get("f0").asDouble();
        // predict's exact first order (reverse mode through training) against the curve's jet slope
        JsonNode first = degrees.get(0);
        assertEquals(f0 + slope, first.get("mean").asDouble(), 1e-9 * (1 + Math.abs(f0 + slope)), first::toString);
        // the sketch's unbiased first-order estimate is within 5 standard errors of the exact one
        double sketchMean = first.get("sketchMean").asDouble();
        double se = first.get("sketchStandardError").asDouble();
        assertTrue(Math.abs(sketchMean - (f0 + slope)) <= 5 * se, () -> "sketch " + sketchMean + " ± " + se
                + ", exact " + (f0 + slope));

        JsonNode influence = json("influence", "--sketch", store, "--top", 3, "--json");
        assertEquals(3, influence.get("top").size());
        Set<Integer> indices = new HashSet<>();
        for (JsonNode e : influence.get("top")) {
            finite(e.get("change"), "change");
            indices.add(e.get("index").asInt());
            assertTrue(e.get("index").asInt() >= 0 && e.get("index").asInt() < n, e::toString);
        }
        assertEquals(3, indices.size(), "three distinct examples");
        // the top example's estimated change against its exact first-order change (the jet curve's slope)
        JsonNode top = influence.get("top").get(0);
        JsonNode one = json("curve", "--study", study, "--delete-indices", top.get("index").asInt(), "--degree", 1,
                "--t", 1, "--no-retrain", "--json");
        double exactChange = one.get("coefficients").get(1).asDouble();
        assertTrue(Math.abs(top.get("change").asDouble() - exactChange) <= 5 * top.get("standardError").asDouble(),
                () -> "influence " + top + " against the exact first-order change " + exactChange);

        JsonNode validate = json("validate", "--sketch", store, "--delete-indices", deletion, "--random", 1, "--size", 3,
                "--exact", "--json");
        assertEquals(2, validate.get("cases").size(), "the given set and one random set");
        JsonNode given = validate.get("cases").get(0);
        assertEquals(retrained, given.get("retrained").asDouble(), 1e-12 * (1 + Math.abs(retrained)),
                "validate's retraining is curve's");
        for (JsonNode c : validate.get("cases")) finite(c.get("retrained"), "retrained");
        for (JsonNode s : validate.get("summary")) finite(s.get("meanAbsoluteError"), "meanAbsoluteError");
    }

    private static int sizeOf(String range) {
        String[] ab = range.split("-");
        return Integer.parseInt(ab[1]) - Integer.parseInt(ab[0]) + 1;
    }

    @Test
    void aStoreIsReadOnlyByItsOwnStudy() throws IOException {
        Path store = dir.resolve("refused");
        json("sketch", "--study", "linear", "--sketch", store, "--directions", 2, "--degree", 1, "--json");
        CliTest.Result r = CliTest.fails(1, "made by study linear, not logistic", "predict", "--sketch", store,
                "--study", "logistic", "--delete-indices", 1);
        assertTrue(r.err().contains("leave out --study"), r::toString);
        CliTest.fails(1, "no such study", "sketch", "--study", "lineer", "--sketch", dir.resolve("none"));
        CliTest.fails(1, "ships its own data", "sketch", "--study", "mlp", "--data", store.resolve("run.json"),
                "--sketch", dir.resolve("none2"));
        CliTest.fails(2, "element 2", "predict", "--sketch", store, "--measure", "prediction:1,x,0",
                "--delete-indices", 1);
    }
}
