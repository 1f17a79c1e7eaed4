package org.jetsketch.circuits;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.circuit.CompiledCircuit;
import org.jetsketch.predict.ExactDirection;
import org.jetsketch.train.Dataset;
import org.jetsketch.train.ExactInfluence;
import org.jetsketch.train.Schedule;
import org.jetsketch.train.Trainer;
import org.junit.jupiter.api.Test;

/**
 * The adjoint of training ({@link ExactInfluence}) against independent oracles: ∂f/∂w_i must equal
 * the degree-1 coefficient of the exact-direction jet along e_i (forward mode through the whole
 * training run, a different code path: jets on every number, no step adjoint, no Hessian-vector
 * product) for every example, and central finite differences of retraining in w_i.
 */
class ExactInfluenceTest {

    /** ∂f/∂w_i for every i by reverse mode, and the exact-direction degree-1 coefficient along e_i. */
    static <E> void assertMatchesExactDirections(CompiledCircuit<E> circuit, List<E> data, Schedule schedule,
            BoundMeasurement... measurements) {
        Dataset<E> dataset = Dataset.of(data);
        ExactInfluence.Influence influence = new ExactInfluence<>(circuit, dataset, schedule).run(measurements);
        Trainer<E> trainer = new Trainer<>(circuit, dataset, schedule);
        double[] trained = trainer.train(null);
        for (int m = 0; m < measurements.length; m++) {
            assertEquals(trainer.measure(measurements[m], trained), influence.values()[m], 0.0,
                    "the measurement at the trained parameters");
            double[] reverse = influence.derivative(m);
            double[] forward = new double[data.size()];
            double scale = 0;
            for (int i = 0; i < data.size(); i++) {
                double[] e = new double[data.size()];
                e[i] = 1.0;
                forward[i] = ExactDirection.run(circuit, dataset, schedule, circuit.initialParameters(), e, 1,
                        measurements[m]).coefficient(1);
                scale = Math.max(scale, Math.abs(forward[i]));
            }
            assertTrue(scale > 1e-6, "the influences are not trivially zero: " + scale);
            for (int i = 0; i < data.size(); i++) {
                assertEquals(forward[i], reverse[i], 1e-9 * scale,
                        measurements[m].description() + ", example " + i);
            }
        }
    }

    @Test
    void plainGradientDescentMatchesExactDirections() {
        List<Sample> data = SketchingTest.regressionData(7, 3, 11);
        LeastSquares_Circuit circuit = new LeastSquares_Circuit(new LeastSquares(new double[] {0.2, -0.1, 0.4}));
        assertMatchesExactDirections(circuit, data, Schedule.fullBatch(data.size(), 6),
                circuit.squaredPrediction(new double[] {1.0, 0.5, -2.0}),
                circuit.squaredPrediction(new double[] {-0.3, 2.0, 0.1}));
    }

    @Test
    void adamOnMinibatchesMatchesExactDirections() {
        List<Sample> data = MlpCircuitTest.samples(10);
        Mlp_Circuit circuit = new Mlp_Circuit(new Mlp(3, 4, 3, 7));
        assertMatchesExactDirections(circuit, data, Schedule.miniBatches(data.size(), 3, 3, 5),
                circuit.probability(new double[] {0.3, -1.0, 0.5}, 2),
                circuit.logit(new double[] {1.0, 0.2, -0.4}, 0));
    }

    @Test
    void branchesInTheLossMatchExactDirections() {
        List<Sample> huber = new ArrayList<>();
        for (double x : new double[] {-0.5, 0.2, 1.7, 3.0, 0.9}) huber.add(new Sample(new double[] {x}, 0));
        HuberLocation_Circuit h = new HuberLocation_Circuit(new HuberLocation(-0.4));
        assertMatchesExactDirections(h, huber, Schedule.fullBatch(huber.size(), 4), h.location());

        GuardedPenalty_Circuit g = new GuardedPenalty_Circuit(new GuardedPenalty(GuardedConditionsTest.START));
        assertMatchesExactDirections(g, GuardedConditionsTest.data(),
                Schedule.fullBatch(GuardedConditionsTest.X.length, 3), g.weight());
    }

    /** The circuits whose decisions are taken inside boolean and int helpers (issue 22). */
    @Test
    void decisionsInsideHelpersMatchExactDirections() {
        List<Sample> data = HelperDecisionsTest.data();
        Schedule schedule = Schedule.fullBatch(data.size(), 3);
        double[] x = {0.4, -1.0, 0.7};
        PositivePart_Circuit a = new PositivePart_Circuit(
                new PositivePart(HelperDecisionsTest.START_W, HelperDecisionsTest.START_B));
        assertMatchesExactDirections(a, data, schedule, a.prediction(x));
        PositivePartSmooth_Circuit b = new PositivePartSmooth_Circuit(
                new PositivePartSmooth(HelperDecisionsTest.START_W, HelperDecisionsTest.START_B));
        assertMatchesExactDirections(b, data, schedule, b.prediction(x));
        HelperCounts_Circuit c = new HelperCounts_Circuit(
                new HelperCounts(HelperDecisionsTest.START_W, HelperDecisionsTest.START_B));
        assertMatchesExactDirections(c, data, Schedule.miniBatches(data.size(), 3, 2, 4), c.prediction(x));
    }

