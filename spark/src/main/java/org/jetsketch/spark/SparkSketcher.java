package org.jetsketch.spark;

import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.jetsketch.io.AtomicFiles;
import org.jetsketch.sketch.Groups;
import org.jetsketch.sketch.SketchFormat;
import org.jetsketch.sketch.SketchProgress;
import org.jetsketch.sketch.SketchStore;
import org.jetsketch.sketch.Sketcher;
import org.jetsketch.sketch.StoreHeader;
import org.jetsketch.spark.TrainingRecipe.Training;

/**
 * The counterpart of {@link Sketcher} on an Apache Spark cluster: the same store, file by file and
 * byte for byte, whatever the number of executors, partitions or task retries.
 *
 * <p>The driver rebuilds the run from the {@link TrainingRecipe}, trains θ_0, creates (or checks,
 * when resuming) the store's header, lists the sketches already there and plans the missing ones
 * in the jet passes {@link Sketcher#passes} plans. Each task gets a range of direction indices with
 * its passes, computes them with {@link Sketcher#sketchPass} on the executor's rebuilt run (the
 * recipe is broadcast, so it travels and is rebuilt once per executor), and writes each sketch
 * through the Hadoop {@code FileSystem} API with the store's own encoder and temp-file-and-rename
 * protocol. The temporary name carries the task attempt's id, so a retried or speculative attempt
 * never writes into another's temporary file, and the rename makes a sketch appear complete or not
 * at all; since every attempt computes the same bytes, a sketch stored twice is stored identically.
 * A failed job leaves the header and every completed sketch: running again computes only the
 * missing ones, as it does when {@link #directions(int)} grows.
 *
 * <p>With a {@code SparkSession}, pass {@code JavaSparkContext.fromSparkContext(session.sparkContext())}.
 */
public final class SparkSketcher<E> {
    private final JavaSparkContext sc;
    private final TrainingRecipe<E> recipe;
    private int degree = 3;
    private int directions = 16;
    private long seed = 1;
    private int perPass;
    private int tasks;
    private double[] initial;
    private SketchProgress progress = SketchProgress.NONE;
    private int failFirstAttemptAt = -1;
    private boolean failAllAttempts;
    private boolean viaCopies;
    private long dataDigest;
    private Groups groups;

    public SparkSketcher(JavaSparkContext sc, TrainingRecipe<E> recipe) {
        if (sc == null) throw new IllegalArgumentException("the Spark context is null");
        if (recipe == null) throw new IllegalArgumentException("the training recipe is null");
        this.sc = sc;
        this.recipe = recipe;
    }

    public SparkSketcher<E> degree(int k) {
        if (k < 1) throw new IllegalArgumentException("degree must be >= 1, got " + k);
        this.degree = k;
        return this;
    }

    public SparkSketcher<E> directions(int m) {
        if (m < 1) throw new IllegalArgumentException("directions must be >= 1, got " + m);
        this.directions = m;
        return this;
    }

