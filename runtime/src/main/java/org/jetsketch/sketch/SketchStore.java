package org.jetsketch.sketch;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jetsketch.io.AtomicFiles;

/**
 * A directory of sketches of one training run (scheme §4): {@code header.jss} holds the run's
 * metadata and θ_0; {@code sketch-<index>.jss} holds θ_1..θ_k of the sketch whose direction is
 * {@code Directions.direction(directionSeed, index, examples)}. The byte layout, the atomicity
 * argument and the list of checks are in {@code docs/sketch-format.md}.
 *
 * <p><b>Atomicity.</b> Every file is written through {@link AtomicFiles} (a temporary file in the
 * same directory, forced to disk, renamed over its final name atomically, the directory forced):
 * a crash leaves the old file, the new file, or a stray temporary file, never a partial file under
 * a final name. Stray temporary files are ignored by every method and deleted by {@link #create},
 * the writer's entry point ({@link #open} is also what readers use while a trainer is running, so
 * it must not delete a temporary file that is being written). The bytes of every file are those
 * of {@link SketchFormat}.
 *
 * <p><b>Identity.</b> Every sketch file's checksummed header carries the run's identity (circuit
 * fingerprint, direction seed, data and initial-parameter digests, n, P, k, and the run digest of
 * the whole header file including θ_0), checked against the store header on open: a sketch file
 * of another run is rejected, never silently used.
 *
 * <p><b>Verification.</b> Opening reads the header completely (magic, version, both checksums,
 * exact length) and the header of every sketch file (magic, version, header checksum, run
 * identity, index, exact length). The coefficient checksum of a sketch is verified by every
 * {@link #read}, by {@link #verifyAll()} and by {@link #verifyEach()}; opening does not read the
 * coefficients, which for a large model are most of the store.
 *
 * <p><b>Threads and processes.</b> An instance is thread-safe; concurrent {@link #write}s of
 * different indices from several threads are the intended use. One writer at a time:
 * {@link #create} takes the directory's {@link StoreLock} and refuses a second writer; several
 * processes may read a store while one process writes to it. {@link #indices()} reflects the
 * sketches found when the store was opened plus those written through this instance;
 * {@link #refresh()} picks up sketches written by other processes since.
 */
public final class SketchStore implements AutoCloseable {

    /** The format version this class writes and reads. */
    public static final int FORMAT_VERSION = SketchFormat.VERSION;

    /** The header file's name. */
    public static final String HEADER_FILE = "header.jss";

    /** Section names, as in docs/sketch-format.md. */
    public static final String SECTION_PREAMBLE = "preamble";
    public static final String SECTION_METADATA = "metadata";
    public static final String SECTION_THETA0 = "theta0";
    public static final String SECTION_SKETCH_HEADER = "sketch header";
    public static final String SECTION_COEFFICIENTS = "coefficients";
    public static final String SECTION_DIRECTORY = "directory";

    /** Sketch file with an empty branch site: everything except the coefficients. */
    public static final int SKETCH_OVERHEAD_BYTES = SketchFormat.MIN_SKETCH_HEADER_BYTES + 4;

    private static final Pattern SKETCH_NAME = Pattern.compile("sketch-(\\d{6,10})\\.jss");
    private static final Pattern TEMP_NAME =
            Pattern.compile("\\.(header|sketch-\\d{6,10})\\.jss\\.[0-9a-f]{1,16}\\.tmp");
    private static final int CHUNK_DOUBLES = 1 << 14;

    private final Path dir;
    private final StoreHeader header;
    private final double[] theta0;
    private final long runDigest;
    private final ConcurrentSkipListSet<Integer> indices = new ConcurrentSkipListSet<>();
    private final ConcurrentSkipListMap<Integer, SketchStoreException> damaged = new ConcurrentSkipListMap<>();
    private final ConcurrentHashMap<Integer, BranchSwitch> branches = new ConcurrentHashMap<>();
    /** The writer lock, null for a store opened for reading. */
    private final StoreLock lock;
    private final boolean ownsLock;

