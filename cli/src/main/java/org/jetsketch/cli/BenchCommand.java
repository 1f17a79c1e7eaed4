package org.jetsketch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jetsketch.bench.StepBenchmark;
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
        r.put("jetKernels", StepBenchmark.jetKernels());
        r.put("jvmPerMeasurement", fork);
        if (!json.json) {
            o.printf(Locale.ROOT, "benchmark: %d cores, %s, max heap %.0f MB%n  jet kernels: %s%n  %s%n",
                    Runtime.getRuntime().availableProcessors(), r.get("java").asText(),
                    Runtime.getRuntime().maxMemory() / 1e6, StepBenchmark.jetKernels(),
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
                        + "mini-batches of %d of %d examples%n", m.get("parameters").asInt(), StepBenchmark.MLP_INPUTS,
                        StepBenchmark.MLP_HIDDEN, StepBenchmark.MLP_CLASSES, StepBenchmark.MLP_BATCH, StepBenchmark.MLP_EXAMPLES);
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
        StepBenchmark.Settings settings = new StepBenchmark.Settings(warmup, repeats, ordinarySteps, jetSteps, perPass);
        return switch (p) {
            case ORDINARY -> scalarJson(StepBenchmark.microGptScalar(settings, steps), false);
            case JET -> jetJson(StepBenchmark.microGptJet(settings, steps, k));
            case MLP_ORDINARY -> scalarJson(StepBenchmark.mlpScalar(settings), true);
            case MLP_JET -> jetJson(StepBenchmark.mlpJet(settings, k));
            case ALL -> throw new IllegalStateException("ALL is not one measurement");
        };
    }

    private static ObjectNode scalarJson(StepBenchmark.ScalarTiming t, boolean mlp) {
        ObjectNode r = Json.object();
        Json.put(r, "handWrittenStepMs", t.handWrittenStepMs());
        Json.put(r, "ordinaryStepMs", t.ordinaryStepMs());
        Json.put(r, "handWrittenStepCpuMs", t.handWrittenStepCpuMs());
        Json.put(r, "ordinaryStepCpuMs", t.ordinaryStepCpuMs());
        Json.put(r, "handWrittenLargestDifference", t.handWrittenLargestDifference());
        r.put("parameters", t.parameters());
        if (mlp) {
            r.put("batch", StepBenchmark.MLP_BATCH);
            r.put("examples", StepBenchmark.MLP_EXAMPLES);
        }
        r.put("ordinaryRecordedBytesPerStep", t.ordinaryRecordedBytesPerStep());
        return r;
    }

    private static ObjectNode jetJson(StepBenchmark.JetTiming t) {
        ObjectNode j = Json.object();
        j.put("degree", t.degree());
        j.put("directionsPerPass", t.directionsPerPass());
        j.put("steps", t.steps());
        j.put("repeats", t.repeats());
        Json.put(j, "stepMs", t.stepMs());
        Json.put(j, "perDirectionStepMs", t.perDirectionStepMs());
        Json.put(j, "perDirectionStepCpuMs", t.perDirectionStepCpuMs());
        j.put("recordedBytesPerStep", t.recordedBytesPerStep());
        return j;
    }

    private ObjectNode heap(int th) throws IOException {
        StepBenchmark.HeapUse h;
        try (Progress bar = new Progress(err(), "sketching for the heap measurement", heapDirections, "directions")) {
            h = StepBenchmark.sketchHeap(heapSteps, heapDirections, th, bar);
        }
        ObjectNode o = Json.object();
        o.put("directions", h.directions());
        o.put("steps", heapSteps);
        o.put("threads", h.threads());
        Json.put(o, "seconds", h.seconds());
        o.put("peakHeapUsedBytes", h.peakHeapUsedBytes());
        o.put("peakHeapAfterGcBytes", h.peakHeapAfterGcBytes());
        Json.put(o, "coreUtilization", h.coreUtilization());
        return o;
    }
}
