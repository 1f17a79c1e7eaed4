package org.jetsketch.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jetsketch.circuits.Mlp;
import org.jetsketch.circuits.Mlp_Circuit;
import org.jetsketch.circuits.Sample;
import org.jetsketch.sketch.Sketcher;
import org.jetsketch.train.Dataset;
import org.junit.jupiter.api.Test;

/** The measurements of {@code jetsketch bench}, at small settings: what they report is consistent. */
class StepBenchmarkTest {

    private static final StepBenchmark.Settings SMALL = new StepBenchmark.Settings(16, 3, 16, 8, 0);

    @Test
    void theMlpStepsAreTimedOnTheSameNumbers() {
        StepBenchmark.ScalarTiming t = StepBenchmark.mlpScalar(SMALL);
        int h = StepBenchmark.MLP_HIDDEN;
        assertEquals(h * StepBenchmark.MLP_INPUTS + h + StepBenchmark.MLP_CLASSES * h + StepBenchmark.MLP_CLASSES,
                t.parameters());
        // both trained 16 warm-up + 3 × 16 timed steps from the same start along the same schedule
        assertTrue(t.handWrittenLargestDifference() <= 1e-12, "difference " + t.handWrittenLargestDifference());
        assertTrue(t.handWrittenStepMs() > 0 && t.ordinaryStepMs() > 0, t.toString());
        assertTrue(Double.isNaN(t.ordinaryStepCpuMs()) || t.ordinaryStepCpuMs() > 0, t.toString());
        assertTrue(t.ordinaryRecordedBytesPerStep() > 0, t.toString());
    }

    @Test
    void aJetTimingIsPerPassAndPerDirection() {
        StepBenchmark.JetTiming j = StepBenchmark.mlpJet(SMALL, 2);
        assertEquals(2, j.degree());
        assertEquals(Sketcher.defaultDirectionsPerPass(2, Integer.MAX_VALUE, 1), j.directionsPerPass());
        assertEquals(8, j.steps(), "one epoch of 64 / 8 mini-batches covers the 8 jet steps asked for");
        assertEquals(3, j.repeats());
        assertEquals(j.stepMs() / j.directionsPerPass(), j.perDirectionStepMs(), 1e-12 * j.stepMs());
        StepBenchmark.JetTiming fixed = StepBenchmark.mlpJet(new StepBenchmark.Settings(0, 1, 1, 8, 3), 1);
        assertEquals(3, fixed.directionsPerPass());
        assertEquals(1, fixed.repeats());
    }

    @Test
    void recordedBytesAreAnAverageOverExamplesAndGrowWithTheDegree() {
        Mlp_Circuit circuit = new Mlp_Circuit(new Mlp(StepBenchmark.MLP_INPUTS, StepBenchmark.MLP_HIDDEN,
                StepBenchmark.MLP_CLASSES, 3));
        List<Sample> samples = StepBenchmark.mlpData();
        double[] init = circuit.initialParameters();
        // the MLP has no data-dependent branches: every example records as much as the first alone
        long all = StepBenchmark.realRecordedBytes(circuit, Dataset.of(samples), init);
        long first = StepBenchmark.realRecordedBytes(circuit, Dataset.of(samples.subList(0, 1)), init);
        assertEquals(first, all);
        assertTrue(all > 0, "the reverse sweep records something: " + all);
        long jet1 = StepBenchmark.jetRecordedBytes(circuit, Dataset.of(samples), init, 1, 1);
        long jet3 = StepBenchmark.jetRecordedBytes(circuit, Dataset.of(samples), init, 3, 1);
        assertTrue(all < jet1 && jet1 < jet3, all + " < " + jet1 + " < " + jet3);
    }

    @Test
    void medianAndSettingsCheckTheirInput() {
        assertEquals(2.0, StepBenchmark.median(new double[] {3, 1, 2}));
        assertEquals(2.5, StepBenchmark.median(new double[] {4, 1, 3, 2}));
        assertThrows(IllegalArgumentException.class, () -> StepBenchmark.median(new double[0]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new StepBenchmark.Settings(0, 0, 1, 1, 0));
        assertTrue(e.getMessage().contains("repeats"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new StepBenchmark.Settings(-1, 1, 1, 1, 0));
        assertEquals(Double.NaN, StepBenchmark.cpuSeconds(-1, 5));
        assertEquals(2.0, StepBenchmark.cpuSeconds(1_000_000_000L, 3_000_000_000L));
    }
}
