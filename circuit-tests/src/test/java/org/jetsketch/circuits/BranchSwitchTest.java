package org.jetsketch.circuits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.predict.ExactDirection;
import org.jetsketch.predict.BranchBounds;
import org.jetsketch.predict.DeletionEstimator;
import org.jetsketch.predict.ExactDirectionCurve;
import org.jetsketch.predict.SketchTables;
import org.jetsketch.sketch.BranchSwitch;
import org.jetsketch.sketch.Directions;
import org.jetsketch.sketch.Groups;
import org.jetsketch.sketch.SketchStore;
import org.jetsketch.sketch.Sketcher;
import org.jetsketch.train.Dataset;
import org.jetsketch.train.Schedule;
import org.jetsketch.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The branch-switch bound on a circuit whose switching points are known in closed form
 * ({@link HuberLocation}, two full-batch steps). Step 1 is taken at the constant θ_0, so its
 * decisions cannot switch; after it θ_1(t) = A + B t exactly, with A = θ_0 − lr Σ_i ψ(θ_0 − y_i)/n
 * and B = lr Σ_{i∈D} ψ(θ_0 − y_i)/n (ψ the Huber derivative, the residual clipped to ±δ). Step 2
 * decides per example on r_i(t) = A − y_i + B t (abs: switches at |A − y_i| / |B|) and on
 * |r_i| − δ (switches at ||A − y_i| − δ| / |B|). The monitor's radius is the smallest of these,
 * at the source line that makes it; inside it the exact-direction curve is retraining itself,
 * beyond it (on the side the decision switches) it is not.
 */
class BranchSwitchTest {
    static final double[] Y = {-2.5, -0.8, -0.3, 0.35, 0.6, 1.4, 2.2, 3.0};
    static final double START = 0.0;

    static List<Sample> data() {
        List<Sample> out = new ArrayList<>();
        for (double y : Y) out.add(new Sample(new double[] {y}, 0));
        return out;
    }

    static double psi(double r) {
        return Math.max(-HuberLocation.DELTA, Math.min(HuberLocation.DELTA, r));
    }

    /** The closed form: {smallest |t|, signed crossing t, 0 for abs or 1 for the comparison}. */
    static double[] expected(int[] deletion) {
        int n = Y.length;
        double sum = 0;
        for (double y : Y) sum += psi(START - y);
        double a = START - HuberLocation.LEARNING_RATE * sum / n;
        double slope = 0;
        for (int i : deletion) slope += psi(START - Y[i]);
        double b = HuberLocation.LEARNING_RATE * slope / n;
        double[] best = {Double.POSITIVE_INFINITY, 0, -1};
        for (double y : Y) {
            double r0 = a - y;
            double abs = Math.abs(r0) / Math.abs(b);
            if (abs < best[0]) best = new double[] {abs, -r0 / b, 0};
            double cmp = Math.abs(Math.abs(r0) - HuberLocation.DELTA) / Math.abs(b);
            // |r(t)| = δ where r(t) = sign(r0) δ: t = (sign(r0) δ − r0) / b
            if (cmp < best[0]) best = new double[] {cmp, (Math.signum(r0) * HuberLocation.DELTA - r0) / b, 1};
        }
        return best;
    }

    @Test
    void exactDirectionRadiusIsTheClosedFormAndMarksWhereRetrainingDeparts() throws IOException {
        List<Sample> data = data();
        HuberLocation_Circuit circuit = new HuberLocation_Circuit(new HuberLocation(START));
        Schedule schedule = Schedule.fullBatch(Y.length, 2);
        BoundMeasurement m = circuit.location();
        Trainer<Sample> trainer = new Trainer<>(circuit, Dataset.of(data), schedule);
        for (int[] deletion : new int[][] {{0}, {6, 7}}) {
            double[] v = ExactDirection.indicator(Y.length, deletion);
            ExactDirectionCurve curve = ExactDirection.run(circuit, Dataset.of(data), schedule,
                    circuit.initialParameters(), v, 3, m);
            double[] closed = expected(deletion);
            assertEquals(closed[0], curve.branchSwitch().t(), 1e-12 * closed[0], "radius for D = " + deletion[0]);
            assertTrue(curve.branchSwitch().t() <= closed[0] * (1 + 1e-15), "a lower bound");
            String decision = closed[2] == 0 ? "Math.abs(r)" : "if (a <= DELTA)";
            assertEquals(SourceLines.site(HuberLocation.class, decision), curve.branchSwitch().site());
            // inside the radius the degree-3 curve is retraining (θ_2 is a polynomial of degree 2 in t there) ...
            double inside = 0.9 * closed[1];
            double retrainedInside = trainer.measure(m, trainer.train(scaled(v, inside)));
            assertEquals(retrainedInside, curve.value(inside, 3), 1e-12);
            // ... and beyond the crossing it is not
            double beyond = 1.5 * closed[1];
            double retrainedBeyond = trainer.measure(m, trainer.train(scaled(v, beyond)));
            assertTrue(Math.abs(retrainedBeyond - curve.value(beyond, 3)) > 1e-4,
                    "the branch switched: " + retrainedBeyond + " vs " + curve.value(beyond, 3));
        }
    }