    private SketchStore(Path dir, StoreHeader header, double[] theta0, StoreLock lock, boolean ownsLock) {
        this.dir = dir;
        this.header = header;
        this.theta0 = theta0;
        this.runDigest = SketchFormat.runDigest(header, theta0);
        this.lock = lock;
        this.ownsLock = ownsLock;
    }

    // ------------------------------------------------------------------------------------------
    // Opening and creating

    /**
     * Creates a store in {@code dir} (creating the directory) and takes its writer lock
     * ({@link StoreLock}; released by {@link #close()}), or, if {@code dir} already holds a store
     * with exactly this header and θ_0 (bit for bit), opens it for writing: this is how an
     * interrupted run resumes and how sketches are added later. Deletes stray temporary files.
     * Sketch files that fail a check are not counted but listed by {@link #damaged()}, for the
     * writer to recompute. A header of a different run, or one that cannot be read, is replaced
     * if the directory holds no sketch files (a run that failed before its first sketch must not
     * block the next one).
     *
     * @throws SketchStoreException if another writer holds the lock, or a store with a different
     *         header or θ_0 and at least one sketch file is there (the message names the first
     *         differing field or parameter), or the directory holds sketch files but no header
     * @throws IllegalArgumentException if θ_0 does not have P finite values
     */
    public static SketchStore create(Path dir, StoreHeader header, double[] theta0) throws IOException {
        Objects.requireNonNull(dir, "dir");
        SketchFormat.checkTheta0(header, theta0);
        StoreLock lock = StoreLock.acquire(dir);
        try {
            return create(dir, header, theta0, lock, true);
        } catch (IOException | RuntimeException | Error e) {
            lock.close();
            throw e;
        }
    }

    /**
     * As {@link #create(Path, StoreHeader, double[])}, under a writer lock the caller already
     * holds (and releases itself; {@link #close()} then does not release it).
     */
    public static SketchStore create(Path dir, StoreHeader header, double[] theta0, StoreLock lock) throws IOException {
        Objects.requireNonNull(dir, "dir");
        SketchFormat.checkTheta0(header, theta0);
        if (lock == null || !lock.held()) throw new IllegalArgumentException("the writer lock is not held");
        if (!Files.isSameFile(lock.directory(), dir)) {
            throw new IllegalArgumentException("the lock is for " + lock.directory() + ", not " + dir);
        }
        return create(dir, header, theta0, lock, false);
    }

    private static SketchStore create(Path dir, StoreHeader header, double[] theta0, StoreLock lock, boolean owns)
            throws IOException {
        deleteTemporaryFiles(dir);
        Path headerFile = dir.resolve(HEADER_FILE);
        if (Files.exists(headerFile)) {
            SketchStore existing = null;
            SketchStoreException unreadable = null;
            try {
                existing = readHeaderFile(dir, lock, owns);
            } catch (SketchStoreException e) {
                unreadable = e;
            }
            String difference = existing == null ? null : existing.difference(header, theta0);
            if (existing != null && difference == null) {
                existing.scan(true);
                return existing;
            }
            String first = firstSketchFile(dir);
            if (first != null) {
                if (unreadable != null) throw unreadable;
                throw new SketchStoreException(headerFile, difference.startsWith("parameter") ? SECTION_THETA0
                        : SECTION_METADATA, "an existing store of a different run (with sketch files such as " + first
                        + ") has a different header: " + difference);
            }
            // A header without sketches holds nothing worth keeping: replace it below.
        } else {
            String first = firstSketchFile(dir);
            if (first != null) {
                throw new SketchStoreException(dir, SECTION_DIRECTORY, "holds sketch file " + first + " but no "
                        + HEADER_FILE + "; refusing to mix runs");
            }
        }
        SketchStore store = new SketchStore(dir, header, theta0.clone(), lock, owns);
        AtomicFiles.writeStream(headerFile, out -> SketchFormat.writeHeader(header, store.theta0, out));
        store.scan(true);
        return store;
    }

