package org.jetsketch.processor.ir;

import java.util.List;

/**
 * The primitive table: every operation a circuit can apply to an active value, with its real
 * rule, its jet rule and its adjoint rules in one place. The code generator turns each entry into
 * a recording forward helper per tape and one case of each reverse sweep; nothing else in the
 * compiler knows an operation's mathematics.
 *
 * <h2>Template vocabulary</h2>
 * Rules are Java fragments over fixed local names, bound by the generated code:
 * <ul>
 *   <li>operand slots {@code ia, ib, ic}, output slot {@code y}, the real immediate {@code k};
 *   <li>real rules: operand values {@code va, vb, vc}, output value {@code vy}, output adjoint
 *       {@code gy}, the adjoint array {@code g} ({@code g[ia] += ...}); {@code realForward} is an
 *       expression for the output value;
 *   <li>jet rules: the kernels {@code j} ({@code org.jetsketch.jet.Jets}), values {@code v} and
 *       adjoints {@code g} (jet arrays), operand offsets {@code oa, ob, oc}, output offset
 *       {@code oy}, scratch {@code tmp} with jets at {@code 0} and {@code S} (the stride).
 * </ul>
 * {@code RealMath.} names the runtime's checked scalar functions.
 *
 * <p>Opcodes are {@code ordinal() + 1}: opcode 0 marks constants and inputs on a tape.
 */
public enum Primitive {
    ADD(2, false, "va + vb",
            "g[ia] += gy; g[ib] += gy;",
            "j.add(v, oa, v, ob, v, oy);",
            "j.addScaled(g, oy, 1.0, g, oa); j.addScaled(g, oy, 1.0, g, ob);"),
    SUB(2, false, "va - vb",
            "g[ia] += gy; g[ib] -= gy;",
            "j.sub(v, oa, v, ob, v, oy);",
            "j.addScaled(g, oy, 1.0, g, oa); j.addScaled(g, oy, -1.0, g, ob);"),
    MUL(2, false, "va * vb",
            "g[ia] += gy * vb; g[ib] += gy * va;",
            "j.mul(v, oa, v, ob, v, oy);",
            "j.mulAdd(g, oy, v, ob, g, oa); j.mulAdd(g, oy, v, oa, g, ob);"),
    DIV(2, false, "RealMath.div(va, vb)",
            "double q = gy / vb; g[ia] += q; g[ib] -= q * vy;",
            "j.div(v, oa, v, ob, v, oy);",
            "j.div(g, oy, v, ob, tmp, 0); j.addScaled(tmp, 0, 1.0, g, oa);"
                    + " j.mul(tmp, 0, v, oy, tmp, S); j.addScaled(tmp, S, -1.0, g, ob);"),
    NEG(1, false, "-va",
            "g[ia] -= gy;",
            "j.neg(v, oa, v, oy);",
            "j.addScaled(g, oy, -1.0, g, oa);"),
    /** a + k */
    ADD_CONST(1, true, "va + k",
            "g[ia] += gy;",
            "j.addReal(v, oa, k, v, oy);",
            "j.addScaled(g, oy, 1.0, g, oa);"),
    /** k - a */
    CONST_SUB(1, true, "k - va",
            "g[ia] -= gy;",
            "j.neg(v, oa, v, oy); j.addReal(v, oy, k, v, oy);",
            "j.addScaled(g, oy, -1.0, g, oa);"),
    /** a * k */
    MUL_CONST(1, true, "va * k",
            "g[ia] += gy * k;",
            "j.scale(v, oa, k, v, oy);",
            "j.addScaled(g, oy, k, g, oa);"),
    /** a / k */
    DIV_CONST(1, true, "RealMath.div(va, k)",
            "g[ia] += gy / k;",
            "j.scale(v, oa, RealMath.reciprocal(k), v, oy);",
            "j.addScaled(g, oy, 1.0 / k, g, oa);"),
    /** k / a */
    CONST_DIV(1, true, "RealMath.div(k, va)",
            "g[ia] -= gy * vy / va;",
            "j.reciprocal(v, oa, v, oy); j.scale(v, oy, k, v, oy);",
            "j.div(v, oy, v, oa, tmp, 0); j.mul(g, oy, tmp, 0, tmp, S); j.addScaled(tmp, S, -1.0, g, oa);"),
    /** a + b * c */
    FMA(3, false, "va + vb * vc",
            "g[ia] += gy; g[ib] += gy * vc; g[ic] += gy * vb;",
            "j.mul(v, ob, v, oc, v, oy); j.add(v, oy, v, oa, v, oy);",
            "j.addScaled(g, oy, 1.0, g, oa); j.mulAdd(g, oy, v, oc, g, ob); j.mulAdd(g, oy, v, ob, g, oc);"),
    /** a + b * k */
    FMA_CONST(2, true, "va + vb * k",
            "g[ia] += gy; g[ib] += gy * k;",
            "j.scale(v, ob, k, v, oy); j.add(v, oy, v, oa, v, oy);",
            "j.addScaled(g, oy, 1.0, g, oa); j.addScaled(g, oy, k, g, ob);"),
    SQUARE(1, false, "va * va", "g[ia] += 2.0 * gy * va;", "square", List.of("Fn.square")),
    RECIPROCAL(1, false, "RealMath.reciprocal(va)", "g[ia] -= gy * vy * vy;", "reciprocal", List.of()),
    EXP(1, false, "Math.exp(va)", "g[ia] += gy * vy;", "exp", List.of("Math.exp")),
    LOG(1, false, "RealMath.log(va)", "g[ia] += gy / va;", "log", List.of("Math.log")),
    LOG1P(1, false, "RealMath.log1p(va)", "g[ia] += gy / (1.0 + va);", "log1p", List.of("Math.log1p")),
    EXPM1(1, false, "Math.expm1(va)", "g[ia] += gy * (vy + 1.0);", "expm1", List.of("Math.expm1")),
    SQRT(1, false, "RealMath.sqrt(va)", "g[ia] += gy * 0.5 / vy;", "sqrt", List.of("Math.sqrt")),
    RSQRT(1, false, "RealMath.rsqrt(va)", "g[ia] -= gy * 0.5 * vy / va;", "rsqrt", List.of("Fn.rsqrt")),
    TANH(1, false, "Math.tanh(va)", "g[ia] += gy * (1.0 - vy * vy);", "tanh", List.of("Math.tanh")),
    SIGMOID(1, false, "RealMath.sigmoid(va)", "g[ia] += gy * vy * (1.0 - vy);", "sigmoid", List.of("Fn.sigmoid")),
    SOFTPLUS(1, false, "RealMath.softplus(va)", "g[ia] += gy * RealMath.sigmoid(va);", "softplus",
            List.of("Fn.softplus")),
    ERF(1, false, "RealMath.erf(va)", "g[ia] += gy * RealMath.erfPrime(va);", "erf", List.of("Fn.erf")),
    GELU(1, false, "RealMath.gelu(va)", "g[ia] += gy * RealMath.geluPrime(va);", "gelu", List.of("Fn.gelu")),
    RELU(1, false, "(va > 0.0 ? va : 0.0)", "if (va > 0.0) g[ia] += gy;", "relu", List.of("Fn.relu")),
    ABS(1, false, "Math.abs(va)", "if (va >= 0.0) g[ia] += gy; else g[ia] -= gy;", "abs", List.of("Math.abs")),
    /** a^k for a real constant k. */
    POW_CONST(1, true, "RealMath.pow(va, k)",
            "g[ia] += gy * k * RealMath.pow(va, k - 1.0);",
            "j.pow(v, oa, k, v, oy);",
            "j.powPrime(v, oa, k, v, oy, tmp, 0); j.mulAdd(g, oy, tmp, 0, g, oa);"),
    /** The branch is decided by the real parts; ties take the first operand. */
    MAX(2, false, "(va >= vb ? va : vb)",
            "if (va >= vb) g[ia] += gy; else g[ib] += gy;",
            "j.max(v, oa, v, ob, v, oy);",
            "j.addScaled(g, oy, 1.0, g, v[oa] >= v[ob] ? oa : ob);"),
    MIN(2, false, "(va <= vb ? va : vb)",
            "if (va <= vb) g[ia] += gy; else g[ib] += gy;",
            "j.min(v, oa, v, ob, v, oy);",
            "j.addScaled(g, oy, 1.0, g, v[oa] <= v[ob] ? oa : ob);");

