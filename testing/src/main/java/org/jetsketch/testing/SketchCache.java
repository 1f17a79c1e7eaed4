package org.jetsketch.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.jetsketch.io.AtomicFiles;
import org.jetsketch.sketch.SketchStore;

/**
 * Sketch stores kept across test runs, one directory per {@link SketchKey}: a second
 * {@code mvn test} reuses them, and a changed circuit, data set, schedule, initial point, seed,
 * degree or number of directions gets a new key and is sketched afresh.
 *
 * <p><b>Concurrency.</b> One computation per key, whether the contenders are threads of one JVM
 * (parallel test classes) or several JVMs (forked Surefire runs): a lock per key inside the JVM,
 * then an exclusive {@link FileLock} on {@code <key>.lock} across processes. The sketches are
 * made in a private temporary directory and renamed to {@code <key>} atomically, so a directory
 * under its final name is always complete; a damaged one is moved aside and made again.
 */
public final class SketchCache {

    /** The system property (or JUnit configuration parameter) naming the cache directory. */
    public static final String DIRECTORY_PROPERTY = "jetsketch.cache.directory";

    /** The file, inside each store directory, that holds the key text. */
    static final String KEY_FILE = "key.txt";

    private static final ConcurrentHashMap<String, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();
    private static volatile SketchCache temporary;

    private final Path root;
    private final AtomicLong reused = new AtomicLong();
    private final AtomicLong computed = new AtomicLong();

    private SketchCache(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** A cache rooted at {@code root} (created when first needed). */
    public static SketchCache at(Path root) {
        return new SketchCache(root);
    }

    /**
     * The build's cache: the directory named by the system property {@value #DIRECTORY_PROPERTY},
     * else {@code target/jetsketch-cache} under the working directory (Surefire runs tests in the
     * module's directory).
     */
    public static SketchCache inBuildDirectory() {
        String configured = System.getProperty(DIRECTORY_PROPERTY);
        return at(configured != null && !configured.isBlank() ? Paths.get(configured)
                : Paths.get(System.getProperty("user.dir"), "target", "jetsketch-cache"));
    }

    /** A JVM-wide cache in a temporary directory deleted when the JVM exits. */
    static SketchCache temporary() {
        SketchCache t = temporary;
        if (t == null) {
            synchronized (SketchCache.class) {
                t = temporary;
                if (t == null) {
                    Path dir = Deletions.createTemporaryDirectory("jetsketch-sketches-");
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                        try {
                            deleteRecursively(dir);
                        } catch (UncheckedIOException e) {
                            // best effort at exit: a temporary directory left behind is harmless
                        }
                    }));
                    temporary = t = new SketchCache(dir);
                }
            }
        }
        return t;
    }

    public Path root() { return root; }

    /** How many times {@link #obtain} found the sketches already made. */
    public long reused() { return reused.get(); }

    /** How many times {@link #obtain} had to make them. */
    public long computed() { return computed.get(); }

    /** Makes the sketches of a key into an empty directory. */
    @FunctionalInterface
    interface StoreMaker {
        SketchStore make(Path directory) throws IOException;
    }

    /** The store of {@code key}: the cached one if complete, else made by {@code maker} (once, under lock). */
    SketchStore obtain(SketchKey key, StoreMaker maker) throws IOException {
        Files.createDirectories(root);
        Path dir = root.resolve(key.name());
        ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(dir.toString(), k -> new ReentrantLock());
        jvmLock.lock();
        try (FileChannel channel = FileChannel.open(root.resolve(key.name() + ".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            if (Files.isDirectory(dir)) {
                try {
                    SketchStore store = open(dir, key);
                    reused.incrementAndGet();
                    return store;
                } catch (IOException | RuntimeException damaged) {
                    // Incomplete, corrupt or from another key (a hash collision): make it again.
                    Path aside = root.resolve("." + key.name() + "." + randomHex() + ".damaged");
                    Files.move(dir, aside, StandardCopyOption.ATOMIC_MOVE);
                    deleteRecursively(aside);
                }
            }
            deleteStaleTemporaries(key);
            Path tmp = root.resolve("." + key.name() + "." + randomHex() + ".tmp");
            Files.createDirectory(tmp);
            try {
                AtomicFiles.writeString(tmp.resolve(KEY_FILE), key.text());
                SketchStore made = maker.make(tmp);
                if (made.count() < key.directions()) {
                    throw new IOException("sketching stored " + made.count() + " sketches, expected " + key.directions());
                }
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | RuntimeException | Error e) {
                deleteRecursively(tmp);
                throw e;
            }
            forceDirectory(root);
            computed.incrementAndGet();
            return open(dir, key);
        } finally {
            jvmLock.unlock();
        }
    }

    /** Opens a finished directory, checking that it is this key's and holds sketches 0..m-1 of degree k. */
    private static SketchStore open(Path dir, SketchKey key) throws IOException {
        String stored = Files.readString(dir.resolve(KEY_FILE), StandardCharsets.UTF_8);
        if (!stored.equals(key.text())) {
            throw new IOException(dir + " holds the sketches of another key:\n" + stored);
        }
        SketchStore store = SketchStore.open(dir);
        if (store.header().degree() != key.degree()) {
            throw new IOException(dir + " holds sketches of degree " + store.header().degree() + ", expected " + key.degree());
        }
        for (int j = 0; j < key.directions(); j++) {
            if (!store.contains(j)) throw new IOException(dir + " lacks sketch " + j);
        }
        return store;
    }

    private void deleteStaleTemporaries(SketchKey key) throws IOException {
        String prefix = "." + key.name() + ".";
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.startsWith(prefix) && (n.endsWith(".tmp") || n.endsWith(".damaged"))) deleteRecursively(p);
            }
        }
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort: not every platform lets a directory be opened and forced
        }
    }

    private static String randomHex() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong());
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("deleting " + dir, e);
        }
    }

    @Override
    public String toString() {
        return "SketchCache[" + root + ", reused " + reused + ", computed " + computed + "]";
    }
}
