package org.jetsketch.processor.codegen;

/**
 * Java code for an expression, with the form of its text, made by the code that writes it; where
 * the code becomes an operand of more code, its form, not its text, says whether it needs
 * parentheses.
 */
record JavaExpr(String text, Form form) {
    enum Form {
        /** A literal that is one token, a name or a dotted name ({@code n}, {@code x.length}, {@code ws.w1}). */
        NAME,
        /** A call without arguments of a name ({@code list.size()}). */
        CALL,
        /** Text in one pair of parentheses ({@code (n - k)}, {@code ((int) x)}). */
        PARENTHESIZED,
        /** Any other: an element, a call with arguments, a cast, an increment. */
        OTHER
    }

    static JavaExpr name(String text) { return new JavaExpr(text, Form.NAME); }

    static JavaExpr parenthesized(String text) { return new JavaExpr(text, Form.PARENTHESIZED); }

    static JavaExpr other(String text) { return new JavaExpr(text, Form.OTHER); }

    /** {@code target.member}: a name if {@code target} is one. */
    static JavaExpr member(JavaExpr target, String member) {
        return new JavaExpr(target.text + "." + member, target.form == Form.NAME ? Form.NAME : Form.OTHER);
    }

    /** {@code target.method()}, or with {@code arguments}: a call without arguments of a name, or another form. */
    static JavaExpr call(JavaExpr target, String method, String arguments) {
        String text = target.text + "." + method + "(" + arguments + ")";
        return new JavaExpr(text, arguments.isEmpty() && target.form == Form.NAME ? Form.CALL : Form.OTHER);
    }

    /**
     * The code as the left operand of a binary {@code +} or {@code -}: in parentheses unless it is
     * a name, a call without arguments or already in parentheses.
     */
    String operand() { return form == Form.OTHER ? "(" + text + ")" : text; }

    /**
     * The code as a factor of a product: in parentheses unless it is a name (a call, or code
     * already in parentheses, is put in parentheses again, as the generated code has it).
     */
    String factor() { return form == Form.NAME ? text : "(" + text + ")"; }
}
