package org.jetsketch.processor.codegen;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jetsketch.processor.codegen.Operations.Leaf;
import org.jetsketch.processor.codegen.Operations.Node;
import org.jetsketch.processor.codegen.Operations.Opnd;
import org.jetsketch.processor.ir.Expr;
import org.jetsketch.processor.ir.IrType;
import org.jetsketch.processor.ir.MethodIr;
import org.jetsketch.processor.primitives.Functions;

/**
 * The code of the expressions of one writing ({@link AdjointWriter}): a passive expression as
 * plain Java with its precedence ({@link JavaExpr}), in which an active operand of a
 * comparison reads its real part; and the references to active values (value, adjoint, array,
 * adjoint array) that the mode's emitter spells. A comparison of active values in the forward
 * sweep is written by the emitter (on jets it is shown to the branch monitor), in the reverse
 * sweep it is plain.
 */
final class ExprWriter {
    private final AdjointWriter w;
    private final Plan plan;
    private final Facts facts;
    private final String ws;
    private final ModeEmitter emit;

    ExprWriter(AdjointWriter w, Plan plan, Facts facts, String ws, ModeEmitter emit) {
        this.w = w;
        this.plan = plan;
        this.facts = facts;
        this.ws = ws;
        this.emit = emit;
    }

    private boolean active(Expr e) { return facts.isActive(e); }

    private boolean activeArray(Expr e) { return facts.isActiveArray(e); }

    /** The value of an active scalar variable, element or state field: an lvalue (doubles) or an {@code array, offset} pair (jets). */
    String valueRef(Expr e) {
        if (e instanceof Expr.Local l) return emit.value(l.name());
        if (e instanceof Expr.Field f) return emit.state(ws + "." + Names.stateField(f.name()));
        if (e instanceof Expr.ArrayAccess a) return emit.element(arrayRef(a.array()), a.index());
        throw new IllegalStateException("no variable for " + e);
    }

    /** The adjoint of an active scalar variable or element. */
    String barRef(Expr e) {
        if (e instanceof Expr.Local l) return emit.adjoint(l.name());
        if (e instanceof Expr.Field f) return emit.state(ws + "." + Names.stateField(f.name()) + "Bar");
        if (e instanceof Expr.ArrayAccess a) return emit.element(arrayBar(a.array()), a.index());
        throw new IllegalStateException("no adjoint for " + e);
    }

    /** An active array: variable, parameter, or row. */
    String arrayRef(Expr e) {
        if (e instanceof Expr.Local l) {
            return l.name();
        }
        if (e instanceof Expr.Field f) return f.kind() == Expr.FieldKind.PARAM ? ws + "." + Names.stateField(f.name()) : field(f);
        if (e instanceof Expr.ArrayAccess a) return arrayRef(a.array()) + "[" + expr(a.index()) + "]";
        return java(e).in(JavaExpr.Precedence.POSTFIX);
    }

    /** The adjoint array of an active array. */
    String arrayBar(Expr e) {
        if (e instanceof Expr.Local l) {
            return w.bar(l.name());
        }
        if (e instanceof Expr.Field f) return ws + "." + Names.stateField(f.name()) + "Bar";
        if (e instanceof Expr.ArrayAccess a) return arrayBar(a.array()) + "[" + expr(a.index()) + "]";
        throw new IllegalStateException("no adjoint array for " + e);
    }

    private String field(Expr.Field f) {
        return f.kind() == Expr.FieldKind.STATIC ? f.owner() + "." + f.name() : "this.instance." + f.name();
    }

    /** A passive numeric expression as a double. */
    String real(Expr e) { return realJava(e).text(); }

    /** {@link #real} with its precedence. */
    JavaExpr realJava(Expr e) {
        JavaExpr code = java(e);
        return e.type().base() == IrType.Base.DOUBLE ? code : JavaExpr.cast("double", code);
    }

    /**
     * Plain Java for a passive expression, without parentheses around it: for a place that takes
     * any expression (an argument, an index, a condition, an initializer, the right side of an
     * assignment). An active operand of a comparison reads its real part.
     */
    String expr(Expr e) { return java(e).text(); }

