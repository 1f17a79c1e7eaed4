package org.jetsketch.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.jetsketch.bench.HandWrittenMicroGpt;
import org.jetsketch.circuit.JetWorkspace;
import org.jetsketch.circuit.RealWorkspace;
import org.jetsketch.jet.Jets;
import org.jetsketch.jet.Simd;
import org.jetsketch.microgpt.Doc;
import org.jetsketch.sketch.Sketcher;
import org.jetsketch.train.JetTrainer;
import org.jetsketch.train.Schedule;
import org.jetsketch.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
        header = "Benchmark: hand-written, ordinary and jet step times, recorded memory, heap while sketching.",
        sortOptions = false,
        description = {"Times microgpt training steps on this machine, in one JVM: the hand-written reference "
            + "step (plain Java, module benchmarks) and the generated ordinary step alternating, over the same "
            + "training names, after --warmup steps of each; then the jet step at each --degrees with the default "
            + "directions per pass (or --per-pass), per direction. Medians over --repeats timed runs, and ratios. "
            + "Then sketches --heap-directions directions at degree 3 and reports the heap used and the share of "
            + "the cores kept busy."})
final class BenchCommand extends BaseCommand {

    @Option(names = "--steps", paramLabel = "N", defaultValue = "1000",
            description = "Training names available (steps cycle through them). Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--warmup", paramLabel = "S", defaultValue = "5000",
            description = "Warm-up steps of the hand-written and of the ordinary step (the JIT settles after several "
                + "thousand). Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--repeats", paramLabel = "R", defaultValue = "7",
            description = "Timed runs per measurement; the median is reported. Default: ${DEFAULT-VALUE}.")
    int repeats;

    @Option(names = "--ordinary-steps", paramLabel = "S", defaultValue = "500",
            description = "Steps per timed run of the hand-written and of the ordinary step. Default: ${DEFAULT-VALUE}.")
    int ordinarySteps;

    @Option(names = "--jet-steps", paramLabel = "S", defaultValue = "40",
            description = "Steps per timed jet run (degrees >= 50 use at most 3). Default: ${DEFAULT-VALUE}.")
    int jetSteps;

    @Option(names = "--degrees", paramLabel = "LIST", defaultValue = "3,6,100", split = ",",
            description = "Jet degrees to time. Default: ${DEFAULT-VALUE}.")
    int[] degrees;

    @Option(names = "--per-pass", paramLabel = "B", defaultValue = "0",
            description = "Directions per jet pass (0: the default for each degree, as sketching uses). "
                + "Default: ${DEFAULT-VALUE}.")
    int perPass;

    @Option(names = "--heap-directions", paramLabel = "M", defaultValue = "8",
            description = "Directions to sketch for the heap measurement (0: skip). Default: ${DEFAULT-VALUE}.")
    int heapDirections;

    @Option(names = "--heap-steps", paramLabel = "N", defaultValue = "1000",
            description = "Training steps of that sketch. Default: ${DEFAULT-VALUE}.")
    int heapSteps;

    @Mixin Options.Threads threads;
    @Mixin Options.JsonOutput json;

