package org.jetsketch.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jetsketch.circuits.Mlp;
import org.jetsketch.circuits.Mlp_Circuit;
import org.jetsketch.circuits.Sample;
import org.jetsketch.train.Dataset;
import org.jetsketch.train.Schedule;
import org.jetsketch.train.Trainer;
import org.junit.jupiter.api.Test;

/** The hand-written MLP step against the generated circuit's ordinary training. */
class HandWrittenMlpTest {
    static final int INPUTS = 16;
    static final int HIDDEN = 32;
    static final int CLASSES = 4;
    static final int N = 64;

    private final List<Sample> samples = new ArrayList<>();
    private final double[][] x = new double[N][];
    private final int[] labels = new int[N];

    HandWrittenMlpTest() {
        Random r = new Random(1);
        for (int i = 0; i < N; i++) {
            x[i] = new double[INPUTS];
            for (int j = 0; j < INPUTS; j++) x[i][j] = r.nextGaussian();
            labels[i] = r.nextInt(CLASSES);
            samples.add(new Sample(x[i], labels[i]));
        }
    }

    @Test
    void gradientAndTrainingAreTheGeneratedCircuits() {
        Mlp_Circuit circuit = new Mlp_Circuit(new Mlp(INPUTS, HIDDEN, CLASSES, 3));
        Schedule schedule = Schedule.miniBatches(N, 8, 4, 2); // 32 steps of 8 examples
        double[] weights = new double[N];
        for (int i = 0; i < N; i += 3) weights[i] = 0.5; // seeds (1 − w)/8 differ between examples
        weights[5] = 1.0; // one example deleted: skipped by both
        Trainer<Sample> trainer = new Trainer<>(circuit, Dataset.of(samples), schedule);
        HandWrittenMlp hand = new HandWrittenMlp(INPUTS, HIDDEN, CLASSES);
        double[] init = circuit.initialParameters();
        assertEquals(init.length, hand.parameters());

        // one gradient at the initial parameters
        double[] generated = new double[init.length], mine = new double[init.length];
        double lossG = trainer.gradient(init, weights, 0, generated);
        double lossH = hand.gradient(init, x, labels, schedule.batchOf(0), weights, mine);
        assertEquals(lossG, lossH, 1e-14 * Math.abs(lossG));
        double largest = 0, worst = 0;
        for (int p = 0; p < init.length; p++) {
            largest = Math.max(largest, Math.abs(generated[p]));
            worst = Math.max(worst, Math.abs(generated[p] - mine[p]));
        }
        assertTrue(largest > 1e-3, "the gradient is not vacuous: largest |g| " + largest);
        // measured: 0.0 (bit for bit)
        assertTrue(worst <= 1e-12 * largest, "gradient: largest difference " + worst + " against max |g| " + largest);

        // every step of a training, Adam included
        double[] trained = trainer.train(init, weights);
        double[] theta = init.clone(), grad = new double[init.length], m = new double[init.length], v = new double[init.length];
        for (int s = 0; s < schedule.steps(); s++) {
            hand.step(theta, x, labels, schedule.batchOf(s), weights, grad, m, v, s, schedule.steps());
        }
        double moved = 0, differs = 0;
        for (int p = 0; p < init.length; p++) {
            moved = Math.max(moved, Math.abs(trained[p] - init[p]));
            differs = Math.max(differs, Math.abs(trained[p] - theta[p]));
        }
        assertTrue(moved > 0.05, "training moved the parameters by at most " + moved);
        assertTrue(differs <= 1e-12, "parameters after training differ by " + differs);
    }

    @Test
    void badInputIsNamedAndTheStepAllocatesNothing() {
        HandWrittenMlp hand = new HandWrittenMlp(INPUTS, HIDDEN, CLASSES);
        int p = hand.parameters();
        assertEquals(HIDDEN * INPUTS + HIDDEN + CLASSES * HIDDEN + CLASSES, p);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> hand.gradient(new double[p - 1], x, labels, new int[] {0}, null, new double[p]));
        assertTrue(e.getMessage().contains("length " + p), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new HandWrittenMlp(0, 1, 1));

        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "HotSpot allocation counter unavailable");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(mx.isThreadAllocatedMemorySupported());
        mx.setThreadAllocatedMemoryEnabled(true);
        double[] theta = new Mlp_Circuit(new Mlp(INPUTS, HIDDEN, CLASSES, 3)).initialParameters();
        double[] grad = new double[p], m = new double[p], v = new double[p];
        int[] batch = {1, 2, 3, 4, 5, 6, 7, 8};
        for (int s = 0; s < 3000; s++) hand.step(theta, x, labels, batch, null, grad, m, v, s % 100, 100); // compiled
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int s = 0; s < 100; s++) hand.step(theta, x, labels, batch, null, grad, m, v, s, 100);
        assertEquals(0, mx.getCurrentThreadAllocatedBytes() - before, "bytes allocated by 100 steps");
    }
}
