package org.jetsketch.microgpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MicroGptTest {

    private static final Vocabulary VOCAB = NamesData.bundled().vocabulary();
    private static final MicroGpt MODEL = new MicroGpt(VOCAB.size(), MicroGpt.DEFAULT_SEED);

    // ------------------------------------------------------------------ shapes and init

    @Test
    void shapesMatchTheSpec() {
        assertEquals(27, VOCAB.size());
        assertEquals(4192, MicroGpt.parameterCount(27));
        assertEquals(4192, MODEL.parameterCount());
        assertEquals(4192, MODEL.flatParameters().length);
        int[][] shapes = {{27, 16}, {16, 16}, {27, 16}, {16, 16}, {16, 16}, {16, 16}, {16, 16},
            {64, 16}, {16, 64}};
        double[][][] matrices = MODEL.parameterMatrices();
        assertEquals(shapes.length, matrices.length);
        assertEquals(shapes.length, MicroGpt.parameterNames().size());
        for (int k = 0; k < shapes.length; k++) {
            assertEquals(shapes[k][0], matrices[k].length, MicroGpt.parameterNames().get(k));
            for (double[] row : matrices[k]) {
                assertEquals(shapes[k][1], row.length, MicroGpt.parameterNames().get(k));
            }
        }
        assertEquals(1, MicroGpt.N_LAYER);
        assertEquals(4, MODEL.headDim);
        assertEquals(64, MODEL.mlpHidden);
        assertEquals(26, MODEL.bos());
    }

    @Test
    void initIsSeededGaussianInSpecOrder() {
        Random rng = new Random(7);
        double[] expected = new double[4192];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = 0.08 * rng.nextGaussian();
        }
        MicroGpt model = new MicroGpt(27, 7);
        assertArrayEquals(expected, model.flatParameters(), 0.0);
        // The first entries are wte[0][*], the last are mlp_fc2[15][*].
        assertEquals(expected[0], model.wte[0][0], 0.0);
        assertEquals(expected[27 * 16], model.wpe[0][0], 0.0);
        assertEquals(expected[4191], model.mlpFc2[15][63], 0.0);

        double sumSq = 0;
        for (double x : model.flatParameters()) {
            sumSq += x * x;
        }
        assertEquals(0.08, Math.sqrt(sumSq / 4192), 0.004);
        assertNotEquals(new MicroGpt(27, 8).flatParameters()[0], model.flatParameters()[0]);
    }

    @Test
    void flatInitRoundTrips() {
        double[] flat = MODEL.flatParameters();
        MicroGpt copy = new MicroGpt(27, flat);
        assertArrayEquals(flat, copy.flatParameters(), 0.0);
        Doc max = VOCAB.doc("max");
        assertEquals(MODEL.loss(max), copy.loss(max), 0.0);
        // The vector is copied, not aliased.
        flat[0] += 1;
        assertEquals(MODEL.wte[0][0], copy.wte[0][0], 0.0);
        // Export returns a fresh array.
        copy.flatParameters()[1] = 99;
        assertEquals(MODEL.wte[0][1], copy.wte[0][1], 0.0);
    }

    @Test
    void flatInitChecksTheLength() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MicroGpt(27, new double[4191]));
        assertTrue(e.getMessage().contains("4191"), e.getMessage());
        assertTrue(e.getMessage().contains("4192"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MicroGpt(27, new double[4193]));
        assertThrows(IllegalArgumentException.class, () -> new MicroGpt(27, (double[]) null));
        assertThrows(IllegalArgumentException.class, () -> new MicroGpt(1, 42));
        assertThrows(IllegalArgumentException.class, () -> new MicroGpt(27, 18, 16, 4, 42));
    }

    @Test
    void otherSizesAreSettings() {
        MicroGpt small = new MicroGpt(5, 8, 6, 2, 3);
        assertEquals(MicroGpt.parameterCount(5, 8, 6), small.parameterCount());
        assertEquals(2 * 5 * 8 + 6 * 8 + 4 * 64 + 2 * 32 * 8, small.parameterCount());
        double loss = small.loss(Doc.ofTokens(new int[] {4, 0, 1, 2, 3, 0, 1, 2, 4}));
        assertTrue(Double.isFinite(loss));
        assertEquals(6, small.positionLosses(new int[] {4, 0, 1, 2, 3, 0, 1, 2, 4}).length);
    }

    // ------------------------------------------------------------------ forward pass

    @Test
    void lossAtInitIsCloseToLogV() {
        for (String name : List.of("emma", "olivia", "max", "ava", "isabella", "xavier", "liam",
                "christopherjohnson")) {
            double loss = MODEL.loss(VOCAB.doc(name));
            assertEquals(Math.log(27), loss, 0.1, name);
        }
        // Over many names: logits at init have spread σ ≈ 0.08·√16 = 0.32, so the expected loss
        // is about ln 27 + σ²/2; single odd names (e.g. "zzyzx", 3.08) differ by more than 0.1.
        double mean = 0;
        List<String> names = NamesData.bundled().shuffled().first(1000);
        for (String name : names) {
            mean += MODEL.loss(VOCAB.doc(name)) / names.size();
        }
        assertEquals(Math.log(27) + 0.05, mean, 0.1);
    }

    @Test
    void forwardMatchesTheIndependentReference() {
        MicroGpt trained = new MicroGpt(27, 11);
        // Larger weights than at init so that attention and GELU are far from linear.
        double[] flat = trained.flatParameters();
        for (int i = 0; i < flat.length; i++) {
            flat[i] *= 12;
        }
        trained.loadParameters(flat);
        for (String name : List.of("max", "emma", "a", "christopherjohnson")) {
            Doc doc = VOCAB.doc(name);
            assertEquals(ReferenceGpt.loss(MODEL, doc), MODEL.loss(doc), 1e-12, name);
            double expected = ReferenceGpt.loss(trained, doc);
            assertEquals(expected, trained.loss(doc), 1e-12 * Math.max(1, expected), name);
        }
    }

    @Test
    void lossOnIsTheLoss() {
        Doc max = VOCAB.doc("max");
        assertEquals(MODEL.loss(max), MODEL.lossOn(max), 0.0);
    }

    @Test
    void lossIsTheMeanOfPositionLossesTruncatedToTheBlock() {
        int[] tokens = VOCAB.encode("christopherjohnsonsmith"); // 23 chars, 25 tokens
        double[] losses = MODEL.positionLosses(tokens);
        assertEquals(16, losses.length);
        double mean = 0;
        for (double l : losses) {
            mean += l;
        }
        mean /= 16;
        assertEquals(mean, MODEL.loss(new Doc("c", tokens)), 1e-15);
        assertEquals(4, MODEL.positionLosses(VOCAB.encode("max")).length);
    }

    @Test
    void nextCharProbabilitiesSumToOne() {
        for (String prefix : List.of("", "m", "ma", "max", "christopherjoh")) {
            int[] pre = prefixTokens(prefix);
            double sum = 0;
            for (int t = 0; t < 27; t++) {
                double p = MODEL.nextCharProbability(pre, t);
                assertTrue(p > 0 && p < 1, prefix + " " + t);
                sum += p;
            }
            assertEquals(1.0, sum, 1e-12, prefix);
        }
    }

    @Test
    void nextCharProbabilityAgreesWithThePositionLoss() {
        int[] tokens = VOCAB.encode("maxwell");
        double[] losses = MODEL.positionLosses(tokens);
        for (int p = 0; p < losses.length; p++) {
            int[] prefix = new int[p];
            System.arraycopy(tokens, 1, prefix, 0, p);
            double prob = MODEL.nextCharProbability(prefix, tokens[p + 1]);
            assertEquals(losses[p], -Math.log(prob), 1e-12, "position " + p);
        }
    }

    @Test
    void logitsGiveTheProbabilities() {
        int[] pre = prefixTokens("ma");
        double[] logits = new double[27];
        double max = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < 27; t++) {
            logits[t] = MODEL.logit(pre, t);
            max = Math.max(max, logits[t]);
        }
        double z = 0;
        for (double l : logits) {
            z += Math.exp(l - max);
        }
        for (int t = 0; t < 27; t++) {
            assertEquals(Math.exp(logits[t] - max) / z, MODEL.nextCharProbability(pre, t), 1e-14);
        }
    }

    @Test
    void attentionIsCausal() {
        int[] tokens = VOCAB.encode("isabella");
        double[] before = MODEL.positionLosses(tokens);
        for (int j = 2; j < tokens.length; j++) {
            int[] changed = tokens.clone();
            changed[j] = (changed[j] + 5) % 26;
            double[] after = MODEL.positionLosses(changed);
            // Position p reads tokens[0..p] and predicts tokens[p+1]: p <= j-2 cannot change.
            for (int p = 0; p <= j - 2; p++) {
                assertEquals(before[p], after[p], 0.0, "change at " + j + ", position " + p);
            }
            assertNotEquals(before[j - 1], after[j - 1], "target at " + j + " changed");
            if (j < before.length) {
                assertNotEquals(before[j], after[j], "input at " + j + " changed");
            }
        }
    }

    @Test
    void rmsnormHasUnitMeanSquare() {
        Random rng = new Random(1);
        for (double scale : new double[] {0.01, 1, 1000}) {
            double[] x = new double[16];
            double ms = 0;
            for (int i = 0; i < 16; i++) {
                x[i] = scale * rng.nextGaussian();
                ms += x[i] * x[i] / 16;
            }
            double[] y = MicroGpt.rmsnorm(x);
            double msOut = 0;
            for (int i = 0; i < 16; i++) {
                msOut += y[i] * y[i] / 16;
                assertEquals(x[i] / Math.sqrt(ms + 1e-5), y[i], 1e-15 * Math.abs(y[i]) + 1e-300);
            }
            assertEquals(ms / (ms + 1e-5), msOut, 1e-12);
            assertEquals(1.0, msOut, 1e-3 / (scale * scale) + 1e-12);
        }
    }

    @Test
    void softmaxAndCrossEntropyAreStable() {
        double[] logits = {1000, 999, -1000, 0};
        double[] p = MicroGpt.softmax(logits);
        double e = Math.exp(-1);
        assertEquals(1 / (1 + e), p[0], 1e-15);
        assertEquals(e / (1 + e), p[1], 1e-15);
        assertEquals(0.0, p[2], 0.0);
        assertEquals(-Math.log(p[1]), MicroGpt.crossEntropy(logits, 1), 1e-12);
        double[] l2 = {0.3, -1.2, 2.5, 0.0, 0.7};
        double[] p2 = MicroGpt.softmax(l2);
        for (int t = 0; t < l2.length; t++) {
            assertEquals(-Math.log(p2[t]), MicroGpt.crossEntropy(l2, t), 1e-14);
        }
    }

    @Test
    void attentionAtTheFirstPositionReturnsTheValue() {
        double[] q = new double[16];
        double[][] keys = new double[3][16];
        double[][] values = new double[3][16];
        for (int i = 0; i < 16; i++) {
            q[i] = i;
            keys[0][i] = 1.0 / (i + 1);
            values[0][i] = i * i;
        }
        assertArrayEquals(values[0], MODEL.attention(q, keys, values, 0), 1e-15);
    }

    // ------------------------------------------------------------------ Adam

    @Test
    void adamFirstStepByHand() {
        double[] p = {1.0, -0.5, 0.2, 0.0};
        double[] g = {0.1, -0.2, 0.0, 3.0};
        double[] m = new double[4];
        double[] v = new double[4];
        MicroGpt.adam(p, g, m, v, 0, 10);
        // m = 0.15 g, v = 0.01 g², m̂ = g, v̂ = g², lr = 0.01.
        assertEquals(0.015, m[0], 1e-17);
        assertEquals(0.0001, v[0], 1e-18);
        assertEquals(1.0 - 0.01 * 0.1 / Math.sqrt(0.01 + 0.001), p[0], 1e-15);
        assertEquals(-0.5 + 0.01 * 0.2 / Math.sqrt(0.04 + 0.001), p[1], 1e-15);
        assertEquals(0.2, p[2], 0.0); // zero gradient: no move
        assertEquals(-0.01 * 3.0 / Math.sqrt(9.0 + 0.001), p[3], 1e-15);
    }

    @Test
    void adamLaterStepByHand() {
        double[] p = {0.5, 0.5};
        double[] g = {0.2, 0.0};
        double[] m = {0.1, 0.1};
        double[] v = {0.04, 0.04};
        MicroGpt.adam(p, g, m, v, 3, 10); // s = 3: bias corrections with exponent 4, lr 0.007
        double m0 = 0.85 * 0.1 + 0.15 * 0.2;
        double v0 = 0.99 * 0.04 + 0.01 * 0.04;
        double m1 = 0.85 * 0.1;
        double v1 = 0.99 * 0.04;
        assertEquals(m0, m[0], 1e-16);
        assertEquals(v0, v[0], 1e-16);
        assertEquals(m1, m[1], 1e-16);
        assertEquals(v1, v[1], 1e-16);
        double b1 = 1 - 0.85 * 0.85 * 0.85 * 0.85;
        double b2 = 1 - 0.99 * 0.99 * 0.99 * 0.99;
        double lr = 0.01 * 0.7;
        assertEquals(0.5 - lr * (m0 / b1) / Math.sqrt(v0 / b2 + 1e-3), p[0], 1e-15);
        // A deleted document's step: zero gradient, the moments still decay and move p.
        assertEquals(0.5 - lr * (m1 / b1) / Math.sqrt(v1 / b2 + 1e-3), p[1], 1e-15);
    }

    @Test
    void adamLastStepHasPositiveLearningRate() {
        double[] p = {0.0};
        MicroGpt.adam(p, new double[] {1.0}, new double[1], new double[1], 999, 1000);
        double mHat = 0.15 / (1 - Math.pow(0.85, 1000));
        double vHat = 0.01 / (1 - Math.pow(0.99, 1000));
        assertEquals(-0.01 * 0.001 * mHat / Math.sqrt(vHat + 0.001), p[0], 1e-18);
    }

    private static int[] prefixTokens(String prefix) {
        int[] all = VOCAB.encode(prefix);
        int[] pre = new int[all.length - 2];
        System.arraycopy(all, 1, pre, 0, pre.length);
        return pre;
    }
}
