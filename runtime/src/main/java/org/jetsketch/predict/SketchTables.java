package org.jetsketch.predict;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.circuit.CompiledCircuit;
import org.jetsketch.jet.JetLayout;
import org.jetsketch.jet.Jets;
import org.jetsketch.sketch.Groups;
import org.jetsketch.sketch.SketchStore;
import org.jetsketch.sketch.Sketcher;
import org.jetsketch.sketch.StoreHeader;
import org.jetsketch.circuit.JetWorkspace;
import org.jetsketch.work.Workers;

/**
 * The coefficient table of a measurement (scheme.md §5): the measurement run forward on each
 * stored jet-valued model, c_{j,0..k}. Computed once per measurement, in parallel; any number of
 * deletion queries then reuse it.
 */
public final class SketchTables {
    private SketchTables() {}

    /** The table over every sketch in {@code store}, on {@code threads} threads. */
    public static CoefficientTable table(SketchStore store, BoundMeasurement measurement, int threads)
            throws IOException {
        return table(store, measurement, threads, store.count());
    }

    /** The table over the first {@code sketches} stored sketches (by index). */
    public static CoefficientTable table(SketchStore store, BoundMeasurement measurement, int threads, int sketches)
            throws IOException {
        return table(store, measurement, threads, sketches, store.header().directionDimension());
    }

    /**
     * The table over the first {@code sketches} stored sketches, checking that the store was
     * sketched with {@code groups} (null: per-example sketches). The table's directions have the
     * store's direction dimension: G for grouped sketches, n otherwise.
     *
     * @throws IllegalArgumentException if the store's grouping is another one
     */
    public static CoefficientTable table(SketchStore store, BoundMeasurement measurement, int threads, int sketches,
            Groups groups) throws IOException {
        Groups stored = store.header().groups();
        if (!java.util.Objects.equals(stored, groups)) {
            throw new IllegalArgumentException("the sketches in " + store.directory() + " were made "
                    + (stored == null ? "per example" : "with a grouping of G = " + stored.count() + " groups (digest "
                            + stored.digestHex().substring(0, 16) + ")") + ", not "
                    + (groups == null ? "per example" : "with this grouping of G = " + groups.count() + " groups (digest "
                            + groups.digestHex().substring(0, 16) + ")"));
        }
        return table(store, measurement, threads, sketches, store.header().directionDimension());
    }

    /** The table over the first {@code sketches} sketches, directions of {@code dimension} components. */
    private static CoefficientTable table(SketchStore store, BoundMeasurement measurement, int threads, int sketches,
            int dimension) throws IOException {
        CompiledCircuit<?> circuit = measurement.circuit();
        check(store, circuit);
        int[] indices = store.indices();
        if (sketches < 1 || sketches > indices.length) {
            throw new IllegalArgumentException("sketches must be in [1, " + indices.length + "] (the store holds "
                    + indices.length + "), got " + sketches);
        }
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        int k = store.header().degree();
        int params = store.header().parameters();
        double[] theta0 = store.theta0();
        double[] jets = new double[sketches * 2 * (k + 1)];
        List<Callable<Void>> tasks = new ArrayList<>();
        int chunk = (sketches + threads - 1) / threads;
        for (int from = 0; from < sketches; from += chunk) {
            int start = from;
            int end = Math.min(sketches, from + chunk);
            tasks.add(() -> {
                JetModel model = new JetModel(measurement, store.header(), theta0);
                double[] coefficients = new double[2 * k * params];
                for (int j = start; j < end; j++) {
                    store.read(indices[j], coefficients);
                    model.evaluate(coefficients, jets, j * 2 * (k + 1));
                }
                return null;
            });
        }
        try {
            Workers.runAll(tasks, threads, "jetsketch-tables");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while evaluating " + measurement.description(), e);
        }
        CoefficientTable.Builder builder = CoefficientTable.builder(dimension,
                store.header().directionSeed(), k);
        for (int j = 0; j < sketches; j++) {
            builder.addJet(indices[j], java.util.Arrays.copyOfRange(jets, j * 2 * (k + 1), (j + 1) * 2 * (k + 1)));
        }
        return builder.build();
    }

    /**
     * The jet-valued model of one sketch at a time, θ_0 + θ_1 z + … + θ_k z^k, with the
     * measurement run forward on it. Not thread-safe: one per thread. {@link #table} evaluates
     * every sketch with it; a distributed table does the same in each worker, so both give the
     * same numbers.
     */
    public static final class JetModel {
        private final BoundMeasurement measurement;
        private final int k;
        private final int params;
        private final int stride;
        private final JetLayout layout;
        private final JetWorkspace ws;
        private final double[] value;
        private final double[] theta0;
        private final double[] theta;

        /** For sketches of a store with this header and θ_0. */
        public JetModel(BoundMeasurement measurement, StoreHeader header, double[] theta0) {
            if (theta0.length != header.parameters()) {
                throw new IllegalArgumentException("theta0 has length " + theta0.length + ", expected P = "
                        + header.parameters());
            }
            this.measurement = measurement;
            this.k = header.degree();
            this.params = header.parameters();
            Jets kernels = new Jets(k, 1);
            this.stride = kernels.stride();
            this.layout = kernels.layout();
            this.ws = measurement.circuit().newJetWorkspace(kernels);
            this.value = new double[stride];
            this.theta0 = theta0.clone();
            this.theta = new double[params * stride];
        }

        /**
         * The measurement's jet c_0..c_k on the model of one sketch ({@code coefficients} in the
         * layout of {@link SketchStore#write}): writes 2(k+1) doubles at {@code offset}, re c_0, 0,
         * re c_1, im c_1, …, the layout {@link CoefficientTable.Builder#addJet} takes.
         */
        public void evaluate(double[] coefficients, double[] out, int offset) {
            layout.fromSketch(theta0, coefficients, params, theta);
            ws.loadParameters(theta);
            measurement.evaluate(ws, value, 0);
            out[offset] = value[0];
            out[offset + 1] = 0.0;
            System.arraycopy(value, 1, out, offset + 2, 2 * k);
        }
    }

    /** A store made for another circuit, layout or generated code is rejected by name. */
    public static void check(SketchStore store, CompiledCircuit<?> circuit) {
        check(store.header(), store.directory(), circuit);
    }

    /** The same check on the header of the store at {@code location}. */
    public static void check(StoreHeader header, Object location, CompiledCircuit<?> circuit) {
        if (!header.circuitName().equals(circuit.circuitName())) {
            throw new IllegalArgumentException("the sketches in " + location + " were made for circuit "
                    + header.circuitName() + ", not " + circuit.circuitName());
        }
        if (header.fingerprint() != Sketcher.fingerprint(circuit)) {
            throw new IllegalArgumentException("the sketches in " + location + " were made by different code "
                    + "or for a different parameter layout (fingerprint " + Long.toHexString(header.fingerprint())
                    + ", this circuit " + Long.toHexString(Sketcher.fingerprint(circuit)) + ", layout "
                    + circuit.layout().describe() + ")");
        }
        if (header.parameters() != circuit.layout().size()) {
            throw new IllegalArgumentException("the store has P = " + header.parameters() + ", the circuit "
                    + circuit.layout().size());
        }
    }
}
