package org.jetsketch.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.predict.CoefficientTable;
import org.jetsketch.predict.SketchTables;
import org.jetsketch.sketch.Groups;
import org.jetsketch.sketch.SketchFormat;
import org.jetsketch.sketch.StoreHeader;
import org.jetsketch.sketch.BranchSwitch;
import org.jetsketch.sketch.SketchStore;
import org.jetsketch.sketch.SketchStoreException;
import org.jetsketch.sketch.StoreLock;
import org.jetsketch.sketch.SketchResources;
import org.jetsketch.sketch.Sketcher;
import org.jetsketch.spark.MeasurementRecipe;
import org.jetsketch.spark.SparkContexts;
import org.jetsketch.train.ExactInfluence;
import org.jetsketch.study.ProblemRuns;
import org.jetsketch.study.StudyStores;
import org.jetsketch.spark.SparkSketchTables;
import org.jetsketch.spark.SparkSketcher;

/** The pieces of work the commands share: sketching, exact-direction curves, retraining. */
final class Experiments {
    private Experiments() {}

    /** t = 0, 0.1, ..., 1: the paper's retraining grid. */
    static final String DEFAULT_TS = "0,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1";

    /** The largest |t| accepted: far outside [0, 1] a truncated Taylor series is meaningless. */
    static final double MAX_ABS_T = 10;
    /** The most values a range may expand to. */
    static final int MAX_TS = 10_000;

    /**
     * Parses a comma-separated list of t values, or a range a:step:b, each within
     * [−{@value #MAX_ABS_T}, {@value #MAX_ABS_T}]; warns on {@code err} about values outside [0, 1].
     *
     * @throws UsageException if the text is not such a list or range
     */
    static double[] parseTs(String text, PrintWriter err) {
        String s = text.trim();
        double[] ts;
        if (s.contains(":")) {
            String[] p = s.split(":", -1);
            if (p.length != 3) throw new UsageException("--t " + Text.inline(text) + ": a range is a:step:b, e.g. 0:0.1:1");
            double a = number(text, p[0]);
            double step = number(text, p[1]);
            double b = number(text, p[2]);
            if (!(step > 0)) throw new UsageException("--t " + Text.inline(text) + ": the step must be positive");
            if (b < a) throw new UsageException("--t " + Text.inline(text) + ": the range is empty (b < a); write a:step:b with a <= b");
            double count = Math.floor((b - a) / step + 1e-9) + 1;
            if (!(count <= MAX_TS)) {
                throw new UsageException("--t " + Text.inline(text) + ": the range has " + String.format(Locale.ROOT, "%.3g", count)
                        + " values, more than " + MAX_TS + "; use a larger step");
            }
            ts = new double[(int) count];
            for (int i = 0; i < ts.length; i++) ts[i] = Math.round((a + i * step) * 1e12) / 1e12;
        } else {
            String[] parts = s.split("[,\\s]+");
            if (s.isEmpty() || parts.length == 0) throw new UsageException("--t: no values");
            if (parts.length > MAX_TS) throw new UsageException("--t: more than " + MAX_TS + " values");
            ts = new double[parts.length];
            for (int i = 0; i < parts.length; i++) ts[i] = number(text, parts[i]);
        }
        StringBuilder outside = new StringBuilder();
        for (double t : ts) {
            if (t < 0 || t > 1) outside.append(outside.length() == 0 ? "" : ", ").append(PredictCommand.fmt(t));
        }
        if (outside.length() > 0 && err != null) {
            err.println("warning: --t " + (outside.length() > 60 ? outside.substring(0, 60) + "..." : outside)
                    + " outside [0, 1]: t = 1 deletes D, t = 0 keeps it; t > 1 gives the examples in D negative weight"
                    + " and t < 0 more weight, where the Taylor series is an extrapolation");
            err.flush();
        }
        return ts;
    }

    /** One t value: a finite number within the bound. */
    private static double number(String text, String part) {
        double v;
        try {
            v = Double.parseDouble(part.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--t " + Text.inline(text) + ": \"" + Text.inline(part) + "\" is not a number; give a list (0,0.5,1) or a"
                    + " range a:step:b (0:0.1:1)");
        }
        if (!Double.isFinite(v) || Math.abs(v) > MAX_ABS_T) {
            throw new UsageException("--t " + Text.inline(text) + ": " + Text.inline(part) + " is outside [-" + (int) MAX_ABS_T + ", "
                    + (int) MAX_ABS_T + "] (t = 1 deletes D; the series says nothing far beyond it)");
        }
        return v;
    }

