package org.jetsketch.processor.codegen;

import com.squareup.javapoet.ClassName;
import com.squareup.javapoet.CodeBlock;
import com.squareup.javapoet.FieldSpec;
import com.squareup.javapoet.MethodSpec;
import com.squareup.javapoet.TypeName;
import com.squareup.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import javax.lang.model.element.Modifier;
import org.jetsketch.processor.ir.Primitive;

/**
 * Turns the rows of the primitive table a circuit uses into code: the nested {@code Ops} class
 * (an opcode constant and two recording forward helpers per primitive, one per tape) and the two
 * reverse sweeps (one {@code case} per primitive).
 */
final class PrimitiveWriter {
    private static final String[] OPERANDS = {"a", "b", "c"};

    private final Set<Primitive> used;

    PrimitiveWriter(Set<Primitive> used) { this.used = used; }

    /** The nested class with opcodes and forward helpers. */
    TypeSpec ops() {
        TypeSpec.Builder ops = TypeSpec.classBuilder("Ops")
                .addJavadoc("Opcodes and recording forward helpers of the primitives this circuit uses.\n")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
        for (Primitive p : used) {
            ops.addField(FieldSpec.builder(TypeName.INT, p.name(), Modifier.STATIC, Modifier.FINAL)
                    .initializer("$L", p.opcode()).build());
        }
        for (Primitive p : used) {
            ops.addMethod(realForward(p));
            ops.addMethod(jetForward(p));
        }
        return ops.build();
    }

    private static MethodSpec.Builder forwardSignature(Primitive p, ClassName tape) {
        MethodSpec.Builder m = MethodSpec.methodBuilder(p.helperName())
                .addModifiers(Modifier.STATIC)
                .returns(TypeName.INT)
                .addParameter(tape, "t");
        if (BodyWriter.DECISIONS.contains(p)) m.addParameter(TypeName.INT, "site");
        for (int i = 0; i < p.arity; i++) m.addParameter(TypeName.INT, OPERANDS[i]);
        if (p.hasImmediate) m.addParameter(TypeName.DOUBLE, "k");
        return m;
    }

    private static String push(Primitive p) {
        return "final int y = t.push(" + p.name() + ", " + (p.arity > 0 ? "a" : "0") + ", "
                + (p.arity > 1 ? "b" : "0") + ", " + (p.arity > 2 ? "c" : "0") + ", "
                + (p.hasImmediate ? "k" : "0.0") + ")";
    }

    private MethodSpec realForward(Primitive p) {
        MethodSpec.Builder m = forwardSignature(p, Names.REAL_TAPE);
        m.addStatement(push(p));
        m.addStatement("final double[] v = t.val");
        for (int i = 0; i < p.arity; i++) {
            m.addStatement("final double v$L = v[$L]", OPERANDS[i], OPERANDS[i]);
        }
        m.addStatement("v[y] = $L", template(p.realForward));
        m.addStatement("return y");
        return m.build();
    }

    private MethodSpec jetForward(Primitive p) {
        MethodSpec.Builder m = forwardSignature(p, Names.JET_TAPE);
        m.addStatement(push(p));
        m.addStatement("final int S = t.stride");
        m.addStatement("final double[] v = t.val");
        m.addStatement("final $T j = t.jets", Names.JETS);
        for (int i = 0; i < p.arity; i++) {
            m.addStatement("final int o$L = $L * S", OPERANDS[i], OPERANDS[i]);
        }
        m.addStatement("final int oy = y * S");
        if (BodyWriter.DECISIONS.contains(p)) {
            // the branch-switch hook: the difference this primitive decides on, before it decides
            if (p.arity == 2) m.addStatement("t.branches.difference(site, v, oa, ob)");
            else m.addStatement("t.branches.differenceConst(site, v, oa, 0.0)");
        }
        m.addCode(statements(p.jetForward));
        m.addStatement("return y");
        return m.build();
    }

