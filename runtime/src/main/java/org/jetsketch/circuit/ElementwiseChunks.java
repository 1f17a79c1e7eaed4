package org.jetsketch.circuit;

/**
 * Helpers for the chunked form of a checked elementwise loop in generated ordinary code. Part of
 * the generated code's contract (see {@link CompiledCircuit}).
 *
 * <p>The processor writes a loop {@code for (int i = a; i < b; i++)} whose body is straight-line
 * and touches each array only at {@code [i]} as a loop over chunks {@code [from, until)} of at most
 * {@link #SIZE} elements. A chunk runs first with the unchecked ("poisoned") forms of the checked
 * functions, whose result is not finite wherever the checked function would throw; its written
 * slices are saved before. If the slice the body writes last is then all finite, the chunk
 * computed exactly what the checked loop computes; otherwise the slices are restored (from the
 * workspace's {@link Workspace#chunkBuffer}s) and the chunk
 * runs again with the checked functions, which throw the same exception at the same element as
 * the loop always did (the argument is in {@code docs/design.md}, "Checked elementwise loops").
 * The fast run has no branch per element, so the JIT can vectorise it.
 */
public final class ElementwiseChunks {
    /**
     * Elements per chunk: the saved slices (8 bytes per element and written array) stay in the
     * first-level cache, and a rejected chunk costs at most this many elements twice.
     */
    public static final int SIZE = 256;

    private ElementwiseChunks() {}

    /** The end of the chunk that starts at {@code from} in a loop that ends at {@code to} ({@code from < to}). */
    public static int until(int from, int to) {
        return to - from > SIZE || to - from < 0 ? from + SIZE : to;
    }

    /**
     * Whether elements {@code [from, until)} of {@code a} exist: {@code a} is not null and the
     * range lies inside it. A chunk that fails this runs checked, and throws where the loop always did.
     */
    public static boolean covers(double[] a, int from, int until) {
        return a != null && from >= 0 && until <= a.length;
    }

    /** {@link #covers(double[], int, int)} for an int array the body reads. */
    public static boolean covers(int[] a, int from, int until) {
        return a != null && from >= 0 && until <= a.length;
    }

    /**
     * Whether every element of {@code a[from, until)} is finite. Written without a branch per
     * element, so that it vectorises.
     */
    public static boolean allFinite(double[] a, int from, int until) {
        boolean bad = false;
        for (int i = from; i < until; i++) bad |= !(Math.abs(a[i]) <= Double.MAX_VALUE);
        return !bad;
    }
}
