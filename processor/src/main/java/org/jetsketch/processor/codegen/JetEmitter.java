package org.jetsketch.processor.codegen;

import com.squareup.javapoet.MethodSpec;
import com.squareup.javapoet.TypeName;
import org.jetsketch.processor.ir.Expr;
import org.jetsketch.processor.primitives.Primitive;

import java.util.HashSet;
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
    private final AdjointWriter w;

    JetEmitter(AdjointWriter w) { this.w = w; }

    @Override
    public String variable(String v) { return w.val() + ", " + w.named(v); }

    @Override
    public String push(String ref) { return w.ws + ".pushJet(" + ref + ");"; }

    @Override
    public String pop(String ref) { return w.ws + ".popJet(" + ref + ");"; }

    @Override
    public String popDeclaring(String v) { return pop(variable(v)); }

    @Override
    public String zeroAdjoint(String bar) { return w.jets() + ".zero(" + bar + ");"; }

    @Override
    public String addAdjoint(String from, String into) { return w.jets() + ".addScaled(" + from + ", 1.0, " + into + ");"; }

    @Override
    public void declareScalar(Code c, String v, boolean initialized) { }

    @Override
    public void declareScalarDefault(Code c, String v) { }

    @Override
    public String passiveArgument(Expr a, Code fwd) { return w.convertedConstants(a, fwd); }

    @Override
    public String value(String v) { return w.val() + ", " + w.slot(v); }

    @Override
    public String adjoint(String v) { return w.adj() + ", " + w.slot(v); }

    @Override
    public String state(String field) { return field + ", 0"; }

    @Override
    public String element(String array, Expr index) { return array + ", " + w.offset(index); }

    @Override
    public String realOfValue(String v) { return w.val() + "[" + w.slot(v) + "]"; }

    @Override
    public String realOfState(String field) { return field + "[0]"; }

    @Override
    public String realOfElement(String array, Expr index) { return array + "[" + w.offset(index) + "]"; }

    @Override
    public String activeLength(String array) { return "(" + array + ".length / " + w.stride() + ")"; }

    @Override
    public String arrays() { return "jets"; }

    @Override
    public String constants(String passive) { return w.ws + ".constants(" + passive + ")"; }

    /** The extra parameters that carry an active scalar argument's jet: an array and an offset. */
    private static String jetArray(String p) { return p + "Jet"; }

    private static String jetOffset(String p) { return p + "At"; }

    @Override
    public void activeScalarParameter(MethodSpec.Builder b, Code prologue, String p, TypeName type) {
        b.addParameter(double[].class, jetArray(p)).addParameter(TypeName.INT, jetOffset(p));
        prologue.line(w.jets() + ".copy(" + jetArray(p) + ", " + jetOffset(p) + ", " + w.val() + ", " + w.slot(p) + ");");
    }

    @Override
    public void activeScalarResult(MethodSpec.Builder b, TypeName declared) {
        resultAdjointParameter(b);
        b.returns(TypeName.VOID);
    }

    @Override
    public void resultAdjointParameter(MethodSpec.Builder b) {
        b.addParameter(double[].class, w.resultArray).addParameter(TypeName.INT, w.resultOffset);
    }

    @Override
    public void declareScalarAdjoints(Code prologue) { }

    @Override
    public void argumentAdjoint(Code body, String p, int k) {
        body.line(w.jets() + ".copy(" + w.adj() + ", " + w.slot(p) + ", " + w.adj() + ", "
                + (k == 0 ? "0" : k + " * " + w.stride()) + ");");
    }

    @Override
    public Code workspaceLocals(Set<String> names, boolean reverse) {
        String ws = w.ws, jets = w.jets, val = w.val, adj = w.adj, scratch = w.scratch, stride = w.stride;
        Map<String, Integer> slots = w.slots;
        Code c = new Code();
        boolean clearsFrame = reverse && !slots.isEmpty();
        if (names.contains(jets)) c.line("final Jets " + jets + " = " + ws + ".jets;");
        if (names.contains(val)) c.line("final double[] " + val + " = " + ws + ".val;");
        if (names.contains(adj) || clearsFrame) c.line("final double[] " + adj + " = " + ws + ".adj;");
        if (names.contains(scratch)) c.line("final double[] " + scratch + " = " + ws + ".scratch;");
        boolean offsets = slots.keySet().stream().anyMatch(names::contains);
        if (names.contains(stride) || offsets || clearsFrame) c.line("final int " + stride + " = " + ws + ".stride;");
        for (Map.Entry<String, Integer> e : slots.entrySet()) {
            if (names.contains(e.getKey())) {
                c.line("final int " + e.getKey() + " = " + (w.frameBase + e.getValue()) + " * " + stride + ";");
            }
        }
        if (clearsFrame) {
            c.line("java.util.Arrays.fill(" + adj + ", " + w.frameBase + " * " + stride + ", "
                    + (w.frameBase + slots.size()) + " * " + stride + ", 0.0);");
        }
        return c;
    }

    @Override
    public void returnScalar(Expr v, Code fwd, Code revStart) {
        String result = w.resultArray + ", " + w.resultOffset;
        if (v instanceof Expr.Local l && w.activeVar(l.name())) {
            fwd.line(w.jets() + ".copy(" + w.val() + ", " + w.named(l.name()) + ", " + result + ");");
            if (w.reversible) {
                revStart.line(w.inReverse(() -> w.jets() + ".addScaled(" + result + ", 1.0, " + adjoint(l.name()) + ");"));
            }
        } else {
            fwd.line(w.jets() + ".constant(" + w.real(v) + ", " + result + ");");
        }
    }

    @Override
    public String forwardComparison(Expr.Binary b) { return w.monitoredComparison(b); }

    @Override
    public void appendTemporaries(Code fwd, Code temporaries, Expr value) { fwd.append(temporaries); }

    @Override
    public void temporary(Operations.Node n, Code fwd, List<String> pops) {
        String out = value(n.name);
        w.jetForward(n, out, fwd, pops);
        if (n.keep && w.reversible) {
            fwd.line(push(out));
            pops.add(w.inReverse(() -> pop(value(n.name))));
        }
    }

    @Override
    public void root(Operations.Node n, Expr target, Expr value, String targetCode, boolean accumulate, Code fwd,
            List<String> pops) {
        if (accumulate) {
            String b = w.jetOperand(n.args.get(1), fwd, pops, ruleReads(n.p, "b"));
            String jets = w.jets();
            if (n.p == Primitive.ADD) {
                fwd.line(jets + ".addScaled(" + b + ", 1.0, " + targetCode + ");");
            } else if (n.p == Primitive.SUB) {
                fwd.line(jets + ".addScaled(" + b + ", -1.0, " + targetCode + ");");
            } else if (n.p == Primitive.FMA) {
                fwd.line(jets + ".mulAdd(" + b + ", " + w.jetOperand(n.args.get(2), fwd, pops, true) + ", "
                        + targetCode + ");");
            } else {
                fwd.line(jets + ".addScaled(" + b + ", " + w.immediate(n, fwd, pops) + ", " + targetCode + ");");
            }
        } else {
            w.jetForward(n, targetCode, fwd, pops);
        }
        if (n.keep && w.reversible) {
            fwd.line(push(targetCode));
            pops.add(w.inReverse(() -> pop(w.val() + ", " + w.slot(n.name))));
        }
    }

    @Override
    public void copy(Operations.Leaf leaf, Expr target, String targetCode, Expr value, Code fwd, List<String> pops) {
        String from = leaf.active ? w.jetOperand(leaf, fwd, pops, false) : w.real(leaf.e);
        fwd.line(w.jets() + (leaf.active ? ".copy(" : ".constant(") + from + ", " + targetCode + ");");
    }

    @Override
    public String takeAdjoint(String bar, String node, Code r) {
        String g = adjoint(node);
        r.line(w.jets() + ".copy(" + bar + ", " + g + ");");
        r.line(zeroAdjoint(bar));
        return g;
    }

    @Override
    public void reserveParameterSlot(String p) { w.allocate(p); }

    @Override
    public void bindAdjointRule(Operations.Node n, AdjointWriter.Bindings v, Supplier<String> result, Code r) {
        // the result's slot is allocated here, where the rules are written, named only if a rule reads y
        if (result == null) w.allocate(n.name);
        v.lazy("y", result != null ? result : () -> value(n.name));
        w.bindJet(v);
        if (!n.p.jetAdjointPrelude.isEmpty()) {
            for (String s : AdjointWriter.statements(v.fill(n.p.jetAdjointPrelude))) r.line(s);
        }
    }

    @Override
    public String ruleOperand(Operations.Opnd a) { return w.jetOperandReverse(a); }

    @Override
    public List<String> operandAdjoint(Primitive p, int i, AdjointWriter.Bindings v, String g) {
        v.put("g" + Operations.letter(i), g);
        return AdjointWriter.statements(v.fill(p.jetAdjoint.get(i)));
    }

    @Override
    public String operationAdjoint(Primitive p, int i, AdjointWriter.Bindings v, String gy, boolean stable,
            String child, List<String> rules, Code r) {
        // written aside: what the contribution names is named only if it is written
        Set<String> names = new HashSet<>();
        String g = w.namingInto(names, () -> w.adj() + ", " + w.slot(child));
        v.put("g" + Operations.letter(i), g);
        String template = p.jetAdjoint.get(i);
        List<String> contribution = w.namingInto(names, () -> AdjointWriter.statements(v.fill(template)));
        String assigned = contribution.size() == 1 ? assignedInstead(contribution.get(0), g) : null;
        if (stable && assigned != null && assigned.equals(w.jets + ".copy(" + gy + ", " + g + ");")) {
            // the operation's adjoint is this one's: no copy, the same jet
            return gy;
        }
        w.noteNamed(names);
        if (assigned != null) {
            rules.add(assigned);
        } else {
            r.line(w.jets() + ".zero(" + g + ");");
            rules.addAll(contribution);
        }
        return g;
    }

    /**
     * {@code statement} ({@code jets.addScaled(x, k, g)}, adding into the cleared adjoint {@code g})
     * as an assignment: {@code jets.copy(x, g)} or {@code jets.scale(x, k, g)}, the same values; null
     * for any other statement.
     */
    private String assignedInstead(String statement, String g) {
        String prefix = w.jets + ".addScaled(";
        String suffix = ", " + g + ");";
        if (!statement.startsWith(prefix) || !statement.endsWith(suffix)) return null;
        String args = statement.substring(prefix.length(), statement.length() - suffix.length());
        int comma = args.lastIndexOf(", ");
        if (comma < 0) return null;
        String source = args.substring(0, comma);
        String factor = args.substring(comma + 2);
        if (source.contains(g)) return null;
        return factor.equals("1.0") ? w.jets + ".copy(" + source + ", " + g + ");"
                : w.jets + ".scale(" + source + ", " + factor + ", " + g + ");";
    }

    @Override
    public boolean chunksElementwiseLoops() { return false; }

    @Override
    public boolean ruleReads(Primitive p, String name) { return p.adjointReads(name, true); }

    @Override
    public String discardedResult() { return ", " + w.scratch() + ", 0"; }

    @Override
    public String zeroSeed(Code r) {
        r.line(w.jets() + ".zero(" + w.scratch() + ", 0);");
        return w.scratch() + ", 0";
    }

    @Override
    public void callInto(String call, Expr target, String targetCode, List<Expr> args, Code fwd) {
        fwd.line(call + ", " + targetCode + ");");
    }

    @Override
    public void callHoldingResult(String call, String push, String targetCode, Code fwd) {
        fwd.line(call + ", " + w.scratch() + ", 0);");
        fwd.line(push);
        fwd.line(w.jets() + ".copy(" + w.scratch() + ", 0, " + targetCode + ");");
    }

    @Override
    public String activeResultAsPassive(String call) {
        throw new IllegalStateException("passive use of an active result: " + call);
    }

    @Override
    public String takeSeed(String bar, Code r) {
        r.line(w.jets() + ".copy(" + bar + ", " + w.scratch() + ", 0);");
        r.line(zeroAdjoint(bar));
        return w.scratch() + ", 0";
    }

    @Override
    public String scalarArgument(Operations.Leaf leaf, Code fwd, List<String> pops) {
        return w.jetOperand(leaf, fwd, pops, false);
    }

    @Override
    public String addArgumentAdjoint(int k, String bar) {
        return w.jets() + ".addScaled(" + w.adj() + ", " + (k == 0 ? "0" : k + " * " + w.stride()) + ", 1.0, "
                + bar + ");";
    }
}
