package org.jetsketch.processor.codegen;

import com.squareup.javapoet.CodeBlock;
import org.jetsketch.processor.ir.Expr;
import org.jetsketch.processor.ir.IrType;

/** Source text of IR leaves. */
final class BodyText {
    private BodyText() {}

    /** A literal as code; a negative number starts with its minus sign (a unary expression, see {@link #negative}). */
    static String literal(Expr.Literal l) { return literalText(l); }

    /** Whether {@link #literal} writes {@code l} with a minus sign: a number below zero, or -0.0. */
    static boolean negative(Expr.Literal l) {
        Object v = l.value();
        if (v instanceof Double d && (d.isNaN() || d.isInfinite())) return false;
        return v instanceof Number n && !Double.isNaN(n.doubleValue()) && Math.copySign(1.0, n.doubleValue()) < 0;
    }

    /** Whether {@link #literal} writes {@code l} as {@code 0}: the int zero. */
    static boolean isIntZero(Expr.Literal l) {
        return l.type().base() != IrType.Base.DOUBLE && l.value() instanceof Integer i && i == 0;
    }

    private static String literalText(Expr.Literal l) {
        Object v = l.value();
        if (v instanceof Double d) {
            if (d.isNaN()) return "Double.NaN";
            if (d.isInfinite()) return d > 0 ? "Double.POSITIVE_INFINITY" : "Double.NEGATIVE_INFINITY";
            return d.toString();
        }
        if (v instanceof Long x) return x + "L";
        if (v instanceof Character ch) return String.format("'\\u%04x'", (int) ch);
        if (v instanceof String s) return CodeBlock.of("$S", s).toString();
        if (l.type().base() == IrType.Base.DOUBLE && v instanceof Number n) return Double.toString(n.doubleValue());
        return String.valueOf(v);
    }
}
