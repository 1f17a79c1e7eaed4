package org.jetsketch.circuit;

import org.jetsketch.tape.JetTape;
import org.jetsketch.tape.RealTape;

/**
 * What the annotation processor generates for a {@code @Circuit} class ({@code Foo_Circuit}) and
 * the runtime drives: the generated code's contract. Every method works on a tape whose slots
 * {@code 1..P} already hold the parameters; active values are tape slots (see {@link RealTape}).
 *
 * <p>Each path exists twice, over {@link RealTape} (ordinary training, the retraining ground
 * truth) and over {@link JetTape} (jet training, Taylor over reverse); the two are generated from
 * one body and differ only in the primitive rules they call.
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
     * generated jet code passes to {@link org.jetsketch.tape.BranchMonitor} at a decision on
     * active values. A circuit without such decisions has no sites.
     */
    default String branchSite(int site) { return "branch site #" + site; }

    /** How many {@code @State} arrays the training step keeps. */
    int stateArrays();

    /** Records the loss of one example onto {@code tape}; returns the loss's slot. */
    int loss(RealTape tape, E example);

    /** Replays slots {@code [tape.base(), tape.top())} in reverse, accumulating adjoints. */
    void reverse(RealTape tape);

    /**
     * One optimizer step on slots: {@code params}, {@code grads} and each {@code state[j]} hold P
     * slots; the step replaces the entries of {@code params} and {@code state} with the slots of
     * the updated values.
     */
    void step(RealTape tape, int[] params, int[] grads, int[][] state, int step, int steps);

    int loss(JetTape tape, E example);

    void reverse(JetTape tape);

    void step(JetTape tape, int[] params, int[] grads, int[][] state, int step, int steps);
}