    /**
     * Checks, without θ_0, whether {@link #create} would accept {@code header} in {@code dir}: so
     * that a writer can refuse a different run before the work of training θ_0.
     *
     * @throws SketchStoreException naming the first differing field if {@code dir} holds a store of
     *         a different run with sketch files, or sketch files without a header
     */
    public static void checkCompatible(Path dir, StoreHeader header) throws IOException {
        if (!Files.isDirectory(dir)) return;
        String first = firstSketchFile(dir);
        if (first == null) return;
        Path headerFile = dir.resolve(HEADER_FILE);
        if (!Files.exists(headerFile)) {
            throw new SketchStoreException(dir, SECTION_DIRECTORY, "holds sketch file " + first + " but no "
                    + HEADER_FILE + "; refusing to mix runs");
        }
        SketchStore existing = readHeaderFile(dir, null, false);
        String difference = existing.difference(header, null);
        if (difference != null) {
            throw new SketchStoreException(headerFile, SECTION_METADATA, "an existing store of a different run (with"
                    + " sketch files such as " + first + ") has a different header: " + difference);
        }
    }

    /**
     * Opens an existing store for reading, verifying the header and the fixed part of every
     * sketch file; the first sketch file that fails a check fails the open.
     */
    public static SketchStore open(Path dir) throws IOException {
        SketchStore store = openHeader(dir);
        store.scan(false);
        return store;
    }

    /**
     * Opens an existing store for reading like {@link #open(Path)}, except that sketch files that
     * fail a check are not counted but listed by {@link #damaged()} (the header must be intact).
     * For reports and for predicting from the intact sketches only.
     */
    public static SketchStore inspect(Path dir) throws IOException {
        SketchStore store = openHeader(dir);
        store.scan(true);
        return store;
    }

    private static SketchStore openHeader(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        if (!Files.isDirectory(dir)) {
            throw new SketchStoreException(dir, SECTION_DIRECTORY, "is not a directory");
        }
        if (!Files.exists(dir.resolve(HEADER_FILE))) {
            throw new SketchStoreException(dir, SECTION_DIRECTORY, "has no " + HEADER_FILE + "; not a sketch store");
        }
        return readHeaderFile(dir, null, false);
    }

    /**
     * Opens an existing store and checks that it was made for this circuit.
     *
     * @throws SketchStoreException naming the circuit name or the fingerprint if either differs
     */
    public static SketchStore open(Path dir, String expectedCircuit, long expectedFingerprint) throws IOException {
        if (expectedCircuit == null) throw new IllegalArgumentException("expectedCircuit is null");
        SketchStore store = openHeader(dir);
        store.checkCircuit(expectedCircuit, expectedFingerprint);
        store.scan(false);
        return store;
    }

    /** As {@link #open(Path, String, long)}, but like {@link #inspect(Path)} for the sketch files. */
    public static SketchStore inspect(Path dir, String expectedCircuit, long expectedFingerprint) throws IOException {
        if (expectedCircuit == null) throw new IllegalArgumentException("expectedCircuit is null");
        SketchStore store = openHeader(dir);
        store.checkCircuit(expectedCircuit, expectedFingerprint);
        store.scan(true);
        return store;
    }

    private void checkCircuit(String expectedCircuit, long expectedFingerprint) throws SketchStoreException {
        Path hf = dir.resolve(HEADER_FILE);
        if (!header.circuitName().equals(expectedCircuit)) {
            throw new SketchStoreException(hf, SECTION_METADATA, "store is for circuit '"
                    + header.circuitName() + "', expected circuit '" + expectedCircuit + "'");
        }
        if (header.fingerprint() != expectedFingerprint) {
            throw new SketchStoreException(hf, SECTION_METADATA, "circuit fingerprint is "
                    + SketchFormat.hex(header.fingerprint()) + ", expected " + SketchFormat.hex(expectedFingerprint)
                    + " (the circuit's code or parameter layout changed since the store was written)");
        }
    }

