package org.jetsketch.processor.codegen;

import com.squareup.javapoet.MethodSpec;
import com.squareup.javapoet.TypeName;
import org.jetsketch.processor.ir.Expr;
import org.jetsketch.processor.primitives.Primitive;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@link ModeEmitter} on jets: a value or an adjoint is an {@code array, offset} pair, worked on
 * by the {@code Jets} kernels; the workspace locals it writes are named through the writer, which
 * declares the ones its sweeps name.
 */
final class JetEmitter implements ModeEmitter {
    private final EmitContext w;
    /** The jet workspace's locals: declared at the top of a sweep that names them (see {@link #workspaceLocals}). */
    private final String jets;
    private final String stride;
    private final String val;
    private final String adj;
    private final String scratch;
    /** The frame: active scalars and temporaries, in order; their offsets are {@code (frameBase + index) * S}. */
    private final Map<String, Integer> slots = new LinkedHashMap<>();
    private int frameBase;

    JetEmitter(EmitContext w, String jets, String stride, String val, String adj, String scratch) {
        this.w = w;
        this.jets = jets;
        this.stride = stride;
        this.val = val;
        this.adj = adj;
        this.scratch = scratch;
    }

    private String jets() { return w.named(jets); }

    private String val() { return w.named(val); }

    private String adj() { return w.named(adj); }

    private String scratch() { return w.named(scratch); }

    private String stride() { return w.named(stride); }

    /** The frame slot of an active scalar variable or temporary (allocated on first use), named by the sweep being written. */
    private String slot(String name) {
        allocate(name);
        return w.named(name);
    }

    /** Gives {@code name} a frame slot if it has none (the offset local is named by the code that uses it). */
    private void allocate(String name) {
        slots.computeIfAbsent(name, n -> slots.size());
    }

    /** The offset of jet {@code index} of a jet array. */
    private String offset(Expr index) {
        if (index instanceof Expr.Literal l && BodyText.isIntZero(l)) return "0";
        return JavaExpr.binary(w.java(index), "*", JavaExpr.name(stride())).text();
    }

    @Override
    public int frameSize() { return slots.size(); }

    @Override
    public void placeFrame(int base) { frameBase = base; }

    @Override
    public String variable(String v) { return val() + ", " + w.named(v); }

    @Override
    public String push(String ref) { return w.ws() + ".pushJet(" + ref + ");"; }

    @Override
    public String pop(String ref) { return w.ws() + ".popJet(" + ref + ");"; }

    @Override
    public String popDeclaring(String v) { return pop(variable(v)); }

    @Override
    public String zeroAdjoint(String bar) { return jets() + ".zero(" + bar + ");"; }

    @Override
    public String addAdjoint(String from, String into) { return jets() + ".addScaled(" + from + ", 1.0, " + into + ");"; }

    @Override
    public void declareScalar(Code c, String v, boolean initialized) { }

    @Override
    public void declareScalarDefault(Code c, String v) { }

    @Override
    public String passiveArgument(Expr a, Code fwd) { return w.convertedConstants(a, fwd); }

    @Override
    public String value(String v) { return val() + ", " + slot(v); }

    @Override
    public String adjoint(String v) { return adj() + ", " + slot(v); }

    @Override
    public String state(String field) { return field + ", 0"; }

    @Override
    public String element(String array, Expr index) { return array + ", " + offset(index); }

    @Override
    public JavaExpr realOfValue(String v) { return JavaExpr.primary(val() + "[" + slot(v) + "]"); }

    @Override
    public JavaExpr realOfState(String field) { return JavaExpr.primary(field + "[0]"); }

    @Override
    public String realOfElement(String array, Expr index) { return array + "[" + offset(index) + "]"; }

    @Override
    public JavaExpr activeLength(JavaExpr array) {
        return JavaExpr.binary(JavaExpr.member(array, "length"), "/", JavaExpr.name(stride()));
    }

    @Override
    public String arrays() { return "jets"; }

