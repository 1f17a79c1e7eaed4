package org.jetsketch.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void aWriteThatFailsHalfwayLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path target = dir.resolve("params.json");
        AtomicFiles.writeString(target, "[1, 2, 3]");
        IOException full = assertThrows(IOException.class, () -> AtomicFiles.write(target, ch -> {
            ch.write(ByteBuffer.wrap("[9, 9".getBytes(StandardCharsets.UTF_8)));
            throw new IOException("No space left on device");
        }));
        // the message names the file and says what is intact (a bare "No space left on device" said neither)
        assertEquals("cannot write " + target + ": No space left on device; its previous content is intact (only a"
                + " temporary file was written, and it is removed)", full.getMessage());
        Path fresh = dir.resolve("new.csv");
        IOException none = assertThrows(IOException.class, () -> AtomicFiles.write(fresh, ch -> {
            throw new IOException("No space left on device");
        }));
        assertTrue(none.getMessage().startsWith("cannot write " + fresh + ": No space left on device; it was not"
                + " created"), none.getMessage());
        assertFalse(Files.exists(fresh));
        assertEquals("[1, 2, 3]", Files.readString(target));
        assertEquals(List.of("params.json"), names());
        // a stream body that throws a runtime exception: same
        assertThrows(IllegalStateException.class, () -> AtomicFiles.writeStream(target, out -> {
            out.write(new byte[100_000]);
            throw new IllegalStateException("renderer failed");
        }));
        assertEquals("[1, 2, 3]", Files.readString(target));
        assertEquals(List.of("params.json"), names());
    }

    @Test
    void aSuccessfulWriteReplacesTheFileWhole() throws IOException {
        Path target = dir.resolve("a.csv");
        AtomicFiles.writeString(target, "old");
        byte[] big = new byte[300_000];
        for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31);
        AtomicFiles.writeBytes(target, big);
        assertArrayEquals(big, Files.readAllBytes(target));
        AtomicFiles.writeStream(target, out -> out.write(new byte[] {1, 2}));
        assertArrayEquals(new byte[] {1, 2}, Files.readAllBytes(target));
        assertEquals(List.of("a.csv"), names());
    }

    @Test
    void writableDirectoryCheckNamesTheProblem() throws IOException {
        assertNull(AtomicFiles.checkWritableDirectory(dir.resolve("new/deeper")));
        assertTrue(Files.isDirectory(dir.resolve("new/deeper")));
        Path file = dir.resolve("file.txt");
        Files.writeString(file, "x");
        assertEquals("is a file, not a directory", AtomicFiles.checkWritableDirectory(file));
        String under = AtomicFiles.checkWritableDirectory(file.resolve("sub"));
        assertNotNull(under);
        assertTrue(under.contains("file.txt is a file, not a directory"), under);
        assertEquals(List.of("file.txt", "new"), names(), "the probe file is gone");
    }

    @Test
    void reasonsAreWordsWithoutJavaClassNames() throws IOException {
        assertEquals("no such file or directory", AtomicFiles.reason(new java.nio.file.NoSuchFileException("/proc/foo")));
        assertEquals("permission denied", AtomicFiles.reason(new java.nio.file.AccessDeniedException("/x")));
        assertEquals("it is a directory", AtomicFiles.reason(new IOException("Is a directory")));
        assertEquals("not UTF-8 text", AtomicFiles.reason(new java.nio.charset.MalformedInputException(1)));
        assertEquals("No space left on device", AtomicFiles.reason(new IOException("No space left on device")));
        assertEquals("input/output error", AtomicFiles.reason(new IOException()));
        // a directory that cannot be made, e.g. under /proc: the reason, not "NoSuchFileException: /proc/foo"
        String problem = AtomicFiles.checkWritableDirectory(Path.of("/proc/jetsketch-no-such-thing/deeper"));
        if (Files.isDirectory(Path.of("/proc"))) {
            assertNotNull(problem);
            assertTrue(problem.startsWith("cannot create the directory ("), problem);
            assertFalse(problem.contains("Exception"), problem);
        }
    }
}
