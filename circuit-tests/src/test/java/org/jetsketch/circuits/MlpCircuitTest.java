package org.jetsketch.circuits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;
import org.jetsketch.jet.Jets;
import org.jetsketch.train.Dataset;
import org.jetsketch.train.JetTrainer;
import org.jetsketch.train.Schedule;
import org.jetsketch.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The generated Mlp circuit against independent oracles. */
class MlpCircuitTest {
    static final int INPUTS = 3;
    static final int HIDDEN = 4;
    static final int CLASSES = 3;
    static final int N = 8;

    static List<Sample> samples(long seed) {
        Random r = new Random(seed);
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            double[] x = new double[INPUTS];
            for (int j = 0; j < INPUTS; j++) x[j] = r.nextGaussian();
            out.add(new Sample(x, r.nextInt(CLASSES)));
        }
        return out;
    }

    final Mlp model = new Mlp(INPUTS, HIDDEN, CLASSES, 7);
    final Mlp_Circuit circuit = new Mlp_Circuit(model);
    final List<Sample> data = samples(11);
    final Schedule schedule = Schedule.miniBatches(N, 3, 8, 5); // 3 batches x 8 epochs = 24 steps

    @Test
    void layoutFollowsParamDeclarationOrder() {
        assertEquals("w1[4,3] b1[4] w2[3,4] b2[3]", circuit.layout().describe());
        assertEquals(31, circuit.layout().size());
        double[] init = circuit.initialParameters();
        assertEquals(model.w1[1][2], init[5]);
        assertEquals(model.b2[2], init[30]);
    }

    @Test
    void ordinaryGradientMatchesCentralFiniteDifferences() {
        Trainer<Sample> trainer = new Trainer<>(circuit, Dataset.of(data), schedule);
        Random r = new Random(3);
        double[] w = new double[N];
        for (int i = 0; i < N; i++) w[i] = r.nextDouble();
        for (int trial = 0; trial < 3; trial++) {
            double[] theta = circuit.initialParameters();
            for (int p = 0; p < theta.length; p++) theta[p] += 0.3 * r.nextGaussian();
            double[] grad = new double[theta.length];
            trainer.gradient(theta, w, trial, grad);
            double[] scratch = new double[theta.length];
            for (int p = 0; p < theta.length; p++) {
                double h = 1e-5;
                double[] plus = theta.clone();
                double[] minus = theta.clone();
                plus[p] += h;
                minus[p] -= h;
                double fd = (trainer.gradient(plus, w, trial, scratch) - trainer.gradient(minus, w, trial, scratch)) / (2 * h);
                assertEquals(fd, grad[p], 1e-6 * Math.max(1.0, Math.abs(fd)), "parameter " + p + ", trial " + trial);
            }
        }
    }

    @Test
    void degreeZeroJetsEqualTheOrdinaryPath() {
        double[] w = new double[N];
        w[2] = 1.0;
        w[5] = 0.25;
        double[] ordinary = new Trainer<>(circuit, Dataset.of(data), schedule).train(w);
        JetTrainer<Sample> jets = new JetTrainer<>(circuit, Dataset.of(data), schedule, 0, 1);
        double[] theta = jets.train(circuit.initialParameters(), w, new double[N], new double[N]);
        for (int p = 0; p < ordinary.length; p++) {
            assertEquals(ordinary[p], theta[p], 1e-14 * Math.max(1.0, Math.abs(ordinary[p])), "parameter " + p);
        }
    }

    /** Real direction v: every Taylor coefficient in t of θ(t v) and of a measurement. */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 6})
    void realDirectionCoefficientsMatchDerivativeStructure(int k) {
        Random r = new Random(17 + k);
        double[] v = new double[N];
        for (int i = 0; i < N; i++) v[i] = r.nextDouble() < 0.5 ? 1.0 : 0.0;
        v[0] = 1.0;

        JetTrainer<Sample> trainer = new JetTrainer<>(circuit, Dataset.of(data), schedule, k, 1);
        double[] theta = trainer.train(circuit.initialParameters(), null, v, new double[N]);
        int stride = trainer.jets().stride();
        double[] measured = new double[stride];
        double[] x = {0.3, -1.2, 0.8};
        trainer.measure(circuit.probability(x, 1), theta, measured, 0);

        MlpOracle oracle = new MlpOracle(INPUTS, HIDDEN, CLASSES);
        DerivativeStructure t = new DerivativeStructure(1, k, 0, 0.0);
        DerivativeStructure[] weights = new DerivativeStructure[N];
        for (int i = 0; i < N; i++) weights[i] = t.multiply(v[i]);
        DerivativeStructure[] expected = oracle.train(circuit.initialParameters(), data, batches(), weights);
        double factorial = 1;
        for (int order = 0; order <= k; order++) {
            if (order > 0) factorial *= order;
            for (int p = 0; p < expected.length; p++) {
                double want = expected[p].getPartialDerivative(order) / factorial;
                double got = order == 0 ? theta[p * stride] : theta[p * stride + 1 + 2 * (order - 1)];
                assertClose(want, got, 1e-9, "θ_" + order + "[" + p + "]");
                if (order > 0) assertEquals(0.0, theta[p * stride + 2 + 2 * (order - 1)], 0.0, "imaginary part");
            }
            double want = oracle.probability(expected, x, 1).getPartialDerivative(order) / factorial;
            double got = order == 0 ? measured[0] : measured[1 + 2 * (order - 1)];
            assertClose(want, got, 1e-9, "measurement coefficient " + order);
        }
    }

    /**
     * Complex direction ψ = a + ib against a two-variable oracle: f(s a + t b) has derivatives
     * D_{p,q}; along z ψ the coefficient of z^r is Σ_{p+q=r} D_{p,q} i^q / (p! q!).
     */
    @Test
    void complexDirectionCoefficientsMatchTwoVariableDerivativeStructure() {
        int k = 3;
        Random r = new Random(29);
        double[] re = new double[N];
        double[] im = new double[N];
        for (int i = 0; i < N; i++) {
            re[i] = 0.4 * r.nextGaussian();
            im[i] = 0.4 * r.nextGaussian();
        }
        JetTrainer<Sample> trainer = new JetTrainer<>(circuit, Dataset.of(data), schedule, k, 1);
        double[] theta = trainer.train(circuit.initialParameters(), null, re, im);
        int stride = trainer.jets().stride();

        MlpOracle oracle = new MlpOracle(INPUTS, HIDDEN, CLASSES);
        DerivativeStructure s = new DerivativeStructure(2, k, 0, 0.0);
        DerivativeStructure t = new DerivativeStructure(2, k, 1, 0.0);
        DerivativeStructure[] weights = new DerivativeStructure[N];
        for (int i = 0; i < N; i++) weights[i] = s.multiply(re[i]).add(t.multiply(im[i]));
        DerivativeStructure[] expected = oracle.train(circuit.initialParameters(), data, batches(), weights);
        for (int order = 1; order <= k; order++) {
            for (int p = 0; p < expected.length; p++) {
                double wantRe = 0;
                double wantIm = 0;
                for (int q = 0; q <= order; q++) {
                    double d = expected[p].getPartialDerivative(order - q, q) / (factorial(order - q) * factorial(q));
                    // i^q cycles 1, i, -1, -i
                    switch (q % 4) {
                        case 0 -> wantRe += d;
                        case 1 -> wantIm += d;
                        case 2 -> wantRe -= d;
                        default -> wantIm -= d;
                    }
                }
                int o = p * stride + 1 + 2 * (order - 1);
                assertClose(wantRe, theta[o], 1e-9, "Re θ_" + order + "[" + p + "]");
                assertClose(wantIm, theta[o + 1], 1e-9, "Im θ_" + order + "[" + p + "]");
            }
        }
    }

    @Test
    void batchedDirectionsEqualSeparateRuns() {
        int k = 2;
        Random r = new Random(41);
        double[] re = new double[2 * N];
        double[] im = new double[2 * N];
        for (int i = 0; i < 2 * N; i++) {
            re[i] = r.nextGaussian();
            im[i] = r.nextGaussian();
        }
        JetTrainer<Sample> both = new JetTrainer<>(circuit, Dataset.of(data), schedule, k, 2);
        double[] together = both.train(circuit.initialParameters(), null, re, im);
        JetTrainer<Sample> one = new JetTrainer<>(circuit, Dataset.of(data), schedule, k, 1);
        Jets jets2 = both.jets();
        for (int b = 0; b < 2; b++) {
            double[] alone = one.train(circuit.initialParameters(), null,
                    java.util.Arrays.copyOfRange(re, b * N, (b + 1) * N), java.util.Arrays.copyOfRange(im, b * N, (b + 1) * N));
            for (int p = 0; p < circuit.layout().size(); p++) {
                assertEquals(alone[p * 5], together[p * jets2.stride()], 0.0);
                double[] direction = new double[5];
                jets2.layout().gather(together, p * jets2.stride(), b, direction, 0);
                for (int c = 1; c < 5; c++) {
                    assertEquals(alone[p * 5 + c], direction[c], 0.0, "parameter " + p + " direction " + b);
                }
            }
        }
    }

    private int[][] batches() {
        int[][] b = new int[schedule.steps()][];
        for (int s = 0; s < b.length; s++) b[s] = schedule.batchOf(s);
        return b;
    }

    private static double factorial(int n) {
        double f = 1;
        for (int i = 2; i <= n; i++) f *= i;
        return f;
    }

    static void assertClose(double want, double got, double relative, String what) {
        double scale = Math.max(1e-3, Math.abs(want));
        assertTrue(Math.abs(want - got) <= relative * scale,
                what + ": expected " + want + ", got " + got + " (difference " + Math.abs(want - got) + ")");
    }
}
