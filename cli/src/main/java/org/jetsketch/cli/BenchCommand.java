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
import org.jetsketch.microgpt.Doc;
import org.jetsketch.sketch.Sketcher;
import org.jetsketch.train.JetTrainer;
import org.jetsketch.train.Schedule;
import org.jetsketch.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
        header = "Benchmark: ordinary and jet step times, heap while sketching.", sortOptions = false,
        description = {"Times microgpt training steps on this machine: the ordinary step and the jet step at "
            + "each --degrees (one complex direction), as medians over --repeats timed runs after a warm-up, "
            + "and the ratio jet/ordinary; then sketches --heap-directions directions at degree 3 and reports "
            + "the heap used and the share of the cores kept busy."})
final class BenchCommand extends BaseCommand {

    @Option(names = "--steps", paramLabel = "N", defaultValue = "1000",
            description = "Training names available (steps cycle through them). Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--repeats", paramLabel = "R", defaultValue = "7",
            description = "Timed runs per measurement; the median is reported. Default: ${DEFAULT-VALUE}.")
    int repeats;

    @Option(names = "--ordinary-steps", paramLabel = "S", defaultValue = "200",
            description = "Steps per timed ordinary run. Default: ${DEFAULT-VALUE}.")
    int ordinarySteps;

    @Option(names = "--jet-steps", paramLabel = "S", defaultValue = "40",
            description = "Steps per timed jet run (degrees >= 50 use at most 3). Default: ${DEFAULT-VALUE}.")
    int jetSteps;

    @Option(names = "--degrees", paramLabel = "LIST", defaultValue = "3,6,100", split = ",",
            description = "Jet degrees to time. Default: ${DEFAULT-VALUE}.")
    int[] degrees;

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
        int th = threads(threads.threads);
        Options.Data data = new Options.Data();
        data.seed = 42;
        Setup setup = Setup.resolve(data, steps, 1000);
        PrintWriter o = out();
        ObjectNode r = Json.object();
        r.put("command", "bench");
        r.put("cores", Runtime.getRuntime().availableProcessors());
        r.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        r.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        if (!json.json) {
            o.printf(Locale.ROOT, "microgpt benchmark: P = %d, %d cores, %s, max heap %.0f MB%n", setup.parameters(),
                    Runtime.getRuntime().availableProcessors(), r.get("java").asText(),
                    Runtime.getRuntime().maxMemory() / 1e6);
            o.flush();
        }

        double ordinary = ordinaryStep(setup);
        Json.put(r, "ordinaryStepMs", ordinary * 1e3);
        if (!json.json) {
            o.printf(Locale.ROOT, "  ordinary step:        %9.3f ms (median of %d runs of %d steps)%n", ordinary * 1e3,
                    repeats, ordinarySteps);
            o.flush();
        }
        ArrayNode jets = r.putArray("jet");
        for (int k : degrees) {
            if (k < 0) throw new CliException("--degrees: " + k + " is negative");
            int s = k >= 50 ? Math.min(3, jetSteps) : jetSteps;
            int rep = k >= 50 ? Math.min(3, repeats) : repeats;
            double jet = jetStep(setup, k, s, rep);
            ObjectNode j = jets.addObject();
            j.put("degree", k);
            j.put("steps", s);
            j.put("repeats", rep);
            Json.put(j, "stepMs", jet * 1e3);
            Json.put(j, "ratio", jet / ordinary);
            if (!json.json) {
                o.printf(Locale.ROOT, "  jet step, degree %-3d %9.3f ms (median of %d runs of %d steps) = %6.1f x ordinary%n",
                        k, jet * 1e3, rep, s, jet / ordinary);
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

    /** Median seconds per ordinary step. */
    private double ordinaryStep(Setup setup) {
        Trainer<Doc> trainer = setup.trainer();
        int n = setup.n();
        double[] theta = setup.init.clone();
        double[][] state = new double[setup.circuit.stateArrays()][theta.length];
        double[] grad = new double[theta.length];
        int s = 0;
        for (int w = 0; w < 3 * ordinarySteps; w++, s++) {
            trainer.gradient(theta, null, s % n, grad);
            trainer.update(theta, grad, state, s % n);
        }
        double[] times = new double[repeats];
        for (int rep = 0; rep < repeats; rep++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < ordinarySteps; i++, s++) {
                trainer.gradient(theta, null, s % n, grad);
                trainer.update(theta, grad, state, s % n);
            }
            times[rep] = (System.nanoTime() - t0) / 1e9 / ordinarySteps;
        }
        return median(times);
    }

    /** Median seconds per jet step at degree k with one complex direction. */
    private double jetStep(Setup setup, int k, int s, int rep) {
        int n = setup.n();
        Random rng = new Random(1);
        double[] re = new double[n];
        double[] im = new double[n];
        for (int i = 0; i < n; i++) {
            re[i] = rng.nextGaussian() / Math.sqrt(2.0 * n);
            im[i] = rng.nextGaussian() / Math.sqrt(2.0 * n);
        }
        double[] times = new double[rep];
        for (int q = -1; q < rep; q++) {
            int[] order = new int[s];
            for (int i = 0; i < s; i++) order[i] = ((q + 1) * s + i) % n;
            JetTrainer<Doc> trainer = new JetTrainer<>(setup.circuit, setup.data, Schedule.inOrder(n, order), k, 1);
            long t0 = System.nanoTime();
            trainer.train(setup.init, null, re, im);
            double sec = (System.nanoTime() - t0) / 1e9 / s;
            if (q >= 0) times[q] = sec; // q = -1 is the warm-up
        }
        return median(times);
    }

    private ObjectNode heap(Setup base, int th) throws IOException {
        Options.Data data = new Options.Data();
        data.seed = 42;
        Setup setup = Setup.resolve(data, heapSteps, heapSteps);
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
