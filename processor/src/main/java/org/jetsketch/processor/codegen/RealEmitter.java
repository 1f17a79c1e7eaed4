package org.jetsketch.processor.codegen;

import com.squareup.javapoet.MethodSpec;
import com.squareup.javapoet.TypeName;
import org.jetsketch.processor.ir.Expr;
import org.jetsketch.processor.primitives.Primitive;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** {@link ModeEmitter} on doubles: a value or an adjoint is a Java variable or element. */
final class RealEmitter implements ModeEmitter {
    private final EmitContext w;
    private final String ws;

    /** Scalar adjoints the reverse sweep declares: every active scalar variable it touched. */
    private final Set<String> scalarBars = new TreeSet<>();

    RealEmitter(EmitContext w) {
        this.w = w;
        this.ws = w.ws();
    }

    /** The adjoint local of active scalar variable {@code v}, declared by the reverse sweep. */
    private String scalarBar(String v) {
        scalarBars.add(v);
        return w.bar(v);
    }

    @Override
    public int frameSize() { return 0; }

    @Override
    public void placeFrame(int base) { }

    @Override
    public String variable(String v) { return v; }

    @Override
    public String push(String ref) { return ws + ".push(" + ref + ");"; }

    @Override
    public String pop(String ref) { return ref + " = " + ws + ".pop();"; }

    @Override
    public String popDeclaring(String v) { return "double " + v + " = " + ws + ".pop();"; }

    @Override
    public String zeroAdjoint(String bar) { return bar + " = 0.0;"; }

    @Override
    public String addAdjoint(String from, String into) { return into + " += " + from + ";"; }

    @Override
    public void declareScalar(Code c, String v, boolean initialized) {
        c.declare("double", v, initialized ? "0.0" : null, Set.of());
    }

    @Override
    public void declareScalarDefault(Code c, String v) { c.line("double " + v + " = 0.0;"); }

    @Override
    public String passiveArgument(Expr a, Code fwd) { return w.expr(a); }

    @Override
    public String value(String v) { return v; }

    @Override
    public String adjoint(String v) { return scalarBar(v); }

    @Override
    public String state(String field) { return field; }

    @Override
    public String element(String array, Expr index) { return array + "[" + w.expr(index) + "]"; }

    @Override
    public JavaExpr realOfValue(String v) { return JavaExpr.name(v); }

    @Override
    public JavaExpr realOfState(String field) { return JavaExpr.name(field); }

    @Override
    public String realOfElement(String array, Expr index) { return element(array, index); }

    @Override
    public JavaExpr activeLength(JavaExpr array) { return JavaExpr.member(array, "length"); }

    @Override
    public String arrays() { return "doubles"; }

    @Override
    public String constants(String passive) { return passive; }

    @Override
    public void activeScalarParameter(MethodSpec.Builder b, Code prologue, String p, TypeName type) {
        b.addParameter(type, p);
    }

    @Override
    public void activeScalarResult(MethodSpec.Builder b, TypeName declared) { b.returns(declared); }

    @Override
    public void resultAdjointParameter(MethodSpec.Builder b) { b.addParameter(TypeName.DOUBLE, RESULT); }

    @Override
    public void declareScalarAdjoints(Code prologue) {
        for (String v : scalarBars) prologue.line("double " + w.bar(v) + " = 0.0;");
    }

    @Override
    public void argumentAdjoint(Code body, String p, int k) {
        body.line(ws + ".argumentAdjoints[" + k + "] = " + scalarBar(p) + ";");
    }

    @Override
    public Code workspaceLocals(Set<String> names, boolean reverse) { return new Code(); }

    @Override
    public void returnScalar(Expr v, Code fwd, Code revStart) {
        fwd.line("return " + w.expr(v) + ";");
        if (w.reversible() && v instanceof Expr.Local l && w.activeVar(l.name())) {
            revStart.line(w.bar(l.name()) + " += " + RESULT + ";");
        }
    }

    @Override
    public JavaExpr forwardComparison(Expr.Binary b) { return w.passiveBinary(b); }

    @Override
    public void appendTemporaries(Code fwd, Code temporaries, Expr value) {
        fwd.computing(temporaries, w.readsOf(List.of(value)));
    }

    @Override
    public void temporary(Operations.Node n, Code fwd, List<String> pops) {
        String code = realForward(n, fwd, pops);
        if (n.keep && w.reversible()) {
            fwd.line("final double " + n.name + " = " + ws + ".push(" + code + ");");
            pops.add("final double " + n.name + " = " + ws + ".pop();");
        } else {
            fwd.line("final double " + n.name + " = " + code + ";");
        }
    }

    @Override
    public void root(Operations.Node n, Expr target, Expr value, String targetCode, boolean accumulate, Code fwd,
            List<String> pops) {
        // on doubles an accumulation is the assignment itself: v = v + e
        Code temporaries = new Code();
        String code = realForward(n, temporaries, pops);
        fwd.computing(temporaries, w.readsOf(List.of(value)));
        if (n.keep && w.reversible()) {
            w.assign(fwd, target, targetCode, ws + ".push(" + code + ")", List.of(value));
            pops.add("final double " + n.name + " = " + ws + ".pop();");
        } else {
            w.assign(fwd, target, targetCode, code, List.of(value));
        }
    }

