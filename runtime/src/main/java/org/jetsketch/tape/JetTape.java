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
public final class JetTape extends Tape {
    public static final int TMP_JETS = 4;

    public final Jets jets;
    public final int stride;
    public double[] val;
    public double[] adj;
    public final double[] tmp;
    /** Where the branch decisions of the code running on this tape could switch (generated jet code reports to it). */
    public final BranchMonitor branches;

    public JetTape(Jets jets, int params) {
        super(params);
        this.jets = jets;
        this.stride = jets.stride();
        val = new double[op.length * stride];
        adj = new double[op.length * stride];
        tmp = new double[TMP_JETS * stride];
        branches = new BranchMonitor(jets);
    }

    @Override
    void resizeValues(int slots) {
        val = Arrays.copyOf(val, slots * stride);
        adj = Arrays.copyOf(adj, slots * stride);
    }

    public int degree() { return jets.degree(); }

    public int directions() { return jets.directions(); }

    /** The real part (a_0) of a slot. */
    public double re(int slot) { return val[slot * stride]; }

    @Override
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

    /** Copies P parameter jets (P * stride doubles, jet i at i * stride) into slots {@code 1..P}. */
    public void loadParameters(double[] thetaJets) {
        checkParameterLength(thetaJets.length, parameterCount() * stride, "parameter jets (P x stride)");
        System.arraycopy(thetaJets, 0, val, stride, thetaJets.length);
    }

    public void clearAdjoints(int from, int to) { Arrays.fill(adj, from * stride, to * stride, 0.0); }

    /** Copies the parameters' adjoint jets into {@code out} (P * stride doubles). */
    public void parameterAdjoints(double[] out) { System.arraycopy(adj, stride, out, 0, parameterCount() * stride); }

}
