package org.jetsketch.circuits.random;

import java.util.List;
import org.jetsketch.circuits.random.Ast.*;

/** Prints a {@link Program} as the source of a {@code @Circuit} class in {@link #PACKAGE}. */
public final class JavaPrinter {
    public static final String PACKAGE = "org.jetsketch.circuits.random.gen";
    static final double LEARNING_RATE = 0.05;
    static final double CLIP = 0.5;

    private final StringBuilder out = new StringBuilder();

    private JavaPrinter() {}

    public static String source(Program p) {
        JavaPrinter j = new JavaPrinter();
        j.program(p);
        return j.out.toString();
    }

    public static String qualifiedName(Program p) {
        return PACKAGE + "." + p.name();
    }

    private void line(int indent, String text) {
        out.append("    ".repeat(indent)).append(text).append('\n');
    }

    private void program(Program p) {
        line(0, "package " + PACKAGE + ";");
        line(0, "");
        line(0, "import org.jetsketch.circuits.Sample;");
        line(0, "import org.jetsketch.dsl.*;");
        line(0, "");
        line(0, "@Circuit");
        line(0, "public class " + p.name() + " {");
        line(1, "static final double LR = " + LEARNING_RATE + ";");
        line(1, "static final double CLIP = " + CLIP + ";");
        for (int i = 0; i < p.scalars(); i++) line(1, "@Param double p" + i + ";");
        if (p.vecLen() > 0) line(1, "@Param double[] v;");
        if (p.rows() > 0) line(1, "@Param double[][] m;");
        line(0, "");
        line(1, "public " + p.name() + "() {");
        int at = 0;
        for (int i = 0; i < p.scalars(); i++) line(2, "p" + i + " = " + num(p.init().get(at++)) + ";");
        if (p.vecLen() > 0) {
            StringBuilder b = new StringBuilder("v = new double[] {");
            for (int i = 0; i < p.vecLen(); i++) b.append(i > 0 ? ", " : "").append(num(p.init().get(at++)));
            line(2, b.append("};").toString());
        }
        if (p.rows() > 0) {
            StringBuilder b = new StringBuilder("m = new double[][] {");
            for (int r = 0; r < p.rows(); r++) {
                b.append(r > 0 ? ", {" : "{");
                for (int c = 0; c < p.cols(); c++) b.append(c > 0 ? ", " : "").append(num(p.init().get(at++)));
                b.append('}');
            }
            line(2, b.append("};").toString());
        }
        line(1, "}");
        line(0, "");
        line(1, "@Loss");
        line(1, "double loss(Sample s) {");
        line(2, "double[] x = s.x();");
        block(2, p.body());
        line(2, "return " + expr(p.result()) + ";");
        line(1, "}");
        for (Helper h : p.helpers()) helper(h);
        line(0, "");
        line(1, "@Measurement");
        line(1, "double probe() {");
        line(2, "return " + expr(p.measurement()) + ";");
        line(1, "}");
        line(0, "");
        optimizer(p.optimizer());
        line(0, "}");
    }

    private void helper(Helper h) {
        line(0, "");
        String mod = h.isStatic() ? "static " : "";
        switch (h.kind()) {
            case "double", "boolean" -> {
                StringBuilder ps = new StringBuilder();
                for (String a : h.params()) ps.append(ps.length() > 0 ? ", " : "").append("double ").append(a);
                line(1, mod + h.kind() + " " + h.name() + "(" + ps + ") {");
                block(2, h.body());
                line(2, "return " + expr(h.result()) + ";");
            }
            case "varargs" -> {
                line(1, mod + "double " + h.name() + "(double... xs) {");
                block(2, h.body());
                line(2, "return " + expr(h.result()) + ";");
            }
            case "array" -> {
                line(1, mod + "double[] " + h.name() + "(double[] src) {");
                line(2, "double[] out = new double[src.length];");
                block(2, h.body());
                line(2, "return out;");
            }
            default -> throw new IllegalArgumentException("helper kind " + h.kind());
        }
        line(1, "}");
    }

