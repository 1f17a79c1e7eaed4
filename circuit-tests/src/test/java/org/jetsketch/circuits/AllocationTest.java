package org.jetsketch.circuits;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jetsketch.train.Dataset;
import org.jetsketch.train.JetTrainer;
import org.jetsketch.train.Schedule;
import org.jetsketch.train.Trainer;
import org.junit.jupiter.api.Test;

/**
 * The hot path allocates nothing per arithmetic operation: a training step of the generated MLP
 * (16 inputs, 32 tanh units, 4 classes, batches of 8: more than 5,000 recorded operations per
 * step) allocates less than one byte per operation, on real numbers and on jets. What it does
 * allocate is the slot arrays the circuit itself creates ({@code new double[n]} in user code
 * becomes {@code new int[n]}), a few hundred bytes per example.
 */
class AllocationTest {
    static final int N = 64;
    static final int STEPS = 8;
    static final long OPERATIONS_PER_STEP_LOWER_BOUND = 8 * (16 * 32 + 32 * 4);

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void ordinaryAndJetStepsAllocateLessThanAByteAnOperation() {
        Random r = new Random(1);
        List<Sample> data = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            double[] x = new double[16];
            for (int j = 0; j < x.length; j++) x[j] = r.nextGaussian();
            data.add(new Sample(x, r.nextInt(4)));
        }
        Mlp_Circuit circuit = new Mlp_Circuit(new Mlp(16, 32, 4, 3));
        Schedule schedule = Schedule.miniBatches(N, N / STEPS, 1, 2);
        double[] initial = circuit.initialParameters();
        Trainer<Sample> ordinary = new Trainer<>(circuit, Dataset.of(data), schedule);
        double[] theta = initial.clone();
        double[] grad = new double[theta.length];
        double[][] state = new double[2][theta.length];
        Runnable realStep = () -> {
            for (int s = 0; s < STEPS; s++) {
                ordinary.gradient(theta, null, s, grad);
                ordinary.update(theta, grad, state, s);
            }
        };
        assertBelowOneBytePerOperation("ordinary", realStep);

        JetTrainer<Sample> jets = new JetTrainer<>(circuit, Dataset.of(data), schedule, 3, 1);
        double[] re = new double[N];
        double[] im = new double[N];
        for (int i = 0; i < N; i++) {
            re[i] = r.nextGaussian() / N;
            im[i] = r.nextGaussian() / N;
        }
        // a whole jet training also allocates its parameter and state jets once (3 x P x stride doubles)
        long perTraining = 3L * theta.length * jets.jets().stride() * 8 + 4096;
        Runnable jetTraining = () -> jets.train(initial, null, re, im);
        for (int warm = 0; warm < 30; warm++) jetTraining.run();
        long bytes = allocated(jetTraining) - perTraining;
        double perOperation = (double) bytes / (STEPS * OPERATIONS_PER_STEP_LOWER_BOUND);
        System.out.printf("jets, degree 3: %.3f bytes per operation%n", perOperation);
        assertTrue(perOperation < 1.0, "jet training allocates " + perOperation + " bytes per operation");
    }

    private void assertBelowOneBytePerOperation(String what, Runnable steps) {
        for (int warm = 0; warm < 30; warm++) steps.run();
        double perOperation = (double) allocated(steps) / (STEPS * OPERATIONS_PER_STEP_LOWER_BOUND);
        System.out.printf("%s: %.3f bytes per operation%n", what, perOperation);
        assertTrue(perOperation < 1.0, what + " allocates " + perOperation + " bytes per operation");
    }

    private long allocated(Runnable work) {
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        work.run();
        return threads.getThreadAllocatedBytes(id) - before;
    }
}
