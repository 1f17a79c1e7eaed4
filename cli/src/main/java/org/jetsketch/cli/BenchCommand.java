package org.jetsketch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.jetsketch.bench.HandWrittenMicroGpt;
import org.jetsketch.bench.HandWrittenMlp;
import org.jetsketch.circuit.CompiledCircuit;
import org.jetsketch.circuit.JetWorkspace;
import org.jetsketch.circuit.RealWorkspace;
import org.jetsketch.circuits.Mlp;
import org.jetsketch.circuits.Mlp_Circuit;
import org.jetsketch.circuits.Sample;
import org.jetsketch.jet.Jets;
import org.jetsketch.jet.Simd;
import org.jetsketch.microgpt.Doc;
import org.jetsketch.sketch.Sketcher;
import org.jetsketch.train.Dataset;
import org.jetsketch.train.JetTrainer;
import org.jetsketch.train.Schedule;
import org.jetsketch.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
        header = "Benchmark: hand-written, ordinary and jet step times, recorded memory, heap while sketching.",
        sortOptions = false,
        description = {"Times training steps on this machine. microgpt: the hand-written reference step (plain "
            + "Java, module benchmarks) and the generated ordinary step alternating, over the same training names, "
            + "after --warmup steps of each; then the jet step at each --degrees with the default directions per "
            + "pass (or --per-pass), per direction. The MLP of circuit-tests (16 inputs, 32 tanh units, 4 classes, "
            + "Adam, mini-batches of 8 of 64 examples) likewise: its hand-written step against the generated one, "
            + "and its jet step at each --mlp-degrees. Each of these measurements runs in a JVM of its own (the "
            + "same class path and JVM options), so that one measurement's JIT profile does not slow the next; "
            + "medians over --repeats timed runs, ratios, and the bytes each step records for its reverse sweep. "
            + "Then sketches --heap-directions directions at degree 3 and reports the heap used and the share of "
            + "the cores kept busy."})
final class BenchCommand extends BaseCommand {
    /** The MLP of circuit-tests as timed here (the sizes and data of benchmarks' CircuitStepBenchmark). */
    static final int MLP_INPUTS = 16;
    static final int MLP_HIDDEN = 32;
    static final int MLP_CLASSES = 4;
    static final int MLP_EXAMPLES = 64;
    static final int MLP_BATCH = 8;

