package org.jetsketch.tape;

import java.util.Arrays;

/**
 * What both tapes share: the slot bookkeeping and the operation records. Every active scalar of
 * generated code is an {@code int} slot. Slot 0 is the constant 0 (a freshly created active
 * array, {@code new int[n]}, therefore holds zeros); slots {@code 1..P} are the parameters, flat
 * index {@code i} in slot {@code i + 1}; every later slot is the output of exactly one recorded
 * operation, so a slot is written once. Per slot a tape records the opcode {@code op} (0 = no
 * operation: a constant or an input), up to three operand slots {@code a, b, c} and one real
 * immediate {@code k}; opcodes and their meaning belong to the generated code (its primitive
 * table), not to the tape. The values and adjoints are the subclass's: doubles on
 * {@link RealTape}, jets on {@link JetTape}.
 *
 * <p>Arrays grow by doubling and are then reused: after the first steps a training step
 * allocates nothing. Not thread-safe: one tape per thread.
 */
public abstract sealed class Tape permits RealTape, JetTape {
    /** Slot of the constant 0. */
    public static final int ZERO = 0;

    public int[] op;
    public int[] a;
    public int[] b;
    public int[] c;
    public double[] k;

    private final int params;
    private int top;
    private int base;
    private boolean recording = true;

    Tape(int params) {
        if (params < 0) throw new IllegalArgumentException("params must be >= 0, got " + params);
        this.params = params;
        int capacity = Math.max(64, 2 * (params + 1));
        op = new int[capacity];
        a = new int[capacity];
        b = new int[capacity];
        c = new int[capacity];
        k = new double[capacity];
        top = params + 1;
        base = top;
    }

    /** Resizes the value and adjoint storage to {@code slots} slots, keeping the contents. */
    abstract void resizeValues(int slots);

    public final int parameterCount() { return params; }

    /** The first free slot. */
    public final int top() { return top; }

    /** The generated reverse sweep replays slots {@code [base, top)}, top first. */
    public final int base() { return base; }

    /** Marks the current top as the first slot the next reverse sweep replays. */
    public final int mark() {
        base = top;
        return top;
    }

    /** Drops every slot at or above {@code slot} (never the parameters). */
    public final void reset(int slot) {
        if (slot < params + 1 || slot > top) {
            throw new IllegalArgumentException("reset slot " + slot + " outside [" + (params + 1) + ", " + top + "]");
        }
        top = slot;
        if (base > top) base = top;
    }

    /** Drops every slot above the parameters; recording is switched back on. */
    public final void clear() {
        top = params + 1;
        base = top;
        recording = true;
    }

    /**
     * Whether {@link #push} records operations for a reverse sweep. Off for forward-only work
     * (the optimizer step): slots still get values, but no sweep may replay them.
     */
    public final void recording(boolean on) { recording = on; }

    /** Records one operation and returns its (fresh) output slot; the caller writes its value. */
    public final int push(int opcode, int x, int y, int z, double immediate) {
        int s = top;
        if (s == op.length) grow();
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

    /**
     * Appends {@code count} input slots (opcode 0) at once and returns the first; their values
     * are the caller's to write.
     */
    public final int reserve(int count) {
        int first = top;
        while (first + count > op.length) grow();
        Arrays.fill(op, first, first + count, 0);
        top = first + count;
        return first;
    }

    private void grow() {
        int n = op.length * 2;
        op = Arrays.copyOf(op, n);
        a = Arrays.copyOf(a, n);
        b = Arrays.copyOf(b, n);
        c = Arrays.copyOf(c, n);
        k = Arrays.copyOf(k, n);
        resizeValues(n);
    }

    /** A new slot holding a constant. */
    public abstract int constant(double value);

    /** Slots holding the constants of {@code values} (an array passed where an active one is expected). */
    public final int[] constants(double[] values) {
        int[] slots = new int[values.length];
        for (int i = 0; i < values.length; i++) slots[i] = constant(values[i]);
        return slots;
    }

    public final int[][] constants(double[][] values) {
        int[][] slots = new int[values.length][];
        for (int i = 0; i < values.length; i++) slots[i] = values[i] == null ? null : constants(values[i]);
        return slots;
    }

    final void checkParameterLength(int length, int expected, String what) {
        if (length != expected) {
            throw new IllegalArgumentException(what + " have length " + length + ", tape expects " + expected);
        }
    }
}
