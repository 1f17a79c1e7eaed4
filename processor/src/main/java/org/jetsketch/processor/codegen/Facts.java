package org.jetsketch.processor.codegen;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.jetsketch.processor.analysis.Activity;
import org.jetsketch.processor.ir.CircuitIr;
import org.jetsketch.processor.ir.Expr;
import org.jetsketch.processor.ir.IrType;
import org.jetsketch.processor.ir.MethodIr;
import org.jetsketch.processor.ir.Stmt;

/**
 * The activity facts of one method as the code generator sees them: the analysis's facts plus
 * the temporaries the normalizer introduces, and the method's variables with their types.
 */
final class Facts {
    final CircuitIr circuit;
    final Activity activity;
    final MethodIr method;
    private final Set<String> activeTemps = new HashSet<>();
    /** Every variable of the method (parameters, locals, temporaries) with its type. */
    final Map<String, IrType> types = new HashMap<>();
    private int fresh;

    Facts(CircuitIr circuit, Activity activity, MethodIr method) {
        this.circuit = circuit;
        this.activity = activity;
        this.method = method;
        for (MethodIr.ParamIr p : method.params()) types.put(p.name(), p.type());
        collect(method.body());
    }

    private void collect(Stmt s) {
        if (s instanceof Stmt.Block b) {
            b.statements().forEach(this::collect);
        } else if (s instanceof Stmt.LocalDecl d) {
            types.put(d.name(), d.type());
        } else if (s instanceof Stmt.If i) {
            collect(i.then());
            if (i.otherwise() != null) collect(i.otherwise());
        } else if (s instanceof Stmt.For f) {
            f.init().forEach(this::collect);
            collect(f.body());
        } else if (s instanceof Stmt.While w) {
            collect(w.body());
        } else if (s instanceof Stmt.DoWhile d) {
            collect(d.body());
        }
    }

    /** A new variable of the method, named {@code base} or {@code base<n>}, never clashing. */
    String temp(String base, IrType type, boolean active) {
        String name;
        do {
            name = base + (++fresh);
        } while (types.containsKey(name));
        types.put(name, type);
        if (active) activeTemps.add(name);
        return name;
    }

    /** A name not used by any variable of the method: {@code base}, else {@code base<n>}. */
    String unused(String base) {
        if (!types.containsKey(base)) return base;
        int n = 2;
        while (types.containsKey(base + n)) n++;
        return base + n;
    }

    boolean isActive(String variable) {
        return activeTemps.contains(variable) || activity.isActive(method, variable);
    }

    boolean returnsActive(MethodIr m) { return activity.returnsActive(m); }

    boolean paramActive(MethodIr m, int i) {
        return m.params().get(i).type().canBeActive() && activity.paramActive(m, i);
    }

    /** Whether {@code e} is an active value (mirrors {@link Activity#isActive(MethodIr, Expr)}). */
    boolean isActive(Expr e) {
        if (e instanceof Expr.Literal) return false;
        if (e instanceof Expr.Local l) return e.type().canBeActive() && isActive(l.name());
        if (e instanceof Expr.Field f) return f.kind() == Expr.FieldKind.PARAM;
        if (e instanceof Expr.ArrayAccess a) return isActive(a.array());
        if (e instanceof Expr.Length || e instanceof Expr.NewArray) return false;
        if (e instanceof Expr.ArrayLiteral a) return a.elements().stream().anyMatch(this::isActive);
        if (e instanceof Expr.Unary u) {
            return (u.op() == Expr.UnaryOp.NEG || u.op() == Expr.UnaryOp.PLUS) && isActive(u.operand());
        }
        if (e instanceof Expr.Binary b) return b.type().canBeActive() && (isActive(b.left()) || isActive(b.right()));
        if (e instanceof Expr.Conditional c) {
            return c.type().canBeActive() && (isActive(c.ifTrue()) || isActive(c.ifFalse()));
        }
        if (e instanceof Expr.Cast c) return c.type().canBeActive() && isActive(c.operand());
        if (e instanceof Expr.CallHelper c) return activity.returnsActive(circuit.method(c.methodKey()));
        if (e instanceof Expr.CallFunction f) {
            return f.type().canBeActive() && !Activity.isStopGradient(f) && f.args().stream().anyMatch(this::isActive);
        }
        if (e instanceof Expr.Assign a) return isActive(a.target());
        if (e instanceof Expr.IncDec i) return isActive(i.target());
        return false;
    }

    /** Whether an array-typed expression holds an active array (parameters included). */
    boolean isActiveArray(Expr e) {
        if (e instanceof Expr.Field f) return f.kind() == Expr.FieldKind.PARAM;
        if (e instanceof Expr.ArrayAccess a) return isActiveArray(a.array());
        if (e instanceof Expr.Local l) return l.type().canBeActive() && isActive(l.name());
        return e.type().canBeActive() && isActive(e);
    }

    private Facts(Facts other) {
        this.circuit = other.circuit;
        this.activity = other.activity;
        this.method = other.method;
        this.activeTemps.addAll(other.activeTemps);
        this.types.putAll(other.types);
        this.fresh = other.fresh;
    }

    /** A copy whose new names do not leak into this one (each writing round starts afresh). */
    Facts copy() { return new Facts(this); }
}
