package org.jetsketch.testing;

import static org.jetsketch.testing.ExactAssertionsTest.assertContains;
import static org.jetsketch.testing.ExactAssertionsTest.message;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jetsketch.train.Schedule;
import org.junit.jupiter.api.Test;

/**
 * {@code switchesNoBranch()} on a clamped mean, where the deletion weight at which the clamp first
 * switches is known in closed form: deleting the four zeros raises the mean from 4/3 towards 2,
 * so a cap of 1.6 is met at t* = 0.5 and a cap of 3 never.
 */
class BranchSwitchAssertionTest {
    static final double[] Y = {0, 0, 0, 0, 2, 2, 2, 2, 2, 2, 2, 2};
    static final int[] ZEROS = {0, 1, 2, 3};
    static final int STEPS = 40;

    static Deletions<CappedMean.Target> deletions(double cap) {
        List<CappedMean.Target> data = new ArrayList<>();
        for (double y : Y) data.add(new CappedMean.Target(y));
        return Deletions.of(new CappedMean_Circuit(new CappedMean(cap)), data, Schedule.fullBatch(Y.length, STEPS));
    }

    /** The smallest t in [0, 1] at which some iterate reaches the cap (the iterates rise with s). */
    static double closedFormSwitch(double cap) {
        double lo = 0, hi = 1;
        if (CappedMean.iterate(Y, ZEROS, 1, STEPS) < cap) return Double.POSITIVE_INFINITY;
        for (int i = 0; i < 60; i++) {
            double mid = (lo + hi) / 2;
            if (CappedMean.iterate(Y, ZEROS, mid, STEPS) >= cap) hi = mid;
            else lo = mid;
        }
        return hi;
    }

    @Test
    void passesWhenTheClampIsNeverReached() {
        assertTrue(Double.isInfinite(closedFormSwitch(3)));
        deletions(3).assertThatDeleting(ZEROS).switchesNoBranch();
    }

    @Test
    void failsNamingTheSiteWhenTheClampSwitchesBeforeTheEnd() {
        double truth = closedFormSwitch(1.6);
        assertTrue(Math.abs(truth - 0.5) < 1e-6, "closed form " + truth);
        Throwable t = assertThrows(DeletionAssertionError.class,
                () -> deletions(1.6).assertThatDeleting(ZEROS).switchesNoBranch());
        String m = message(t);
        assertContains(m, "deleting D = {0..3} (4 of 12 examples) should switch no branch decision of the training "
                + "before t = 1", "but the decision at CappedMean.java:", "can switch at t = ", "what to change");
        // the reported bound (from the degree-3 series) is the closed-form switch to 1%
        double reported = Double.parseDouble(m.replaceAll("(?s).*can switch at t = ([0-9.eE+-]+)\\..*", "$1"));
        assertTrue(Math.abs(reported - truth) < 0.01 * truth, "reported " + reported + ", closed form " + truth);
        // and below the bound the assertion passes
        deletions(1.6).assertThatDeleting(ZEROS).switchesNoBranchBefore(reported * 0.99);
    }

    @Test
    void aCircuitWithoutDecisionsOnActiveValuesNeverSwitches() {
        ExactAssertionsTest.deletions().assertThatDeleting(LineOracle.OUTLIERS).switchesNoBranchBefore(1e6);
    }
}