    @Override
    public String constants(String passive) { return w.ws() + ".constants(" + passive + ")"; }

    /** The extra parameters that carry an active scalar argument's jet: an array and an offset. */
    private static String jetArray(String p) { return p + "Jet"; }

    private static String jetOffset(String p) { return p + "At"; }

    @Override
    public void activeScalarParameter(MethodSpec.Builder b, Code prologue, String p, TypeName type) {
        b.addParameter(double[].class, jetArray(p)).addParameter(TypeName.INT, jetOffset(p));
        prologue.line(jets() + ".copy(" + jetArray(p) + ", " + jetOffset(p) + ", " + val() + ", " + slot(p) + ");");
    }

    @Override
    public void activeScalarResult(MethodSpec.Builder b, TypeName declared) {
        resultAdjointParameter(b);
        b.returns(TypeName.VOID);
    }

    @Override
    public void resultAdjointParameter(MethodSpec.Builder b) {
        b.addParameter(double[].class, RESULT).addParameter(TypeName.INT, RESULT_AT);
    }

    @Override
    public void declareScalarAdjoints(Code prologue) { }

    @Override
    public void argumentAdjoint(Code body, String p, int k) {
        body.line(jets() + ".copy(" + adj() + ", " + slot(p) + ", " + adj() + ", "
                + (k == 0 ? "0" : k + " * " + stride()) + ");");
    }

    @Override
    public Code workspaceLocals(Set<String> names, boolean reverse) {
        String ws = w.ws();
        Code c = new Code();
        boolean clearsFrame = reverse && !slots.isEmpty();
        if (names.contains(jets)) c.line("final " + Code.type(Names.JETS) + " " + jets + " = " + ws + ".jets;");
        if (names.contains(val)) c.line("final double[] " + val + " = " + ws + ".val;");
        if (names.contains(adj) || clearsFrame) c.line("final double[] " + adj + " = " + ws + ".adj;");
        if (names.contains(scratch)) c.line("final double[] " + scratch + " = " + ws + ".scratch;");
        boolean offsets = slots.keySet().stream().anyMatch(names::contains);
        if (names.contains(stride) || offsets || clearsFrame) c.line("final int " + stride + " = " + ws + ".stride;");
        for (Map.Entry<String, Integer> e : slots.entrySet()) {
            if (names.contains(e.getKey())) {
                c.line("final int " + e.getKey() + " = " + (frameBase + e.getValue()) + " * " + stride + ";");
            }
        }
        if (clearsFrame) {
            c.line("java.util.Arrays.fill(" + adj + ", " + frameBase + " * " + stride + ", "
                    + (frameBase + slots.size()) + " * " + stride + ", 0.0);");
        }
        return c;
    }

    @Override
    public void returnScalar(Expr v, Code fwd, Code revStart) {
        String result = RESULT + ", " + RESULT_AT;
        if (v instanceof Expr.Local l && w.activeVar(l.name())) {
            fwd.line(jets() + ".copy(" + val() + ", " + w.named(l.name()) + ", " + result + ");");
            if (w.reversible()) {
                revStart.line(w.inReverse(() -> jets() + ".addScaled(" + result + ", 1.0, " + adjoint(l.name()) + ");"));
            }
        } else {
            fwd.line(jets() + ".constant(" + w.real(v) + ", " + result + ");");
        }
    }

    @Override
    public JavaExpr forwardComparison(Expr.Binary b) { return monitoredComparison(b); }

    /**
     * A comparison of active values in the jet forward sweep: decided by the real parts, with the
     * compared jets shown to the workspace's branch observer first.
     */
    private JavaExpr monitoredComparison(Expr.Binary b) {
        String op = Code.type(Names.JET_WORKSPACE) + "." + switch (b.op()) {
            case LT -> "LT";
            case LE -> "LE";
            case GT -> "GT";
            case GE -> "GE";
            case EQ -> "EQ";
            default -> "NE";
        };
        if (!(isLeaf(b.left()) && isLeaf(b.right()))) {
            // an operation evaluated only on the real parts (behind && or ?:): decided, not shown
            return w.passiveBinary(b);
        }
        String left = w.active(b.left()) ? w.valueRef(strip(b.left())) : w.real(b.left());
        String right = w.active(b.right()) ? w.valueRef(strip(b.right())) : w.real(b.right());
        return JavaExpr.primary(w.ws() + ".compare(" + w.site(b) + ", " + op + ", " + left + ", " + right + ")");
    }