    @Override
    public void copy(Operations.Leaf leaf, Expr target, String targetCode, Expr value, Code fwd, List<String> pops) {
        w.assign(fwd, target, targetCode, realOperand(leaf), List.of(value));
    }

    @Override
    public String takeAdjoint(String bar, String node, Code r) {
        String g = w.fresh("g");
        r.line("final double " + g + " = " + bar + ";");
        r.line(zeroAdjoint(bar));
        return g;
    }

    @Override
    public void reserveParameterSlot(String p) { }

    @Override
    public void bindAdjointRule(Operations.Node n, Bindings v, Expr resultIn, Code r) {
        v.lazy("y", resultIn != null ? () -> w.valueRef(resultIn) : () -> n.name);
    }

    @Override
    public String ruleOperand(Operations.Opnd a) { return realOperand(a); }

    @Override
    public List<RuleStatement.Line> operandAdjoint(Primitive p, int i, Bindings v, String g) {
        // a contribution the table writes negated ("-{gy} / {b} * {y}") is subtracted
        String template = p.realAdjoint.get(i);
        boolean negated = template.startsWith("-");
        String c = v.fill(negated ? template.substring(1) : template);
        return List.of(RuleStatement.Line.of(g + (negated ? " -= " : " += ") + c + ";"));
    }

    @Override
    public String operationAdjoint(Primitive p, int i, Bindings v, String gy, boolean stable,
            String child, List<RuleStatement.Line> rules, Code r) {
        String template = p.realAdjoint.get(i);
        // the contribution is the operation's adjoint itself: no copy
        if (stable && template.equals("{gy}")) return gy;
        String g = child + "Bar";
        rules.add(RuleStatement.Line.of("final double " + g + " = " + v.fill(template) + ";"));
        return g;
    }

    @Override
    public boolean chunksElementwiseLoops() { return true; }

    @Override
    public boolean ruleReads(Primitive p, String name) { return p.adjointReads(name, false); }

    @Override
    public String discardedResult() { return ""; }

    @Override
    public String zeroSeed(Code r) {
        return "0.0";
    }

    @Override
    public void callInto(String call, Expr target, String targetCode, List<Expr> args, Code fwd) {
        w.assign(fwd, target, targetCode, call + ")", args);
    }

    @Override
    public void callHoldingResult(String call, String push, String targetCode, Code fwd) {
        w.callHoldingResult("double", call, push, targetCode, fwd);
    }

    @Override
    public String activeResultAsPassive(String call) { return call; }

    @Override
    public String takeSeed(String bar, Code r) {
        String seed = w.fresh("g");
        r.line("final double " + seed + " = " + bar + ";");
        r.line(zeroAdjoint(bar));
        return seed;
    }

    @Override
    public String scalarArgument(Operations.Leaf leaf, Code fwd, List<String> pops) { return realOperand(leaf); }

    @Override
    public String addArgumentAdjoint(int k, String bar) { return bar + " += " + ws + ".argumentAdjoints[" + k + "];"; }

    /** The real forward rule of {@code n} as an expression (its auxiliary value first, if any). */
    private String realForward(Operations.Node n, Code fwd, List<String> pops) {
        Map<String, String> v = new HashMap<>();
        for (int i = 0; i < n.args.size(); i++) {
            v.put(Operations.letter(i), realOperandForward(n.args.get(i), n, i, fwd, pops));
        }
        if (n.p.hasImmediate) v.put("k", w.immediate(n, fwd, pops));
        if (n.p.realAux != null) {
            String aux = w.fresh("x");
            n.aux = aux;
            String code = JavaExpr.fill(Code.typesMarked(n.p.realAux), v::get);
            if (w.reversible() && ruleReads(n.p, "x")) {
                fwd.line("final double " + aux + " = " + ws + ".push(" + code + ");");
                pops.add("final double " + aux + " = " + ws + ".pop();");
            } else {
                fwd.line("final double " + aux + " = " + code + ";");
            }
            v.put("x", aux);
        }
        return JavaExpr.fill(Code.typesMarked(w.unchecked() ? n.p.poisonedForward : n.p.realForward), v::get);
    }

    /** A real operand; a passive one that an adjoint rule reads and cannot recompute is pushed. */
    private String realOperandForward(Operations.Opnd o, Operations.Node parent, int index, Code fwd, List<String> pops) {
        if (o instanceof Operations.Node n) return n.name;
        Operations.Leaf leaf = (Operations.Leaf) o;
        if (!leaf.active && !AdjointWriter.pure(leaf.e) && w.reversible() && ruleReads(parent.p, Operations.letter(index))) {
            String name = w.fresh("v");
            leaf.name = name;
            fwd.line("final double " + name + " = " + ws + ".push(" + w.real(leaf.e) + ");");
            pops.add("final double " + name + " = " + ws + ".pop();");
            return name;
        }
        return realOperand(leaf);
    }

    private String realOperand(Operations.Opnd o) {
        if (o instanceof Operations.Node n) return n.name;
        Operations.Leaf leaf = (Operations.Leaf) o;
        if (leaf.name != null) return leaf.name;
        return leaf.active ? w.valueRef(leaf.e) : w.real(leaf.e);
    }
}