    public SparkSketcher<E> seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Directions per jet pass, as {@link Sketcher#directionsPerPass}; unset: the local sketcher's default. */
    public SparkSketcher<E> directionsPerPass(int b) {
        if (b < 1) throw new IllegalArgumentException("directions per pass must be >= 1, got " + b);
        this.perPass = b;
        return this;
    }

    /**
     * At most this many tasks (each a range of consecutive passes); unset: one task per pass, so
     * that a slow or lost executor delays as little work as possible.
     */
    public SparkSketcher<E> tasks(int t) {
        if (t < 1) throw new IllegalArgumentException("tasks must be >= 1, got " + t);
        this.tasks = t;
        return this;
    }

    /** Grouped sketches, as {@link Sketcher#groups}; null (the default): per example. */
    public SparkSketcher<E> groups(Groups grouping) {
        this.groups = grouping;
        return this;
    }

    /** The training data's digest recorded in the store, as {@link Sketcher#dataDigest}. */
    public SparkSketcher<E> dataDigest(long digest) {
        this.dataDigest = digest;
        return this;
    }

    public SparkSketcher<E> initialParameters(double[] theta) {
        if (theta == null) throw new IllegalArgumentException("initial parameters are null");
        this.initial = theta.clone();
        return this;
    }

    /** Progress, reported on the driver as tasks finish. */
    public SparkSketcher<E> progress(SketchProgress listener) {
        this.progress = listener == null ? SketchProgress.NONE : listener;
        return this;
    }

    /** Test hook: the first attempt of the task that computes sketch {@code index} dies while writing it. */
    SparkSketcher<E> failFirstAttemptAt(int index) {
        this.failFirstAttemptAt = index;
        return this;
    }

    /** Test hook: reach a local store as if it were on another file system (verifying local copies). */
    SparkSketcher<E> viaCopies() {
        this.viaCopies = true;
        return this;
    }

    /** Test hook: with {@link #failFirstAttemptAt}, every attempt dies (the job fails). */
    SparkSketcher<E> failAllAttempts() {
        this.failAllAttempts = true;
        return this;
    }

    /** What a run did. */
    public record Result(String store, int directions, int computed, int tasks) {}

    /**
     * Makes sure the store at {@code location} (a Hadoop URI: {@code file:///...},
     * {@code hdfs://...}, {@code s3a://...}; every executor must reach it) holds sketches 0..m-1.
     *
     * @throws IllegalArgumentException before any job if the recipe cannot be serialized or rebuilt
     * @throws IOException before any task if the location cannot be written or holds another run's
     *         store; after a failed job, with the sketches already stored kept
     */
    public Result run(String location) throws IOException {
        TrainingRecipe<E> shipped = Shipping.roundTrip(recipe, "training recipe");
        Sketcher<E> sketcher = sketcher(rebuild(recipe));
        StoreHeader header = sketcher.header();
        StoreHeader rebuilt = sketcher(rebuild(shipped)).header();
        if (!rebuilt.equals(header)) {
            throw new IllegalArgumentException("the training recipe " + recipe.getClass().getName()
                    + " rebuilds a different run after serialization (" + rebuilt + " instead of " + header
                    + "): it must carry everything the run is made from");
        }
        double[] init = initial != null ? initial.clone() : rebuild(recipe).circuit().initialParameters();
        StoreFiles files = StoreFiles.at(location, sc.hadoopConfiguration(), viaCopies);
        try (Stores.Prepared prepared = Stores.prepare(files, header, sketcher::theta0)) {
            prepared.damaged().forEach(progress::recomputing);
            List<int[]> passes = sketcher.passes(prepared.stored()::contains, prepared.damaged().keySet());
            List<TaskRange> ranges = TaskRange.split(passes, tasks == 0 ? passes.size() : tasks);
            int computing = passes.stream().mapToInt(p -> p.length).sum();
            int total = directions + (int) prepared.damaged().keySet().stream().filter(j -> j >= directions).count();
            int alreadyStored = total - computing;
            if (ranges.isEmpty()) {
                progress.update(total, total, 0, 0);
                return new Result(files.toString(), directions, 0, 0);
            }
            Job<E> job = new Job<>(shipped, new SerializableConfiguration(sc.hadoopConfiguration()), files.toString(),
                    viaCopies, degree, seed, dataDigest, init, HeaderFields.of(header), prepared.runDigest(),
                    failFirstAttemptAt, failAllAttempts);
            Broadcast<Job<E>> broadcast = sc.broadcast(job);
            TaskProgress listener = new TaskProgress(sc, ranges, alreadyStored, total, progress);
            try {
                sc.parallelize(ranges, ranges.size()).mapPartitions(new SketchTask<>(broadcast)).collect();
            } catch (Exception e) {
                Shipping.RebuildException rebuild = Shipping.rebuildFailure(e);
                if (rebuild != null) throw new IOException(rebuild.getMessage(), e);
                throw new IOException("the Spark job failed (" + Shipping.firstLine(e) + "); the header and the "
                        + "sketches already stored in " + files + " are kept, and running again computes only the "
                        + "missing ones", e);
            } finally {
                listener.close();
                files.deleteTemporaryFiles();
                broadcast.destroy();
            }
            TreeSet<Integer> now = files.sketchFiles();
            for (int[] pass : passes) {
                for (int j : pass) {
                    if (!now.contains(j)) throw new IOException("the Spark job finished but sketch " + j + " is not in " + files);
                }
            }
            return new Result(files.toString(), directions, computing, ranges.size());
        }
    }

    private Sketcher<E> sketcher(Training<E> t) {
        // threads = the cluster's task slots: the default directions per pass leaves at least as many
        // passes (tasks) as slots, as it does for the local sketcher's threads
        Sketcher<E> s = new Sketcher<>(t.circuit(), t.data(), t.schedule()).degree(degree).directions(directions)
                .seed(seed).dataDigest(dataDigest).groups(groups).threads(Math.max(1, sc.defaultParallelism()));
        if (perPass > 0) s.directionsPerPass(perPass);
        if (initial != null) s.initialParameters(initial);
        return s;
    }

    private static <E> Training<E> rebuild(TrainingRecipe<E> recipe) {
        Training<E> t;
        try {
            t = recipe.rebuild();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the training recipe " + recipe.getClass().getName()
                    + " failed to rebuild the run: " + e.getMessage(), e);
        }
        if (t == null) throw new IllegalArgumentException("the training recipe " + recipe.getClass().getName()
                + " rebuilt nothing (null)");
        return t;
    }

