package org.jetsketch.jet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class JetLayoutTest {

    @Test
    void constantsAreOneConstantJetPerValue() {
        Jets jets = new Jets(3, 2);
        int s = jets.stride();
        double[] out = jets.constants(new double[] {1.5, -2.0, 0.25});
        assertEquals(3 * s, out.length);
        for (int i = 0; i < 3; i++) {
            double[] one = new double[s];
            java.util.Arrays.fill(one, 7.0);
            jets.constant(new double[] {1.5, -2.0, 0.25}[i], one, 0);
            assertArrayEquals(one, java.util.Arrays.copyOfRange(out, i * s, (i + 1) * s));
            assertEquals(new double[] {1.5, -2.0, 0.25}[i], out[i * s]);
            for (int r = 1; r < s; r++) assertEquals(0.0, out[i * s + r]);
        }
    }

    @Test
    void indicesFollowTheWorkedExample() {
        JetLayout l = new JetLayout(2, 2);
        assertEquals(9, l.stride());
        assertEquals(11, l.re(10, 1, 0));
        assertEquals(12, l.re(10, 1, 1));
        assertEquals(13, l.im(10, 1, 0));
        assertEquals(14, l.im(10, 1, 1));
        assertEquals(15, l.re(10, 2, 0));
        assertEquals(18, l.im(10, 2, 1));
        // B = 1: a_0, re a_1, im a_1, re a_2, im a_2
        JetLayout one = new JetLayout(3, 1);
        assertEquals(1, one.re(0, 1, 0));
        assertEquals(2, one.im(0, 1, 0));
        assertEquals(5, one.re(0, 3, 0));
        assertEquals(6, one.im(0, 3, 0));
    }

    @Test
    void gatherAndScatterAreInverse() {
        Random rnd = new Random(3);
        JetLayout l = new JetLayout(4, 3);
        double[] block = new double[2 + l.stride()];
        for (int i = 0; i < block.length; i++) block[i] = rnd.nextGaussian();
        double[] rebuilt = new double[block.length];
        rebuilt[0] = block[0];
        rebuilt[1] = block[1];
        rebuilt[2] = block[2]; // a_0 of the block at offset 2 is not written by scatter
        double[] one = new double[9];
        for (int d = 0; d < 3; d++) {
            l.gather(block, 2, d, one, 0);
            assertEquals(block[2], one[0]);
            for (int r = 1; r <= 4; r++) {
                assertEquals(block[l.re(2, r, d)], one[2 * r - 1]);
                assertEquals(block[l.im(2, r, d)], one[2 * r]);
            }
            l.scatter(one, 0, d, rebuilt, 2);
        }
        assertArrayEquals(block, rebuilt, 0.0);
    }

    @Test
    void sketchesOfABlockAreTheSketchesOfItsDirections() {
        Random rnd = new Random(5);
        int k = 3, params = 4, blocks = 3;
        JetLayout l = new JetLayout(k, blocks), one = new JetLayout(k, 1);
        double[] theta = new double[params * l.stride()];
        for (int i = 0; i < theta.length; i++) theta[i] = rnd.nextGaussian();
        double[] theta0 = new double[params];
        for (int p = 0; p < params; p++) theta0[p] = theta[p * l.stride()];
        for (int d = 0; d < blocks; d++) {
            double[] sketch = new double[2 * k * params];
            l.toSketch(theta, params, d, sketch);
            // the stored order: re, im of (r, p) at 2((r−1)P + p)
            assertEquals(theta[l.re(2 * l.stride(), 3, d)], sketch[2 * (2 * params + 2)]);
            assertEquals(theta[l.im(2 * l.stride(), 3, d)], sketch[2 * (2 * params + 2) + 1]);
            double[] direction = new double[params * one.stride()];
            one.fromSketch(theta0, sketch, params, direction);
            for (int p = 0; p < params; p++) {
                double[] want = new double[one.stride()];
                l.gather(theta, p * l.stride(), d, want, 0);
                for (int i = 0; i < one.stride(); i++) assertEquals(want[i], direction[p * one.stride() + i]);
            }
            double[] again = new double[sketch.length];
            one.toSketch(direction, params, 0, again);
            assertArrayEquals(sketch, again, 0.0);
        }
        assertThrows(IllegalStateException.class, () -> l.fromSketch(theta0, new double[2 * k * params], params, theta));
        assertThrows(IllegalArgumentException.class, () -> one.toSketch(theta, params, 0, new double[5]));
    }
}
