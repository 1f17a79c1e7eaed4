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
 * microgpt's 16 directions of 300 steps (vector kernels faster). That the choice changes no bit is
 * tested on generated circuits (circuit-tests, SketchingTest).
 */
class JetKernelChoiceTest {

    @Test
    void workIsDirectionsTimesVisitedExamplesTimesParametersTimesProductTerms() {
        // linear: full batch of 65 for 100 steps, P = 4, degree 3 (k(k+1)/2 = 6)
        assertEquals(300L * 65 * 100 * 4 * 6, Sketcher.jetWork(300, Schedule.fullBatch(65, 100), 4, 3));
        // logistic: mini-batches of 16 over 86 examples, 10 epochs: 5 batches of 16 and one of 6 per epoch
        Schedule logistic = Schedule.miniBatches(86, 16, 10, 1);
        assertEquals(60, logistic.steps());
        assertEquals(300L * 860 * 3 * 6, Sketcher.jetWork(300, logistic, 3, 3));
        // mlp: batches of 20 over 63 examples, 12 epochs (20, 20, 20, 3 per epoch)
        assertEquals(300L * 756 * 51 * 6, Sketcher.jetWork(300, Schedule.miniBatches(63, 20, 12, 1), 51, 3));
        // degree 1: one product term per direction
        assertEquals(16L * 300 * 4192, Sketcher.jetWork(16, Schedule.sequential(1000, 300), 4192, 1));
    }

    @Test
    void theExamplesAtThreeHundredDirectionsRunScalarAndMicrogptRunsVector() {
        assertFalse(Sketcher.vectorKernelsPay(Sketcher.jetWork(300, Schedule.fullBatch(65, 100), 4, 3)), "linear");
        assertFalse(Sketcher.vectorKernelsPay(Sketcher.jetWork(300, Schedule.miniBatches(86, 16, 10, 1), 3, 3)),
                "logistic");
        assertFalse(Sketcher.vectorKernelsPay(Sketcher.jetWork(300, Schedule.miniBatches(63, 20, 12, 1), 51, 3)),
                "mlp");
        // microgpt: P = 4192, one name per step; 300 steps and 16 directions (the CLI's default m)
        assertTrue(Sketcher.vectorKernelsPay(Sketcher.jetWork(16, Schedule.sequential(1000, 300), 4192, 3)),
                "microgpt, 16 directions of 300 steps");
        // where the mlp measured a clear gain (m = 3000) the rule takes the vector kernels too
        assertTrue(Sketcher.vectorKernelsPay(Sketcher.jetWork(3000, Schedule.miniBatches(63, 20, 12, 1), 51, 3)),
                "mlp, m = 3000");
        assertTrue(Sketcher.vectorKernelsPay(Sketcher.VECTOR_KERNELS_MIN_WORK));
        assertFalse(Sketcher.vectorKernelsPay(Sketcher.VECTOR_KERNELS_MIN_WORK - 1));
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
    }
}