    // ------------------------------------------------------------------------ sketching

    /**
     * Makes sure {@code dir} holds sketches 0..directions-1 of {@code setup} at {@code degree}
     * (computing only the missing ones, and again any that fail verification), with a progress
     * bar, under the directory's writer lock; records the run in {@value Setup#RUN_FILE}.
     * {@code perPass} 0 means {@link Sketcher#defaultDirectionsPerPass}.
     */
    static SketchStore sketch(Setup setup, Path dir, int degree, int directions, int threads, int perPass,
            PrintWriter err, String commandLine) throws IOException {
        return sketch(setup, dir, degree, directions, threads, perPass, null, err, commandLine);
    }

    /** {@link #sketch(Setup, Path, int, int, int, int, PrintWriter, String)} with grouped directions (null: per-example). */
    static SketchStore sketch(Setup setup, Path dir, int degree, int directions, int threads, int perPass, Groups groups,
            PrintWriter err, String commandLine) throws IOException {
        BaseCommand.degree("--degree", degree);
        BaseCommand.directions("--directions", directions);
        if (perPass > Sketcher.MAX_DIRECTIONS) {
            throw new UsageException("--per-pass must be at most " + Sketcher.MAX_DIRECTIONS + ", got " + perPass);
        }
        // a pass never carries more than the m directions there are (--per-pass 1000000 with m = 16 is a pass of 16)
        int passSize = Math.min(directions, perPass > 0 ? perPass : Sketcher.defaultDirectionsPerPass(degree, directions,
                threads));
        Sketcher<Object> sketcher = new Sketcher<>(setup.circuit, setup.data, setup.schedule)
                .degree(degree)
                .directions(directions)
                .seed(setup.seed)
                .dataDigest(setup.dataDigest())
                .threads(threads)
                .directionsPerPass(passSize)
                .initialParameters(setup.init)
                .groups(groups);
        checkHeap(sketcher, degree, perPass > 0);
        checkDiskSpace(sketcher.header(), dir, directions);
        BaseCommand.checkOutput("--sketch", dir);
        try (StoreLock lock = StoreLock.acquire(dir)) {
            setup.recordRun(dir, sketcher.header(), directions, commandLine);
            boolean vectorKernels = sketcher.usesVectorKernels();
            err.println("jet kernels: " + sketcher.jetKernelsDescription());
            err.println("timing the jet step at degree " + degree + " (for the ETA)...");
            err.flush();
            int calibration = degree >= 50 ? 2 : 10;
            // cold: compiles the jet code, on the kernels the sketch runs on
            setup.runs.jetStepSeconds(degree, passSize, calibration, vectorKernels);
            double perStep = setup.runs.jetStepSeconds(degree, passSize, calibration, vectorKernels);
            double estimate = ProblemRuns.sketchSecondsEstimate(perStep, setup.n(), directions, passSize, threads);
            try (Progress bar = new Progress(err, "sketching (degree " + degree + ")", directions, "directions",
                    estimate)) {
                return sketcher.lock(lock).progress(bar).run(dir);
            } catch (SketchStoreException e) {
                throw e; // a store of another run, a damaged header: its own message says what to do
            } catch (IOException e) {
                throw stoppedWriting(dir, e);
            }
        }
    }

