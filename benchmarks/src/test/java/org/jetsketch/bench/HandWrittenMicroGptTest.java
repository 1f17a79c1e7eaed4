package org.jetsketch.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.jetsketch.microgpt.Doc;
import org.jetsketch.microgpt.MicroGpt;
import org.jetsketch.microgpt.MicroGpt_Circuit;
import org.jetsketch.microgpt.NamesData;
import org.jetsketch.microgpt.Vocabulary;
import org.jetsketch.train.Dataset;
import org.jetsketch.train.Schedule;
import org.jetsketch.train.Trainer;
import org.junit.jupiter.api.Test;

/** The hand-written step against the generated circuit's ordinary training. */
class HandWrittenMicroGptTest {

    private static final NamesData NAMES = NamesData.bundled();
    private static final Vocabulary VOCAB = NAMES.vocabulary();

    @Test
    void thousandStepsGiveTheGeneratedTrainersParameters() {
        int steps = 1000;
        List<Doc> docs = VOCAB.docs(NAMES.shuffled(42).first(steps));
        MicroGpt model = new MicroGpt(VOCAB.size(), MicroGpt.DEFAULT_SEED);
        double[] init = model.flatParameters();
        // every third document half-deleted: the seed 1 − w reaches the gradient
        double[] weights = new double[steps];
        for (int s = 0; s < steps; s += 3) weights[s] = 0.5;
        double[] generated = new Trainer<>(new MicroGpt_Circuit(model), Dataset.of(docs),
                Schedule.sequential(steps, steps)).train(init, weights);

        HandWrittenMicroGpt hand = new HandWrittenMicroGpt(VOCAB.size());
        double[] theta = init.clone();
        double[] grad = new double[theta.length];
        double[] m = new double[theta.length];
        double[] v = new double[theta.length];
        for (int s = 0; s < steps; s++) hand.step(theta, docs.get(s).tokens(), weights[s], grad, m, v, s, steps);

        double largest = 0;
        double worst = 0;
        for (int i = 0; i < theta.length; i++) {
            largest = Math.max(largest, Math.abs(generated[i]));
            worst = Math.max(worst, Math.abs(theta[i] - generated[i]));
        }
        // measured: 0.0 (bit for bit) with the tape-interpreting generated code of 2026-11-27
        assertTrue(worst <= 1e-10 * largest, "largest difference " + worst + " against max |theta| " + largest);
        // training moved the parameters far from their start: the comparison is not vacuous
        double moved = 0;
        for (int i = 0; i < theta.length; i++) moved = Math.max(moved, Math.abs(theta[i] - init[i]));
        assertTrue(moved > 0.05, "parameters moved by at most " + moved);
    }

    @Test
    void lossAtTheStartIsTheCircuitsAndTheStepAllocatesNothing() {
        MicroGpt model = new MicroGpt(VOCAB.size(), 7);
        Doc doc = VOCAB.doc("maximilian");
        HandWrittenMicroGpt hand = new HandWrittenMicroGpt(VOCAB.size());
        double[] theta = model.flatParameters();
        double[] grad = new double[theta.length];
        assertEquals(model.loss(doc), hand.gradient(theta, doc.tokens(), 1.0, grad), 1e-14);

        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "HotSpot allocation counter unavailable");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(mx.isThreadAllocatedMemorySupported());
        mx.setThreadAllocatedMemoryEnabled(true);
        double[] m = new double[theta.length];
        double[] v = new double[theta.length];
        int[] tokens = doc.tokens();
        for (int s = 0; s < 2000; s++) hand.step(theta, tokens, 0.0, grad, m, v, s % 100, 100); // compiled
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int s = 0; s < 100; s++) hand.step(theta, tokens, 0.0, grad, m, v, s, 100);
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertEquals(0, allocated, "bytes allocated by 100 steps");
    }
}