    private void optimizer(String kind) {
        switch (kind) {
            case "sgd" -> {
                line(1, "@TrainingStep");
                line(1, "static void step(@Params double[] p, @Grads double[] g) {");
                line(2, "for (int i = 0; i < p.length; i++) p[i] -= LR * g[i];");
            }
            case "momentum" -> {
                line(1, "@TrainingStep");
                line(1, "static void step(@Params double[] p, @Grads double[] g, @State double[] vel, @Step int step, @Steps int steps) {");
                line(2, "double lr = LR * (1.0 - 0.5 * step / steps);");
                line(2, "for (int i = 0; i < p.length; i++) {");
                line(3, "vel[i] = 0.9 * vel[i] + g[i];");
                line(3, "p[i] -= lr * vel[i];");
                line(2, "}");
            }
            case "adam" -> {
                line(1, "@TrainingStep");
                line(1, "static void step(@Params double[] p, @Grads double[] g, @State double[] m1, @State double[] m2, @Step int step) {");
                line(2, "double c1 = 1 - Math.pow(0.9, step + 1);");
                line(2, "double c2 = 1 - Math.pow(0.99, step + 1);");
                line(2, "for (int i = 0; i < p.length; i++) {");
                line(3, "m1[i] = 0.9 * m1[i] + 0.1 * g[i];");
                line(3, "m2[i] = 0.99 * m2[i] + 0.01 * g[i] * g[i];");
                line(3, "p[i] -= LR * (m1[i] / c1) / Math.sqrt(m2[i] / c2 + 0.01);");
                line(2, "}");
            }
            case "clip" -> {
                line(1, "@TrainingStep");
                line(1, "static void step(@Params double[] p, @Grads double[] g, @Step int step, @Steps int steps) {");
                line(2, "for (int i = 0; i < p.length; i++) {");
                line(3, "if (g[i] > CLIP) g[i] = CLIP;");
                line(3, "else if (g[i] < -CLIP) g[i] = -CLIP;");
                line(3, "p[i] -= LR * (steps - step) / steps * g[i];");
                line(2, "}");
            }
            default -> throw new IllegalArgumentException("optimizer " + kind);
        }
        line(1, "}");
    }

    private void block(int indent, List<Stmt> body) {
        for (Stmt s : body) stmt(indent, s);
    }

