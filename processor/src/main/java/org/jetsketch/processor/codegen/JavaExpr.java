package org.jetsketch.processor.codegen;

import java.util.function.Function;
import java.util.regex.Pattern;
import org.jetsketch.processor.primitives.Primitive;

/**
 * Java code for an expression, with the precedence of its outermost operator, made by the code
 * that writes it. Where the code becomes part of more code, the place says how tightly it binds
 * and the code is put in parentheses only when Java needs them there ({@link #in}, {@link
 * #above}); the generated code reads as a person would write it, and since only parentheses that
 * Java would not read differently are left out, every expression evaluates as before.
 */
record JavaExpr(String text, Precedence precedence) {
    /**
     * Java's operator precedence, loosest first (JLS §15). {@link #SEQUENCE} is not an operator
     * but a list ({@code val, t4}, an array and offset filled into a template's argument).
     */
    enum Precedence {
        SEQUENCE, ASSIGNMENT, CONDITIONAL, OR, AND, BIT_OR, XOR, BIT_AND, EQUALITY, RELATIONAL, SHIFT,
        ADDITIVE, MULTIPLICATIVE,
        /** Prefix operators and casts. */
        UNARY,
        /** Primary expressions and postfix: names, literals, calls, elements, members, {@code i++}, parenthesized code. */
        POSTFIX;

        boolean below(Precedence other) { return compareTo(other) < 0; }

        /** The precedence of binary operator {@code op} ({@code =} and compound assignments included). */
        static Precedence ofBinary(String op) {
            return switch (op) {
                case "*", "/", "%" -> MULTIPLICATIVE;
                case "+", "-" -> ADDITIVE;
                case "<<", ">>", ">>>" -> SHIFT;
                case "<", ">", "<=", ">=", "instanceof" -> RELATIONAL;
                case "==", "!=" -> EQUALITY;
                case "&" -> BIT_AND;
                case "^" -> XOR;
                case "|" -> BIT_OR;
                case "&&" -> AND;
                case "||" -> OR;
                case "=", "+=", "-=", "*=", "/=", "%=", "&=", "^=", "|=", "<<=", ">>=", ">>>=" -> ASSIGNMENT;
                default -> throw new IllegalArgumentException("not a binary operator: " + op);
            };
        }
    }

    /** A literal, a name or a dotted name ({@code n}, {@code x.length}, {@code ws.w1}), or any primary expression. */
    static JavaExpr name(String text) { return new JavaExpr(text, Precedence.POSTFIX); }

    /** A primary or postfix expression: an element, a call, a parenthesized expression. */
    static JavaExpr primary(String text) { return new JavaExpr(text, Precedence.POSTFIX); }

    /** Code whose precedence is read from its text ({@link #precedenceOf}). */
    static JavaExpr scanned(String text) { return new JavaExpr(text, precedenceOf(text)); }

    /** {@code target.member}. */
    static JavaExpr member(JavaExpr target, String member) {
        return primary(target.in(Precedence.POSTFIX) + "." + member);
    }

    /** {@code target.method(arguments)}. */
    static JavaExpr call(JavaExpr target, String method, String arguments) {
        return primary(target.in(Precedence.POSTFIX) + "." + method + "(" + arguments + ")");
    }

    /** {@code array[index]}. */
    static JavaExpr element(JavaExpr array, JavaExpr index) {
        return primary(array.in(Precedence.POSTFIX) + "[" + index.text + "]");
    }

    /**
     * {@code left op right}: the left operand in parentheses if it binds more loosely than {@code
     * op}, the right one if it binds no more tightly ({@code a - (b - c)}, {@code a * (b * c)}:
     * floating-point sums and products are not associative, so the grouping stays as written).
     */
    static JavaExpr binary(JavaExpr left, String op, JavaExpr right) {
        Precedence p = Precedence.ofBinary(op);
        if (p == Precedence.ASSIGNMENT) return assignment(left, op, right);
        return new JavaExpr(left.in(p) + " " + op + " " + right.above(p), p);
    }

    /** {@code target op value}, an assignment (right-associative: {@code a = b = c}). */
    static JavaExpr assignment(JavaExpr target, String op, JavaExpr value) {
        return new JavaExpr(target.in(Precedence.POSTFIX) + " " + op + " " + value.in(Precedence.ASSIGNMENT),
                Precedence.ASSIGNMENT);
    }

    /** Prefix operator {@code op} ({@code -}, {@code +}, {@code !}, {@code ~}, {@code ++}, {@code --}) on {@code operand}. */
    static JavaExpr prefix(String op, JavaExpr operand) {
        return new JavaExpr(op + operand.unaryOperand(op), Precedence.UNARY);
    }

    /** Postfix {@code ++} or {@code --}. */
    static JavaExpr postfix(JavaExpr operand, String op) {
        return primary(operand.in(Precedence.POSTFIX) + op);
    }

    /** {@code (type) operand}: the operand in parentheses unless primary or postfix. */
    static JavaExpr cast(String type, JavaExpr operand) {
        return new JavaExpr("(" + type + ") " + operand.in(Precedence.POSTFIX), Precedence.UNARY);
    }