    /** What one JVM measures; {@code ALL} runs the others, each in a child JVM unless --no-fork. */
    enum Part { ALL, ORDINARY, JET, MLP_ORDINARY, MLP_JET }

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
            description = "Jet degrees to time on microgpt. Default: ${DEFAULT-VALUE}.")
    int[] degrees;

    @Option(names = "--mlp-degrees", paramLabel = "LIST", defaultValue = "3", split = ",",
            description = "Jet degrees to time on the MLP. Default: ${DEFAULT-VALUE}.")
    int[] mlpDegrees;

    @Option(names = "--mlp", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Time the MLP of circuit-tests too (--no-mlp: only microgpt). Default: ${DEFAULT-VALUE}.")
    boolean mlp;

    @Option(names = "--per-pass", paramLabel = "B", defaultValue = "0",
            description = "Directions per jet pass (0: the default for each degree, as sketching uses). "
                + "Default: ${DEFAULT-VALUE}.")
    int perPass;

    @Option(names = "--fork", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Run each timing in a JVM of its own (--no-fork: all in this one, where each measurement "
                + "inherits the JIT profile of those before it). Default: ${DEFAULT-VALUE}.")
    boolean fork;

    @Option(names = "--heap-directions", paramLabel = "M", defaultValue = "8",
            description = "Directions to sketch for the heap measurement (0: skip). Default: ${DEFAULT-VALUE}.")
    int heapDirections;

    @Option(names = "--heap-steps", paramLabel = "N", defaultValue = "1000",
            description = "Training steps of that sketch. Default: ${DEFAULT-VALUE}.")
    int heapSteps;

    /** Internal: the measurement a child JVM makes (its JSON on stdout); the parent passes it. */
    @Option(names = "--part", hidden = true, defaultValue = "ALL")
    Part part;

    @Mixin Options.Threads threads;
    @Mixin Options.JsonOutput json;

    @Override
    int execute() throws Exception {
        positive("--repeats", repeats);
        positive("--ordinary-steps", ordinarySteps);
        positive("--jet-steps", jetSteps);
        if (warmup < 0) throw new CliException("--warmup must be >= 0, got " + warmup);
        if (perPass < 0) throw new CliException("--per-pass must be >= 1 (or 0: the default), got " + perPass);
        for (int k : degrees) if (k < 0) throw new UsageException("--degrees: " + k + " is negative");
        for (int k : mlpDegrees) if (k < 0) throw new UsageException("--mlp-degrees: " + k + " is negative");
        if (part != Part.ALL) {
            printJson(measure(part, part == Part.JET || part == Part.MLP_JET ? degrees[0] : -1));
            return 0;
        }
        int th = threads(threads.threads);
        PrintWriter o = out();
        ObjectNode r = Json.object();
        r.put("command", "bench");
        r.put("cores", Runtime.getRuntime().availableProcessors());
        r.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        r.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        r.put("jetKernels", Simd.describe());
        r.put("jvmPerMeasurement", fork);
        if (!json.json) {
            o.printf(Locale.ROOT, "benchmark: %d cores, %s, max heap %.0f MB%n  jet kernels: %s%n  %s%n",
                    Runtime.getRuntime().availableProcessors(), r.get("java").asText(),
                    Runtime.getRuntime().maxMemory() / 1e6, Simd.describe(),
                    fork ? "each measurement in a JVM of its own" : "every measurement in this JVM");
            o.flush();
        }

        ObjectNode scalar = run(Part.ORDINARY, -1);
        double hand = scalar.get("handWrittenStepMs").asDouble(), ordinary = scalar.get("ordinaryStepMs").asDouble();
        r.put("parameters", scalar.get("parameters").asInt());
        Json.put(r, "handWrittenStepMs", hand);
        Json.put(r, "ordinaryStepMs", ordinary);
        Json.put(r, "ordinaryOverHandWritten", ordinary / hand);
        double handCpu = scalar.get("handWrittenStepCpuMs").asDouble(Double.NaN);
        double ordinaryCpu = scalar.get("ordinaryStepCpuMs").asDouble(Double.NaN);
        Json.put(r, "handWrittenStepCpuMs", handCpu);
        Json.put(r, "ordinaryStepCpuMs", ordinaryCpu);
        Json.put(r, "ordinaryCpuOverHandWrittenCpu", ordinaryCpu / handCpu);
        r.put("ordinaryRecordedBytesPerStep", scalar.get("ordinaryRecordedBytesPerStep").asLong());
        Json.put(r, "handWrittenLargestDifference", scalar.get("handWrittenLargestDifference").asDouble());
        if (!json.json) {
            o.printf(Locale.ROOT, "microgpt: P = %d, %d training names%n", scalar.get("parameters").asInt(), steps);
            printScalar(o, "", scalar);
        }
        ArrayNode jets = r.putArray("jet");
        for (int k : degrees) {
            ObjectNode j = ratios(run(Part.JET, k), hand, ordinary, handCpu);
            jets.add(j);
            if (!json.json) printJet(o, "", j);
        }
        if (mlp) {
            ObjectNode m = run(Part.MLP_ORDINARY, -1);
            double mHand = m.get("handWrittenStepMs").asDouble(), mOrdinary = m.get("ordinaryStepMs").asDouble();
            Json.put(m, "ordinaryOverHandWritten", mOrdinary / mHand);
            double mHandCpu = m.get("handWrittenStepCpuMs").asDouble(Double.NaN);
            Json.put(m, "ordinaryCpuOverHandWrittenCpu", m.get("ordinaryStepCpuMs").asDouble(Double.NaN) / mHandCpu);
            if (!json.json) {
                o.printf(Locale.ROOT, "MLP of circuit-tests: P = %d, %d inputs, %d tanh units, %d classes, Adam, "
                        + "mini-batches of %d of %d examples%n", m.get("parameters").asInt(), MLP_INPUTS, MLP_HIDDEN,
                        MLP_CLASSES, MLP_BATCH, MLP_EXAMPLES);
                printScalar(o, "", m);
            }
            ArrayNode mJets = m.putArray("jet");
            for (int k : mlpDegrees) {
                ObjectNode j = ratios(run(Part.MLP_JET, k), mHand, mOrdinary, mHandCpu);
                mJets.add(j);
                if (!json.json) printJet(o, "", j);
            }
            r.set("mlp", m);
        }
        if (heapDirections > 0) {
            ObjectNode h = heap(th);
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

    private void printScalar(PrintWriter o, String indent, ObjectNode s) {
        double hand = s.get("handWrittenStepMs").asDouble(), ordinary = s.get("ordinaryStepMs").asDouble();
        o.printf(Locale.ROOT, "%s  hand-written step:    %9.4f ms (median of %d runs of %d steps, after %d warm-up steps)%n",
                indent, hand, repeats, ordinarySteps, warmup);
        o.printf(Locale.ROOT, "%s  ordinary step:        %9.4f ms = %.2f x hand-written (same steps, alternating; "
                + "largest parameter difference afterwards %.1e); recorded %.1f kB per step%n", indent, ordinary,
                ordinary / hand, s.get("handWrittenLargestDifference").asDouble(),
                s.get("ordinaryRecordedBytesPerStep").asLong() / 1e3);
        o.printf(Locale.ROOT, "%s  thread CPU time:      %9.4f ms hand-written, %.4f ms ordinary = %.2f x%n", indent,
                s.get("handWrittenStepCpuMs").asDouble(Double.NaN), s.get("ordinaryStepCpuMs").asDouble(Double.NaN),
                s.get("ordinaryStepCpuMs").asDouble(Double.NaN) / s.get("handWrittenStepCpuMs").asDouble(Double.NaN));
        o.flush();
    }

    private static void printJet(PrintWriter o, String indent, ObjectNode j) {
        o.printf(Locale.ROOT, "%s  jet step, degree %-3d %9.4f ms per direction (%d per pass; median of %d runs of %d steps)"
                + " = %6.1f x hand-written, %6.1f x ordinary (thread CPU time: %.1f x hand-written); recorded %.2f MB"
                + " per step%n", indent, j.get("degree").asInt(),
                j.get("perDirectionStepMs").asDouble(), j.get("directionsPerPass").asInt(), j.get("repeats").asInt(),
                j.get("steps").asInt(), j.get("perDirectionOverHandWritten").asDouble(),
                j.get("perDirectionOverOrdinary").asDouble(), j.get("perDirectionCpuOverHandWrittenCpu").asDouble(Double.NaN),
                j.get("recordedBytesPerStep").asLong() / 1e6);
        o.flush();
    }

    /** Adds the per-direction ratios to a jet measurement (wall time, and thread CPU time). */
    private static ObjectNode ratios(ObjectNode j, double hand, double ordinary, double handCpu) {
        double perDirection = j.get("perDirectionStepMs").asDouble();
        Json.put(j, "perDirectionOverHandWritten", perDirection / hand);
        Json.put(j, "perDirectionOverOrdinary", perDirection / ordinary);
        Json.put(j, "perDirectionCpuOverHandWrittenCpu", j.get("perDirectionStepCpuMs").asDouble(Double.NaN) / handCpu);
        return j;
    }

    // ------------------------------------------------------------------ one JVM per measurement

    /** The measurement {@code p} (at degree k for the jet parts), in a child JVM unless --no-fork. */
    private ObjectNode run(Part p, int k) throws IOException, InterruptedException {
        if (!fork) return measure(p, k);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(childJvmOptions(ManagementFactory.getRuntimeMXBean().getInputArguments()));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.add("bench");
        command.add("--part=" + p.name());
        for (String[] option : new String[][] {{"--steps", "" + steps}, {"--warmup", "" + warmup},
                {"--repeats", "" + repeats}, {"--ordinary-steps", "" + ordinarySteps}, {"--jet-steps", "" + jetSteps},
                {"--per-pass", "" + perPass}, {"--degrees", "" + Math.max(k, 0)}}) {
            command.add(option[0] + "=" + option[1]);
        }
        command.add("--json");
        Process child = new ProcessBuilder(command).start();
        try {
            child.getOutputStream().close(); // the child reads nothing
            // stderr on a thread of its own, so that neither pipe can fill up and block the child
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            Thread drain = new Thread(() -> {
                try (InputStream in = child.getErrorStream()) {
                    in.transferTo(stderr);
                } catch (IOException e) {
                    // the child is gone; its exit code tells what happened
                }
            }, "jetsketch-bench-stderr");
            drain.start();
            String stdout;
            try (InputStream in = child.getInputStream()) {
                stdout = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            int code = child.waitFor();
            drain.join();
            if (code != 0) {
                throw new CliException("bench: the JVM measuring " + describe(p, k) + " exited with " + code + ":"
                        + System.lineSeparator() + stderr.toString(StandardCharsets.UTF_8).strip());
            }
            JsonNode node = Json.MAPPER.readTree(stdout);
            if (!(node instanceof ObjectNode result)) {
                throw new CliException("bench: the JVM measuring " + describe(p, k) + " printed no JSON object: " + stdout);
            }
            return result;
        } finally {
            child.destroyForcibly();
        }
    }

    private static String describe(Part p, int k) {
        return switch (p) {
            case ORDINARY -> "the microgpt ordinary step";
            case JET -> "the microgpt jet step at degree " + k;
            case MLP_ORDINARY -> "the MLP ordinary step";
            case MLP_JET -> "the MLP jet step at degree " + k;
            case ALL -> "everything";
        };
    }

    /**
     * The options of this JVM that a child measuring JVM needs too (modules, heap, system properties,
     * -XX flags), without those that must not be repeated: debugger and profiling agents, and a
     * flight recording (which would write the same file).
     */
    static List<String> childJvmOptions(List<String> input) {
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < input.size(); i++) {
            String a = input.get(i);
            boolean pair = a.equals("--add-modules") || a.equals("--add-opens") || a.equals("--add-exports");
            if (pair) {
                if (i + 1 < input.size()) {
                    kept.add(a);
                    kept.add(input.get(++i));
                }
            } else if (a.startsWith("--add-") || a.startsWith("-D") || a.startsWith("-Xm") || a.startsWith("-Xs")
                    || (a.startsWith("-XX:") && !a.contains("FlightRecord"))) {
                kept.add(a);
            }
        }
        return kept;
    }

    /** The measurement {@code p} in this JVM, as a JSON object. */
    private ObjectNode measure(Part p, int k) {
        return switch (p) {
            case ORDINARY -> microGptScalar();
            case JET -> microGptJet(k);
            case MLP_ORDINARY -> mlpScalar();
            case MLP_JET -> mlpJet(k);
            case ALL -> throw new IllegalStateException("ALL is not one measurement");
        };
    }

    private Setup microGpt() {
        Options.Data data = new Options.Data();
        data.seed = 42;
        Setup setup = Setup.resolve(data, steps);
        setup.microgpt(name());
        return setup;
    }

    private ObjectNode microGptScalar() {
        Setup setup = microGpt();
        int n = setup.n();
        HandWrittenMicroGpt hand = new HandWrittenMicroGpt(setup.microgpt("bench").vocabulary().size());
        int[][] tokens = new int[n][];
        for (int i = 0; i < n; i++) tokens[i] = ((Doc) setup.data.get(i)).tokens();
        int params = setup.parameters();
        double[] thetaH = setup.init.clone(), gradH = new double[params], mH = new double[params], vH = new double[params];
        Trainer<Object> trainer = setup.trainer();
        double[] thetaG = setup.init.clone(), gradG = new double[params];
        double[][] stateG = new double[setup.circuit.stateArrays()][params];
        int[] next = {0, 0};
        // step s trains on name s mod n, so both take the same branches; each has its own Adam state
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
        ObjectNode r = alternate(handRun, ordinaryRun, thetaH, thetaG);
        r.put("parameters", params);
        r.put("ordinaryRecordedBytesPerStep", realRecordedBytes(setup.circuit, setup.data, setup.init));
        return r;
    }

    private ObjectNode microGptJet(int k) {
        Setup setup = microGpt();
        int n = setup.n();
        int b = perPass > 0 ? perPass : Sketcher.defaultDirectionsPerPass(k, Integer.MAX_VALUE, 1);
        int s = k >= 50 ? Math.min(3, jetSteps) : jetSteps;
        int rep = k >= 50 ? Math.min(3, repeats) : repeats;
        double[] times = new double[rep], cpu = new double[rep];
        for (int q = -1; q < rep; q++) { // q = -1 is the warm-up
            int[] order = new int[s];
            for (int i = 0; i < s; i++) order[i] = ((q + 1) * s + i) % n;
            Timing t = jetTiming(new JetTrainer<>(setup.circuit, setup.data, Schedule.inOrder(n, order), k, b),
                    setup.init, n, b);
            if (q >= 0) {
                times[q] = t.wall() / s;
                cpu[q] = t.cpu() / s;
            }
        }
        return jetResult(k, b, s, rep, median(times), median(cpu),
                jetRecordedBytes(setup.circuit, setup.data, setup.init, k, b));
    }

    /** The MLP's data: 64 examples of 16 standard normal inputs and a uniform label of 4 (seed 1). */
    private static List<Sample> mlpData() {
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

    private ObjectNode mlpScalar() {
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
        Runnable handRun = () -> {
            for (int i = 0; i < ordinarySteps; i++, next[0]++) {
                int s = next[0] % steps;
                hand.step(thetaH, x, labels, batches[s], null, gradH, mH, vH, s, steps);
            }
        };
        Runnable ordinaryRun = () -> {
            for (int i = 0; i < ordinarySteps; i++, next[1]++) {
                int s = next[1] % steps;
                trainer.gradient(thetaG, null, s, gradG);
                trainer.update(thetaG, gradG, stateG, s);
            }
        };
        ObjectNode r = alternate(handRun, ordinaryRun, thetaH, thetaG);
        r.put("parameters", params);
        r.put("batch", MLP_BATCH);
        r.put("examples", MLP_EXAMPLES);
        r.put("ordinaryRecordedBytesPerStep", realRecordedBytes(circuit, Dataset.of(samples), init));
        return r;
    }

    private ObjectNode mlpJet(int k) {
        List<Sample> samples = mlpData();
        Mlp_Circuit circuit = mlpCircuit();
        Dataset<Sample> data = Dataset.of(samples);
        double[] init = circuit.initialParameters();
        int b = perPass > 0 ? perPass : Sketcher.defaultDirectionsPerPass(k, Integer.MAX_VALUE, 1);
        int epochs = (jetSteps + MLP_EXAMPLES / MLP_BATCH - 1) / (MLP_EXAMPLES / MLP_BATCH);
        int rep = k >= 50 ? Math.min(3, repeats) : repeats;
        double[] times = new double[rep], cpu = new double[rep];
        int s = 0;
        for (int q = -1; q < rep; q++) {
            Schedule schedule = Schedule.miniBatches(MLP_EXAMPLES, MLP_BATCH, epochs, 2 + q + 1);
            s = schedule.steps();
            Timing t = jetTiming(new JetTrainer<>(circuit, data, schedule, k, b), init, MLP_EXAMPLES, b);
            if (q >= 0) {
                times[q] = t.wall() / s;
                cpu[q] = t.cpu() / s;
            }
        }
        return jetResult(k, b, s, rep, median(times), median(cpu), jetRecordedBytes(circuit, data, init, k, b));
    }

    private static ObjectNode jetResult(int k, int b, int s, int rep, double seconds, double cpuSeconds, long recorded) {
        ObjectNode j = Json.object();
        j.put("degree", k);
        j.put("directionsPerPass", b);
        j.put("steps", s);
        j.put("repeats", rep);
        Json.put(j, "stepMs", seconds * 1e3);
        Json.put(j, "perDirectionStepMs", seconds / b * 1e3);
        Json.put(j, "perDirectionStepCpuMs", cpuSeconds / b * 1e3);
        j.put("recordedBytesPerStep", recorded);
        return j;
    }

    /**
     * Times a hand-written and a generated step alternating, in runs of --ordinary-steps, after
     * --warmup steps of each; both start from the same parameters and compute the same numbers,
     * checked at the end (largest parameter difference).
     */
    private ObjectNode alternate(Runnable handRun, Runnable ordinaryRun, double[] thetaH, double[] thetaG) {
        for (int w = 0; w < warmup; w += ordinarySteps) {
            handRun.run();
            ordinaryRun.run();
        }
        double[] handTimes = new double[repeats], handCpu = new double[repeats];
        double[] ordinaryTimes = new double[repeats], ordinaryCpu = new double[repeats];
        for (int rep = 0; rep < repeats; rep++) {
            long c0 = cpuNanos(), t0 = System.nanoTime();
            handRun.run();
            long c1 = cpuNanos(), t1 = System.nanoTime();
            ordinaryRun.run();
            long c2 = cpuNanos(), t2 = System.nanoTime();
            handTimes[rep] = (t1 - t0) / 1e9 / ordinarySteps;
            ordinaryTimes[rep] = (t2 - t1) / 1e9 / ordinarySteps;
            handCpu[rep] = cpuSeconds(c0, c1) / ordinarySteps;
            ordinaryCpu[rep] = cpuSeconds(c1, c2) / ordinarySteps;
        }
        double difference = 0;
        for (int p = 0; p < thetaH.length; p++) difference = Math.max(difference, Math.abs(thetaH[p] - thetaG[p]));
        ObjectNode r = Json.object();
        Json.put(r, "handWrittenStepMs", median(handTimes) * 1e3);
        Json.put(r, "ordinaryStepMs", median(ordinaryTimes) * 1e3);
        Json.put(r, "handWrittenStepCpuMs", median(handCpu) * 1e3);
        Json.put(r, "ordinaryStepCpuMs", median(ordinaryCpu) * 1e3);
        Json.put(r, "handWrittenLargestDifference", difference);
        return r;
    }

    /** Wall and thread CPU seconds (NaN where the JVM cannot tell). */
    record Timing(double wall, double cpu) {}

    /**
     * This thread's CPU time in nanoseconds, −1 if the JVM cannot measure it. Reported beside the
     * wall time because on a shared machine the wall time also counts the time other processes
     * held the core (the ratios of CPU times are the steadier figures there).
     */
    private static long cpuNanos() {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        return mx.isCurrentThreadCpuTimeSupported() ? mx.getCurrentThreadCpuTime() : -1;
    }

    private static double cpuSeconds(long from, long to) {
        return from < 0 || to < 0 ? Double.NaN : (to - from) / 1e9;
    }

    /** Wall and CPU seconds of one jet training (one pass of b directions, in this thread) along random directions. */
    private static <E> Timing jetTiming(JetTrainer<E> trainer, double[] init, int n, int b) {
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
        return new Timing((t1 - t0) / 1e9, cpuSeconds(c0, c1));
    }

    /**
     * Bytes the generated code records for the reverse sweep of one example's loss, averaged over
     * the examples: the high-water mark of the workspace's stacks while one example's loss is swept
     * forward and back (what Trainer.recordedBytesPerStep() reports as a maximum), on doubles.
     */
    private static <E> long realRecordedBytes(CompiledCircuit<E> circuit, Dataset<E> data, double[] init) {
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
    private static <E> long jetRecordedBytes(CompiledCircuit<E> circuit, Dataset<E> data, double[] init, int k, int b) {
        long bytes = 0;
        int n = data.size();
        Jets kernels = new Jets(k, b);
        int stride = kernels.stride();
        JetWorkspace ws = circuit.newJetWorkspace(kernels);
        double[] theta = new double[init.length * stride];
        for (int p = 0; p < init.length; p++) kernels.constant(init[p], theta, p * stride);
        ws.loadParameters(theta);
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

    private ObjectNode heap(int th) throws IOException {
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
