package org.jetsketch.sketch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jetsketch.train.Schedule;
import org.junit.jupiter.api.Test;

/**
 * The rule that picks a sketch's jet kernels (Sketcher.jetWork, vectorKernelsPay) on the shapes it
 * was measured on: the three examples at m = 300 (scalar kernels faster in a fresh JVM) and
 * microgpt's 16 directions of 100 and 300 steps (vector kernels faster). The products per example
 * are the probe's counts for these circuits (linear and logistic 3, mlp 99, microgpt 77,990 on
 * the seed-1 study's first names, the lower of the two measured; 93,750 on the CLI's); the probe
 * itself and that the choice changes no bit are tested on generated circuits (circuit-tests,
 * SketchingTest).
 */
class JetKernelChoiceTest {

    static final Schedule LINEAR = Schedule.fullBatch(65, 100);
    static final Schedule LOGISTIC = Schedule.miniBatches(86, 16, 10, 1);
    static final Schedule MLP = Schedule.miniBatches(63, 20, 12, 1);

    @Test
    void workIsDirectionsTimesVisitedExamplesTimesProductsTimesTheirTerms() {
        // linear: full batch of 65 for 100 steps, degree 3 (k(k+1)/2 = 6)
        assertEquals(300L * 65 * 100 * 3 * 6, Sketcher.jetWork(300, LINEAR, 3, 3));
        // logistic: mini-batches of 16 over 86 examples, 10 epochs: 5 batches of 16 and one of 6 per epoch
        assertEquals(60, LOGISTIC.steps());
        assertEquals(300L * 860 * 3 * 6, Sketcher.jetWork(300, LOGISTIC, 3, 3));
        // mlp: batches of 20 over 63 examples, 12 epochs (20, 20, 20, 3 per epoch)
        assertEquals(300L * 756 * 99 * 6, Sketcher.jetWork(300, MLP, 99, 3));
        // degree 1: one product term per direction
        assertEquals(16L * 300 * 77_990, Sketcher.jetWork(16, Schedule.sequential(1000, 300), 77_990, 1));
    }

    @Test
    void theExamplesAtThreeHundredDirectionsRunScalarAndMicrogptRunsVector() {
        assertFalse(Sketcher.vectorKernelsPay(Sketcher.jetWork(300, LINEAR, 3, 3)), "linear");
        assertFalse(Sketcher.vectorKernelsPay(Sketcher.jetWork(300, LOGISTIC, 3, 3)), "logistic");
        assertFalse(Sketcher.vectorKernelsPay(Sketcher.jetWork(300, MLP, 99, 3)), "mlp");
        // microgpt: one name per step, 16 directions (the CLI's default m)
        for (int steps : new int[] {50, 100, 300}) {
            assertTrue(Sketcher.vectorKernelsPay(Sketcher.jetWork(16, Schedule.sequential(1000, steps), 77_990, 3)),
                    "microgpt, 16 directions of " + steps + " steps");
        }
        // where the mlp measured a clear gain (m = 3000) the rule takes the vector kernels too
        assertTrue(Sketcher.vectorKernelsPay(Sketcher.jetWork(3000, MLP, 99, 3)), "mlp, m = 3000");
        assertTrue(Sketcher.vectorKernelsPay(Sketcher.VECTOR_KERNELS_MIN_WORK));
        assertFalse(Sketcher.vectorKernelsPay(Sketcher.VECTOR_KERNELS_MIN_WORK - 1));
        // a factor of about 2 from the nearest measured cases on either side
        assertTrue(Sketcher.jetWork(300, MLP, 99, 3) * 2 < Sketcher.VECTOR_KERNELS_MIN_WORK);
        assertTrue(Sketcher.jetWork(16, Schedule.sequential(1000, 100), 77_990, 3)
                > 2 * Sketcher.VECTOR_KERNELS_MIN_WORK);
    }

    @Test
    void workSaturatesInsteadOfOverflowing() {
        assertEquals(Long.MAX_VALUE, Sketcher.jetWork(Sketcher.MAX_DIRECTIONS, Schedule.fullBatch(100_000, 1000),
                1_000_000, 1024));
    }

    @Test
    void nonsenseShapesAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Sketcher.jetWork(0, Schedule.fullBatch(3, 1), 2, 3));
        assertTrue(e.getMessage().contains("directions"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Sketcher.jetWork(1, Schedule.fullBatch(3, 1), 2, 0));
        assertTrue(e.getMessage().contains("degree"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Sketcher.jetWork(1, Schedule.fullBatch(3, 1), -1, 3));
        assertTrue(e.getMessage().contains("products per example"), e.getMessage());
    }
}
