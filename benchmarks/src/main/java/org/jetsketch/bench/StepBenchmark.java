package org.jetsketch.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.jetsketch.circuit.CompiledCircuit;
import org.jetsketch.circuit.JetWorkspace;
import org.jetsketch.circuit.RealWorkspace;
import org.jetsketch.circuits.Mlp;
import org.jetsketch.circuits.Mlp_Circuit;
import org.jetsketch.circuits.Sample;
import org.jetsketch.jet.Jets;
import org.jetsketch.jet.Simd;
import org.jetsketch.microgpt.Doc;
import org.jetsketch.microgpt.MicroGptStudy;
import org.jetsketch.sketch.SketchProgress;
import org.jetsketch.sketch.Sketcher;
import org.jetsketch.study.StudyInput;
import org.jetsketch.train.Dataset;
import org.jetsketch.train.JetTrainer;
import org.jetsketch.train.Schedule;
import org.jetsketch.train.Trainer;

/**
 * The measurements of {@code jetsketch bench}: training-step times of the hand-written, the
 * generated ordinary and the generated jet step, for microgpt and for the MLP of circuit-tests,
 * the bytes each step records for its reverse sweep, and the heap while sketching. Each method
 * measures in the calling JVM and thread; the command line runs each in a JVM of its own (so that
 * one measurement's JIT profile does not slow the next) and prints. Plain {@code System.nanoTime}
 * loops rather than JMH: a training step takes milliseconds, far above the timer's resolution,
 * and the warm-up and the forked JVM are managed here and by the caller.
 */
public final class StepBenchmark {
    /** The MLP of circuit-tests as timed here (the sizes and data of {@link CircuitStepBenchmark}). */
    public static final int MLP_INPUTS = 16;
    public static final int MLP_HIDDEN = 32;
    public static final int MLP_CLASSES = 4;
    public static final int MLP_EXAMPLES = 64;
    public static final int MLP_BATCH = 8;

    /** The seed of the microgpt run timed (names, initial parameters, sketch directions). */
    public static final long SEED = 42;

    /**
     * How to time.
     *
     * @param warmup warm-up steps of the hand-written and of the ordinary step, each
     * @param repeats timed runs per measurement (the median is reported)
     * @param ordinarySteps steps per timed run of the hand-written and of the ordinary step
     * @param jetSteps steps per timed jet run (degrees of 50 and more use at most 3, and at most 3 runs)
     * @param perPass directions per jet pass, 0 for the default of each degree (as sketching uses)
     */
    public record Settings(int warmup, int repeats, int ordinarySteps, int jetSteps, int perPass) {
        public Settings {
            if (warmup < 0) throw new IllegalArgumentException("warm-up steps must be >= 0, got " + warmup);
            if (repeats < 1) throw new IllegalArgumentException("repeats must be >= 1, got " + repeats);
            if (ordinarySteps < 1) throw new IllegalArgumentException("ordinary steps must be >= 1, got " + ordinarySteps);
            if (jetSteps < 1) throw new IllegalArgumentException("jet steps must be >= 1, got " + jetSteps);
            if (perPass < 0) throw new IllegalArgumentException("directions per pass must be >= 0, got " + perPass);
        }
    }

    /**
     * The hand-written and the ordinary step timed alternating (medians, milliseconds per step;
     * CPU figures NaN where the JVM cannot measure thread CPU time).
     *
     * @param parameters P
     * @param handWrittenLargestDifference the largest parameter difference between the two after all runs
     * @param ordinaryRecordedBytesPerStep the bytes the ordinary step records for its reverse sweep, per example
     */
    public record ScalarTiming(int parameters, double handWrittenStepMs, double ordinaryStepMs,
            double handWrittenStepCpuMs, double ordinaryStepCpuMs, double handWrittenLargestDifference,
            long ordinaryRecordedBytesPerStep) {}

