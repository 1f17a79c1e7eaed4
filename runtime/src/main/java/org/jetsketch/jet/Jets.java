package org.jetsketch.jet;

import java.util.Arrays;

/**
 * Truncated Taylor arithmetic ("jets") with a real constant term and complex higher coefficients,
 * over flat {@code double[]} storage.
 *
 * <h2>What a jet is</h2>
 * A jet of degree k is a_0 + a_1 z + … + a_k z^k computed modulo z^(k+1), i.e. an element of the
 * ring C[z]/(z^(k+1)) (docs/scheme.md §3). a_0 is <em>real</em>: it is the ordinary value; a_1..a_k
 * are complex. A <em>block</em> of B directions shares one a_0 and holds B independent sets of
 * higher coefficients: direction b is the jet a_0 + Σ_r a_r^(b) z^r. Every kernel acts on each
 * direction independently and does the a_0 work (g(a_0), g'(a_0), domain checks) once per block.
 * The B directions of a block are computed by exactly the same floating-point operations as B
 * separate single-direction jets, so batching never changes a result, not even in the last bit.
 *
 * <h2>Layout</h2>
 * One jet occupies {@link #stride()} = 1 + 2·k·B consecutive doubles from its offset o:
 * <ul>
 *   <li>{@code o}: a_0 (real);</li>
 *   <li>coefficient r (1..k) of direction b (0..B−1): real part at {@code o + 1 + 2*(b*k + r - 1)},
 *       imaginary part at the next index.</li>
 * </ul>
 * Worked example, k = 2, B = 2 (stride 9):
 * <pre>
 *   index:  o    o+1     o+2     o+3     o+4     o+5     o+6     o+7     o+8
 *   value:  a0   re a1   im a1   re a2   im a2   re a1   im a1   re a2   im a2
 *                `------ direction 0 ------'     `------ direction 1 ------'
 * </pre>
 * Degree 0 is allowed: the stride is 1 and a jet is just its real value.
 *
 * <h2>Kernels</h2>
 * Every kernel is an instance method taking {@code (array, offset)} pairs and writing into a
 * caller-owned output {@code (out, oo)}; kernels allocate nothing (scratch is preallocated in the
 * constructor) and never box. The recurrences are the standard Taylor-coefficient propagation
 * rules (A. Griewank, A. Walther, <i>Evaluating Derivatives</i>, 2nd ed., SIAM 2008, ch. 13
 * "Taylor and tensor coefficients", §13.2; docs/scheme.md §3):
 * <ul>
 *   <li>products: the Cauchy convolution c_r = Σ_{j=0..r} a_j b_(r−j);</li>
 *   <li>reciprocal and division: the series-inverse recurrence
 *       b_0 y_r = a_r − Σ_{j=1..r} b_j y_(r−j);</li>
 *   <li>every smooth unary function through <em>one</em> shared composition routine for
 *       y' = u·a': r·y_r = Σ_{j=1..r} j·a_j·u_(r−j), with u = g'(a) as a jet (exp: u = y,
 *       interleaved; log: u = 1/a; tanh: u = 1 − y², interleaved; sigmoid: u = y(1−y),
 *       interleaved; softplus: u = σ(a); erf: u = (2/√π)e^(−a²); log1p, expm1 likewise), and
 *       real powers through the same routine with the weights of a·y' = p·y·a':
 *       r·a_0·y_r = Σ_{j=1..r} (p·j − (r−j))·a_j·y_(r−j).</li>
 * </ul>
 * Complex arithmetic is written out on doubles. Costs below count, per direction, complex
 * multiply-adds ("cma", 4 real multiplies and 4 adds); multiplications by the real a_0 are real ×
 * complex (2 multiplies). The convolution of two jets costs (k+1)(k+2)/2 multiply-adds counted
 * naively; with a real a_0 this implementation needs k(k−1)/2 cma plus 2k real × complex
 * products.
 *
 * <h2>Aliasing</h2>
 * "Aliasing" means that {@code out} is the <em>same</em> jet as an input (same array, same
 * offset). Every kernel except {@link #mulAdd} and {@link #addScaled} supports it. The linear and
 * branch kernels ({@code relu, abs, max, min}), {@link #mul} and {@link #square} support it by
 * their evaluation order (element-wise, or coefficients from the top down and a_0 last), but not
 * partially overlapping ranges. The recurrence kernels (reciprocal, div, the elementary functions,
 * pow and every {@code …Prime}) copy an input that overlaps {@code out} to scratch first
 * (O(stride), only when it overlaps), so they accept any overlap. For {@link #mulAdd} and
 * {@link #addScaled} the accumulator must not overlap an input.
 *
 * <h2>Domain</h2>
 * A constant term outside an operation's domain throws {@link JetDomainException} naming the
 * operation and the value (rules shared with {@link RealMath}); those kernels never return a
 * silent NaN or infinity. Only the constant term is checked.
 *
 * <p><b>Not thread-safe</b>: an instance owns scratch buffers that every nonlinear kernel
 * overwrites. Use one instance per thread.
 */
public final class Jets {
    /** The largest accepted degree. */
    public static final int MAX_DEGREE = 1024;

    /** Integer exponents up to this magnitude are formed by binary powering (see {@link #pow}). */
    public static final int POW_BY_SQUARING_LIMIT = 1024;

    /** composeSeries: u is an input jet. */
    private static final int U_GIVEN = 0;
    /** composeSeries: u = 1 − y², built from y as it is computed (tanh). */
    private static final int U_TANH = 1;
    /** composeSeries: u = y − y², built from y as it is computed (sigmoid). */
    private static final int U_SIGMOID = 2;

    private final int k;
    private final int nd;
    private final int stride;
    /** inv[r] = 1/r. */
    private final double[] inv;
    /** Copies of inputs that overlap the output. */
    private final double[] inA;
    private final double[] inB;
    /** Work jets of the nonlinear kernels. */
    private final double[] w1;
    private final double[] w2;
    private final double[] w3;
    /** composeSeries: c·j·a_j of the current direction, coefficient j at index 2j. */
    private final double[] weighted;
    /** The imaginary part of the last step helper's result (the real part is returned). */
    private double resIm;

