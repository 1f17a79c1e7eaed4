package org.jetsketch.processor.codegen;

import com.squareup.javapoet.CodeBlock;
import org.jetsketch.processor.ir.Expr;
import org.jetsketch.processor.ir.IrType;

/** Source text of IR leaves. */
final class BodyText {
    private BodyText() {}

    /** A literal as code; a negative number is parenthesized so that {@code "-" + literal} stays valid. */
    static String literal(Expr.Literal l) {
        String code = literalText(l);
        return code.startsWith("-") ? "(" + code + ")" : code;
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