    /** {@code condition ? ifTrue : ifFalse}; a conditional in the condition or the first branch is parenthesized. */
    static JavaExpr conditional(JavaExpr condition, JavaExpr ifTrue, JavaExpr ifFalse) {
        return new JavaExpr(condition.above(Precedence.CONDITIONAL) + " ? " + ifTrue.above(Precedence.CONDITIONAL)
                + " : " + ifFalse.in(Precedence.CONDITIONAL), Precedence.CONDITIONAL);
    }

    /** The code where an operand must bind at least as tightly as {@code least}: in parentheses if it binds more loosely. */
    String in(Precedence least) { return precedence.below(least) ? "(" + text + ")" : text; }

    /** The code where an operand must bind more tightly than {@code bound} (the right operand of a binary operator). */
    String above(Precedence bound) { return precedence.compareTo(bound) > 0 ? text : "(" + text + ")"; }

    /** The code as the operand of prefix {@code op}: {@code -(-x)} and {@code +(+x)} keep theirs, lest they read {@code --x}. */
    private String unaryOperand(String op) {
        String code = in(Precedence.UNARY);
        char last = op.charAt(op.length() - 1);
        boolean sign = last == '-' || last == '+';
        return sign && code.charAt(0) == last ? "(" + code + ")" : code;
    }

    // ============================================================ code as text

    private static final String OPERATOR_CHARS = "+-*/%<>=!&|^~?:";

    /**
     * {@code template}, a rule template of the primitive table ({@code {a} * {b}}), with each
     * placeholder replaced by its value, in parentheses only where the template's operators
     * around the placeholder bind more tightly than the value does ({@link #precedenceOf}).
     */
    static String fill(String template, Function<String, String> values) {
        return Primitive.fill(template, (key, start, end) -> {
            String code = values.apply(key);
            return code == null ? null : placed(scanned(code), template, start, end);
        });
    }

    /** {@code value} placed at {@code [start, end)} of {@code template}, parenthesized as its neighbours need. */
    private static String placed(JavaExpr value, String template, int start, int end) {
        int before = start - 1;
        while (before >= 0 && template.charAt(before) == ' ') before--;
        int opStart = before;
        while (opStart >= 0 && OPERATOR_CHARS.indexOf(template.charAt(opStart)) >= 0) opStart--;
        String leftOp = template.substring(opStart + 1, before + 1);
        int after = end;
        while (after < template.length() && template.charAt(after) == ' ') after++;
        int opEnd = after;
        while (opEnd < template.length() && OPERATOR_CHARS.indexOf(template.charAt(opEnd)) >= 0) opEnd++;
        String rightOp = template.substring(after, opEnd);

        Precedence p = value.precedence;
        boolean parenthesize;
        boolean prefix = false;
        if (before < 0 || "(,[".indexOf(template.charAt(before)) >= 0) {
            parenthesize = false; // an argument, an index, a parenthesized group or the start
        } else if (leftOp.isEmpty()) {
            parenthesize = p.below(Precedence.POSTFIX); // after a cast or a word: primary code only
        } else if (leftOp.equals("?")) {
            parenthesize = p.compareTo(Precedence.CONDITIONAL) <= 0;
        } else if (leftOp.equals(":")) {
            parenthesize = p.below(Precedence.CONDITIONAL);
        } else {
            int prev = opStart;
            while (prev >= 0 && template.charAt(prev) == ' ') prev--;
            prefix = prev < 0 || "(,[".indexOf(template.charAt(prev)) >= 0 || OPERATOR_CHARS.indexOf(template.charAt(prev)) >= 0;
            if (prefix) {
                parenthesize = p.below(Precedence.UNARY);
            } else {
                Precedence op = Precedence.ofBinary(leftOp);
                // the right operand of a binary operator binds more tightly than it; of an assignment, at least as tightly
                parenthesize = op == Precedence.ASSIGNMENT ? p.below(op) : p.compareTo(op) <= 0;
            }
        }
        if (after >= template.length() || "),];".indexOf(template.charAt(after)) >= 0) {
            // nothing binds it on the right
        } else if (rightOp.equals("?") || rightOp.equals(":")) {
            parenthesize |= p.compareTo(Precedence.CONDITIONAL) <= 0;
        } else if (rightOp.isEmpty() || rightOp.equals("++") || rightOp.equals("--")
                || Precedence.ofBinary(rightOp) == Precedence.ASSIGNMENT) {
            parenthesize |= p.below(Precedence.POSTFIX); // a member, an element, a call, an lvalue
        } else {
            parenthesize |= p.below(Precedence.ofBinary(rightOp)); // the left operand of a binary operator
        }
        String code = parenthesize ? "(" + value.text + ")" : value.text;
        if (prefix) {
            char last = leftOp.charAt(leftOp.length() - 1);
            if ((last == '-' || last == '+') && code.charAt(0) == last) code = "(" + code + ")";
        }
        return code;
    }