    @Override
    int execute() throws Exception {
        positive("--repeats", repeats);
        positive("--ordinary-steps", ordinarySteps);
        positive("--jet-steps", jetSteps);
        if (warmup < 0) throw new CliException("--warmup must be >= 0, got " + warmup);
        if (perPass < 0) throw new CliException("--per-pass must be >= 1 (or 0: the default), got " + perPass);
        int th = threads(threads.threads);
        Options.Data data = new Options.Data();
        data.seed = 42;
        Setup setup = Setup.resolve(data, steps);
        PrintWriter o = out();
        ObjectNode r = Json.object();
        r.put("command", "bench");
        r.put("cores", Runtime.getRuntime().availableProcessors());
        r.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        r.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        r.put("jetKernels", Simd.describe());
        if (!json.json) {
            o.printf(Locale.ROOT, "microgpt benchmark: P = %d, %d cores, %s, max heap %.0f MB%n  jet kernels: %s%n",
                    setup.parameters(), Runtime.getRuntime().availableProcessors(), r.get("java").asText(),
                    Runtime.getRuntime().maxMemory() / 1e6, Simd.describe());
            o.flush();
        }

        Scalar scalar = scalarSteps(setup);
        Json.put(r, "handWrittenStepMs", scalar.handWritten * 1e3);
        Json.put(r, "ordinaryStepMs", scalar.ordinary * 1e3);
        Json.put(r, "ordinaryOverHandWritten", scalar.ordinary / scalar.handWritten);
        r.put("ordinaryRecordedBytesPerStep", recordedBytes(setup, -1, 1));
        Json.put(r, "handWrittenLargestDifference", scalar.difference);
        if (!json.json) {
            o.printf(Locale.ROOT, "  hand-written step:    %9.4f ms (median of %d runs of %d steps, after %d warm-up steps)%n",
                    scalar.handWritten * 1e3, repeats, ordinarySteps, warmup);
            o.printf(Locale.ROOT, "  ordinary step:        %9.4f ms = %.2f x hand-written (same names, alternating; "
                    + "largest parameter difference afterwards %.1e)%n", scalar.ordinary * 1e3,
                    scalar.ordinary / scalar.handWritten, scalar.difference);
            o.flush();
        }
        ArrayNode jets = r.putArray("jet");
        for (int k : degrees) {
            if (k < 0) throw new UsageException("--degrees: " + k + " is negative");
            int b = perPass > 0 ? perPass : Sketcher.defaultDirectionsPerPass(k, Integer.MAX_VALUE, 1);
            int s = k >= 50 ? Math.min(3, jetSteps) : jetSteps;
            int rep = k >= 50 ? Math.min(3, repeats) : repeats;
            double jet = jetStep(setup, k, b, s, rep);
            double perDirection = jet / b;
            ObjectNode j = jets.addObject();
            j.put("degree", k);
            j.put("directionsPerPass", b);
            j.put("steps", s);
            j.put("repeats", rep);
            Json.put(j, "stepMs", jet * 1e3);
            Json.put(j, "perDirectionStepMs", perDirection * 1e3);
            Json.put(j, "perDirectionOverHandWritten", perDirection / scalar.handWritten);
            Json.put(j, "perDirectionOverOrdinary", perDirection / scalar.ordinary);
            j.put("recordedBytesPerStep", recordedBytes(setup, k, b));
            if (!json.json) {
                o.printf(Locale.ROOT, "  jet step, degree %-3d %9.3f ms per direction (%d per pass; median of %d runs of %d steps)"
                        + " = %6.1f x hand-written, %6.1f x ordinary; recorded %.1f MB per step%n", k, perDirection * 1e3, b,
                        rep, s, perDirection / scalar.handWritten, perDirection / scalar.ordinary,
                        j.get("recordedBytesPerStep").asLong() / 1e6);
                o.flush();
            }
        }
        if (heapDirections > 0) {
            ObjectNode h = heap(setup, th);
            r.set("sketchHeap", h);
            if (!json.json) {
                o.printf(Locale.ROOT, "  sketching %d directions, degree 3, %d steps, %d threads: %.1f s,"
                        + " peak heap used %.0f MB (live after GC %.0f MB), cores busy %.0f%%%n",
                        h.get("directions").asInt(), h.get("steps").asInt(), th, h.get("seconds").asDouble(),
                        h.get("peakHeapUsedBytes").asDouble() / 1e6, h.get("peakHeapAfterGcBytes").asDouble() / 1e6,
                        100 * h.get("coreUtilization").asDouble());
            }
        }
        if (json.json) printJson(r);
        return 0;
    }

    /** Median seconds per step of the hand-written and of the generated ordinary step. */
    record Scalar(double handWritten, double ordinary, double difference) {}

    /**
     * The hand-written and the generated ordinary step, alternating in one JVM over the same names
     * (step s trains on name s mod n, so both take the same branches), each from the same
     * initial parameters with its own Adam state: they compute the same numbers, checked at the end.
     */
    private Scalar scalarSteps(Setup setup) {
        int n = setup.n();
        Trainer<Object> trainer = setup.trainer();
        HandWrittenMicroGpt hand = new HandWrittenMicroGpt(setup.microgpt("bench").vocabulary().size());
        int[][] tokens = new int[n][];
        for (int i = 0; i < n; i++) tokens[i] = ((Doc) setup.data.get(i)).tokens();
        int params = setup.parameters();
        double[] thetaH = setup.init.clone(), gradH = new double[params], mH = new double[params], vH = new double[params];
        double[] thetaG = setup.init.clone(), gradG = new double[params];
        double[][] stateG = new double[setup.circuit.stateArrays()][params];
        int[] next = {0, 0};
        Runnable handRun = () -> {
            for (int i = 0; i < ordinarySteps; i++, next[0]++) {
                int s = next[0] % n;
                hand.step(thetaH, tokens[s], 0.0, gradH, mH, vH, s, n);
            }
        };
        Runnable ordinaryRun = () -> {
            for (int i = 0; i < ordinarySteps; i++, next[1]++) {
                int s = next[1] % n;
                trainer.gradient(thetaG, null, s, gradG);
                trainer.update(thetaG, gradG, stateG, s);
            }
        };
        for (int w = 0; w < warmup; w += ordinarySteps) {
            handRun.run();
            ordinaryRun.run();
        }
        double[] handTimes = new double[repeats];
        double[] ordinaryTimes = new double[repeats];
        for (int rep = 0; rep < repeats; rep++) {
            long t0 = System.nanoTime();
            handRun.run();
            long t1 = System.nanoTime();
            ordinaryRun.run();
            long t2 = System.nanoTime();
            handTimes[rep] = (t1 - t0) / 1e9 / ordinarySteps;
            ordinaryTimes[rep] = (t2 - t1) / 1e9 / ordinarySteps;
        }
        double difference = 0;
        for (int p = 0; p < params; p++) difference = Math.max(difference, Math.abs(thetaH[p] - thetaG[p]));
        return new Scalar(median(handTimes), median(ordinaryTimes), difference);
    }

