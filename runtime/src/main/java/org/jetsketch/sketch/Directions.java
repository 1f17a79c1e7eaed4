package org.jetsketch.sketch;

/**
 * The random complex directions of the sketches (scheme §4): direction {@code j} of a run with
 * direction seed {@code s} is ψ ∈ C^n uniform on the complex unit sphere, g_i = N(0,1) + i·N(0,1)
 * independently, ψ = g / ‖g‖.
 *
 * <p>Every bit of ψ is a function of {@code (seed, index, n)} alone — not of thread count, call
 * order or JDK version — so a sketch stores only its index and anyone can regenerate its
 * direction:
 *
 * <ol>
 *   <li><b>Stream seed.</b> {@code mix64(seed, index) = stafford13(stafford13(seed ^ 0x6A09E667F3BCC909)
 *       + (index + 1)·0x9E3779B97F4A7C15)}, where {@code stafford13} is the 64-bit finaliser
 *       "Mix13" of D. Stafford (the one SplitMix64 uses). For a fixed seed the map from index to
 *       stream seed is injective (an odd multiplier, then bijections).
 *   <li><b>Uniform bits.</b> SplitMix64 (Steele, Lea, Flood 2014), written out here rather than
 *       taken from {@link java.util.SplittableRandom} so that it is pinned: {@code state +=
 *       0x9E3779B97F4A7C15; next = stafford13(state)}, starting from the stream seed. A uniform
 *       double in [−1, 1) is {@code (next >>> 11)·2^-52 − 1} (exact: a multiple of 2^-52).
 *   <li><b>Complex Gaussian.</b> Marsaglia's polar method: draw u, then v, uniform in [−1, 1) until
 *       0 &lt; q = u² + v² &lt; 1, then {@code f = sqrt(−2·ln q / q)} (with {@link StrictMath#log})
 *       and g_i = u·f + i·v·f. The pair (u·f, v·f) is two independent N(0,1), so g_i is a
 *       standard complex Gaussian. Coordinates are drawn in the order i = 0, 1, …, n−1.
 *   <li><b>Normalisation.</b> ‖g‖² = Σ_i (re_i² + im_i²) summed in index order, then every value
 *       is multiplied by {@code 1 / sqrt(‖g‖²)}.
 * </ol>
 *
 * Output layout: 2n doubles interleaved, re(ψ_i) at {@code 2i}, im(ψ_i) at {@code 2i+1}.
 * Cost: about 1.27 pairs of uniforms and one logarithm per coordinate.
 */
public final class Directions {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final long SEED_SALT = 0x6A09E667F3BCC909L;

    private Directions() {}

    /** The SplitMix64 / Stafford "Mix13" 64-bit finaliser; a bijection on longs. */
    static long stafford13(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The seed of the random stream of direction {@code index} of a run with {@code seed}. */
    public static long mix64(long seed, int index) {
        checkIndex(index);
        return stafford13(stafford13(seed ^ SEED_SALT) + (index + 1L) * GOLDEN);
    }

    /** Writes direction {@code index} (2n doubles, interleaved) into {@code out[0 .. 2n)}. */
    public static void direction(long seed, int index, int n, double[] outReIm) {
        direction(seed, index, n, outReIm, 0);
    }

    /** Writes direction {@code index} (2n doubles, interleaved) into {@code out[offset .. offset+2n)}. */
    public static void direction(long seed, int index, int n, double[] out, int offset) {
        checkIndex(index);
        if (n < 1) throw new IllegalArgumentException("number of examples n must be >= 1, got " + n);
        if (out == null) throw new IllegalArgumentException("output array is null");
        if (offset < 0 || (long) offset + 2L * n > out.length) {
            throw new IllegalArgumentException("output array of length " + out.length + " cannot hold 2n = "
                    + (2L * n) + " doubles at offset " + offset);
        }
        long state = mix64(seed, index);
        double norm2 = 0;
        for (int i = 0; i < n; i++) {
            double u, v, q;
            do {
                state += GOLDEN;
                u = uniformSigned(stafford13(state));
                state += GOLDEN;
                v = uniformSigned(stafford13(state));
                q = u * u + v * v;
            } while (q >= 1.0 || q == 0.0);
            double f = Math.sqrt(-2.0 * StrictMath.log(q) / q);
            double re = u * f, im = v * f;
            out[offset + 2 * i] = re;
            out[offset + 2 * i + 1] = im;
            norm2 += re * re + im * im;
        }
        double scale = 1.0 / Math.sqrt(norm2);
        for (int i = offset, end = offset + 2 * n; i < end; i++) out[i] *= scale;
    }

    /** Direction {@code index} as a new array of 2n doubles, interleaved. */
    public static double[] direction(long seed, int index, int n) {
        if (n < 1) throw new IllegalArgumentException("number of examples n must be >= 1, got " + n);
        if (n > (Integer.MAX_VALUE - 8) / 2) {
            throw new IllegalArgumentException("n = " + n + " is too large for one array of 2n doubles");
        }
        double[] out = new double[2 * n];
        direction(seed, index, n, out, 0);
        return out;
    }

    /** Uniform in [−1, 1), a multiple of 2^-52, from the top 53 bits of {@code bits}. */
    private static double uniformSigned(long bits) {
        return (bits >>> 11) * 0x1.0p-52 - 1.0;
    }

    private static void checkIndex(int index) {
        if (index < 0) throw new IllegalArgumentException("direction index must be >= 0, got " + index);
    }
}
