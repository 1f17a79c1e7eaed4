package org.jetsketch.circuits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;
import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.circuit.CompiledCircuit;
import org.jetsketch.predict.ExactDirection;
import org.jetsketch.predict.ExactDirectionCurve;
import org.jetsketch.train.Dataset;
import org.jetsketch.train.Schedule;
import org.jetsketch.train.Trainer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Circuits whose decisions on active values are taken inside helpers that return a boolean or an
 * int ({@link PositivePart}, its smooth variant {@link PositivePartSmooth}, {@link HelperCounts}),
 * against independent oracles: the ordinary gradient against central finite differences; the
 * exact-direction coefficients against full-batch training written out by hand over Commons Math
 * {@code DerivativeStructure} (each decision taken on the real value, as the jet code takes it);
 * the branch monitor's radius and site against the decisions of that hand-written training: after
 * one step θ(t) is affine in t, so every decision of step 2 compares a linear d(t) = d0 + d1 t and
 * its radius is |d0 / d1|, at the line of the helper that compares.
 */
class HelperDecisionsTest {
    static final double[][] X = {
        {0.8, -0.4, 1.2}, {-1.1, 0.3, 0.5}, {0.2, 1.4, -0.7}, {1.5, -0.9, 0.1}, {-0.6, -1.3, 0.9}, {0.4, 0.7, 1.8},
    };
    static final int[] Y = {1, -1, 0, 2, -2, 1};
    static final double[] START_W = {0.5, -0.25, 1.0};
    static final double START_B = 0.1;
    static final double[] PROBE = {0.3, -1.2, 0.8};

    static final int[][] DELETIONS = {{0}, {1}, {2}, {3}, {4}, {5}, {0, 1}, {2, 5}, {1, 4}, {0, 3}, {3, 4}, {1, 2, 3}};

