package org.jetsketch.circuit;

import org.jetsketch.jet.Jets;

/**
 * What the annotation processor generates for a {@code @Circuit} class ({@code Foo_Circuit}) and
 * the runtime drives: the generated code's contract.
 *
 * <p>The generated code is adjoint code, not an interpreter: for the loss and every helper it
 * reaches a forward sweep and a reverse sweep, structured Java over doubles (the ordinary path)
 * or over jets (the jet path). A workspace ({@link RealWorkspace}, {@link JetWorkspace}) holds the
 * parameters as arrays shaped like the {@code @Param} fields, their adjoints, and the stacks the
 * forward sweep pushes for the reverse sweep. Use: {@code loadParameters(theta)}, then
 * {@code lossAndGradient} for each example of a batch (each adds its seeded gradient to the
 * parameters' adjoints), then {@code addGradient(grad)}; the training step runs forward only on
 * flat arrays.
 *
 * @param <E> the example type the {@code @Loss} method takes
 */
public interface CompiledCircuit<E> {

    /** The canonical name of the user's {@code @Circuit} class. */
    String circuitName();

    /** The flat parameter layout, read from the instance the circuit was built from. */
    ParamLayout layout();

    /**
     * A fingerprint of the generated code (its primitive rules and method bodies). Stored with
     * sketches so that sketches made by different code are never mixed.
     */
    long codeFingerprint();

    /**
     * A fresh copy of the instance's parameter values as they were when this circuit was built,
     * flattened in layout order: later changes of the instance do not move the starting point.
     */
    double[] initialParameters();

    /**
     * The source position ({@code "Huber.java:42"}) of branch site {@code site}: the id the
     * generated jet code passes to {@link org.jetsketch.circuit.BranchMonitor} at a decision on
     * active values. A circuit without such decisions has no sites.
     */
    default String branchSite(int site) { return "branch site #" + site; }

    /** How many {@code @State} arrays the training step keeps. */
    int stateArrays();

    /** A workspace for this circuit's ordinary code (one per thread). */
    RealWorkspace newRealWorkspace();

    /** A workspace for this circuit's jet code over {@code jets} (one per thread). */
    JetWorkspace newJetWorkspace(Jets jets);

    /**
     * The loss of {@code example} at the parameters loaded into {@code ws}; adds
     * {@code seed} times its gradient to the parameters' adjoints in {@code ws}.
     */
    double lossAndGradient(RealWorkspace ws, E example, double seed);

    /**
     * The jet path: the loss of {@code example} at the parameter jets loaded into {@code ws},
     * written to {@code loss[lossOffset .. + stride)}; seeds its adjoint with the jet
     * {@code seed[seedOffset .. + stride)} and adds the parameters' adjoint jets into {@code ws}
     * (Taylor over reverse).
     */
    void lossAndGradient(JetWorkspace ws, E example, double[] seed, int seedOffset, double[] loss, int lossOffset);

    /**
     * One optimizer step, forward only: {@code params}, {@code grads} and each {@code state[j]}
     * hold P values; {@code params} and {@code state} are updated in place.
     */
    void step(RealWorkspace ws, double[] params, double[] grads, double[][] state, int step, int steps);

    /** The optimizer step on jets: P x stride doubles per array, updated in place. */
    void step(JetWorkspace ws, double[] params, double[] grads, double[][] state, int step, int steps);

    /**
     * The adjoint of one optimizer step (reverse mode through {@link #step(RealWorkspace, double[],
     * double[], double[][], int, int) step}), for the adjoint of training. Runs the step on
     * {@code params}, {@code grads} and {@code state}, which hold the values before the step and
     * are updated in place as {@code step} updates them (pass copies to keep them). On entry
     * {@code paramsBar} and each {@code stateBar[j]} hold the adjoints of the values after the
     * step; on return they hold the adjoints of the values before it, and the adjoint of the
     * gradient has been added to {@code gradsBar}. Branches of the step (gradient clipping) are
     * replayed as the forward run took them.
     */
    void stepAdjoint(RealWorkspace ws, double[] params, double[] grads, double[][] state, int step, int steps,
            double[] paramsBar, double[] gradsBar, double[][] stateBar);
}
