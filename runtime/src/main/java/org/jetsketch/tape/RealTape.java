package org.jetsketch.tape;

import java.util.Arrays;

/**
 * The operation tape that generated ordinary (real-number) code records onto, and whose
 * generated reverse sweep accumulates adjoints. Part of the generated code's contract.
 *
 * <h2>Slots</h2>
 * Every active scalar is an {@code int} slot. Slot 0 is the constant 0 (a freshly created active
 * array, {@code new int[n]}, therefore holds zeros); slots {@code 1..P} are the parameters,
 * flat index {@code i} in slot {@code i + 1}; every later slot is the output of exactly one
 * recorded operation, so a slot is written once. Per slot the tape keeps the value {@code val},
 * the adjoint {@code adj}, the opcode {@code op} (opcode 0 = no operation: a constant or an
 * input), up to three operand slots {@code a, b, c} and one real immediate {@code k}; opcodes and
 * their meaning belong to the generated code (its primitive table), not to the tape.
 *
 * <p>Arrays grow by doubling and are then reused: after the first steps a training step
 * allocates nothing. Not thread-safe: one tape per thread.
 */
public final class RealTape {
    /** Slot of the constant 0. */
    public static final int ZERO = 0;

    public double[] val;
    public double[] adj;
    public int[] op;
    public int[] a;
    public int[] b;
    public int[] c;
    public double[] k;

    private final int params;
    private int top;
    private int base;
    private boolean recording = true;

    /** A tape with {@code params} parameter slots (all 0 until {@link #loadParameters}). */
    public RealTape(int params) {
        if (params < 0) throw new IllegalArgumentException("params must be >= 0, got " + params);
        this.params = params;
        int capacity = Math.max(64, 2 * (params + 1));
        val = new double[capacity];
        adj = new double[capacity];
        op = new int[capacity];
        a = new int[capacity];
        b = new int[capacity];
        c = new int[capacity];
        k = new double[capacity];
        top = params + 1;
        base = top;
    }

    public int parameterCount() { return params; }

    /** The first free slot. */
    public int top() { return top; }

    /** The generated reverse sweep replays slots {@code [base, top)}, top first. */
    public int base() { return base; }

    /** Marks the current top as the first slot the next reverse sweep replays. */
    public int mark() { base = top; return top; }

    /** Drops every slot at or above {@code slot} (never the parameters). */
    public void reset(int slot) {
        if (slot < params + 1 || slot > top) {
            throw new IllegalArgumentException("reset slot " + slot + " outside [" + (params + 1) + ", " + top + "]");
        }
        top = slot;
        if (base > top) base = top;
    }

    /** Drops every slot above the parameters; recording is switched back on. */
    public void clear() {
        top = params + 1;
        base = top;
        recording = true;
    }

    /**
     * Whether {@link #push} records operations for a reverse sweep. Off for forward-only work
     * (the optimizer step): slots still get values, but no sweep may replay them.
     */
    public void recording(boolean on) { recording = on; }

    /**
     * Appends {@code count} input slots (opcode 0) at once and returns the first; their values
     * are the caller's to write (e.g. by {@link #inputs(double[])}).
     */
    public int reserve(int count) {
        int first = top;
        while (top + count > val.length) grow();
        for (int s = first; s < first + count; s++) op[s] = 0;
        top = first + count;
        return first;
    }


    /** Records one operation and returns its (fresh) output slot; the caller writes its value. */
    public int push(int opcode, int x, int y, int z, double immediate) {
        int s = top;
        if (s == val.length) grow();
        if (recording) {
            op[s] = opcode;
            a[s] = x;
            b[s] = y;
            c[s] = z;
            k[s] = immediate;
        }
        top = s + 1;
        return s;
    }

    /** The real value of a slot: what branches, max and comparisons are decided by. */
    public double re(int slot) { return val[slot]; }

    /** A new slot holding a constant. */
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

    /** Slots holding the constants of {@code values} (an array passed where an active one is expected). */
    public int[] constants(double[] values) {
        int[] slots = new int[values.length];
        for (int i = 0; i < values.length; i++) slots[i] = constant(values[i]);
        return slots;
    }

    public int[][] constants(double[][] values) {
        int[][] slots = new int[values.length][];
        for (int i = 0; i < values.length; i++) slots[i] = values[i] == null ? null : constants(values[i]);
        return slots;
    }

    /** Copies the flat parameter vector into slots {@code 1..P}. */
    public void loadParameters(double[] theta) {
        if (theta.length != params) {
            throw new IllegalArgumentException("parameter vector has length " + theta.length + ", tape expects " + params);
        }
        System.arraycopy(theta, 0, val, 1, params);
    }

    /** Sets every adjoint in {@code [from, to)} to 0. */
    public void clearAdjoints(int from, int to) { Arrays.fill(adj, from, to, 0.0); }

    /** Copies the parameters' adjoints (slots {@code 1..P}) into {@code out}. */
    public void parameterAdjoints(double[] out) { System.arraycopy(adj, 1, out, 0, params); }

    private void grow() {
        int n = val.length * 2;
        val = Arrays.copyOf(val, n);
        adj = Arrays.copyOf(adj, n);
        op = Arrays.copyOf(op, n);
        a = Arrays.copyOf(a, n);
        b = Arrays.copyOf(b, n);
        c = Arrays.copyOf(c, n);
        k = Arrays.copyOf(k, n);
    }
}
