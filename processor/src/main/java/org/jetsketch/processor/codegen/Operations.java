package org.jetsketch.processor.codegen;

import java.util.List;
import java.util.function.Consumer;
import org.jetsketch.processor.analysis.Exprs;
import org.jetsketch.processor.ir.Expr;
import org.jetsketch.processor.primitives.Primitive;
import org.jetsketch.processor.ir.Expr.BinaryOp;

/**
 * The active value of an assignment as a tree of primitive-table operations over leaves (active
 * variables and elements, passive operands): the one place that decides which row of
 * {@link Primitive} an expression applies ({@code a + b * c} is one {@code FMA}, {@code x * x}
 * a {@code SQUARE}). The to-be-recorded analysis and the emitters build the same tree from the
 * same expression.
 */
final class Operations {
    private static final String[] LETTERS = {"a", "b", "c"};

    private final Facts facts;

    Operations(Facts facts) { this.facts = facts; }

    /** The placeholder of operand {@code i} in the primitive table's templates. */
    static String letter(int i) { return LETTERS[i]; }

    /** An operand of an operation: an active or passive leaf, or an operation's result. */
    abstract static class Opnd {
        /** The emitter's name for this value (a temporary, a pushed passive value), or null. */
        String name;
    }

    static final class Leaf extends Opnd {
        final Expr e;
        final boolean active;

        Leaf(Expr e, boolean active) {
            this.e = e;
            this.active = active;
        }
    }

    static final class Node extends Opnd {
        final Primitive p;
        final List<Opnd> args;
        /** The passive immediate {@code k}, or null. */
        final Expr imm;
        /** Whether the immediate enters negated ({@code a - k} is {@code a + (-k)}). */
        final boolean negate;
        /** The call this operation came from (branch decisions have a site there), or null. */
        final Expr source;
        /** Emitter state: the saved auxiliary value's name, the pushed immediate's, whether the result is kept. */
        String aux;
        String immName;
        boolean keep;

        Node(Primitive p, List<Opnd> args, Expr imm, boolean negate, Expr source) {
            this.p = p;
            this.args = args;
            this.imm = imm;
            this.negate = negate;
            this.source = source;
        }
    }

    /** Every operation of a tree, parents first. */
    static void forEachNode(Opnd o, Consumer<Node> visitor) {
        if (!(o instanceof Node n)) return;
        visitor.accept(n);
        for (Opnd a : n.args) forEachNode(a, visitor);
    }

    /** Whether the rule of the operation whose operand {@code i} is {@code o} reads it, in {@code jet} mode. */
    static boolean readsOperand(Node parent, int i, boolean jet) { return parent.p.adjointReads(letter(i), jet); }

    Opnd build(Expr e) {
        if (!facts.isActive(e)) return new Leaf(e, false);
        if (e instanceof Expr.Local || e instanceof Expr.Field || e instanceof Expr.ArrayAccess) return new Leaf(e, true);
        if (e instanceof Expr.Cast c) return build(c.operand());
        if (e instanceof Expr.Unary u) {
            return u.op() == Expr.UnaryOp.NEG ? node(Primitive.NEG, null, false, null, build(u.operand()))
                    : build(u.operand());
        }
        if (e instanceof Expr.Binary b) return binary(b);
        if (e instanceof Expr.CallFunction f) return function(f);
        throw new IllegalStateException("no operation for " + e);
    }

    private static Node node(Primitive p, Expr imm, boolean negate, Expr source, Opnd... args) {
        return new Node(p, List.of(args), imm, negate, source);
    }

    private Opnd binary(Expr.Binary b) {
        Expr l = b.left();
        Expr r = b.right();
        boolean la = facts.isActive(l);
        boolean ra = facts.isActive(r);
        switch (b.op()) {
            case ADD: {
                if (la && isProduct(r)) return fused(l, (Expr.Binary) r);
                if (ra && isProduct(l)) return fused(r, (Expr.Binary) l);
                if (la && ra) return node(Primitive.ADD, null, false, null, build(l), build(r));
                return la ? node(Primitive.ADD_CONST, r, false, null, build(l))
                        : node(Primitive.ADD_CONST, l, false, null, build(r));
            }
            case SUB:
                if (la && ra) return node(Primitive.SUB, null, false, null, build(l), build(r));
                return la ? node(Primitive.ADD_CONST, r, true, null, build(l))
                        : node(Primitive.CONST_SUB, l, false, null, build(r));
            case MUL:
                if (la && ra) {
                    if (sameValue(l, r)) return node(Primitive.SQUARE, null, false, null, build(l));
                    return node(Primitive.MUL, null, false, null, build(l), build(r));
                }
                return la ? node(Primitive.MUL_CONST, r, false, null, build(l))
                        : node(Primitive.MUL_CONST, l, false, null, build(r));
            case DIV:
                if (la && ra) return node(Primitive.DIV, null, false, null, build(l), build(r));
                return la ? node(Primitive.DIV_CONST, r, false, null, build(l))
                        : node(Primitive.CONST_DIV, l, false, null, build(r));
            default:
                throw new IllegalStateException("operator " + b.op() + " on active values");
        }
    }

    /** {@code v = v + e}, {@code v = v - e}, {@code v = v + b * c}: the target accumulates in place. */
    static boolean accumulates(Node n, Expr target) {
        if (n.p != Primitive.ADD && n.p != Primitive.SUB && n.p != Primitive.FMA && n.p != Primitive.FMA_CONST) {
            return false;
        }
        if (!(n.args.get(0) instanceof Leaf leaf) || !leaf.active) return false;
        for (int i = 1; i < n.args.size(); i++) if (mentions(n.args.get(i), target)) return false;
        return sameReference(leaf.e, target);
    }