    /** The first difference from a given header (and θ_0 unless null), or null. */
    private String difference(StoreHeader given, double[] givenTheta0) {
        StoreHeader h = header;
        String field = null;
        Object stored = null, wanted = null;
        if (!h.circuitName().equals(given.circuitName())) {
            field = "circuitName"; stored = "'" + h.circuitName() + "'"; wanted = "'" + given.circuitName() + "'";
        } else if (h.fingerprint() != given.fingerprint()) {
            field = "fingerprint"; stored = SketchFormat.hex(h.fingerprint()); wanted = SketchFormat.hex(given.fingerprint());
        } else if (h.examples() != given.examples()) {
            field = "examples"; stored = h.examples(); wanted = given.examples();
        } else if (h.parameters() != given.parameters()) {
            field = "parameters"; stored = h.parameters(); wanted = given.parameters();
        } else if (h.degree() != given.degree()) {
            field = "degree"; stored = h.degree(); wanted = given.degree();
        } else if (h.directionSeed() != given.directionSeed()) {
            field = "directionSeed"; stored = h.directionSeed(); wanted = given.directionSeed();
        } else if (h.dataDigest() != given.dataDigest()) {
            field = "dataDigest"; stored = SketchFormat.hex(h.dataDigest()); wanted = SketchFormat.hex(given.dataDigest());
        } else if (h.initialDigest() != given.initialDigest()) {
            field = "initialDigest"; stored = SketchFormat.hex(h.initialDigest()); wanted = SketchFormat.hex(given.initialDigest());
        } else if (!h.schedule().equals(given.schedule())) {
            field = "schedule"; stored = "'" + h.schedule() + "'"; wanted = "'" + given.schedule() + "'";
        } else if (!java.util.Objects.equals(h.groups(), given.groups())) {
            field = "groups"; stored = describe(h.groups()); wanted = describe(given.groups());
        }
        if (field != null) return "field '" + field + "' is " + stored + " in the store, " + wanted + " given";
        if (givenTheta0 != null) {
            for (int p = 0; p < theta0.length; p++) {
                if (Double.doubleToRawLongBits(theta0[p]) != Double.doubleToRawLongBits(givenTheta0[p])) {
                    return "parameter " + p + " of theta0 is " + theta0[p] + " in the store, " + givenTheta0[p] + " given";
                }
            }
        }
        return null;
    }

    private static String describe(Groups g) {
        return g == null ? "per-example" : "G = " + g.count() + " groups (digest " + g.digestHex().substring(0, 16) + ")";
    }

    /** True if {@code dir} is a directory holding at least one file named like a sketch file. */
    public static boolean holdsSketchFiles(Path dir) throws IOException {
        return Files.isDirectory(dir) && firstSketchFile(dir) != null;
    }