    /**
     * @param degree     k, in [0, {@link #MAX_DEGREE}]
     * @param directions B ≥ 1, the number of directions sharing one real part
     * @throws IllegalArgumentException naming the rejected value
     */
    public Jets(int degree, int directions) {
        if (degree < 0 || degree > MAX_DEGREE) {
            throw new IllegalArgumentException("degree must be in [0, " + MAX_DEGREE + "], got " + degree);
        }
        if (directions < 1) {
            throw new IllegalArgumentException("directions must be >= 1, got " + directions);
        }
        long s = 1L + 2L * degree * directions;
        if (s > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("jet stride 1 + 2*degree*directions is too large: degree "
                    + degree + ", directions " + directions);
        }
        this.k = degree;
        this.nd = directions;
        this.stride = (int) s;
        this.inv = new double[degree + 1];
        for (int r = 1; r <= degree; r++) inv[r] = 1.0 / r;
        this.inA = new double[stride];
        this.inB = new double[stride];
        this.w1 = new double[stride];
        this.w2 = new double[stride];
        this.w3 = new double[stride];
        this.weighted = new double[2 * degree + 2];
    }

    /** The degree k. */
    public int degree() { return k; }

    /** The number of directions B in a block. */
    public int directions() { return nd; }

    /** Doubles per jet: 1 + 2·k·B. */
    public int stride() { return stride; }

    // =====================================================================================
    // Linear kernels. Cost O(stride), element-wise; out may alias an input.
    // =====================================================================================

    /** out = 0. */
    public void zero(double[] out, int oo) {
        Arrays.fill(out, oo, oo + stride, 0.0);
    }

    /** out = c (a constant jet: a_0 = c, higher coefficients 0). */
    public void constant(double c, double[] out, int oo) {
        out[oo] = c;
        Arrays.fill(out, oo + 1, oo + stride, 0.0);
    }

    /** out = a. Any overlap allowed ({@link System#arraycopy}). */
    public void copy(double[] a, int ao, double[] out, int oo) {
        if (a != out || ao != oo) System.arraycopy(a, ao, out, oo, stride);
    }

    /** out = a + b, coefficient-wise. */
    public void add(double[] a, int ao, double[] b, int bo, double[] out, int oo) {
        for (int i = 0; i < stride; i++) out[oo + i] = a[ao + i] + b[bo + i];
    }

    /** out = a − b, coefficient-wise. */
    public void sub(double[] a, int ao, double[] b, int bo, double[] out, int oo) {
        for (int i = 0; i < stride; i++) out[oo + i] = a[ao + i] - b[bo + i];
    }

    /** out = −a. */
    public void neg(double[] a, int ao, double[] out, int oo) {
        for (int i = 0; i < stride; i++) out[oo + i] = -a[ao + i];
    }

    /** out = a + c for a real c (only a_0 changes). */
    public void addReal(double[] a, int ao, double c, double[] out, int oo) {
        double a0 = a[ao];
        copy(a, ao, out, oo);
        out[oo] = a0 + c;
    }

    /** out = c·a for a real c. */
    public void scale(double[] a, int ao, double c, double[] out, int oo) {
        for (int i = 0; i < stride; i++) out[oo + i] = c * a[ao + i];
    }

    /**
     * out = c·a for a complex c = re + i·im. Each coefficient is multiplied by c (one complex
     * multiply); the constant term becomes re·a_0.
     *
     * @throws JetDomainException if the constant term would be non-real (a_0 ≠ 0 and im ≠ 0)
     */
    public void scaleComplex(double[] a, int ao, double re, double im, double[] out, int oo) {
        double a0 = a[ao];
        if (im != 0 && a0 != 0) {
            String c = "(" + re + (im < 0 ? " - " : " + ") + Math.abs(im) + "i)";
            throw new JetDomainException("scaleComplex",
                    "constant term must be 0 when scaling by the non-real " + c
                            + " (the result's constant term would be non-real)", a0);
        }
        for (int i = 1; i < stride; i += 2) {
            double x = a[ao + i], y = a[ao + i + 1];
            out[oo + i] = x * re - y * im;
            out[oo + i + 1] = x * im + y * re;
        }
        out[oo] = re * a0;
    }

    /**
     * acc += c·a for a real c. Cost O(stride). {@code acc} must not partially overlap {@code a}
     * (the same jet is allowed: acc = (1+c)·acc).
     */
    public void addScaled(double[] a, int ao, double c, double[] acc, int acco) {
        for (int i = 0; i < stride; i++) acc[acco + i] += c * a[ao + i];
    }

    // =====================================================================================
    // Products.
    // =====================================================================================

    /**
     * out = a·b: the Cauchy convolution c_r = Σ_{j=0..r} a_j b_(r−j) per direction
     * (Griewank–Walther §13.2). With real a_0, b_0: c_r = a_0 b_r + b_0 a_r + Σ_{j=1..r−1} a_j
     * b_(r−j).
     *
     * <p>Cost per direction: k(k−1)/2 complex multiply-adds + 2k real × complex products (the
     * naive count is (k+1)(k+2)/2 multiply-adds). Aliasing: out may be a and/or b — the
     * coefficients are computed from r = k down to 1 (c_r reads only indices ≤ r) and a_0·b_0 last.
     * For 1 ≤ k ≤ 3 the loop nest is written out (same operations, same order, same bits), because
     * at those degrees entering the loops costs more than the arithmetic.
     */
    public void mul(double[] a, int ao, double[] b, int bo, double[] out, int oo) {
        if (k >= 1 && k <= 3) mulSmall(a, ao, b, bo, out, oo); else mulLoop(a, ao, b, bo, out, oo);
    }

    /** The convolution loop of {@link #mul} (every degree; mul uses it for k = 0 and k &gt; 3). */
    void mulLoop(double[] a, int ao, double[] b, int bo, double[] out, int oo) {
        double a0 = a[ao], b0 = b[bo];
        for (int d = 0; d < nd; d++) {
            int ab = base(ao, d), bb = base(bo, d), ob = base(oo, d);
            for (int r = k; r >= 1; r--) {
                int ai = ab + 2 * r, bi = bb + 2 * r;
                double sr = a0 * b[bi] + b0 * a[ai], si = a0 * b[bi + 1] + b0 * a[ai + 1];
                for (int xi = ab + 2, vi = bi - 2; xi < ai; xi += 2, vi -= 2) {
                    double xr = a[xi], xm = a[xi + 1], vr = b[vi], vm = b[vi + 1];
                    sr += xr * vr - xm * vm;
                    si += xr * vm + xm * vr;
                }
                int oi = ob + 2 * r;
                out[oi] = sr;
                out[oi + 1] = si;
            }
        }
        out[oo] = a0 * b0;
    }

