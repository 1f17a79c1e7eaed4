package org.jetsketch.sketch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The byte encoding of a sketch store's files (docs/sketch-format.md, version {@value #VERSION})
 * as pure functions: the same arguments always give the same bytes. {@link SketchStore} writes
 * its files with these functions, and so can anything else that must produce files identical to
 * the store's (e.g. sketches computed on a cluster).
 */
public final class SketchFormat {
    private SketchFormat() {}

    /** The format version written and read. */
    public static final int VERSION = 2;

    static final byte[] HEADER_MAGIC = {'J', 'S', 'K', 'H', 0x0D, 0x0A, 0x1A, 0x0A};
    static final byte[] SKETCH_MAGIC = {'J', 'S', 'K', 'S', 0x0D, 0x0A, 0x1A, 0x0A};

    /** Header file: magic, version, metadata length. */
    static final int HEADER_PREAMBLE_BYTES = 16;
    /** Metadata body with two empty strings: fingerprint, n, P, k, seed, data digest, initial digest, 2 lengths. */
    static final int MIN_METADATA_BYTES = 8 + 4 + 4 + 4 + 8 + 8 + 8 + 4 + 4;
    static final long MAX_METADATA_BYTES = MIN_METADATA_BYTES + 2L * StoreHeader.MAX_STRING_BYTES
            + StoreHeader.MAX_GROUPING_BYTES;
    /** Sketch file: magic, version, header length (the fields every version starts with). */
    static final int SKETCH_PREAMBLE_BYTES = 16;
    /** Sketch header up to the branch-switch fields: preamble, fingerprint, seed, 3 digests, n, P, k, index. */
    static final int SKETCH_FIXED_BYTES = SKETCH_PREAMBLE_BYTES + 8 + 8 + 8 + 8 + 8 + 4 + 4 + 4 + 4;
    /** Sketch header with an empty branch site: fixed part, bound, site length, CRC. */
    public static final int MIN_SKETCH_HEADER_BYTES = SKETCH_FIXED_BYTES + 8 + 4 + 4;
    static final int MAX_SKETCH_HEADER_BYTES = MIN_SKETCH_HEADER_BYTES + BranchSwitch.MAX_SITE_BYTES;

    private static final int CHUNK_DOUBLES = 1 << 14;

    // ------------------------------------------------------------------------------------------ header.jss

    /** Everything of {@code header.jss} before θ_0: preamble, metadata and its checksum. */
    static byte[] headerMetadata(StoreHeader h) {
        byte[] name = StoreHeader.utf8("circuitName", h.circuitName());
        byte[] schedule = StoreHeader.utf8("schedule", h.schedule());
        int metadataLength = Math.toIntExact(MIN_METADATA_BYTES + name.length + schedule.length
                + (h.groups() == null ? 0 : groupingBytes(h.groups())));
        ByteBuffer b = le(HEADER_PREAMBLE_BYTES + metadataLength + 4);
        b.put(HEADER_MAGIC).putInt(VERSION).putInt(metadataLength);
        b.putLong(h.fingerprint()).putInt(h.examples()).putInt(h.parameters()).putInt(h.degree())
                .putLong(h.directionSeed()).putLong(h.dataDigest()).putLong(h.initialDigest());
        b.putInt(name.length).put(name).putInt(schedule.length).put(schedule);
        if (h.groups() != null) putGrouping(b, h.groups());
        b.putInt(crc(b.array(), 12, 4 + metadataLength));
        return b.array();
    }

    /**
     * The grouping field of the metadata (grouped stores only; per-example stores end with the
     * schedule): G (i32), the 32-byte {@link Groups#digest()}, G names (i32 length + UTF-8 each),
     * then g(0..n−1) (i32 each).
     */
    static long groupingBytes(Groups g) {
        long bytes = 4 + 32 + 4L * g.examples();
        for (String name : g.names()) bytes += 4 + name.getBytes(StandardCharsets.UTF_8).length;
        return bytes;
    }

    private static void putGrouping(ByteBuffer b, Groups g) {
        b.putInt(g.count()).put(g.digest());
        for (String name : g.names()) {
            byte[] u = StoreHeader.utf8("group name", name);
            b.putInt(u.length).put(u);
        }
        for (int i = 0; i < g.examples(); i++) b.putInt(g.groupOf(i));
    }

    /** Writes the whole {@code header.jss} of a store with this header and θ_0. */
    public static void writeHeader(StoreHeader h, double[] theta0, OutputStream out) throws IOException {
        checkTheta0(h, theta0);
        out.write(headerMetadata(h));
        int crc = writeDoubles(out, theta0);
        out.write(le(4).putInt(crc).array());
    }