    private static String firstSketchFile(Path dir) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (SKETCH_NAME.matcher(name).matches()) return name;
            }
        }
        return null;
    }

    /**
     * Scans the directory for sketch files, verifying the fixed part of each. Only adds. With
     * {@code lenient}, a file that fails is recorded in {@link #damaged()}; otherwise it fails the scan.
     */
    private void scan(boolean lenient) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                Matcher m = SKETCH_NAME.matcher(name);
                if (!m.matches()) continue;
                long idx = Long.parseLong(m.group(1));
                if (idx > Integer.MAX_VALUE || !sketchFileName((int) idx).equals(name)) continue;
                int index = (int) idx;
                if (indices.contains(index)) continue;
                try {
                    readSketchFile(p, index, null, false);
                    indices.add(index);
                    damaged.remove(index);
                } catch (SketchStoreException e) {
                    if (!lenient) throw e;
                    damaged.put(index, e);
                }
            }
        }
    }

    /**
     * Adds the sketches that other processes wrote since this store was opened (verifying the fixed
     * part of each new file). Never removes an index.
     */
    public void refresh() throws IOException {
        scan(false);
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

    /**
     * Releases the writer lock of a store made by {@link #create(Path, StoreHeader, double[])};
     * reading still works, writing no longer does. Does nothing for a store opened for reading.
     */
    @Override
    public void close() throws IOException {
        if (lock != null && ownsLock) lock.close();
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

    /** The run digest every sketch file of this store carries ({@link SketchFormat#runDigest}). */
    public long runDigest() { return runDigest; }

    /**
     * What sketch {@code index} recorded about branch decisions (read from its header when the store
     * was opened or when it was written); {@link BranchSwitch#NONE} if nothing was recorded.
     */
    public BranchSwitch branchSwitch(int index) {
        if (!indices.contains(index)) throw new IllegalArgumentException("no sketch " + index + " in " + dir);
        return branches.getOrDefault(index, BranchSwitch.NONE);
    }

    /**
     * The sketch files found damaged (by a lenient open, by {@link #create} or by
     * {@link #verifyEach()}), by index; none of them is in {@link #indices()}.
     */
    public SortedMap<Integer, SketchStoreException> damaged() {
        return Collections.unmodifiableSortedMap(new TreeMap<>(damaged));
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

    /** The index of the sketch file named {@code fileName}, or -1 if that is not a sketch file's name. */
    public static int sketchIndexOf(String fileName) {
        Matcher m = SKETCH_NAME.matcher(fileName);
        if (!m.matches()) return -1;
        long idx = Long.parseLong(m.group(1));
        return idx <= Integer.MAX_VALUE && sketchFileName((int) idx).equals(fileName) ? (int) idx : -1;
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
        write(index, coefficients, BranchSwitch.NONE);
    }

    /**
     * As {@link #write(int, double[])}, recording what the sketch's jet training met of branch
     * decisions (in the sketch's checksummed header).
     *
     * @throws IllegalStateException if the store is not open for writing (opened for reading, or closed)
     */
    public void write(int index, double[] coefficients, BranchSwitch branch) throws IOException {
        checkIndex(index);
        SketchFormat.checkCoefficients(header, index, coefficients);
        if (branch == null) throw new IllegalArgumentException("branch is null (use BranchSwitch.NONE)");
        if (lock == null) throw new IllegalStateException(dir + " was opened for reading; SketchStore.create opens it for writing");
        if (!lock.held()) throw new IllegalStateException(dir + ": the writer lock was released (store closed)");
        AtomicFiles.writeStream(dir.resolve(sketchFileName(index)),
                out -> SketchFormat.writeSketch(header, runDigest, index, branch, coefficients, out));
        if (branch.recorded()) branches.put(index, branch);
        else branches.remove(index);
        damaged.remove(index);
        indices.add(index);
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
        SketchFormat.checkLength(header, out, "out");
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

    /**
     * Verifies every sketch in {@link #indices()} completely (reading all coefficients); the ones
     * that fail move from {@link #indices()} to {@link #damaged()}.
     *
     * @return the failures found by this call, by index
     */
    public List<SketchStoreException> verifyEach() throws IOException {
        List<SketchStoreException> found = new ArrayList<>();
        for (int i : indices()) {
            try {
                readSketchFile(dir.resolve(sketchFileName(i)), i, null, true);
            } catch (SketchStoreException e) {
                indices.remove(i);
                branches.remove(i);
                damaged.put(i, e);
                found.add(e);
            }
        }
        return found;
    }

    private static SketchStore readHeaderFile(Path dir, StoreLock lock, boolean ownsLock) throws IOException {
        SketchFormat.DecodedHeader decoded = SketchFormat.readHeader(dir.resolve(HEADER_FILE));
        return new SketchStore(dir, decoded.header(), decoded.theta0(), lock, ownsLock);
    }

    /**
     * Checks a sketch file. {@code out == null && readCoefficients}: verify the coefficient
     * checksum only; {@code !readCoefficients}: the fixed header and the length only.
     */
    private void readSketchFile(Path file, int index, double[] out, boolean readCoefficients) throws IOException {
        BranchSwitch branch = SketchFormat.readSketch(file, index, header, runDigest, out, readCoefficients);
        if (branch.recorded()) branches.put(index, branch);
    }

    // ------------------------------------------------------------------------------------------
    // Small helpers

    private static void checkIndex(int index) {
        if (index < 0) throw new IllegalArgumentException("sketch index must be >= 0, got " + index);
    }

}
