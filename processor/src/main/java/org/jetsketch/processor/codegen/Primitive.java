package org.jetsketch.processor.codegen;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The primitive table: every operation generated code applies to an active value, with its real
 * rule, its real adjoint rule, its jet rule and its jet adjoint rule in one place. The code
 * generator instantiates these templates at each use; nothing else in the compiler knows an
 * operation's mathematics. {@code PrimitiveTableTest} compiles every template against the
 * runtime when the processor is built (a misspelt kernel fails that build) and checks every rule
 * against differences.
 *
 * <h2>Template vocabulary</h2>
 * <ul>
 *   <li>{@code {a} {b} {c}}: the operands, {@code {y}} the result, {@code {k}} the real immediate
 *       (a passive operand), {@code {gy}} the result's adjoint, {@code {ga} {gb} {gc}} the
 *       operands' adjoints, {@code {x}} the saved auxiliary value (see {@link #realAux}).
 *   <li>Real rules are Java expressions over doubles. {@link #realAdjoint} holds one contribution
 *       per operand, added to the operand's adjoint ({@code ga += ...}); a contribution written
 *       {@code "-..."} is subtracted instead ({@code ga -= ...}), the same bits as before.
 *   <li>Jet rules are statements calling the {@code org.jetsketch.jet.Jets} kernels {@code {j}};
 *       a jet operand expands to its {@code array, offset} pair, {@code {a.re}} to its real part;
 *       {@code {t0} {t1} {t2}} are scratch jets. A jet forward rule writes {@code {y}} last, so
 *       that {@code {y}} may be an operand's storage. {@link #jetAdjoint} holds one statement
 *       group per operand, after the shared {@link #jetAdjointPrelude}.
 *   <li>{@code RealMath.} names the runtime's checked scalar functions.
 * </ul>
 * An operand that is passive gets no adjoint: its contribution is not emitted.
 */
public enum Primitive {
    ADD(2, false, "{a} + {b}", "{gy}|{gy}",
            "{j}.add({a}, {b}, {y});", "",
            "{j}.addScaled({gy}, 1.0, {ga});|{j}.addScaled({gy}, 1.0, {gb});"),
    SUB(2, false, "{a} - {b}", "{gy}|-{gy}",
            "{j}.sub({a}, {b}, {y});", "",
            "{j}.addScaled({gy}, 1.0, {ga});|{j}.addScaled({gy}, -1.0, {gb});"),
    MUL(2, false, "{a} * {b}", "{gy} * {b}|{gy} * {a}",
            "{j}.mul({a}, {b}, {y});", "",
            "{j}.mulAdd({gy}, {b}, {ga});|{j}.mulAdd({gy}, {a}, {gb});"),
    DIV(2, false, "RealMath.div({a}, {b})", "{gy} / {b}|-{gy} / {b} * {y}",
            "{j}.div({a}, {b}, {y});", "{j}.div({gy}, {b}, {t0});",
            "{j}.addScaled({t0}, 1.0, {ga});|{j}.mul({t0}, {y}, {t1}); {j}.addScaled({t1}, -1.0, {gb});"),
    NEG(1, false, "-{a}", "-{gy}",
            "{j}.neg({a}, {y});", "",
            "{j}.addScaled({gy}, -1.0, {ga});"),
    /** a + k */
    ADD_CONST(1, true, "{a} + {k}", "{gy}",
            "{j}.addReal({a}, {k}, {y});", "",
            "{j}.addScaled({gy}, 1.0, {ga});"),
    /** k - a */
    CONST_SUB(1, true, "{k} - {a}", "-{gy}",
            "{j}.neg({a}, {t0}); {j}.addReal({t0}, {k}, {y});", "",
            "{j}.addScaled({gy}, -1.0, {ga});"),
    /** a * k */
    MUL_CONST(1, true, "{a} * {k}", "{gy} * {k}",
            "{j}.scale({a}, {k}, {y});", "",
            "{j}.addScaled({gy}, {k}, {ga});"),
    /** a / k */
    DIV_CONST(1, true, "RealMath.div({a}, {k})", "{gy} / {k}",
            "{j}.scale({a}, RealMath.reciprocal({k}), {y});", "",
            "{j}.addScaled({gy}, 1.0 / {k}, {ga});"),
    /** k / a */
    CONST_DIV(1, true, "RealMath.div({k}, {a})", "-{gy} * {y} / {a}",
            "{j}.reciprocal({a}, {t0}); {j}.scale({t0}, {k}, {y});", "",
            "{j}.div({y}, {a}, {t0}); {j}.mul({gy}, {t0}, {t1}); {j}.addScaled({t1}, -1.0, {ga});"),
    /** a + b * c: the fused multiply-add of a dot product. */
    FMA(3, false, "{a} + {b} * {c}", "{gy}|{gy} * {c}|{gy} * {b}",
            "{j}.mul({b}, {c}, {t0}); {j}.add({t0}, {a}, {y});", "",
            "{j}.addScaled({gy}, 1.0, {ga});|{j}.mulAdd({gy}, {c}, {gb});|{j}.mulAdd({gy}, {b}, {gc});"),
    /** a + b * k */
    FMA_CONST(2, true, "{a} + {b} * {k}", "{gy}|{gy} * {k}",
            "{j}.scale({b}, {k}, {t0}); {j}.add({t0}, {a}, {y});", "",
            "{j}.addScaled({gy}, 1.0, {ga});|{j}.addScaled({gy}, {k}, {gb});"),
    /** a * a (also {@code Math.pow(a, 2)}). */
    SQUARE(1, false, "{a} * {a}", "{gy} * 2.0 * {a}", "square", List.of("Fn.square")),
    RECIPROCAL(1, false, "RealMath.reciprocal({a})", "-{gy} * {y} * {y}", "reciprocal", List.of()),
    EXP(1, false, "Math.exp({a})", "{gy} * {y}", "exp", List.of("Math.exp")),
    LOG(1, false, "RealMath.log({a})", "{gy} / {a}", "log", List.of("Math.log")),
    LOG1P(1, false, "RealMath.log1p({a})", "{gy} / (1.0 + {a})", "log1p", List.of("Math.log1p")),
    EXPM1(1, false, "Math.expm1({a})", "{gy} * ({y} + 1.0)", "expm1", List.of("Math.expm1")),
    SQRT(1, false, "RealMath.sqrt({a})", "{gy} * 0.5 / {y}", "sqrt", List.of("Math.sqrt")),
    RSQRT(1, false, "RealMath.rsqrt({a})", "-{gy} * 0.5 * {y} / {a}", "rsqrt", List.of("Fn.rsqrt")),
    TANH(1, false, "Math.tanh({a})", "{gy} * (1.0 - {y} * {y})", "tanh", List.of("Math.tanh")),
    SIGMOID(1, false, "RealMath.sigmoid({a})", "{gy} * {y} * (1.0 - {y})", "sigmoid", List.of("Fn.sigmoid")),
    SOFTPLUS(1, false, "RealMath.softplus({a})", "{gy} * RealMath.sigmoid({a})", "softplus", List.of("Fn.softplus")),
    ERF(1, false, "RealMath.erf({a})", "{gy} * RealMath.erfPrime({a})", "erf", List.of("Fn.erf")),
    /**
     * x Φ(x). The forward sweep saves Φ(x) for the adjoint, so the normal CDF is evaluated once
     * per element, not again in the reverse sweep.
     */
    GELU(1, false, "RealMath.normalCdf({a})", "{a} * {x}", "{gy} * ({x} + {a} * RealMath.normalPdf({a}))", "gelu",
            List.of("Fn.gelu")),
    RELU(1, false, "({a} > 0.0 ? {a} : 0.0)", "{a} > 0.0 ? {gy} : 0.0", "relu", List.of("Fn.relu")),
    ABS(1, false, "Math.abs({a})", "{a} >= 0.0 ? {gy} : -{gy}", "abs", List.of("Math.abs")),
    /** a^k for a real constant k. */
    POW_CONST(1, true, "RealMath.pow({a}, {k})", "{gy} * {k} * RealMath.pow({a}, {k} - 1.0)",
            "{j}.pow({a}, {k}, {y});", "",
            "{j}.powPrime({a}, {k}, {y}, {t0}); {j}.mulAdd({gy}, {t0}, {ga});"),
    /** a^b with an active exponent: exp(b log a). */
    POW(2, false, "Math.exp({b} * RealMath.log({a}))", "{gy} * {y} * {b} / {a}|{gy} * {y} * RealMath.log({a})",
            "{j}.log({a}, {t0}); {j}.mul({b}, {t0}, {t0}); {j}.exp({t0}, {y});", "{j}.mul({gy}, {y}, {t0});",
            "{j}.mul({t0}, {b}, {t1}); {j}.div({t1}, {a}, {t1}); {j}.addScaled({t1}, 1.0, {ga});"
                    + "|{j}.log({a}, {t1}); {j}.mulAdd({t0}, {t1}, {gb});"),
    /** k^a for a real constant base k: exp(a log k). */
    CONST_POW(1, true, "Math.exp({a} * RealMath.log({k}))", "{gy} * {y} * RealMath.log({k})",
            "{j}.scale({a}, RealMath.log({k}), {t0}); {j}.exp({t0}, {y});", "",
            "{j}.mul({gy}, {y}, {t0}); {j}.addScaled({t0}, RealMath.log({k}), {ga});"),
    /** The branch is decided by the real parts; ties take the first operand. */
    MAX(2, false, "({a} >= {b} ? {a} : {b})", "{a} >= {b} ? {gy} : 0.0|{a} >= {b} ? 0.0 : {gy}",
            "{j}.max({a}, {b}, {y});", "",
            "if ({a.re} >= {b.re}) {j}.addScaled({gy}, 1.0, {ga});|if (!({a.re} >= {b.re})) {j}.addScaled({gy}, 1.0, {gb});"),
    MIN(2, false, "({a} <= {b} ? {a} : {b})", "{a} <= {b} ? {gy} : 0.0|{a} <= {b} ? 0.0 : {gy}",
            "{j}.min({a}, {b}, {y});", "",
            "if ({a.re} <= {b.re}) {j}.addScaled({gy}, 1.0, {ga});|if (!({a.re} <= {b.re})) {j}.addScaled({gy}, 1.0, {gb});");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\w+)(\\.re)?}");

    /** How many active operands (a, b, c) the operation takes. */
    public final int arity;
    /** Whether the operation also reads the real immediate {@code {k}}. */
    public final boolean hasImmediate;
    /** The real result, an expression. */
    public final String realForward;
    /** A value the real forward rule computes first and the adjoint reuses ({@code {x}}), or null. */
    public final String realAux;
    /** Per operand, its adjoint contribution (see the class comment). */
    public final List<String> realAdjoint;
    public final String jetForward;
    public final String jetAdjointPrelude;
    /** Per operand, the statements accumulating its adjoint jet. */
    public final List<String> jetAdjoint;
    /** The library functions ({@code "Math.exp"}, {@code "Fn.gelu"}) this operation implements. */
    public final List<String> functions;

    Primitive(int arity, boolean hasImmediate, String realForward, String realAdjoint, String jetForward,
            String jetAdjointPrelude, String jetAdjoint) {
        this(arity, hasImmediate, null, realForward, realAdjoint, jetForward, jetAdjointPrelude, jetAdjoint, List.of());
    }

    Primitive(int arity, boolean hasImmediate, String realAux, String realForward, String realAdjoint,
            String jetForward, String jetAdjointPrelude, String jetAdjoint, List<String> functions) {
        this.arity = arity;
        this.hasImmediate = hasImmediate;
        this.realAux = realAux;
        this.realForward = realForward;
        this.realAdjoint = List.of(realAdjoint.split("\\|"));
        this.jetForward = jetForward;
        this.jetAdjointPrelude = jetAdjointPrelude;
        this.jetAdjoint = List.of(jetAdjoint.split("\\|"));
        this.functions = functions;
        if (this.realAdjoint.size() != arity || this.jetAdjoint.size() != arity) {
            throw new IllegalStateException(name() + ": one adjoint rule per operand");
        }
    }

    /**
     * A unary function whose jet rule is the kernel {@code kernel} and whose jet adjoint is
     * "ga += gy · g'(a)" with g'(a) from the kernel {@code kernelPrime}: the common case,
     * built from one helper as in JAX's jet table.
     */
    Primitive(int arity, boolean hasImmediate, String realForward, String realAdjoint, String kernel,
            List<String> functions) {
        this(arity, hasImmediate, null, realForward, realAdjoint, kernel, functions);
    }

    Primitive(int arity, boolean hasImmediate, String realAux, String realForward, String realAdjoint, String kernel,
            List<String> functions) {
        this(arity, hasImmediate, realAux, realForward, realAdjoint,
                "{j}." + kernel + "({a}, {y});", "",
                "{j}." + kernel + "Prime({a}, {y}, {t0}); {j}.mulAdd({gy}, {t0}, {ga});", functions);
    }

    /** Whether the real ({@code jet} false) or jet adjoint rule reads placeholder {@code name} ("a", "y", "k", "x"). */
    public boolean adjointReads(String name, boolean jet) {
        String all = jet ? jetAdjointPrelude + " " + String.join(" ", jetAdjoint) : String.join(" ", realAdjoint);
        Matcher m = PLACEHOLDER.matcher(all);
        while (m.find()) if (m.group(1).equals(name)) return true;
        return false;
    }

    /** Fills a template: {@code values} maps a placeholder name (with ".re" for a real part) to code. */
    public static String fill(String template, java.util.function.Function<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String key = m.group(1) + (m.group(2) == null ? "" : m.group(2));
            String code = values.apply(key);
            if (code == null) throw new IllegalStateException("template placeholder {" + key + "} unbound: " + template);
            m.appendReplacement(sb, Matcher.quoteReplacement(code));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** The name used in generated comments, e.g. {@code mulConst}. */
    public String helperName() {
        StringBuilder sb = new StringBuilder();
        boolean upper = false;
        for (char ch : name().toLowerCase(Locale.ROOT).toCharArray()) {
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
