package org.jetsketch.io;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * Strict UTF-8 decoding of a whole file's bytes. Decoded whole, not through a reader: a reader
 * decodes ahead in blocks, so the line of a bad byte would be lost; here the first malformed or
 * unmappable byte is reported with its line (1-based), offset and value, and nothing is returned.
 */
public final class Utf8Text {
    private Utf8Text() {}

    /** The first byte that is not UTF-8: its line (1-based), its offset in the file and its value (0–255). */
    public record BadByte(int line, int offset, int value) {}

    /**
     * The text of {@code bytes}, or the exception {@code onBadByte} makes of the first bad byte,
     * thrown.
     */
    public static String decode(byte[] bytes, Function<BadByte, ? extends RuntimeException> onBadByte) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) result = decoder.flush(out);
        if (result.isError()) {
            int offset = in.position();
            int line = 1;
            for (int k = 0; k < offset; k++) if (bytes[k] == '\n') line++;
            throw onBadByte.apply(new BadByte(line, offset, bytes[offset] & 0xFF));
        }
        return out.flip().toString();
    }
}
