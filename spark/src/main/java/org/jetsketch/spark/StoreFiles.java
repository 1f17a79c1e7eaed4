package org.jetsketch.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Collection;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.jetsketch.io.AtomicFiles;
import org.jetsketch.sketch.SketchStore;

/**
 * A sketch store reached through the Hadoop {@link FileSystem} API ({@code file://},
 * {@code hdfs://}, {@code s3a://}, ...), from the driver or from a task. Files are written with the
 * store's protocol (docs/sketch-format.md, "Atomicity"): the bytes go to a temporary file
 * {@code .<name>.<16 hex digits>.tmp} in the store directory, are synced, and the temporary file
 * is renamed over the final name. Reading and verifying is left to the runtime's own
 * {@link SketchStore}, which reads local files: on the local file system in place, elsewhere from
 * a local copy of the files concerned.
 */
final class StoreFiles {
    final FileSystem fs;
    final Path dir;
    /** Test switch: treat a local directory as a remote file system (the copying path). */
    final boolean remote;

    private StoreFiles(FileSystem fs, Path dir, boolean remote) {
        this.fs = fs;
        this.dir = dir;
        this.remote = remote;
    }

    /** The store at {@code location} (a URI, or a path of the default file system). */
    static StoreFiles at(String location, Configuration conf) throws IOException {
        return at(location, conf, false);
    }

    static StoreFiles at(String location, Configuration conf, boolean forceRemote) throws IOException {
        if (location == null || location.isBlank()) throw new IllegalArgumentException("the store location is empty");
        Path path = new Path(location);
        FileSystem fs = path.getFileSystem(conf);
        // The local file system's checksumming wrapper writes a .crc file beside every file; the
        // store keeps its own checksums and must hold exactly the files the runtime writes.
        if (fs instanceof LocalFileSystem local) fs = local.getRawFileSystem();
        return new StoreFiles(fs, fs.makeQualified(path), forceRemote || !(fs instanceof RawLocalFileSystem));
    }

    @Override
    public String toString() {
        return dir.toString();
    }

    Path file(String name) {
        return new Path(dir, name);
    }

    /** The store as a local directory, or null if it is on another file system. */
    java.nio.file.Path localDirectory() {
        return remote ? null : Paths.get(dir.toUri());
    }

    /**
     * Writes {@code name} atomically under the temporary name of {@code tag} (unique per writer).
     * If the rename is refused because another attempt already stored the file (HDFS does not
     * replace on rename), a file with the same bytes is kept and a different one is replaced.
     * Nothing is left under the temporary name, whatever happens, unless the process dies.
     */
    void writeAtomically(String name, byte[] bytes, long tag) throws IOException {
        Path target = file(name);
        Path tmp = file(AtomicFiles.temporaryName(name, tag));
        try {
            try (FSDataOutputStream out = fs.create(tmp, false)) {
                out.write(bytes);
                out.hsync();
            }
            if (fs.rename(tmp, target)) return;
            if (fs.exists(target) && Arrays.equals(readFully(target), bytes)) return;
            fs.delete(target, false);
            if (!fs.rename(tmp, target)) throw new IOException("cannot rename " + tmp + " to " + target);
        } finally {
            deleteQuietly(tmp);
        }
    }

    private void deleteQuietly(Path p) {
        try {
            fs.delete(p, false);
        } catch (IOException ignored) {
            // a leftover temporary file is harmless: every reader ignores it and the next run deletes it
        }
    }

    byte[] readFully(Path p) throws IOException {
        long length = fs.getFileStatus(p).getLen();
        if (length > Integer.MAX_VALUE - 8) throw new IOException(p + " is too large (" + length + " bytes)");
        byte[] bytes = new byte[(int) length];
        try (FSDataInputStream in = fs.open(p)) {
            in.readFully(0, bytes);
        }
        return bytes;
    }

    boolean exists(String name) throws IOException {
        return fs.exists(file(name));
    }

    /** Deletes every temporary file of the protocol in the store (as the runtime does when it creates a store). */
    int deleteTemporaryFiles() throws IOException {
        int deleted = 0;
        if (!fs.exists(dir)) return 0;
        for (FileStatus st : fs.listStatus(dir)) {
            if (AtomicFiles.TEMP_NAME.matcher(st.getPath().getName()).matches() && fs.delete(st.getPath(), false)) {
                deleted++;
            }
        }
        return deleted;
    }

    /** The indices of the sketch files in the store, by name only. */
    TreeSet<Integer> sketchFiles() throws IOException {
        TreeSet<Integer> found = new TreeSet<>();
        if (!fs.exists(dir)) return found;
        for (FileStatus st : fs.listStatus(dir)) {
            int index = SketchStore.sketchIndexOf(st.getPath().getName());
            if (index >= 0) found.add(index);
        }
        return found;
    }

    /**
     * A new local directory holding copies of {@code header.jss} and of the given sketches, for the
     * runtime's reader. The caller deletes it ({@link #deleteLocal}).
     */
    java.nio.file.Path copyToLocal(Collection<Integer> sketches) throws IOException {
        java.nio.file.Path local = Files.createTempDirectory("jetsketch-store");
        try {
            copy(SketchStore.HEADER_FILE, local);
            for (int j : sketches) copy(SketchStore.sketchFileName(j), local);
            return local;
        } catch (IOException | RuntimeException e) {
            deleteLocal(local);
            throw e;
        }
    }

    private void copy(String name, java.nio.file.Path local) throws IOException {
        org.jetsketch.io.AtomicFiles.writeBytes(local.resolve(name), readFully(file(name)));
    }

    static void deleteLocal(java.nio.file.Path local) {
        try (var s = Files.walk(local)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