    /**
     * {@link #mulLoop} for 1 ≤ k ≤ 3 with the loops written out, in exactly the loop's order of
     * operations (so the results are bit-for-bit the same; tested). Why: C2 unrolls only innermost
     * loops, and entering the triangular loop nest costs ≈ 15 ns at k = 3 against ≈ 5 ns of
     * arithmetic (JMH, JetKernelBenchmark: 21 ns looped, 13 ns written out); the small degrees
     * are the common ones (the paper's 500-direction runs use k = 3).
     */
    private void mulSmall(double[] a, int ao, double[] b, int bo, double[] out, int oo) {
        double a0 = a[ao], b0 = b[bo];
        for (int d = 0; d < nd; d++) {
            int ab = base(ao, d) + 2, bb = base(bo, d) + 2, ob = base(oo, d) + 2; // coefficient 1
            double a1r = a[ab], a1i = a[ab + 1], b1r = b[bb], b1i = b[bb + 1];
            if (k == 1) {
                out[ob] = a0 * b1r + b0 * a1r;
                out[ob + 1] = a0 * b1i + b0 * a1i;
                continue;
            }
            double a2r = a[ab + 2], a2i = a[ab + 3], b2r = b[bb + 2], b2i = b[bb + 3];
            if (k == 3) {
                double a3r = a[ab + 4], a3i = a[ab + 5], b3r = b[bb + 4], b3i = b[bb + 5];
                out[ob + 4] = a0 * b3r + b0 * a3r + (a1r * b2r - a1i * b2i) + (a2r * b1r - a2i * b1i);
                out[ob + 5] = a0 * b3i + b0 * a3i + (a1r * b2i + a1i * b2r) + (a2r * b1i + a2i * b1r);
            }
            out[ob + 2] = a0 * b2r + b0 * a2r + (a1r * b1r - a1i * b1i);
            out[ob + 3] = a0 * b2i + b0 * a2i + (a1r * b1i + a1i * b1r);
            out[ob] = a0 * b1r + b0 * a1r;
            out[ob + 1] = a0 * b1i + b0 * a1i;
        }
        out[oo] = a0 * b0;
    }

    /**
     * out = a²: the convolution exploiting symmetry,
     * (a²)_r = 2 a_0 a_r + 2 Σ_{1≤j<r/2} a_j a_(r−j) + [r even] a_(r/2)².
     * Cost per direction ≈ k²/4 complex multiply-adds. Aliasing: out may be a (top-down order).
     */
    public void square(double[] a, int ao, double[] out, int oo) {
        double a0 = a[ao], t0 = 2 * a0;
        for (int d = 0; d < nd; d++) {
            int ab = base(ao, d), ob = base(oo, d);
            for (int r = k; r >= 1; r--) {
                double sr = innerSym(r, a, ab), si = resIm;
                int ai = ab + 2 * r, oi = ob + 2 * r;
                out[oi] = sr + t0 * a[ai];
                out[oi + 1] = si + t0 * a[ai + 1];
            }
        }
        out[oo] = a0 * a0;
    }

    /**
     * acc += a·b (the convolution of {@link #mul}, accumulated). Cost as {@link #mul}.
     * Aliasing: {@code acc} must not overlap {@code a} or {@code b} (a and b may be the same jet).
     */
    public void mulAdd(double[] a, int ao, double[] b, int bo, double[] acc, int acco) {
        double a0 = a[ao], b0 = b[bo];
        for (int d = 0; d < nd; d++) {
            int ab = base(ao, d), bb = base(bo, d), cb = base(acco, d);
            for (int r = 1; r <= k; r++) {
                double sr = inner(r, a, ab, b, bb), si = resIm;
                int ai = ab + 2 * r, bi = bb + 2 * r, ci = cb + 2 * r;
                acc[ci] += sr + (a0 * b[bi] + b0 * a[ai]);
                acc[ci + 1] += si + (a0 * b[bi + 1] + b0 * a[ai + 1]);
            }
        }
        acc[acco] += a0 * b0;
    }

    // =====================================================================================
    // Division.
    // =====================================================================================

    /**
     * out = 1/a by the series-inverse recurrence y_0 = 1/a_0,
     * y_r = −(1/a_0)·Σ_{j=1..r} a_j y_(r−j) (Griewank–Walther §13.2). Cost per direction
     * k(k−1)/2 complex multiply-adds + k real × complex. Any overlap of a and out.
     *
     * @throws JetDomainException if a_0 is 0 or not finite
     */
    public void reciprocal(double[] a, int ao, double[] out, int oo) {
        Domain.nonZero("reciprocal", a[ao]);
        if (overlaps(a, ao, out, oo)) { a = stash(a, ao, inA); ao = 0; }
        divSeries(null, 0, a, ao, out, oo);
    }

    /**
     * out = a/b by the series-inverse recurrence y_0 = a_0/b_0,
     * y_r = (a_r − Σ_{j=1..r} b_j y_(r−j))/b_0 (Griewank–Walther §13.2). Cost as
     * {@link #reciprocal}. Any overlap among a, b, out.
     *
     * @throws JetDomainException if b_0 is 0, or a_0 or b_0 is not finite
     */
    public void div(double[] a, int ao, double[] b, int bo, double[] out, int oo) {
        Domain.division("div", a[ao], b[bo]);
        divide(a, ao, b, bo, out, oo);
    }

    // =====================================================================================
    // Elementary functions: y = g(a) through the shared composition routine.
    // =====================================================================================

    /**
     * out = exp(a): y_0 = e^(a_0); y' = y·a', so r·y_r = Σ_{j=1..r} j a_j y_(r−j) (composition with
     * u = y, interleaved). Cost per direction ≈ k²/2 complex multiply-adds. Any overlap of
     * a and out.
     */
    public void exp(double[] a, int ao, double[] out, int oo) {
        if (overlaps(a, ao, out, oo)) { a = stash(a, ao, inA); ao = 0; }
        double y0 = Math.exp(a[ao]);
        out[oo] = y0;
        composeSeries(1, 0, 1, a, ao, y0, out, oo, out, oo, U_GIVEN);
    }