    // ------------------------------------------------------------------------ what tasks receive

    /** A task: the direction indices [from, to) and the jet passes over the missing ones among them. */
    record TaskRange(int from, int to, int[][] passes) implements Serializable {
        int directions() {
            int d = 0;
            for (int[] p : passes) d += p.length;
            return d;
        }

        /** Consecutive passes cut into at most {@code count} ranges of nearly equal numbers of passes. */
        static List<TaskRange> split(List<int[]> passes, int count) {
            List<TaskRange> out = new ArrayList<>();
            int n = passes.size();
            int c = Math.min(count, n);
            for (int t = 0; t < c; t++) {
                int a = (int) ((long) t * n / c);
                int b = (int) ((long) (t + 1) * n / c);
                int[][] mine = passes.subList(a, b).toArray(new int[0][]);
                out.add(new TaskRange(mine[0][0], mine[mine.length - 1][mine[mine.length - 1].length - 1] + 1, mine));
            }
            return out;
        }
    }

    /** The run's store header, as plain serializable fields (a grouping as its mapping and names). */
    record HeaderFields(String circuitName, long fingerprint, int examples, int parameters, int degree,
                        long directionSeed, long dataDigest, long initialDigest, String schedule, int[] groupOf,
                        ArrayList<String> groupNames) implements Serializable {
        static HeaderFields of(StoreHeader h) {
            Groups g = h.groups();
            return new HeaderFields(h.circuitName(), h.fingerprint(), h.examples(), h.parameters(), h.degree(),
                    h.directionSeed(), h.dataDigest(), h.initialDigest(), h.schedule(), mapping(g),
                    g == null ? null : new ArrayList<>(g.names()));
        }

        StoreHeader header() {
            return new StoreHeader(circuitName, fingerprint, examples, parameters, degree, directionSeed, dataDigest,
                    initialDigest, schedule, groups());
        }

        Groups groups() {
            return groupOf == null ? null : Groups.of(groupOf, groupNames);
        }

        private static int[] mapping(Groups g) {
            if (g == null) return null;
            int[] map = new int[g.examples()];
            for (int i = 0; i < map.length; i++) map[i] = g.groupOf(i);
            return map;
        }
    }

