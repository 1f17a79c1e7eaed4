package org.jetsketch.processor.codegen;

import com.squareup.javapoet.CodeBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Generated Java as a small code model: lines with their nesting, and declarations and
 * assignments of local variables as statements of their own, which {@link #cleanedUp} can merge.
 * Turned into a JavaPoet block at the end.
 */
final class Code {
    private static final Object IN = new Object();
    private static final Object OUT = new Object();
    /** The initial values a declaration gets when its value comes later. */
    private static final Set<String> DEFAULTS = Set.of("null", "0.0", "0", "0L", "false", "'\\u0000'");

    /** {@code type name = init;}, or {@code type name;} when {@code init} is null; {@code reads}: what init reads. */
    record Declaration(String type, String name, String init, Set<String> reads) {
        @Override
        public String toString() { return type + " " + name + (init == null ? "" : " = " + init) + ";"; }
    }

    /** {@code name = value;}; {@code reads}: every variable {@code value} reads. */
    record Assignment(String name, String value, Set<String> reads) {
        @Override
        public String toString() { return name + " = " + value + ";"; }
    }

    /** A line computing a temporary of an assignment's value; {@code reads}: the variables the value reads. */
    record Computation(String line, Set<String> reads) {
        @Override
        public String toString() { return line; }
    }

    /**
     * {@code if (condition) { body }} where nothing in the body assigns what the condition reads
     * (a save's guard on its loop's variable): two in a row with the same condition are one block.
     */
    private record Guarded(String condition, Code body) {}

    private final List<Object> items = new ArrayList<>();

    /** {@code if (condition) { body }}; the condition must read nothing the body (or a guarded body next to it) assigns. */
    Code guarded(String condition, Code body) {
        add(new Guarded(condition, new Code().append(body)));
        return this;
    }

    /** Adds {@code o}; a guarded block right after one with the same condition joins it. */
    private void add(Object o) {
        if (o instanceof Guarded g && !items.isEmpty() && items.get(items.size() - 1) instanceof Guarded last
                && last.condition().equals(g.condition())) {
            last.body().append(g.body());
        } else {
            items.add(o);
        }
    }

    /** {@code inner}'s lines as computations of a value that reads {@code reads}. */
    Code computing(Code inner, Set<String> reads) {
        for (Object o : inner.items) items.add(o instanceof String s ? new Computation(s, Set.copyOf(reads)) : o);
        return this;
    }

    Code declare(String type, String name, String init, Set<String> reads) {
        items.add(new Declaration(type, name, init, Set.copyOf(reads)));
        return this;
    }

    Code assign(String name, String value, Set<String> reads) {
        items.add(new Assignment(name, value, Set.copyOf(reads)));
        return this;
    }

    /**
     * This code with each declaration whose default the first assignment overwrites moved down to
     * that assignment ({@code double m = 0.0; m = z[0];} is {@code double m = z[0];}). Nothing is
     * reordered: the declaration goes, the assignment becomes the declaration. Only over
     * declarations, assignments and computations of the same block (no other code runs in
     * between), none of which reads or assigns the variable; an assignment that reads the
     * variable keeps it.
     */
    Code cleanedUp() {
        List<Object> out = new ArrayList<>(items);
        for (int i = 0; i < out.size(); i++) {
            if (!(out.get(i) instanceof Assignment a) || a.reads().contains(a.name())) continue;
            for (int j = i - 1; j >= 0; j--) {
                Object x = out.get(j);
                if (x instanceof Declaration d && d.name().equals(a.name())) {
                    if (d.init() == null || DEFAULTS.contains(d.init())) {
                        out.set(i, new Declaration(d.type(), a.name(), a.value(), a.reads()));
                        out.remove(j);
                        i--;
                    }
                    break;
                }
                boolean touches = x instanceof Declaration d ? d.reads().contains(a.name())
                        : x instanceof Assignment b ? b.name().equals(a.name()) || b.reads().contains(a.name())
                        : x instanceof Computation c && c.reads().contains(a.name());
                boolean statement = x instanceof Declaration || x instanceof Assignment || x instanceof Computation;
                if (!statement || touches) break;
            }
        }
        Code c = new Code();
        c.items.addAll(out);
        return c;
    }

    Code line(String s) {
        items.add(s);
        return this;
    }

    Code open(String header) {
        items.add(header + " {");
        items.add(IN);
        return this;
    }

    /** {@code } else {}-style continuation of an open block. */
    Code next(String header) {
        items.add(OUT);
        items.add("} " + header + " {");
        items.add(IN);
        return this;
    }

    Code close() { return close(""); }

    /** Closes a block, e.g. with {@code " while (c);"}. */
    Code close(String tail) {
        items.add(OUT);
        items.add("}" + tail);
        return this;
    }

    Code append(Code c) {
        for (Object o : c.items) add(o);
        return this;
    }

    boolean isEmpty() { return items.isEmpty(); }

    /** The block; {@code RealMath.}, {@code JetWorkspace.}, {@code ElementwiseChunks.} and {@code Jets} become imported type references. */
    CodeBlock block() {
        CodeBlock.Builder b = CodeBlock.builder();
        for (Object o : items) {
            if (o == IN) {
                b.indent();
            } else if (o == OUT) {
                b.unindent();
            } else if (o instanceof Guarded g) {
                b.add("if (" + g.condition() + ") {\n").indent().add(g.body().block()).unindent().add("}\n");
            } else {
                add(b, o.toString());
                b.add("\n");
            }
        }
        return b.build();
    }

    private static void add(CodeBlock.Builder b, String line) {
        String[] parts = line.split("RealMath\\.", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) b.add("$T.", Names.REAL_MATH);
            addJets(b, parts[i]);
        }
    }

    private static void addJets(CodeBlock.Builder b, String text) {
        String[] workspace = text.split("\\bJetWorkspace\\.", -1);
        for (int i = 0; i < workspace.length; i++) {
            if (i > 0) b.add("$T.", Names.JET_WORKSPACE);
            addChunks(b, workspace[i]);
        }
    }

    private static void addChunks(CodeBlock.Builder b, String text) {
        String[] parts = text.split("\\b" + ElementwiseLoops.CHUNKS + "\\.", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) b.add("$T.", Names.ELEMENTWISE_CHUNKS);
            addKernels(b, parts[i]);
        }
    }

    private static void addKernels(CodeBlock.Builder b, String text) {
        String[] parts = text.split("\\bJets\\b", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) b.add("$T", Names.JETS);
            b.add("$L", parts[i]);
        }
    }
}
