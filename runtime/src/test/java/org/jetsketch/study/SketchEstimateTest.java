package org.jetsketch.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link ProblemRuns#sketchSecondsEstimate}: rounds of concurrent passes, by hand. */
class SketchEstimateTest {

    @Test
    void passesRunThreadsAtATime() {
        double ordinary = ProblemRuns.ORDINARY_STEP_SECONDS * 100;
        // 16 directions, 4 per pass: 4 passes; 2 threads: 2 rounds of 100 steps of 0.01 s
        assertEquals(2 * 100 * 0.01 + ordinary, ProblemRuns.sketchSecondsEstimate(0.01, 100, 16, 4, 2), 1e-12);
        // 17 directions: a fifth pass, a third round
        assertEquals(3 * 100 * 0.01 + ordinary, ProblemRuns.sketchSecondsEstimate(0.01, 100, 17, 4, 2), 1e-12);
        // more threads than passes: one round
        assertEquals(100 * 0.01 + ordinary, ProblemRuns.sketchSecondsEstimate(0.01, 100, 3, 4, 8), 1e-12);
    }

    @Test
    void badInputIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProblemRuns.sketchSecondsEstimate(0.01, 100, 16, 0, 2));
        assertTrue(e.getMessage().contains("directions per pass"), e.getMessage());
    }
}