    /**
     * Refuses, before any file is written, a pass size whose jets do not fit the heap
     * ({@link SketchResources#heap}; a usage error when --per-pass was given, else a failed run),
     * naming the largest that fits.
     */
    static void checkHeap(Sketcher<Object> sketcher, int degree, boolean perPassGiven) {
        SketchResources.Heap h = SketchResources.heap(sketcher, SketchResources.freeHeap());
        if (h.fits()) return;
        int b = h.directionsPerPass();
        int concurrent = h.concurrentPasses();
        String what = String.format(Locale.ROOT, "a jet pass of %d direction%s at degree %d holds about %s (P = %d"
                + " parameter jets of 1 + 2kB doubles, several times over), and %d pass%s run at once: %s in all, more"
                + " than %.0f%% of the %s of heap free", b, b == 1 ? "" : "s", degree, bytes(h.passBytes()),
                sketcher.header().parameters(), concurrent, concurrent == 1 ? "" : "es", bytes(h.neededBytes()),
                100 * SketchResources.HEAP_FRACTION_FOR_PASSES, bytes(h.freeBytes()));
        String remedy = h.largestFitting() >= 1
                ? "at most --per-pass " + h.largestFitting() + " fits" + (concurrent > 1 ? " with " + concurrent
                        + " threads" : "") + "; or give the JVM more heap (JAVA_OPTS=-Xmx...)"
                : "not even one direction per pass fits: give the JVM more heap (JAVA_OPTS=-Xmx...)"
                        + (concurrent > 1 ? " or use fewer --threads" : "");
        String message = (perPassGiven ? "--per-pass " + b + ": " : "") + what + "; " + remedy + "; nothing was written";
        throw perPassGiven ? new UsageException(message) : new CliException(message);
    }

    /**
     * Refuses, before any file is written, sketches that cannot fit the free space of the file
     * system {@code dir} is on ({@link SketchResources#disk}).
     */
    static void checkDiskSpace(StoreHeader header, Path dir, int directions) throws IOException {
        SketchResources.Disk d = SketchResources.disk(header, dir, directions);
        if (d == null || d.fits()) return;
        long missing = d.missingSketches();
        throw new CliException("--sketch " + dir + ": " + missing + " sketch" + (missing == 1 ? "" : "es") + " to"
                + " compute need about " + bytes(d.neededBytes()) + " (" + bytes(d.bytesPerSketch()) + " each at degree "
                + header.degree() + ", P = " + header.parameters() + "), and the file system there has "
                + bytes(d.usableBytes()) + " free; free space or ask for fewer --directions; nothing was written");
    }

    /** A byte count for messages: 201 kB, 1.2 GB. */
    static String bytes(long b) {
        String[] units = {"bytes", "kB", "MB", "GB", "TB", "PB", "EB"};
        double v = b;
        int u = 0;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return u == 0 ? b + " bytes" : String.format(Locale.ROOT, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
    }

    /**
     * A sketch run that stopped on an I/O error (a full disk): the file and the reason, and what
     * is intact — every sketch stored before is complete (each file is written whole or not at
     * all), and running the same command again resumes, verifying them.
     */
    static CliException stoppedWriting(Path dir, IOException e) {
        int kept = 0;
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
            kept = (int) files.filter(p -> SketchStore.sketchIndexOf(p.getFileName().toString()) >= 0).count();
        } catch (IOException | RuntimeException ignored) {
            // the count is only for the message; the directory itself may be what failed
        }
        return new CliException("sketching into " + dir + " stopped: " + Main.ioMessage(e) + "\n  intact: the " + kept
                + " sketch file" + (kept == 1 ? "" : "s") + " stored in " + dir + " (each is written whole or not at"
                + " all), header.jss and run.json; free space and run the sketch command again: it verifies them and"
                + " computes only the missing ones (" + resumeCommand(dir) + ")", e);
    }

    /**
     * {@link #sketch} on a Spark cluster: the same store, byte for byte. {@code dir} must be on a
     * file system every executor shares (it is written by the executors).
     */
    static void sketchOnSpark(Setup setup, Path dir, int degree, int directions, Integer perPass, Groups groups,
            String master, PrintWriter err, String commandLine) throws IOException {
        BaseCommand.degree("--degree", degree);
        BaseCommand.directions("--directions", directions);
        Sketcher<Object> local = new Sketcher<>(setup.circuit, setup.data, setup.schedule).degree(degree)
                .directions(directions).seed(setup.seed).dataDigest(setup.dataDigest()).initialParameters(setup.init)
                .groups(groups);
        checkDiskSpace(local.header(), dir, directions);
        BaseCommand.checkOutput("--sketch", dir);
        // The Spark sketcher takes the store's writer lock itself (for a local directory), after this record.
        setup.recordRun(dir, local.header(), directions, commandLine);
        try (JavaSparkContext sc = SparkContexts.start(master, "jetsketch sketch", applicationJar());
             Progress bar = new Progress(err, "sketching on Spark (degree " + degree + ")", directions, "directions")) {
            SparkSketcher<Object> sketcher = new SparkSketcher<>(sc, setup.recipe()).degree(degree).directions(directions)
                    .seed(setup.seed).dataDigest(setup.dataDigest()).groups(groups).initialParameters(setup.init)
                    .progress(bar);
            if (perPass != null && perPass > 0) sketcher.directionsPerPass(perPass); // 0: the default
            sketcher.run(dir.toAbsolutePath().toUri().toString());
        }
    }

