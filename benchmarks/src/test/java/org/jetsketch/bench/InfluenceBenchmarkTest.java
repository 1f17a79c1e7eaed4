package org.jetsketch.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.microgpt.MicroGptStudy;
import org.junit.jupiter.api.Test;

/** The measurements of {@code jetsketch influence-bench} on a 12-name microgpt. */
class InfluenceBenchmarkTest {

    @Test
    void subjectsAreTheTwoTrainingsThenOneInfluenceRunPerBudget() {
        MicroGptStudy.MicroGptProblem problem = StepBenchmark.microGpt(12);
        BoundMeasurement loss = problem.measurement("loss:max").bound();
        List<InfluenceBenchmark.Subject> s = InfluenceBenchmark.run(problem, loss, 2, new int[] {64, 512}, "names");
        assertEquals(List.of("ordinary training", "jet training, degree 1, one direction",
                "exact influence, all names, 64 MiB budget", "exact influence, all names, 512 MiB budget"),
                s.stream().map(InfluenceBenchmark.Subject::name).toList());
        assertEquals(1.0, s.get(0).ordinaryTrainings());
        for (InfluenceBenchmark.Subject x : s) {
            assertTrue(x.medianSeconds() > 0, x.toString());
            assertEquals(x.medianSeconds() / s.get(0).medianSeconds(), x.ordinaryTrainings(), 1e-12 * x.ordinaryTrainings());
        }
        assertNull(s.get(0).plan());
        assertNull(s.get(1).plan());
        // 12 steps of microgpt fit in either budget whole: no recomputation
        for (int i = 2; i < 4; i++) {
            assertFalse(s.get(i).plan().recomputes(), s.get(i).toString());
            assertEquals(12, s.get(i).plan().steps());
            assertTrue(s.get(i).plan().bytes() > 0);
        }
    }

    @Test
    void badSettingsAreNamed() {
        MicroGptStudy.MicroGptProblem problem = StepBenchmark.microGpt(3);
        BoundMeasurement loss = problem.measurement("loss:max").bound();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InfluenceBenchmark.run(problem, loss, 0, new int[] {64}, "names"));
        assertTrue(e.getMessage().contains("repeats"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> InfluenceBenchmark.run(problem, loss, 1, new int[] {0}, "names"));
        assertTrue(e.getMessage().contains("budget"), e.getMessage());
    }
}