    static List<Sample> data() {
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < X.length; i++) out.add(new Sample(X[i].clone(), Y[i]));
        return out;
    }

    /** A decision of the hand-written training: the compared difference along t, and its source line. */
    record Decision(String code, DerivativeStructure difference) {}

    /**
     * dℓ/dr of one example's loss, ℓ depending on θ only through the residual r = w·x + b − y
     * (and, for {@link HelperCounts}, through decisions on z_j = w_j x_j that carry no derivative).
     * Records each decision the circuit's source takes, in the order Java takes them.
     */
    interface Slope {
        DerivativeStructure of(DerivativeStructure[] w, double[] x, DerivativeStructure r, List<Decision> decisions);
    }

    /** One circuit under test: the generated code, its measurement, and its loss written out by hand. */
    record Case(Class<?> source, CompiledCircuit<Sample> circuit, Function<double[], BoundMeasurement> prediction,
            double learningRate, Slope slope) {}

    static Case of(String name) {
        return switch (name) {
            case "PositivePart" -> {
                PositivePart_Circuit c = new PositivePart_Circuit(new PositivePart(START_W, START_B));
                yield new Case(PositivePart.class, c, c::prediction, PositivePart.LEARNING_RATE, (w, x, r, d) -> {
                    d.add(new Decision("return v > 0;", r));
                    return r.getValue() > 0 ? r.multiply(2) : r;
                });
            }
            case "PositivePartSmooth" -> {
                PositivePartSmooth_Circuit c = new PositivePartSmooth_Circuit(new PositivePartSmooth(START_W, START_B));
                yield new Case(PositivePartSmooth.class, c, c::prediction, PositivePartSmooth.LEARNING_RATE,
                        (w, x, r, d) -> {
                            d.add(new Decision("return v > 0;", r));
                            return r.multiply(2);
                        });
            }
            case "HelperCounts" -> {
                HelperCounts_Circuit c = new HelperCounts_Circuit(new HelperCounts(START_W, START_B));
                yield new Case(HelperCounts.class, c, c::prediction, HelperCounts.LEARNING_RATE,
                        HelperDecisionsTest::helperCountsSlope);
            }
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** ℓ = r²/2 + [r > 1] (r − 1)²/2 + 0.1 [#{j: z_j > 0} ≥ 2] r + 0.2 sign(r) r. */
    static DerivativeStructure helperCountsSlope(DerivativeStructure[] w, double[] x, DerivativeStructure r,
            List<Decision> decisions) {
        decisions.add(new Decision("return v > limit;", r.subtract(HelperCounts.LIMIT)));
        int positive = 0;
        for (int j = 0; j < w.length; j++) {
            DerivativeStructure z = w[j].multiply(x[j]);
            decisions.add(new Decision("if (v[j] > 0) n++;", z));
            if (z.getValue() > 0) positive++;
        }
        DerivativeStructure slope = r;
        if (r.getValue() > HelperCounts.LIMIT) slope = slope.add(r.subtract(HelperCounts.LIMIT));
        if (positive >= 2) slope = slope.add(0.1);
        decisions.add(new Decision("if (v > 0) return 1;", r));
        int sign;
        if (r.getValue() > 0) {
            sign = 1;
        } else {
            decisions.add(new Decision("if (v < 0) return -1;", r));
            sign = r.getValue() < 0 ? -1 : 0;
        }
        return slope.add(0.2 * sign);
    }

    /** Parameters (w_0..w_2, b) after full-batch SGD with example i's loss weighted by 1 − t v_i. */
    static DerivativeStructure[] train(Case c, int steps, double[] v, int order, List<List<Decision>> decisionsByStep) {
        DerivativeStructure t = new DerivativeStructure(1, order, 0, 0.0);
        DerivativeStructure[] theta = new DerivativeStructure[START_W.length + 1];
        for (int j = 0; j < START_W.length; j++) theta[j] = t.createConstant(START_W[j]);
        theta[START_W.length] = t.createConstant(START_B);
        int n = X.length;
        for (int s = 0; s < steps; s++) {
            List<Decision> decisions = new ArrayList<>();
            DerivativeStructure[] w = java.util.Arrays.copyOf(theta, START_W.length);
            DerivativeStructure[] grad = new DerivativeStructure[theta.length];
            for (int p = 0; p < grad.length; p++) grad[p] = t.createConstant(0.0);
            for (int i = 0; i < n; i++) {
                DerivativeStructure r = theta[START_W.length].subtract(Y[i]);
                for (int j = 0; j < w.length; j++) r = r.add(w[j].multiply(X[i][j]));
                DerivativeStructure weighted = c.slope().of(w, X[i], r, decisions)
                        .multiply(t.multiply(-v[i]).add(1.0)).divide(n);
                for (int j = 0; j < w.length; j++) grad[j] = grad[j].add(weighted.multiply(X[i][j]));
                grad[START_W.length] = grad[START_W.length].add(weighted);
            }
            for (int p = 0; p < theta.length; p++) theta[p] = theta[p].subtract(grad[p].multiply(c.learningRate()));
            decisionsByStep.add(decisions);
        }
        return theta;
    }

    static DerivativeStructure prediction(DerivativeStructure[] theta, double[] x) {
        DerivativeStructure p = theta[START_W.length];
        for (int j = 0; j < x.length; j++) p = p.add(theta[j].multiply(x[j]));
        return p;
    }

    @ParameterizedTest
    @ValueSource(strings = {"PositivePart", "PositivePartSmooth", "HelperCounts"})
    void ordinaryGradientMatchesCentralFiniteDifferences(String name) {
        Case c = of(name);
        Trainer<Sample> trainer = new Trainer<>(c.circuit(), Dataset.of(data()), Schedule.fullBatch(X.length, 1));
        Random random = new Random(5);
        double[] weights = new double[X.length];
        for (int i = 0; i < weights.length; i++) weights[i] = random.nextDouble();
        int checked = 0;
        for (int trial = 0; trial < 4; trial++) {
            double[] theta = c.circuit().initialParameters();
            for (int p = 0; p < theta.length; p++) theta[p] += 0.5 * random.nextGaussian();
            double[] grad = new double[theta.length];
            trainer.gradient(theta, weights, 0, grad);
            double[] scratch = new double[theta.length];
            for (int p = 0; p < theta.length; p++) {
                double h = 1e-6;
                double[] plus = theta.clone();
                double[] minus = theta.clone();
                plus[p] += h;
                minus[p] -= h;
                double fd = (trainer.gradient(plus, weights, 0, scratch) - trainer.gradient(minus, weights, 0, scratch))
                        / (2 * h);
                assertEquals(fd, grad[p], 1e-7 * Math.max(1.0, Math.abs(fd)), name + " parameter " + p + ", trial " + trial);
                if (grad[p] != 0) checked++;
            }
        }
        assertEquals(16, checked, "every gradient entry is nonzero");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PositivePart", "PositivePartSmooth", "HelperCounts"})
    void exactDirectionCoefficientsMatchDerivativeStructure(String name) {
        Case c = of(name);
        int steps = 4;
        int degree = 5;
        Schedule schedule = Schedule.fullBatch(X.length, steps);
        for (int[] deletion : new int[][] {{0}, {1, 3}, {2, 4, 5}}) {
            double[] v = ExactDirection.indicator(X.length, deletion);
            ExactDirectionCurve curve = ExactDirection.run(c.circuit(), Dataset.of(data()), schedule,
                    c.circuit().initialParameters(), v, degree, c.prediction().apply(PROBE));
            DerivativeStructure expected = prediction(train(c, steps, v, degree, new ArrayList<>()), PROBE);
            double factorial = 1;
            for (int r = 0; r <= degree; r++) {
                if (r > 0) factorial *= r;
                double want = expected.getPartialDerivative(r) / factorial;
                assertEquals(want, curve.coefficient(r), 1e-12 * Math.max(1.0, Math.abs(want)),
                        name + " coefficient " + r + " for D = " + java.util.Arrays.toString(deletion));
            }
            assertTrue(Math.abs(curve.coefficient(2)) > 1e-4, name + ": a nonlinear curve, " + curve.coefficient(2));
        }
    }

    /**
     * The monitor's radius after two steps is the nearest step-2 switch of the hand-written
     * training, at the helper line that compares; inside it the degree-3 curve is retraining
     * (two steps of a loss that is quadratic on each side of every decision give a polynomial of
     * degree 2 in t); beyond the crossing it is retraining only for the smooth variant.
     */
    @ParameterizedTest
    @ValueSource(strings = {"PositivePart", "PositivePartSmooth", "HelperCounts"})
    void helperComparisonsReachTheMonitorAtTheHelperLine(String name) throws IOException {
        Case c = of(name);
        Schedule schedule = Schedule.fullBatch(X.length, 2);
        Trainer<Sample> trainer = new Trainer<>(c.circuit(), Dataset.of(data()), schedule);
        BoundMeasurement m = c.prediction().apply(PROBE);
        List<String> nearestSites = new ArrayList<>();
        for (int[] deletion : DELETIONS) {
            String what = name + ", D = " + java.util.Arrays.toString(deletion);
            double[] v = ExactDirection.indicator(X.length, deletion);
            List<List<Decision>> decisions = new ArrayList<>();
            train(c, 2, v, 3, decisions);
            for (Decision d : decisions.get(0)) {
                assertEquals(0.0, d.difference().getPartialDerivative(1), 0.0, "step 1 decides at the constant θ_0");
            }
            double nearest = Double.POSITIVE_INFINITY;
            double crossing = Double.NaN;
            List<String> sites = new ArrayList<>();
            for (Decision d : decisions.get(1)) {
                double d0 = d.difference().getValue();
                double d1 = d.difference().getPartialDerivative(1);
                assertEquals(0.0, d.difference().getPartialDerivative(2), 0.0, "θ_1 is affine in t");
                double radius = Math.abs(d0 / d1);
                String site = SourceLines.site(c.source(), d.code());
                if (radius < nearest * (1 - 1e-12)) {
                    nearest = radius;
                    crossing = -d0 / d1;
                    sites.clear();
                }
                // ties: the same difference compared twice (sign's two lines), the first one kept
                if (Math.abs(radius - nearest) <= 1e-12 * nearest && !sites.contains(site)) sites.add(site);
            }
            ExactDirectionCurve curve = ExactDirection.run(c.circuit(), Dataset.of(data()), schedule,
                    c.circuit().initialParameters(), v, 3, m);
            assertEquals(nearest, curve.branchSwitch().t(), 1e-12 * nearest, what + ": radius");
            assertTrue(sites.contains(curve.branchSwitch().site()), what + ": " + curve.branchSwitch().site() + " not in " + sites);
            nearestSites.add(curve.branchSwitch().site());

            double inside = 0.9 * crossing;
            assertEquals(trainer.measure(m, trainer.train(scaled(v, inside))), curve.value(inside, 3), 1e-12,
                    what + ": inside the radius");
            double beyond = 1.5 * crossing;
            double retrained = trainer.measure(m, trainer.train(scaled(v, beyond)));
            if (c.source() == PositivePartSmooth.class) {
                assertEquals(retrained, curve.value(beyond, 3), 1e-12, what + ": both branches are the same function");
            } else {
                assertTrue(Math.abs(retrained - curve.value(beyond, 3)) > 1e-4,
                        what + ": switched, " + retrained + " vs " + curve.value(beyond, 3));
            }
        }
        if (c.source() == HelperCounts.class) {
            // along these deletions the nearest switch is now the int count's, now the int sign's
            assertTrue(nearestSites.contains(SourceLines.site(HelperCounts.class, "if (v[j] > 0) n++;"))
                    && nearestSites.contains(SourceLines.site(HelperCounts.class, "if (v > 0) return 1;")),
                    nearestSites.toString());
        }
    }

    static double[] scaled(double[] v, double t) {
        double[] out = v.clone();
        for (int i = 0; i < out.length; i++) out[i] *= t;
        return out;
    }
}
