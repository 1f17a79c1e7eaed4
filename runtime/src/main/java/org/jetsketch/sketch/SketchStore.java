package org.jetsketch.sketch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * A directory of sketches of one training run (scheme §4): {@code header.jss} holds the run's
 * metadata and θ_0; {@code sketch-<index>.jss} holds θ_1..θ_k of the sketch whose direction is
 * {@code Directions.direction(directionSeed, index, examples)}. The byte layout, the atomicity
 * argument and the list of checks are in {@code docs/sketch-format.md}.
 *
 * <p><b>Atomicity.</b> Every file is written to a temporary file in the same directory
 * ({@code .<name>.<random hex>.tmp}), forced to disk, closed, and renamed over its final name with
 * {@link StandardCopyOption#ATOMIC_MOVE}; the directory is then forced (best effort). A crash
 * leaves either the old file, the new file, or a stray temporary file, never a partial file under
 * a final name. Stray temporary files are ignored by every method and deleted by
 * {@link #create}, the writer's entry point ({@link #open} is also what readers use while a
 * trainer is running, so it must not delete a temporary file that is being written).
 *
 * <p><b>Verification.</b> Opening reads the header completely (magic, version, both checksums,
 * exact length) and the fixed header of every sketch file (magic, version, header checksum,
 * fingerprint, P, k, index, exact length). The coefficient checksum of a sketch is verified by
 * every {@link #read} and by {@link #verifyAll()}; opening does not read the coefficients, which
 * for a large model are most of the store.
 *
 * <p><b>Threads and processes.</b> An instance is thread-safe; concurrent {@link #write}s of
 * different indices from several threads are the intended use. Several processes may read a store
 * while one process writes to it; two processes writing the same store is safe (each file is
 * replaced atomically) but {@link #create} in one may delete the other's in-flight temporary
 * file, failing that write with an {@link IOException}. {@link #indices()} reflects the sketches
 * found when the store was opened plus those written through this instance; {@link #refresh()}
 * picks up sketches written by other processes since.
 */
public final class SketchStore {

    /** The format version this class writes and reads. */
    public static final int FORMAT_VERSION = 1;

    /** The header file's name. */
    public static final String HEADER_FILE = "header.jss";

    static final byte[] HEADER_MAGIC = {'J', 'S', 'K', 'H', 0x0D, 0x0A, 0x1A, 0x0A};
    static final byte[] SKETCH_MAGIC = {'J', 'S', 'K', 'S', 0x0D, 0x0A, 0x1A, 0x0A};

    /** Section names, as in docs/sketch-format.md. */
    public static final String SECTION_PREAMBLE = "preamble";
    public static final String SECTION_METADATA = "metadata";
    public static final String SECTION_THETA0 = "theta0";
    public static final String SECTION_SKETCH_HEADER = "sketch header";
    public static final String SECTION_COEFFICIENTS = "coefficients";
    public static final String SECTION_DIRECTORY = "directory";

    /** Header file: bytes before the metadata body (magic, version, metadata length). */
    static final int HEADER_PREAMBLE_BYTES = 16;
    /** Metadata body with two empty strings. */
    static final int MIN_METADATA_BYTES = 8 + 4 + 4 + 4 + 8 + 4 + 4;
    static final long MAX_METADATA_BYTES = MIN_METADATA_BYTES + 2L * StoreHeader.MAX_STRING_BYTES;
    /** Sketch file: magic, version, fingerprint, P, k, index, header CRC. */
    static final int SKETCH_HEADER_BYTES = 8 + 4 + 8 + 4 + 4 + 4 + 4;
    /** Sketch file: everything except the coefficients. */
    public static final int SKETCH_OVERHEAD_BYTES = SKETCH_HEADER_BYTES + 4;

    private static final Pattern SKETCH_NAME = Pattern.compile("sketch-(\\d{6,10})\\.jss");
    private static final Pattern TEMP_NAME =
            Pattern.compile("\\.(header|sketch-\\d{6,10})\\.jss\\.[0-9a-f]{1,16}\\.tmp");
    private static final int CHUNK_DOUBLES = 1 << 14;

    private final Path dir;
    private final StoreHeader header;
    private final double[] theta0;
    private final ConcurrentSkipListSet<Integer> indices = new ConcurrentSkipListSet<>();

    private SketchStore(Path dir, StoreHeader header, double[] theta0) {
        this.dir = dir;
        this.header = header;
        this.theta0 = theta0;
    }

    // ------------------------------------------------------------------------------------------
    // Opening and creating

    /**
     * Creates a store in {@code dir} (creating the directory), or, if {@code dir} already holds a
     * store with exactly this header and θ_0 (bit for bit), opens it: this is how an interrupted
     * run resumes and how sketches are added later. Deletes stray temporary files.
     *
     * @throws SketchStoreException if a store with a different header or θ_0 is there (the
     *         message names the first differing field or parameter), if the existing store is
     *         damaged, or if the directory holds sketch files but no header
     * @throws IllegalArgumentException if θ_0 does not have P finite values
     */
    public static SketchStore create(Path dir, StoreHeader header, double[] theta0) throws IOException {
        Objects.requireNonNull(dir, "dir");
        if (header == null) throw new IllegalArgumentException("header is null");
        checkTheta0(header, theta0);
        Files.createDirectories(dir);
        deleteTemporaryFiles(dir);
        Path headerFile = dir.resolve(HEADER_FILE);
        if (Files.exists(headerFile)) {
            SketchStore existing = readHeaderFile(dir);
            existing.requireSame(header, theta0);
            existing.scan();
            return existing;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (SKETCH_NAME.matcher(p.getFileName().toString()).matches()) {
                    throw new SketchStoreException(dir, SECTION_DIRECTORY, "holds sketch file "
                            + p.getFileName() + " but no " + HEADER_FILE + "; refusing to mix runs");
                }
            }
        }
        SketchStore store = new SketchStore(dir, header, theta0.clone());
        store.writeHeaderFile();
        store.scan();
        return store;
    }

    /** Opens an existing store, verifying the header and the fixed part of every sketch file. */
    public static SketchStore open(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        if (!Files.isDirectory(dir)) {
            throw new SketchStoreException(dir, SECTION_DIRECTORY, "is not a directory");
        }
        if (!Files.exists(dir.resolve(HEADER_FILE))) {
            throw new SketchStoreException(dir, SECTION_DIRECTORY, "has no " + HEADER_FILE + "; not a sketch store");
        }
        SketchStore store = readHeaderFile(dir);
        store.scan();
        return store;
    }

    /**
     * Opens an existing store and checks that it was made for this circuit.
     *
     * @throws SketchStoreException naming the circuit name or the fingerprint if either differs
     */
    public static SketchStore open(Path dir, String expectedCircuit, long expectedFingerprint) throws IOException {
        if (expectedCircuit == null) throw new IllegalArgumentException("expectedCircuit is null");
        SketchStore store = open(dir);
        Path hf = dir.resolve(HEADER_FILE);
        if (!store.header.circuitName().equals(expectedCircuit)) {
            throw new SketchStoreException(hf, SECTION_METADATA, "store is for circuit '"
                    + store.header.circuitName() + "', expected circuit '" + expectedCircuit + "'");
        }
        if (store.header.fingerprint() != expectedFingerprint) {
            throw new SketchStoreException(hf, SECTION_METADATA, "circuit fingerprint is "
                    + hex(store.header.fingerprint()) + ", expected " + hex(expectedFingerprint)
                    + " (the circuit's code or parameter layout changed since the store was written)");
        }
        return store;
    }

    private void requireSame(StoreHeader given, double[] givenTheta0) throws SketchStoreException {
        Path hf = dir.resolve(HEADER_FILE);
        StoreHeader h = header;
        String field = null;
        Object stored = null, wanted = null;
        if (!h.circuitName().equals(given.circuitName())) {
            field = "circuitName"; stored = "'" + h.circuitName() + "'"; wanted = "'" + given.circuitName() + "'";
        } else if (h.fingerprint() != given.fingerprint()) {
            field = "fingerprint"; stored = hex(h.fingerprint()); wanted = hex(given.fingerprint());
        } else if (h.examples() != given.examples()) {
            field = "examples"; stored = h.examples(); wanted = given.examples();
        } else if (h.parameters() != given.parameters()) {
            field = "parameters"; stored = h.parameters(); wanted = given.parameters();
        } else if (h.degree() != given.degree()) {
            field = "degree"; stored = h.degree(); wanted = given.degree();
        } else if (h.directionSeed() != given.directionSeed()) {
            field = "directionSeed"; stored = h.directionSeed(); wanted = given.directionSeed();
        } else if (!h.schedule().equals(given.schedule())) {
            field = "schedule"; stored = "'" + h.schedule() + "'"; wanted = "'" + given.schedule() + "'";
        }
        if (field != null) {
            throw new SketchStoreException(hf, SECTION_METADATA, "an existing store has a different header: field '"
                    + field + "' is " + stored + " in the store, " + wanted + " given");
        }
        for (int p = 0; p < theta0.length; p++) {
            if (Double.doubleToRawLongBits(theta0[p]) != Double.doubleToRawLongBits(givenTheta0[p])) {
                throw new SketchStoreException(hf, SECTION_THETA0, "an existing store has a different theta0: parameter "
                        + p + " is " + theta0[p] + " in the store, " + givenTheta0[p] + " given");
            }
        }
    }

    private static void checkTheta0(StoreHeader h, double[] theta0) {
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

    /** Scans the directory for sketch files, verifying the fixed part of each. Only adds. */
    private void scan() throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                Matcher m = SKETCH_NAME.matcher(name);
                if (!m.matches()) continue;
                long idx = Long.parseLong(m.group(1));
                if (idx > Integer.MAX_VALUE || !sketchFileName((int) idx).equals(name)) continue;
                if (!indices.contains((int) idx)) {
                    readSketchFile(p, (int) idx, null, false);
                    indices.add((int) idx);
                }
            }
        }
    }

    /**
     * Adds the sketches that other processes wrote since this store was opened (verifying the fixed
     * part of each new file). Never removes an index.
     */
    public void refresh() throws IOException {
        scan();
    }

    private static void deleteTemporaryFiles(Path dir) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (TEMP_NAME.matcher(p.getFileName().toString()).matches()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Accessors

    public Path directory() { return dir; }

    public StoreHeader header() { return header; }

    /** A copy of θ_0 (P doubles). */
    public double[] theta0() { return theta0.clone(); }

    /** Sketch {@code index}'s direction, {@code Directions.direction(directionSeed, index, examples)}. */
    public double[] direction(int index) {
        return Directions.direction(header.directionSeed(), index, header.examples());
    }

    public boolean contains(int index) { return indices.contains(index); }

    /** The indices of the sketches present, ascending. */
    public int[] indices() {
        return indices.stream().mapToInt(Integer::intValue).toArray();
    }

    public int count() { return indices.size(); }

    /** Bytes of the header file and of every sketch file in {@link #indices()}. */
    public long sizeOnDisk() throws IOException {
        long size = Files.size(dir.resolve(HEADER_FILE));
        for (int i : indices) size += Files.size(dir.resolve(sketchFileName(i)));
        return size;
    }

    /** The file name of sketch {@code index}: {@code sketch-} + index padded to 6 digits + {@code .jss}. */
    public static String sketchFileName(int index) {
        checkIndex(index);
        return String.format(Locale.ROOT, "sketch-%06d.jss", index);
    }

    @Override
    public String toString() {
        return "SketchStore[" + dir + ", " + header + ", " + count() + " sketches]";
    }

    // ------------------------------------------------------------------------------------------
    // Writing

    /**
     * Writes sketch {@code index} atomically (replacing an existing one). {@code coefficients}
     * holds θ_1..θ_k: coefficient r (1..k) of parameter p has its real part at
     * {@code 2·((r−1)·P + p)} and its imaginary part at the next position.
     *
     * @throws IllegalArgumentException if index &lt; 0, the length is not 2kP, or a value is not finite
     */
    public void write(int index, double[] coefficients) throws IOException {
        checkIndex(index);
        checkCoefficients(coefficients, "coefficients");
        for (int i = 0; i < coefficients.length; i++) {
            if (!Double.isFinite(coefficients[i])) {
                throw new IllegalArgumentException("coefficients[" + i + "] of sketch " + index
                        + " is not finite: " + coefficients[i]);
            }
        }
        writeAtomically(sketchFileName(index), ch -> {
            ByteBuffer b = le(SKETCH_HEADER_BYTES);
            b.put(SKETCH_MAGIC).putInt(FORMAT_VERSION).putLong(header.fingerprint())
                    .putInt(header.parameters()).putInt(header.degree()).putInt(index);
            b.putInt(crc(b.array(), 0, SKETCH_HEADER_BYTES - 4));
            b.flip();
            writeFully(ch, b);
            int crc = writeDoubles(ch, coefficients);
            ByteBuffer t = le(4).putInt(crc);
            t.flip();
            writeFully(ch, t);
        });
        indices.add(index);
    }

    private void writeHeaderFile() throws IOException {
        byte[] name = StoreHeader.utf8("circuitName", header.circuitName());
        byte[] schedule = StoreHeader.utf8("schedule", header.schedule());
        int metadataLength = MIN_METADATA_BYTES + name.length + schedule.length;
        ByteBuffer b = le(HEADER_PREAMBLE_BYTES + metadataLength + 4);
        b.put(HEADER_MAGIC).putInt(FORMAT_VERSION).putInt(metadataLength);
        b.putLong(header.fingerprint()).putInt(header.examples()).putInt(header.parameters())
                .putInt(header.degree()).putLong(header.directionSeed());
        b.putInt(name.length).put(name).putInt(schedule.length).put(schedule);
        b.putInt(crc(b.array(), 12, 4 + metadataLength));
        b.flip();
        writeAtomically(HEADER_FILE, ch -> {
            writeFully(ch, b);
            int crc = writeDoubles(ch, theta0);
            ByteBuffer t = le(4).putInt(crc);
            t.flip();
            writeFully(ch, t);
        });
    }

    private interface Body {
        void write(FileChannel ch) throws IOException;
    }

    private void writeAtomically(String finalName, Body body) throws IOException {
        Path target = dir.resolve(finalName);
        Path tmp;
        FileChannel ch;
        while (true) {
            tmp = dir.resolve("." + finalName + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                break;
            } catch (FileAlreadyExistsException e) {
                // another writer drew the same name; draw again
            }
        }
        boolean moved = false;
        try {
            try (FileChannel c = ch) {
                body.write(c);
                c.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the write already failed; a leftover temporary file is harmless
                }
            }
        }
        forceDirectory(dir);
    }

    /** Makes the rename durable where the platform allows opening a directory (Linux does). */
    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort: atomicity does not depend on it, only durability of the rename
        }
    }

    /** Writes doubles little-endian in chunks; returns the CRC32C of the bytes written. */
    private static int writeDoubles(FileChannel ch, double[] values) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buf = le(8 * Math.min(CHUNK_DOUBLES, Math.max(1, values.length)));
        for (int off = 0; off < values.length; off += CHUNK_DOUBLES) {
            int len = Math.min(CHUNK_DOUBLES, values.length - off);
            buf.clear();
            buf.asDoubleBuffer().put(values, off, len);
            buf.limit(8 * len);
            crc.update(buf.array(), 0, 8 * len);
            writeFully(ch, buf);
        }
        return (int) crc.getValue();
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) ch.write(b);
    }

    // ------------------------------------------------------------------------------------------
    // Reading

    /**
     * Reads sketch {@code index} into {@code out} (2kP doubles, layout as in {@link #write}),
     * verifying every check including the coefficient checksum. If it throws, the contents of
     * {@code out} are unspecified.
     *
     * @throws SketchStoreException if the file is missing or fails a check
     */
    public void read(int index, double[] out) throws IOException {
        checkIndex(index);
        checkCoefficients(out, "out");
        readSketchFile(dir.resolve(sketchFileName(index)), index, out, true);
    }

    /** Reads sketch {@code index} into a new array. */
    public double[] read(int index) throws IOException {
        double[] out = new double[header.coefficientLength()];
        read(index, out);
        return out;
    }

    /** Verifies every sketch in {@link #indices()} completely, including coefficient checksums. */
    public void verifyAll() throws IOException {
        for (int i : indices) readSketchFile(dir.resolve(sketchFileName(i)), i, null, true);
    }

    private static SketchStore readHeaderFile(Path dir) throws IOException {
        Path file = dir.resolve(HEADER_FILE);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < HEADER_PREAMBLE_BYTES) {
                throw new SketchStoreException(file, SECTION_PREAMBLE, "truncated: the file has " + size
                        + " bytes, the preamble needs " + HEADER_PREAMBLE_BYTES);
            }
            ByteBuffer pre = le(HEADER_PREAMBLE_BYTES);
            readFully(ch, pre, 0, file, SECTION_PREAMBLE);
            checkMagic(pre.array(), HEADER_MAGIC, file, SECTION_PREAMBLE);
            checkVersion(pre.getInt(8), file, SECTION_PREAMBLE);
            long metadataLength = pre.getInt(12) & 0xFFFFFFFFL;
            if (metadataLength < MIN_METADATA_BYTES || metadataLength > MAX_METADATA_BYTES) {
                throw new SketchStoreException(file, SECTION_METADATA, "declared length " + metadataLength
                        + " is outside [" + MIN_METADATA_BYTES + ", " + MAX_METADATA_BYTES + "]: corrupt");
            }
            if (size < HEADER_PREAMBLE_BYTES + metadataLength + 4) {
                throw new SketchStoreException(file, SECTION_METADATA, "truncated: the file has " + size
                        + " bytes, the metadata section ends at " + (HEADER_PREAMBLE_BYTES + metadataLength + 4));
            }
            int ml = (int) metadataLength;
            ByteBuffer meta = le(ml + 4);
            readFully(ch, meta, HEADER_PREAMBLE_BYTES, file, SECTION_METADATA);
            CRC32C crc = new CRC32C();
            crc.update(pre.array(), 12, 4);
            crc.update(meta.array(), 0, ml);
            int stored = meta.getInt(ml);
            if ((int) crc.getValue() != stored) {
                throw checksum(file, SECTION_METADATA, stored, (int) crc.getValue());
            }
            meta.position(0).limit(ml);
            StoreHeader h;
            try {
                long fingerprint = meta.getLong();
                int examples = meta.getInt();
                int parameters = meta.getInt();
                int degree = meta.getInt();
                long seed = meta.getLong();
                String name = readString(meta, file, "circuitName");
                String schedule = readString(meta, file, "schedule");
                if (meta.hasRemaining()) {
                    throw new SketchStoreException(file, SECTION_METADATA, meta.remaining()
                            + " unexplained bytes after the schedule string: corrupt");
                }
                h = new StoreHeader(name, fingerprint, examples, parameters, degree, seed, schedule);
            } catch (IllegalArgumentException e) {
                throw new SketchStoreException(file, SECTION_METADATA, "invalid value: " + e.getMessage(), e);
            }
            long thetaStart = HEADER_PREAMBLE_BYTES + metadataLength + 4;
            long expected = thetaStart + 8L * h.parameters() + 4;
            if (size < expected) {
                throw new SketchStoreException(file, SECTION_THETA0, "truncated: the file has " + size
                        + " bytes, expected " + expected + " for P = " + h.parameters());
            }
            if (size > expected) {
                throw new SketchStoreException(file, SECTION_THETA0, (size - expected)
                        + " trailing byte(s) after the theta0 checksum (expected " + expected + " bytes in all)");
            }
            double[] theta0 = new double[h.parameters()];
            readDoubles(ch, thetaStart, theta0, theta0.length, file, SECTION_THETA0);
            return new SketchStore(dir, h, theta0);
        }
    }

    private static String readString(ByteBuffer b, Path file, String field) throws SketchStoreException {
        if (b.remaining() < 4) {
            throw new SketchStoreException(file, SECTION_METADATA, "no room for the length of " + field + ": corrupt");
        }
        int len = b.getInt();
        if (len < 0 || len > b.remaining()) {
            throw new SketchStoreException(file, SECTION_METADATA, "length " + len + " of " + field
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
            throw new SketchStoreException(file, SECTION_METADATA, field + " is not valid UTF-8", e);
        }
    }

    /**
     * Checks a sketch file. {@code out == null && readCoefficients}: verify the coefficient
     * checksum only; {@code !readCoefficients}: the fixed header and the length only.
     */
    private void readSketchFile(Path file, int index, double[] out, boolean readCoefficients) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new SketchStoreException(file, SECTION_DIRECTORY, "no sketch with index " + index + " in this store", e);
        }
        try (ch) {
            long size = ch.size();
            if (size < SKETCH_HEADER_BYTES) {
                throw new SketchStoreException(file, SECTION_SKETCH_HEADER, "truncated: the file has " + size
                        + " bytes, the sketch header needs " + SKETCH_HEADER_BYTES);
            }
            ByteBuffer b = le(SKETCH_HEADER_BYTES);
            readFully(ch, b, 0, file, SECTION_SKETCH_HEADER);
            checkMagic(b.array(), SKETCH_MAGIC, file, SECTION_SKETCH_HEADER);
            checkVersion(b.getInt(8), file, SECTION_SKETCH_HEADER);
            int stored = b.getInt(SKETCH_HEADER_BYTES - 4);
            int computed = crc(b.array(), 0, SKETCH_HEADER_BYTES - 4);
            if (stored != computed) throw checksum(file, SECTION_SKETCH_HEADER, stored, computed);
            long fingerprint = b.getLong(12);
            int parameters = b.getInt(20), degree = b.getInt(24), fileIndex = b.getInt(28);
            if (fingerprint != header.fingerprint()) {
                throw new SketchStoreException(file, SECTION_SKETCH_HEADER, "fingerprint " + hex(fingerprint)
                        + " differs from the store header's " + hex(header.fingerprint()));
            }
            if (parameters != header.parameters()) {
                throw new SketchStoreException(file, SECTION_SKETCH_HEADER, "P = " + parameters
                        + " differs from the store header's P = " + header.parameters());
            }
            if (degree != header.degree()) {
                throw new SketchStoreException(file, SECTION_SKETCH_HEADER, "k = " + degree
                        + " differs from the store header's k = " + header.degree());
            }
            if (fileIndex != index) {
                throw new SketchStoreException(file, SECTION_SKETCH_HEADER, "index field is " + fileIndex
                        + " but the file name says " + index);
            }
            long count = header.coefficientLength();
            long expected = SKETCH_HEADER_BYTES + 8 * count + 4;
            if (size < expected) {
                throw new SketchStoreException(file, SECTION_COEFFICIENTS, "truncated: the file has " + size
                        + " bytes, expected " + expected + " for k = " + degree + ", P = " + parameters);
            }
            if (size > expected) {
                throw new SketchStoreException(file, SECTION_COEFFICIENTS, (size - expected)
                        + " trailing byte(s) after the coefficient checksum (expected " + expected + " bytes in all)");
            }
            if (readCoefficients) readDoubles(ch, SKETCH_HEADER_BYTES, out, (int) count, file, SECTION_COEFFICIENTS);
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
            String what = Arrays.equals(bytes, 0, 8, magic == HEADER_MAGIC ? SKETCH_MAGIC : HEADER_MAGIC, 0, 8)
                    ? " (this is a " + (magic == HEADER_MAGIC ? "sketch" : "header") + " file)" : "";
            throw new SketchStoreException(file, section, "wrong magic number " + hexBytes(bytes, 8)
                    + ", expected " + hexBytes(magic, 8) + what);
        }
    }

    private static void checkVersion(int version, Path file, String section) throws SketchStoreException {
        if (version != FORMAT_VERSION) {
            throw new SketchStoreException(file, section, "unsupported format version " + version
                    + " (this reader supports version " + FORMAT_VERSION + ")");
        }
    }

    private static SketchStoreException checksum(Path file, String section, int stored, int computed) {
        return new SketchStoreException(file, section, String.format(Locale.ROOT,
                "checksum mismatch: stored CRC32C %08x, computed %08x (the file is corrupt)", stored, computed));
    }

    // ------------------------------------------------------------------------------------------
    // Small helpers

    private void checkCoefficients(double[] a, String what) {
        if (a == null) throw new IllegalArgumentException(what + " is null");
        if (a.length != header.coefficientLength()) {
            throw new IllegalArgumentException(what + " has length " + a.length + ", expected 2·k·P = 2·"
                    + header.degree() + "·" + header.parameters() + " = " + header.coefficientLength());
        }
    }

    private static void checkIndex(int index) {
        if (index < 0) throw new IllegalArgumentException("sketch index must be >= 0, got " + index);
    }

    private static ByteBuffer le(int capacity) {
        return ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static int crc(byte[] bytes, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(bytes, off, len);
        return (int) c.getValue();
    }

    private static String hex(long v) {
        return String.format(Locale.ROOT, "0x%016x", v);
    }

    private static String hexBytes(byte[] b, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n && i < b.length; i++) sb.append(String.format(Locale.ROOT, "%02x", b[i] & 0xFF));
        return sb.toString();
    }
}
