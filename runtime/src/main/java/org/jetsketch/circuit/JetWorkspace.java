package org.jetsketch.circuit;

import org.jetsketch.jet.Jets;

/**
 * The workspace of generated jet code. Active values are jets of {@link #stride} doubles
 * (layout: {@link Jets}): an active scalar of a method is a fixed jet of the frame arrays
 * {@link #val} (value) and {@link #adj} (adjoint), since a circuit never recurses; an active
 * {@code double[n]} is a {@code double[n * stride]} whose element {@code i} starts at
 * {@code i * stride}. Generated code calls the {@link #jets} kernels on (array, offset) pairs.
 * The generated circuit subclasses it with its parameters' jets and adjoint jets
 * ({@link CompiledCircuit#newJetWorkspace(Jets)}).
 */
public abstract class JetWorkspace extends Workspace {
    /** Scratch jets for adjoint rules, at offsets {@code 0, stride, 2 * stride}. */
    public static final int SCRATCH_JETS = 3;

    public final Jets jets;
    public final int stride;
    /** The jets of every method's active scalars and temporaries. */
    public final double[] val;
    /** Their adjoint jets, at the same offsets. */
    public final double[] adj;
    public final double[] scratch;
    /** The adjoint array of the active {@code double[]} a helper's forward sweep just returned. */
    public double[] resultAdjoint;
    /** The adjoint array of the active {@code double[][]} a helper's forward sweep just returned. */
    public double[][] resultAdjoint2;

    /** Comparison operators of {@link #compare}, in Java's meaning. */
    public static final int LT = 0;
    public static final int LE = 1;
    public static final int GT = 2;
    public static final int GE = 3;
    public static final int EQ = 4;
    public static final int NE = 5;

    /** Who sees the branch decisions on active values (null: nobody). */
    public BranchObserver branches;

    /** {@code frameJets}: how many scalar jets the generated methods use together. */
    protected JetWorkspace(Jets jets, int frameJets) {
        this.jets = jets;
        this.stride = jets.stride();
        this.val = new double[frameJets * stride];
        this.adj = new double[frameJets * stride];
        this.scratch = new double[SCRATCH_JETS * stride];
    }

    /** A decision on the sign of a − b ({@code max}, {@code min}): tells the observer. */
    public final void branch(int site, double[] a, int ao, double[] b, int bo) {
        if (branches != null) branches.difference(site, a, ao, b, bo);
    }

    /** A decision on the sign of a − c ({@code abs}, {@code relu}: c = 0): tells the observer. */
    public final void branch(int site, double[] a, int ao, double c) {
        if (branches != null) branches.differenceConst(site, a, ao, c);
    }

    /** The comparison {@code a op b} of two active values, by their real parts, told to the observer first. */
    public final boolean compare(int site, int op, double[] a, int ao, double[] b, int bo) {
        branch(site, a, ao, b, bo);
        return compare(op, a[ao], b[bo]);
    }

    /** {@code a op c} for an active a and a passive c. */
    public final boolean compare(int site, int op, double[] a, int ao, double c) {
        branch(site, a, ao, c);
        return compare(op, a[ao], c);
    }

    /** {@code c op b} for a passive c and an active b. */
    public final boolean compare(int site, int op, double c, double[] b, int bo) {
        branch(site, b, bo, c);
        return compare(op, c, b[bo]);
    }

    private static boolean compare(int op, double x, double y) {
        return switch (op) {
            case LT -> x < y;
            case LE -> x <= y;
            case GT -> x > y;
            case GE -> x >= y;
            case EQ -> x == y;
            case NE -> x != y;
            default -> throw new IllegalArgumentException("comparison operator " + op);
        };
    }

    /** Pushes the jet at {@code a[offset ..]}. */
    public final void pushJet(double[] a, int offset) { push(a, offset, stride); }

    /** Pops a jet into {@code a[offset ..]}. */
    public final void popJet(double[] a, int offset) { pop(a, offset, stride); }

    /** A zeroed array of {@code n} jets from the pool. */
    public final double[] jets(int n) { return doubles(n * stride); }

    /** A zeroed {@code n x m} array of jets from the pool. */
    public final double[][] jets(int n, int m) { return doubles(n, m * stride); }

    /** Jet constants for a passive array used where an active one is expected. */
    public final double[] constants(double[] values) {
        if (values == null) return null;
        double[] out = jets(values.length);
        for (int i = 0; i < values.length; i++) jets.constant(values[i], out, i * stride);
        return out;
    }

    public final double[][] constants(double[][] values) {
        if (values == null) return null;
        double[][] out = rows(values.length);
        for (int i = 0; i < values.length; i++) out[i] = constants(values[i]);
        return out;
    }

    /** Copies P parameter jets (jet {@code i} at {@code i * stride}) into the parameter arrays; zeroes their adjoints. */
    public abstract void loadParameters(double[] thetaJets);

    /** Adds the parameters' adjoint jets, flattened, into {@code grad} (P x stride doubles). */
    public abstract void addGradient(double[] grad);
}
