package org.jetsketch.microgpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class VocabularyTest {

    private static final Vocabulary NAMES = NamesData.bundled().vocabulary();

    @Test
    void namesVocabularyIsTheLettersPlusBos() {
        assertEquals(27, NAMES.size());
        assertEquals(26, NAMES.bos());
        assertEquals("abcdefghijklmnopqrstuvwxyz", NAMES.characters());
        assertEquals(0, NAMES.id('a'));
        assertEquals(25, NAMES.id('z'));
        assertEquals('m', NAMES.codePoint(12));
    }

    @Test
    void encodeWrapsInBos() {
        assertArrayEquals(new int[] {26, 12, 0, 23, 26}, NAMES.encode("max"));
        assertArrayEquals(new int[] {26, 26}, NAMES.encode(""));
        assertEquals("max", NAMES.decode(NAMES.encode("max")));
        Doc doc = NAMES.doc("ava");
        assertEquals("ava", doc.text());
        assertArrayEquals(new int[] {26, 0, 21, 0, 26}, doc.tokens());
    }

    @Test
    void vocabularyIsTheSortedCharacterSet() {
        Vocabulary v = Vocabulary.of(List.of("cab", "b", "", "ca"));
        assertEquals("abc", v.characters());
        assertEquals(4, v.size());
        assertEquals(3, v.bos());
        assertArrayEquals(new int[] {3, 2, 0, 1, 3}, v.encode("cab"));
        assertTrue(v.contains('a'));
        assertFalse(v.contains('d'));
    }

    @Test
    void outsideCharactersAreAllListedWithTheDocument() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NAMES.encode("Mary-Ann 2"));
        String msg = e.getMessage();
        assertTrue(msg.contains("\"Mary-Ann 2\""), msg);
        for (String c : List.of("'M'", "'A'", "'-'", "'2'", "U+0020")) {
            assertTrue(msg.contains(c), c + " missing in: " + msg);
        }
        assertFalse(msg.contains("'a'"), msg);
        // Each offending character once.
        assertEquals(msg.indexOf("'M'"), msg.lastIndexOf("'M'"), msg);
    }

    @Test
    void docsListEveryOffendingLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NAMES.docs(List.of("ann", "b0b", "eve", "zoë!")));
        String msg = e.getMessage();
        assertTrue(msg.startsWith("2 document(s)"), msg);
        assertTrue(msg.contains("line 2 \"b0b\": '0'"), msg);
        assertTrue(msg.contains("line 4 \"zoë!\""), msg);
        assertTrue(msg.contains("'ë'") && msg.contains("'!'"), msg);
        assertFalse(msg.contains("line 1") || msg.contains("line 3"), msg);
        assertEquals(2, NAMES.docs(List.of("ann", "bob")).size());
    }

    @Test
    void otherErrors() {
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.of(List.of("", "")));
        assertThrows(IllegalArgumentException.class, () -> NAMES.codePoint(26));
        assertThrows(IllegalArgumentException.class, () -> NAMES.id('A'));
        assertThrows(IllegalArgumentException.class, () -> new Doc("x", new int[] {26}));
    }
}
