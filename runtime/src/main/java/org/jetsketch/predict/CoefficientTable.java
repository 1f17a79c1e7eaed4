package org.jetsketch.predict;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The coefficients of one measurement φ on m sketches (scheme §5): for sketch j,
 * g_j(z) = φ(θ(zψ_j)) = Σ_{r=0..k} c_{j,r} z^r, with c_{j,0} = f(0) real and c_{j,1..k} complex.
 * It does not depend on any deletion set. Immutable.
 *
 * <p><b>Layout.</b> {@link #coefficients()} is a flat array of m·2k doubles: re(c_{j,r}) at
 * {@code 2·(j·k + r − 1)} and im(c_{j,r}) at the next position, for j = 0..m−1 (table order) and
 * r = 1..k. Example, k = 2: {@code [re c_{0,1}, im c_{0,1}, re c_{0,2}, im c_{0,2}, re c_{1,1}, …]}.
 *
 * <p><b>f(0).</b> Every sketch reports c_{j,0}; they come from the same θ_0 and must agree. The
 * table checks each against the first to a relative 1e-9 ({@code |c_{j,0} − c_{0,0}| ≤
 * 1e-9·max(|c_{j,0}|, |c_{0,0}|)}) and uses the first as f(0).
 *
 * <p><b>Directions.</b> Sketch j (table position) was trained along
 * {@code Directions.direction(directionSeed, directionIndex(j), examples)}; {@link DirectionBank}
 * regenerates or caches those vectors. Direction indices must be distinct.
 */
public final class CoefficientTable {

    /** Relative tolerance on the agreement of the c_{j,0}. */
    public static final double F0_RELATIVE_TOLERANCE = 1e-9;

    private final int examples;
    private final long directionSeed;
    private final int degree;
    private final int[] directionIndices;
    private final double f0;
    private final double[] coefficients;

    private CoefficientTable(int examples, long directionSeed, int degree, int[] directionIndices, double f0,
                             double[] coefficients) {
        this.examples = examples;
        this.directionSeed = directionSeed;
        this.degree = degree;
        this.directionIndices = directionIndices;
        this.f0 = f0;
        this.coefficients = coefficients;
    }

    /**
     * A table from flat arrays (copied).
     *
     * @param examples         n (&gt;= 1)
     * @param directionSeed    the store's direction seed
     * @param degree           k (&gt;= 1)
     * @param directionIndices the direction index of each sketch (m &gt;= 1 entries, distinct, &gt;= 0)
     * @param f0               c_{j,0} for each sketch (m finite values that agree, see class doc)
     * @param coefficients     m·2k finite values, layout as in the class doc
     */
    public static CoefficientTable of(int examples, long directionSeed, int degree, int[] directionIndices,
                                      double[] f0, double[] coefficients) {
        if (examples < 1) throw new IllegalArgumentException("examples (n) must be >= 1, got " + examples);
        if (degree < 1) throw new IllegalArgumentException("degree (k) must be >= 1, got " + degree);
        if (directionIndices == null) throw new IllegalArgumentException("directionIndices is null");
        if (f0 == null) throw new IllegalArgumentException("f0 is null");
        if (coefficients == null) throw new IllegalArgumentException("coefficients is null");
        int m = directionIndices.length;
        if (m < 1) throw new IllegalArgumentException("a table needs at least one sketch, got 0");
        if (f0.length != m) {
            throw new IllegalArgumentException("f0 has length " + f0.length + ", expected m = " + m);
        }
        if (coefficients.length != (long) m * 2 * degree) {
            throw new IllegalArgumentException("coefficients has length " + coefficients.length
                    + ", expected m·2k = " + m + "·2·" + degree + " = " + ((long) m * 2 * degree));
        }
        if ((long) examples + degree - 1 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("n + k − 1 = " + examples + " + " + degree
                    + " − 1 exceeds the int range of the binomial coefficients");
        }
        Map<Integer, Integer> seen = new HashMap<>();
        for (int j = 0; j < m; j++) {
            int d = directionIndices[j];
            if (d < 0) {
                throw new IllegalArgumentException("direction index of sketch " + j + " must be >= 0, got " + d);
            }
            Integer previous = seen.put(d, j);
            if (previous != null) {
                throw new IllegalArgumentException("direction index " + d + " is repeated (sketches " + previous
                        + " and " + j + "); sketches must use distinct directions");
            }
        }
        for (int j = 0; j < m; j++) {
            if (!Double.isFinite(f0[j])) {
                throw new IllegalArgumentException("f0 of sketch " + j + " (direction " + directionIndices[j]
                        + ") is not finite: " + f0[j]);
            }
            double a = f0[0], b = f0[j];
            if (Math.abs(b - a) > F0_RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b))) {
                throw new IllegalArgumentException("f(0) differs between sketches: sketch 0 (direction "
                        + directionIndices[0] + ") has " + a + ", sketch " + j + " (direction " + directionIndices[j]
                        + ") has " + b + " (relative tolerance " + F0_RELATIVE_TOLERANCE
                        + "); were they trained from the same theta0?");
            }
        }
        for (int i = 0; i < coefficients.length; i++) {
            if (!Double.isFinite(coefficients[i])) {
                int j = i / (2 * degree), r = (i % (2 * degree)) / 2 + 1;
                throw new IllegalArgumentException("coefficient c_{" + j + "," + r + "} ("
                        + (i % 2 == 0 ? "real" : "imaginary") + " part, flat index " + i + ") is not finite: "
                        + coefficients[i]);
            }
        }
        return new CoefficientTable(examples, directionSeed, degree, directionIndices.clone(), f0[0],
                coefficients.clone());
    }

    /** A builder that collects sketches one at a time. */
    public static Builder builder(int examples, long directionSeed, int degree) {
        if (examples < 1) throw new IllegalArgumentException("examples (n) must be >= 1, got " + examples);
        if (degree < 1) throw new IllegalArgumentException("degree (k) must be >= 1, got " + degree);
        return new Builder(examples, directionSeed, degree);
    }

    /** Collects sketches; {@link #build()} validates everything as {@link #of} does. */
    public static final class Builder {
        private final int examples;
        private final long seed;
        private final int degree;
        private int[] indices = new int[16];
        private double[] f0s = new double[16];
        private double[] coefficients;
        private int m;

        private Builder(int examples, long seed, int degree) {
            this.examples = examples;
            this.seed = seed;
            this.degree = degree;
            this.coefficients = new double[16 * 2 * degree];
        }

        /**
         * Adds a sketch: c_{j,0} = {@code f0}, and {@code coefficients} = c_{j,1..k} as 2k doubles
         * (re(c_r) at 2(r−1), im at 2(r−1)+1).
         */
        public Builder add(int directionIndex, double f0, double[] coefficients) {
            if (coefficients == null) throw new IllegalArgumentException("coefficients is null");
            if (coefficients.length != 2 * degree) {
                throw new IllegalArgumentException("coefficients of direction " + directionIndex + " have length "
                        + coefficients.length + ", expected 2k = " + (2 * degree));
            }
            grow();
            indices[m] = directionIndex;
            f0s[m] = f0;
            System.arraycopy(coefficients, 0, this.coefficients, m * 2 * degree, 2 * degree);
            m++;
            return this;
        }

        /**
         * Adds a sketch from a whole jet of 2(k+1) doubles interleaved, c_0..c_k (re at 2r, im at
         * 2r+1). The imaginary part of c_0 must be exactly zero: a jet's constant term is real.
         */
        public Builder addJet(int directionIndex, double[] jet) {
            if (jet == null) throw new IllegalArgumentException("jet is null");
            if (jet.length != 2 * (degree + 1)) {
                throw new IllegalArgumentException("jet of direction " + directionIndex + " has length " + jet.length
                        + ", expected 2(k+1) = " + (2 * (degree + 1)));
            }
            if (jet[1] != 0.0) {
                throw new IllegalArgumentException("jet of direction " + directionIndex
                        + " has a non-real constant term: imaginary part " + jet[1]);
            }
            return add(directionIndex, jet[0], Arrays.copyOfRange(jet, 2, jet.length));
        }

        private void grow() {
            if (m == indices.length) {
                int cap = Math.multiplyExact(indices.length, 2);
                indices = Arrays.copyOf(indices, cap);
                f0s = Arrays.copyOf(f0s, cap);
                coefficients = Arrays.copyOf(coefficients, Math.multiplyExact(cap, 2 * degree));
            }
        }

        public CoefficientTable build() {
            return of(examples, seed, degree, Arrays.copyOf(indices, m), Arrays.copyOf(f0s, m),
                    Arrays.copyOf(coefficients, m * 2 * degree));
        }
    }

    /** n, the number of training examples (the length of each direction). */
    public int examples() { return examples; }

    public long directionSeed() { return directionSeed; }

    /** k. */
    public int degree() { return degree; }

    /** m, the number of sketches. */
    public int sketches() { return directionIndices.length; }

    /** f(0) = c_{0,0}. */
    public double f0() { return f0; }

    /** The direction index of the sketch at table position {@code j}. */
    public int directionIndex(int j) {
        checkSketch(j);
        return directionIndices[j];
    }

    /** A copy of the direction indices, in table order. */
    public int[] directionIndices() { return directionIndices.clone(); }

    /** re(c_{j,r}), r in 1..k. */
    public double re(int j, int r) { return coefficients[offset(j, r)]; }

    /** im(c_{j,r}), r in 1..k. */
    public double im(int j, int r) { return coefficients[offset(j, r) + 1]; }

    /** A copy of the flat coefficients (layout in the class doc). */
    public double[] coefficients() { return coefficients.clone(); }

    /** The first {@code count} sketches (consecutive, in table order) as a table of their own. */
    public CoefficientTable head(int count) {
        if (count < 1 || count > sketches()) {
            throw new IllegalArgumentException("head count must be in [1, " + sketches() + "], got " + count);
        }
        return new CoefficientTable(examples, directionSeed, degree, Arrays.copyOf(directionIndices, count), f0,
                Arrays.copyOf(coefficients, count * 2 * degree));
    }

    int offset(int j, int r) {
        checkSketch(j);
        if (r < 1 || r > degree) throw new IllegalArgumentException("degree r must be in [1, " + degree + "], got " + r);
        return 2 * (j * degree + r - 1);
    }

    /** Direct access for the estimator (no copy; never modified). */
    double[] rawCoefficients() { return coefficients; }

    int[] rawDirectionIndices() { return directionIndices; }

    private void checkSketch(int j) {
        if (j < 0 || j >= sketches()) {
            throw new IllegalArgumentException("sketch position must be in [0, " + sketches() + "), got " + j);
        }
    }

    @Override
    public String toString() {
        return "CoefficientTable[n=" + examples + ", k=" + degree + ", m=" + sketches() + ", f0=" + f0 + "]";
    }
}
