package org.jetsketch.processor.codegen;

import com.squareup.javapoet.CodeBlock;
import java.util.ArrayList;
import java.util.List;

/** Lines of generated Java with their nesting; turned into a JavaPoet block at the end. */
final class Code {
    private static final Object IN = new Object();
    private static final Object OUT = new Object();

    private final List<Object> items = new ArrayList<>();

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
        items.addAll(c.items);
        return this;
    }

    boolean isEmpty() { return items.isEmpty(); }

    String text() {
        StringBuilder sb = new StringBuilder();
        for (Object o : items) if (o instanceof String s) sb.append(s).append('\n');
        return sb.toString();
    }

    /** The block; {@code RealMath.} and {@code Jets} become imported type references. */
    CodeBlock block() {
        CodeBlock.Builder b = CodeBlock.builder();
        for (Object o : items) {
            if (o == IN) {
                b.indent();
            } else if (o == OUT) {
                b.unindent();
            } else {
                add(b, (String) o);
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
            addKernels(b, workspace[i]);
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
