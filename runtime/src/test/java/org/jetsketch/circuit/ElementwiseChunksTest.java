package org.jetsketch.circuit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The helpers of chunked elementwise loops: chunk ends, buffer lengths, coverage, the finiteness test. */
class ElementwiseChunksTest {

    @Test
    void chunksTileTheRangeAndNeverOverflow() {
        int[][] ranges = {{0, 1000}, {3, 259}, {0, 256}, {0, 1}, {-5, 600},
            {Integer.MAX_VALUE - 300, Integer.MAX_VALUE}, {Integer.MIN_VALUE, Integer.MIN_VALUE + 700}};
        for (int[] r : ranges) {
            long covered = 0;
            int chunks = 0;
            for (int from = r[0], until; from < r[1]; from = until) {
                until = ElementwiseChunks.until(from, r[1]);
                assertTrue(until > from);
                assertTrue(until <= r[1]);
                assertTrue(until - from <= ElementwiseChunks.SIZE);
                covered += until - from;
                chunks++;
            }
            assertEquals((long) r[1] - r[0], covered);
            assertEquals((int) ((covered + ElementwiseChunks.SIZE - 1) / ElementwiseChunks.SIZE), chunks);
        }
        // a range longer than Integer.MAX_VALUE: the first chunk is a full one
        assertEquals(Integer.MIN_VALUE + ElementwiseChunks.SIZE, ElementwiseChunks.until(Integer.MIN_VALUE, Integer.MAX_VALUE));
    }

    @Test
    void chunkBuffersAreKeptPerSlotAndHoldAChunk() {
        Workspace ws = new RealWorkspace(0) {
            @Override
            public void loadParameters(double[] theta) { }

            @Override
            public void addGradient(double[] grad) { }
        };
        double[] b0 = ws.chunkBuffer(0);
        double[] b2 = ws.chunkBuffer(2);
        assertEquals(ElementwiseChunks.SIZE, b0.length);
        assertEquals(ElementwiseChunks.SIZE, b2.length);
        assertTrue(b0 != b2 && ws.chunkBuffer(1) != b0 && ws.chunkBuffer(1) != b2);
        b0[5] = 3.0;
        ws.begin();
        assertTrue(ws.chunkBuffer(0) == b0, "the same buffer after begin()");
        assertTrue(ws.chunkBuffer(2) == b2);
        assertThrows(IllegalArgumentException.class, () -> ws.chunkBuffer(-1));
    }

    @Test
    void coversOnlyExistingElements() {
        double[] a = new double[10];
        assertTrue(ElementwiseChunks.covers(a, 0, 10));
        assertTrue(ElementwiseChunks.covers(a, 3, 7));
        assertFalse(ElementwiseChunks.covers(a, 3, 11));
        assertFalse(ElementwiseChunks.covers(a, -1, 5));
        assertFalse(ElementwiseChunks.covers((double[]) null, 0, 0));
        assertTrue(ElementwiseChunks.covers(new int[4], 0, 4));
        assertFalse(ElementwiseChunks.covers(new int[4], 0, 5));
        assertFalse(ElementwiseChunks.covers((int[]) null, 0, 1));
    }

    @Test
    void allFiniteFindsEveryNonFiniteValueInTheSliceOnly() {
        double[] a = {0.0, -0.0, Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, 1.5, 0, 0};
        assertTrue(ElementwiseChunks.allFinite(a, 0, a.length));
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            for (int at = 0; at < a.length; at++) {
                double[] b = a.clone();
                b[at] = bad;
                assertFalse(ElementwiseChunks.allFinite(b, 0, b.length));
                assertTrue(ElementwiseChunks.allFinite(b, 0, at));
                assertTrue(ElementwiseChunks.allFinite(b, at + 1, b.length));
            }
        }
    }
}
