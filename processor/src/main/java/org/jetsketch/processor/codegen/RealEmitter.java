package org.jetsketch.processor.codegen;

/** {@link ModeEmitter} on doubles: a value or an adjoint is a Java variable or element. */
final class RealEmitter implements ModeEmitter {
    private final String ws;

    RealEmitter(String ws) { this.ws = ws; }

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
}
