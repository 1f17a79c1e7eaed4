package org.jetsketch.processor.analysis;

import java.util.function.Consumer;
import org.jetsketch.processor.ir.Expr;

/** Pre-order traversal of an expression tree. */
public final class Exprs {
    private Exprs() {}

    /** Whether evaluating {@code e} twice could differ from evaluating it once. */
    public static boolean hasSideEffects(Expr e) {
        boolean[] found = {false};
        forEach(e, x -> found[0] |= x instanceof Expr.Assign || x instanceof Expr.IncDec
                || x instanceof Expr.CallHelper || x instanceof Expr.PassiveCall);
        return found[0];
    }

    /** Whether an index of the element access {@code target} (at any depth) has side effects. */
    public static boolean hasIndexWithSideEffects(Expr target) {
        for (Expr e = target; e instanceof Expr.ArrayAccess a; e = a.array()) {
            if (hasSideEffects(a.index())) return true;
        }
        return false;
    }

    public static void forEach(Expr e, Consumer<Expr> visitor) {
        if (e == null) return;
        visitor.accept(e);
        if (e instanceof Expr.ArrayAccess a) {
            forEach(a.array(), visitor);
            forEach(a.index(), visitor);
        } else if (e instanceof Expr.Length l) {
            forEach(l.array(), visitor);
        } else if (e instanceof Expr.NewArray n) {
            n.dims().forEach(d -> forEach(d, visitor));
        } else if (e instanceof Expr.ArrayLiteral a) {
            a.elements().forEach(x -> forEach(x, visitor));
        } else if (e instanceof Expr.Unary u) {
            forEach(u.operand(), visitor);
        } else if (e instanceof Expr.Binary b) {
            forEach(b.left(), visitor);
            forEach(b.right(), visitor);
        } else if (e instanceof Expr.Conditional c) {
            forEach(c.condition(), visitor);
            forEach(c.ifTrue(), visitor);
            forEach(c.ifFalse(), visitor);
        } else if (e instanceof Expr.Cast c) {
            forEach(c.operand(), visitor);
        } else if (e instanceof Expr.CallHelper c) {
            c.args().forEach(x -> forEach(x, visitor));
        } else if (e instanceof Expr.CallFunction c) {
            c.args().forEach(x -> forEach(x, visitor));
        } else if (e instanceof Expr.PassiveCall c) {
            forEach(c.receiver(), visitor);
            c.args().forEach(x -> forEach(x, visitor));
        } else if (e instanceof Expr.PassiveField f) {
            forEach(f.receiver(), visitor);
        } else if (e instanceof Expr.Assign a) {
            forEach(a.target(), visitor);
            forEach(a.value(), visitor);
        } else if (e instanceof Expr.IncDec i) {
            forEach(i.target(), visitor);
        }
    }
}