    /** {@link #table} on a Spark cluster. */
    static CoefficientTable tableOnSpark(SketchStore store, Setup setup, Measures.Measure measure, Integer sketches,
            String master) throws IOException {
        if (store.count() == 0) throw new CliException("the sketch directory " + store.directory() + " holds no sketches yet");
        int m = sketches == null ? store.count() : BaseCommand.positive("--sketches", sketches);
        if (m > store.count()) {
            throw new CliException("--sketches " + m + ": the store holds " + store.count() + " sketches");
        }
        try (JavaSparkContext sc = SparkContexts.start(master, "jetsketch predict", applicationJar())) {
            return SparkSketchTables.table(sc, store.directory().toAbsolutePath().toUri().toString(),
                    new MeasureRecipe(setup.recipe(), measure.spec()), m);
        }
    }

    /**
     * The jar a cluster's executors need (cli-*-spark.jar: this command line without Spark); the
     * ./jetsketch launcher names it in the system property {@code jetsketch.spark.jar}.
     */
    static String applicationJar() {
        return System.getProperty("jetsketch.spark.jar");
    }

    /** A measurement an executor rebuilds: the run and the --measure text. */
    record MeasureRecipe(Setup.Recipe run, String spec) implements MeasurementRecipe {
        @Override
        public BoundMeasurement rebuild() {
            return Measures.parse(spec, run.setup()).bound();
        }
    }

    /** What {@link #openSketches} found: the store, the sketches missing from it and those skipped as damaged. */
    record Opened(SketchStore store, int[] missing, SortedMap<Integer, SketchStoreException> skipped, int expected) {}

    /**
     * Opens the sketches in {@code dir} for the commands that read them: checks that they were made
     * for {@code setup}'s circuit and agree with its run record; names on {@code err} the sketches
     * that are missing (and how to recompute them); a damaged sketch file fails with the file named
     * and how to repair it, unless {@code skipCorrupt}, which verifies every file and predicts
     * from the intact ones, saying so.
     */
    static Opened openSketches(Path dir, Setup setup, boolean skipCorrupt, PrintWriter err) throws IOException {
        SketchStore store;
        try {
            store = StudyStores.open(dir, setup.problem, skipCorrupt);
        } catch (SketchStoreException e) {
            throw damaged(e, dir, setup);
        }
        setup.checkAgainst(store.header(), dir);
        setup.warnAboutContext(err, "the run in " + dir.resolve(Setup.RUN_FILE));
        StudyStores.Opened surveyed = StudyStores.survey(store, skipCorrupt, setup.recordedDirections);
        SortedMap<Integer, SketchStoreException> skipped = surveyed.skipped();
        if (!skipped.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            skipped.forEach((j, e) -> sb.append("\n  ").append(e.file().getFileName()).append(": ")
                    .append(e.section()).append(": ").append(e.problem()));
            err.println("warning: --skip-corrupt: skipping " + skipped.size() + " damaged sketch file(s), using the "
                    + store.count() + " intact ones:" + sb + "\n  repair: " + repairHint(setup, dir));
            err.flush();
        }
        int expected = surveyed.expected();
        int[] miss = surveyed.missing();
        if (miss.length > 0) {
            StringBuilder names = new StringBuilder();
            for (int i = 0; i < Math.min(miss.length, 8); i++) {
                names.append(i == 0 ? "" : ", ").append(SketchStore.sketchFileName(miss[i]));
            }
            if (miss.length > 8) names.append(", ... (").append(miss.length - 8).append(" more)");
            err.println("warning: " + miss.length + " of " + expected + " sketches missing from " + dir + ": " + names
                    + "; the sketch command that made the store computes exactly the missing ones: "
                    + setup.sketchCommand(dir));
            err.flush();
        }
        return new Opened(store, miss, skipped, expected);
    }

