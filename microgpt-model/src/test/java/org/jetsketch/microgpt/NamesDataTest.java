package org.jetsketch.microgpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NamesDataTest {

    @TempDir
    Path dir;

    @Test
    void bundledResourceHasAllNames() {
        NamesData data = NamesData.bundled();
        // 32,033 lines: `wc -l` reports 32,032 because the last line has no newline.
        assertEquals(32_033, data.size());
        assertEquals("emma", data.names().get(0));
        assertEquals("zzyzx", data.names().get(data.size() - 1));
        assertEquals(27, data.vocabulary().size());
        for (String name : data.names()) {
            assertTrue(name.matches("[a-z]+"), name);
        }
    }

    @Test
    void shuffleIsSeededAndAPermutation() {
        NamesData data = NamesData.bundled();
        List<String> expected = new ArrayList<>(data.names());
        Collections.shuffle(expected, new Random(42));
        assertEquals(expected, data.shuffled().names());
        assertEquals(expected, data.shuffled(42).names());
        assertEquals(expected.subList(0, 1000), data.shuffled().first(NamesData.DEFAULT_NUM_STEPS));
        assertNotEquals(data.shuffled(43).names(), data.shuffled(42).names());
        List<String> sorted = new ArrayList<>(data.shuffled(7).names());
        Collections.sort(sorted);
        List<String> original = new ArrayList<>(data.names());
        Collections.sort(original);
        assertEquals(original, sorted);
        assertThrows(IllegalArgumentException.class, () -> data.first(32_034));
        assertThrows(IllegalArgumentException.class, () -> data.first(-1));
    }

    @Test
    void fileLinesAreTrimmedAndBlankLinesSkipped() throws IOException {
        Path file = dir.resolve("names.txt");
        Files.writeString(file, "\uFEFFanna\n\n  bob \r\n\t\ncarl", StandardCharsets.UTF_8);
        NamesData data = NamesData.load(file);
        assertEquals(List.of("anna", "bob", "carl"), data.names());
        assertEquals("abclnor", data.vocabulary().characters());
    }

    @Test
    void controlCharactersInsideNamesAreRejectedNamingLineAndCharacter() throws IOException {
        Path file = dir.resolve("ctl.txt");
        Files.writeString(file, "anna\nbo\u0000b\n\tcarl\t\nda\tve\ne\u001b[31mve\n", StandardCharsets.UTF_8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NamesData.load(file));
        String m = e.getMessage();
        // leading and trailing tabs are white space and stripped (line 3 is fine); inside a name they are not
        assertTrue(m.contains("line 2: U+0000 (NULL)"), m);
        assertTrue(m.contains("line 4: U+0009"), m);
        assertTrue(m.contains("line 5: U+001B (ESCAPE)"), m);
        assertTrue(!m.contains("line 3"), m);
        assertTrue(m.chars().noneMatch(c -> c < 0x20 && c != '\n'), "no raw control character in: " + m);
        e = assertThrows(IllegalArgumentException.class, () -> NamesData.of("given", List.of("ok", "x\u200Ey")));
        assertTrue(e.getMessage().contains("line 2: U+200E"), e.getMessage());
    }

    @Test
    void emptyFileIsAnErrorNamingTheFile() throws IOException {
        Path empty = dir.resolve("empty.txt");
        Files.writeString(empty, "");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NamesData.load(empty));
        assertTrue(e.getMessage().contains(empty.toAbsolutePath().toString()), e.getMessage());

        Path blank = dir.resolve("blank.txt");
        Files.writeString(blank, "  \n\n\t\n");
        e = assertThrows(IllegalArgumentException.class, () -> NamesData.load(blank));
        assertTrue(e.getMessage().contains("blank.txt"), e.getMessage());
    }

    @Test
    void missingOrUnreadableFileIsAnErrorNamingTheFile() throws IOException {
        Path missing = dir.resolve("nope.txt");
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> NamesData.load(missing));
        assertTrue(e.getMessage().contains(missing.toAbsolutePath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());

        e = assertThrows(UncheckedIOException.class, () -> NamesData.load(dir));
        assertTrue(e.getMessage().contains(dir.toAbsolutePath().toString()), e.getMessage());

        Path latin1 = dir.resolve("latin1.txt");
        Files.write(latin1, new byte[] {'z', 'o', (byte) 0xEB, '\n'});
        e = assertThrows(UncheckedIOException.class, () -> NamesData.load(latin1));
        assertTrue(e.getMessage().contains("latin1.txt") && e.getMessage().contains("UTF-8"),
                e.getMessage());
    }

    @Test
    void namesGivenDirectly() {
        assertEquals(List.of("a", "b"), NamesData.of("test", List.of(" a", "", "b ")).names());
        assertThrows(IllegalArgumentException.class, () -> NamesData.of("test", List.of(" ")));
    }
}
