package org.jetsketch.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.jetsketch.bench.StepBenchmark;
import org.jetsketch.microgpt.Doc;
import org.jetsketch.sketch.Sketcher;
import org.jetsketch.spark.SparkContexts;
import org.jetsketch.spark.SparkSketcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "spark-bench", mixinStandardHelpOptions = true,
        header = "Benchmark: sketching with the local Sketcher against Spark local masters.", sortOptions = false,
        description = {"Sketches the same microgpt run (--directions, --degree, --steps) with the local Sketcher on "
            + "2 threads, on Spark local[2] and on Spark local[1], --repeats times each (interleaved), into fresh "
            + "directories, and reports the medians, Spark's overhead over the local Sketcher at equal cores, the "
            + "speed-up of local[2] over local[1] and the time per direction on one core. Each Spark run is timed "
            + "from the sketcher's start to its end; starting the Spark context is reported apart. The process's CPU "
            + "time of every run is reported too: unlike wall time it stays meaningful on a busy machine. Checks "
            + "that every store is byte-identical to the local one."})
final class SparkBenchCommand extends BaseCommand {

    @Option(names = "--steps", paramLabel = "N", defaultValue = "1000", description = "Training steps. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--degree", paramLabel = "K", defaultValue = "3", description = "Jet degree. Default: ${DEFAULT-VALUE}.")
    int degree;

    @Option(names = "--directions", paramLabel = "M", defaultValue = "16",
            description = "Directions per run. Default: ${DEFAULT-VALUE}.")
    int directions;