    /**
     * A jet step timed (medians; per direction = per pass / directions per pass).
     *
     * @param steps steps per timed run
     * @param repeats timed runs
     */
    public record JetTiming(int degree, int directionsPerPass, int steps, int repeats, double stepMs,
            double perDirectionStepMs, double perDirectionStepCpuMs, long recordedBytesPerStep) {}

    /**
     * The heap while sketching.
     *
     * @param seconds wall time of the sketch
     * @param peakHeapUsedBytes the largest heap use sampled (every 20 ms)
     * @param peakHeapAfterGcBytes the largest heap use after a collection: the live data
     * @param coreUtilization process CPU time / (wall time × cores)
     */
    public record HeapUse(int directions, int threads, double seconds, long peakHeapUsedBytes,
            long peakHeapAfterGcBytes, double coreUtilization) {}

    private StepBenchmark() {}

    /** The microgpt run timed: its own names, seed {@value #SEED}, {@code steps} training names. */
    public static MicroGptStudy.MicroGptProblem microGpt(int steps) {
        return new MicroGptStudy().load(StudyInput.of(null, SEED, steps, Map.of()));
    }

    /** microgpt's hand-written step against the generated ordinary step, over {@code steps} training names. */
    public static ScalarTiming microGptScalar(Settings settings, int steps) {
        MicroGptStudy.MicroGptProblem problem = microGpt(steps);
        Dataset<Doc> data = problem.data();
        int n = data.size();
        HandWrittenMicroGpt hand = new HandWrittenMicroGpt(problem.vocabulary().size());
        int[][] tokens = new int[n][];
        for (int i = 0; i < n; i++) tokens[i] = data.get(i).tokens();
        double[] init = problem.initialParameters();
        int params = init.length;
        double[] thetaH = init.clone(), gradH = new double[params], mH = new double[params], vH = new double[params];
        Trainer<Doc> trainer = new Trainer<>(problem.circuit(), data, problem.schedule());
        double[] thetaG = init.clone(), gradG = new double[params];
        double[][] stateG = new double[problem.circuit().stateArrays()][params];
        int[] next = {0, 0};
        int runSteps = settings.ordinarySteps();
        // step s trains on name s mod n, so both take the same branches; each has its own Adam state
        Runnable handRun = () -> {
            for (int i = 0; i < runSteps; i++, next[0]++) {
                int s = next[0] % n;
                hand.step(thetaH, tokens[s], 0.0, gradH, mH, vH, s, n);
            }
        };
        Runnable ordinaryRun = ordinaryRun(trainer, runSteps, n, thetaG, gradG, stateG, next);
        return alternate(settings, handRun, ordinaryRun, thetaH, thetaG, params,
                realRecordedBytes(problem.circuit(), data, init));
    }

    /** microgpt's jet step at degree k, over {@code steps} training names. */
    public static JetTiming microGptJet(Settings settings, int steps, int k) {
        MicroGptStudy.MicroGptProblem problem = microGpt(steps);
        Dataset<Doc> data = problem.data();
        double[] init = problem.initialParameters();
        int n = data.size();
        int b = directionsPerPass(settings, k);
        int s = k >= 50 ? Math.min(3, settings.jetSteps()) : settings.jetSteps();
        int rep = k >= 50 ? Math.min(3, settings.repeats()) : settings.repeats();
        double[] times = new double[rep], cpu = new double[rep];
        for (int q = -1; q < rep; q++) { // q = -1 is the warm-up
            int[] order = new int[s];
            for (int i = 0; i < s; i++) order[i] = ((q + 1) * s + i) % n;
            double[] t = jetSeconds(new JetTrainer<>(problem.circuit(), data, Schedule.inOrder(n, order), k, b), init, n, b);
            if (q >= 0) {
                times[q] = t[0] / s;
                cpu[q] = t[1] / s;
            }
        }
        return jetTiming(k, b, s, rep, median(times), median(cpu), jetRecordedBytes(problem.circuit(), data, init, k, b));
    }

