package org.jetsketch.study;

/**
 * User-supplied text (a name from a data file, an option value) as messages embed it: never with
 * raw control characters, so that a NUL, a TAB or an ESC cannot garble or drive a terminal.
 */
public final class StudyText {
    private StudyText() {}

    /**
     * {@code s} with every control or format character except new lines (and every lone
     * surrogate) written as {@code \\u{XXXX}}.
     */
    public static String printable(String s) {
        return escape(s, true);
    }

    /**
     * {@code s} with every control or format character escaped as {@link #printable} does, new
     * lines and carriage returns included: for a value embedded in a message, where a raw new line
     * would forge a line of the message.
     */
    public static String inline(String s) {
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
                sb.append(String.format(java.util.Locale.ROOT, "\\u{%04X}", c));
            } else if (sb != null) {
                sb.append(s, i, i + len);
            }
            i += len;
        }
        return sb == null ? s : sb.toString();
    }
}
