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
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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

    // ------------------------------------------------------------------------------------------
    // Decoding: the reader of what the writers above produce

    /** What {@code header.jss} holds. */
    record DecodedHeader(StoreHeader header, double[] theta0) {}

    /**
     * Reads and checks {@code header.jss}: every section's bounds and checksum, then the values
     * through {@link StoreHeader}'s own checks.
     *
     * @throws SketchStoreException naming the file and the section that is wrong
     */
    static DecodedHeader readHeader(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < HEADER_PREAMBLE_BYTES) {
                throw new SketchStoreException(file, SketchStore.SECTION_PREAMBLE, "truncated: the file has " + size
                        + " bytes, the preamble needs " + HEADER_PREAMBLE_BYTES);
            }
            ByteBuffer pre = le(HEADER_PREAMBLE_BYTES);
            readFully(ch, pre, 0, file, SketchStore.SECTION_PREAMBLE);
            checkMagic(pre.array(), HEADER_MAGIC, file, SketchStore.SECTION_PREAMBLE);
            checkVersion(pre.getInt(8), file, SketchStore.SECTION_PREAMBLE);
            long metadataLength = pre.getInt(12) & 0xFFFFFFFFL;
            if (metadataLength < MIN_METADATA_BYTES || metadataLength > MAX_METADATA_BYTES) {
                throw new SketchStoreException(file, SketchStore.SECTION_METADATA, "declared length " + metadataLength
                        + " is outside [" + MIN_METADATA_BYTES + ", " + MAX_METADATA_BYTES + "]: corrupt");
            }
            if (size < HEADER_PREAMBLE_BYTES + metadataLength + 4) {
                throw new SketchStoreException(file, SketchStore.SECTION_METADATA, "truncated: the file has " + size
                        + " bytes, the metadata section ends at " + (HEADER_PREAMBLE_BYTES + metadataLength + 4));
            }
            int ml = (int) metadataLength;
            ByteBuffer meta = le(ml + 4);
            readFully(ch, meta, HEADER_PREAMBLE_BYTES, file, SketchStore.SECTION_METADATA);
            CRC32C crc = new CRC32C();
            crc.update(pre.array(), 12, 4);
            crc.update(meta.array(), 0, ml);
            int stored = meta.getInt(ml);
            if ((int) crc.getValue() != stored) {
                throw checksum(file, SketchStore.SECTION_METADATA, stored, (int) crc.getValue());
            }
            meta.position(0).limit(ml);
            StoreHeader h;
            try {
                long fingerprint = meta.getLong();
                int examples = meta.getInt();
                int parameters = meta.getInt();
                int degree = meta.getInt();
                long seed = meta.getLong();
                long dataDigest = meta.getLong();
                long initialDigest = meta.getLong();
                String name = readString(meta, file, "circuitName");
                String schedule = readString(meta, file, "schedule");
                Groups groups = meta.hasRemaining() ? readGrouping(meta, examples, file) : null;
                if (meta.hasRemaining()) {
                    throw new SketchStoreException(file, SketchStore.SECTION_METADATA, meta.remaining()
                            + " unexplained bytes after the " + (groups == null ? "schedule string" : "grouping")
                            + ": corrupt");
                }
                h = new StoreHeader(name, fingerprint, examples, parameters, degree, seed, dataDigest, initialDigest,
                        schedule, groups);
            } catch (IllegalArgumentException e) {
                throw new SketchStoreException(file, SketchStore.SECTION_METADATA, "invalid value: " + e.getMessage(), e);
            }
            long thetaStart = HEADER_PREAMBLE_BYTES + metadataLength + 4;
            long expected = thetaStart + 8L * h.parameters() + 4;
            if (size < expected) {
                throw new SketchStoreException(file, SketchStore.SECTION_THETA0, "truncated: the file has " + size
                        + " bytes, expected " + expected + " for P = " + h.parameters());
            }
            if (size > expected) {
                throw new SketchStoreException(file, SketchStore.SECTION_THETA0, (size - expected)
                        + " trailing byte(s) after the theta0 checksum (expected " + expected + " bytes in all)");
            }
            double[] theta0 = new double[h.parameters()];
            readDoubles(ch, thetaStart, theta0, theta0.length, file, SketchStore.SECTION_THETA0);
            return new DecodedHeader(h, theta0);
        }
    }

    /** The grouping field (layout: {@code groupingBytes}); its digest must match. */
    private static Groups readGrouping(ByteBuffer b, int examples, Path file) throws SketchStoreException {
        if (b.remaining() < 4 + 32) {
            throw new SketchStoreException(file, SketchStore.SECTION_METADATA, b.remaining() + " bytes after the schedule string,"
                    + " too few for a grouping: corrupt");
        }
        int count = b.getInt();
        if (count < 1 || count > examples) {
            throw new SketchStoreException(file, SketchStore.SECTION_METADATA, "the grouping has G = " + count
                    + " groups, outside [1, n = " + examples + "]: corrupt");
        }
        byte[] digest = new byte[32];
        b.get(digest);
        List<String> names = new ArrayList<>(Math.min(count, 1 << 16));
        for (int q = 0; q < count; q++) names.add(readString(b, file, "the name of group " + q));
        if (b.remaining() < 4L * examples) {
            throw new SketchStoreException(file, SketchStore.SECTION_METADATA, "the grouping's mapping needs " + 4L * examples
                    + " bytes, " + b.remaining() + " are left: corrupt");
        }
        int[] groupOf = new int[examples];
        for (int i = 0; i < examples; i++) groupOf[i] = b.getInt();
        Groups groups;
        try {
            groups = Groups.of(groupOf, names);
        } catch (IllegalArgumentException e) {
            throw new SketchStoreException(file, SketchStore.SECTION_METADATA, "invalid grouping: " + e.getMessage(), e);
        }
        if (!Arrays.equals(digest, groups.digest())) {
            throw new SketchStoreException(file, SketchStore.SECTION_METADATA, "the grouping's digest does not match its mapping"
                    + " and names: corrupt");
        }
        return groups;
    }

    private static String readString(ByteBuffer b, Path file, String field) throws SketchStoreException {
        if (b.remaining() < 4) {
            throw new SketchStoreException(file, SketchStore.SECTION_METADATA, "no room for the length of " + field + ": corrupt");
        }
        int len = b.getInt();
        if (len < 0 || len > b.remaining()) {
            throw new SketchStoreException(file, SketchStore.SECTION_METADATA, "length " + len + " of " + field
                    + " exceeds the " + b.remaining() + " bytes left in the section: corrupt");
        }
        ByteBuffer slice = b.slice();
        slice.limit(len);
        b.position(b.position() + len);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(slice).toString();
        } catch (CharacterCodingException e) {
            throw new SketchStoreException(file, SketchStore.SECTION_METADATA, field + " is not valid UTF-8", e);
        }
    }

    /**
     * Reads and checks sketch file {@code index} against the store's {@code header} and
     * {@code runDigest}: {@code out == null && readCoefficients} verifies the coefficient checksum
     * only; {@code !readCoefficients} the fixed header and the length only. Returns its
     * branch-switch field.
     *
     * @throws SketchStoreException naming the file and the section that is wrong
     */
    static BranchSwitch readSketch(Path file, int index, StoreHeader header, long runDigest, double[] out,
            boolean readCoefficients) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new SketchStoreException(file, SketchStore.SECTION_DIRECTORY, "no sketch with index " + index + " in this store", e);
        }
        try (ch) {
            long size = ch.size();
            int pre = SKETCH_PREAMBLE_BYTES;
            if (size < pre) {
                throw new SketchStoreException(file, SketchStore.SECTION_SKETCH_HEADER, "truncated: the file has " + size
                        + " bytes, the sketch header needs at least " + MIN_SKETCH_HEADER_BYTES);
            }
            ByteBuffer p = le(pre);
            readFully(ch, p, 0, file, SketchStore.SECTION_SKETCH_HEADER);
            checkMagic(p.array(), SKETCH_MAGIC, file, SketchStore.SECTION_SKETCH_HEADER);
            checkVersion(p.getInt(8), file, SketchStore.SECTION_SKETCH_HEADER);
            long headerLength = p.getInt(12) & 0xFFFFFFFFL;
            if (headerLength < MIN_SKETCH_HEADER_BYTES || headerLength > MAX_SKETCH_HEADER_BYTES) {
                throw new SketchStoreException(file, SketchStore.SECTION_SKETCH_HEADER, "declared header length " + headerLength
                        + " is outside [" + MIN_SKETCH_HEADER_BYTES + ", "
                        + MAX_SKETCH_HEADER_BYTES + "]: corrupt");
            }
            int hl = (int) headerLength;
            if (size < hl) {
                throw new SketchStoreException(file, SketchStore.SECTION_SKETCH_HEADER, "truncated: the file has " + size
                        + " bytes, the sketch header needs " + hl);
            }
            ByteBuffer b = le(hl);
            readFully(ch, b, 0, file, SketchStore.SECTION_SKETCH_HEADER);
            int stored = b.getInt(hl - 4);
            int computed = crc(b.array(), 0, hl - 4);
            if (stored != computed) throw checksum(file, SketchStore.SECTION_SKETCH_HEADER, stored, computed);
            b.position(SKETCH_PREAMBLE_BYTES);
            long fingerprint = b.getLong();
            long seed = b.getLong();
            long dataDigest = b.getLong();
            long initialDigest = b.getLong();
            long fileRunDigest = b.getLong();
            int examples = b.getInt();
            int parameters = b.getInt();
            int degree = b.getInt();
            int fileIndex = b.getInt();
            double bound = b.getDouble();
            int siteLength = b.getInt();
            if (siteLength != hl - MIN_SKETCH_HEADER_BYTES) {
                throw new SketchStoreException(file, SketchStore.SECTION_SKETCH_HEADER, "branch site length " + siteLength
                        + " does not match the header length " + hl + ": corrupt");
            }
            String mismatch = null;
            if (fingerprint != header.fingerprint()) {
                mismatch = "circuit fingerprint " + hex(fingerprint) + " differs from the store header's "
                        + hex(header.fingerprint());
            } else if (seed != header.directionSeed()) {
                mismatch = "direction seed " + seed + " differs from the store header's " + header.directionSeed();
            } else if (dataDigest != header.dataDigest()) {
                mismatch = "data digest " + hex(dataDigest) + " differs from the store header's " + hex(header.dataDigest());
            } else if (initialDigest != header.initialDigest()) {
                mismatch = "initial-parameters digest " + hex(initialDigest) + " differs from the store header's "
                        + hex(header.initialDigest());
            } else if (examples != header.examples()) {
                mismatch = "n = " + examples + " differs from the store header's n = " + header.examples();
            } else if (parameters != header.parameters()) {
                mismatch = "P = " + parameters + " differs from the store header's P = " + header.parameters();
            } else if (degree != header.degree()) {
                mismatch = "k = " + degree + " differs from the store header's k = " + header.degree();
            } else if (fileRunDigest != runDigest) {
                mismatch = "run digest " + hex(fileRunDigest) + " differs from the store's " + hex(runDigest)
                        + " (theta0, the schedule or the circuit name differ)";
            }
            if (mismatch != null) {
                throw new SketchStoreException(file, SketchStore.SECTION_SKETCH_HEADER, mismatch
                        + ": the file belongs to another training run");
            }
            if (fileIndex != index) {
                throw new SketchStoreException(file, SketchStore.SECTION_SKETCH_HEADER, "index field is " + fileIndex
                        + " but the file name says " + index);
            }
            String site;
            try {
                site = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(b.array(), MIN_SKETCH_HEADER_BYTES - 4, siteLength))
                        .toString();
            } catch (CharacterCodingException e) {
                throw new SketchStoreException(file, SketchStore.SECTION_SKETCH_HEADER, "branch site is not valid UTF-8", e);
            }
            BranchSwitch branch;
            try {
                branch = new BranchSwitch(bound, site);
            } catch (IllegalArgumentException e) {
                throw new SketchStoreException(file, SketchStore.SECTION_SKETCH_HEADER, "invalid branch-switch field: "
                        + e.getMessage(), e);
            }
            long count = header.coefficientLength();
            long expected = hl + 8 * count + 4;
            if (size < expected) {
                throw new SketchStoreException(file, SketchStore.SECTION_COEFFICIENTS, "truncated: the file has " + size
                        + " bytes, expected " + expected + " for k = " + degree + ", P = " + parameters);
            }
            if (size > expected) {
                throw new SketchStoreException(file, SketchStore.SECTION_COEFFICIENTS, (size - expected)
                        + " trailing byte(s) after the coefficient checksum (expected " + expected + " bytes in all)");
            }
            if (readCoefficients) readDoubles(ch, hl, out, (int) count, file, SketchStore.SECTION_COEFFICIENTS);
            return branch;
        }
    }

    /**
     * Reads {@code count} little-endian doubles at {@code position} followed by their CRC32C into
     * {@code out} (or nowhere if null), verifying the checksum.
     */
    private static void readDoubles(FileChannel ch, long position, double[] out, int count, Path file, String section)
            throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buf = le(8 * Math.min(CHUNK_DOUBLES, Math.max(1, count)));
        for (int off = 0; off < count; off += CHUNK_DOUBLES) {
            int len = Math.min(CHUNK_DOUBLES, count - off);
            buf.clear().limit(8 * len);
            readFully(ch, buf, position, file, section);
            position += 8L * len;
            crc.update(buf.array(), 0, 8 * len);
            if (out != null) buf.asDoubleBuffer().get(out, off, len);
        }
        ByteBuffer t = le(4);
        readFully(ch, t, position, file, section);
        int stored = t.getInt(0);
        if (stored != (int) crc.getValue()) throw checksum(file, section, stored, (int) crc.getValue());
    }

    /** Fills {@code b} (from position 0 to its limit) from {@code position}; then rewinds it. */
    private static void readFully(FileChannel ch, ByteBuffer b, long position, Path file, String section)
            throws IOException {
        b.position(0);
        while (b.hasRemaining()) {
            int r = ch.read(b, position);
            if (r < 0) {
                throw new SketchStoreException(file, section, "truncated: end of file at byte " + position
                        + " (the file changed while being read?)");
            }
            position += r;
        }
        b.position(0);
    }

    private static void checkMagic(byte[] bytes, byte[] magic, Path file, String section) throws SketchStoreException {
        if (!Arrays.equals(bytes, 0, magic.length, magic, 0, magic.length)) {
            boolean header = magic == HEADER_MAGIC;
            byte[] other = header ? SKETCH_MAGIC : HEADER_MAGIC;
            String what = Arrays.equals(bytes, 0, 8, other, 0, 8)
                    ? " (this is a " + (header ? "sketch" : "header") + " file)" : "";
            throw new SketchStoreException(file, section, "wrong magic number " + hexBytes(bytes, 8)
                    + ", expected " + hexBytes(magic, 8) + what);
        }
    }

    private static void checkVersion(int version, Path file, String section) throws SketchStoreException {
        if (version == 1) {
            throw new SketchStoreException(file, section, "written in store format version 1, which this jetsketch no"
                    + " longer reads (version 2 ties every sketch file to its training run): re-sketch into a new"
                    + " directory, or delete this one and run the same sketch command again");
        }
        if (version != VERSION) {
            throw new SketchStoreException(file, section, "unsupported format version " + version
                    + " (this reader supports version " + VERSION + ")");
        }
    }

    private static SketchStoreException checksum(Path file, String section, int stored, int computed) {
        return new SketchStoreException(file, section, String.format(Locale.ROOT,
                "checksum mismatch: stored CRC32C %08x, computed %08x (the file is corrupt)", stored, computed));
    }

    static String hex(long v) {
        return String.format(Locale.ROOT, "0x%016x", v);
    }

    private static String hexBytes(byte[] b, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n && i < b.length; i++) sb.append(String.format(Locale.ROOT, "%02x", b[i] & 0xFF));
        return sb.toString();
    }
}