    /** The MLP's data: 64 examples of 16 standard normal inputs and a uniform label of 4 (seed 1). */
    public static List<Sample> mlpData() {
        Random r = new Random(1);
        List<Sample> data = new ArrayList<>();
        for (int i = 0; i < MLP_EXAMPLES; i++) {
            double[] x = new double[MLP_INPUTS];
            for (int j = 0; j < x.length; j++) x[j] = r.nextGaussian();
            data.add(new Sample(x, r.nextInt(MLP_CLASSES)));
        }
        return data;
    }

    private static Mlp_Circuit mlpCircuit() {
        return new Mlp_Circuit(new Mlp(MLP_INPUTS, MLP_HIDDEN, MLP_CLASSES, 3));
    }

    /** The MLP's hand-written step against its generated ordinary step (Adam, mini-batches of 8 of 64). */
    public static ScalarTiming mlpScalar(Settings settings) {
        List<Sample> samples = mlpData();
        Mlp_Circuit circuit = mlpCircuit();
        // 8 epochs of 8 mini-batches; step s of a run is schedule step s mod 64 (Adam's schedule included)
        Schedule schedule = Schedule.miniBatches(MLP_EXAMPLES, MLP_BATCH, 8, 2);
        int steps = schedule.steps();
        Trainer<Sample> trainer = new Trainer<>(circuit, Dataset.of(samples), schedule);
        HandWrittenMlp hand = new HandWrittenMlp(MLP_INPUTS, MLP_HIDDEN, MLP_CLASSES);
        double[][] x = new double[MLP_EXAMPLES][];
        int[] labels = new int[MLP_EXAMPLES];
        for (int i = 0; i < MLP_EXAMPLES; i++) {
            x[i] = samples.get(i).x();
            labels[i] = samples.get(i).label();
        }
        int[][] batches = new int[steps][];
        for (int s = 0; s < steps; s++) batches[s] = schedule.batchOf(s);
        double[] init = circuit.initialParameters();
        int params = init.length;
        double[] thetaH = init.clone(), gradH = new double[params], mH = new double[params], vH = new double[params];
        double[] thetaG = init.clone(), gradG = new double[params];
        double[][] stateG = new double[circuit.stateArrays()][params];
        int[] next = {0, 0};
        int runSteps = settings.ordinarySteps();
        Runnable handRun = () -> {
            for (int i = 0; i < runSteps; i++, next[0]++) {
                int s = next[0] % steps;
                hand.step(thetaH, x, labels, batches[s], null, gradH, mH, vH, s, steps);
            }
        };
        Runnable ordinaryRun = ordinaryRun(trainer, runSteps, steps, thetaG, gradG, stateG, next);
        return alternate(settings, handRun, ordinaryRun, thetaH, thetaG, params,
                realRecordedBytes(circuit, Dataset.of(samples), init));
    }

    /** The MLP's jet step at degree k. */
    public static JetTiming mlpJet(Settings settings, int k) {
        List<Sample> samples = mlpData();
        Mlp_Circuit circuit = mlpCircuit();
        Dataset<Sample> data = Dataset.of(samples);
        double[] init = circuit.initialParameters();
        int b = directionsPerPass(settings, k);
        int perEpoch = MLP_EXAMPLES / MLP_BATCH;
        int epochs = (settings.jetSteps() + perEpoch - 1) / perEpoch;
        int rep = k >= 50 ? Math.min(3, settings.repeats()) : settings.repeats();
        double[] times = new double[rep], cpu = new double[rep];
        int s = 0;
        for (int q = -1; q < rep; q++) { // q = -1 is the warm-up; each run its own shuffle
            Schedule schedule = Schedule.miniBatches(MLP_EXAMPLES, MLP_BATCH, epochs, 2 + q + 1);
            s = schedule.steps();
            double[] t = jetSeconds(new JetTrainer<>(circuit, data, schedule, k, b), init, MLP_EXAMPLES, b);
            if (q >= 0) {
                times[q] = t[0] / s;
                cpu[q] = t[1] / s;
            }
        }
        return jetTiming(k, b, s, rep, median(times), median(cpu), jetRecordedBytes(circuit, data, init, k, b));
    }

