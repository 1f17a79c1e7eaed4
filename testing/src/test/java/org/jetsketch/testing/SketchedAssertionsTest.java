package org.jetsketch.testing;

import static org.jetsketch.testing.ExactAssertionsTest.DATA;
import static org.jetsketch.testing.ExactAssertionsTest.LINE;
import static org.jetsketch.testing.ExactAssertionsTest.OUTLIERS;
import static org.jetsketch.testing.ExactAssertionsTest.assertContains;
import static org.jetsketch.testing.ExactAssertionsTest.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jetsketch.predict.DeletionEstimator;
import org.jetsketch.predict.Prediction;
import org.junit.jupiter.api.Test;

/**
 * Each statistical assertion passes, fails, and is inconclusive with the expected message, on
 * least squares with a closed-form answer. The sketches are seeded, so every verdict here is
 * reproducible; the thresholds were placed from the closed form, not from the sketches.
 */
class SketchedAssertionsTest {
    /** m = 200 sketches of degree 3, made once for the whole class. */
    static final Deletions<Line.Point> SKETCHED = ExactAssertionsTest.deletions().directions(200);

    static final double F0 = LineOracle.slope(DATA);

    @Test
    void manySetsPassWhenEveryIntervalSatisfiesTheBound() {
        // closed form: the outliers change the slope by −0.79, the clean points 3 and 10 by 0.014, 0.0049
        SKETCHED.sketched().assertThatDeletingEach(OUTLIERS, new int[] {18}, new int[] {19})
                .changes(LINE.slope()).byAtLeast(0.15);
        SKETCHED.sketched().assertThatDeletingEach(OUTLIERS).changes(LINE.slope()).inRange(-1.2, -0.5);
    }

    /** The estimate agrees with the closed form within 4 standard errors at degree 3 (truncation 0.014). */
    @Test
    void estimatesAgreeWithTheClosedForm() {
        DeletionEstimator e = SKETCHED.estimator(LINE.slope());
        Prediction p = e.predictDeletion(OUTLIERS);
        double truth = LineOracle.slope(DATA, OUTLIERS);
        assertEquals(F0, p.f0(), 1e-9);
        assertTrue(Math.abs(p.mean(3) - truth) < 4 * p.standardError(3) + 0.02, p + " vs " + truth);
    }

    @Test
    void failsWhenAnIntervalExcludesTheBound() {
        Throwable t = assertThrows(DeletionAssertionError.class, () -> SKETCHED.sketched()
                .assertThatDeletingEach(new int[] {10}, OUTLIERS).changes(LINE.slope()).byLessThan(0.3));
        assertContains(message(t),
                "deleting each of 2 set(s) should change slope() by less than 0.3 (|change| < 0.3); 1 fail, ",
                "f(0) = " + Fmt.num(F0) + "; sketches: m = 200 random directions of degree k = 3, seed 1; "
                        + "interval = estimate ± z·SE, z = 2.57583; checked at degree 3",
                "  FAILS         D = {18, 19} (2 of 20): -0.", "violates the bound throughout",
                "change ± SE per degree: d1 -0.", ", d3 -0.",
                "what to change: the cases marked FAILS violate the bound with confidence (z = 2.57583)");
    }

    /**
     * A bound close to the true change leaves the interval open: a distinct failure naming the m
     * at which the interval's half-width falls to the estimate's distance from the bound.
     */
    @Test
    void inconclusiveNamesTheDirectionsThatDecideIt() {
        Prediction p = SKETCHED.estimator(LINE.slope()).predictDeletion(OUTLIERS);
        double change = p.change(3), se = p.standardError(3);
        double bound = Math.abs(change) + 2.2 * se; // inside the 99% interval (z = 2.58), outside ±2 SE
        InconclusiveAssertionError t = assertThrows(InconclusiveAssertionError.class, () -> SKETCHED.sketched()
                .assertThatDeletingEach(OUTLIERS).changes(LINE.slope()).byLessThan(bound));
        long expected = (long) Math.floor(200 * Math.pow(Deletions.Z_99 * se / (bound - Math.abs(change)), 2)) + 1;
        assertEquals(expected, t.directionsNeeded());
        assertContains(message(t), "inconclusive: add directions (m = " + expected + "): deleting each of 1 set(s)",
                "0 fail, 1 inconclusive, 0 pass", "  INCONCLUSIVE  D = {18, 19}",
                "m = " + expected + " directions would decide it", "Deletions.directions(" + expected + ")");
        // with that many directions the half-width shrinks to the margin, as the 1/sqrt(m) scaling promises
        // (new sketches move the estimate too, so the new interval need not be decided)
        Deletions<Line.Point> more = ExactAssertionsTest.deletions().directions((int) expected);
        Prediction q = more.estimator(LINE.slope()).predictDeletion(OUTLIERS);
        double margin = bound - Math.abs(change);
        double halfWidth = Deletions.Z_99 * q.standardError(3);
        assertTrue(halfWidth < 1.25 * margin && halfWidth > 0.75 * margin,
                "half-width at m = " + expected + ": " + halfWidth + ", margin " + margin);
    }

    @Test
    void leaveOneOutFromSketchesPassesAndFailsNamingTheWorst() {
        // closed form: the outliers move the prediction at x = 0.9 by −0.14 each, no clean point by more than 0.052
        SKETCHED.sketched().noSingleExample().changes(LINE.prediction(0.9)).byMoreThan(0.6);
        Throwable t = assertThrows(DeletionAssertionError.class, () -> SKETCHED.sketched().noSingleExample()
                .changes(LINE.slope()).atDegree(3).byMoreThan(0.15));
        String m = message(t);
        assertContains(m, "no single training example should change slope() by more than 0.15",
                "exact first order for all 20 examples", "    example 19: -0.", "    example 18: -0.");
        assertTrue(m.indexOf("example 19:") < m.indexOf("example 18:"), "the worst example first");
        // 200 directions left examples 16 and 17 inconclusive; the exact first order decides every example
        assertTrue(!m.contains("INCONCLUSIVE") && !m.contains("inconclusive"), m);
        assertContains(m, "    example 17: +0.115795, +0.133323, +0.135977   within");
    }

    @Test
    void stabilityProfilePassesAndFails() {
        SKETCHED.sketched().seriesOf(LINE.slope()).decaysGeometrically(0.9);
        Throwable t = assertThrows(DeletionAssertionError.class,
                () -> SKETCHED.sketched().seriesOf(LINE.slope()).decaysGeometrically(0.05));
        assertContains(message(t), "the Taylor series of slope() should decay geometrically with ratio 0.05 per degree "
                + "up to k = 3 (mean log2 step <= -4.32193)", "FAILS         degree 1 -> 2, mean log2 step");
    }

    @Test
    void degreeAboveTheSketchesIsRejected() {
        assertContains(assertThrows(IllegalArgumentException.class, () -> SKETCHED.sketched()
                .assertThatDeletingEach(OUTLIERS).atDegree(4)).getMessage(), "degree must be in [1, 3]");
    }
}
