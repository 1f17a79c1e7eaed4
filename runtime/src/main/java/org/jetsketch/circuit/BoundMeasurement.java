package org.jetsketch.circuit;

/**
 * A {@code @Measurement} method with its arguments bound, as the generated circuit's method of the
 * same name returns it. Evaluated forward only, at the parameters loaded into a workspace of the
 * circuit.
 */
public interface BoundMeasurement {

    /** The circuit this measurement belongs to (a measurement of another circuit is rejected). */
    CompiledCircuit<?> circuit();

    /** A readable description: the method name and its arguments. */
    String description();

    /** The measurement's value at the parameters loaded into {@code ws}. */
    double evaluate(RealWorkspace ws);

    /** The measurement's jet at the parameter jets loaded into {@code ws}, into {@code out[offset ..]}. */
    void evaluate(JetWorkspace ws, double[] out, int offset);

    /**
     * The measurement's value at the parameters loaded into {@code ws}; adds its gradient with
     * respect to the parameters (flat, in layout order) to {@code grad}. Reverse mode: one
     * forward and one reverse sweep of the measurement's adjoint code.
     */
    double gradient(RealWorkspace ws, double[] grad);
}