    /**
     * The precedence of the outermost operator of Java code {@code text}, read from the text: the
     * loosest operator outside parentheses, brackets and literals; prefix operators, casts and
     * {@code new} make it {@link Precedence#UNARY}, and code with none is primary.
     */
    static Precedence precedenceOf(String text) {
        Precedence loosest = Precedence.POSTFIX;
        boolean expectOperand = true;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == ' ') {
                i++;
            } else if (c == '"' || c == '\'') {
                i = literalEnd(text, i);
                expectOperand = false;
            } else if (c == '(' || c == '[' || c == '{') {
                int close = closing(text, i);
                if (close < 0) return Precedence.SEQUENCE; // not code this reads: parenthesized wherever it goes
                if (c == '(' && expectOperand && isCast(text, i, close)) {
                    loosest = min(loosest, Precedence.UNARY);
                } else {
                    expectOperand = false;
                }
                i = close + 1;
            } else if (Character.isJavaIdentifierStart(c) || Character.isDigit(c) || c == '.') {
                int j = i;
                while (j < n && (Character.isJavaIdentifierPart(text.charAt(j)) || text.charAt(j) == '.'
                        || (j > i && Character.isDigit(text.charAt(i)) && (text.charAt(j) == '+' || text.charAt(j) == '-')
                        && (text.charAt(j - 1) == 'e' || text.charAt(j - 1) == 'E')))) j++;
                String word = text.substring(i, j);
                if (word.equals("instanceof")) {
                    loosest = min(loosest, Precedence.RELATIONAL);
                    expectOperand = true;
                } else if (word.equals("new")) {
                    loosest = min(loosest, Precedence.UNARY);
                } else {
                    expectOperand = false;
                }
                i = j;
            } else if (c == ',') {
                return Precedence.SEQUENCE;
            } else if (OPERATOR_CHARS.indexOf(c) >= 0) {
                int j = i;
                while (j < n && OPERATOR_CHARS.indexOf(text.charAt(j)) >= 0) j++;
                String op = text.substring(i, j);
                if (expectOperand) {
                    loosest = min(loosest, Precedence.UNARY); // prefix operators, one or more
                } else if (op.equals("++") || op.equals("--")) {
                    // postfix
                } else if (op.equals("?") || op.equals(":")) {
                    loosest = min(loosest, Precedence.CONDITIONAL);
                    expectOperand = true;
                } else if (op.equals("->") || op.equals("::")) {
                    return Precedence.SEQUENCE;
                } else {
                    // a binary operator, perhaps followed by prefix ones ("a * -b")
                    String binary = longestBinary(op);
                    if (binary == null) return Precedence.SEQUENCE;
                    loosest = min(loosest, Precedence.ofBinary(binary));
                    expectOperand = true;
                }
                i = j;
            } else {
                return Precedence.SEQUENCE;
            }
        }
        return loosest;
    }

    private static final java.util.List<String> BINARY_OPERATORS = java.util.List.of(">>>=", "<<=", ">>=", ">>>",
            "==", "!=", "<=", ">=", "&&", "||", "+=", "-=", "*=", "/=", "%=", "&=", "^=", "|=", "<<", ">>",
            "*", "/", "%", "+", "-", "<", ">", "&", "^", "|", "=");

    /** The binary operator at the start of run {@code op} whose rest is prefix operators only, or null. */
    private static String longestBinary(String op) {
        for (String b : BINARY_OPERATORS) {
            if (op.startsWith(b) && op.substring(b.length()).chars().allMatch(ch -> "+-!~".indexOf(ch) >= 0)) return b;
        }
        return null;
    }

    private static Precedence min(Precedence a, Precedence b) { return a.compareTo(b) <= 0 ? a : b; }

    /** The index after the string or character literal starting at {@code start}. */
    private static int literalEnd(String text, int start) {
        char quote = text.charAt(start);
        int i = start + 1;
        while (i < text.length() && text.charAt(i) != quote) i += text.charAt(i) == '\\' ? 2 : 1;
        return i + 1;
    }

    /** The index of the bracket closing the one at {@code open}, or -1. */
    private static int closing(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'') {
                i = literalEnd(text, i) - 1;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
                if (depth == 0) return i;
            }
        }
        return -1;
    }

    private static final Pattern TYPE = Pattern.compile("[\\w$.]+(\\s*\\[\\s*])*");
    private static final java.util.Set<String> PRIMITIVES =
            java.util.Set.of("int", "long", "double", "float", "short", "byte", "char", "boolean");

    /** Whether {@code (…)} at {@code [open, close]}, where an operand is expected, is a cast: a type followed by an operand. */
    private static boolean isCast(String text, int open, int close) {
        String inside = text.substring(open + 1, close).trim();
        if (!TYPE.matcher(inside).matches()) return false;
        if (PRIMITIVES.contains(inside.replaceAll("[\\s\\[\\]]", ""))) return true;
        int k = close + 1;
        while (k < text.length() && text.charAt(k) == ' ') k++;
        if (k >= text.length()) return false;
        char c = text.charAt(k);
        return Character.isJavaIdentifierStart(c) || Character.isDigit(c) || c == '(' || c == '"' || c == '\'' || c == '!' || c == '~';
    }
}
