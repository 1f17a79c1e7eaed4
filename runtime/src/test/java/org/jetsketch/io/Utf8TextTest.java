package org.jetsketch.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8TextTest {

    /** Carries the bad byte out of the decoder, so the test can look at it. */
    private static final class Bad extends RuntimeException {
        final Utf8Text.BadByte at;

        Bad(Utf8Text.BadByte at) {
            super(at.toString());
            this.at = at;
        }
    }

    @Test
    void validTextIsReturnedWhole() {
        String text = "name,x\nZoë,1.5\n東京,2\n";
        assertEquals(text, Utf8Text.decode(text.getBytes(StandardCharsets.UTF_8), Bad::new));
    }

    @Test
    void theFirstBadByteIsNamedWithItsLine() {
        byte[] good = "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[good.length + 4];
        System.arraycopy(good, 0, bytes, 0, good.length);
        bytes[good.length] = '3';
        bytes[good.length + 1] = (byte) 0xFF; // never valid in UTF-8
        bytes[good.length + 2] = ',';
        bytes[good.length + 3] = '4';
        Bad bad = assertThrows(Bad.class, () -> Utf8Text.decode(bytes, Bad::new));
        assertEquals(new Utf8Text.BadByte(3, good.length + 1, 0xFF), bad.at);
    }

    @Test
    void aSequenceCutOffAtTheEndIsRefused() {
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8); // three bytes
        byte[] bytes = {'x', '\n', euro[0], euro[1]};
        Bad bad = assertThrows(Bad.class, () -> Utf8Text.decode(bytes, Bad::new));
        assertEquals(2, bad.at.line());
        assertEquals(2, bad.at.offset());
    }
}
