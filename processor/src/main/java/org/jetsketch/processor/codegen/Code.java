package org.jetsketch.processor.codegen;

import com.squareup.javapoet.ClassName;
import com.squareup.javapoet.CodeBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /**
     * {@code if (condition) { body }}, or {@code body} itself when {@code condition} is null; the
     * condition must read nothing the body (or a guarded body next to it) assigns.
     */
    Code guarded(String condition, Code body) {
        if (condition == null) return append(body);
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

    /**
     * The runtime types generated code names, each written into a line as one marker character
     * ({@link #type}) that {@link #block} prints as the type's name, imported.
     */
    private static final List<ClassName> TYPES =
            List.of(Names.REAL_MATH, Names.JET_WORKSPACE, Names.JETS, Names.ELEMENTWISE_CHUNKS);
    /** The marker of {@code TYPES.get(0)}, followed by the others': private-use characters, never in Java code. */
    private static final char FIRST_TYPE = '\uE000';
    /** The references to runtime types in the primitive table's rule templates. */
    private static final Pattern TYPE_IN_TEMPLATE = Pattern.compile("\\b(RealMath|JetWorkspace|Jets)\\b");

    /** A reference to {@code type}, one of the runtime types generated code names, to write into a line. */
    static String type(ClassName type) {
        int i = TYPES.indexOf(type);
        if (i < 0) throw new IllegalArgumentException("not a runtime type of generated code: " + type);
        return String.valueOf((char) (FIRST_TYPE + i));
    }

    /**
     * A rule template of the primitive table with the runtime types it names ({@code RealMath.log},
     * {@code Jets.UNREAD}) written as {@link #type} references: the table spells them as text.
     */
    static String typesMarked(String template) {
        Matcher m = TYPE_IN_TEMPLATE.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            ClassName t = switch (m.group(1)) {
                case "RealMath" -> Names.REAL_MATH;
                case "JetWorkspace" -> Names.JET_WORKSPACE;
                default -> Names.JETS;
            };
            m.appendReplacement(sb, Matcher.quoteReplacement(type(t)));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** The block; a {@link #type} reference becomes an imported type name. */
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
        int from = 0;
        for (int i = 0; i < line.length(); i++) {
            int type = line.charAt(i) - FIRST_TYPE;
            if (type < 0 || type >= TYPES.size()) continue;
            if (i > from) b.add("$L", line.substring(from, i));
            b.add("$T", TYPES.get(type));
            from = i + 1;
        }
        if (from < line.length()) b.add("$L", line.substring(from));
    }
}
