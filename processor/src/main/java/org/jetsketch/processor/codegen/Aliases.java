package org.jetsketch.processor.codegen;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jetsketch.processor.analysis.Exprs;
import org.jetsketch.processor.ir.CircuitIr;
import org.jetsketch.processor.ir.Expr;
import org.jetsketch.processor.ir.MethodIr;
import org.jetsketch.processor.ir.Stmt;

/**
 * Which arrays may share storage, over the whole circuit: a union-find of array variables,
 * helper results and fields. Two arrays are in one class if one is assigned, passed, returned or
 * stored as a row of the other (a two-dimensional array and its rows are one class). The
 * adjoint writer saves an element before it is overwritten only when some reverse sweep reads
 * elements of the element's class.
 */
final class Aliases {
    private final Map<String, String> parent = new HashMap<>();

    static String var(MethodIr m, String name) { return m.key() + "#" + name; }

    private static String ret(String methodKey) { return "return:" + methodKey; }

    String find(String x) {
        String p = parent.getOrDefault(x, x);
        if (p.equals(x)) return x;
        String root = find(p);
        parent.put(x, root);
        return root;
    }

    private void union(String a, String b) {
        if (a == null || b == null) return;
        String ra = find(a);
        String rb = find(b);
        if (!ra.equals(rb)) parent.put(ra, rb);
    }

    /** The class key of an array-valued expression of method {@code m}, or null (a fresh array). */
    String classOf(MethodIr m, Expr e) {
        while (e instanceof Expr.ArrayAccess a) e = a.array();
        if (e instanceof Expr.Local l) return find(var(m, l.name()));
        if (e instanceof Expr.Field f) return find("field:" + f.name());
        if (e instanceof Expr.CallHelper c) return find(ret(c.methodKey()));
        if (e instanceof Expr.PassiveCall || e instanceof Expr.PassiveField) return find("example");
        return null;
    }

    static Aliases of(CircuitIr circuit, Map<String, Stmt.Block> bodies) {
        Aliases a = new Aliases();
        for (MethodIr m : circuit.methods()) {
            Stmt.Block body = bodies.get(m.key());
            if (body != null) a.statement(circuit, m, body);
        }
        return a;
    }

    private void statement(CircuitIr circuit, MethodIr m, Stmt s) {
        if (s == null) return;
        if (s instanceof Stmt.Block b) {
            b.statements().forEach(x -> statement(circuit, m, x));
        } else if (s instanceof Stmt.LocalDecl d) {
            if (d.type().isArray() && d.init() != null) flow(m, var(m, d.name()), d.init());
            expressions(circuit, m, d.init());
        } else if (s instanceof Stmt.ExprStmt e) {
            expressions(circuit, m, e.expr());
        } else if (s instanceof Stmt.If i) {
            expressions(circuit, m, i.condition());
            statement(circuit, m, i.then());
            statement(circuit, m, i.otherwise());
        } else if (s instanceof Stmt.For f) {
            f.init().forEach(x -> statement(circuit, m, x));
            f.update().forEach(x -> statement(circuit, m, x));
            statement(circuit, m, f.body());
        } else if (s instanceof Stmt.While w) {
            statement(circuit, m, w.body());
        } else if (s instanceof Stmt.DoWhile d) {
            statement(circuit, m, d.body());
        } else if (s instanceof Stmt.Return r && r.value() != null && r.value().type().isArray()) {
            flow(m, ret(m.key()), r.value());
            expressions(circuit, m, r.value());
        }
    }

    private void flow(MethodIr m, String target, Expr value) {
        if (value instanceof Expr.Conditional c) {
            flow(m, target, c.ifTrue());
            flow(m, target, c.ifFalse());
            return;
        }
        if (value instanceof Expr.ArrayLiteral lit) {
            for (Expr x : lit.elements()) if (x.type().isArray()) flow(m, target, x);
            return;
        }
        Expr root = value;
        while (root instanceof Expr.ArrayAccess a) root = a.array();
        String key = root instanceof Expr.Local l ? var(m, l.name())
                : root instanceof Expr.Field f ? "field:" + f.name()
                : root instanceof Expr.CallHelper c ? ret(c.methodKey())
                : root instanceof Expr.PassiveCall || root instanceof Expr.PassiveField ? "example" : null;
        union(target, key);
    }

    private void expressions(CircuitIr circuit, MethodIr m, Expr e) {
        Exprs.forEach(e, x -> {
            if (x instanceof Expr.Assign a && a.target().type().isArray()) {
                Expr t = a.target();
                while (t instanceof Expr.ArrayAccess acc) t = acc.array();
                if (t instanceof Expr.Local l) flow(m, var(m, l.name()), a.value());
                else if (t instanceof Expr.Field f) flow(m, "field:" + f.name(), a.value());
            } else if (x instanceof Expr.CallHelper c) {
                MethodIr callee = circuit.method(c.methodKey());
                List<MethodIr.ParamIr> ps = callee.params();
                for (int i = 0; i < c.args().size(); i++) {
                    if (ps.get(i).type().isArray()) flow(m, var(callee, ps.get(i).name()), c.args().get(i));
                }
            }
        });
    }
}