    /** Broadcast once: the recipe (with its data), the file-system settings and the run's parameters. */
    record Job<E>(TrainingRecipe<E> recipe, SerializableConfiguration conf, String location, boolean viaCopies,
                  int degree, long seed, long dataDigest, double[] init, HeaderFields header, long runDigest,
                  int failFirstAttemptAt, boolean failAllAttempts) implements Serializable {}

    /** What an executor builds once per job: the rebuilt run's sketcher and the store. */
    record Worker<E>(Sketcher<E> sketcher, StoreHeader header, StoreFiles files) {}

    /** The task function: captures only the broadcast handle, never an enclosing instance. */
    static final class SketchTask<E> implements FlatMapFunction<Iterator<TaskRange>, Integer> {
        @Serial
        private static final long serialVersionUID = 1L;
        private final Broadcast<Job<E>> job;

        SketchTask(Broadcast<Job<E>> job) {
            this.job = job;
        }

        @Override
        public Iterator<Integer> call(Iterator<TaskRange> ranges) throws IOException {
            Worker<E> w = worker();
            TaskContext ctx = TaskContext.get();
            long attempt = ctx == null ? 0 : ctx.taskAttemptId();
            boolean firstAttempt = ctx == null || ctx.attemptNumber() == 0;
            // attempt id in the high half (unique within the application), random low half (across applications)
            long tag = (attempt << 32) | (ThreadLocalRandom.current().nextInt() & 0xFFFFFFFFL);
            long runDigest = job.value().runDigest();
            int failAt = job.value().failFirstAttemptAt();
            boolean fail = firstAttempt || job.value().failAllAttempts();
            List<Integer> written = new ArrayList<>();
            while (ranges.hasNext()) {
                for (int[] pass : ranges.next().passes()) {
                    w.sketcher().sketchPass(pass, (index, coefficients, branch) -> {
                        byte[] bytes = SketchFormat.sketchBytes(w.header(), runDigest, index, branch, coefficients);
                        String name = SketchStore.sketchFileName(index);
                        if (index == failAt && fail) dieWhileWriting(w.files(), name, bytes, tag);
                        w.files().writeAtomically(name, bytes, tag);
                        written.add(index);
                    });
                }
            }
            return written.iterator();
        }

        /** The test hook: half a temporary file, then the attempt dies (as a killed executor would). */
        private static void dieWhileWriting(StoreFiles files, String name, byte[] bytes, long tag) throws IOException {
            try (FSDataOutputStream out = files.fs.create(files.file(AtomicFiles.temporaryName(name, tag)), false)) {
                out.write(bytes, 0, bytes.length / 2);
            }
            throw new IllegalStateException("test hook: the first attempt dies while writing " + name);
        }

        @SuppressWarnings("unchecked")
        private Worker<E> worker() {
            return Shipping.perExecutor(Worker.class, job.id(), () -> {
                Job<E> j = Shipping.rebuilding("training recipe", job::value);
                Training<E> t = Shipping.rebuilding("training recipe " + j.recipe().getClass().getName(),
                        () -> j.recipe().rebuild());
                Sketcher<E> s = new Sketcher<>(t.circuit(), t.data(), t.schedule()).degree(j.degree()).seed(j.seed())
                        .dataDigest(j.dataDigest()).groups(j.header().groups()).initialParameters(j.init());
                StoreHeader mine = s.header();
                StoreHeader expected = j.header().header();
                if (!mine.equals(expected)) {
                    throw new Shipping.RebuildException("the training recipe " + j.recipe().getClass().getName()
                            + " rebuilds a different run on this executor (" + mine + ", the driver has " + expected
                            + "): the executors need the driver's jar and data", null);
                }
                try {
                    return new Worker<>(s, expected, StoreFiles.at(j.location(), j.conf().value(), j.viaCopies()));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
    }
}
