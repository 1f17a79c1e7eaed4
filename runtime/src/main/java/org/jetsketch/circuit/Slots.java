package org.jetsketch.circuit;

/**
 * Helpers generated circuits use to build their parameters' slot handles and flat initial
 * values once, at construction (never on a hot path).
 */
public final class Slots {
    private Slots() {}

    /** The slot of flat parameter {@code offset}. */
    public static int scalar(int offset) { return offset + 1; }

    /** Slots {@code offset+1 .. offset+n}. */
    public static int[] vector(int offset, int n) {
        int[] s = new int[n];
        for (int i = 0; i < n; i++) s[i] = offset + 1 + i;
        return s;
    }

    /** Row-major slots of a {@code rows x cols} matrix starting at flat {@code offset}. */
    public static int[][] matrix(int offset, int rows, int cols) {
        int[][] s = new int[rows][];
        for (int r = 0; r < rows; r++) s[r] = vector(offset + r * cols, cols);
        return s;
    }

    public static void flatten(double value, double[] out, int offset) { out[offset] = value; }

    public static void flatten(double[] values, double[] out, int offset) {
        System.arraycopy(values, 0, out, offset, values.length);
    }

    public static void flatten(double[][] values, double[] out, int offset) {
        for (double[] row : values) {
            System.arraycopy(row, 0, out, offset, row.length);
            offset += row.length;
        }
    }
}
