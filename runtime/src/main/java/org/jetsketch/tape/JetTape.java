package org.jetsketch.tape;

import java.util.Arrays;
import org.jetsketch.jet.Jets;

/**
 * The jet counterpart of {@link RealTape}: the same slots, opcodes and operand records, but each
 * slot's value and adjoint is a jet of {@link Jets#stride()} doubles, slot {@code s} at offset
 * {@code s * stride} of {@link #val} and {@link #adj} (layout of one jet: see {@link Jets}).
 * Generated forward code calls {@link #jets} kernels on these offsets; the generated reverse
 * sweep accumulates adjoint jets ("Taylor over reverse").
 *
 * <p>{@link #tmp} is scratch for adjoint rules: {@link #TMP_JETS} jets at offsets
 * {@code 0, stride, ...}. Not thread-safe: one tape (and one {@link Jets}) per thread.
 */
public final class JetTape {
    public static final int ZERO = 0;
    public static final int TMP_JETS = 4;

    public final Jets jets;
    public final int stride;
    public double[] val;
    public double[] adj;
    public final double[] tmp;
    public int[] op;
    public int[] a;
    public int[] b;
    public int[] c;
    public double[] k;

    private final int params;
    private int top;
    private int base;
    private boolean recording = true;

    public JetTape(Jets jets, int params) {
        if (params < 0) throw new IllegalArgumentException("params must be >= 0, got " + params);
        this.jets = jets;
        this.stride = jets.stride();
        this.params = params;
        int capacity = Math.max(64, 2 * (params + 1));
        val = new double[capacity * stride];
        adj = new double[capacity * stride];
        tmp = new double[TMP_JETS * stride];
        op = new int[capacity];
        a = new int[capacity];
        b = new int[capacity];
        c = new int[capacity];
        k = new double[capacity];
        top = params + 1;
        base = top;
    }

    public int parameterCount() { return params; }

    public int degree() { return jets.degree(); }

    public int directions() { return jets.directions(); }

    public int top() { return top; }

    public int base() { return base; }

    public int mark() { base = top; return top; }

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
        while (top + count > op.length) grow();
        for (int s = first; s < first + count; s++) op[s] = 0;
        top = first + count;
        return first;
    }


    /** Records one operation and returns its output slot; the caller writes its jet. */
    public int push(int opcode, int x, int y, int z, double immediate) {
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

    /** The real part (a_0) of a slot. */
    public double re(int slot) { return val[slot * stride]; }

    public int constant(double value) {
        int s = push(0, 0, 0, 0, 0.0);
        jets.constant(value, val, s * stride);
        return s;
    }

    /** A new input slot holding the jet at {@code src[offset .. offset + stride)}. */
    public int input(double[] src, int offset) {
        int s = push(0, 0, 0, 0, 0.0);
        System.arraycopy(src, offset, val, s * stride, stride);
        return s;
    }

    /** Appends one input slot per jet of {@code jets} (count x stride doubles); returns the first. */
    public int inputs(double[] jets) {
        if (jets.length % stride != 0) {
            throw new IllegalArgumentException("jet array length " + jets.length + " is not a multiple of the stride " + stride);
        }
        int first = reserve(jets.length / stride);
        System.arraycopy(jets, 0, val, first * stride, jets.length);
        return first;
    }

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

    /** Copies P parameter jets (P * stride doubles, jet i at i * stride) into slots {@code 1..P}. */
    public void loadParameters(double[] thetaJets) {
        if (thetaJets.length != params * stride) {
            throw new IllegalArgumentException("parameter jets have length " + thetaJets.length
                    + ", tape expects " + params + " x " + stride);
        }
        System.arraycopy(thetaJets, 0, val, stride, params * stride);
    }

    public void clearAdjoints(int from, int to) { Arrays.fill(adj, from * stride, to * stride, 0.0); }

    /** Copies the parameters' adjoint jets into {@code out} (P * stride doubles). */
    public void parameterAdjoints(double[] out) { System.arraycopy(adj, stride, out, 0, params * stride); }

    private void grow() {
        int n = op.length * 2;
        val = Arrays.copyOf(val, n * stride);
        adj = Arrays.copyOf(adj, n * stride);
        op = Arrays.copyOf(op, n);
        a = Arrays.copyOf(a, n);
        b = Arrays.copyOf(b, n);
        c = Arrays.copyOf(c, n);
        k = Arrays.copyOf(k, n);
    }
}
