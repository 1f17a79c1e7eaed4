package org.jetsketch.processor.codegen;

import com.squareup.javapoet.MethodSpec;
import com.squareup.javapoet.TypeName;
import org.jetsketch.processor.ir.Expr;
import org.jetsketch.processor.primitives.Primitive;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/** {@link ModeEmitter} on doubles: a value or an adjoint is a Java variable or element. */
final class RealEmitter implements ModeEmitter {
    private final AdjointWriter w;
    private final String ws;

    RealEmitter(AdjointWriter w) {
        this.w = w;
        this.ws = w.ws;
    }

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
    public String adjoint(String v) { return w.scalarBar(v); }

    @Override
    public String state(String field) { return field; }

    @Override
    public String element(String array, Expr index) { return array + "[" + w.expr(index) + "]"; }

    @Override
    public String realOfValue(String v) { return v; }

    @Override
    public String realOfState(String field) { return field; }

    @Override
    public String realOfElement(String array, Expr index) { return element(array, index); }

    @Override
    public String activeLength(String array) { return array + ".length"; }

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
    public void resultAdjointParameter(MethodSpec.Builder b) { b.addParameter(TypeName.DOUBLE, w.resultArray); }

    @Override
    public void declareScalarAdjoints(Code prologue) {
        for (String v : w.scalarBars) prologue.line("double " + w.bar(v) + " = 0.0;");
    }

    @Override
    public void argumentAdjoint(Code body, String p, int k) {
        body.line(ws + ".argumentAdjoints[" + k + "] = " + w.scalarBar(p) + ";");
    }

    @Override
    public Code workspaceLocals(Set<String> names, boolean reverse) { return new Code(); }

    @Override
    public void returnScalar(Expr v, Code fwd, Code revStart) {
        fwd.line("return " + w.expr(v) + ";");
        if (w.reversible && v instanceof Expr.Local l && w.activeVar(l.name())) {
            revStart.line(w.bar(l.name()) + " += " + w.resultArray + ";");
        }
    }

    @Override
    public String forwardComparison(Expr.Binary b) { return w.passiveBinary(b); }

    @Override
    public void appendTemporaries(Code fwd, Code temporaries, Expr value) {
        fwd.computing(temporaries, w.readsOf(List.of(value)));
    }

    @Override
    public void temporary(Operations.Node n, Code fwd, List<String> pops) {
        String code = w.realForward(n, fwd, pops);
        if (n.keep && w.reversible) {
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
        String code = w.realForward(n, temporaries, pops);
        fwd.computing(temporaries, w.readsOf(List.of(value)));
        if (n.keep && w.reversible) {
            w.assign(fwd, target, targetCode, ws + ".push(" + code + ")", List.of(value));
            pops.add("final double " + n.name + " = " + ws + ".pop();");
        } else {
            w.assign(fwd, target, targetCode, code, List.of(value));
        }
    }

    @Override
    public void copy(Operations.Leaf leaf, Expr target, String targetCode, Expr value, Code fwd, List<String> pops) {
        w.assign(fwd, target, targetCode, w.realOperand(leaf), List.of(value));
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
    public void bindAdjointRule(Operations.Node n, AdjointWriter.Bindings v, Supplier<String> result, Code r) {
        v.lazy("y", result != null ? result : () -> n.name);
    }

    @Override
    public String ruleOperand(Operations.Opnd a) { return w.realOperand(a); }

    @Override
    public List<String> operandAdjoint(Primitive p, int i, AdjointWriter.Bindings v, String g) {
        String c = v.fill(p.realAdjoint.get(i));
        return List.of(c.startsWith("-") ? g + " -= " + c.substring(1) + ";" : g + " += " + c + ";");
    }

    @Override
    public String operationAdjoint(Primitive p, int i, AdjointWriter.Bindings v, String gy, boolean stable,
            String child, List<String> rules, Code r) {
        String c = v.fill(p.realAdjoint.get(i));
        if (stable && c.equals(gy)) return gy;
        String g = child + "Bar";
        rules.add("final double " + g + " = " + c + ";");
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
    public String scalarArgument(Operations.Leaf leaf, Code fwd, List<String> pops) { return w.realOperand(leaf); }

    @Override
    public String addArgumentAdjoint(int k, String bar) { return bar + " += " + ws + ".argumentAdjoints[" + k + "];"; }
}