    /**
     * out = expm1(a) = e^a − 1: y_0 = expm1(a_0) (accurate for small a_0); y' = (y+1)·a', the
     * composition with u = y + 1 (u_0 = e^(a_0), u_r = y_r), interleaved. Cost as {@link #exp}.
     * Any overlap of a and out.
     */
    public void expm1(double[] a, int ao, double[] out, int oo) {
        if (overlaps(a, ao, out, oo)) { a = stash(a, ao, inA); ao = 0; }
        double a0 = a[ao];
        out[oo] = Math.expm1(a0);
        composeSeries(1, 0, 1, a, ao, Math.exp(a0), out, oo, out, oo, U_GIVEN);
    }

    /**
     * out = log(a): y_0 = ln a_0; y' = a'/a, the composition with u = 1/a (one series inverse,
     * then one composition). Cost per direction ≈ k² complex multiply-adds. Any overlap of a and
     * out.
     *
     * @throws JetDomainException unless a_0 is finite and &gt; 0
     */
    public void log(double[] a, int ao, double[] out, int oo) {
        double a0 = a[ao];
        Domain.positive("log", a0);
        if (overlaps(a, ao, out, oo)) { a = stash(a, ao, inA); ao = 0; }
        divSeries(null, 0, a, ao, w1, 0);
        out[oo] = Math.log(a0);
        composeSeries(1, 0, 1, a, ao, w1[0], w1, 0, out, oo, U_GIVEN);
    }

    /**
     * out = log1p(a) = ln(1 + a): y_0 = log1p(a_0); y' = a'/(1+a), the composition with
     * u = 1/(1+a). Cost as {@link #log}. Any overlap of a and out.
     *
     * @throws JetDomainException unless a_0 is finite and &gt; −1
     */
    public void log1p(double[] a, int ao, double[] out, int oo) {
        double a0 = a[ao];
        Domain.aboveMinusOne("log1p", a0);
        if (overlaps(a, ao, out, oo)) { a = stash(a, ao, inA); ao = 0; }
        addReal(a, ao, 1.0, w2, 0);
        divSeries(null, 0, w2, 0, w1, 0);
        out[oo] = Math.log1p(a0);
        composeSeries(1, 0, 1, a, ao, w1[0], w1, 0, out, oo, U_GIVEN);
    }

    /**
     * out = √a: y_0 = √a_0; the real-power recurrence with p = 1/2 (see {@link #pow}). Cost per
     * direction ≈ k²/2 weighted complex multiply-adds. Any overlap of a and out.
     *
     * @throws JetDomainException unless a_0 is finite and &gt; 0 (at 0 the derivative is infinite)
     */
    public void sqrt(double[] a, int ao, double[] out, int oo) {
        double a0 = a[ao];
        Domain.positive("sqrt", a0);
        powSeries(a, ao, 0.5, Math.sqrt(a0), out, oo);
    }

    /**
     * out = a^(−1/2): y_0 = 1/√a_0; the real-power recurrence with p = −1/2 (see {@link #pow}).
     * Cost as {@link #sqrt}. Any overlap of a and out.
     *
     * @throws JetDomainException unless a_0 is finite and &gt; 0
     */
    public void rsqrt(double[] a, int ao, double[] out, int oo) {
        double a0 = a[ao];
        Domain.positive("rsqrt", a0);
        powSeries(a, ao, -0.5, 1.0 / Math.sqrt(a0), out, oo);
    }

    /**
     * out = a^p for a real exponent p. From a·y' = p·y·a' (Griewank–Walther §13.2):
     * r·a_0·y_r = Σ_{j=1..r} (p·j − (r−j))·a_j·y_(r−j), y_0 = a_0^p — the shared composition
     * routine with weights p·j − (r−j) and the factor 1/a_0; cost ≈ k²/2 weighted complex
     * multiply-adds per direction.
     *
     * <p>Integer exponents 0 &lt; |p| ≤ {@value #POW_BY_SQUARING_LIMIT} are instead formed by binary
     * powering with {@link #square}/{@link #mul} (≤ 2·log2|p| products, then one
     * {@link #reciprocal} if p &lt; 0): the result is then a polynomial in a whose high
     * coefficients the recurrence would obtain by cancellation, with an error growing like
     * (|a_1|/|a_0|)^r — and at a_0 = 0 it cannot divide at all. p = 0 gives the constant 1 (also
     * for a_0 = 0). Any overlap of a and out.
     *
     * @throws JetDomainException if p or a_0 is not finite, if p is not an integer and a_0 ≤ 0,
     *                            or if p is a negative integer and a_0 = 0
     */
    public void pow(double[] a, int ao, double p, double[] out, int oo) {
        double a0 = a[ao];
        Domain.pow("pow", a0, p);
        powChecked(a, ao, p, out, oo);
    }

    /**
     * out = tanh(a): y_0 = tanh a_0; y' = (1 − y²)·a', the composition with u = 1 − y² built
     * alongside y (u_0 = 1/cosh² a_0, u_m = −2 y_0 y_m − Σ_{j=1..m−1} y_j y_(m−j)). Cost per
     * direction ≈ 3k²/4 complex multiply-adds. Any overlap of a and out.
     */
    public void tanh(double[] a, int ao, double[] out, int oo) {
        if (overlaps(a, ao, out, oo)) { a = stash(a, ao, inA); ao = 0; }
        double a0 = a[ao];
        double c = Math.cosh(a0);
        out[oo] = Math.tanh(a0);
        composeSeries(1, 0, 1, a, ao, 1.0 / (c * c), w1, 0, out, oo, U_TANH);
    }

    /**
     * out = σ(a) = 1/(1 + e^(−a)): y_0 = σ(a_0) (stable for either sign); y' = y(1 − y)·a', the
     * composition with u = y − y² built alongside y (u_0 = σ(a_0)σ(−a_0),
     * u_m = (1 − 2y_0) y_m − Σ_{j=1..m−1} y_j y_(m−j)). Cost as {@link #tanh}. Any overlap of a and
     * out.
     */
    public void sigmoid(double[] a, int ao, double[] out, int oo) {
        if (overlaps(a, ao, out, oo)) { a = stash(a, ao, inA); ao = 0; }
        sigmoidSeries(a, ao, out, oo);
    }

