package org.jetsketch.microgpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The test-only ordinary-training reference ({@link ReferenceGpt}) against {@link MicroGpt}. */
class ReferenceTrainingTest {

    private static final NamesData NAMES = NamesData.bundled();
    private static final Vocabulary VOCAB = NAMES.vocabulary();

    @Test
    void referenceGradientMatchesFiniteDifferencesOfTheCircuitLoss() {
        MicroGpt model = new MicroGpt(27, 5);
        double[] flat = model.flatParameters();
        for (int i = 0; i < flat.length; i++) {
            flat[i] *= 6; // away from the near-linear regime of the initialisation
        }
        model.loadParameters(flat);
        Doc doc = VOCAB.doc("maximilian");
        ReferenceGpt.LossAndGradient lg = ReferenceGpt.lossAndGradient(model, doc);
        assertEquals(model.loss(doc), lg.loss(), 1e-12);

        // Every matrix gets a few coordinates, plus random ones.
        Random rng = new Random(3);
        int[] starts = {0, 432, 688, 1120, 1376, 1632, 1888, 2144, 3168};
        int checked = 0;
        double h = 1e-5;
        for (int start : starts) {
            for (int r = 0; r < 4; r++) {
                int end = start == 3168 ? 4192 : starts[Arrays.binarySearch(starts, start) + 1];
                int i = start + rng.nextInt(end - start);
                double[] plus = flat.clone();
                double[] minus = flat.clone();
                plus[i] += h;
                minus[i] -= h;
                double fd = (new MicroGpt(27, plus).loss(doc) - new MicroGpt(27, minus).loss(doc))
                        / (2 * h);
                assertEquals(fd, lg.gradient()[i], 1e-7 + 1e-5 * Math.abs(fd), "coordinate " + i);
                checked++;
            }
        }
        assertEquals(36, checked);
        // wte rows of characters not in the document get no gradient.
        int z = VOCAB.id('z');
        for (int j = 0; j < 16; j++) {
            assertEquals(0.0, lg.gradient()[z * 16 + j], 0.0);
        }
    }

    @Test
    void ordinaryTrainingLowersTheLoss() {
        int steps = 300;
        List<Doc> docs = VOCAB.docs(NAMES.shuffled().first(steps));
        MicroGpt model = new MicroGpt(27, MicroGpt.DEFAULT_SEED);
        Doc probe = VOCAB.doc("max");
        double before = model.loss(probe);
        double[] losses = ReferenceGpt.train(model, docs, null, steps);
        assertEquals(Math.log(27), losses[0], 0.1);
        double first = mean(losses, 0, 10);
        double last = mean(losses, steps - 50, steps);
        // The paper's run reaches about 2.4 after 1000 steps.
        assertTrue(last < 2.8 && last < first - 0.4,
                "first 10 steps " + first + ", last 50 steps " + last);
        assertTrue(Double.isFinite(model.loss(probe)) && model.loss(probe) != before);
    }

    @Test
    void aFullyDeletedDocumentStillTakesItsStep() {
        List<Doc> docs = VOCAB.docs(List.of("emma", "max", "ava"));
        MicroGpt a = new MicroGpt(27, 9);
        MicroGpt b = new MicroGpt(27, 9);
        ReferenceGpt.train(a, docs, new double[] {0, 1, 0}, 3);

        // By hand: step 1 with a zero gradient.
        double[] p = b.flatParameters();
        double[] m = new double[p.length];
        double[] v = new double[p.length];
        MicroGpt.adam(p, ReferenceGpt.lossAndGradient(b, docs.get(0)).gradient(), m, v, 0, 3);
        b.loadParameters(p);
        MicroGpt.adam(p, new double[p.length], m, v, 1, 3);
        b.loadParameters(p);
        MicroGpt.adam(p, ReferenceGpt.lossAndGradient(b, docs.get(2)).gradient(), m, v, 2, 3);
        assertArrayEquals(p, a.flatParameters(), 0.0);
    }

    private static double mean(double[] xs, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += xs[i];
        }
        return s / (to - from);
    }
}
