package org.jetsketch.microgpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.predict.ExactDirection;
import org.jetsketch.predict.ExactDirectionCurve;
import org.jetsketch.sketch.BranchSwitch;
import org.jetsketch.train.Dataset;
import org.jetsketch.train.JetTrainer;
import org.jetsketch.train.Schedule;
import org.jetsketch.train.Trainer;
import org.junit.jupiter.api.Test;

/**
 * microgpt through the code the annotation processor generated ({@link MicroGpt_Circuit}) and the
 * runtime's trainers: the gradient against the independent scalar autodiff ({@link ReferenceGpt})
 * and central finite differences, degree-0 jets against ordinary training, jet coefficients
 * against finite differences of retraining, and a scaled-down figure 2.
 */
class GeneratedCircuitTest {

    private static final NamesData NAMES = NamesData.bundled();
    private static final Vocabulary VOCAB = NAMES.vocabulary();

    /** The first flat index of each matrix, in the spec's order, and P. */
    private static final int[] STARTS = {0, 432, 688, 1120, 1376, 1632, 1888, 2144, 3168, 4192};

    private static MicroGpt scaledModel(long seed, double scale) {
        MicroGpt model = new MicroGpt(VOCAB.size(), seed);
        double[] flat = model.flatParameters();
        for (int i = 0; i < flat.length; i++) {
            flat[i] *= scale; // away from the near-linear regime of the initialisation
        }
        model.loadParameters(flat);
        return model;
    }

    @Test
    void layoutIsTheSpecOrder() {
        MicroGpt_Circuit circuit = new MicroGpt_Circuit(new MicroGpt(27, 42));
        assertEquals(4192, circuit.layout().size());
        assertEquals("wte[27,16] wpe[16,16] lmHead[27,16] attnWq[16,16] attnWk[16,16] attnWv[16,16]"
                + " attnWo[16,16] mlpFc1[64,16] mlpFc2[16,64]", circuit.layout().describe());
        for (int k = 0; k < STARTS.length - 1; k++) {
            assertEquals(STARTS[k], circuit.layout().entries().get(k).offset());
        }
        assertEquals(Arrays.toString(new MicroGpt(27, 42).flatParameters()),
                Arrays.toString(circuit.initialParameters()));
        assertEquals(2, circuit.stateArrays());
    }

    @Test
    void generatedGradientMatchesTheReferenceAndFiniteDifferences() {
        MicroGpt model = scaledModel(5, 6);
        MicroGpt_Circuit circuit = new MicroGpt_Circuit(model);
        double[] theta = circuit.initialParameters();
        for (String name : List.of("maximilian", "christopherjohnsonsmith")) {
            Doc doc = VOCAB.doc(name);
            Trainer<Doc> trainer = new Trainer<>(circuit, Dataset.of(List.of(doc)), Schedule.sequential(1, 1));
            double[] grad = new double[theta.length];
            double loss = trainer.gradient(theta, null, 0, grad);
            ReferenceGpt.LossAndGradient ref = ReferenceGpt.lossAndGradient(model, doc);
            assertEquals(ref.loss(), loss, 1e-12 * Math.abs(loss), name);

            // The whole vector against the independent scalar autodiff.
            double norm = 0;
            for (double g : ref.gradient()) {
                norm = Math.max(norm, Math.abs(g));
            }
            for (int i = 0; i < theta.length; i++) {
                assertEquals(ref.gradient()[i], grad[i], 1e-9 * Math.max(Math.abs(ref.gradient()[i]), 1e-3 * norm),
                        name + ": coordinate " + i);
            }

            // ~40 coordinates across all matrices against central differences of the generated loss.
            Random rng = new Random(3);
            double[] scratch = new double[theta.length];
            double h = 1e-5;
            int checked = 0;
            for (int k = 0; k < STARTS.length - 1; k++) {
                for (int r = 0; r < 5; r++) {
                    int i = r == 0 ? firstActive(grad, STARTS[k], STARTS[k + 1])
                            : STARTS[k] + rng.nextInt(STARTS[k + 1] - STARTS[k]);
                    double[] plus = theta.clone();
                    double[] minus = theta.clone();
                    plus[i] += h;
                    minus[i] -= h;
                    double fd = (trainer.gradient(plus, null, 0, scratch) - trainer.gradient(minus, null, 0, scratch))
                            / (2 * h);
                    assertEquals(fd, grad[i], 1e-6 * Math.max(Math.abs(fd), 1e-2 * norm),
                            name + ": coordinate " + i);
                    checked++;
                }
            }
            assertEquals(45, checked);

            // A data weight scales the gradient by (1 − w).
            Trainer<Doc> weighted = new Trainer<>(circuit, Dataset.of(List.of(doc)), Schedule.sequential(1, 1));
            double[] gw = new double[theta.length];
            weighted.gradient(theta, new double[] {0.25}, 0, gw);
            for (int i = 0; i < theta.length; i += 97) {
                assertEquals(0.75 * grad[i], gw[i], 1e-12 * Math.abs(grad[i]) + 1e-300);
            }
        }
    }