    /**
     * out = softplus(a) = log(1 + e^a): y_0 = max(a_0,0) + log1p(e^(−|a_0|)) (no overflow);
     * y' = σ(a)·a', the composition with u = σ(a) ({@link #sigmoid} first). Cost per direction
     * ≈ 5k²/4 complex multiply-adds. Any overlap of a and out.
     */
    public void softplus(double[] a, int ao, double[] out, int oo) {
        if (overlaps(a, ao, out, oo)) { a = stash(a, ao, inA); ao = 0; }
        sigmoidSeries(a, ao, w2, 0);
        out[oo] = RealMath.softplus(a[ao]);
        composeSeries(1, 0, 1, a, ao, w2[0], w2, 0, out, oo, U_GIVEN);
    }

    /**
     * out = erf(a): y_0 = erf a_0 ({@link RealMath#erf}); y' = (2/√π)e^(−a²)·a', the composition with
     * u = (2/√π)·exp(−a²) (itself {@link #square} then the exp composition). Cost per direction
     * ≈ 5k²/4 complex multiply-adds. Any overlap of a and out.
     */
    public void erf(double[] a, int ao, double[] out, int oo) {
        if (overlaps(a, ao, out, oo)) { a = stash(a, ao, inA); ao = 0; }
        erfDerivative(a, ao, w1, 0);
        out[oo] = RealMath.erf(a[ao]);
        composeSeries(1, 0, 1, a, ao, w1[0], w1, 0, out, oo, U_GIVEN);
    }

    /**
     * out = GELU(a) = a·Φ(a), exact, with Φ(a) = (1 + erf(a/√2))/2: Φ(a) by the composition
     * Φ' = φ(a)·a' with u = φ(a) = e^(−a²/2)/√(2π), then one {@link #mul}. Φ(a_0) is computed as
     * {@link RealMath#normalCdf} (accurate in the lower tail). Cost per direction ≈ 7k²/4 complex
     * multiply-adds. Any overlap of a and out.
     */
    public void gelu(double[] a, int ao, double[] out, int oo) {
        if (overlaps(a, ao, out, oo)) { a = stash(a, ao, inA); ao = 0; }
        normalSeries(a, ao);
        mul(a, ao, w3, 0, out, oo);
    }

    /**
     * out = relu(a): decided by a_0 — a if a_0 &gt; 0, else 0 (relu(0) takes the 0 branch; NaN
     * propagates). The jet follows the chosen branch. Cost O(stride). Aliasing: out may be an input
     * (not a partial overlap).
     */
    public void relu(double[] a, int ao, double[] out, int oo) {
        if (a[ao] <= 0) zero(out, oo); else copy(a, ao, out, oo);
    }

    /**
     * out = |a|: decided by a_0 — −a if a_0 &lt; 0, else a (abs(0) takes the + branch; the
     * constant term is |a_0|). Cost O(stride). Aliasing: out may be an input (not a partial
     * overlap).
     */
    public void abs(double[] a, int ao, double[] out, int oo) {
        double a0 = a[ao];
        if (a0 < 0) neg(a, ao, out, oo); else copy(a, ao, out, oo);
        out[oo] = Math.abs(a0);
    }

    /**
     * out = max(a, b): decided by the real parts — b if b_0 &gt; a_0, else a (ties pick a). The
     * jet follows the chosen branch. Cost O(stride). Aliasing: out may be an input (not a partial
     * overlap).
     */
    public void max(double[] a, int ao, double[] b, int bo, double[] out, int oo) {
        if (b[bo] > a[ao]) copy(b, bo, out, oo); else copy(a, ao, out, oo);
    }

    /**
     * out = min(a, b): decided by the real parts — b if b_0 &lt; a_0, else a (ties pick a). The
     * jet follows the chosen branch. Cost O(stride). Aliasing: out may be an input (not a partial
     * overlap).
     */
    public void min(double[] a, int ao, double[] b, int bo, double[] out, int oo) {
        if (b[bo] < a[ao]) copy(b, bo, out, oo); else copy(a, ao, out, oo);
    }

    // =====================================================================================
    // Jets of g'(a) for reverse mode. y (offset yo) holds g(a) as computed by the forward
    // kernel; out receives g'(a). Any overlap among a, y and out is allowed.
    // =====================================================================================

    /** out = exp'(a) = y. Cost O(stride). */
    public void expPrime(double[] a, int ao, double[] y, int yo, double[] out, int oo) {
        copy(y, yo, out, oo);
    }

    /**
     * out = log'(a) = 1/a (series inverse, see {@link #reciprocal}).
     *
     * @throws JetDomainException unless a_0 is finite and &gt; 0
     */
    public void logPrime(double[] a, int ao, double[] y, int yo, double[] out, int oo) {
        Domain.positive("logPrime", a[ao]);
        if (overlaps(a, ao, out, oo)) { a = stash(a, ao, inA); ao = 0; }
        divSeries(null, 0, a, ao, out, oo);
    }

    /**
     * out = log1p'(a) = 1/(1 + a) (series inverse).
     *
     * @throws JetDomainException unless a_0 is finite and &gt; −1
     */
    public void log1pPrime(double[] a, int ao, double[] y, int yo, double[] out, int oo) {
        Domain.aboveMinusOne("log1pPrime", a[ao]);
        addReal(a, ao, 1.0, w2, 0);
        divSeries(null, 0, w2, 0, out, oo);
    }

    /** out = expm1'(a) = y + 1. Cost O(stride). */
    public void expm1Prime(double[] a, int ao, double[] y, int yo, double[] out, int oo) {
        addReal(y, yo, 1.0, out, oo);
    }

    /**
     * out = sqrt'(a) = 1/(2y) (series inverse of y).
     *
     * @throws JetDomainException unless a_0 is finite and &gt; 0
     */
    public void sqrtPrime(double[] a, int ao, double[] y, int yo, double[] out, int oo) {
        Domain.positive("sqrtPrime", a[ao]);
        Domain.nonZero("sqrtPrime", y[yo]);
        if (overlaps(y, yo, out, oo)) { y = stash(y, yo, inA); yo = 0; }
        divSeries(null, 0, y, yo, out, oo);
        scale(out, oo, 0.5, out, oo);
    }