    /** {@code reverse(RealTape)}: adjoints of slots [base, top), top first. */
    MethodSpec realReverse() {
        CodeBlock.Builder b = CodeBlock.builder()
                .addStatement("final double[] v = $L.val", Names.TAPE)
                .addStatement("final double[] g = $L.adj", Names.TAPE)
                .addStatement("final int[] op = $L.op", Names.TAPE)
                .addStatement("final int[] a = $L.a", Names.TAPE)
                .addStatement("final int[] b = $L.b", Names.TAPE)
                .addStatement("final int[] c = $L.c", Names.TAPE)
                .addStatement("final double[] imm = $L.k", Names.TAPE)
                .beginControlFlow("for (int y = $L.top() - 1; y >= $L.base(); y--)", Names.TAPE, Names.TAPE)
                .addStatement("final double gy = g[y]")
                .add("// a zero adjoint contributes nothing\n")
                .addStatement("if (gy == 0.0) continue")
                .beginControlFlow("switch (op[y])");
        for (Primitive p : used) {
            b.add("case Ops.$L: {\n$>", p.name());
            List<String> locals = new ArrayList<>();
            for (int i = 0; i < p.arity; i++) {
                String s = OPERANDS[i];
                if (uses(p.realAdjoint, "i" + s) || uses(p.realAdjoint, "v" + s)) {
                    b.addStatement("final int i$L = $L[y]", s, s);
                }
                if (uses(p.realAdjoint, "v" + s)) locals.add("v" + s);
            }
            for (String local : locals) b.addStatement("final double $L = v[i$L]", local, local.substring(1));
            if (uses(p.realAdjoint, "vy")) b.addStatement("final double vy = v[y]");
            if (uses(p.realAdjoint, "k")) b.addStatement("final double k = imm[y]");
            b.add(statements(p.realAdjoint));
            b.addStatement("break");
            b.add("$<}\n");
        }
        b.add("default:\n$>").addStatement("break").add("$<");
        b.endControlFlow().endControlFlow();
        return MethodSpec.methodBuilder("reverse")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .addParameter(Names.REAL_TAPE, Names.TAPE)
                .addCode(b.build())
                .build();
    }

    /** {@code reverse(JetTape)}: the same sweep over adjoint jets (Taylor over reverse). */
    MethodSpec jetReverse() {
        CodeBlock.Builder b = CodeBlock.builder()
                .addStatement("final int S = $L.stride", Names.TAPE)
                .addStatement("final $T j = $L.jets", Names.JETS, Names.TAPE)
                .addStatement("final double[] v = $L.val", Names.TAPE)
                .addStatement("final double[] g = $L.adj", Names.TAPE)
                .addStatement("final double[] tmp = $L.tmp", Names.TAPE)
                .addStatement("final int[] op = $L.op", Names.TAPE)
                .addStatement("final int[] a = $L.a", Names.TAPE)
                .addStatement("final int[] b = $L.b", Names.TAPE)
                .addStatement("final int[] c = $L.c", Names.TAPE)
                .addStatement("final double[] imm = $L.k", Names.TAPE)
                .beginControlFlow("for (int y = $L.top() - 1; y >= $L.base(); y--)", Names.TAPE, Names.TAPE)
                .addStatement("final int oy = y * S")
                .beginControlFlow("switch (op[y])");
        for (Primitive p : used) {
            b.add("case Ops.$L: {\n$>", p.name());
            for (int i = 0; i < p.arity; i++) {
                String s = OPERANDS[i];
                if (uses(p.jetAdjoint, "o" + s)) b.addStatement("final int o$L = $L[y] * S", s, s);
            }
            if (uses(p.jetAdjoint, "k")) b.addStatement("final double k = imm[y]");
            b.add(statements(p.jetAdjoint));
            b.addStatement("break");
            b.add("$<}\n");
        }
        b.add("default:\n$>").addStatement("break").add("$<");
        b.endControlFlow().endControlFlow();
        return MethodSpec.methodBuilder("reverse")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .addParameter(Names.JET_TAPE, Names.TAPE)
                .addCode(b.build())
                .build();
    }

    private static boolean uses(String template, String name) {
        return Pattern.compile("\\b" + Pattern.quote(name) + "\\b").matcher(template).find();
    }

    /** A rule fragment as a CodeBlock; {@code RealMath.} becomes an imported type reference. */
    private static CodeBlock template(String fragment) {
        String[] parts = fragment.split("RealMath\\.", -1);
        CodeBlock.Builder b = CodeBlock.builder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) b.add("$T.", Names.REAL_MATH);
            b.add("$L", parts[i]);
        }
        return b.build();
    }

    /** A rule of several statements, one per line. */
    private static CodeBlock statements(String fragment) {
        CodeBlock.Builder b = CodeBlock.builder();
        for (String s : fragment.split(";")) {
            String trimmed = s.trim();
            if (trimmed.isEmpty()) continue;
            b.addStatement("$L", template(trimmed));
        }
        return b.build();
    }
}
