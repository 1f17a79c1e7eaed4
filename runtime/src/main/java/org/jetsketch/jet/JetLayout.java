package org.jetsketch.jet;

/**
 * Where every number of a jet block lives, and the one place that converts between the jet layout
 * of {@link Jets} and the coefficient layout of a stored sketch. Nothing else indexes into a jet by
 * hand.
 *
 * <h2>Jet layout (structure of arrays over directions)</h2>
 * A block of B directions of degree k occupies {@link #stride()} = 1 + 2·k·B doubles from its
 * offset o: a_0 (real, shared) at o, then per coefficient r = 1..k a group of 2B doubles, the B
 * real parts followed by the B imaginary parts:
 * <pre>
 *   re a_r of direction d:  o + 1 + 2B(r−1) + d
 *   im a_r of direction d:  o + 1 + 2B(r−1) + B + d
 * </pre>
 * Worked example, k = 2, B = 2 (stride 9):
 * <pre>
 *   index:  o    o+1     o+2     o+3     o+4     o+5     o+6     o+7     o+8
 *   value:  a0   re a1   re a1   im a1   im a1   re a2   re a2   im a2   im a2
 *                (d=0)   (d=1)   (d=0)   (d=1)   (d=0)   (d=1)   (d=0)   (d=1)
 * </pre>
 * The kernels' inner loops then run over the B directions of one coefficient contiguously. For
 * B = 1 this is a_0, re a_1, im a_1, re a_2, im a_2, …: a single direction's jet.
 *
 * <h2>Sketch layout</h2>
 * A stored sketch (docs/sketch-format.md) holds, for one direction, the coefficients r = 1..k of
 * the P parameter jets: re of (r, p) at {@code 2((r−1)P + p)}, im at the next index (θ_0 is stored
 * once per store).
 */
public final class JetLayout {
    private final int k;
    private final int nd;
    private final int stride;

    /**
     * @param degree     k ≥ 0
     * @param directions B ≥ 1
     */
    public JetLayout(int degree, int directions) {
        if (degree < 0) throw new IllegalArgumentException("degree must be >= 0, got " + degree);
        if (directions < 1) throw new IllegalArgumentException("directions must be >= 1, got " + directions);
        long s = 1L + 2L * degree * directions;
        if (s > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("jet stride 1 + 2*degree*directions is too large: degree "
                    + degree + ", directions " + directions);
        }
        this.k = degree;
        this.nd = directions;
        this.stride = (int) s;
    }

    public int degree() { return k; }

    public int directions() { return nd; }

    /** Doubles per jet block: 1 + 2·k·B. */
    public int stride() { return stride; }

    /** Index of the real part of coefficient r (1..k) of direction d in the jet at o. */
    public int re(int o, int r, int d) {
        return o + 1 + 2 * nd * (r - 1) + d;
    }

    /** Index of the imaginary part of coefficient r (1..k) of direction d in the jet at o. */
    public int im(int o, int r, int d) {
        return o + 1 + 2 * nd * (r - 1) + nd + d;
    }

    /**
     * Copies direction d of the block jet at (src, so) into the single-direction jet (layout of
     * {@code JetLayout(k, 1)}) at (dst, doff), a_0 included.
     */
    public void gather(double[] src, int so, int d, double[] dst, int doff) {
        dst[doff] = src[so];
        if (nd == 1) {
            System.arraycopy(src, so + 1, dst, doff + 1, 2 * k);
            return;
        }
        for (int r = 1, s = so + 1 + d, t = doff + 1; r <= k; r++, s += 2 * nd, t += 2) {
            dst[t] = src[s];
            dst[t + 1] = src[s + nd];
        }
    }

    /**
     * Writes coefficients 1..k of the single-direction jet at (src, so) into direction d of the
     * block jet at (dst, doff); a_0 is left alone (it is shared by the block).
     */
    public void scatter(double[] src, int so, int d, double[] dst, int doff) {
        if (nd == 1) {
            System.arraycopy(src, so + 1, dst, doff + 1, 2 * k);
            return;
        }
        for (int r = 1, s = so + 1, t = doff + 1 + d; r <= k; r++, s += 2, t += 2 * nd) {
            dst[t] = src[s];
            dst[t + nd] = src[s + 1];
        }
    }

    /**
     * Sets the first-order coefficient of direction d of the jet at (jet, o) to re + i·im (the
     * seed of a direction).
     */
    public void setFirstOrder(double[] jet, int o, int d, double re, double im) {
        jet[re(o, 1, d)] = re;
        jet[im(o, 1, d)] = im;
    }

    /**
     * The sketch of direction d: coefficients 1..k of the P parameter jets {@code theta} (P blocks of
     * {@link #stride()} doubles) in the sketch layout, into {@code coefficients} (2·k·P doubles).
     */
    public void toSketch(double[] theta, int params, int d, double[] coefficients) {
        checkSketch(params, coefficients.length, theta.length);
        for (int r = 1; r <= k; r++) {
            int to = 2 * (r - 1) * params;
            for (int p = 0, from = re(0, r, d); p < params; p++, from += stride, to += 2) {
                coefficients[to] = theta[from];
                coefficients[to + 1] = theta[from + nd];
            }
        }
    }

    /**
     * The P single-direction parameter jets θ0_p + Σ_r c_{r,p} z^r of a stored sketch, into
     * {@code theta} (P blocks of {@code 1 + 2k} doubles). Only for B = 1.
     */
    public void fromSketch(double[] theta0, double[] coefficients, int params, double[] theta) {
        if (nd != 1) throw new IllegalStateException("a sketch is read into single-direction jets (B = 1), not B = " + nd);
        checkSketch(params, coefficients.length, theta.length);
        for (int p = 0; p < params; p++) {
            int o = p * stride;
            theta[o] = theta0[p];
            for (int r = 1; r <= k; r++) {
                int from = 2 * ((r - 1) * params + p);
                theta[o + 2 * r - 1] = coefficients[from];
                theta[o + 2 * r] = coefficients[from + 1];
            }
        }
    }

    private void checkSketch(int params, int coefficients, int jets) {
        if (coefficients != 2 * k * params || jets != params * stride) {
            throw new IllegalArgumentException("a sketch of P = " + params + " at degree " + k + " has " + 2 * k * params
                    + " coefficients and " + params * stride + " jet doubles, got " + coefficients + " and " + jets);
        }
    }
}
