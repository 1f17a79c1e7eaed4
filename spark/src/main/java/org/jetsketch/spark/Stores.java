package org.jetsketch.spark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.jetsketch.io.AtomicFiles;
import org.jetsketch.sketch.SketchFormat;
import org.jetsketch.sketch.SketchStore;
import org.jetsketch.sketch.SketchStoreException;
import org.jetsketch.sketch.StoreHeader;
import org.jetsketch.sketch.StoreLock;

/**
 * The driver's part of a store, all done before any task runs: the location is writable, the
 * header is this run's (written, or checked when resuming), and the sketches already there are
 * verified, so that the damaged ones are computed again. On the local file system this is the
 * runtime's own {@link SketchStore#create} under the store's writer lock, exactly what the local
 * {@link org.jetsketch.sketch.Sketcher} does.
 */
final class Stores {
    private Stores() {}

    /** What the driver found: the intact sketches, the damaged ones and the run digest; holds the lock. */
    record Prepared(StoreLock lock, TreeSet<Integer> stored, SortedMap<Integer, String> damaged, long runDigest)
            implements AutoCloseable {
        @Override
        public void close() throws IOException {
            if (lock != null) lock.close();
        }
    }

    static Prepared prepare(StoreFiles files, StoreHeader header, Supplier<double[]> theta0) throws IOException {
        java.nio.file.Path local = files.localDirectory();
        return local != null ? prepareLocal(files, local, header, theta0) : prepareRemote(files, header, theta0);
    }

    private static Prepared prepareLocal(StoreFiles files, java.nio.file.Path local, StoreHeader header,
            Supplier<double[]> theta0) throws IOException {
        StoreLock lock;
        try {
            lock = StoreLock.acquire(local);
        } catch (SketchStoreException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw unwritable(files, e);
        }
        try {
            SketchStore.checkCompatible(local, header);
            SketchStore store = SketchStore.create(local, header, theta0.get(), lock);
            store.verifyEach();
            TreeSet<Integer> stored = new TreeSet<>();
            for (int j : store.indices()) stored.add(j);
            SortedMap<Integer, String> damaged = new TreeMap<>();
            store.damaged().forEach((j, e) -> damaged.put(j, e.getMessage()));
            return new Prepared(lock, stored, damaged, store.runDigest());
        } catch (IOException | RuntimeException | Error e) {
            try {
                lock.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static Prepared prepareRemote(StoreFiles files, StoreHeader header, Supplier<double[]> theta0)
            throws IOException {
        requireWritable(files);
        files.deleteTemporaryFiles();
        TreeSet<Integer> present = files.sketchFiles();
        if (files.exists(SketchStore.HEADER_FILE)) {
            StoreHeader there = readHeader(files).header();
            if (!there.equals(header) && !present.isEmpty()) {
                throw new IOException(files.file(SketchStore.HEADER_FILE) + ": an existing store of a different run"
                        + " (with " + present.size() + " sketch files) has the header " + there + "; this run's is "
                        + header);
            }
        } else if (!present.isEmpty()) {
            throw new IOException(files + " holds sketch files but no " + SketchStore.HEADER_FILE
                    + "; refusing to mix runs");
        }
        double[] t0 = theta0.get();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SketchFormat.writeHeader(header, t0, bytes);
        byte[] headerBytes = bytes.toByteArray();
        if (!files.exists(SketchStore.HEADER_FILE)
                || !Arrays.equals(files.readFully(files.file(SketchStore.HEADER_FILE)), headerBytes)) {
            if (!present.isEmpty()) {
                throw new IOException(files.file(SketchStore.HEADER_FILE) + ": an existing store of the same run"
                        + " settings has a different theta0 (trained by different code?)");
            }
            files.writeAtomically(SketchStore.HEADER_FILE, headerBytes, ThreadLocalRandom.current().nextLong());
        }
        if (!files.exists(StoreLock.LOCK_FILE)) {
            // the local store keeps its lock file; so does this one, so that both hold the same files
            files.writeAtomically(StoreLock.LOCK_FILE, new byte[0], ThreadLocalRandom.current().nextLong());
        }
        java.nio.file.Path copy = files.copyToLocal(present);
        try {
            SketchStore store = SketchStore.inspect(copy);
            store.verifyEach();
            TreeSet<Integer> stored = new TreeSet<>();
            for (int j : store.indices()) stored.add(j);
            SortedMap<Integer, String> damaged = new TreeMap<>();
            String prefix = copy.toString();
            store.damaged().forEach((j, e) -> damaged.put(j, e.getMessage().replace(prefix, files.toString())));
            return new Prepared(null, stored, damaged, store.runDigest());
        } finally {
            StoreFiles.deleteLocal(copy);
        }
    }

    /**
     * Creates the store directory and proves it writable with a temporary file of the protocol.
     *
     * @throws IOException naming the location if it cannot be written
     */
    static void requireWritable(StoreFiles files) throws IOException {
        Path probe = files.file(AtomicFiles.temporaryName(SketchStore.HEADER_FILE, ThreadLocalRandom.current().nextLong()));
        try {
            if (!files.fs.mkdirs(files.dir)) throw new IOException("cannot create the directory");
            try (FSDataOutputStream out = files.fs.create(probe, false)) {
                out.write(0);
            }
            files.fs.delete(probe, false);
        } catch (IOException | RuntimeException e) {
            throw unwritable(files, e);
        }
    }

    private static IOException unwritable(StoreFiles files, Exception e) {
        return new IOException("the sketch store " + files + " cannot be written (" + e
                + "); the driver and every executor must be able to write there", e);
    }

    /** A store's header and θ_0. */
    record Header(StoreHeader header, double[] theta0) {}

    /** Reads and verifies the store's header with the runtime's own reader. */
    static Header readHeader(StoreFiles files) throws IOException {
        java.nio.file.Path local = files.localDirectory();
        if (local != null) {
            SketchStore store = SketchStore.inspect(local);
            return new Header(store.header(), store.theta0());
        }
        if (!files.exists(SketchStore.HEADER_FILE)) {
            throw new IOException(files + ": no " + SketchStore.HEADER_FILE + " there; not a sketch store");
        }
        java.nio.file.Path copy = files.copyToLocal(java.util.List.of());
        try {
            SketchStore store = SketchStore.inspect(copy);
            return new Header(store.header(), store.theta0());
        } catch (SketchStoreException e) {
            throw new IOException(files.file(SketchStore.HEADER_FILE) + ", section '" + e.section() + "': "
                    + e.problem(), e);
        } finally {
            StoreFiles.deleteLocal(copy);
        }
    }
}
