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
 * direction independently. The B directions of a block are computed by exactly the same
 * floating-point operations as B separate single-direction jets, so batching never changes a
 * result, not even in the last bit.
 *
 * <h2>Layout</h2>
 * One jet block occupies {@link #stride()} = 1 + 2·k·B consecutive doubles from its offset o, in
 * structure-of-arrays order over the directions: a_0 (real, shared) at o, then per coefficient
 * r = 1..k the B real parts followed by the B imaginary parts. {@link JetLayout} owns these
 * indices (worked example there); for B = 1 a jet is a_0, re a_1, im a_1, re a_2, im a_2, ….
 * Degree 0 is allowed: the stride is 1 and a jet is just its real value.
 *
 * <h2>How B &gt; 1 is computed</h2>
 * The linear and branch kernels are element-wise and do not care about the layout. The products
 * ({@link #mul}, {@link #mulAdd}) run their innermost loop over the B directions of one
 * coefficient, contiguous in memory, so that the JIT can vectorise it. Every other nonlinear
 * kernel computes its real part (e^(a_0), Φ(a_0), …) once for the block and then runs its
 * recurrence direction by direction in place, reading coefficient r of direction d at a stride of
 * 2B (no copying in or out). With the Vector API ({@link Simd}) and B of at least one vector, the
 * series inverse (reciprocal, div, log, the …Prime kernels built on it) and the compositions with
 * a given u (exp, expm1, log, log1p, softplus, erf, GELU's Φ and φ, sqrt, rsqrt, real powers)
 * instead run across the directions: coefficient r of every direction in whole vectors, each
 * partial sum kept in the output coefficient ({@link VectorKernels}); the directions past the last
 * whole vector, and tanh and sigmoid (whose u is built alongside y), stay direction by direction.
 * In every case each direction is computed by exactly the operations, in exactly the order, of a
 * B = 1 block, so neither the directions per pass nor the Vector API ever change a result, not
 * even in the last bit (tested).
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

    /**
     * A jet argument that a kernel's contract says it does not read: pass {@code UNREAD, 0} for
     * it (the {@code …Prime} kernels document which of a and y they read). It holds no element, so
     * a kernel that did read it would fail at once instead of reading a stale value.
     */
    public static final double[] UNREAD = new double[0];

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
    private final JetLayout layout;
    /**
     * Direction d's coefficient r (≥ 1) of the jet at o: real part at o + 1 + d + cs·(r − 1),
     * imaginary part im further ({@link JetLayout}; cs = 2, im = 1 when B = 1). Every per-direction
     * recurrence below indexes through {@link #base}, cs and im, so it runs on a block in place.
     */
    private final int cs;
    private final int im;
    /**
     * Whether {@link #mulBlock} takes {@link VectorKernels#convolveBlockDegree3}: degree 3, the
     * Vector API, and at least one whole vector of directions (so the kernel is only ever called
     * when its loop runs, which keeps C2's profile of it clean).
     */
    private final boolean degree3Vectors;
    /**
     * The directions [0, vectorDirections) whose series-inverse and composition recurrences run
     * across directions on {@link VectorKernels} (a whole number of vectors; 0 without the Vector
     * API or for B smaller than a vector); the rest run direction by direction.
     */
    private final int vectorDirections;
    /** 2B zeros, never written: the start of the recurrences' sums on {@link VectorKernels}. */
    private final double[] zeros;
    /** The convolution of the products: coefficient r at 2r (B = 1), or a block (B &gt; 1, vector kernels). */
    private final double[] conv;
    /** B = 1 products: i·b (re at 2m: −im b_m, im at 2m+1: re b_m), so each step is a real axpy. */
    private final double[] rotated;
    /** B = 1 products with the Vector API: a copy of b (coefficient m at 2m) with slack after it. */
    private final double[] paddedB;
    /** Whether the products' inner loops run on {@link VectorKernels}. */
    private final boolean simd;
    /** inv[r] = 1/r. */
    private final double[] inv;
    /** Copies of inputs that overlap the output. */
    private final double[] inA;
    private final double[] inB;
    /** Work jets of the nonlinear kernels. */
    private final double[] w1;
    private final double[] w2;
    private final double[] w3;
    /** composeSeries: c·j·a_j of the current direction, laid out as a jet block at offset 0. */
    private final double[] weighted;
    /** The imaginary part of the last step helper's result (the real part is returned). */
    private double resIm;
    /** Calls of {@link #mul} and {@link #mulAdd} so far ({@link #products()}). */
    private long products;

    /**
     * @param degree     k, in [0, {@link #MAX_DEGREE}]
     * @param directions B ≥ 1, the number of directions sharing one real part
     * @throws IllegalArgumentException naming the rejected value
     */
    public Jets(int degree, int directions) {
        this(degree, directions, Simd.ENABLED);
    }

    /**
     * With the Vector API kernels if {@code simd} and {@link Simd#ENABLED}, else the scalar ones;
     * the results are the same bits either way. Why a caller would ask for the scalar kernels: in a
     * JVM that has not run the vector kernels yet, they cost JIT compilation and, until C2 has
     * compiled them, run far slower than the scalar loops, which only a long enough jet run
     * repays (the sketcher chooses per sketch by the expected amount of jet work).
     */
    public Jets(int degree, int directions, boolean simd) {
        if (degree < 0 || degree > MAX_DEGREE) {
            throw new IllegalArgumentException("degree must be in [0, " + MAX_DEGREE + "], got " + degree);
        }
        this.layout = new JetLayout(degree, directions); // checks directions and the stride
        this.k = degree;
        this.nd = directions;
        this.stride = layout.stride();
        this.simd = simd && Simd.ENABLED;
        this.cs = 2 * directions;
        this.im = directions;
        this.degree3Vectors = this.simd && degree == 3 && directions >= VectorKernels.lanes();
        this.vectorDirections = this.simd && directions > 1 ? VectorKernels.wholeVectors(directions) : 0;
        this.zeros = new double[vectorDirections > 0 ? 2 * directions : 0];
        // B = 1: the vector kernels run whole vectors past the last coefficient, into slack.
        int slack = this.simd ? VectorKernels.lanes() : 0;
        this.conv = new double[directions == 1 ? 2 * degree + 2 + slack : stride];
        this.rotated = new double[directions == 1 ? 2 * degree + 2 + slack : 0];
        this.paddedB = new double[directions == 1 && this.simd ? 2 * degree + 2 + slack : 0];
        this.inv = new double[degree + 1];
        for (int r = 1; r <= degree; r++) inv[r] = 1.0 / r;
        this.inA = new double[stride];
        this.inB = new double[stride];
        this.w1 = new double[stride];
        this.w2 = new double[stride];
        this.w3 = new double[stride];
        this.weighted = new double[stride];
    }

    /** The degree k. */
    public int degree() { return k; }

    /** The number of directions B in a block. */
    public int directions() { return nd; }

    /** Doubles per jet: 1 + 2·k·B. */
    public int stride() { return stride; }

    /** The layout of a block (indices of each coefficient and direction, sketch conversion). */
    public JetLayout layout() { return layout; }

    /**
     * How many jet products ({@link #mul}, {@link #mulAdd}) this instance has computed: how a
     * caller measures the jet work of a circuit (the sketcher runs a few examples' losses on a
     * probe instance to choose its kernels). One increment per product, nothing else.
     */
    public long products() { return products; }

    /** Whether the products run on the Vector API ({@link Simd}); the results are the same bits. */
    public boolean vectorized() { return simd; }

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

    /** A new array of constant jets, jet i the constant {@code values[i]} (e.g. parameters before training). */
    public double[] constants(double[] values) {
        double[] out = new double[values.length * stride];
        for (int i = 0; i < values.length; i++) constant(values[i], out, i * stride);
        return out;
    }

    /** out = a. Any overlap allowed ({@link System#arraycopy}). */
    public void copy(double[] a, int ao, double[] out, int oo) {
        if (a != out || ao != oo) System.arraycopy(a, ao, out, oo, stride);
    }

    /** out = a + b, coefficient-wise. */
    public void add(double[] a, int ao, double[] b, int bo, double[] out, int oo) {
        if (simd) {
            VectorKernels.addOrSubtract(a, ao, b, bo, out, oo, stride, false);
            return;
        }
        for (int i = 0; i < stride; i++) out[oo + i] = a[ao + i] + b[bo + i];
    }

    /** out = a − b, coefficient-wise. */
    public void sub(double[] a, int ao, double[] b, int bo, double[] out, int oo) {
        if (simd) {
            VectorKernels.addOrSubtract(a, ao, b, bo, out, oo, stride, true);
            return;
        }
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
        for (int r = 1; r <= k; r++) {
            for (int d = 0, i = 1 + 2 * nd * (r - 1); d < nd; d++, i++) {
                double x = a[ao + i], y = a[ao + i + nd];
                out[oo + i] = x * re - y * im;
                out[oo + i + nd] = x * im + y * re;
            }
        }
        out[oo] = re * a0;
    }

    /**
     * out = a/c for a real c ≠ 0: the constant term is the quotient a_0/c (rounded as the real
     * division, so the real part is the ordinary value bit for bit), the higher coefficients
     * (1/c)·a_r (one division, then products). Cost O(stride). out may be a.
     *
     * @throws JetDomainException if c is 0 or not finite, or a_0 is not finite
     */
    public void divReal(double[] a, int ao, double c, double[] out, int oo) {
        double a0 = a[ao];
        Domain.division("divReal", a0, c);
        double r = 1.0 / c;
        for (int i = 1; i < stride; i++) out[oo + i] = r * a[ao + i];
        out[oo] = a0 / c;
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
     * b_(r−j), summed in that order (j ascending).
     *
     * <p>Cost per direction: k(k−1)/2 complex multiply-adds + 2k real × complex products (the
     * naive count is (k+1)(k+2)/2 multiply-adds). The sum is formed in scratch, so out may be a
     * and/or b. B = 1: for 1 ≤ k ≤ 3 the loop nest is written out (same operations, same order,
     * same bits), because at those degrees entering the loops costs more than the arithmetic;
     * above, each a_j adds a_j·b to all higher coefficients at once, a real axpy over contiguous
     * doubles (against i·b kept in scratch) that the JIT vectorises. B &gt; 1: the innermost loop
     * runs over the directions of one coefficient.
     */
    public void mul(double[] a, int ao, double[] b, int bo, double[] out, int oo) {
        products++;
        if (nd > 1) {
            mulBlock(a, ao, b, bo, out, oo, false);
        } else if (k >= 1 && k <= 3) {
            mulSmall(a, ao, b, bo, out, oo, false);
        } else {
            mulLoop(a, ao, b, bo, out, oo);
        }
    }

    /** The B = 1 convolution loop of {@link #mul} (every degree; mul uses it for k = 0 and k &gt; 3). */
    void mulLoop(double[] a, int ao, double[] b, int bo, double[] out, int oo) {
        double a0 = a[ao], b0 = b[bo];
        if (k > 0) {
            convolve(a, ao - 1, a0, b, bo - 1, b0);
            System.arraycopy(conv, 2, out, oo + 1, 2 * k);
        }
        out[oo] = a0 * b0;
    }

    /**
     * conv[2r], conv[2r+1] = a_0 b_r + b_0 a_r + Σ_{j=1..r−1} a_j b_(r−j) for r = 1..k, one
     * direction with coefficient r at ab + 2r and bb + 2r. Each a_j (j ascending) is added to every
     * coefficient above it in one pass: conv[i] += re a_j · b[i − 2j] + im a_j · (i·b)[i − 2j], the
     * same operations as c_r += a_j·b_(r−j) written with complex numbers.
     */
    private void convolve(double[] a, int ab, double a0, double[] b, int bb, double b0) {
        double[] t = conv;
        double[] ib = rotated;
        int end = 2 * k + 2;
        for (int i = 2; i < end; i++) t[i] = a0 * b[bb + i] + b0 * a[ab + i];
        for (int m = 1; m < k; m++) {
            ib[2 * m] = -b[bb + 2 * m + 1];
            ib[2 * m + 1] = b[bb + 2 * m];
        }
        if (simd) {
            double[] bp = paddedB;
            System.arraycopy(b, bb + 2, bp, 2, end - 2);
            VectorKernels.convolveTerms(t, a, ab, bp, ib, k);
            return;
        }
        for (int j = 1; j < k; j++) {
            double ar = a[ab + 2 * j], ai = a[ab + 2 * j + 1];
            int shift = 2 * j;
            int from = bb - shift;
            for (int i = shift + 2; i < end; i++) t[i] += ar * b[from + i] + ai * ib[i - shift];
        }
    }

    /**
     * {@link #mul} (or, accumulating, {@link #mulAdd}) for B = 1 and 1 ≤ k ≤ 3 with the loops
     * written out, in exactly the order of {@link #convolve} (so the results are bit-for-bit the
     * same; tested). Why: C2 unrolls only innermost loops, and entering the triangular loop nest
     * costs ≈ 15 ns at k = 3 against ≈ 5 ns of arithmetic (JMH, JetKernelBenchmark); the small
     * degrees are the common ones (the paper's 500-direction runs use k = 3).
     */
    private void mulSmall(double[] a, int ao, double[] b, int bo, double[] out, int oo, boolean accumulate) {
        double a0 = a[ao], b0 = b[bo];
        double a1r = a[ao + 1], a1i = a[ao + 2], b1r = b[bo + 1], b1i = b[bo + 2];
        double c1r = a0 * b1r + b0 * a1r;
        double c1i = a0 * b1i + b0 * a1i;
        double c2r = 0, c2i = 0, c3r = 0, c3i = 0;
        if (k >= 2) {
            double a2r = a[ao + 3], a2i = a[ao + 4], b2r = b[bo + 3], b2i = b[bo + 4];
            if (k == 3) {
                double a3r = a[ao + 5], a3i = a[ao + 6], b3r = b[bo + 5], b3i = b[bo + 6];
                c3r = a0 * b3r + b0 * a3r + (a1r * b2r - a1i * b2i) + (a2r * b1r - a2i * b1i);
                c3i = a0 * b3i + b0 * a3i + (a1r * b2i + a1i * b2r) + (a2r * b1i + a2i * b1r);
            }
            c2r = a0 * b2r + b0 * a2r + (a1r * b1r - a1i * b1i);
            c2i = a0 * b2i + b0 * a2i + (a1r * b1i + a1i * b1r);
        }
        double c0 = a0 * b0;
        if (accumulate) {
            out[oo] += c0;
            out[oo + 1] += c1r;
            out[oo + 2] += c1i;
            if (k >= 2) {
                out[oo + 3] += c2r;
                out[oo + 4] += c2i;
            }
            if (k == 3) {
                out[oo + 5] += c3r;
                out[oo + 6] += c3i;
            }
        } else {
            out[oo] = c0;
            out[oo + 1] = c1r;
            out[oo + 2] = c1i;
            if (k >= 2) {
                out[oo + 3] = c2r;
                out[oo + 4] = c2i;
            }
            if (k == 3) {
                out[oo + 5] = c3r;
                out[oo + 6] = c3i;
            }
        }
    }

    /**
     * {@link #mul} / {@link #mulAdd} for B &gt; 1: the operations of {@link #convolve} for every
     * direction, c_r = (a_0 b_r + b_0 a_r) + a_1 b_(r−1) + … + a_(r−1) b_1 summed in that order,
     * the innermost loop over the directions of one coefficient (contiguous). At degree 3 with the
     * Vector API the whole vectors of directions go through
     * {@link VectorKernels#convolveBlockDegree3} (partial sums in registers), the remaining
     * directions through the loops of {@link #blockSum}; the block sum is formed in scratch, then
     * added or copied. Either way the same operations in the same order, so the same bits; out may
     * be a and/or b (mul), the accumulator of mulAdd must not overlap them.
     */
    private void mulBlock(double[] a, int ao, double[] b, int bo, double[] out, int oo, boolean accumulate) {
        double a0 = a[ao], b0 = b[bo];
        double[] t = conv;
        if (degree3Vectors && accumulate) {
            // Added straight into the accumulator (same bits: each coefficient is formed, then added).
            int done = VectorKernels.accumulateBlockDegree3(a, ao, a0, b, bo, b0, out, oo, nd);
            if (done < nd) {
                blockSum(a, ao, a0, b, bo, b0, t, done);
                for (int i = 1 + done; i < stride; i += nd) {
                    for (int e = i, end = i + nd - done; e < end; e++) out[oo + e] += t[e];
                }
            }
            out[oo] += a0 * b0;
            return;
        }
        int done = degree3Vectors ? VectorKernels.convolveBlockDegree3(a, ao, a0, b, bo, b0, t, nd) : 0;
        if (done < nd) blockSum(a, ao, a0, b, bo, b0, t, done);
        if (accumulate) {
            for (int i = 1; i < stride; i++) out[oo + i] += t[i];
            out[oo] += a0 * b0;
        } else {
            System.arraycopy(t, 1, out, oo + 1, stride - 1);
            out[oo] = a0 * b0;
        }
    }

    /** The block sum t of {@link #mulBlock} for the directions [from, B). */
    private void blockSum(double[] a, int ao, double a0, double[] b, int bo, double b0, double[] t, int from) {
        int group = 2 * nd, n = nd - from;
        for (int r = 1; r <= k; r++) {
            int rr = 1 + (r - 1) * group + from;
            for (int i = rr; i < rr + n; i++) t[i] = a0 * b[bo + i] + b0 * a[ao + i];
            for (int i = rr + nd; i < rr + nd + n; i++) t[i] = a0 * b[bo + i] + b0 * a[ao + i];
        }
        for (int j = 1; j < k; j++) {
            int aj = ao + 1 + (j - 1) * group + from;
            for (int r = j + 1; r <= k; r++) {
                int bm = bo + 1 + (r - j - 1) * group + from;
                int tr = 1 + (r - 1) * group + from;
                if (simd) {
                    VectorKernels.cmaBlock(t, tr, a, aj, b, bm, n, nd);
                    continue;
                }
                for (int d = 0; d < n; d++) {
                    double ar = a[aj + d], ai = a[aj + nd + d], br = b[bm + d], bi = b[bm + nd + d];
                    t[tr + d] += ar * br - ai * bi;
                    t[tr + nd + d] += ar * bi + ai * br;
                }
            }
        }
    }

    /**
     * out = a²: the convolution exploiting symmetry,
     * (a²)_r = 2 a_0 a_r + 2 Σ_{1≤j<r/2} a_j a_(r−j) + [r even] a_(r/2)².
     * Cost per direction ≈ k²/4 complex multiply-adds. Aliasing: out may be a (top-down order).
     */
    public void square(double[] a, int ao, double[] out, int oo) {
        if (partial(a, ao, out, oo)) { a = stash(a, ao, inA); ao = 0; }
        double a0 = a[ao], t0 = 2 * a0;
        for (int b = 0; b < nd; b++) {
            int ab = base(ao, b), ob = base(oo, b);
            for (int r = k; r >= 1; r--) {
                double sr = innerSym(r, a, ab), si = resIm;
                int ai = ab + cs * r, oi = ob + cs * r;
                out[oi] = sr + t0 * a[ai];
                out[oi + im] = si + t0 * a[ai + im];
            }
        }
        out[oo] = a0 * a0;
    }

    /**
     * acc += a·b (the convolution of {@link #mul}, formed first, then added). Cost as {@link #mul}.
     * Aliasing: {@code acc} must not overlap {@code a} or {@code b} (a and b may be the same jet).
     */
    public void mulAdd(double[] a, int ao, double[] b, int bo, double[] acc, int acco) {
        products++;
        if (nd > 1) {
            mulBlock(a, ao, b, bo, acc, acco, true);
        } else if (k >= 1 && k <= 3) {
            mulSmall(a, ao, b, bo, acc, acco, true);
        } else {
            double a0 = a[ao], b0 = b[bo];
            if (k > 0) {
                convolve(a, ao - 1, a0, b, bo - 1, b0);
                double[] t = conv;
                int base = acco - 1;
                for (int i = 2, end = 2 * k + 2; i < end; i++) acc[base + i] += t[i];
            }
            acc[acco] += a0 * b0;
        }
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
     * for a_0 = 0). Any overlap of a and out. The constant term is always {@code Math.pow(a_0, p)},
     * the real rule's value bit for bit.
     *
     * @throws JetDomainException if p or a_0 is not finite, if p is not an integer and a_0 ≤ 0,
     *                            or if p is a negative integer and a_0 = 0
     */
    public void pow(double[] a, int ao, double p, double[] out, int oo) {
        double a0 = a[ao];
        Domain.pow("pow", a0, p);
        powChecked(a, ao, p, out, oo);
        out[oo] = Math.pow(a0, p); // binary powering rounds a_0^p otherwise: the real part is the real rule's
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
    // kernel; out receives g'(a). Any overlap among a, y and out is allowed. Each kernel says
    // which of a and y it reads ("Reads …"); the other may be passed as UNREAD, 0.
    // =====================================================================================

    /** out = exp'(a) = y. Reads y only. Cost O(stride). */
    public void expPrime(double[] a, int ao, double[] y, int yo, double[] out, int oo) {
        copy(y, yo, out, oo);
    }

    /**
     * out = log'(a) = 1/a (series inverse, see {@link #reciprocal}). Reads a only.
     *
     * @throws JetDomainException unless a_0 is finite and &gt; 0
     */
    public void logPrime(double[] a, int ao, double[] y, int yo, double[] out, int oo) {
        Domain.positive("logPrime", a[ao]);
        if (overlaps(a, ao, out, oo)) { a = stash(a, ao, inA); ao = 0; }
        divSeries(null, 0, a, ao, out, oo);
    }

    /**
     * out = log1p'(a) = 1/(1 + a) (series inverse). Reads a only.
     *
     * @throws JetDomainException unless a_0 is finite and &gt; −1
     */
    public void log1pPrime(double[] a, int ao, double[] y, int yo, double[] out, int oo) {
        Domain.aboveMinusOne("log1pPrime", a[ao]);
        addReal(a, ao, 1.0, w2, 0);
        divSeries(null, 0, w2, 0, out, oo);
    }

    /** out = expm1'(a) = y + 1. Reads y only. Cost O(stride). */
    public void expm1Prime(double[] a, int ao, double[] y, int yo, double[] out, int oo) {
        addReal(y, yo, 1.0, out, oo);
    }

    /**
     * out = sqrt'(a) = 1/(2y) (series inverse of y). Reads y, and a_0 for the domain check.
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
     * out = rsqrt'(a) = −y/(2a) (one series division). Reads a and y.
     *
     * @throws JetDomainException unless a_0 is finite and &gt; 0
     */
    public void rsqrtPrime(double[] a, int ao, double[] y, int yo, double[] out, int oo) {
        Domain.positive("rsqrtPrime", a[ao]);
        divide(y, yo, a, ao, out, oo);
        scale(out, oo, -0.5, out, oo);
    }

    /**
     * out = tanh'(a) = 1 − y² (one symmetric convolution); the constant term as 1 − y_0·y_0, the
     * real adjoint's formula, so that the real part is its value bit for bit. Reads y only.
     */
    public void tanhPrime(double[] a, int ao, double[] y, int yo, double[] out, int oo) {
        double y0 = y[yo];
        quadratic(y, yo, -2 * y0, 1.0 - y0 * y0, out, oo);
    }

    /** out = σ'(a) = y(1 − y) = y − y² (one symmetric convolution), constant term y_0·(1 − y_0). Reads y only. */
    public void sigmoidPrime(double[] a, int ao, double[] y, int yo, double[] out, int oo) {
        double y0 = y[yo];
        quadratic(y, yo, 1 - 2 * y0, y0 * (1 - y0), out, oo);
    }

    /** out = softplus'(a) = σ(a) (see {@link #sigmoid}). Reads a only. */
    public void softplusPrime(double[] a, int ao, double[] y, int yo, double[] out, int oo) {
        sigmoid(a, ao, out, oo);
    }

    /** out = erf'(a) = (2/√π)·exp(−a²) ({@link #square}, then the exp composition). Reads a only. */
    public void erfPrime(double[] a, int ao, double[] y, int yo, double[] out, int oo) {
        erfDerivative(a, ao, out, oo);
    }

    /** out = GELU'(a) = Φ(a) + a·φ(a) (the series of {@link #gelu}, one more {@link #mul}). Reads a only. */
    public void geluPrime(double[] a, int ao, double[] y, int yo, double[] out, int oo) {
        if (partial(a, ao, out, oo)) { a = stash(a, ao, inA); ao = 0; }
        normalSeries(a, ao);
        mul(a, ao, w1, 0, out, oo);
        add(out, oo, w3, 0, out, oo);
    }

    /** out = relu'(a): the constant 1 if a_0 &gt; 0, else 0 (the derivative of relu's branch). Reads a only. */
    public void reluPrime(double[] a, int ao, double[] y, int yo, double[] out, int oo) {
        constant(a[ao] <= 0 ? 0.0 : 1.0, out, oo);
    }

    /** out = abs'(a): the constant −1 if a_0 &lt; 0, else +1. Reads a only. */
    public void absPrime(double[] a, int ao, double[] y, int yo, double[] out, int oo) {
        constant(a[ao] < 0 ? -1.0 : 1.0, out, oo);
    }

    /**
     * out = (1/a)' = −y² (one symmetric convolution). Reads y, and a_0 for the domain check.
     *
     * @throws JetDomainException if a_0 is 0 or not finite
     */
    public void reciprocalPrime(double[] a, int ao, double[] y, int yo, double[] out, int oo) {
        Domain.nonZero("reciprocalPrime", a[ao]);
        if (partial(y, yo, out, oo)) { y = stash(y, yo, inA); yo = 0; }
        square(y, yo, out, oo);
        neg(out, oo, out, oo);
    }

    /** out = (a²)' = 2a. Reads a only. Cost O(stride). */
    public void squarePrime(double[] a, int ao, double[] y, int yo, double[] out, int oo) {
        if (partial(a, ao, out, oo)) { a = stash(a, ao, inA); ao = 0; }
        scale(a, ao, 2.0, out, oo);
    }

    /**
     * out = (a^p)' = p·a^(p−1): for an integer p (as in {@link #pow}) p·a^(p−1) by binary
     * powering; otherwise p·y/a (one series division); 0 for p = 0. Reads a, and y for a non-integer p. Any overlap
     * among a, y, out.
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
        int from = 0;
        if (mode == U_GIVEN && vectorDirections > 0) {
            composeVectors(c, d, s0, a, ao, u0, u, uo, y, yo, vectorDirections);
            from = vectorDirections;
        }
        for (int b = from; b < nd; b++) {
            int ab = base(ao, b), ub = base(uo, b), yb = base(yo, b), jb = base(0, b);
            if (d == 0) {
                // Weights c·j only: scale a_j once (O(k)) so each step is a plain convolution.
                for (int j = 1; j <= k; j++) {
                    double w = c * j;
                    ja[jb + cs * j] = w * a[ab + cs * j];
                    ja[jb + cs * j + im] = w * a[ab + cs * j + im];
                }
            }
            for (int r = 1; r <= k; r++) {
                if (mode != U_GIVEN && r > 1) {
                    int m = r - 1;
                    double qr = innerSym(m, y, yb), qi = resIm;
                    int yi = yb + cs * m, ui = ub + cs * m;
                    u[ui] = f * y[yi] - qr;
                    u[ui + im] = f * y[yi + im] - qi;
                }
                // T_r = Σ_{j=1..r-1} w_j a_j u_(r-j) + c·r·a_r·u_0, w_j = c·j + d·(r−j).
                double tr, ti;
                if (d == 0) {
                    tr = inner(r, ja, jb, u, ub) + ja[jb + cs * r] * u0;
                    ti = resIm + ja[jb + cs * r + im] * u0;
                } else {
                    tr = innerWeighted(r, c, d, a, ab, u, ub);
                    ti = resIm;
                    int ai = ab + cs * r;
                    double wr = c * r * u0;
                    tr += wr * a[ai];
                    ti += wr * a[ai + im];
                }
                double s = inv[r] * s0;
                int yi = yb + cs * r;
                y[yi] = tr * s;
                y[yi + im] = ti * s;
            }
        }
    }

    /**
     * {@link #composeSeries} with u given, for the directions [0, n) (whole vectors) across
     * directions: per coefficient r, the sum starts at 0.0 ({@link #zeros}), receives the terms
     * j = 1..r−1 in ascending order (one sweep over the directions each, kept in y_r), then the last
     * term and the factor s0/r, each lane doing the scalar recurrence's operations in its order
     * (the same bits).
     */
    private void composeVectors(double c, double d, double s0, double[] a, int ao,
                                double u0, double[] u, int uo, double[] y, int yo, int n) {
        double[] ja = weighted;
        if (d == 0) {
            for (int j = 1; j <= k; j++) {
                double w = c * j;
                int at = coefficient(0, j);
                VectorKernels.scaleRange(ja, at, a, coefficient(ao, j), w, n);
                VectorKernels.scaleRange(ja, at + im, a, coefficient(ao, j) + im, w, n);
            }
        }
        for (int r = 1; r <= k; r++) {
            int yr = coefficient(yo, r);
            double[] from = zeros; // the sum so far: 0.0, then y_r itself
            int fr = 0;
            double s = inv[r] * s0;
            if (d == 0) {
                for (int j = 1; j < r; j++, from = y, fr = yr) {
                    VectorKernels.termBlock(y, yr, from, fr, ja, coefficient(0, j), u, coefficient(uo, r - j), n, nd);
                }
                int jr = coefficient(0, r);
                VectorKernels.addScaledThenScale(y, yr, from, fr, ja, jr, u0, s, n);
                VectorKernels.addScaledThenScale(y, yr + im, from, fr + im, ja, jr + im, u0, s, n);
            } else {
                double dw = c - d, w = d * r;
                for (int j = 1; j < r; j++, from = y, fr = yr) {
                    w += dw;
                    VectorKernels.weightedTermBlock(y, yr, from, fr, a, coefficient(ao, j), u, coefficient(uo, r - j),
                            w, n, nd);
                }
                double wr = c * r * u0;
                int ar = coefficient(ao, r);
                VectorKernels.addScaledThenScale(y, yr, from, fr, a, ar, wr, s, n);
                VectorKernels.addScaledThenScale(y, yr + im, from, fr + im, a, ar + im, wr, s, n);
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
        int from = 0;
        if (vectorDirections > 0) {
            divVectors(num, no, den, dno, y, yo, y0, rb, vectorDirections);
            from = vectorDirections;
        }
        for (int b = from; b < nd; b++) {
            int nb = num == null ? 0 : base(no, b), db = base(dno, b), yb = base(yo, b);
            for (int r = 1; r <= k; r++) {
                double sr = inner(r, den, db, y, yb), si = resIm;
                int di = db + cs * r;
                sr += den[di] * y0;
                si += den[di + im] * y0;
                if (num != null) {
                    int ni = nb + cs * r;
                    sr = num[ni] - sr;
                    si = num[ni + im] - si;
                } else {
                    sr = -sr;
                    si = -si;
                }
                int yi = yb + cs * r;
                y[yi] = sr * rb;
                y[yi + im] = si * rb;
            }
        }
    }

    /**
     * {@link #divSeries} for the directions [0, n) (whole vectors) across directions: per
     * coefficient r, the sum starts at 0.0 ({@link #zeros}), receives den_j·y_(r−j) for
     * j = 1..r−1 in ascending order (kept in y_r), then den_r·y_0, the subtraction from num_r (or
     * the negation) and the factor 1/den_0, each lane doing the scalar recurrence's operations in
     * its order (the same bits).
     */
    private void divVectors(double[] num, int no, double[] den, int dno, double[] y, int yo,
                            double y0, double rb, int n) {
        for (int r = 1; r <= k; r++) {
            int yr = coefficient(yo, r), dr = coefficient(dno, r);
            double[] from = zeros; // the sum so far: 0.0, then y_r itself
            int fr = 0;
            for (int j = 1; j < r; j++, from = y, fr = yr) {
                VectorKernels.termBlock(y, yr, from, fr, den, coefficient(dno, j), y, coefficient(yo, r - j), n, nd);
            }
            if (num != null) {
                int nr = coefficient(no, r);
                VectorKernels.divisionStep(y, yr, from, fr, den, dr, y0, num, nr, rb, n);
                VectorKernels.divisionStep(y, yr + im, from, fr + im, den, dr + im, y0, num, nr + im, rb, n);
            } else {
                VectorKernels.inverseStep(y, yr, from, fr, den, dr, y0, rb, n);
                VectorKernels.inverseStep(y, yr + im, from, fr + im, den, dr + im, y0, rb, n);
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
                int yi = yb + cs * r, oi = ob + cs * r;
                out[oi] = f * y[yi] - qr;
                out[oi + im] = f * y[yi + im] - qi;
            }
        }
        out[oo] = c0;
    }

    // =====================================================================================
    // Inner sums over the complex coefficients 1..r-1. Each returns the real part and leaves the
    // imaginary part in resIm. xb/vb are direction bases ({@link #base}): coefficient j at xb + cs·j.
    // Unrolled by two with independent accumulators (shorter add-latency chains); the summation
    // order depends only on r, so every direction is computed identically.
    // =====================================================================================

    /** Σ_{j=1..r−1} x_j v_(r−j). */
    private double inner(int r, double[] x, int xb, double[] v, int vb) {
        double sr = 0, si = 0;
        for (int xi = xb + cs, vi = vb + cs * (r - 1), end = xb + cs * r; xi < end; xi += cs, vi -= cs) {
            double xr = x[xi], xm = x[xi + im], vr = v[vi], vm = v[vi + im];
            sr += xr * vr - xm * vm;
            si += xr * vm + xm * vr;
        }
        resIm = si;
        return sr;
    }

    /** Σ_{j=1..r−1} x_j x_(r−j) = 2 Σ_{1≤j<r/2} x_j x_(r−j) + [r even] x_(r/2)². */
    private double innerSym(int r, double[] x, int xb) {
        double sr = 0, si = 0, tr = 0, ti = 0;
        int xi = xb + cs, vi = xb + cs * (r - 1), end = xb + cs * ((r - 1) >> 1) + cs;
        for (; xi + cs < end; xi += 2 * cs, vi -= 2 * cs) {
            double xr = x[xi], xm = x[xi + im], vr = x[vi], vm = x[vi + im];
            double xr2 = x[xi + cs], xm2 = x[xi + cs + im], vr2 = x[vi - cs], vm2 = x[vi - cs + im];
            sr += xr * vr - xm * vm;
            si += xr * vm + xm * vr;
            tr += xr2 * vr2 - xm2 * vm2;
            ti += xr2 * vm2 + xm2 * vr2;
        }
        if (xi < end) {
            double xr = x[xi], xm = x[xi + im], vr = x[vi], vm = x[vi + im];
            sr += xr * vr - xm * vm;
            si += xr * vm + xm * vr;
        }
        sr = 2 * (sr + tr);
        si = 2 * (si + ti);
        if ((r & 1) == 0) {
            int mi = xb + cs * (r >> 1);
            double xr = x[mi], xm = x[mi + im];
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
        for (int xi = xb + cs, vi = vb + cs * (r - 1), end = xb + cs * r; xi < end; xi += cs, vi -= cs) {
            w += dw;
            double xr = x[xi], xm = x[xi + im], vr = v[vi], vm = v[vi + im];
            sr += w * (xr * vr - xm * vm);
            si += w * (xr * vm + xm * vr);
        }
        resIm = si;
        return sr;
    }

    // =====================================================================================
    // Layout helpers.
    // =====================================================================================

    /** Index of the real part of coefficient r (≥ 1) of direction 0 of the jet at o (the B real parts follow, then the B imaginary). */
    private int coefficient(int o, int r) {
        return o + 1 + cs * (r - 1);
    }

    /** Direction base of the jet at o: coefficient r (≥ 1) of direction b is at base + cs·r, its imaginary part im further. */
    private int base(int o, int b) {
        return o + 1 + b - cs;
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

