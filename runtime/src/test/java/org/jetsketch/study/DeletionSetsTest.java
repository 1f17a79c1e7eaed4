package org.jetsketch.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The deletion sets {@code validate} draws: names containing a letter, and seeded random sets. */
class DeletionSetsTest {

    @Test
    void containingALetterInTheOrderGivenSkippingAbsentOnes() {
        List<String> names = List.of("emma", "olivia", "ava", "zoe", "mia");
        List<DeletionValidation.LabeledSet> sets = DeletionValidation.containing(names, "vqaav");
        assertEquals(List.of("containing \"v\"", "containing \"a\""), sets.stream().map(DeletionValidation.LabeledSet::label).toList());
        assertArrayEquals(new int[] {1, 2}, sets.get(0).indices());
        assertArrayEquals(new int[] {0, 1, 2, 4}, sets.get(1).indices());
        assertEquals(List.of(), DeletionValidation.containing(names, ""));
    }

    @Test
    void randomSetsAreDistinctSortedInRangeAndSeeded() {
        List<DeletionValidation.LabeledSet> a = DeletionValidation.randomSets(50, 4, 10, 42);
        assertEquals(4, a.size());
        for (int q = 0; q < 4; q++) {
            int[] d = a.get(q).indices();
            assertEquals("random #" + (q + 1), a.get(q).label());
            assertEquals(10, d.length);
            for (int i = 0; i < d.length; i++) {
                assertTrue(d[i] >= 0 && d[i] < 50, "index " + d[i]);
                if (i > 0) assertTrue(d[i - 1] < d[i], "increasing and distinct");
            }
        }
        List<DeletionValidation.LabeledSet> again = DeletionValidation.randomSets(50, 4, 10, 42);
        for (int q = 0; q < 4; q++) assertArrayEquals(a.get(q).indices(), again.get(q).indices());
        assertFalse(java.util.Arrays.equals(a.get(0).indices(), DeletionValidation.randomSets(50, 1, 10, 43).get(0).indices()));
        // the whole set when the size is n
        assertArrayEquals(new int[] {0, 1, 2}, DeletionValidation.randomSets(3, 1, 3, 1).get(0).indices());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DeletionValidation.randomSets(3, 1, 4, 1));
        assertTrue(e.getMessage().contains("1..3"), e.getMessage());
        assertEquals(List.of(), DeletionValidation.randomSets(3, 0, 99, 1), "no sets: the size is not looked at");
    }
}
