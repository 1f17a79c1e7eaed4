package org.jetsketch.circuit;

import java.util.Arrays;

/**
 * The storage generated adjoint code runs in: the stacks its forward sweep pushes onto and its
 * reverse sweep pops from, and a pool of arrays for the circuit's own {@code new double[n]}.
 * Part of the generated code's contract (see {@link CompiledCircuit}).
 *
 * <p><b>Stacks.</b> The forward sweep of a method pushes what its reverse sweep cannot recompute
 * or reread: a value an adjoint rule reads that is overwritten before the reverse sweep reaches
 * it, the branch an {@code if} took, the trip count of a loop whose bounds are not passive, the
 * variables of a method's frame that its reverse sweep reads. The reverse sweep pops them in the
 * opposite order. Nothing is recorded per operation: no opcode, no operand. Values go on a
 * {@code double} stack, branches and counts on an {@code int} stack, array references on a
 * reference stack. {@link #recordedBytes()} is the high-water mark of the three, the memory one
 * example's forward sweep records for its reverse sweep.
 *
 * <p><b>Pool.</b> Arrays the circuit allocates come from a pool keyed by length: handed out
 * zeroed, and reused by the next example after {@link #begin()}. After the first examples of
 * every shape a training step allocates nothing.
 *
 * <p>Not thread-safe: one workspace per thread.
 */
public abstract class Workspace {
    private double[] values = new double[256];
    private int valueTop;
    private int[] ints = new int[256];
    private int intTop;
    private Object[] refs = new Object[64];
    private int refTop;
    private long highWater;

    private final DoublePool doubles = new DoublePool();
    private final RowsPool rows = new RowsPool();
    /** The buffers that save a chunked elementwise loop's written slices, by slot (see {@link #chunkBuffer}). */
    private double[][] chunkBuffers = new double[0][];

    /** Starts a new evaluation: empty stacks, every pooled array free again. */
    public final void begin() {
        noteHighWater();
        Arrays.fill(refs, 0, refTop, null);
        valueTop = 0;
        intTop = 0;
        refTop = 0;
        doubles.release();
        rows.release();
    }

    /**
     * Called by generated code between a loss's forward and reverse sweeps, where the stacks are
     * at their fullest: notes their size for {@link #recordedBytes()} (nothing is noted per push).
     */
    public final void endForwardSweep() {
        noteHighWater();
    }

    /**
     * Bytes on the stacks at their fullest since {@link #resetRecordedBytes()}, as noted at the end
     * of each forward sweep: what one example's forward sweep records for its reverse sweep.
     */
    public final long recordedBytes() {
        noteHighWater();
        return highWater;
    }

    public final void resetRecordedBytes() { highWater = 0; }

    private void noteHighWater() {
        long bytes = 8L * valueTop + 4L * intTop + 8L * refTop;
        if (bytes > highWater) highWater = bytes;
    }

    // ---------------------------------------------------------------- double stack

    /** Pushes {@code v} and returns it. */
    public final double push(double v) {
        if (valueTop == values.length) growValues(1);
        values[valueTop++] = v;
        return v;
    }

    public final double pop() { return values[--valueTop]; }

    /** Pushes {@code n} doubles of {@code a} from {@code offset} (a jet). */
    public final void push(double[] a, int offset, int n) {
        if (valueTop + n > values.length) growValues(n);
        System.arraycopy(a, offset, values, valueTop, n);
        valueTop += n;
    }

    /** Pops {@code n} doubles into {@code a} at {@code offset}. */
    public final void pop(double[] a, int offset, int n) {
        valueTop -= n;
        System.arraycopy(values, valueTop, a, offset, n);
    }

    private void growValues(int n) {
        noteHighWater();
        values = Arrays.copyOf(values, Math.max(2 * values.length, valueTop + n));
    }

    // ---------------------------------------------------------------- int stack

    public final void pushInt(int v) {
        if (intTop == ints.length) {
            noteHighWater();
            ints = Arrays.copyOf(ints, 2 * ints.length);
        }
        ints[intTop++] = v;
    }

    public final int popInt() { return ints[--intTop]; }

    /** Pushes a branch decision and returns it. */
    public final boolean pushBranch(boolean taken) {
        pushInt(taken ? 1 : 0);
        return taken;
    }

    public final boolean popBranch() { return ints[--intTop] != 0; }

    // ---------------------------------------------------------------- reference stack

    public final void pushRef(Object o) {
        if (refTop == refs.length) {
            noteHighWater();
            refs = Arrays.copyOf(refs, 2 * refs.length);
        }
        refs[refTop++] = o;
    }

    /** Pops a reference; the caller casts it to the type it pushed. */
    public final Object popRef() {
        Object o = refs[--refTop];
        refs[refTop] = null;
        return o;
    }

    // ---------------------------------------------------------------- pool

