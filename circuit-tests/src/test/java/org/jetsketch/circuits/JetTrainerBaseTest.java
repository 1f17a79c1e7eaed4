package org.jetsketch.circuits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.train.Dataset;
import org.jetsketch.train.JetTrainer;
import org.jetsketch.train.Schedule;
import org.jetsketch.train.Trainer;
import org.junit.jupiter.api.Test;

/**
 * JetTrainer's expansion around a base weight vector, w(t) = base + t·d, against retraining. With
 * s full-batch gradient steps of least squares θ is a polynomial of degree s in the weights and
 * (w·x)² one of degree 2s, so 2s + 1 retrainings at base + t·d determine f(t) exactly: their
 * interpolating polynomial is the oracle for every jet coefficient. The base deletes some
 * examples outright (weight 1) that the direction moves: they contribute no value at the base but
 * do contribute derivatives.
 */
class JetTrainerBaseTest {

    @Test
    void expansionAroundABaseMatchesRetrainingAlongTheLine() {
        int n = 6;
        List<Sample> data = SketchingTest.regressionData(n, 3, 19);
        LeastSquares_Circuit circuit = new LeastSquares_Circuit(new LeastSquares(new double[] {0.2, -0.1, 0.4}));
        int steps = 2;
        int degree = 2 * steps;
        Schedule schedule = Schedule.fullBatch(n, steps);
        BoundMeasurement m = circuit.squaredPrediction(new double[] {1.0, 0.5, -2.0});
        double[] base = {1.0, 0.0, 0.5, 1.0, 0.25, 0.0};
        double[] d = {0.7, 0.0, -0.4, -1.0, 0.3, 0.9};

        JetTrainer<Sample> jets = new JetTrainer<>(circuit, Dataset.of(data), schedule, degree, 1);
        double[] theta = jets.train(circuit.initialParameters(), base, d, new double[n]);
        double[] f = new double[jets.jets().stride()];
        jets.measure(m, theta, f, 0);

        Trainer<Sample> trainer = new Trainer<>(circuit, Dataset.of(data), schedule);
        double[] ts = new double[degree + 1];
        double[] values = new double[degree + 1];
        for (int q = 0; q <= degree; q++) {
            ts[q] = -1.0 + 2.0 * q / degree;
            double[] w = new double[n];
            for (int i = 0; i < n; i++) w[i] = base[i] + ts[q] * d[i];
            values[q] = trainer.measure(m, trainer.train(w));
        }
        double[] oracle = interpolate(ts, values);
        double scale = 0;
        for (double c : oracle) scale = Math.max(scale, Math.abs(c));
        assertEquals(oracle[0], f[0], 1e-12 * scale, "coefficient 0: the measurement at the base");
        for (int r = 1; r <= degree; r++) {
            // single direction: coefficient r is (re, im) at 1 + 2(r - 1); a real direction has im = 0
            assertEquals(oracle[r], f[1 + 2 * (r - 1)], 1e-9 * scale, "coefficient " + r);
            assertEquals(0.0, f[2 + 2 * (r - 1)], 1e-12 * scale, "imaginary part of coefficient " + r);
        }
        assertEquals(true, Math.abs(oracle[degree]) > 1e-6 * scale, "the top coefficient is not trivially zero");
    }

    /** The coefficients of the polynomial through (ts[q], values[q]) (Gaussian elimination on the Vandermonde system). */
    static double[] interpolate(double[] ts, double[] values) {
        int n = ts.length;
        double[][] a = new double[n][n + 1];
        for (int q = 0; q < n; q++) {
            double p = 1;
            for (int r = 0; r < n; r++) {
                a[q][r] = p;
                p *= ts[q];
            }
            a[q][n] = values[q];
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int q = col + 1; q < n; q++) if (Math.abs(a[q][col]) > Math.abs(a[pivot][col])) pivot = q;
            double[] tmp = a[col];
            a[col] = a[pivot];
            a[pivot] = tmp;
            for (int q = 0; q < n; q++) {
                if (q == col) continue;
                double factor = a[q][col] / a[col][col];
                for (int r = col; r <= n; r++) a[q][r] -= factor * a[col][r];
            }
        }
        double[] c = new double[n];
        for (int r = 0; r < n; r++) c[r] = a[r][n] / a[r][r];
        return c;
    }
}
