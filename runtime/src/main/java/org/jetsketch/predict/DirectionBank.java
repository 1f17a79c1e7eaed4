package org.jetsketch.predict;

import java.util.stream.IntStream;
import org.jetsketch.sketch.Directions;

/**
 * The directions ψ_j of a table's sketches, either cached in memory or regenerated from
 * {@link Directions} whenever they are needed. Both give bit-identical vectors, so estimates do
 * not depend on the choice.
 *
 * <ul>
 *   <li>{@link #cached}: 16·m·n bytes (m = 500, n = 32,000: 256 MB), generated once (in parallel;
 *       each vector depends only on (seed, index, n)). A deletion set then costs O(m·|D|).
 *   <li>{@link #onTheFly}: no memory beyond one vector per query, but every query regenerates all
 *       m vectors: O(m·n) per query regardless of |D| (leave-one-out costs the same O(m·n·k)
 *       either way).
 * </ul>
 *
 * One bank can serve several tables (several measurements of the same store). Immutable and
 * thread-safe.
 */
public final class DirectionBank {

    private final long seed;
    private final int examples;
    private final int[] indices;
    private final double[][] cache;

    private DirectionBank(long seed, int examples, int[] indices, boolean cached) {
        if (examples < 1) throw new IllegalArgumentException("examples (n) must be >= 1, got " + examples);
        if (examples > (Integer.MAX_VALUE - 8) / 2) {
            throw new IllegalArgumentException("examples (n) = " + examples + " is too large for one array of 2n doubles");
        }
        if (indices == null) throw new IllegalArgumentException("direction indices are null");
        for (int j = 0; j < indices.length; j++) {
            if (indices[j] < 0) {
                throw new IllegalArgumentException("direction index of sketch " + j + " must be >= 0, got " + indices[j]);
            }
        }
        this.seed = seed;
        this.examples = examples;
        this.indices = indices.clone();
        if (cached) {
            double[][] c = new double[this.indices.length][];
            IntStream.range(0, c.length).parallel()
                    .forEach(j -> c[j] = Directions.direction(seed, this.indices[j], examples));
            this.cache = c;
        } else {
            this.cache = null;
        }
    }

    /** Generates and keeps all directions (16·m·n bytes). */
    public static DirectionBank cached(long seed, int examples, int[] directionIndices) {
        return new DirectionBank(seed, examples, directionIndices, true);
    }

    /** Regenerates directions per query. */
    public static DirectionBank onTheFly(long seed, int examples, int[] directionIndices) {
        return new DirectionBank(seed, examples, directionIndices, false);
    }

    /** The cached directions of the table's sketches, in table order. */
    public static DirectionBank cached(CoefficientTable table) {
        return cached(table.directionSeed(), table.examples(), table.rawDirectionIndices());
    }

    /** The table's directions, regenerated per query. */
    public static DirectionBank onTheFly(CoefficientTable table) {
        return onTheFly(table.directionSeed(), table.examples(), table.rawDirectionIndices());
    }

    public long seed() { return seed; }

    /** n. */
    public int examples() { return examples; }

    /** m. */
    public int size() { return indices.length; }

    public int directionIndex(int j) {
        if (j < 0 || j >= indices.length) {
            throw new IllegalArgumentException("sketch position must be in [0, " + indices.length + "), got " + j);
        }
        return indices[j];
    }

    public boolean isCached() { return cache != null; }

    /** Bytes held by the cache (0 on the fly). */
    public long cacheBytes() { return cache == null ? 0 : 16L * examples * indices.length; }

    /** A copy of ψ_j (2n doubles interleaved). */
    public double[] direction(int j) {
        directionIndex(j);
        return cache != null ? cache[j].clone() : Directions.direction(seed, indices[j], examples);
    }

    /**
     * ψ_j without copying: the cached array, or {@code scratch} (2n doubles) filled. The caller
     * must not modify the result.
     */
    double[] view(int j, double[] scratch) {
        if (cache != null) return cache[j];
        Directions.direction(seed, indices[j], examples, scratch, 0);
        return scratch;
    }

    /** Whether this bank holds exactly the directions of {@code table}, in its order. */
    boolean matches(CoefficientTable table) {
        return table.examples() == examples && table.directionSeed() == seed
                && java.util.Arrays.equals(table.rawDirectionIndices(), indices);
    }

    @Override
    public String toString() {
        return "DirectionBank[n=" + examples + ", m=" + indices.length + ", seed=" + seed
                + (cache != null ? ", cached " + cacheBytes() + " bytes]" : ", on the fly]");
    }
}