    /**
     * The run digest that ties every sketch file to its store: the first 8 bytes (little-endian)
     * of the SHA-256 of the exact {@code header.jss} bytes, so it covers every header field and
     * θ_0 bit for bit.
     */
    public static long runDigest(StoreHeader h, double[] theta0) {
        MessageDigest sha = sha256();
        try (DigestOutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), sha)) {
            writeHeader(h, theta0, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return first8(sha.digest());
    }

    // ------------------------------------------------------------------------------------------ sketch files

    /** The checksummed header of sketch {@code index}. */
    static byte[] sketchHeader(StoreHeader h, long runDigest, int index, BranchSwitch branch) {
        if (index < 0) throw new IllegalArgumentException("sketch index must be >= 0, got " + index);
        if (branch == null) throw new IllegalArgumentException("branch is null (use BranchSwitch.NONE)");
        byte[] site = StoreHeader.utf8("site", branch.site());
        int length = MIN_SKETCH_HEADER_BYTES + site.length;
        ByteBuffer b = le(length);
        b.put(SKETCH_MAGIC).putInt(VERSION).putInt(length);
        b.putLong(h.fingerprint()).putLong(h.directionSeed()).putLong(h.dataDigest()).putLong(h.initialDigest())
                .putLong(runDigest).putInt(h.examples()).putInt(h.parameters()).putInt(h.degree()).putInt(index);
        b.putDouble(branch.t()).putInt(site.length).put(site);
        b.putInt(crc(b.array(), 0, length - 4));
        return b.array();
    }

    /**
     * Writes the whole file of sketch {@code index}: its header, the 2kP coefficients (layout as
     * in {@link SketchStore#write}) and their checksum.
     *
     * @throws IllegalArgumentException if the index is negative, the length is not 2kP or a value is not finite
     */
    public static void writeSketch(StoreHeader h, long runDigest, int index, BranchSwitch branch,
            double[] coefficients, OutputStream out) throws IOException {
        checkCoefficients(h, index, coefficients);
        out.write(sketchHeader(h, runDigest, index, branch));
        int crc = writeDoubles(out, coefficients);
        out.write(le(4).putInt(crc).array());
    }

    /** The bytes of {@link #writeSketch} (for files below 2 GB). */
    public static byte[] sketchBytes(StoreHeader h, long runDigest, int index, BranchSwitch branch,
            double[] coefficients) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeSketch(h, runDigest, index, branch, coefficients, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The size of a sketch file: header, 16kP bytes of coefficients, checksum. */
    public static long sketchFileBytes(StoreHeader h, BranchSwitch branch) {
        return MIN_SKETCH_HEADER_BYTES + StoreHeader.utf8("site", branch.site()).length
                + 8L * h.coefficientLength() + 4;
    }

    // ------------------------------------------------------------------------------------------ digests

    /** First 8 bytes (little-endian) of the SHA-256 of the values' little-endian IEEE 754 bytes. */
    public static long digest(double[] values) {
        MessageDigest sha = sha256();
        ByteBuffer buf = le(8 * Math.min(CHUNK_DOUBLES, Math.max(1, values.length)));
        for (int off = 0; off < values.length; off += CHUNK_DOUBLES) {
            int len = Math.min(CHUNK_DOUBLES, values.length - off);
            buf.clear();
            buf.asDoubleBuffer().put(values, off, len);
            sha.update(buf.array(), 0, 8 * len);
        }
        return first8(sha.digest());
    }

    /** First 8 bytes (little-endian) of the SHA-256 of each string as a u32 byte length and its UTF-8. */
    public static long digest(List<String> strings) {
        MessageDigest sha = sha256();
        for (String s : strings) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            sha.update(le(4).putInt(b.length).array());
            sha.update(b);
        }
        return first8(sha.digest());
    }

    // ------------------------------------------------------------------------------------------ helpers

    static void checkTheta0(StoreHeader h, double[] theta0) {
        if (h == null) throw new IllegalArgumentException("header is null");
        if (theta0 == null) throw new IllegalArgumentException("theta0 is null");
        if (theta0.length != h.parameters()) {
            throw new IllegalArgumentException("theta0 has length " + theta0.length + ", expected P = " + h.parameters());
        }
        for (int p = 0; p < theta0.length; p++) {
            if (!Double.isFinite(theta0[p])) {
                throw new IllegalArgumentException("theta0[" + p + "] is not finite: " + theta0[p]);
            }
        }
    }

    static void checkCoefficients(StoreHeader h, int index, double[] coefficients) {
        if (index < 0) throw new IllegalArgumentException("sketch index must be >= 0, got " + index);
        checkLength(h, coefficients, "coefficients");
        for (int i = 0; i < coefficients.length; i++) {
            if (!Double.isFinite(coefficients[i])) {
                throw new IllegalArgumentException("coefficients[" + i + "] of sketch " + index
                        + " is not finite: " + coefficients[i]);
            }
        }
    }

    static void checkLength(StoreHeader h, double[] a, String what) {
        if (a == null) throw new IllegalArgumentException(what + " is null");
        if (a.length != h.coefficientLength()) {
            throw new IllegalArgumentException(what + " has length " + a.length + ", expected 2·k·P = 2·"
                    + h.degree() + "·" + h.parameters() + " = " + h.coefficientLength());
        }
    }

    /** Writes doubles little-endian in chunks; returns the CRC32C of the bytes written. */
    private static int writeDoubles(OutputStream out, double[] values) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buf = le(8 * Math.min(CHUNK_DOUBLES, Math.max(1, values.length)));
        for (int off = 0; off < values.length; off += CHUNK_DOUBLES) {
            int len = Math.min(CHUNK_DOUBLES, values.length - off);
            buf.clear();
            buf.asDoubleBuffer().put(values, off, len);
            crc.update(buf.array(), 0, 8 * len);
            out.write(buf.array(), 0, 8 * len);
        }
        return (int) crc.getValue();
    }

    static ByteBuffer le(int capacity) {
        return ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
    }

    static int crc(byte[] bytes, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(bytes, off, len);
        return (int) c.getValue();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static long first8(byte[] digest) {
        return ByteBuffer.wrap(digest, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }
}