    /**
     * Sketches microgpt ({@code steps} training names) along {@code directions} directions at
     * degree 3 with {@code threads} threads into a temporary directory (deleted afterwards),
     * sampling the heap every 20 ms.
     */
    public static HeapUse sketchHeap(int steps, int directions, int threads, SketchProgress progress) throws IOException {
        MicroGptStudy.MicroGptProblem problem = microGpt(steps);
        Path dir = Files.createTempDirectory("jetsketch-bench");
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong peakUsed = new AtomicLong();
        AtomicLong peakAfterGc = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                long used = 0;
                long afterGc = 0;
                for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (pool.getType() != MemoryType.HEAP) continue;
                    used += pool.getUsage().getUsed();
                    MemoryUsage c = pool.getCollectionUsage();
                    if (c != null) afterGc += c.getUsed();
                }
                peakUsed.accumulateAndGet(used, Math::max);
                peakAfterGc.accumulateAndGet(afterGc, Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "jetsketch-heap-sampler");
        sampler.setDaemon(true);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.gc();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        sampler.start();
        try {
            new Sketcher<>(problem.circuit(), problem.data(), problem.schedule()).degree(3).directions(directions)
                    .seed(SEED).threads(threads).initialParameters(problem.initialParameters()).progress(progress)
                    .run(dir);
        } finally {
            running.set(false);
            try {
                sampler.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            deleteTree(dir);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        return new HeapUse(directions, threads, seconds, peakUsed.get(), peakAfterGc.get(),
                cpu / (seconds * Runtime.getRuntime().availableProcessors()));
    }

    /** The jet kernels this JVM uses (Vector API or scalar), in words. */
    public static String jetKernels() {
        return Simd.describe();
    }

    /** The median (the mean of the middle two for an even count). */
    public static double median(double[] xs) {
        if (xs.length == 0) throw new IllegalArgumentException("the median of no values");
        double[] s = xs.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }

    /**
     * Bytes the generated code records for the reverse sweep of one example's loss, averaged over
     * the examples: the high-water mark of the workspace's stacks while one example's loss is swept
     * forward and back (what Trainer.recordedBytesPerStep() reports as a maximum), on doubles.
     */
    public static <E> long realRecordedBytes(CompiledCircuit<E> circuit, Dataset<E> data, double[] init) {
        long bytes = 0;
        int n = data.size();
        RealWorkspace ws = circuit.newRealWorkspace();
        ws.loadParameters(init);
        for (int i = 0; i < n; i++) {
            ws.resetRecordedBytes();
            circuit.lossAndGradient(ws, data.get(i), 1.0);
            bytes += ws.recordedBytes();
        }
        return Math.round((double) bytes / n);
    }

    /** {@link #realRecordedBytes} on jets of degree k, b directions per pass (JetTrainer's figure). */
    public static <E> long jetRecordedBytes(CompiledCircuit<E> circuit, Dataset<E> data, double[] init, int k, int b) {
        long bytes = 0;
        int n = data.size();
        Jets kernels = new Jets(k, b);
        int stride = kernels.stride();
        JetWorkspace ws = circuit.newJetWorkspace(kernels);
        ws.loadParameters(kernels.constants(init));
        double[] seed = new double[stride];
        seed[0] = 1.0;
        double[] loss = new double[stride];
        for (int i = 0; i < n; i++) {
            ws.resetRecordedBytes();
            circuit.lossAndGradient(ws, data.get(i), seed, 0, loss, 0);
            bytes += ws.recordedBytes();
        }
        return Math.round((double) bytes / n);
    }

    /**
     * This thread's CPU time in nanoseconds, −1 if the JVM cannot measure it. Reported beside the
     * wall time because on a shared machine the wall time also counts the time other processes
     * held the core (the ratios of CPU times are the steadier figures there).
     */
    public static long cpuNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        return mx.isCurrentThreadCpuTimeSupported() ? mx.getCurrentThreadCpuTime() : -1;
    }

