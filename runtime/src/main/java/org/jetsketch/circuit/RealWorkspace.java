package org.jetsketch.circuit;

/**
 * The workspace of generated ordinary (real-number) code: the {@link Workspace} stacks and pool,
 * plus the registers through which a helper's adjoint code hands adjoints back to its caller.
 * The generated circuit subclasses it with its parameters' values and adjoints as arrays shaped
 * like the {@code @Param} fields ({@link CompiledCircuit#newRealWorkspace()}).
 */
public abstract class RealWorkspace extends Workspace {
    /** Adjoints of a helper's active scalar arguments, written by the helper's reverse sweep. */
    public final double[] argumentAdjoints;
    /** The adjoint array of the active {@code double[]} a helper's forward sweep just returned. */
    public double[] resultAdjoint;
    /** The adjoint array of the active {@code double[][]} a helper's forward sweep just returned. */
    public double[][] resultAdjoint2;

    /** {@code scalarArguments}: the most active scalar parameters any helper of the circuit has. */
    protected RealWorkspace(int scalarArguments) {
        this.argumentAdjoints = new double[scalarArguments];
    }

    /** Copies the flat parameters {@code theta} into the parameter arrays and zeroes their adjoints. */
    public abstract void loadParameters(double[] theta);

    /** Adds the parameters' adjoints, flattened, into {@code grad}. */
    public abstract void addGradient(double[] grad);
}