    private static boolean mentions(Opnd o, Expr target) {
        if (o instanceof Leaf l) {
            boolean[] found = {false};
            Exprs.forEach(l.e, x -> found[0] |= sameReference(x, target) || sameRoot(x, target));
            return found[0];
        }
        for (Opnd a : ((Node) o).args) if (mentions(a, target)) return true;
        return false;
    }

    private static boolean sameRoot(Expr x, Expr target) {
        Expr a = x;
        while (a instanceof Expr.ArrayAccess acc) a = acc.array();
        Expr b = target;
        while (b instanceof Expr.ArrayAccess acc) b = acc.array();
        return x instanceof Expr.ArrayAccess && target instanceof Expr.ArrayAccess && a.equals(b)
                || a instanceof Expr.Local l1 && b instanceof Expr.Local l2 && l1.name().equals(l2.name())
                && x instanceof Expr.ArrayAccess;
    }

    /** Whether two variable or element references name one place (indices compared as code, source positions aside). */
    static boolean sameReference(Expr a, Expr b) {
        if (a instanceof Expr.Local x && b instanceof Expr.Local y) return x.name().equals(y.name());
        if (a instanceof Expr.ArrayAccess x && b instanceof Expr.ArrayAccess y) {
            return sameReference(x.array(), y.array()) && sameCode(x.index(), y.index());
        }
        if (a instanceof Expr.Field x && b instanceof Expr.Field y) return x.name().equals(y.name());
        return false;
    }

    /** Structural equality of two expressions, their source references aside. */
    static boolean sameCode(Object a, Object b) {
        if (a == b) return true;
        if (a == null || b == null || a.getClass() != b.getClass()) return false;
        if (a instanceof List<?> x) {
            List<?> y = (List<?>) b;
            if (x.size() != y.size()) return false;
            for (int i = 0; i < x.size(); i++) if (!sameCode(x.get(i), y.get(i))) return false;
            return true;
        }
        if (!(a instanceof Expr)) return a.equals(b);
        try {
            for (java.lang.reflect.RecordComponent c : a.getClass().getRecordComponents()) {
                if (c.getName().equals("ref")) continue;
                if (!sameCode(c.getAccessor().invoke(a), c.getAccessor().invoke(b))) return false;
            }
            return true;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot compare " + a + " and " + b, e);
        }
    }

    /**
     * Whether two active operands are one value: the same variable, or the same element read by
     * side-effect-free indices ({@code x[i] * x[i]} is a square: one adjoint update of
     * {@code 2 x[i]}, not two of {@code x[i]}).
     */
    static boolean sameValue(Expr a, Expr b) {
        if (a instanceof Expr.Local x && b instanceof Expr.Local y) return x.name().equals(y.name());
        if (a instanceof Expr.ArrayAccess x && b instanceof Expr.ArrayAccess y) {
            return Shapes.pure(x.index()) && sameReference(x, y);
        }
        if (a instanceof Expr.Field x && b instanceof Expr.Field y) return x.name().equals(y.name());
        return false;
    }

    private boolean isProduct(Expr e) { return e instanceof Expr.Binary b && b.op() == BinaryOp.MUL && facts.isActive(e); }

    private Opnd fused(Expr acc, Expr.Binary product) {
        boolean pa = facts.isActive(product.left());
        boolean qa = facts.isActive(product.right());
        if (pa && qa && sameValue(product.left(), product.right())) {
            // acc + x * x: the square's one adjoint update of 2x, not the product's two of x
            return node(Primitive.ADD, null, false, null, build(acc),
                    node(Primitive.SQUARE, null, false, null, build(product.left())));
        }
        if (pa && qa) {
            return node(Primitive.FMA, null, false, null, build(acc), build(product.left()), build(product.right()));
        }
        return pa ? node(Primitive.FMA_CONST, product.right(), false, null, build(acc), build(product.left()))
                : node(Primitive.FMA_CONST, product.left(), false, null, build(acc), build(product.right()));
    }

    private Opnd function(Expr.CallFunction f) {
        List<Expr> args = f.args();
        String name = f.function();
        if (f.owner().equals("Math") && name.equals("pow")) {
            Expr base = args.get(0);
            Expr exponent = args.get(1);
            if (!facts.isActive(exponent)) {
                if (exponent instanceof Expr.Literal lit && lit.value() instanceof Number n && n.doubleValue() == 2.0) {
                    return node(Primitive.SQUARE, null, false, null, build(base));
                }
                return node(Primitive.POW_CONST, exponent, false, null, build(base));
            }
            if (!facts.isActive(base)) return node(Primitive.CONST_POW, base, false, null, build(exponent));
            return node(Primitive.POW, null, false, null, build(base), build(exponent));
        }
        if (f.owner().equals("Math") && (name.equals("max") || name.equals("min"))) {
            return node(name.equals("max") ? Primitive.MAX : Primitive.MIN, null, false, f, build(args.get(0)),
                    build(args.get(1)));
        }
        Primitive p = Primitive.forFunction(f.owner(), name);
        if (p == null || p.arity != args.size()) throw new IllegalStateException("no rule for " + f.owner() + "." + name);
        Opnd[] operands = new Opnd[args.size()];
        for (int i = 0; i < operands.length; i++) operands[i] = build(args.get(i));
        return node(p, null, false, f, operands);
    }
}
