package org.jetsketch.sketch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GroupsTest {

    @Test
    void groupsByKeyAreNamedByTheKeyInAscendingOrder() {
        List<String> names = List.of("max", "ava", "mia", "zoe", "amy");
        Groups g = Groups.byKey(names, s -> s.substring(0, 1));
        assertEquals(3, g.count());
        assertEquals(List.of("a", "m", "z"), g.names());
        assertArrayEquals(new int[] {1, 4}, g.members(0));
        assertArrayEquals(new int[] {0, 2}, g.members(g.indexOf("m")));
        assertEquals(2, g.groupOf(3));
        assertArrayEquals(new int[] {0, 1, 2, 4}, g.examplesOf(new int[] {1, 0}));
        assertArrayEquals(new int[] {0, 2}, g.groupsOf(new int[] {3, 4, 1}));
        assertArrayEquals(new double[] {2, 1, 2, 3, 1}, g.exampleWeights(new double[] {1, 2, 3}));
    }

    @Test
    void aSetThatCutsAGroupIsRefusedNamingTheGroup() {
        Groups g = Groups.byKey(List.of("max", "ava", "mia", "amy"), s -> s.substring(0, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.groupsOf(new int[] {1, 0}));
        assertTrue(e.getMessage().contains("cuts group 'a'") && e.getMessage().contains("example 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> g.groupsOf(new int[] {1, 1}));
        assertThrows(IllegalArgumentException.class, () -> g.groupsOf(new int[] {4}));
        assertThrows(IllegalArgumentException.class, () -> g.indexOf("q"));
    }

    @Test
    void badGroupingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Groups.of(new int[] {0, 2}, List.of("a", "b", "c")));
        assertThrows(IllegalArgumentException.class, () -> Groups.of(new int[] {0, 1}, List.of("a", "a")));
        assertThrows(IllegalArgumentException.class, () -> Groups.of(new int[] {0, -1}));
        assertThrows(IllegalArgumentException.class, () -> Groups.of(new int[] {0, 1}, List.of("a", "")));
        assertThrows(IllegalArgumentException.class, () -> Groups.byKey(List.of("x", ""), s -> s));
    }

    @Test
    void singletonsExpandToThePerExampleDirectionBitForBit() {
        int n = 9;
        Groups g = Groups.singletons(n);
        assertTrue(g.isSingletons());
        double[] psi = Directions.direction(3L, 4, n);
        double[] re = new double[n], im = new double[n];
        g.expand(psi, re, im, 0);
        for (int i = 0; i < n; i++) {
            assertEquals(Double.doubleToRawLongBits(psi[2 * i]), Double.doubleToRawLongBits(re[i]));
            assertEquals(Double.doubleToRawLongBits(psi[2 * i + 1]), Double.doubleToRawLongBits(im[i]));
        }
    }

    @Test
    void theDigestSeesTheMappingAndTheNames() {
        Groups a = Groups.of(new int[] {0, 1, 1}, List.of("x", "y"));
        assertEquals(a, Groups.of(new int[] {0, 1, 1}, List.of("x", "y")));
        assertEquals(a.digestHex(), Groups.of(new int[] {0, 1, 1}, List.of("x", "y")).digestHex());
        assertNotEquals(a.digestHex(), Groups.of(new int[] {0, 0, 1}, List.of("x", "y")).digestHex());
        assertNotEquals(a.digestHex(), Groups.of(new int[] {0, 1, 1}, List.of("x", "z")).digestHex());
        assertEquals(64, a.digestHex().length());
    }
}