    /** Seconds between two {@link #cpuNanos} readings, NaN if either is unknown. */
    public static double cpuSeconds(long from, long to) {
        return from < 0 || to < 0 ? Double.NaN : (to - from) / 1e9;
    }

    // ------------------------------------------------------------------------ internals

    private static int directionsPerPass(Settings settings, int k) {
        return settings.perPass() > 0 ? settings.perPass() : Sketcher.defaultDirectionsPerPass(k, Integer.MAX_VALUE, 1);
    }

    /** Runs of the generated ordinary step: gradient and update, step s on schedule step s mod {@code period}. */
    private static <E> Runnable ordinaryRun(Trainer<E> trainer, int runSteps, int period, double[] theta,
            double[] grad, double[][] state, int[] next) {
        return () -> {
            for (int i = 0; i < runSteps; i++, next[1]++) {
                int s = next[1] % period;
                trainer.gradient(theta, null, s, grad);
                trainer.update(theta, grad, state, s);
            }
        };
    }

    /**
     * Times a hand-written and a generated step alternating, in runs of the settings' ordinary
     * steps, after its warm-up steps of each; both start from the same parameters and compute the
     * same numbers, checked at the end (largest parameter difference).
     */
    private static ScalarTiming alternate(Settings settings, Runnable handRun, Runnable ordinaryRun, double[] thetaH,
            double[] thetaG, int parameters, long recordedBytes) {
        int runSteps = settings.ordinarySteps();
        for (int w = 0; w < settings.warmup(); w += runSteps) {
            handRun.run();
            ordinaryRun.run();
        }
        int repeats = settings.repeats();
        double[] handTimes = new double[repeats], handCpu = new double[repeats];
        double[] ordinaryTimes = new double[repeats], ordinaryCpu = new double[repeats];
        for (int rep = 0; rep < repeats; rep++) {
            long c0 = cpuNanos(), t0 = System.nanoTime();
            handRun.run();
            long c1 = cpuNanos(), t1 = System.nanoTime();
            ordinaryRun.run();
            long c2 = cpuNanos(), t2 = System.nanoTime();
            handTimes[rep] = (t1 - t0) / 1e9 / runSteps;
            ordinaryTimes[rep] = (t2 - t1) / 1e9 / runSteps;
            handCpu[rep] = cpuSeconds(c0, c1) / runSteps;
            ordinaryCpu[rep] = cpuSeconds(c1, c2) / runSteps;
        }
        double difference = 0;
        for (int p = 0; p < thetaH.length; p++) difference = Math.max(difference, Math.abs(thetaH[p] - thetaG[p]));
        return new ScalarTiming(parameters, median(handTimes) * 1e3, median(ordinaryTimes) * 1e3,
                median(handCpu) * 1e3, median(ordinaryCpu) * 1e3, difference, recordedBytes);
    }

    private static JetTiming jetTiming(int k, int b, int s, int rep, double seconds, double cpuSeconds, long recorded) {
        return new JetTiming(k, b, s, rep, seconds * 1e3, seconds / b * 1e3, cpuSeconds / b * 1e3, recorded);
    }

    /** {wall, thread CPU} seconds of one jet training (one pass of b directions, in this thread) along random directions. */
    private static <E> double[] jetSeconds(JetTrainer<E> trainer, double[] init, int n, int b) {
        Random rng = new Random(1);
        double[] re = new double[b * n];
        double[] im = new double[b * n];
        for (int i = 0; i < b * n; i++) {
            re[i] = rng.nextGaussian() / Math.sqrt(2.0 * n);
            im[i] = rng.nextGaussian() / Math.sqrt(2.0 * n);
        }
        long c0 = cpuNanos(), t0 = System.nanoTime();
        trainer.train(init, null, re, im);
        long t1 = System.nanoTime(), c1 = cpuNanos();
        return new double[] {(t1 - t0) / 1e9, cpuSeconds(c0, c1)};
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