    /** One message for a damaged sketch store file: the file, the problem and how to repair. */
    static CliException damaged(SketchStoreException e, Path dir, Setup setup) {
        String file = e.file() != null && e.file().getFileName() != null ? e.file().getFileName().toString() : "";
        if (file.startsWith("sketch-")) {
            return new CliException(e.getMessage() + "\n  repair: " + repairHint(setup, dir), e);
        }
        return new CliException(e.getMessage() + "\n  the store's header is unusable: re-sketch into a new directory"
                + " (the sketch command with the options that made this store and another --sketch; the training"
                + " run is recorded in " + dir.resolve(Setup.RUN_FILE) + ")", e);
    }

    /**
     * The command that resumes the store in {@code dir} where it is: {@code sketch --sketch DIR}
     * alone reads the run from its run.json and the degree and grouping from its header.jss.
     */
    static String resumeCommand(Path dir) {
        return "./jetsketch sketch --sketch " + BaseCommand.quote(dir.toString());
    }

    static String repairHint(Setup setup, Path dir) {
        return "run the sketch command again, it verifies every file and recomputes the damaged ones ("
                + setup.sketchCommand(dir) + "); or add --skip-corrupt to use the intact sketches only;"
                + " './jetsketch verify --sketch " + dir + "' checks every file";
    }

    /** The coefficient table of a measurement over the first {@code sketches} sketches (null: all). */
    static CoefficientTable table(SketchStore store, Measures.Measure measure, int threads, Integer sketches,
            Setup setup) throws IOException {
        if (store.count() == 0) throw new CliException("the sketch directory " + store.directory() + " holds no sketches yet");
        int m = sketches == null ? store.count() : BaseCommand.positive("--sketches", sketches);
        if (m > store.count()) {
            throw new CliException("--sketches " + m + ": the store holds " + store.count() + " sketches");
        }
        try {
            return SketchTables.table(store, measure.bound(), threads, m);
        } catch (SketchStoreException e) {
            throw damaged(e, store.directory(), setup);
        }
    }

    // ------------------------------------------------------------------------ exact direction and retraining

    /**
     * One jet training along v = 1_D at {@code degree} and, if {@code retrain}, ordinary trainings
     * with w = t·1_D at every t, in parallel ({@link ProblemRuns#exactAndRetrain}).
     */
    static ProblemRuns.ExactResult exactAndRetrain(Setup setup, Measures.Measure measure, Deletions.Deletion deletion, int degree,
            double[] ts, boolean retrain, int threads, PrintWriter err) {
        BaseCommand.degree("--degree", degree);
        return interruptible(() -> setup.runs.exactAndRetrain(measure.bound(), deletion.indices(), degree, ts, retrain,
                threads, Progress.bars(err)));
    }

    /** The --memory option in MiB as bytes: positive, else a usage error. */
    static long memoryBudget(Integer mebibytes) {
        if (mebibytes == null) return ExactInfluence.DEFAULT_MEMORY_BUDGET;
        return BaseCommand.positive("--memory", mebibytes) * (1L << 20);
    }

    /** ∂f/∂w_i for every training example, exactly ({@link ProblemRuns#exactInfluence}). */
    static ExactInfluence.Influence exactInfluence(Setup setup, Measures.Measure measure, long memoryBudget) {
        try {
            return setup.runs.exactInfluence(measure.bound(), memoryBudget);
        } catch (IllegalArgumentException e) {
            throw new CliException("exact influence: " + e.getMessage() + " (--memory sets the budget in MiB)", e);
        }
    }

    /** The measurement after ordinary training with each weight vector, in parallel ({@link ProblemRuns#retrainAll}). */
    static double[] retrainAll(Setup setup, Measures.Measure measure, List<double[]> weights, int threads, PrintWriter err,
            String label) {
        return interruptible(() -> setup.runs.retrainAll(measure.bound(), weights, threads, Progress.bars(err), label));
    }

    /** The library's pool interrupted: the command line's message. */
    static <T> T interruptible(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (java.util.concurrent.CancellationException e) {
            throw new CliException("interrupted", e);
        }
    }
}