    /**
     * out = rsqrt'(a) = −y/(2a) (one series division).
     *
     * @throws JetDomainException unless a_0 is finite and &gt; 0
     */
    public void rsqrtPrime(double[] a, int ao, double[] y, int yo, double[] out, int oo) {
        Domain.positive("rsqrtPrime", a[ao]);
        divide(y, yo, a, ao, out, oo);
        scale(out, oo, -0.5, out, oo);
    }

    /**
     * out = tanh'(a) = 1 − y² (one symmetric convolution); the constant term as (1−y_0)(1+y_0).
     */
    public void tanhPrime(double[] a, int ao, double[] y, int yo, double[] out, int oo) {
        double y0 = y[yo];
        quadratic(y, yo, -2 * y0, (1 - y0) * (1 + y0), out, oo);
    }

    /** out = σ'(a) = y(1 − y) = y − y² (one symmetric convolution). */
    public void sigmoidPrime(double[] a, int ao, double[] y, int yo, double[] out, int oo) {
        double y0 = y[yo];
        quadratic(y, yo, 1 - 2 * y0, y0 * (1 - y0), out, oo);
    }

    /** out = softplus'(a) = σ(a) (see {@link #sigmoid}). */
    public void softplusPrime(double[] a, int ao, double[] y, int yo, double[] out, int oo) {
        sigmoid(a, ao, out, oo);
    }

    /** out = erf'(a) = (2/√π)·exp(−a²) ({@link #square}, then the exp composition). */
    public void erfPrime(double[] a, int ao, double[] y, int yo, double[] out, int oo) {
        erfDerivative(a, ao, out, oo);
    }

    /** out = GELU'(a) = Φ(a) + a·φ(a) (the series of {@link #gelu}, one more {@link #mul}). */
    public void geluPrime(double[] a, int ao, double[] y, int yo, double[] out, int oo) {
        if (partial(a, ao, out, oo)) { a = stash(a, ao, inA); ao = 0; }
        normalSeries(a, ao);
        mul(a, ao, w1, 0, out, oo);
        add(out, oo, w3, 0, out, oo);
    }

    /** out = relu'(a): the constant 1 if a_0 &gt; 0, else 0 (the derivative of relu's branch). */
    public void reluPrime(double[] a, int ao, double[] y, int yo, double[] out, int oo) {
        constant(a[ao] <= 0 ? 0.0 : 1.0, out, oo);
    }

    /** out = abs'(a): the constant −1 if a_0 &lt; 0, else +1. */
    public void absPrime(double[] a, int ao, double[] y, int yo, double[] out, int oo) {
        constant(a[ao] < 0 ? -1.0 : 1.0, out, oo);
    }

    /**
     * out = (1/a)' = −y² (one symmetric convolution).
     *
     * @throws JetDomainException if a_0 is 0 or not finite
     */
    public void reciprocalPrime(double[] a, int ao, double[] y, int yo, double[] out, int oo) {
        Domain.nonZero("reciprocalPrime", a[ao]);
        if (partial(y, yo, out, oo)) { y = stash(y, yo, inA); yo = 0; }
        square(y, yo, out, oo);
        neg(out, oo, out, oo);
    }

    /** out = (a²)' = 2a. Cost O(stride). */
    public void squarePrime(double[] a, int ao, double[] y, int yo, double[] out, int oo) {
        if (partial(a, ao, out, oo)) { a = stash(a, ao, inA); ao = 0; }
        scale(a, ao, 2.0, out, oo);
    }

    /**
     * out = (a^p)' = p·a^(p−1): for an integer p (as in {@link #pow}) p·a^(p−1) by binary
     * powering; otherwise p·y/a (one series division); 0 for p = 0. Any overlap among a, y, out.
     *
     * @throws JetDomainException under the domain rules of {@link #pow}
     */
    public void powPrime(double[] a, int ao, double p, double[] y, int yo, double[] out, int oo) {
        double a0 = a[ao];
        Domain.pow("powPrime", a0, p);
        if (p == 0) {
            zero(out, oo);
            return;
        }
        if (Domain.isInteger(p) && Math.abs(p) <= POW_BY_SQUARING_LIMIT) {
            powInteger(a, ao, (int) p - 1, out, oo);
        } else if (a0 == 0) {
            zero(out, oo); // an integer p > POW_BY_SQUARING_LIMIT ≥ k + 1: a^(p−1) = 0 mod z^(k+1)
        } else {
            divide(y, yo, a, ao, out, oo);
        }
        scale(out, oo, p, out, oo);
    }

    // =====================================================================================
    // The shared recurrences.
    // =====================================================================================

