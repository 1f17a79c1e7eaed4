package org.jetsketch.tape;

import java.util.Arrays;

/**
 * The tape that generated ordinary (real-number) code records onto, and whose generated reverse
 * sweep accumulates adjoints: slot {@code s} has value {@code val[s]} and adjoint {@code adj[s]}.
 * Slots and records: see {@link Tape}. Part of the generated code's contract.
 */
public final class RealTape extends Tape {
    public double[] val;
    public double[] adj;

    /** A tape with {@code params} parameter slots (all 0 until {@link #loadParameters}). */
    public RealTape(int params) {
        super(params);
        val = new double[op.length];
        adj = new double[op.length];
    }

    @Override
    void resizeValues(int slots) {
        val = Arrays.copyOf(val, slots);
        adj = Arrays.copyOf(adj, slots);
    }

    /** The real value of a slot: what branches, max and comparisons are decided by. */
    public double re(int slot) { return val[slot]; }

    /** A new slot holding a constant. */
    @Override
    public int constant(double value) {
        int s = push(0, 0, 0, 0, 0.0);
        val[s] = value;
        return s;
    }

    /** Appends one input slot per value; returns the first. */
    public int inputs(double[] values) {
        int first = reserve(values.length);
        System.arraycopy(values, 0, val, first, values.length);
        return first;
    }

    /** Copies the flat parameter vector into slots {@code 1..P}. */
    public void loadParameters(double[] theta) {
        checkParameterLength(theta.length, parameterCount(), "parameters");
        System.arraycopy(theta, 0, val, 1, theta.length);
    }

    /** Sets every adjoint in {@code [from, to)} to 0. */
    public void clearAdjoints(int from, int to) { Arrays.fill(adj, from, to, 0.0); }

    /** Copies the parameters' adjoints (slots {@code 1..P}) into {@code out}. */
    public void parameterAdjoints(double[] out) { System.arraycopy(adj, 1, out, 0, parameterCount()); }

}