    private void stmt(int indent, Stmt s) {
        if (s instanceof DeclD d) {
            line(indent, "double " + d.name() + " = " + expr(d.init()) + ";");
        } else if (s instanceof Set a) {
            line(indent, a.name() + " " + a.op() + " " + expr(a.value()) + ";");
        } else if (s instanceof Inc i) {
            line(indent, i.name() + (i.up() ? "++;" : "--;"));
        } else if (s instanceof DeclArr a) {
            line(indent, "double[] " + a.name() + " = new double[" + a.length() + "];");
        } else if (s instanceof DeclArrInit a) {
            StringBuilder b = new StringBuilder();
            for (Expr e : a.elements()) b.append(b.length() > 0 ? ", " : "").append(expr(e));
            line(indent, "double[] " + a.name() + " = {" + b + "};");
        } else if (s instanceof Alias a) {
            line(indent, "double[] " + a.name() + " = " + expr(a.value()) + ";");
        } else if (s instanceof Decl2 a) {
            line(indent, "double[][] " + a.name() + " = new double[" + a.rows() + "][" + a.columns() + "];");
        } else if (s instanceof SetElem a) {
            line(indent, a.array() + "[" + expr(a.index()) + "] " + a.op() + " " + expr(a.value()) + ";");
        } else if (s instanceof SetElem2 a) {
            line(indent, a.array() + "[" + expr(a.row()) + "][" + expr(a.column()) + "] " + a.op() + " "
                    + expr(a.value()) + ";");
        } else if (s instanceof If f) {
            line(indent, "if (" + expr(f.condition()) + ") {");
            block(indent + 1, f.then());
            if (!f.otherwise().isEmpty()) {
                line(indent, "} else {");
                block(indent + 1, f.otherwise());
            }
            line(indent, "}");
        } else if (s instanceof For f) {
            line(indent, "for (int " + f.var() + " = 0; " + f.var() + " < " + expr(f.bound()) + "; " + f.var() + "++) {");
            block(indent + 1, f.body());
            line(indent, "}");
        } else if (s instanceof While w) {
            line(indent, "int " + w.var() + " = 0;");
            line(indent, "while (" + w.var() + " < " + expr(w.bound()) + ") {");
            block(indent + 1, w.body());
            line(indent + 1, w.var() + "++;");
            line(indent, "}");
        } else if (s instanceof Do d) {
            line(indent, "int " + d.var() + " = 0;");
            line(indent, "do {");
            block(indent + 1, d.body());
            line(indent + 1, d.var() + "++;");
            line(indent, "} while (" + d.var() + " < " + expr(d.bound()) + ");");
        } else if (s instanceof Break b) {
            line(indent, "if (" + expr(b.condition()) + ") break;");
        } else if (s instanceof Continue c) {
            line(indent, "if (" + expr(c.condition()) + ") continue;");
        } else {
            throw new IllegalArgumentException("statement " + s);
        }
    }

    static String num(double d) {
        String s = Ast.doubleLiteral(d);
        return d < 0 || (d == 0 && 1 / d < 0) ? "(" + s + ")" : s;
    }

    static String expr(Expr e) {
        if (e instanceof Num n) return num(n.value());
        if (e instanceof Local l) return l.name();
        if (e instanceof Scalar s) return "p" + s.index();
        if (e instanceof Elem a) return a.array() + "[" + expr(a.index()) + "]";
        if (e instanceof Elem2 a) return a.array() + "[" + expr(a.row()) + "][" + expr(a.column()) + "]";
        if (e instanceof Bin b) return "(" + expr(b.a()) + " " + b.op() + " " + expr(b.b()) + ")";
        if (e instanceof Neg n) return "(-" + expr(n.a()) + ")";
        if (e instanceof Fun f) return f.function() + args(f.args());
        if (e instanceof Call c) return c.helper() + args(c.args());
        if (e instanceof Cond c) return "(" + expr(c.condition()) + " ? " + expr(c.a()) + " : " + expr(c.b()) + ")";
        if (e instanceof IntToDouble i) return "((double) " + expr(i.value()) + ")";
        if (e instanceof IVal i) return Integer.toString(i.value());
        if (e instanceof IVar i) return i.name();
        if (e instanceof IMod m) return "(" + expr(m.a()) + " % " + m.modulus() + ")";
        if (e instanceof ILen l) return l.array() + ".length";
        if (e instanceof ILabel l) return "s.label()";
        if (e instanceof Cmp c) return "(" + expr(c.a()) + " " + c.op() + " " + expr(c.b()) + ")";
        if (e instanceof ICmp c) return "(" + expr(c.a()) + " " + c.op() + " " + expr(c.b()) + ")";
        if (e instanceof And a) return "(" + expr(a.a()) + " && " + expr(a.b()) + ")";
        if (e instanceof Or o) return "(" + expr(o.a()) + " || " + expr(o.b()) + ")";
        if (e instanceof Not n) return "(!" + expr(n.a()) + ")";
        if (e instanceof Arr a) return a.name();
        if (e instanceof Row r) return r.array() + "[" + expr(r.index()) + "]";
        throw new IllegalArgumentException("expression " + e);
    }

    private static String args(List<Expr> args) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < args.size(); i++) b.append(i > 0 ? ", " : "").append(expr(args.get(i)));
        return b.append(')').toString();
    }
}