    static List<Sample> classificationData(int n, long seed) {
        Random r = new Random(seed);
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] x = {r.nextGaussian(), r.nextGaussian(), r.nextGaussian()};
            out.add(new Sample(x, x[0] - 0.5 * x[1] + 0.3 * r.nextGaussian() > 0 ? 1 : 0));
        }
        return out;
    }

    /** Gradient clipping is a branch of the training step: the step's adjoint must replay it. */
    @Test
    void clippedMomentumMatchesExactDirectionsOnStepsWithAndWithoutTheClip() {
        List<Sample> data = classificationData(9, 3);
        ClippedRegression_Circuit circuit = new ClippedRegression_Circuit(
                new ClippedRegression(new double[] {0.8, -0.6, 0.3}, 0.2));
        Schedule schedule = Schedule.miniBatches(data.size(), 3, 4, 7);
        // the data make both sides of the clip happen during training
        Trainer<Sample> trainer = new Trainer<>(circuit, Dataset.of(data), schedule);
        double[] theta = circuit.initialParameters();
        double[][] state = new double[1][theta.length];
        double[] grad = new double[theta.length];
        int clipped = 0;
        for (int t = 0; t < schedule.steps(); t++) {
            trainer.gradient(theta, null, t, grad);
            double norm = 0;
            for (double v : grad) norm += v * v;
            if (Math.sqrt(norm) > ClippedRegression.CLIP) clipped++;
            trainer.update(theta, grad, state, t);
        }
        assertTrue(clipped > 0 && clipped < schedule.steps(), "clipped on " + clipped + " of " + schedule.steps());
        assertMatchesExactDirections(circuit, data, schedule, circuit.logit(new double[] {1.0, -1.0, 0.5}));
    }

    /**
     * Measurements share jet passes, two per complex direction: the result of each is the same,
     * bit for bit, as its own sweep (an odd count leaves one imaginary part unused).
     */
    @Test
    void sharedPassesGiveEachMeasurementItsOwnBits() {
        List<Sample> data = MlpCircuitTest.samples(9);
        Mlp_Circuit circuit = new Mlp_Circuit(new Mlp(3, 4, 3, 7));
        Schedule schedule = Schedule.miniBatches(data.size(), 3, 2, 5);
        BoundMeasurement[] ms = {circuit.probability(new double[] {0.3, -1.0, 0.5}, 2),
            circuit.logit(new double[] {1.0, 0.2, -0.4}, 0), circuit.logit(new double[] {-0.5, 0.9, 0.1}, 1)};
        ExactInfluence.Influence together = new ExactInfluence<>(circuit, Dataset.of(data), schedule).run(ms);
        for (int m = 0; m < ms.length; m++) {
            ExactInfluence.Influence alone = new ExactInfluence<>(circuit, Dataset.of(data), schedule).run(ms[m]);
            assertArrayEquals(alone.derivative(0), together.derivative(m), 0.0, "measurement " + m);
            assertEquals(alone.values()[0], together.values()[m], 0.0);
        }
    }

    /** Central finite differences of retraining in w_i: the oracle that shares no code with jets. */
    @Test
    void agreesWithFiniteDifferencesOfRetraining() {
        List<Sample> data = MlpCircuitTest.samples(8);
        Mlp_Circuit circuit = new Mlp_Circuit(new Mlp(3, 4, 3, 7));
        Schedule schedule = Schedule.miniBatches(data.size(), 3, 2, 5);
        BoundMeasurement m = circuit.probability(new double[] {0.3, -1.0, 0.5}, 1);
        double[] reverse = new ExactInfluence<>(circuit, Dataset.of(data), schedule).run(m).derivative(0);
        Trainer<Sample> trainer = new Trainer<>(circuit, Dataset.of(data), schedule);
        double h = 1e-5;
        for (int i = 0; i < data.size(); i++) {
            double[] w = new double[data.size()];
            w[i] = h;
            double plus = trainer.measure(m, trainer.train(w));
            w[i] = -h;
            double minus = trainer.measure(m, trainer.train(w));
            double fd = (plus - minus) / (2 * h);
            assertEquals(fd, reverse[i], 1e-7 + 1e-5 * Math.abs(fd), "example " + i);
        }
    }

    /** A budget that forces checkpoints and recomputation gives the same bits as keeping everything. */
    @Test
    void checkpointingRecomputesBitForBit() {
        List<Sample> data = MlpCircuitTest.samples(10);
        Mlp_Circuit circuit = new Mlp_Circuit(new Mlp(3, 4, 3, 7));
        Schedule schedule = Schedule.miniBatches(data.size(), 2, 5, 5); // 25 steps
        BoundMeasurement m = circuit.probability(new double[] {0.3, -1.0, 0.5}, 2);
        ExactInfluence<Sample> whole = new ExactInfluence<>(circuit, Dataset.of(data), schedule);
        ExactInfluence.Influence kept = whole.run(m);
        assertFalse(kept.plan().recomputes());
        assertEquals(0, kept.recomputedSteps());

        int p = circuit.layout().size();
        long stepBytes = 8L * p * 4; // θ, two Adam moments, g
        ExactInfluence<Sample> tight = new ExactInfluence<>(circuit, Dataset.of(data), schedule)
                .memoryBudget(10 * stepBytes);
        ExactInfluence.Influence recomputed = tight.run(m);
        assertTrue(recomputed.plan().recomputes());
        assertTrue(recomputed.plan().bytes() <= 10 * stepBytes, "within the budget: " + recomputed.plan());
        assertEquals(schedule.steps(), recomputed.recomputedSteps(), "every step recomputed once");
        assertArrayEquals(kept.derivative(0), recomputed.derivative(0), 0.0);

        IllegalArgumentException tooSmall = assertThrows(IllegalArgumentException.class,
                () -> new ExactInfluence<>(circuit, Dataset.of(data), schedule).memoryBudget(stepBytes).run(m));
        assertTrue(tooSmall.getMessage().contains("too small"), tooSmall.getMessage());
    }

    /** At w = 1_{D'} the sweep gives the gradient after deleting D': checked against exact directions there. */
    @Test
    void gradientAfterADeletion() {
        List<Sample> data = SketchingTest.regressionData(6, 3, 19);
        LeastSquares_Circuit circuit = new LeastSquares_Circuit(new LeastSquares(new double[] {0.2, -0.1, 0.4}));
        Schedule schedule = Schedule.fullBatch(data.size(), 3);
        BoundMeasurement m = circuit.squaredPrediction(new double[] {1.0, 0.5, -2.0});
        double[] base = {1.0, 0.0, 0.0, 1.0, 0.0, 0.0};
        ExactInfluence.Influence influence = new ExactInfluence<>(circuit, Dataset.of(data), schedule).at(base).run(m);
        Trainer<Sample> trainer = new Trainer<>(circuit, Dataset.of(data), schedule);
        assertEquals(trainer.measure(m, trainer.train(base)), influence.values()[0], 0.0);
        org.jetsketch.train.JetTrainer<Sample> jets =
                new org.jetsketch.train.JetTrainer<>(circuit, Dataset.of(data), schedule, 1, 1);
        for (int i = 0; i < data.size(); i++) {
            double[] e = new double[data.size()];
            e[i] = 1.0;
            double[] theta = jets.train(circuit.initialParameters(), base, e, new double[data.size()]);
            double[] f = new double[jets.jets().stride()];
            jets.measure(m, theta, f, 0);
            assertEquals(f[1], influence.derivative(0)[i], 1e-9 * Math.max(1, Math.abs(f[1])), "example " + i);
        }
    }

    @Test
    void rejectsForeignMeasurementsAndNoMeasurement() {
        List<Sample> data = SketchingTest.regressionData(4, 3, 1);
        LeastSquares_Circuit circuit = new LeastSquares_Circuit(new LeastSquares(new double[] {0.2, -0.1, 0.4}));
        LeastSquares_Circuit other = new LeastSquares_Circuit(new LeastSquares(new double[] {0.2, -0.1, 0.4}));
        ExactInfluence<Sample> influence = new ExactInfluence<>(circuit, Dataset.of(data), Schedule.fullBatch(4, 2));
        IllegalArgumentException foreign = assertThrows(IllegalArgumentException.class,
                () -> influence.run(other.squaredPrediction(new double[] {1, 0, 0})));
        assertTrue(foreign.getMessage().contains("belongs to circuit"), foreign.getMessage());
        assertThrows(IllegalArgumentException.class, () -> influence.run(List.of()));
        assertThrows(IllegalArgumentException.class, () -> influence.memoryBudget(0));
    }

    /** A measurement decided exactly at its switch at θ_T is reported, not silently differentiated. */
    @Test
    void reportsAMeasurementAtItsSwitch() throws Exception {
        List<Sample> data = classificationData(6, 3);
        ClippedRegression_Circuit circuit = new ClippedRegression_Circuit(
                new ClippedRegression(new double[] {0.8, -0.6, 0.3}, 0.2));
        Schedule schedule = Schedule.fullBatch(data.size(), 3);
        double[] x = {1.0, -1.0, 0.5};
        Trainer<Sample> trainer = new Trainer<>(circuit, Dataset.of(data), schedule);
        double trainedLogit = trainer.measure(circuit.logit(x), trainer.train(null));
        ExactInfluence.Influence influence = new ExactInfluence<>(circuit, Dataset.of(data), schedule)
                .run(circuit.excess(x, trainedLogit), circuit.excess(x, trainedLogit - 1.0));
        assertEquals(SourceLines.site(ClippedRegression.class, "Math.max(logit(x) - threshold, 0.0)"),
                influence.measurementTies().get(0), "the tie is reported at its source line");
        assertNull(influence.measurementTies().get(1), "away from the switch nothing is reported");
    }
}