    /**
     * Buffer {@code slot} (0, 1, ...) of {@link ElementwiseChunks#SIZE} doubles, made on first use
     * and kept for the workspace's life, not cleared: a chunked elementwise loop saves the slices
     * it writes there (one slot per written array). Such a loop calls nothing and contains no
     * loop, so no two loops use the buffers at once, and every loop of every evaluation shares
     * them: a step allocates nothing for them after the first.
     */
    public final double[] chunkBuffer(int slot) {
        if (slot < 0) throw new IllegalArgumentException("chunk buffer slot " + slot + " is negative");
        if (slot >= chunkBuffers.length) chunkBuffers = Arrays.copyOf(chunkBuffers, slot + 1);
        double[] b = chunkBuffers[slot];
        if (b == null) {
            b = new double[ElementwiseChunks.SIZE];
            chunkBuffers[slot] = b;
        }
        return b;
    }

    /** A zeroed {@code double[n]} from the pool. */
    public final double[] doubles(int n) {
        if (n < 0) throw new NegativeArraySizeException(Integer.toString(n));
        return doubles.take(n);
    }

    /** A zeroed {@code double[n][m]} from the pool. */
    public final double[][] doubles(int n, int m) {
        double[][] a = rows(n);
        for (int i = 0; i < n; i++) a[i] = doubles(m);
        return a;
    }

    /** A {@code double[n][]} of null rows from the pool. */
    public final double[][] rows(int n) {
        if (n < 0) throw new NegativeArraySizeException(Integer.toString(n));
        return rows.take(n);
    }

    /** Zeroed arrays shaped like {@code a} (an adjoint for a passive array used as an active one). */
    public final double[] zerosLike(double[] a) { return a == null ? null : doubles(a.length); }

    public final double[][] zerosLike(double[][] a) {
        if (a == null) return null;
        double[][] z = rows(a.length);
        for (int i = 0; i < a.length; i++) z[i] = zerosLike(a[i]);
        return z;
    }

    /** Arrays of one length, handed out in order and all released at once. */
    private static final class Bucket<T> {
        Object[] items = new Object[4];
        int size;
        int used;
    }

    /** A map from length to bucket: open addressing on int keys (no boxing on the hot path). */
    private abstract static class Pool<T> {
        private int[] keys = new int[64];
        @SuppressWarnings("unchecked")
        private Bucket<T>[] buckets = new Bucket[64];
        private int count;
        private final int[] touched = new int[64];
        private int touchedCount;
        private boolean overflow;

        abstract T create(int n);

        abstract void clear(T item);

        @SuppressWarnings("unchecked")
        final T take(int n) {
            Bucket<T> b = bucket(n);
            if (b.used == b.size) {
                if (b.size == b.items.length) b.items = Arrays.copyOf(b.items, 2 * b.size);
                b.items[b.size++] = create(n);
                b.used++;
                return (T) b.items[b.size - 1];
            }
            T item = (T) b.items[b.used++];
            clear(item);
            return item;
        }

        private Bucket<T> bucket(int n) {
            int mask = keys.length - 1;
            int i = (n * 0x9E3779B1) >>> 7 & mask;
            while (buckets[i] != null) {
                if (keys[i] == n) {
                    Bucket<T> b = buckets[i];
                    if (b.used == 0) touch(i);
                    return b;
                }
                i = (i + 1) & mask;
            }
            if (2 * (count + 1) > keys.length) {
                rehash();
                return bucket(n);
            }
            keys[i] = n;
            buckets[i] = new Bucket<>();
            count++;
            touch(i);
            return buckets[i];
        }

        private void touch(int i) {
            if (touchedCount < touched.length) touched[touchedCount++] = i;
            else overflow = true;
        }

        @SuppressWarnings("unchecked")
        private void rehash() {
            int[] oldKeys = keys;
            Bucket<T>[] old = buckets;
            keys = new int[2 * oldKeys.length];
            buckets = new Bucket[2 * oldKeys.length];
            int mask = keys.length - 1;
            for (int j = 0; j < old.length; j++) {
                if (old[j] == null) continue;
                int i = (oldKeys[j] * 0x9E3779B1) >>> 7 & mask;
                while (buckets[i] != null) i = (i + 1) & mask;
                keys[i] = oldKeys[j];
                buckets[i] = old[j];
            }
            // positions moved: release everything on the next begin()
            overflow = true;
        }

        final void release() {
            if (overflow) {
                for (Bucket<T> b : buckets) if (b != null) b.used = 0;
                overflow = false;
            } else {
                for (int t = 0; t < touchedCount; t++) buckets[touched[t]].used = 0;
            }
            touchedCount = 0;
        }
    }

    private static final class DoublePool extends Pool<double[]> {
        @Override
        double[] create(int n) { return new double[n]; }

        @Override
        void clear(double[] a) { Arrays.fill(a, 0.0); }
    }

    private static final class RowsPool extends Pool<double[][]> {
        @Override
        double[][] create(int n) { return new double[n][]; }

        @Override
        void clear(double[][] a) { Arrays.fill(a, null); }
    }
}