    /** Median seconds per jet step (one pass of b directions) at degree k. */
    private double jetStep(Setup setup, int k, int b, int s, int rep) {
        int n = setup.n();
        Random rng = new Random(1);
        double[] re = new double[b * n];
        double[] im = new double[b * n];
        for (int i = 0; i < b * n; i++) {
            re[i] = rng.nextGaussian() / Math.sqrt(2.0 * n);
            im[i] = rng.nextGaussian() / Math.sqrt(2.0 * n);
        }
        double[] times = new double[rep];
        for (int q = -1; q < rep; q++) {
            int[] order = new int[s];
            for (int i = 0; i < s; i++) order[i] = ((q + 1) * s + i) % n;
            JetTrainer<Object> trainer = new JetTrainer<>(setup.circuit, setup.data, Schedule.inOrder(n, order), k, b);
            long t0 = System.nanoTime();
            trainer.train(setup.init, null, re, im);
            double sec = (System.nanoTime() - t0) / 1e9 / s;
            if (q >= 0) times[q] = sec; // q = -1 is the warm-up
        }
        return median(times);
    }

    /**
     * Bytes the generated code records for the reverse sweep of one training step, averaged over
     * the training names: the high-water mark of the workspace's stacks while one name's loss is
     * swept forward and back (what Trainer/JetTrainer.recordedBytesPerStep() report as a maximum).
     * Degree −1: the ordinary code.
     */
    private static long recordedBytes(Setup setup, int degree, int directions) {
        long bytes = 0;
        int n = setup.n();
        if (degree < 0) {
            RealWorkspace ws = setup.circuit.newRealWorkspace();
            ws.loadParameters(setup.init);
            for (int i = 0; i < n; i++) {
                ws.resetRecordedBytes();
                setup.circuit.lossAndGradient(ws, setup.data.get(i), 1.0);
                bytes += ws.recordedBytes();
            }
        } else {
            Jets kernels = new Jets(degree, directions);
            int stride = kernels.stride();
            JetWorkspace ws = setup.circuit.newJetWorkspace(kernels);
            double[] theta = new double[setup.parameters() * stride];
            for (int p = 0; p < setup.parameters(); p++) kernels.constant(setup.init[p], theta, p * stride);
            ws.loadParameters(theta);
            double[] seed = new double[stride];
            seed[0] = 1.0;
            double[] loss = new double[stride];
            for (int i = 0; i < n; i++) {
                ws.resetRecordedBytes();
                setup.circuit.lossAndGradient(ws, setup.data.get(i), seed, 0, loss, 0);
                bytes += ws.recordedBytes();
            }
        }
        return Math.round((double) bytes / n);
    }

    private ObjectNode heap(Setup base, int th) throws IOException {
        Options.Data data = new Options.Data();
        data.seed = 42;
        Setup setup = Setup.resolve(data, heapSteps);
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
                long u = used;
                long a = afterGc;
                peakUsed.accumulateAndGet(u, Math::max);
                peakAfterGc.accumulateAndGet(a, Math::max);
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
        try (Progress bar = new Progress(err(), "sketching for the heap measurement", heapDirections, "directions")) {
            new Sketcher<>(setup.circuit, setup.data, setup.schedule).degree(3).directions(heapDirections).seed(42)
                    .threads(th).initialParameters(setup.init).progress(bar).run(dir);
        } finally {
            running.set(false);
            try {
                sampler.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        ObjectNode h = Json.object();
        h.put("directions", heapDirections);
        h.put("steps", heapSteps);
        h.put("threads", th);
        Json.put(h, "seconds", seconds);
        h.put("peakHeapUsedBytes", peakUsed.get());
        h.put("peakHeapAfterGcBytes", peakAfterGc.get());
        Json.put(h, "coreUtilization", cpu / (seconds * Runtime.getRuntime().availableProcessors()));
        return h;
    }

    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }
}
