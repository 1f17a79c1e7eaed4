package org.jetsketch.processor.codegen;

import java.util.ArrayList;
import java.util.List;

/**
 * One statement of a jet rule template of the primitive table, in parts: the guard's condition
 * ({@code if (c) s}, or negated {@code if (!(c)) s}), the statement {@code s} it guards, and, when
 * {@code s} is a call of a {@code Jets} kernel ({@code {j}.name(arguments);}), the kernel's name
 * and its argument templates. The writer decides on these parts (is an operand's contribution one
 * scaled add into its adjoint? are two contributions the two sides of one condition?), never on
 * the code they are filled into.
 *
 * <p>An argument is one comma-separated part of the call: a placeholder ({@code {ga}}, which stands
 * for an {@code array, offset} pair), a real factor ({@code 1.0}, {@code {k}}), or half of a literal
 * pair ({@code Jets.UNREAD, 0} is two).
 */
record RuleStatement(String condition, boolean negated, String statement, String kernel, List<String> arguments) {
    private static final String KERNELS = "{j}.";
    /** The statements of {@code template} (statements each ending in {@code ;}), in order. */
    static List<RuleStatement> of(String template) {
        List<RuleStatement> out = new ArrayList<>();
        for (String s : template.split(";")) {
            String t = s.trim();
            if (!t.isEmpty()) out.add(statement(t + ";"));
        }
        return List.copyOf(out);
    }

    private static RuleStatement statement(String text) {
        String condition = null;
        boolean negated = false;
        String body = text;
        if (text.startsWith("if (")) {
            int close = closing(text, 3);
            condition = text.substring(4, close);
            body = text.substring(close + 1).trim();
            if (condition.startsWith("!(") && closing(condition, 1) == condition.length() - 1) {
                negated = true;
                condition = condition.substring(2, condition.length() - 1);
            }
        }
        String kernel = null;
        List<String> arguments = List.of();
        int open = body.indexOf('(');
        if (body.startsWith(KERNELS) && open > 0 && closing(body, open) == body.length() - 2) {
            kernel = body.substring(KERNELS.length(), open);
            arguments = arguments(body.substring(open + 1, body.length() - 2));
        }
        return new RuleStatement(condition, negated, body, kernel, arguments);
    }

    /** The index of the parenthesis closing the one at {@code open}. */
    private static int closing(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '(') depth++;
            if (ch == ')' && --depth == 0) return i;
        }
        throw new IllegalStateException("unbalanced parentheses in rule template: " + text);
    }

    private static List<String> arguments(String list) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < list.length(); i++) {
            char ch = list.charAt(i);
            if (ch == '(') depth++;
            if (ch == ')') depth--;
            if (ch == ',' && depth == 0) {
                out.add(list.substring(start, i).trim());
                start = i + 1;
            }
        }
        out.add(list.substring(start).trim());
        return List.copyOf(out);
    }

    /**
     * Whether this statement is {@code {j}.addScaled(x, f, {target})}, unguarded: it adds the jet
     * {@code x}, a placeholder other than the target, times the real {@code f} into {@code target}.
     */
    boolean addsScaledInto(String target) {
        return condition == null && "addScaled".equals(kernel) && arguments.size() == 3
                && arguments.get(2).equals("{" + target + "}") && isPlaceholder(arguments.get(0))
                && !arguments.get(0).equals(arguments.get(2));
    }

    /** The jet an {@link #addsScaledInto} statement adds (a placeholder). */
    String addedJet() { return arguments.get(0); }

    /** The real factor of an {@link #addsScaledInto} statement (a template). */
    String factor() { return arguments.get(1); }

    private static boolean isPlaceholder(String argument) {
        return argument.startsWith("{") && argument.endsWith("}") && argument.indexOf('{', 1) < 0;
    }

    /** This statement as written with the placeholder values {@code v}. */
    Line fill(Bindings v) {
        return new Line(condition == null ? null : v.fill(condition), negated, v.fill(statement));
    }

    /**
     * A statement of an adjoint rule as written: the statement, and the condition that guards it
     * (null if none), negated or not.
     */
    record Line(String condition, boolean negated, String statement) {
        static Line of(String statement) { return new Line(null, false, statement); }

        /** Whether {@code next} is guarded by the negation of this line's guard: the two are one if/else. */
        boolean elseOf(Line next) {
            return condition != null && !negated && next.condition != null && next.negated
                    && next.condition.equals(condition);
        }

        /** The line as one Java statement. */
        String text() {
            if (condition == null) return statement;
            return "if (" + (negated ? JavaExpr.prefix("!", JavaExpr.scanned(condition)).text() : condition) + ") " + statement;
        }
    }
}
