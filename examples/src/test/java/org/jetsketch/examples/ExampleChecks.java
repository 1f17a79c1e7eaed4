package org.jetsketch.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * The checks every example must pass (issue 6), on one run of {@link ExampleRunner} — the very
 * run whose report docs/examples.md quotes.
 */
final class ExampleChecks {
    private ExampleChecks() {}

    /** One example's run: what it measured and what it printed. */
    record Run(DeletionStudy.Result result, String printed) {}

    static Run run(String name) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        DeletionStudy.Result result = ExampleRunner.study(name, out);
        String printed = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(printed); // the surefire report keeps the figures
        return new Run(result, printed);
    }

    /** Exact-direction errors against retraining at degrees 1..4. */
    static double[] exactErrors(DeletionStudy.Result r) {
        double[] e = new double[r.example().exactDegree() + 1];
        for (int d = 0; d < e.length; d++) e[d] = r.exactError(d);
        return e;
    }

    /** The errors fall strictly from degree 1 to 4, and degree 4 is at least 10 times better than degree 1. */
    static void exactErrorsFall(DeletionStudy.Result r) {
        double[] e = exactErrors(r);
        String all = Arrays.toString(e);
        assertEquals(4, r.example().exactDegree());
        for (int d = 2; d <= 4; d++) {
            assertTrue(e[d] < e[d - 1], "exact-direction error must fall from degree " + (d - 1) + " to " + d + ": " + all);
        }
        assertTrue(e[4] < e[1] / 10, "error(4) must be below error(1)/10: " + all);
    }

    /** Degree 0 of the exact-direction curve is the trained model's value; the sketch agrees. */
    static void degreeZeroIsTheTrainedModel(DeletionStudy.Result r) {
        assertEquals(r.f0(), r.exact()[0], 1e-12 * Math.max(1, Math.abs(r.f0())));
        assertEquals(r.f0(), r.prediction().f0(), 1e-12 * Math.max(1, Math.abs(r.f0())));
    }

    /** At every sketch degree, the sketch prediction lies within 4 standard errors of the exact-direction value. */
    static void sketchWithinFourStandardErrorsOfExact(DeletionStudy.Result r) {
        for (int d = 1; d <= r.example().sketchDegree(); d++) {
            double se = r.prediction().standardError(d);
            assertTrue(se > 0 && Double.isFinite(se), "standard error at degree " + d + ": " + se);
            double z = r.zAgainstExact(d);
            assertTrue(Math.abs(z) <= 4, String.format(Locale.ROOT,
                    "degree %d: sketch %.6f ± %.6f is %.2f SE from the exact-direction value %.6f", d,
                    r.prediction().mean(d), se, z, r.exact()[d]));
        }
    }

    /**
     * The leave-one-out list finds the deletion set: at least min(|D|, TOP) − 1 of the top entries
     * are in D, the top one is, and each listed change has the sign of its retrained change.
     */
    static void influentialExamplesAreTheDeletionSet(DeletionStudy.Result r) {
        int expected = Math.min(r.example().deletionSet().length, DeletionStudy.TOP);
        long inD = r.influential().stream().filter(DeletionStudy.Influential::inDeletionSet).count();
        assertTrue(inD >= expected - 1, "only " + inD + " of the top " + DeletionStudy.TOP + " are in D: " + r.influential());
        assertTrue(r.influential().get(0).inDeletionSet(), "the most influential example is not in D: " + r.influential());
        for (DeletionStudy.Influential i : r.influential()) {
            if (i.inDeletionSet()) {
                assertEquals(Math.signum(i.retrainedChange()), Math.signum(i.predictedChange()),
                        "sign of the change for example " + i.index() + ": " + i);
            }
        }
    }

    /** The report has every section a user reads. */
    static void reportHasEverySection(Run run) {
        for (String s : new String[] {"== example " + run.result().example().name(), "retrained without D",
                "exact direction", "sketch: m = ", "predicted ± SE", "most influential examples", "rank"}) {
            assertTrue(run.printed().contains(s), "the report lacks '" + s + "':\n" + run.printed());
        }
    }

    static void all(Run run) {
        DeletionStudy.Result r = run.result();
        degreeZeroIsTheTrainedModel(r);
        exactErrorsFall(r);
        sketchWithinFourStandardErrorsOfExact(r);
        influentialExamplesAreTheDeletionSet(r);
        reportHasEverySection(run);
    }
}
