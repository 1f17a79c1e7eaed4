package org.jetsketch.train;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Which examples each training step uses: a fixed, seeded, deterministic list of batches. The
 * schedule never depends on the data weights (scheme.md §2): a deleted example keeps its place,
 * its loss is just weighted by 0.
 */
public final class Schedule {
    private final int examples;
    private final int[][] batches;
    private final String descriptor;

    private Schedule(int examples, int[][] batches, String descriptor) {
        this.examples = examples;
        this.batches = batches;
        this.descriptor = descriptor;
    }

    /** One example per step, in the given order (the paper's microgpt schedule). */
    public static Schedule inOrder(int examples, int[] order) {
        if (order.length == 0) throw new IllegalArgumentException("a schedule needs at least one step");
        int[][] batches = new int[order.length][];
        for (int s = 0; s < order.length; s++) {
            checkIndex(examples, order[s], "step " + s);
            batches[s] = new int[] {order[s]};
        }
        return new Schedule(examples, batches, "in-order n=" + examples + " order-hash=" + Arrays.hashCode(order));
    }

    /** Step s trains on example s, for s = 0..steps-1. */
    public static Schedule sequential(int examples, int steps) {
        if (steps < 1 || steps > examples) {
            throw new IllegalArgumentException("steps must be in [1, " + examples + "], got " + steps);
        }
        int[] order = new int[steps];
        for (int s = 0; s < steps; s++) order[s] = s;
        Schedule in = inOrder(examples, order);
        return new Schedule(examples, in.batches, "sequential n=" + examples + " steps=" + steps);
    }

    /** Every step uses the whole dataset (full-batch gradient descent). */
    public static Schedule fullBatch(int examples, int steps) {
        if (examples < 1 || steps < 1) {
            throw new IllegalArgumentException("examples and steps must be >= 1, got " + examples + ", " + steps);
        }
        int[] all = new int[examples];
        for (int i = 0; i < examples; i++) all[i] = i;
        int[][] batches = new int[steps][];
        Arrays.fill(batches, all);
        return new Schedule(examples, batches, "full-batch n=" + examples + " steps=" + steps);
    }

    /**
     * Mini-batches over epochs: each epoch shuffles the examples with a generator derived from
     * (seed, epoch) and cuts them into consecutive batches of {@code batchSize} (the last may be
     * smaller).
     */
    public static Schedule miniBatches(int examples, int batchSize, int epochs, long seed) {
        if (examples < 1 || batchSize < 1 || epochs < 1) {
            throw new IllegalArgumentException("examples, batchSize and epochs must be >= 1, got "
                    + examples + ", " + batchSize + ", " + epochs);
        }
        int perEpoch = (examples + batchSize - 1) / batchSize;
        int[][] batches = new int[perEpoch * epochs][];
        for (int e = 0; e < epochs; e++) {
            int[] order = new int[examples];
            for (int i = 0; i < examples; i++) order[i] = i;
            SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + e);
            for (int i = examples - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int b = 0; b < perEpoch; b++) {
                batches[e * perEpoch + b] = Arrays.copyOfRange(order, b * batchSize, Math.min(examples, (b + 1) * batchSize));
            }
        }
        return new Schedule(examples, batches, "mini-batches n=" + examples + " batch=" + batchSize + " epochs="
                + epochs + " seed=" + seed);
    }

    private static void checkIndex(int examples, int index, String where) {
        if (index < 0 || index >= examples) {
            throw new IllegalArgumentException(where + ": example index " + index + " outside [0, " + examples + ")");
        }
    }

    public int examples() { return examples; }

    public int steps() { return batches.length; }

    /** The examples of step {@code step}; the array is shared, do not modify it. */
    int[] batch(int step) { return batches[step]; }

    /** A copy of the examples of step {@code step}. */
    public int[] batchOf(int step) { return batches[step].clone(); }

    /** A stable text that identifies the schedule (stored with sketches). */
    public String descriptor() { return descriptor; }

    /** The examples that take part in at least one step, ascending. */
    public int[] usedExamples() {
        boolean[] used = new boolean[examples];
        for (int[] b : batches) for (int i : b) used[i] = true;
        return java.util.stream.IntStream.range(0, examples).filter(i -> used[i]).toArray();
    }
}