    @Option(names = "--repeats", paramLabel = "R", defaultValue = "3",
            description = "Timed runs per configuration; the median is reported. Default: ${DEFAULT-VALUE}.")
    int repeats;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/spark-bench",
            description = "Scratch directory for the stores (emptied first). Default: ${DEFAULT-VALUE}.")
    Path out;

    @Mixin Options.JsonOutput json;

    @Override
    int execute() throws Exception {
        positive("--steps", steps);
        positive("--degree", degree);
        positive("--directions", directions);
        positive("--repeats", repeats);
        Options.Data data = new Options.Data();
        data.seed = 42;
        Setup setup = Setup.resolve(data, steps);
        deleteTree(out);
        PrintWriter err = err();
        err.println("warm-up: 2 directions on 2 threads, then on Spark local[2] (class loading, JIT)");
        local(setup, out.resolve("warm-up"), 2, 2);
        try (JavaSparkContext sc = SparkContexts.start("local[2]", "jetsketch spark-bench warm-up")) {
            new SparkSketcher<>(sc, setup.recipe()).degree(degree).directions(2).seed(setup.seed)
                    .dataDigest(setup.dataDigest()).initialParameters(setup.init)
                    .run(out.resolve("warm-up-spark").toAbsolutePath().toUri().toString());
        }
        Path reference = out.resolve("reference");
        double[] local2 = new double[repeats];
        double[] spark2 = new double[repeats];
        double[] spark1 = new double[repeats];
        double[] start2 = new double[repeats];
        double[] start1 = new double[repeats];
        double[] cpuLocal2 = new double[repeats];
        double[] cpuSpark2 = new double[repeats];
        double[] cpuSpark1 = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            Path l = r == 0 ? reference : out.resolve("local-" + r);
            double c0 = cpuSeconds();
            local2[r] = local(setup, l, directions, 2);
            cpuLocal2[r] = cpuSeconds() - c0;
            err.printf(Locale.ROOT, "run %d: local Sketcher, 2 threads: %.2f s (CPU %.2f s)%n", r + 1, local2[r],
                    cpuLocal2[r]);
            double[] s2 = spark(setup, out.resolve("spark2-" + r), "local[2]", reference);
            start2[r] = s2[0];
            spark2[r] = s2[1];
            cpuSpark2[r] = s2[2];
            err.printf(Locale.ROOT, "run %d: Spark local[2]: %.2f s (CPU %.2f s; context start %.2f s)%n", r + 1, s2[1],
                    s2[2], s2[0]);
            double[] s1 = spark(setup, out.resolve("spark1-" + r), "local[1]", reference);
            start1[r] = s1[0];
            spark1[r] = s1[1];
            cpuSpark1[r] = s1[2];
            err.printf(Locale.ROOT, "run %d: Spark local[1]: %.2f s (CPU %.2f s; context start %.2f s)%n", r + 1, s1[1],
                    s1[2], s1[0]);
            err.flush();
        }
        double l2 = StepBenchmark.median(local2);
        double s2 = StepBenchmark.median(spark2);
        double s1 = StepBenchmark.median(spark1);
        ObjectNode o = Json.object();
        o.put("command", "spark-bench");
        o.put("steps", steps);
        o.put("degree", degree);
        o.put("directions", directions);
        o.put("repeats", repeats);
        o.put("cores", Runtime.getRuntime().availableProcessors());
        Json.put(o, "localTwoThreadsSeconds", l2);
        Json.put(o, "sparkLocal2Seconds", s2);
        Json.put(o, "sparkLocal1Seconds", s1);
        Json.put(o, "sparkContextStartSeconds", StepBenchmark.median(start2));
        Json.put(o, "sparkOverLocal", s2 / l2);
        Json.put(o, "local1OverLocal2", s1 / s2);
        Json.put(o, "secondsPerDirectionOneCore", s1 / directions);
        double cl2 = StepBenchmark.median(cpuLocal2);
        double cs2 = StepBenchmark.median(cpuSpark2);
        Json.put(o, "cpuLocalTwoThreadsSeconds", cl2);
        Json.put(o, "cpuSparkLocal2Seconds", cs2);
        Json.put(o, "cpuSparkLocal1Seconds", StepBenchmark.median(cpuSpark1));
        Json.put(o, "cpuSparkOverLocal", cs2 / cl2);
        Json.put(o, "cpuSecondsPerDirection", cl2 / directions);
        Json.put(o, "loadAverageAtEnd", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        o.set("localTwoThreadsRuns", Json.doubles(local2));
        o.set("sparkLocal2Runs", Json.doubles(spark2));
        o.set("sparkLocal1Runs", Json.doubles(spark1));
        if (json.json) {
            printJson(o);
        } else {
            PrintWriter p = out();
            p.printf(Locale.ROOT, "microgpt, %d directions, degree %d, %d steps; medians of %d runs%n", directions, degree,
                    steps, repeats);
            p.printf(Locale.ROOT, "  local Sketcher, 2 threads: %8.2f s%n", l2);
            p.printf(Locale.ROOT, "  Spark local[2]:            %8.2f s  (%.3f x the local Sketcher)%n", s2, s2 / l2);
            p.printf(Locale.ROOT, "  Spark local[1]:            %8.2f s  (local[2] is %.2f x faster)%n", s1, s1 / s2);
            p.printf(Locale.ROOT, "  Spark context start:       %8.2f s  (once per application, not included above)%n",
                    StepBenchmark.median(start2));
            p.printf(Locale.ROOT, "  per direction, one core:   %8.2f s%n", s1 / directions);
            p.printf(Locale.ROOT, "  CPU time: local Sketcher %.2f s, Spark local[2] %.2f s (%.3f x), local[1] %.2f s;"
                    + " %.2f CPU s per direction%n", cl2, cs2, cs2 / cl2, StepBenchmark.median(cpuSpark1), cl2 / directions);
            p.printf(Locale.ROOT, "  load average at the end: %.1f on %d cores%n",
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                    Runtime.getRuntime().availableProcessors());
            p.println("  every store byte-identical to the local Sketcher's");
        }
        deleteTree(out);
        return 0;
    }

    private double local(Setup setup, Path dir, int m, int threads) throws IOException {
        long t0 = System.nanoTime();
        new Sketcher<>(setup.circuit, setup.data, setup.schedule).degree(degree).directions(m).seed(setup.seed)
                .dataDigest(setup.dataDigest()).threads(threads).initialParameters(setup.init).run(dir);
        return (System.nanoTime() - t0) / 1e9;
    }

    /** This process's CPU time so far (every thread: the sketcher's, Spark's executors', the JIT's, the GC's). */
    private static double cpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    /** {context start seconds, sketching seconds, sketching CPU seconds}; checks the store against {@code reference}. */
    private double[] spark(Setup setup, Path dir, String master, Path reference) throws IOException {
        long t0 = System.nanoTime();
        try (JavaSparkContext sc = SparkContexts.start(master, "jetsketch spark-bench")) {
            long t1 = System.nanoTime();
            double c1 = cpuSeconds();
            new SparkSketcher<>(sc, setup.recipe()).degree(degree).directions(directions).seed(setup.seed)
                    .dataDigest(setup.dataDigest())
                    .initialParameters(setup.init).run(dir.toAbsolutePath().toUri().toString());
            long t2 = System.nanoTime();
            double c2 = cpuSeconds();
            requireIdentical(reference, dir);
            return new double[] {(t1 - t0) / 1e9, (t2 - t1) / 1e9, c2 - c1};
        }
    }

    private static void requireIdentical(Path expected, Path actual) throws IOException {
        String[] a = names(expected);
        String[] b = names(actual);
        if (!Arrays.equals(a, b)) throw new IllegalStateException("Spark wrote other files: " + Arrays.toString(b));
        for (String name : a) {
            if (!Arrays.equals(Files.readAllBytes(expected.resolve(name)), Files.readAllBytes(actual.resolve(name)))) {
                throw new IllegalStateException(actual.resolve(name) + " differs from the local Sketcher's");
            }
        }
    }

    private static String[] names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
