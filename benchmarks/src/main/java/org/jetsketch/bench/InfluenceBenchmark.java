package org.jetsketch.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.study.Problem;
import org.jetsketch.study.ProblemRuns;
import org.jetsketch.train.ExactInfluence;
import org.jetsketch.train.JetTrainer;
import org.jetsketch.train.Trainer;

/**
 * The measurements of {@code jetsketch influence-bench}: in one JVM and interleaved, one ordinary
 * training, one jet training along one direction at degree 1 (forward mode: one example's
 * first-order influence), and the exact first-order influence of every example (reverse mode
 * through training) at each memory budget; medians over rounds after one warm-up round, and the
 * heap's peak over each influence run. Every influence run must give the same bits.
 */
public final class InfluenceBenchmark {

    /**
     * One timed subject.
     *
     * @param name what was timed, in words
     * @param medianSeconds the median wall time over the rounds
     * @param ordinaryTrainings that median over the ordinary training's
     * @param plan the trajectory plan of an influence run, null for the two trainings
     * @param heapPeakBytes the median over rounds of the heap's peak above its use before (influence runs)
     */
    public record Subject(String name, double medianSeconds, double ordinaryTrainings, ExactInfluence.Plan plan,
            long heapPeakBytes) {}

    /** A memory budget too small for the influence run (the library's complaint as the message). */
    public static final class BudgetTooSmall extends IllegalArgumentException {
        private final int budgetMiB;

        BudgetTooSmall(int budgetMiB, IllegalArgumentException cause) {
            super(cause.getMessage(), cause);
            this.budgetMiB = budgetMiB;
        }

        /** The budget, in MiB, as given. */
        public int budgetMiB() {
            return budgetMiB;
        }
    }

    private InfluenceBenchmark() {}

    /**
     * Times the subjects; the first two are the ordinary and the degree-1 jet training, then one
     * influence run per budget.
     *
     * @param examplesNoun the study's word for its examples ("names"), for the subjects' names
     * @throws BudgetTooSmall if a budget cannot hold the influence run's smallest plan
     * @throws IllegalStateException if two influence runs differ in a bit
     */
    public static <E> List<Subject> run(Problem<E> problem, BoundMeasurement measurement, int repeats,
            int[] budgetsMiB, String examplesNoun) {
        if (repeats < 1) throw new IllegalArgumentException("repeats must be >= 1, got " + repeats);
        for (int b : budgetsMiB) {
            if (b < 1) throw new IllegalArgumentException("a memory budget must be >= 1 MiB, got " + b);
        }
        double[] init = problem.initialParameters();
        Trainer<E> trainer = new Trainer<>(problem.circuit(), problem.data(), problem.schedule());
        JetTrainer<E> jet = new JetTrainer<>(problem.circuit(), problem.data(), problem.schedule(), 1, 1);
        double[] direction = new ProblemRuns<>(problem).weights(new int[] {0}, 1.0);
        double[] zeros = new double[problem.data().size()];
        int subjects = 2 + budgetsMiB.length;
        double[][] seconds = new double[subjects][repeats];
        long[][] heapPeak = new long[subjects][repeats];
        ExactInfluence.Plan[] plans = new ExactInfluence.Plan[subjects];
        double[] firstRun = null;
        for (int round = -1; round < repeats; round++) { // round -1 warms the JIT up
            int at = Math.max(round, 0);
            time(seconds[0], heapPeak[0], at, () -> trainer.train(init, null));
            time(seconds[1], heapPeak[1], at, () -> jet.train(init, null, direction, zeros));
            ExactInfluence.Influence[] result = new ExactInfluence.Influence[1];
            for (int b = 0; b < budgetsMiB.length; b++) {
                long bytes = budgetsMiB[b] * (1L << 20);
                try {
                    time(seconds[2 + b], heapPeak[2 + b], at, () -> result[0] = new ExactInfluence<>(problem.circuit(),
                            problem.data(), problem.schedule()).initial(init).memoryBudget(bytes).run(measurement));
                } catch (IllegalArgumentException e) {
                    throw new BudgetTooSmall(budgetsMiB[b], e);
                }
                plans[2 + b] = result[0].plan();
                if (firstRun != null && !Arrays.equals(firstRun, result[0].derivative(0))) {
                    throw new IllegalStateException("two runs of the exact influence differ (budget " + budgetsMiB[b]
                            + " MiB): the sweep is not reproducible bit for bit");
                }
                firstRun = result[0].derivative(0);
            }
        }
        double base = StepBenchmark.median(seconds[0]);
        List<Subject> out = new ArrayList<>();
        for (int s = 0; s < subjects; s++) {
            String name = s == 0 ? "ordinary training" : s == 1 ? "jet training, degree 1, one direction"
                    : "exact influence, all " + examplesNoun + ", " + budgetsMiB[s - 2] + " MiB budget";
            double median = StepBenchmark.median(seconds[s]);
            out.add(new Subject(name, median, median / base, plans[s], s < 2 ? 0 : median(heapPeak[s])));
        }
        return out;
    }

    /** Runs {@code work} after a full GC with the heap pools' peaks reset; records its time and heap peak. */
    private static void time(double[] seconds, long[] heapPeak, int at, Runnable work) {
        System.gc();
        long before = heapUsed();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) pool.resetPeakUsage();
        }
        long t0 = System.nanoTime();
        work.run();
        seconds[at] = (System.nanoTime() - t0) / 1e9;
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) peak += pool.getPeakUsage().getUsed();
        }
        heapPeak[at] = Math.max(0, peak - before);
    }

    private static long heapUsed() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) used += pool.getUsage().getUsed();
        }
        return used;
    }

    /** The upper median of heap peaks (a value that occurred). */
    static long median(long[] xs) {
        long[] s = xs.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
