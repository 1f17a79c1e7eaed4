package org.jetsketch.sketch;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The metadata of a sketch store (section "metadata" of {@code header.jss}).
 *
 * @param circuitName   the circuit's name (any string that encodes as UTF-8, at most
 *                      {@link #MAX_STRING_BYTES} bytes)
 * @param fingerprint   layout hash XOR code fingerprint, computed by the caller
 * @param examples      n, the number of training examples (&gt;= 1); directions have n coordinates
 * @param parameters    P, the length of the flat parameter vector (&gt;= 1)
 * @param degree        k, the jet degree (&gt;= 1); a sketch holds θ_1..θ_k
 * @param directionSeed the seed of {@link Directions}: sketch j's direction is
 *                      {@code Directions.direction(directionSeed, j, examples)}
 * @param dataDigest    a 64-bit digest of the training data, computed by the caller (the command line
 *                      uses {@link SketchFormat#digest(java.util.List)} of the vocabulary and the names);
 *                      0 means none was recorded
 * @param initialDigest {@link SketchFormat#digest(double[])} of the initial parameters
 * @param schedule      a descriptor of the training schedule (UTF-8, at most {@link #MAX_STRING_BYTES})
 * @param groups        the grouping of grouped sketches (scheme §9): sketch j's direction is then
 *                      {@code Directions.direction(directionSeed, j, G)} in group space; null for
 *                      per-example sketches (never {@link Groups#singletons}: that is null)
 */
public record StoreHeader(String circuitName, long fingerprint, int examples, int parameters, int degree,
                          long directionSeed, long dataDigest, long initialDigest, String schedule, Groups groups) {

    /** The header of per-example sketches. */
    public StoreHeader(String circuitName, long fingerprint, int examples, int parameters, int degree,
                       long directionSeed, long dataDigest, long initialDigest, String schedule) {
        this(circuitName, fingerprint, examples, parameters, degree, directionSeed, dataDigest, initialDigest, schedule,
                null);
    }

    /** The most bytes a grouping may take in the metadata (mapping, names and their lengths). */
    public static final long MAX_GROUPING_BYTES = 1 << 28;

    /** The longest circuit name or schedule descriptor, in UTF-8 bytes. */
    public static final int MAX_STRING_BYTES = 1 << 20;

    /** The largest k·P: a sketch's 2kP doubles must fit one Java array. */
    public static final long MAX_COEFFICIENTS = (Integer.MAX_VALUE - 8) / 2;

    public StoreHeader {
        utf8("circuitName", circuitName);
        utf8("schedule", schedule);
        if (examples < 1) throw new IllegalArgumentException("examples (n) must be >= 1, got " + examples);
        if (parameters < 1) throw new IllegalArgumentException("parameters (P) must be >= 1, got " + parameters);
        if (degree < 1) throw new IllegalArgumentException("degree (k) must be >= 1, got " + degree);
        if ((long) degree * parameters > MAX_COEFFICIENTS) {
            throw new IllegalArgumentException("degree·parameters = " + degree + "·" + parameters
                    + " exceeds " + MAX_COEFFICIENTS + " (2kP doubles must fit one array)");
        }
        if (groups != null) {
            if (groups.examples() != examples) {
                throw new IllegalArgumentException("the grouping is of " + groups.examples() + " examples, the header has n = "
                        + examples);
            }
            if (groups.isSingletons()) {
                throw new IllegalArgumentException("one example per group is per-example sketching: pass groups = null");
            }
            if (SketchFormat.groupingBytes(groups) > MAX_GROUPING_BYTES) {
                throw new IllegalArgumentException("the grouping needs " + SketchFormat.groupingBytes(groups)
                        + " bytes of metadata, more than " + MAX_GROUPING_BYTES);
            }
        }
    }

    /** The number of components of each direction: G for grouped sketches, n otherwise. */
    public int directionDimension() { return groups == null ? examples : groups.count(); }

    /** The number of doubles of one sketch's coefficients, 2·k·P. */
    public int coefficientLength() { return 2 * degree * parameters; }

    /** Strict UTF-8 encoding (unpaired surrogates are an error, not '?'). */
    static byte[] utf8(String field, String value) {
        if (value == null) throw new IllegalArgumentException(field + " is null");
        ByteBuffer b;
        try {
            b = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(value));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(field + " is not encodable as UTF-8 (unpaired surrogate?): "
                    + e.getMessage(), e);
        }
        byte[] out = new byte[b.remaining()];
        b.get(out);
        if (out.length > MAX_STRING_BYTES) {
            throw new IllegalArgumentException(field + " is " + out.length + " UTF-8 bytes, more than "
                    + MAX_STRING_BYTES);
        }
        return out;
    }
}