    private boolean isLeaf(Expr e) {
        Expr x = strip(e);
        return !w.active(x) || x instanceof Expr.Local || x instanceof Expr.Field || x instanceof Expr.ArrayAccess;
    }

    private static Expr strip(Expr e) {
        while (e instanceof Expr.Cast c) e = c.operand();
        return e;
    }

    @Override
    public void appendTemporaries(Code fwd, Code temporaries, Expr value) { fwd.append(temporaries); }

    @Override
    public void temporary(Operations.Node n, Code fwd, List<String> pops) {
        String out = value(n.name);
        forward(n, out, () -> realOfValue(n.name).text(), fwd, pops);
        if (n.keep && w.reversible()) {
            fwd.line(push(out));
            pops.add(w.inReverse(() -> pop(value(n.name))));
        }
    }

    @Override
    public void root(Operations.Node n, Expr target, Expr value, String targetCode, boolean accumulate, Code fwd,
            List<String> pops) {
        if (accumulate) {
            String b = operand(n.args.get(1), fwd, pops, ruleReads(n.p, "b"));
            String jets = jets();
            if (n.p == Primitive.ADD) {
                fwd.line(jets + ".addScaled(" + b + ", 1.0, " + targetCode + ");");
            } else if (n.p == Primitive.SUB) {
                fwd.line(jets + ".addScaled(" + b + ", -1.0, " + targetCode + ");");
            } else if (n.p == Primitive.FMA) {
                fwd.line(jets + ".mulAdd(" + b + ", " + operand(n.args.get(2), fwd, pops, true) + ", "
                        + targetCode + ");");
            } else {
                fwd.line(jets + ".addScaled(" + b + ", " + w.immediate(n, fwd, pops) + ", " + targetCode + ");");
            }
        } else {
            forward(n, targetCode, () -> w.realPart(target).text(), fwd, pops);
        }
        if (n.keep && w.reversible()) {
            fwd.line(push(targetCode));
            pops.add(w.inReverse(() -> pop(val() + ", " + slot(n.name))));
        }
    }

    @Override
    public void copy(Operations.Leaf leaf, Expr target, String targetCode, Expr value, Code fwd, List<String> pops) {
        String from = leaf.active ? operand(leaf, fwd, pops, false) : w.real(leaf.e);
        fwd.line(jets() + (leaf.active ? ".copy(" : ".constant(") + from + ", " + targetCode + ");");
    }

    @Override
    public String takeAdjoint(String bar, String node, Code r) {
        String g = adjoint(node);
        r.line(jets() + ".copy(" + bar + ", " + g + ");");
        r.line(zeroAdjoint(bar));
        return g;
    }

    @Override
    public void reserveParameterSlot(String p) { allocate(p); }

    @Override
    public void bindAdjointRule(Operations.Node n, Bindings v, Expr resultIn, Code r) {
        for (int i = 0; i < n.args.size(); i++) {
            Operations.Opnd a = n.args.get(i);
            if (v.has(Operations.letter(i))) v.lazy(Operations.letter(i) + ".re", () -> realOfOperand(a));
        }
        if (resultIn != null) {
            v.lazy("y", () -> w.valueRef(resultIn));
            v.lazy("y.re", () -> w.realPart(resultIn).text());
        } else {
            // the result's slot is allocated here, where the rules are written, named only if a rule reads y
            allocate(n.name);
            v.lazy("y", () -> value(n.name));
            v.lazy("y.re", () -> realOfValue(n.name).text());
        }
        bindCommon(v);
        for (RuleStatement s : RuleStatement.of(n.p.jetAdjointPrelude)) r.line(s.fill(v).text());
    }

