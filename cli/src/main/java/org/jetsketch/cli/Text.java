package org.jetsketch.cli;

/** Text shown on the terminal: user-supplied strings never reach it with raw control characters. */
final class Text {
    private Text() {}

    /**
     * {@code s} with every control or format character except new lines (and every lone
     * surrogate) written as {@code \\u{XXXX}}, so that a NUL, a TAB or an ESC from a file or an
     * option cannot garble or drive the terminal.
     */
    static String printable(String s) {
        return escape(s, true);
    }

    /**
     * {@code s} with every control or format character escaped as {@link #printable} does, new
     * lines and carriage returns included: for a value the user typed or a file supplied, embedded
     * in a message, where a raw new line would forge a line of the message.
     */
    static String inline(String s) {
        return escape(s, false);
    }

    private static String escape(String s, boolean keepNewLines) {
        if (s == null) return null;
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            int len = Character.charCount(c);
            boolean bad = (c != '\n' || !keepNewLines) && (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                    || Character.getType(c) == Character.SURROGATE || c == 0x2028 || c == 0x2029);
            if (bad) {
                if (sb == null) sb = new StringBuilder(s.substring(0, i));
                sb.append(codePoint(c));
            } else if (sb != null) {
                sb.append(s, i, i + len);
            }
            i += len;
        }
        return sb == null ? s : sb.toString();
    }

    /** {@code \\u{XXXX}}. */
    static String codePoint(int c) {
        return String.format(java.util.Locale.ROOT, "\\u{%04X}", c);
    }
}