    /** How many operand slots (a, b, c) the operation reads. */
    public final int arity;
    /** Whether the operation also reads the real immediate {@code k}. */
    public final boolean hasImmediate;
    public final String realForward;
    public final String realAdjoint;
    public final String jetForward;
    public final String jetAdjoint;
    /** The library functions ({@code "Math.exp"}, {@code "Fn.gelu"}) this operation implements. */
    public final List<String> functions;

    Primitive(int arity, boolean hasImmediate, String realForward, String realAdjoint, String jetForward,
            String jetAdjoint) {
        this(arity, hasImmediate, realForward, realAdjoint, jetForward, jetAdjoint, List.of());
    }

    Primitive(int arity, boolean hasImmediate, String realForward, String realAdjoint, String jetForward,
            String jetAdjoint, List<String> functions) {
        this.arity = arity;
        this.hasImmediate = hasImmediate;
        this.realForward = realForward;
        this.realAdjoint = realAdjoint;
        this.jetForward = jetForward;
        this.jetAdjoint = jetAdjoint;
        this.functions = functions;
    }

    /**
     * A unary function whose jet rule is the kernel {@code kernel} and whose jet adjoint is
     * "g(a) += g(y) * g'(a)" with g'(a) from the kernel {@code kernelPrime}: the common case,
     * built from one helper as in JAX's jet table.
     */
    Primitive(int arity, boolean hasImmediate, String realForward, String realAdjoint, String kernel,
            List<String> functions) {
        this(arity, hasImmediate, realForward, realAdjoint,
                "j." + kernel + "(v, oa, v, oy);",
                "j." + kernel + "Prime(v, oa, v, oy, tmp, 0); j.mulAdd(g, oy, tmp, 0, g, oa);",
                functions);
    }

    public int opcode() { return ordinal() + 1; }

    /** The name of the generated forward helper, e.g. {@code mulConst}. */
    public String helperName() {
        StringBuilder sb = new StringBuilder();
        boolean upper = false;
        for (char ch : name().toLowerCase(java.util.Locale.ROOT).toCharArray()) {
            if (ch == '_') {
                upper = true;
            } else {
                sb.append(upper ? Character.toUpperCase(ch) : ch);
                upper = false;
            }
        }
        return sb.toString();
    }

    /** The primitive implementing library function {@code owner.name} (e.g. "Math", "exp"), or null. */
    public static Primitive forFunction(String owner, String name) {
        String key = owner + "." + name;
        for (Primitive p : values()) if (p.functions.contains(key)) return p;
        return null;
    }
}
