package org.jetsketch.sketch;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exclusive right to write to a sketch store: a lock ({@link FileChannel#tryLock()}) on the
 * file {@value #LOCK_FILE} in the store's directory. One writer at a time; readers never lock.
 * The lock file itself is left in place (deleting it would let two writers lock two different
 * files); the operating system releases the lock when the process ends, however it ends.
 */
public final class StoreLock implements AutoCloseable {

    /** The lock file's name in the store directory. */
    public static final String LOCK_FILE = "writer.lock";

    /**
     * The directories this process holds locks on. Checked before opening the lock file: on POSIX,
     * closing any channel to a file releases every lock the process holds on it, so a second
     * attempt in the same process must not even open the file.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path dir;
    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;

    private StoreLock(Path dir, Path key, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates {@code dir} if needed and takes its writer lock without waiting.
     *
     * @throws SketchStoreException if another process (or another writer in this process) holds it
     */
    public static StoreLock acquire(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path key = dir.toRealPath();
        if (!HELD.add(key)) {
            throw new SketchStoreException(dir, SketchStore.SECTION_DIRECTORY, "is being written by another writer"
                    + " in this process (it holds " + LOCK_FILE + "); one writer at a time");
        }
        FileChannel ch = null;
        try {
            ch = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new SketchStoreException(dir, SketchStore.SECTION_DIRECTORY, "is being written by another process"
                        + " (it holds " + LOCK_FILE + "); wait for it to finish or stop it, then run again");
            }
            return new StoreLock(dir, key, ch, lock);
        } catch (IOException | RuntimeException | Error e) {
            if (ch != null) ch.close();
            HELD.remove(key);
            throw e;
        }
    }

    /** The locked directory. */
    public Path directory() { return dir; }

    /** True until {@link #close()}. */
    public boolean held() {
        return lock.isValid();
    }

    @Override
    public synchronized void close() throws IOException {
        if (!channel.isOpen()) return;
        try {
            if (lock.isValid()) lock.release();
        } finally {
            channel.close();
            HELD.remove(key);
        }
    }
}