    /**
     * Random-direction sketches: along the unit complex direction ψ the step-2 differences are
     * r_i(z) = A − y_i + B(ψ) z with B(ψ) = lr Σ_i ψ_i ψ(θ_0 − y_i)/n, so the radius in z is
     * min_i min(|A − y_i|, ||A − y_i| − δ|) / |B(ψ)|; stored scaled to the weight norm, i.e.
     * divided by sqrt(C(n, 1)) = sqrt(n) (only degree 1 is nonzero). The store's bound for D is the
     * smallest over the sketches divided by sqrt|D|.
     */
    @Test
    void sketchesStoreTheirRadiusInTheWeightNorm(@TempDir Path dir) throws IOException {
        List<Sample> data = data();
        int n = Y.length;
        HuberLocation_Circuit circuit = new HuberLocation_Circuit(new HuberLocation(START));
        Schedule schedule = Schedule.fullBatch(n, 2);
        long seed = 11;
        int m = 6;
        SketchStore store = new Sketcher<>(circuit, Dataset.of(data), schedule).degree(2).directions(m).seed(seed)
                .directionsPerPass(2).threads(1).run(dir);
        double sum = 0;
        for (double y : Y) sum += psi(START - y);
        double a = START - HuberLocation.LEARNING_RATE * sum / n;
        double gap = Double.POSITIVE_INFINITY;
        for (double y : Y) gap = Math.min(gap, Math.min(Math.abs(a - y), Math.abs(Math.abs(a - y) - HuberLocation.DELTA)));
        double smallest = Double.POSITIVE_INFINITY;
        for (int j = 0; j < m; j++) {
            double[] direction = Directions.direction(seed, j, n);
            double re = 0;
            double im = 0;
            for (int i = 0; i < n; i++) {
                re += direction[2 * i] * psi(START - Y[i]);
                im += direction[2 * i + 1] * psi(START - Y[i]);
            }
            double slope = HuberLocation.LEARNING_RATE * Math.hypot(re, im) / n;
            double expected = gap / slope / Math.sqrt(n);
            BranchSwitch stored = store.branchSwitch(j);
            assertEquals(expected, stored.t(), 1e-12 * expected, "sketch " + j);
            smallest = Math.min(smallest, expected);
        }
        DeletionEstimator estimator = DeletionEstimator.cached(
                SketchTables.table(store, circuit.location(), 1, m));
        BranchSwitch radius = BranchBounds.radius(store, estimator.table());
        assertEquals(smallest, radius.t(), 1e-12 * smallest);
        assertEquals(smallest / 2, BranchBounds.alongDeletion(radius, 4).t(), 1e-12 * smallest);
    }

    /**
     * Grouped sketches: ψ lives in C^G and example i gets ψ_g(i), so B(ψ) = lr Σ_i ψ_g(i) ψ(θ_0 − y_i)/n
     * and the stored radius is scaled by sqrt(G), the dimension of the directions.
     */
    @Test
    void groupedSketchesMeasureTheRadiusInGroupWeights(@TempDir Path dir) throws IOException {
        int n = Y.length;
        int[] groupOf = {0, 0, 1, 1, 1, 2, 2, 2};
        HuberLocation_Circuit circuit = new HuberLocation_Circuit(new HuberLocation(START));
        long seed = 5;
        int m = 3;
        SketchStore store = new Sketcher<>(circuit, Dataset.of(data()), Schedule.fullBatch(n, 2)).degree(2)
                .directions(m).seed(seed).groups(Groups.of(groupOf)).threads(1).run(dir);
        double sum = 0;
        for (double y : Y) sum += psi(START - y);
        double a = START - HuberLocation.LEARNING_RATE * sum / n;
        double gap = Double.POSITIVE_INFINITY;
        for (double y : Y) gap = Math.min(gap, Math.min(Math.abs(a - y), Math.abs(Math.abs(a - y) - HuberLocation.DELTA)));
        for (int j = 0; j < m; j++) {
            double[] direction = Directions.direction(seed, j, 3);
            double re = 0;
            double im = 0;
            for (int i = 0; i < n; i++) {
                re += direction[2 * groupOf[i]] * psi(START - Y[i]);
                im += direction[2 * groupOf[i] + 1] * psi(START - Y[i]);
            }
            double expected = gap / (HuberLocation.LEARNING_RATE * Math.hypot(re, im) / n) / Math.sqrt(3);
            assertEquals(expected, store.branchSwitch(j).t(), 1e-12 * expected, "sketch " + j);
        }
    }

    static double[] scaled(double[] v, double t) {
        double[] w = v.clone();
        for (int i = 0; i < w.length; i++) w[i] *= t;
        return w;
    }
}