    /**
     * THE composition routine: given the jet u = g'(a) (or, interleaved, a rule to build it from
     * y), computes y_1..y_k of y = g(a) in every direction from y' = u·a', generalised by the
     * weights of the power rule:
     * <pre>
     *   y_r = s0/r · Σ_{j=1..r} (c·j + d·(r−j)) · a_j · u_(r−j)
     * </pre>
     * Composition: c = 1, d = 0, s0 = 1 (r·y_r = Σ j a_j u_(r−j)). Real power p:
     * c = p, d = −1, s0 = 1/a_0 (r a_0 y_r = Σ (p j − (r−j)) a_j y_(r−j), u = y).
     *
     * <p>y_0 must already be in {@code y[yo]}; u_0 is passed as {@code u0} (so u may be y
     * itself, with u_0 ≠ y_0 as in expm1). Step r reads a_1..a_r and u_0..u_(r−1) only, so u
     * may be y (exp, expm1, pow: "interleaved"). With {@code mode} U_TANH / U_SIGMOID, u is built
     * in {@code u} just before it is needed: u_m = f·y_m − Σ_{j=1..m−1} y_j y_(m−j) with
     * f = −2y_0 (u = 1 − y²) or f = 1 − 2y_0 (u = y − y²). a must not overlap y or u.
     *
     * <p>Cost per direction k(k−1)/2 complex multiply-adds (+ k²/4 for the built u). When d = 0
     * the weights c·j are applied to a once per direction (O(k)), so each step is a plain
     * convolution; otherwise the weight is formed inside the sum (two more real multiplies).
     */
    private void composeSeries(double c, double d, double s0, double[] a, int ao,
                               double u0, double[] u, int uo, double[] y, int yo, int mode) {
        double y0 = y[yo];
        double f = mode == U_TANH ? -2 * y0 : 1 - 2 * y0;
        double[] ja = weighted;
        for (int b = 0; b < nd; b++) {
            int ab = base(ao, b), ub = base(uo, b), yb = base(yo, b);
            if (d == 0) {
                // Weights c·j only: scale a_j once (O(k)) so each step is a plain convolution.
                for (int j = 1; j <= k; j++) {
                    double w = c * j;
                    ja[2 * j] = w * a[ab + 2 * j];
                    ja[2 * j + 1] = w * a[ab + 2 * j + 1];
                }
            }
            for (int r = 1; r <= k; r++) {
                if (mode != U_GIVEN && r > 1) {
                    int m = r - 1;
                    double qr = innerSym(m, y, yb), qi = resIm;
                    int yi = yb + 2 * m, ui = ub + 2 * m;
                    u[ui] = f * y[yi] - qr;
                    u[ui + 1] = f * y[yi + 1] - qi;
                }
                // T_r = Σ_{j=1..r-1} w_j a_j u_(r-j) + c·r·a_r·u_0, w_j = c·j + d·(r−j).
                double tr, ti;
                if (d == 0) {
                    tr = inner(r, ja, 0, u, ub) + ja[2 * r] * u0;
                    ti = resIm + ja[2 * r + 1] * u0;
                } else {
                    tr = innerWeighted(r, c, d, a, ab, u, ub);
                    ti = resIm;
                    int ai = ab + 2 * r;
                    double wr = c * r * u0;
                    tr += wr * a[ai];
                    ti += wr * a[ai + 1];
                }
                double s = inv[r] * s0;
                int yi = yb + 2 * r;
                y[yi] = tr * s;
                y[yi + 1] = ti * s;
            }
        }
    }

    /**
     * The series-inverse recurrence: y = num/den (num == null: y = 1/den),
     * y_0 = num_0/den_0, y_r = (num_r − den_r y_0 − Σ_{j=1..r−1} den_j y_(r−j))/den_0.
     * den_0 must be checked by the caller; y must not overlap num or den.
     */
    private void divSeries(double[] num, int no, double[] den, int dno, double[] y, int yo) {
        double b0 = den[dno];
        double rb = 1.0 / b0;
        double y0 = num == null ? rb : num[no] / b0;
        y[yo] = y0;
        for (int b = 0; b < nd; b++) {
            int nb = num == null ? 0 : base(no, b), db = base(dno, b), yb = base(yo, b);
            for (int r = 1; r <= k; r++) {
                double sr = inner(r, den, db, y, yb), si = resIm;
                int di = db + 2 * r;
                sr += den[di] * y0;
                si += den[di + 1] * y0;
                if (num != null) {
                    int ni = nb + 2 * r;
                    sr = num[ni] - sr;
                    si = num[ni + 1] - si;
                } else {
                    sr = -sr;
                    si = -si;
                }
                int yi = yb + 2 * r;
                y[yi] = sr * rb;
                y[yi + 1] = si * rb;
            }
        }
    }

    /** out = num/den after the domain check, copying inputs that overlap out. */
    private void divide(double[] num, int no, double[] den, int dno, double[] out, int oo) {
        if (overlaps(num, no, out, oo)) { num = stash(num, no, inA); no = 0; }
        if (overlaps(den, dno, out, oo)) { den = stash(den, dno, inB); dno = 0; }
        divSeries(num, no, den, dno, out, oo);
    }

    /** a^p after the domain check of {@link #pow}. */
    private void powChecked(double[] a, int ao, double p, double[] out, int oo) {
        double a0 = a[ao];
        if (Domain.isInteger(p) && Math.abs(p) <= POW_BY_SQUARING_LIMIT) {
            powInteger(a, ao, (int) p, out, oo);
        } else if (a0 == 0) {
            zero(out, oo); // an integer p > POW_BY_SQUARING_LIMIT ≥ k + 1: a^p = 0 mod z^(k+1)
        } else {
            powSeries(a, ao, p, Math.pow(a0, p), out, oo);
        }
    }

    /** The real-power recurrence (a_0 ≠ 0), y_0 given. */
    private void powSeries(double[] a, int ao, double p, double y0, double[] out, int oo) {
        double a0 = a[ao];
        if (overlaps(a, ao, out, oo)) { a = stash(a, ao, inA); ao = 0; }
        out[oo] = y0;
        composeSeries(p, -1, 1.0 / a0, a, ao, y0, out, oo, out, oo, U_GIVEN);
    }

    /**
     * a^n for an integer n by binary powering: w1 runs through a, a², a⁴, …, w2 accumulates the
     * product of those selected by the bits of |n|; n &lt; 0 ends with one series inverse (a_0 ≠ 0
     * is checked by the caller). a^0 = 1; with a_0 = 0 and n &gt; k the result is 0. Reads a once,
     * first, so any overlap of a and out is fine. Uses w1, w2.
     */
    private void powInteger(double[] a, int ao, int n, double[] out, int oo) {
        int m = Math.abs(n);
        if (m == 0) {
            constant(1.0, out, oo);
            return;
        }
        if (m > k && a[ao] == 0) {
            zero(out, oo);
            return;
        }
        copy(a, ao, w1, 0);
        boolean started = false;
        while (true) {
            if ((m & 1) != 0) {
                if (started) {
                    mul(w2, 0, w1, 0, w2, 0);
                } else {
                    copy(w1, 0, w2, 0);
                    started = true;
                }
            }
            m >>= 1;
            if (m == 0) break;
            square(w1, 0, w1, 0);
        }
        if (n > 0) copy(w2, 0, out, oo); else divSeries(null, 0, w2, 0, out, oo);
    }

