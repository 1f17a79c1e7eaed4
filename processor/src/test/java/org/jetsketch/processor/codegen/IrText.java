package org.jetsketch.processor.codegen;

import java.util.List;
import java.util.stream.Collectors;
import org.jetsketch.processor.ir.Expr;
import org.jetsketch.processor.ir.Stmt;

/** The IR as one line of Java-like text per statement, for assertions on what a pass produced. */
final class IrText {
    private IrText() {}

    static String of(Stmt s) {
        StringBuilder sb = new StringBuilder();
        statement(s, sb, "");
        return sb.toString();
    }

    private static void statement(Stmt s, StringBuilder sb, String indent) {
        if (s == null) return;
        if (s instanceof Stmt.Block b) {
            for (Stmt x : b.statements()) statement(x, sb, indent);
        } else if (s instanceof Stmt.LocalDecl d) {
            sb.append(indent).append(d.type().javaName()).append(' ').append(d.name());
            if (d.init() != null) sb.append(" = ").append(of(d.init()));
            sb.append(";\n");
        } else if (s instanceof Stmt.ExprStmt e) {
            sb.append(indent).append(of(e.expr())).append(";\n");
        } else if (s instanceof Stmt.If i) {
            sb.append(indent).append("if (").append(of(i.condition())).append(") {\n");
            statement(i.then(), sb, indent + "  ");
            if (i.otherwise() != null) {
                sb.append(indent).append("} else {\n");
                statement(i.otherwise(), sb, indent + "  ");
            }
            sb.append(indent).append("}\n");
        } else if (s instanceof Stmt.For f) {
            sb.append(indent).append("for (").append(f.init().stream().map(x -> of(x).trim()).collect(Collectors.joining(" ")))
                    .append(' ').append(f.condition() == null ? "" : of(f.condition())).append("; ")
                    .append(f.update().stream().map(x -> of(x).trim()).collect(Collectors.joining(" "))).append(") {\n");
            statement(f.body(), sb, indent + "  ");
            sb.append(indent).append("}\n");
        } else if (s instanceof Stmt.While w) {
            sb.append(indent).append("while (").append(of(w.condition())).append(") {\n");
            statement(w.body(), sb, indent + "  ");
            sb.append(indent).append("}\n");
        } else if (s instanceof Stmt.DoWhile d) {
            sb.append(indent).append("do {\n");
            statement(d.body(), sb, indent + "  ");
            sb.append(indent).append("} while (").append(of(d.condition())).append(");\n");
        } else if (s instanceof Stmt.Return r) {
            sb.append(indent).append("return").append(r.value() == null ? "" : " " + of(r.value())).append(";\n");
        } else if (s instanceof Stmt.Break) {
            sb.append(indent).append("break;\n");
        } else if (s instanceof Stmt.Continue) {
            sb.append(indent).append("continue;\n");
        }
    }

    static String of(Expr e) {
        if (e instanceof Expr.Literal l) return String.valueOf(l.value());
        if (e instanceof Expr.Local l) return l.name();
        if (e instanceof Expr.Field f) return f.name();
        if (e instanceof Expr.ArrayAccess a) return of(a.array()) + "[" + of(a.index()) + "]";
        if (e instanceof Expr.Length l) return of(l.array()) + ".length";
        if (e instanceof Expr.NewArray n) return "new " + n.type().javaName() + dims(n.dims());
        if (e instanceof Expr.ArrayLiteral a) return "{" + list(a.elements()) + "}";
        if (e instanceof Expr.Unary u) return u.op() + "(" + of(u.operand()) + ")";
        if (e instanceof Expr.Binary b) return "(" + of(b.left()) + " " + b.op().symbol + " " + of(b.right()) + ")";
        if (e instanceof Expr.Conditional c) return "(" + of(c.condition()) + " ? " + of(c.ifTrue()) + " : " + of(c.ifFalse()) + ")";
        if (e instanceof Expr.Cast c) return "(" + c.type().javaName() + ") " + of(c.operand());
        if (e instanceof Expr.CallHelper c) return c.methodKey().replaceAll("\\(.*", "") + "(" + list(c.args()) + ")";
        if (e instanceof Expr.CallFunction f) return f.owner() + "." + f.function() + "(" + list(f.args()) + ")";
        if (e instanceof Expr.PassiveCall c) {
            return (c.receiver() == null ? c.owner() : of(c.receiver())) + "." + c.method() + "(" + list(c.args()) + ")";
        }
        if (e instanceof Expr.PassiveField f) return of(f.receiver()) + "." + f.name();
        if (e instanceof Expr.Assign a) return of(a.target()) + " " + (a.op() == null ? "" : a.op().symbol) + "= " + of(a.value());
        if (e instanceof Expr.IncDec i) return i.prefix() ? (i.increment() ? "++" : "--") + of(i.target())
                : of(i.target()) + (i.increment() ? "++" : "--");
        return e.toString();
    }

    private static String list(List<Expr> es) { return es.stream().map(IrText::of).collect(Collectors.joining(", ")); }

    private static String dims(List<Expr> ds) { return ds.stream().map(d -> "[" + of(d) + "]").collect(Collectors.joining()); }
}
