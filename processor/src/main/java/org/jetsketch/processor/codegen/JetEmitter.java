package org.jetsketch.processor.codegen;

import org.jetsketch.processor.ir.Expr;
import org.jetsketch.processor.primitives.Primitive;

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

    @Override
    public boolean ruleReads(Primitive p, String name) { return p.adjointReads(name, true); }

    @Override
    public String discardedResult() { return ", " + w.scratch() + ", 0"; }

    @Override
    public String zeroSeed(Code r) {
        r.line(w.jets() + ".zero(" + w.scratch() + ", 0);");
        return w.scratch() + ", 0";
    }
}
