package org.jetsketch.circuit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The flat parameter vector of a circuit: its {@code @Param} fields in declaration order, each
 * row-major. A scalar has shape {@code []}, a vector {@code [n]}, a matrix {@code [rows, cols]}.
 */
public final class ParamLayout {

    /** One {@code @Param} field. */
    public record Entry(String name, int[] shape, int offset, int size) {
        public Entry {
            shape = shape.clone();
        }

        @Override
        public int[] shape() { return shape.clone(); }

        @Override
        public String toString() { return name + Arrays.toString(shape) + "@" + offset; }
    }

    private final List<Entry> entries;
    private final int size;

    private ParamLayout(List<Entry> entries, int size) {
        this.entries = Collections.unmodifiableList(entries);
        this.size = size;
    }

    public static Builder builder() { return new Builder(); }

    public List<Entry> entries() { return entries; }

    /** P, the length of the flat parameter vector. */
    public int size() { return size; }

    public Entry entry(String name) {
        for (Entry e : entries) if (e.name().equals(name)) return e;
        throw new IllegalArgumentException("no parameter named '" + name + "'; parameters: " + entries);
    }

    /**
     * A stable 64-bit hash of names and shapes (FNV-1a over a canonical text), stored with
     * sketches to reject a store made for a different layout.
     */
    public long layoutHash() {
        long h = 0xcbf29ce484222325L;
        String text = describe();
        for (int i = 0; i < text.length(); i++) {
            h ^= text.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** E.g. {@code "w[3] bias[1]"}. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (Entry e : entries) {
            if (sb.length() > 0) sb.append(' ');
            sb.append(e.name()).append(Arrays.toString(e.shape).replace(" ", ""));
        }
        return sb.toString();
    }

    @Override
    public String toString() { return "ParamLayout(" + describe() + ", P=" + size + ")"; }

    public static final class Builder {
        private final List<Entry> entries = new ArrayList<>();
        private int offset;

        public Builder scalar(String name) { return add(name, new int[0], 1); }

        public Builder vector(String name, double[] values) {
            if (values == null) throw new IllegalArgumentException("@Param " + name + " is null");
            return add(name, new int[] {values.length}, values.length);
        }

        /** Rejects null or ragged rows: a matrix parameter must be rectangular. */
        public Builder matrix(String name, double[][] values) {
            if (values == null) throw new IllegalArgumentException("@Param " + name + " is null");
            int cols = values.length == 0 ? 0 : lengthOf(name, values, 0);
            for (int r = 1; r < values.length; r++) {
                if (lengthOf(name, values, r) != cols) {
                    throw new IllegalArgumentException("@Param " + name + " is not rectangular: row 0 has "
                            + cols + " entries, row " + r + " has " + values[r].length);
                }
            }
            return add(name, new int[] {values.length, cols}, values.length * cols);
        }

        private static int lengthOf(String name, double[][] values, int r) {
            if (values[r] == null) throw new IllegalArgumentException("@Param " + name + " row " + r + " is null");
            return values[r].length;
        }

        private Builder add(String name, int[] shape, int n) {
            for (Entry e : entries) {
                if (e.name().equals(name)) throw new IllegalArgumentException("duplicate parameter " + name);
            }
            entries.add(new Entry(name, shape, offset, n));
            offset = Math.addExact(offset, n);
            return this;
        }

        public ParamLayout build() { return new ParamLayout(new ArrayList<>(entries), offset); }
    }
}