    @Override
    public String ruleOperand(Operations.Opnd a) {
        if (a instanceof Operations.Node n) return value(n.name);
        Operations.Leaf leaf = (Operations.Leaf) a;
        return leaf.active ? w.valueRef(leaf.e) : value(leaf.name);
    }

    /**
     * The jet forward rule of {@code n} writing its result into {@code out}, whose real part is
     * {@code outReal}; the operation's branch decision, if it has one, shown to the monitor first.
     */
    private void forward(Operations.Node n, String out, Supplier<String> outReal, Code fwd, List<String> pops) {
        Bindings v = new Bindings();
        for (int i = 0; i < n.args.size(); i++) {
            Operations.Opnd a = n.args.get(i);
            v.put(Operations.letter(i), operand(a, fwd, pops, ruleReads(n.p, Operations.letter(i))));
            v.lazy(Operations.letter(i) + ".re", () -> realOfOperand(a));
        }
        if (n.p.hasImmediate) v.put("k", w.immediate(n, fwd, pops));
        v.put("y", out);
        v.lazy("y.re", outReal);
        bindCommon(v);
        if (n.source != null && (n.p == Primitive.MAX || n.p == Primitive.MIN)) {
            fwd.line(w.ws() + ".branch(" + w.site(n.source) + ", " + v.get("a") + ", " + v.get("b") + ");");
        } else if (n.source != null && (n.p == Primitive.ABS || n.p == Primitive.RELU)) {
            fwd.line(w.ws() + ".branch(" + w.site(n.source) + ", " + v.get("a") + ", 0.0);");
        }
        for (RuleStatement s : RuleStatement.of(n.p.jetForward)) fwd.line(s.fill(v).text());
    }

    /** The jet rules' common placeholders: the kernels and the scratch jets. */
    private void bindCommon(Bindings v) {
        v.lazy("j", this::jets);
        v.lazy("t0", () -> scratch() + ", 0");
        v.lazy("t1", () -> scratch() + ", " + stride());
        v.lazy("t2", () -> scratch() + ", 2 * " + stride());
    }

    /** The real part of operand {@code o}, which {@link #operand} made a jet (for a rule's {@code {a.re}}). */
    private String realOfOperand(Operations.Opnd o) {
        if (o instanceof Operations.Node n) return realOfValue(n.name).text();
        Operations.Leaf leaf = (Operations.Leaf) o;
        return leaf.active ? w.realPart(leaf.e).text() : realOfValue(leaf.name).text();
    }

    /**
     * A jet operand as {@code array, offset}. A passive operand becomes a constant jet in a frame
     * slot; when an adjoint rule reads it, the reverse sweep makes it again.
     */
    private String operand(Operations.Opnd o, Code fwd, List<String> pops, boolean readByRule) {
        if (o instanceof Operations.Node n) return value(n.name);
        Operations.Leaf leaf = (Operations.Leaf) o;
        if (leaf.active) return w.valueRef(leaf.e);
        if (leaf.name == null) leaf.name = w.fresh("c");
        String out = value(leaf.name);
        String jets = jets();
        if (readByRule && w.reversible()) {
            if (AdjointWriter.pure(leaf.e)) {
                fwd.line(jets + ".constant(" + w.real(leaf.e) + ", " + out + ");");
                pops.add(w.inReverse(() -> jets() + ".constant(" + w.real(leaf.e) + ", " + value(leaf.name) + ");"));
            } else {
                String name = w.fresh("v");
                fwd.line("final double " + name + " = " + w.ws() + ".push(" + w.real(leaf.e) + ");");
                fwd.line(jets + ".constant(" + name + ", " + out + ");");
                pops.add(w.inReverse(() -> jets() + ".constant(" + w.ws() + ".pop(), " + value(leaf.name) + ");"));
            }
        } else {
            fwd.line(jets + ".constant(" + w.real(leaf.e) + ", " + out + ");");
        }
        return out;
    }

