package org.jetsketch.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The one way jetsketch writes a file: the whole content goes to a new temporary file
 * {@code .<name>.<16 hex digits>.tmp} in the target's own directory (so the rename stays on one
 * file system), is forced to disk and closed, and is then renamed over the target with
 * {@link StandardCopyOption#ATOMIC_MOVE} ({@code rename(2)}); finally the directory is forced so
 * that the rename itself survives a power loss. At every instant the target's name refers to
 * nothing, to the previous complete file, or to the new complete file: a crash, a full disk or an
 * exception in the body can only leave a stray temporary file (deleted on failure where possible),
 * never a partial or destroyed target.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Names of the temporary files this class creates (for cleaning up after a crash). */
    public static final Pattern TEMP_NAME = Pattern.compile("\\..+\\.[0-9a-f]{1,16}\\.tmp");

    /**
     * The temporary name of the protocol for a file {@code name} and a writer's {@code tag}:
     * {@code .<name>.<hex tag>.tmp}, which {@link #TEMP_NAME} matches. The local writer draws the
     * tag at random; Spark's writers use their task attempt's id (module spark), so both leave
     * names every reader ignores and every cleanup removes.
     */
    public static String temporaryName(String name, long tag) {
        return "." + name + "." + Long.toHexString(tag) + ".tmp";
    }

    /** Writes a file's content to a channel positioned at 0. */
    @FunctionalInterface
    public interface ChannelBody {
        void write(FileChannel channel) throws IOException;
    }

    /** Writes a file's content to a stream. */
    @FunctionalInterface
    public interface StreamBody {
        void write(OutputStream out) throws IOException;
    }

    /** Replaces {@code target} atomically with what {@code body} writes to the channel. */
    public static void write(Path target, ChannelBody body) throws IOException {
        Objects.requireNonNull(body, "body");
        Path dir = parentOf(target);
        String name = target.getFileName().toString();
        Path tmp;
        FileChannel ch;
        while (true) {
            tmp = dir.resolve(temporaryName(name, ThreadLocalRandom.current().nextLong()));
            try {
                ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                break;
            } catch (FileAlreadyExistsException e) {
                // another writer drew the same name; draw again
            }
        }
        boolean moved = false;
        boolean existed = Files.exists(target);
        try {
            try (FileChannel c = ch) {
                body.write(c);
                c.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } catch (IOException e) {
            // a full disk surfaces here as a bare "No space left on device": say which file and what is intact
            throw new IOException("cannot write " + target + ": " + reason(e) + "; "
                    + (existed ? "its previous content is intact" : "it was not created") + " (only a temporary file"
                    + " was written, and it is removed)", e);
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

    /** Replaces {@code target} atomically with what {@code body} writes to the stream (buffered). */
    public static void writeStream(Path target, StreamBody body) throws IOException {
        Objects.requireNonNull(body, "body");
        write(target, ch -> {
            OutputStream raw = Channels.newOutputStream(ch);
            OutputStream out = new java.io.BufferedOutputStream(raw, 1 << 16);
            body.write(out);
            out.flush();
        });
    }

    /** Replaces {@code target} atomically with {@code bytes}. */
    public static void writeBytes(Path target, byte[] bytes) throws IOException {
        Objects.requireNonNull(bytes, "bytes");
        write(target, ch -> writeFully(ch, ByteBuffer.wrap(bytes)));
    }

    /** Replaces {@code target} atomically with {@code text} in UTF-8. */
    public static void writeString(Path target, CharSequence text) throws IOException {
        writeBytes(target, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Writes all of {@code b} (from its position to its limit). */
    public static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) ch.write(b);
    }

    /**
     * Checks before any work that files can be written into {@code dir}: creates it (and its
     * parents) if needed and creates and deletes a temporary file there.
     *
     * @return null if fine, else a one-line description of the problem (a file where a directory
     *     is expected, a read-only location, ...)
     */
    public static String checkWritableDirectory(Path dir) {
        Objects.requireNonNull(dir, "dir");
        Path d = dir.toAbsolutePath();
        for (Path p = d; p != null; p = p.getParent()) {
            if (Files.exists(p) && !Files.isDirectory(p)) {
                return p.equals(d) ? "is a file, not a directory" : p + " is a file, not a directory";
            }
            if (Files.isDirectory(p)) break;
        }
        try {
            Files.createDirectories(d);
        } catch (IOException e) {
            return "cannot create the directory (" + reason(e) + ")";
        }
        Path probe = d.resolve(temporaryName("jetsketch-write-test", ThreadLocalRandom.current().nextLong()));
        try {
            Files.newByteChannel(probe, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        } catch (IOException e) {
            return "cannot write there (" + reason(e) + ")";
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException ignored) {
                // could not clean up the probe; it matches TEMP_NAME and is removed like any stray temporary file
            }
        }
        return null;
    }

    /**
     * Why an I/O operation failed, in words and without a Java class name: "no such file or
     * directory", "permission denied", "it is a directory", "not UTF-8 text", the operating
     * system's reason ("No space left on device"), else the exception's message.
     */
    public static String reason(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) return "no such file or directory";
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (e instanceof java.nio.file.NotDirectoryException) return "a part of the path is not a directory";
        if (e instanceof java.nio.file.FileAlreadyExistsException) return "a file of that name is in the way";
        if (e instanceof java.nio.file.DirectoryNotEmptyException) return "the directory is not empty";
        if (e instanceof java.nio.charset.CharacterCodingException) return "not UTF-8 text";
        if (e instanceof java.nio.file.FileSystemException fse) {
            String r = fse.getReason();
            if (r == null) return "the file system refused the operation";
            return r.equals("Is a directory") ? "it is a directory" : r;
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? "input/output error" : m.equals("Is a directory") ? "it is a directory" : m;
    }

    private static Path parentOf(Path target) {
        Objects.requireNonNull(target, "target");
        Path abs = target.toAbsolutePath();
        Path parent = abs.getParent();
        if (parent == null || target.getFileName() == null) {
            throw new IllegalArgumentException("not a file path: " + target);
        }
        return parent;
    }

    /** Makes a rename durable where the platform allows opening a directory (Linux does). */
    public static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort: atomicity does not depend on it, only durability of the rename
        }
    }
}