    private static int firstActive(double[] grad, int from, int to) {
        for (int i = from; i < to; i++) {
            if (grad[i] != 0.0) return i;
        }
        return from;
    }

    @Test
    void degreeZeroJetTrainingEqualsOrdinaryTraining() {
        int steps = 20;
        List<Doc> docs = VOCAB.docs(NAMES.shuffled().first(steps));
        MicroGpt_Circuit circuit = new MicroGpt_Circuit(new MicroGpt(27, 42));
        Schedule schedule = Schedule.sequential(steps, steps);
        double[] w = new double[steps];
        w[3] = 1.0;
        w[7] = 0.4;
        w[11] = -0.5;
        for (double[] weights : new double[][] {null, w}) {
            double[] ordinary = new Trainer<>(circuit, Dataset.of(docs), schedule)
                    .train(circuit.initialParameters(), weights);
            JetTrainer<Doc> jets = new JetTrainer<>(circuit, Dataset.of(docs), schedule, 0, 1);
            double[] theta = jets.train(circuit.initialParameters(), weights, new double[steps], new double[steps]);
            int stride = jets.jets().stride();
            assertEquals(1, stride);
            // every primitive computes a jet's real part with the real rule's operations: equal bit for bit
            int differing = 0;
            for (int p = 0; p < ordinary.length; p++) {
                if (Double.doubleToRawLongBits(ordinary[p]) != Double.doubleToRawLongBits(theta[p * stride])) differing++;
            }
            assertEquals(0, differing, "parameters whose degree-0 jet differs from ordinary training");
        }
    }

    @Test
    void jetCoefficientsMatchFiniteDifferencesOfRetraining() {
        int steps = 20;
        List<Doc> docs = VOCAB.docs(NAMES.shuffled().first(steps));
        MicroGpt_Circuit circuit = new MicroGpt_Circuit(new MicroGpt(27, 42));
        Schedule schedule = Schedule.sequential(steps, steps);
        double[] v = new double[steps];
        for (int i = 0; i < steps; i += 3) v[i] = 1.0;
        BoundMeasurement max = circuit.lossOn(VOCAB.doc("max"));
        ExactDirectionCurve curve = ExactDirection.run(circuit, Dataset.of(docs), schedule,
                circuit.initialParameters(), v, 3, max);

        Trainer<Doc> trainer = new Trainer<>(circuit, Dataset.of(docs), schedule);
        double h = 1e-3;
        double f0 = trainer.measure(max, trainer.train(circuit.initialParameters(), null));
        double fp = trainer.measure(max, trainer.train(circuit.initialParameters(), scaled(v, h)));
        double fm = trainer.measure(max, trainer.train(circuit.initialParameters(), scaled(v, -h)));
        assertEquals(f0, curve.coefficient(0), 1e-12 * Math.abs(f0));
        double c1 = (fp - fm) / (2 * h);
        double c2 = (fp - 2 * f0 + fm) / (2 * h * h);
        // Central differences: c1 is off by about c3·h², c2 by about c4·h² plus rounding 1e-16/h².
        assertEquals(c1, curve.coefficient(1), 1e-5 * Math.abs(c1) + 1e-7);
        assertEquals(c2, curve.coefficient(2), 1e-3 * Math.abs(c2) + 1e-6);
        // the softmax max is a shift (Fn.stopGradient), not a branch: nothing can switch
        assertEquals(BranchSwitch.NONE, curve.branchSwitch());
    }

