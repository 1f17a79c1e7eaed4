package org.jetsketch.cli;

import static org.jetsketch.cli.CliTest.fails;
import static org.jetsketch.cli.CliTest.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exact first order on the command line (influence --exact, predict's degree-1 row, validate's
 * first-order row and --leave-one-out) on 12 training names: each figure against another
 * command's independent computation of the same quantity.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExactInfluenceCliTest {

    @TempDir
    static Path dir;

    Path docs;
    Path sketch;

    @BeforeAll
    void makeSketch() throws IOException {
        docs = dir.resolve("docs.txt");
        Files.writeString(docs, String.join("\n", CliTest.NAMES) + "\n");
        sketch = dir.resolve("sketch");
        ok("sketch", "--docs", docs, "--sketch", sketch, "--directions", 4, "--degree", 2, "--json");
    }

    /** index → first-order change, from influence.csv. */
    private static Map<Integer, Double> firstOrderCsv(Path csv) throws IOException {
        Map<Integer, Double> out = new HashMap<>();
        List<String> lines = Files.readAllLines(csv);
        assertTrue(lines.get(0).startsWith("index,name,first_order_prediction,first_order_change"), lines.get(0));
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            out.put(Integer.parseInt(cells[0]), Double.parseDouble(cells[3]));
        }
        return out;
    }

    @Test
    void influenceExactListsEveryNameAndItsHigherDegreeValue() throws IOException {
        Path out = dir.resolve("exact");
        JsonNode j = ok("influence", "--exact", "--docs", docs, "--top", 4, "--degree", 2, "--out", out, "--json").json();
        assertEquals("exact first order (reverse)", j.get("method").asText());
        assertEquals(12, j.get("examples").asInt());
        assertEquals(4, j.get("top").size());
        assertEquals(2, j.get("exactDegree").asInt());
        Map<Integer, Double> all = firstOrderCsv(out.resolve("influence.csv"));
        assertEquals(12, all.size(), "every name in the CSV");
        double previous = Double.POSITIVE_INFINITY;
        for (JsonNode t : j.get("top")) {
            double fo = t.get("firstOrder").asDouble();
            assertTrue(Math.abs(fo) <= previous, "ranked by |first order|");
            previous = Math.abs(fo);
            assertEquals(all.get(t.get("index").asInt()), fo, 1e-12);
            // the exact-direction curve of deleting that name alone, from the curve command
            JsonNode c = ok("curve", "--docs", docs, "--delete-indices", t.get("index").asInt(), "--degree", 2,
                    "--t", "1", "--no-retrain", "--json").json();
            JsonNode coefficients = c.get("coefficients");
            assertEquals(coefficients.get(1).asDouble(), fo, 1e-9 * Math.max(1, Math.abs(fo)), "first order = c_1");
            assertEquals(coefficients.get(1).asDouble() + coefficients.get(2).asDouble(), t.get("exact").asDouble(), 1e-9,
                    "degree 2 = c_1 + c_2");
        }
        // a budget that forces checkpoints and recomputation: the same bits
        JsonNode tight = ok("influence", "--exact", "--docs", docs, "--top", 4, "--degree", 1, "--memory", 1,
                "--json").json();
        assertTrue(tight.get("trajectory").get("recomputes").asBoolean(), tight::toString);
        assertEquals(j.get("top").get(0).get("firstOrder").asDouble(),
                tight.get("top").get(0).get("firstOrder").asDouble(), 0.0);
        // the same run read from the sketch's run record gives the same numbers
        JsonNode again = ok("influence", "--exact", "--sketch", sketch, "--top", 4, "--degree", 1, "--json").json();
        assertEquals(j.get("f0").asDouble(), again.get("f0").asDouble(), 0.0);
        assertEquals(j.get("top").get(0).get("firstOrder").asDouble(),
                again.get("top").get(0).get("firstOrder").asDouble(), 0.0);
    }

    @Test
    void predictUsesTheExactFirstOrderAsItsDegreeOneRow() throws IOException {
        Path out = dir.resolve("exact-all");
        ok("influence", "--exact", "--sketch", sketch, "--top", 0, "--out", out);
        Map<Integer, Double> all = firstOrderCsv(out.resolve("influence.csv"));
        JsonNode p = ok("predict", "--sketch", sketch, "--delete-containing", "x", "--t", "0.5,1", "--json").json();
        double f0 = p.get("f0").asDouble();
        double sum = 0;
        for (JsonNode i : p.get("deletion").get("indices")) sum += all.get(i.asInt());
        for (JsonNode at : p.get("predictions")) {
            double t = at.get("t").asDouble();
            JsonNode d1 = at.get("degrees").get(0);
            assertEquals("exact first order (reverse)", d1.get("estimator").asText());
            assertEquals(f0 + t * sum, d1.get("mean").asDouble(), 1e-12);
            assertTrue(d1.has("sketchMean"), "the sketch's estimate stays beside it");
            assertTrue(!at.get("degrees").get(1).has("estimator"), "degree 2 is the sketches'");
        }
        JsonNode skipped = ok("predict", "--sketch", sketch, "--delete-containing", "x", "--no-exact-first-order",
                "--json").json();
        assertTrue(!skipped.get("predictions").get(0).get("degrees").get(0).has("estimator"));
        // a budget too small for the sweep: a warning, and the sketches answer degree 1
        Path big = dir.resolve("big");
        ok("sketch", "--steps", 100, "--sketch", big, "--directions", 2, "--degree", 1);
        CliTest.Result tight = ok("predict", "--sketch", big, "--delete-indices", 3, "--memory", 1, "--json");
        assertTrue(tight.err().contains("warning: no exact first order") && tight.err().contains("too small"), tight::toString);
        assertTrue(!tight.json().get("predictions").get(0).get("degrees").get(0).has("estimator"));
        CliTest.Result text = ok("predict", "--sketch", sketch, "--delete-containing", "x");
        assertTrue(text.out().contains("exact first order (reverse)"), text::toString);
    }

    @Test
    void leaveOneOutValidationComparesEveryMethodWithRetraining() throws IOException {
        JsonNode v = ok("validate", "--sketch", sketch, "--leave-one-out", "--exact-subset", 3, "--out",
                dir.resolve("loo"), "--json").json();
        assertEquals("leave-one-out", v.get("mode").asText());
        assertEquals(12, v.get("names").asInt());
        JsonNode methods = v.get("methods");
        assertEquals("exact first order (reverse)", methods.get(0).get("method").asText());
        assertEquals("per-example sketches, m = 4, degree 1", methods.get(1).get("method").asText());
        assertEquals("exact direction, degree 1", methods.get(2).get("method").asText());
        assertEquals("exact direction, degree 2", methods.get(3).get("method").asText());
        // on the subset the exact first order and the exact direction's degree 1 are the same numbers
        assertEquals(methods.get(0).get("subset").get("meanAbsoluteError").asDouble(),
                methods.get(2).get("subset").get("meanAbsoluteError").asDouble(), 1e-9);
        assertTrue(!methods.get(2).has("all"), "exact directions only on the subset");
        assertEquals(13, Files.readAllLines(dir.resolve("loo/leave-one-out.csv")).size());
    }

    @Test
    void influenceBenchTimesEveryBudgetAndChecksTheBits() throws IOException {
        JsonNode b = ok("influence-bench", "--docs", docs, "--repeats", 1, "--budgets", "64,1", "--json").json();
        JsonNode subjects = b.get("subjects");
        assertEquals(4, subjects.size());
        assertEquals(1.0, subjects.get(0).get("ordinaryTrainings").asDouble(), 0.0);
        assertTrue(!subjects.get(2).get("recomputes").asBoolean(), "12 steps fit 64 MiB whole");
        assertTrue(subjects.get(3).get("recomputes").asBoolean(), "1 MiB forces checkpoints");
        assertTrue(subjects.get(3).get("trajectoryBytes").asLong() <= 1L << 20);
        fails(2, "--budgets must be at least 1", "influence-bench", "--docs", docs, "--repeats", 1, "--budgets", "0");
    }

    @Test
    void badInputIsNamed() {
        fails(1, "too small", "influence", "--exact", "--steps", 100, "--memory", 1, "--top", 0);
        fails(2, "--groups goes with grouped sketches", "influence", "--exact", "--docs", docs, "--groups");
        fails(2, "go with --exact", "influence", "--sketch", sketch, "--steps", 3);
        fails(2, "--memory must be at least 1", "influence", "--exact", "--docs", docs, "--memory", 0);
    }
}
