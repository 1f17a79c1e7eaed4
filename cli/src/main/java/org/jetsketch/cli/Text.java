package org.jetsketch.cli;

import org.jetsketch.study.StudyText;

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
        return keepNewLines ? StudyText.printable(s) : StudyText.inline(s);
    }

    /** {@code \\u{XXXX}}. */
    static String codePoint(int c) {
        return String.format(java.util.Locale.ROOT, "\\u{%04X}", c);
    }
}