    /**
     * Degree 6 along a real direction against an independent estimate: the degree-6 polynomial
     * through retrained values at t = −3h..3h (h = 0.04) recovers c_0..c_6 up to O(h)·c_7 and
     * rounding of order 1e-15/h^6; the jet coefficients must agree to that accuracy.
     */
    @Test
    void degreeSixCoefficientsMatchAPolynomialFitOfRetraining() {
        int steps = 30;
        List<Doc> docs = VOCAB.docs(NAMES.shuffled().first(steps));
        MicroGpt_Circuit circuit = new MicroGpt_Circuit(new MicroGpt(27, 42));
        Schedule schedule = Schedule.sequential(steps, steps);
        double[] v = new double[steps];
        for (int i = 1; i < steps; i += 4) v[i] = 1.0;
        BoundMeasurement max = circuit.lossOn(VOCAB.doc("max"));
        ExactDirectionCurve curve = ExactDirection.run(circuit, Dataset.of(docs), schedule,
                circuit.initialParameters(), v, 6, max);
        Trainer<Doc> trainer = new Trainer<>(circuit, Dataset.of(docs), schedule);
        int points = 7;
        double h = 0.04;
        double[][] a = new double[points][points + 1];
        for (int q = 0; q < points; q++) {
            double t = (q - 3) * h;
            for (int r = 0; r < points; r++) a[q][r] = Math.pow(t, r);
            a[q][points] = trainer.measure(max, trainer.train(circuit.initialParameters(), scaled(v, t)));
        }
        double[] fit = solve(a);
        double scale = 0;
        for (int r = 1; r <= 6; r++) scale = Math.max(scale, Math.abs(curve.coefficient(r)));
        assertTrue(scale > 1e-4, "the direction moves the measurement: " + scale);
        double[] tolerance = {1e-12, 1e-7, 1e-6, 1e-5, 1e-3, 1e-2, 5e-2};
        for (int r = 0; r <= 6; r++) {
            assertEquals(fit[r], curve.coefficient(r), tolerance[r] * Math.max(Math.abs(fit[r]), scale),
                    "c_" + r + " (jet " + curve.coefficient(r) + ", fit " + fit[r] + ")");
        }
    }

    /** Gauss-Jordan elimination with partial pivoting on an augmented matrix. */
    private static double[] solve(double[][] a) {
        int n = a.length;
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
            double[] tmp = a[col];
            a[col] = a[pivot];
            a[pivot] = tmp;
            for (int r = 0; r < n; r++) {
                if (r == col) continue;
                double f = a[r][col] / a[col][col];
                for (int k = col; k <= n; k++) a[r][k] -= f * a[col][k];
            }
        }
        double[] x = new double[n];
        for (int r = 0; r < n; r++) x[r] = a[r][n] / a[r][r];
        return x;
    }

    private static double[] scaled(double[] v, double t) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) out[i] = t * v[i];
        return out;
    }

    /**
     * Figure 2 of the paper, scaled down to 100 steps: D = the training names containing a letter,
     * the measurement is the loss on "max"; the exact-direction degree-6 value at t = 1 is closer
     * to retraining than the degree-1 value.
     */
    @Test
    void scaledDownFigure2DegreeSixBeatsDegreeOne() {
        int steps = 100;
        List<String> names = NAMES.shuffled().first(steps);
        List<Doc> docs = VOCAB.docs(names);
        String letter = null;
        int[] deletion = null;
        for (String candidate : List.of("x", "z", "q", "j", "v")) {
            List<Integer> d = new ArrayList<>();
            for (int i = 0; i < steps; i++) {
                if (names.get(i).contains(candidate)) d.add(i);
            }
            if (!d.isEmpty()) {
                letter = candidate;
                deletion = d.stream().mapToInt(Integer::intValue).toArray();
                break;
            }
        }
        assertTrue(deletion != null, "no training name among the first 100 contains x, z, q, j or v");

        MicroGpt_Circuit circuit = new MicroGpt_Circuit(new MicroGpt(27, 42));
        Schedule schedule = Schedule.sequential(steps, steps);
        BoundMeasurement max = circuit.lossOn(VOCAB.doc("max"));
        double[] v = ExactDirection.indicator(steps, deletion);
        ExactDirectionCurve curve = ExactDirection.run(circuit, Dataset.of(docs), schedule,
                circuit.initialParameters(), v, 6, max);
        Trainer<Doc> trainer = new Trainer<>(circuit, Dataset.of(docs), schedule);
        double retrained = trainer.measure(max, trainer.train(circuit.initialParameters(), v));
        double original = trainer.measure(max, trainer.train(circuit.initialParameters(), null));

        double error1 = Math.abs(curve.value(1.0, 1) - retrained);
        double error6 = Math.abs(curve.value(1.0, 6) - retrained);
        String report = "letter " + letter + ", |D| = " + deletion.length + ", f(0) = " + original
                + ", retrained " + retrained + ", degree-1 error " + error1 + ", degree-6 error " + error6;
        System.out.println("scaled-down figure 2: " + report);
        assertFalse(retrained == original, report);
        assertTrue(error6 < error1, report);
    }
}