    /** {@link #expr} with its Java precedence, which says where it needs parentheses. */
    JavaExpr java(Expr e) {
        if (e instanceof Expr.Literal l) {
            String text = BodyText.literal(l);
            // a negative number is a minus sign on a literal: unary
            return BodyText.negative(l) ? new JavaExpr(text, JavaExpr.Precedence.UNARY) : JavaExpr.name(text);
        }
        if (e instanceof Expr.Local l) {
            if (active(e) && !e.type().isArray()) return realPart(e);
            return JavaExpr.name(l.name());
        }
        if (e instanceof Expr.Field f) {
            if (f.kind() == Expr.FieldKind.PARAM) {
                return f.type().isArray() ? JavaExpr.name(ws + "." + Names.stateField(f.name())) : realPart(e);
            }
            return JavaExpr.name(field(f));
        }
        if (e instanceof Expr.Length l) {
            JavaExpr array = java(l.array());
            return activeArray(l.array()) && l.array().type().dims() == 1 ? emit.activeLength(array)
                    : JavaExpr.member(array, "length");
        }
        if (e instanceof Expr.ArrayAccess a) {
            if (a.type().isArray()) return activeArray(e) ? JavaExpr.primary(arrayRef(e)) : JavaExpr.element(java(a.array()), java(a.index()));
            if (activeArray(a.array())) return realPart(e);
            return JavaExpr.element(java(a.array()), java(a.index()));
        }
        if (e instanceof Expr.NewArray n) {
            StringBuilder sb = new StringBuilder("new ");
            sb.append(n.type().javaName(), 0, n.type().javaName().length() - 2 * n.type().dims());
            for (Expr d : n.dims()) sb.append('[').append(expr(d)).append(']');
            sb.append("[]".repeat(n.type().dims() - n.dims().size()));
            // an array creation cannot be indexed without parentheses ("new int[n][0]" is two-dimensional)
            return new JavaExpr(sb.toString(), JavaExpr.Precedence.UNARY);
        }
        if (e instanceof Expr.ArrayLiteral a) {
            return new JavaExpr("new " + a.type().javaName() + " " + initializer(a), JavaExpr.Precedence.UNARY);
        }
        if (e instanceof Expr.Unary u) {
            if (active(e)) return realPart(e);
            String op = switch (u.op()) {
                case NEG -> "-";
                case PLUS -> "+";
                case NOT -> "!";
                case BIT_NOT -> "~";
            };
            return JavaExpr.prefix(op, java(u.operand()));
        }
        if (e instanceof Expr.Binary b) {
            if (active(e)) return realPart(e);
            if (!w.writingReverse() && b.op().isComparison() && (active(b.left()) || active(b.right()))) {
                return emit.forwardComparison(b);
            }
            return passiveBinary(b);
        }
        if (e instanceof Expr.Conditional c) {
            if (active(e)) return realPart(e);
            return JavaExpr.conditional(java(c.condition()), java(c.ifTrue()), java(c.ifFalse()));
        }
        if (e instanceof Expr.Cast c) {
            if (active(e)) return realPart(e);
            return JavaExpr.cast(c.type().javaName(), java(c.operand()));
        }
        if (e instanceof Expr.CallHelper c) {
            MethodIr callee = plan.circuit.method(c.methodKey());
            if (!plan.plain.contains(callee.key())) {
                throw new IllegalStateException("call of " + callee.name() + " left inside an expression");
            }
            List<String> args = new ArrayList<>();
            args.add(ws);
            for (Expr a : c.args()) args.add(expr(a));
            return JavaExpr.primary("this." + w.forwardName(callee) + "(" + String.join(", ", args) + ")");
        }
        if (e instanceof Expr.CallFunction f) {
            if (active(e)) return realPart(e);
            List<String> args = new ArrayList<>();
            for (Expr a : f.args()) args.add(expr(a));
            return JavaExpr.call(JavaExpr.name(Functions.ownerClass(f.owner())), f.function(), String.join(", ", args));
        }
        if (e instanceof Expr.PassiveCall c) {
            List<String> args = new ArrayList<>();
            for (Expr a : c.args()) args.add(expr(a));
            JavaExpr receiver = c.receiver() == null ? JavaExpr.name(c.owner()) : java(c.receiver());
            return JavaExpr.call(receiver, c.method(), String.join(", ", args));
        }
        if (e instanceof Expr.PassiveField f) return JavaExpr.member(java(f.receiver()), f.name());
        if (e instanceof Expr.Assign a) return assignmentJava(a);
        if (e instanceof Expr.IncDec i) {
            String op = i.increment() ? "++" : "--";
            return i.prefix() ? JavaExpr.prefix(op, java(i.target())) : JavaExpr.postfix(java(i.target()), op);
        }
        throw new IllegalStateException("no passive form for " + e);
    }

    /** {@code target = value} or {@code target op= value}. */
    private JavaExpr assignmentJava(Expr.Assign a) {
        String op = a.op() == null ? "=" : a.op().symbol + "=";
        return JavaExpr.assignment(java(a.target()), op, java(a.value()));
    }

    /** Passive expression {@code e} as a statement. */
    String statementCode(Expr e) { return expr(e); }

    /** {@code {x, y}}: an array literal's initializer (a nested literal is its initializer alone). */
    private String initializer(Expr.ArrayLiteral a) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < a.elements().size(); i++) {
            if (i > 0) sb.append(", ");
            Expr x = a.elements().get(i);
            sb.append(x instanceof Expr.ArrayLiteral nested ? initializer(nested) : expr(x));
        }
        return sb.append('}').toString();
    }

    /** {@code b} on the values as they are, with nothing monitored. */
    JavaExpr passiveBinary(Expr.Binary b) {
        return JavaExpr.binary(java(b.left()), b.op().symbol, java(b.right()));
    }

    /**
     * The real part of an active value, for a comparison (branches follow it, scheme §3). On jets
     * a_0 of every primitive's result is the real function of the operands' a_0, so a compound
     * expression is evaluated on the real parts.
     */
    JavaExpr realPart(Expr e) {
        if (e instanceof Expr.Local l) return emit.realOfValue(l.name());
        if (e instanceof Expr.Field f) return emit.realOfState(ws + "." + Names.stateField(f.name()));
        if (e instanceof Expr.ArrayAccess a) return JavaExpr.primary(emit.realOfElement(arrayRef(a.array()), a.index()));
        Opnd o = w.build(e);
        return realValue(o);
    }

    private JavaExpr realValue(Opnd o) {
        if (o instanceof Leaf leaf) return leaf.active ? realPart(leaf.e) : realJava(leaf.e);
        Node n = (Node) o;
        Map<String, String> v = new HashMap<>();
        for (int i = 0; i < n.args.size(); i++) v.put(Operations.letter(i), realValue(n.args.get(i)).text());
        if (n.p.hasImmediate) v.put("k", (n.negate ? JavaExpr.prefix("-", realJava(n.imm)) : realJava(n.imm)).text());
        if (n.p.realAux != null) v.put("x", JavaExpr.fill(Code.typesMarked(n.p.realAux), v::get));
        return JavaExpr.scanned(JavaExpr.fill(Code.typesMarked(n.p.realForward), v::get));
    }
}
