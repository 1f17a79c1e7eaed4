package org.jetsketch.spark;

import java.io.IOException;
import java.io.Serial;
import java.io.UncheckedIOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.predict.CoefficientTable;
import org.jetsketch.predict.SketchTables;
import org.jetsketch.sketch.SketchStore;
import org.jetsketch.sketch.StoreHeader;

/**
 * The coefficient table of a measurement (scheme.md §5) on Spark: the counterpart of
 * {@link SketchTables#table}, the other step whose work grows with the number of sketches. Each
 * task reads a range of sketches straight from the store through the Hadoop {@code FileSystem}
 * API, verifies each completely, and runs the measurement on its jet-valued model with
 * {@link SketchTables.JetModel}, the code the local table uses, so the table is the local one,
 * number for number.
 */
public final class SparkSketchTables {
    private SparkSketchTables() {}

    /** The table over every sketch in the store at {@code location}. */
    public static CoefficientTable table(JavaSparkContext sc, String location, MeasurementRecipe measurement)
            throws IOException {
        return table(sc, location, measurement, 0);
    }

    /**
     * The table over the first {@code sketches} stored sketches by index (0: all).
     *
     * @throws IllegalArgumentException before any job if the recipe cannot be serialized or the
     *         store was made for another circuit
     */
    public static CoefficientTable table(JavaSparkContext sc, String location, MeasurementRecipe measurement,
            int sketches) throws IOException {
        return table(sc, StoreFiles.at(location, sc.hadoopConfiguration()), measurement, sketches);
    }

    static CoefficientTable table(JavaSparkContext sc, StoreFiles files, MeasurementRecipe measurement, int sketches)
            throws IOException {
        MeasurementRecipe shipped = Shipping.roundTrip(measurement, "measurement recipe");
        BoundMeasurement bound = measurement.rebuild();
        Stores.Header h = Stores.readHeader(files);
        SketchTables.check(h.header(), files, bound.circuit());
        int[] all = files.sketchFiles().stream().mapToInt(Integer::intValue).toArray();
        if (all.length == 0) throw new IOException(files + " holds no sketches yet");
        if (sketches < 0 || sketches > all.length) {
            throw new IllegalArgumentException("sketches must be in [1, " + all.length + "] (the store holds "
                    + all.length + "), got " + sketches);
        }
        int[] indices = Arrays.copyOf(all, sketches == 0 ? all.length : sketches);
        int tasks = Math.min(indices.length, 4 * sc.defaultParallelism());
        List<int[]> chunks = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            chunks.add(Arrays.copyOfRange(indices, (int) ((long) t * indices.length / tasks),
                    (int) ((long) (t + 1) * indices.length / tasks)));
        }
        Broadcast<TableJob> job = sc.broadcast(new TableJob(shipped, new SerializableConfiguration(
                sc.hadoopConfiguration()), files.toString(), files.remote, SparkSketcher.HeaderFields.of(h.header()),
                h.theta0()));
        List<double[]> jets;
        try {
            jets = sc.parallelize(chunks, tasks).mapPartitions(new TableTask(job)).collect();
        } catch (Exception e) {
            Shipping.RebuildException rebuild = Shipping.rebuildFailure(e);
            if (rebuild != null) throw new IOException(rebuild.getMessage(), e);
            throw new IOException("the Spark job evaluating " + bound.description() + " on " + files + " failed: "
                    + Shipping.firstLine(e), e);
        } finally {
            job.destroy();
        }
        int k = h.header().degree();
        CoefficientTable.Builder builder = CoefficientTable.builder(h.header().directionDimension(),
                h.header().directionSeed(), k);
        int j = 0;
        for (double[] chunk : jets) {
            for (int off = 0; off < chunk.length; off += 2 * (k + 1)) {
                builder.addJet(indices[j++], Arrays.copyOfRange(chunk, off, off + 2 * (k + 1)));
            }
        }
        return builder.build();
    }

    /** Broadcast once: the measurement recipe, the file-system settings, the store's header and θ_0. */
    record TableJob(MeasurementRecipe recipe, SerializableConfiguration conf, String location, boolean viaCopies,
                    SparkSketcher.HeaderFields header, double[] theta0) implements Serializable {}

    /**
     * What an executor builds once per job: the measurement, and the store opened with the
     * runtime's reader (null if it is not on the local file system: each task then reads local
     * copies of its sketches).
     */
    record Worker(BoundMeasurement measurement, StoreHeader header, StoreFiles files, SketchStore local) {}

    /** Evaluates one range of sketches; emits their jets, 2(k+1) doubles each, in index order. */
    static final class TableTask implements FlatMapFunction<Iterator<int[]>, double[]> {
        @Serial
        private static final long serialVersionUID = 1L;
        private final Broadcast<TableJob> job;

        TableTask(Broadcast<TableJob> job) {
            this.job = job;
        }

        @Override
        public Iterator<double[]> call(Iterator<int[]> chunks) throws IOException {
            Worker w = Shipping.perExecutor(Worker.class, job.id(), () -> {
                TableJob j = Shipping.rebuilding("measurement recipe", job::value);
                BoundMeasurement m = Shipping.rebuilding("measurement recipe " + j.recipe().getClass().getName(),
                        () -> j.recipe().rebuild());
                try {
                    StoreFiles files = StoreFiles.at(j.location(), j.conf().value(), j.viaCopies());
                    java.nio.file.Path dir = files.localDirectory();
                    return new Worker(m, j.header().header(), files, dir == null ? null : SketchStore.open(dir));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            SketchTables.JetModel model = new SketchTables.JetModel(w.measurement(), w.header(), job.value().theta0());
            int k = w.header().degree();
            double[] coefficients = new double[w.header().coefficientLength()];
            List<double[]> out = new ArrayList<>();
            while (chunks.hasNext()) {
                int[] chunk = chunks.next();
                double[] jets = new double[chunk.length * 2 * (k + 1)];
                SketchStore store = w.local();
                java.nio.file.Path copy = null;
                try {
                    if (store == null) {
                        copy = w.files().copyToLocal(Arrays.stream(chunk).boxed().toList());
                        store = SketchStore.open(copy);
                    }
                    for (int i = 0; i < chunk.length; i++) {
                        store.read(chunk[i], coefficients);
                        model.evaluate(coefficients, jets, i * 2 * (k + 1));
                    }
                } finally {
                    if (copy != null) StoreFiles.deleteLocal(copy);
                }
                out.add(jets);
            }
            return out.isEmpty() ? Collections.emptyIterator() : out.iterator();
        }
    }
}
