package org.jetsketch.circuit;

/**
 * Copies between the flat parameter vector (or P x stride parameter jets) and arrays shaped like
 * the {@code @Param} fields, which generated code and its workspaces use. A matrix is row-major
 * in the flat vector, so with jets every row is one contiguous run of {@code cols x stride}
 * doubles: the same copies serve both, with offsets and lengths in doubles.
 */
public final class FlatArrays {
    private FlatArrays() {}

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

    /** Fills {@code into} from {@code flat[offset ..]}. */
    public static void unflatten(double[] flat, int offset, double[] into) {
        System.arraycopy(flat, offset, into, 0, into.length);
    }

    public static void unflatten(double[] flat, int offset, double[][] into) {
        for (double[] row : into) {
            System.arraycopy(flat, offset, row, 0, row.length);
            offset += row.length;
        }
    }

    /** Adds {@code values} into {@code flat[offset ..]} and zeroes them. */
    public static void drain(double[] values, double[] flat, int offset) {
        for (int i = 0; i < values.length; i++) {
            flat[offset + i] += values[i];
            values[i] = 0.0;
        }
    }

    public static void drain(double[][] values, double[] flat, int offset) {
        for (double[] row : values) {
            drain(row, flat, offset);
            offset += row.length;
        }
    }

    public static void clear(double[] values) { java.util.Arrays.fill(values, 0.0); }

    public static void clear(double[][] values) {
        for (double[] row : values) java.util.Arrays.fill(row, 0.0);
    }

    /** A {@code rows x cols} array. */
    public static double[][] matrix(int rows, int cols) { return new double[rows][cols]; }
}