    /** y = σ(a) by the interleaved composition (u in w1). a must not overlap y. */
    private void sigmoidSeries(double[] a, int ao, double[] y, int yo) {
        double a0 = a[ao];
        y[yo] = RealMath.sigmoid(a0);
        composeSeries(1, 0, 1, a, ao, RealMath.sigmoidPrime(a0), w1, 0, y, yo, U_SIGMOID);
    }

    /** out = (2/√π)·exp(−a²). Uses w2; out may overlap a. */
    private void erfDerivative(double[] a, int ao, double[] out, int oo) {
        square(a, ao, w2, 0);
        neg(w2, 0, w2, 0);
        // exp is linear in its y_0: starting from c·e^(x_0) yields the jet c·exp(x).
        out[oo] = RealMath.TWO_OVER_SQRT_PI * Math.exp(w2[0]);
        composeSeries(1, 0, 1, w2, 0, out[oo], out, oo, out, oo, U_GIVEN);
    }

    /** w1 = φ(a) = e^(−a²/2)/√(2π), w3 = Φ(a). Uses w2. a must not overlap w1..w3. */
    private void normalSeries(double[] a, int ao) {
        square(a, ao, w2, 0);
        scale(w2, 0, -0.5, w2, 0);
        w1[0] = RealMath.INV_SQRT_2PI * Math.exp(w2[0]);
        composeSeries(1, 0, 1, w2, 0, w1[0], w1, 0, w1, 0, U_GIVEN);
        w3[0] = RealMath.normalCdf(a[ao]);
        composeSeries(1, 0, 1, a, ao, w1[0], w1, 0, w3, 0, U_GIVEN);
    }

    /**
     * out = c0 + f·(y − y_0) − (y − y_0)², i.e. out_r = f·y_r − Σ_{j=1..r−1} y_j y_(r−j) for
     * r ≥ 1 and out_0 = c0. Top-down, so out may be y; a partially overlapping y is copied.
     */
    private void quadratic(double[] y, int yo, double f, double c0, double[] out, int oo) {
        if (partial(y, yo, out, oo)) { y = stash(y, yo, inA); yo = 0; }
        for (int b = 0; b < nd; b++) {
            int yb = base(yo, b), ob = base(oo, b);
            for (int r = k; r >= 1; r--) {
                double qr = innerSym(r, y, yb), qi = resIm;
                int yi = yb + 2 * r, oi = ob + 2 * r;
                out[oi] = f * y[yi] - qr;
                out[oi + 1] = f * y[yi + 1] - qi;
            }
        }
        out[oo] = c0;
    }

    // =====================================================================================
    // Inner sums over the complex coefficients 1..r-1. Each returns the real part and leaves the
    // imaginary part in resIm. xb/vb are direction bases: coefficient j at xb + 2j.
    // Unrolled by two with independent accumulators (shorter add-latency chains); the summation
    // order depends only on r, so every direction is computed identically.
    // =====================================================================================

    /** Σ_{j=1..r−1} x_j v_(r−j). */
    private double inner(int r, double[] x, int xb, double[] v, int vb) {
        double sr = 0, si = 0;
        for (int xi = xb + 2, vi = vb + 2 * (r - 1), end = xb + 2 * r; xi < end; xi += 2, vi -= 2) {
            double xr = x[xi], xm = x[xi + 1], vr = v[vi], vm = v[vi + 1];
            sr += xr * vr - xm * vm;
            si += xr * vm + xm * vr;
        }
        resIm = si;
        return sr;
    }

    /** Σ_{j=1..r−1} x_j x_(r−j) = 2 Σ_{1≤j<r/2} x_j x_(r−j) + [r even] x_(r/2)². */
    private double innerSym(int r, double[] x, int xb) {
        double sr = 0, si = 0, tr = 0, ti = 0;
        int xi = xb + 2, vi = xb + 2 * (r - 1), end = xb + 2 * ((r - 1) >> 1) + 2;
        for (; xi + 2 < end; xi += 4, vi -= 4) {
            double xr = x[xi], xm = x[xi + 1], vr = x[vi], vm = x[vi + 1];
            double xr2 = x[xi + 2], xm2 = x[xi + 3], vr2 = x[vi - 2], vm2 = x[vi - 1];
            sr += xr * vr - xm * vm;
            si += xr * vm + xm * vr;
            tr += xr2 * vr2 - xm2 * vm2;
            ti += xr2 * vm2 + xm2 * vr2;
        }
        if (xi < end) {
            double xr = x[xi], xm = x[xi + 1], vr = x[vi], vm = x[vi + 1];
            sr += xr * vr - xm * vm;
            si += xr * vm + xm * vr;
        }
        sr = 2 * (sr + tr);
        si = 2 * (si + ti);
        if ((r & 1) == 0) {
            int mi = xb + r;
            double xr = x[mi], xm = x[mi + 1];
            sr += xr * xr - xm * xm;
            si += 2 * xr * xm;
        }
        resIm = si;
        return sr;
    }

    /** Σ_{j=1..r−1} (c·j + d·(r−j)) x_j v_(r−j). */
    private double innerWeighted(int r, double c, double d, double[] x, int xb, double[] v, int vb) {
        double dw = c - d, w = d * r;
        double sr = 0, si = 0;
        for (int xi = xb + 2, vi = vb + 2 * (r - 1), end = xb + 2 * r; xi < end; xi += 2, vi -= 2) {
            w += dw;
            double xr = x[xi], xm = x[xi + 1], vr = v[vi], vm = v[vi + 1];
            sr += w * (xr * vr - xm * vm);
            si += w * (xr * vm + xm * vr);
        }
        resIm = si;
        return sr;
    }

    // =====================================================================================
    // Layout helpers.
    // =====================================================================================

    /** Direction base of the jet at o: coefficient r (≥ 1) of direction b is at base + 2r. */
    private int base(int o, int b) {
        return o - 1 + 2 * b * k;
    }

    private boolean overlaps(double[] x, int xo, double[] y, int yo) {
        return x == y && xo < yo + stride && yo < xo + stride;
    }

    /** x overlaps out without being the same jet (top-down kernels then need a copy of x). */
    private boolean partial(double[] x, int xo, double[] out, int oo) {
        return xo != oo && overlaps(x, xo, out, oo);
    }

    private double[] stash(double[] x, int xo, double[] buf) {
        System.arraycopy(x, xo, buf, 0, stride);
        return buf;
    }
}