    @Override
    public List<RuleStatement.Line> operandAdjoint(Primitive p, int i, Bindings v, String g) {
        v.put("g" + Operations.letter(i), g);
        return filled(p.jetAdjoint.get(i), v);
    }

    private static List<RuleStatement.Line> filled(String template, Bindings v) {
        List<RuleStatement.Line> out = new ArrayList<>();
        for (RuleStatement s : RuleStatement.of(template)) out.add(s.fill(v));
        return out;
    }

    @Override
    public String operationAdjoint(Primitive p, int i, Bindings v, String gy, boolean stable,
            String child, List<RuleStatement.Line> rules, Code r) {
        String ga = "g" + Operations.letter(i);
        // written aside: what the contribution names is named only if it is written
        Set<String> names = new HashSet<>();
        String g = w.namingInto(names, () -> adj() + ", " + slot(child));
        v.put(ga, g);
        List<RuleStatement> template = RuleStatement.of(p.jetAdjoint.get(i));
        List<RuleStatement.Line> contribution = w.namingInto(names, () -> filled(p.jetAdjoint.get(i), v));
        // jets.addScaled(x, f, g) into the cleared g is jets.copy(x, g) or jets.scale(x, f, g)
        RuleStatement single = template.size() == 1 && template.get(0).addsScaledInto(ga) ? template.get(0) : null;
        // the factor as bound: a literal 1.0 in the table or an immediate k that is the literal 1.0
        String factor = single == null ? null : w.namingInto(names, () -> v.fill(single.factor()));
        boolean unit = "1.0".equals(factor);
        if (single != null && stable && unit && single.addedJet().equals("{gy}")) {
            // the operation's adjoint is this one's: no copy, the same jet
            return gy;
        }
        w.noteNamed(names);
        if (single != null) {
            String x = v.fill(single.addedJet());
            rules.add(RuleStatement.Line.of(unit ? jets + ".copy(" + x + ", " + g + ");"
                    : jets + ".scale(" + x + ", " + factor + ", " + g + ");"));
        } else {
            r.line(jets() + ".zero(" + g + ");");
            rules.addAll(contribution);
        }
        return g;
    }

    @Override
    public boolean chunksElementwiseLoops() { return false; }

    @Override
    public boolean ruleReads(Primitive p, String name) { return p.adjointReads(name, true); }

    @Override
    public String discardedResult() { return ", " + scratch() + ", 0"; }

    @Override
    public String zeroSeed(Code r) {
        r.line(jets() + ".zero(" + scratch() + ", 0);");
        return scratch() + ", 0";
    }

    @Override
    public void callInto(String call, Expr target, String targetCode, List<Expr> args, Code fwd) {
        fwd.line(call + ", " + targetCode + ");");
    }

    @Override
    public void callHoldingResult(String call, String push, String targetCode, Code fwd) {
        fwd.line(call + ", " + scratch() + ", 0);");
        fwd.line(push);
        fwd.line(jets() + ".copy(" + scratch() + ", 0, " + targetCode + ");");
    }

    @Override
    public String activeResultAsPassive(String call) {
        throw new IllegalStateException("passive use of an active result: " + call);
    }

    @Override
    public String takeSeed(String bar, Code r) {
        r.line(jets() + ".copy(" + bar + ", " + scratch() + ", 0);");
        r.line(zeroAdjoint(bar));
        return scratch() + ", 0";
    }

    @Override
    public String scalarArgument(Operations.Leaf leaf, Code fwd, List<String> pops) {
        return operand(leaf, fwd, pops, false);
    }

    @Override
    public String addArgumentAdjoint(int k, String bar) {
        return jets() + ".addScaled(" + adj() + ", " + (k == 0 ? "0" : k + " * " + stride()) + ", 1.0, "
                + bar + ");";
    }
}
