package org.jetsketch.processor.primitives;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One row of the primitive table: an operation generated code applies to an active value, with
 * its real rule, its real adjoint rule, its jet rule and its jet adjoint rule, the library
 * functions it implements, and — per mode — exactly which values its adjoint reads. The code
 * generator instantiates these templates at each use; nothing else in the compiler knows an
 * operation's mathematics. The built-in rows are the constants below, one declaration each;
 * {@link PrimitiveProvider} adds rows from the processor path. {@code PrimitiveTableTest}
 * compiles every template against the runtime, checks every rule against differences, checks
 * that a jet's real part is the real rule's value bit for bit, and proves each row's read sets by
 * running its jet adjoint with the unread values replaced by {@code Jets.UNREAD}.
 *
 * <h2>Template vocabulary</h2>
 * <ul>
 *   <li>{@code {a} {b} {c}}: the operands, {@code {y}} the result, {@code {k}} the real immediate
 *       (a passive operand), {@code {gy}} the result's adjoint, {@code {ga} {gb} {gc}} the
 *       operands' adjoints, {@code {x}} the saved auxiliary value (see {@link #realAux}).
 *   <li>Real rules are Java expressions over doubles. {@link #realAdjoint} holds one contribution
 *       per operand, added to the operand's adjoint ({@code ga += ...}); a contribution written
 *       {@code "-..."} is subtracted instead ({@code ga -= ...}).
 *   <li>Jet rules are statements calling the {@code org.jetsketch.jet.Jets} kernels {@code {j}}
 *       (or an extension's static kernels, passed {@code {j}}); a jet operand expands to its
 *       {@code array, offset} pair, {@code {a.re}} to its real part; {@code {t0} {t1} {t2}} are
 *       scratch jets. A jet forward rule writes {@code {y}} last, so that {@code {y}} may be an
 *       operand's storage. {@link #jetAdjoint} holds one statement group per operand, after the
 *       shared {@link #jetAdjointPrelude}. A kernel argument the kernel's contract says it does
 *       not read is passed as {@code Jets.UNREAD, 0}, so that it is neither recorded nor named.
 *   <li>{@code RealMath.} names the runtime's checked scalar functions.
 * </ul>
 *
 * <h2>Reads, per mode</h2>
 * {@link #realReads} and {@link #jetReads} say which of a, b, c, y, k (and, real only, x) the
 * adjoint rule of that mode reads: what the forward sweep must keep for it. They are declared in
 * the row and checked against the templates when the row is built (a read set that disagrees
 * with the text it describes is an error naming the row), so the recording analysis can trust
 * them.
 *
 * <h2>Real parts</h2>
 * A jet rule's constant term is computed by the same floating-point operations, in the same
 * order, as the real rule: the jet path's real part is the ordinary path's value bit for bit.
 * Rules are written so (a quotient by division, never by a reciprocal times; sums and products
 * grouped as the real rule groups them), and kernels compute their constant terms as the real
 * rule does.
 *
 * An operand that is passive gets no adjoint: its contribution is not emitted.
 *
 * <h2>Unchecked forms</h2>
 * A real rule calling a checked {@code RealMath} function branches on its domain for every
 * element, which keeps the JIT from vectorising the loop around it. {@link #poisonedForward} is
 * the rule without the checks, for loops that run in chunks verified afterwards
 * ({@code codegen.ElementwiseLoops}). With f the real rule and f̃ its unchecked form, for all
 * operands:
 * <ol>
 *   <li>where f throws, f̃ is not finite (a NaN or an infinity);
 *   <li>where f returns and every operand is finite, f̃ returns f's bits (signed zeros and
 *       overflows included);
 *   <li>where an operand is not finite, f̃ is not finite.
 * </ol>
 * E.g. division {@code a / b - (b - b)}: b − b is +0 for a finite b and NaN otherwise, and
 * subtracting +0 keeps every value, −0 included; a zero divisor gives ±∞ or NaN. √a as
 * {@code Math.sqrt(a) * (a / a)}: a / a is exactly 1 for a finite nonzero a and NaN at 0, where
 * √ itself is silent. {@code PrimitiveTableTest} checks the three rules for every row over a grid
 * of operands (±0, subnormals, ±∞, NaN, huge and tiny values). A row that throws for nothing is
 * its own unchecked form ({@link Builder#total}; rules calling only {@code Math} functions are
 * so by default); a row without one keeps any loop applying it checked. {@link
 * #propagatesNonFinite} declares rule 3 for a row without checks (+, ×; not exp, relu, max).
 */
public final class Primitive {
    /** A value an adjoint rule may read. */
    public enum Input {
        A("a"), B("b"), C("c"), Y("y"), K("k"), X("x");

        /** The template placeholder, e.g. {@code "a"} for {@code {a}}. */
        public final String placeholder;

        Input(String placeholder) {
            this.placeholder = placeholder;
        }

        /** The input spelt {@code placeholder} ("a", …, "x"). */
        public static Input of(String placeholder) {
            for (Input i : values()) if (i.placeholder.equals(placeholder)) return i;
            throw new IllegalArgumentException("no adjoint input named '" + placeholder
                    + "' (one of a, b, c, y, k, x)");
        }
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\w+)(\\.re)?}");
    private static final Pattern ROW_NAME = Pattern.compile("[A-Z][A-Z0-9]*(_[A-Z][A-Z0-9]*)*");
    /** A call {@code owner.name(} in a rule. */
    private static final Pattern CALL = Pattern.compile("([A-Za-z_][\\w.]*)\\.[A-Za-z_]\\w*\\s*\\(");
    private static final Pattern FUNCTION = Pattern.compile("([A-Za-z_][\\w.]*)\\.([A-Za-z_]\\w*)");
    /** A kernel argument the kernel does not read (the runtime's zero-length marker array). */
    public static final String UNREAD = "Jets.UNREAD, 0";
    private static final String[] OPERANDS = {"a", "b", "c"};

    // ============================================================ the built-in rows

    public static final Primitive ADD = row("ADD", 2).propagatesNonFinite()
            .real("{a} + {b}").realAdjoint("{gy}", "{gy}")
            .jet("{j}.add({a}, {b}, {y});")
            .jetAdjoint("{j}.addScaled({gy}, 1.0, {ga});", "{j}.addScaled({gy}, 1.0, {gb});")
            .build();
    public static final Primitive SUB = row("SUB", 2).propagatesNonFinite()
            .real("{a} - {b}").realAdjoint("{gy}", "-{gy}")
            .jet("{j}.sub({a}, {b}, {y});")
            .jetAdjoint("{j}.addScaled({gy}, 1.0, {ga});", "{j}.addScaled({gy}, -1.0, {gb});")
            .build();
    public static final Primitive MUL = row("MUL", 2).propagatesNonFinite()
            .real("{a} * {b}").realAdjoint("{gy} * {b}", "{gy} * {a}").realReads(Input.A, Input.B)
            .jet("{j}.mul({a}, {b}, {y});")
            .jetAdjoint("{j}.mulAdd({gy}, {b}, {ga});", "{j}.mulAdd({gy}, {a}, {gb});").jetReads(Input.A, Input.B)
            .build();
    /** a / b; the adjoint of b as −(gy / b)·y, the quotient formed once for both operands. */
    public static final Primitive DIV = row("DIV", 2)
            .real("RealMath.div({a}, {b})").poisoned("{a} / {b} - ({b} - {b})")
            .realAdjoint("{gy} / {b}", "-{gy} / {b} * {y}").realReads(Input.B, Input.Y)
            .jet("{j}.div({a}, {b}, {y});")
            .jetAdjointPrelude("{j}.div({gy}, {b}, {t0});")
            .jetAdjoint("{j}.addScaled({t0}, 1.0, {ga});", "{j}.mul({t0}, {y}, {t1}); {j}.addScaled({t1}, -1.0, {gb});")
            .jetReads(Input.B, Input.Y)
            .build();
    public static final Primitive NEG = row("NEG", 1).propagatesNonFinite()
            .real("-{a}").realAdjoint("-{gy}")
            .jet("{j}.neg({a}, {y});")
            .jetAdjoint("{j}.addScaled({gy}, -1.0, {ga});")
            .build();
    /** a + k */
    public static final Primitive ADD_CONST = row("ADD_CONST", 1).immediate().propagatesNonFinite()
            .real("{a} + {k}").realAdjoint("{gy}")
            .jet("{j}.addReal({a}, {k}, {y});")
            .jetAdjoint("{j}.addScaled({gy}, 1.0, {ga});")
            .build();
    /** k - a; the jet as (−a) + k, the same bits as k − a. */
    public static final Primitive CONST_SUB = row("CONST_SUB", 1).immediate().propagatesNonFinite()
            .real("{k} - {a}").realAdjoint("-{gy}")
            .jet("{j}.neg({a}, {t0}); {j}.addReal({t0}, {k}, {y});")
            .jetAdjoint("{j}.addScaled({gy}, -1.0, {ga});")
            .build();
    /** a * k */
    public static final Primitive MUL_CONST = row("MUL_CONST", 1).immediate().propagatesNonFinite()
            .real("{a} * {k}").realAdjoint("{gy} * {k}").realReads(Input.K)
            .jet("{j}.scale({a}, {k}, {y});")
            .jetAdjoint("{j}.addScaled({gy}, {k}, {ga});").jetReads(Input.K)
            .build();
    /** a / k: divided, in both modes (a jet's real part by the real rule's division). */
    public static final Primitive DIV_CONST = row("DIV_CONST", 1).immediate()
            .real("RealMath.div({a}, {k})").poisoned("{a} / {k} - ({k} - {k})")
            .realAdjoint("{gy} / {k}").realReads(Input.K)
            .jet("{j}.divReal({a}, {k}, {y});")
            .jetAdjoint("{j}.divReal({gy}, {k}, {t0}); {j}.addScaled({t0}, 1.0, {ga});").jetReads(Input.K)
            .build();
    /** k / a: the jet as the series quotient of the constant jet k by a. */
    public static final Primitive CONST_DIV = row("CONST_DIV", 1).immediate()
            .real("RealMath.div({k}, {a})").poisoned("{k} / {a} - ({a} - {a})")
            .realAdjoint("-{gy} * {y} / {a}").realReads(Input.A, Input.Y)
            .jet("{j}.constant({k}, {t0}); {j}.div({t0}, {a}, {y});")
            .jetAdjoint("{j}.mul({gy}, {y}, {t0}); {j}.div({t0}, {a}, {t0}); {j}.addScaled({t0}, -1.0, {ga});")
            .jetReads(Input.A, Input.Y)
            .build();
    /** a + b * c: the fused multiply-add of a dot product. */
    public static final Primitive FMA = row("FMA", 3).propagatesNonFinite()
            .real("{a} + {b} * {c}").realAdjoint("{gy}", "{gy} * {c}", "{gy} * {b}").realReads(Input.B, Input.C)
            .jet("{j}.mul({b}, {c}, {t0}); {j}.add({t0}, {a}, {y});")
            .jetAdjoint("{j}.addScaled({gy}, 1.0, {ga});", "{j}.mulAdd({gy}, {c}, {gb});", "{j}.mulAdd({gy}, {b}, {gc});")
            .jetReads(Input.B, Input.C)
            .build();
    /** a + b * k */
    public static final Primitive FMA_CONST = row("FMA_CONST", 2).immediate().propagatesNonFinite()
            .real("{a} + {b} * {k}").realAdjoint("{gy}", "{gy} * {k}").realReads(Input.K)
            .jet("{j}.scale({b}, {k}, {t0}); {j}.add({t0}, {a}, {y});")
            .jetAdjoint("{j}.addScaled({gy}, 1.0, {ga});", "{j}.addScaled({gy}, {k}, {gb});").jetReads(Input.K)
            .build();
    /** a * a (also {@code Math.pow(a, 2)}). */
    public static final Primitive SQUARE = row("SQUARE", 1).implementing("Fn.square").propagatesNonFinite()
            .real("{a} * {a}").jetKernel("square").derivative("2.0 * {a}", "squarePrime", Input.A)
            .build();
    public static final Primitive EXP = row("EXP", 1).implementing("Math.exp")
            .real("Math.exp({a})").jetKernel("exp").derivative("{y}", "expPrime", Input.Y)
            .build();
    /** log a; the adjoint a quotient, gy / a, in both modes. */
    public static final Primitive LOG = row("LOG", 1).implementing("Math.log")
            .real("RealMath.log({a})").poisoned("Math.log({a})").realAdjoint("{gy} / {a}").realReads(Input.A)
            .jet("{j}.log({a}, {y});")
            .jetAdjoint("{j}.div({gy}, {a}, {t0}); {j}.addScaled({t0}, 1.0, {ga});").jetReads(Input.A)
            .build();
    /** log(1 + a); the adjoint gy / (1 + a) in both modes. */
    public static final Primitive LOG1P = row("LOG1P", 1).implementing("Math.log1p")
            .real("RealMath.log1p({a})").poisoned("Math.log1p({a})")
            .realAdjoint("{gy} / (1.0 + {a})").realReads(Input.A)
            .jet("{j}.log1p({a}, {y});")
            .jetAdjoint("{j}.addReal({a}, 1.0, {t0}); {j}.div({gy}, {t0}, {t0}); {j}.addScaled({t0}, 1.0, {ga});")
            .jetReads(Input.A)
            .build();
    public static final Primitive EXPM1 = row("EXPM1", 1).implementing("Math.expm1")
            .real("Math.expm1({a})").jetKernel("expm1").derivative("{y} + 1.0", "expm1Prime", Input.Y)
            .build();
    /** √a; the adjoint (gy · 0.5) / y in both modes. */
    public static final Primitive SQRT = row("SQRT", 1).implementing("Math.sqrt")
            .real("RealMath.sqrt({a})").poisoned("Math.sqrt({a}) * ({a} / {a})")
            .realAdjoint("{gy} * 0.5 / {y}").realReads(Input.Y)
            .jet("{j}.sqrt({a}, {y});")
            .jetAdjoint("{j}.scale({gy}, 0.5, {t0}); {j}.div({t0}, {y}, {t0}); {j}.addScaled({t0}, 1.0, {ga});")
            .jetReads(Input.Y)
            .build();
    /** a^(−1/2); the adjoint −((gy · 0.5) · y) / a in both modes. */
    public static final Primitive RSQRT = row("RSQRT", 1).implementing("Fn.rsqrt")
            .real("RealMath.rsqrt({a})").poisoned("1.0 / Math.sqrt({a}) - ({a} - {a})")
            .realAdjoint("-{gy} * 0.5 * {y} / {a}").realReads(Input.A, Input.Y)
            .jet("{j}.rsqrt({a}, {y});")
            .jetAdjoint("{j}.scale({gy}, 0.5, {t0}); {j}.mul({t0}, {y}, {t0}); {j}.div({t0}, {a}, {t0});"
                    + " {j}.addScaled({t0}, -1.0, {ga});")
            .jetReads(Input.A, Input.Y)
            .build();
    public static final Primitive TANH = row("TANH", 1).implementing("Math.tanh")
            .real("Math.tanh({a})").jetKernel("tanh").derivative("1.0 - {y} * {y}", "tanhPrime", Input.Y)
            .build();
    public static final Primitive SIGMOID = row("SIGMOID", 1).implementing("Fn.sigmoid")
            .total().real("RealMath.sigmoid({a})").jetKernel("sigmoid").derivative("{y} * (1.0 - {y})", "sigmoidPrime", Input.Y)
            .build();
    public static final Primitive SOFTPLUS = row("SOFTPLUS", 1).implementing("Fn.softplus")
            .total().real("RealMath.softplus({a})").jetKernel("softplus")
            .derivative("RealMath.sigmoid({a})", "softplusPrime", Input.A)
            .build();
    public static final Primitive ERF = row("ERF", 1).implementing("Fn.erf")
            .total().real("RealMath.erf({a})").jetKernel("erf").derivative("RealMath.erfPrime({a})", "erfPrime", Input.A)
            .build();
    /**
     * x Φ(x). The forward sweep saves Φ(x) for the adjoint, so the normal CDF is evaluated once
     * per element, not again in the reverse sweep.
     */
    public static final Primitive GELU = row("GELU", 1).implementing("Fn.gelu")
            .total().realAux("RealMath.normalCdf({a})").real("{a} * {x}")
            .jetKernel("gelu").derivative("{x} + {a} * RealMath.normalPdf({a})", "geluPrime", Input.A)
            .build();
    /** The branch is decided by the real part; relu(0) takes the 0 branch. */
    public static final Primitive RELU = row("RELU", 1).implementing("Fn.relu")
            .real("({a} > 0.0 ? {a} : 0.0)").realAdjoint("{a} > 0.0 ? {gy} : 0.0").realReads(Input.A)
            .jet("{j}.relu({a}, {y});")
            .jetAdjoint("if ({a.re} > 0.0) {j}.addScaled({gy}, 1.0, {ga});").jetReads(Input.A)
            .build();
    /** The branch is decided by the real part; abs(0) takes the + branch. */
    public static final Primitive ABS = row("ABS", 1).implementing("Math.abs").propagatesNonFinite()
            .real("Math.abs({a})").jetKernel("abs").derivative("{a} < 0.0 ? -1.0 : 1.0", "absPrime", Input.A)
            .build();
    /** a^k for a real constant k; the adjoint (gy · k) · a^(k−1) in both modes. */
    public static final Primitive POW_CONST = row("POW_CONST", 1).immediate()
            .real("RealMath.pow({a}, {k})").realAdjoint("{gy} * {k} * RealMath.pow({a}, {k} - 1.0)")
            .realReads(Input.A, Input.K)
            .jet("{j}.pow({a}, {k}, {y});")
            .jetAdjoint("{j}.pow({a}, {k} - 1.0, {t0}); {j}.scale({gy}, {k}, {t1}); {j}.mulAdd({t1}, {t0}, {ga});")
            .jetReads(Input.A, Input.K)
            .build();
    /** a^b with an active exponent: exp(b log a). */
    public static final Primitive POW = row("POW", 2).implementing("Math.pow")
            .real("Math.exp({b} * RealMath.log({a}))")
            .realAdjoint("{gy} * {y} * {b} / {a}", "{gy} * {y} * RealMath.log({a})").realReads(Input.A, Input.B, Input.Y)
            .jet("{j}.log({a}, {t0}); {j}.mul({b}, {t0}, {t0}); {j}.exp({t0}, {y});")
            .jetAdjointPrelude("{j}.mul({gy}, {y}, {t0});")
            .jetAdjoint("{j}.mul({t0}, {b}, {t1}); {j}.div({t1}, {a}, {t1}); {j}.addScaled({t1}, 1.0, {ga});",
                    "{j}.log({a}, {t1}); {j}.mulAdd({t0}, {t1}, {gb});")
            .jetReads(Input.A, Input.B, Input.Y)
            .build();
    /** k^a for a real constant base k: exp(a log k). */
    public static final Primitive CONST_POW = row("CONST_POW", 1).immediate()
            .real("Math.exp({a} * RealMath.log({k}))").realAdjoint("{gy} * {y} * RealMath.log({k})")
            .realReads(Input.Y, Input.K)
            .jet("{j}.scale({a}, RealMath.log({k}), {t0}); {j}.exp({t0}, {y});")
            .jetAdjoint("{j}.mul({gy}, {y}, {t0}); {j}.addScaled({t0}, RealMath.log({k}), {ga});")
            .jetReads(Input.Y, Input.K)
            .build();
    /** The branch is decided by the real parts; ties take the first operand. */
    public static final Primitive MAX = row("MAX", 2).implementing("Math.max")
            .real("({a} >= {b} ? {a} : {b})").realAdjoint("{a} >= {b} ? {gy} : 0.0", "{a} >= {b} ? 0.0 : {gy}")
            .realReads(Input.A, Input.B)
            .jet("{j}.max({a}, {b}, {y});")
            .jetAdjoint("if ({a.re} >= {b.re}) {j}.addScaled({gy}, 1.0, {ga});",
                    "if (!({a.re} >= {b.re})) {j}.addScaled({gy}, 1.0, {gb});")
            .jetReads(Input.A, Input.B)
            .build();
    /** The branch is decided by the real parts; ties take the first operand. */
    public static final Primitive MIN = row("MIN", 2).implementing("Math.min")
            .real("({a} <= {b} ? {a} : {b})").realAdjoint("{a} <= {b} ? {gy} : 0.0", "{a} <= {b} ? 0.0 : {gy}")
            .realReads(Input.A, Input.B)
            .jet("{j}.min({a}, {b}, {y});")
            .jetAdjoint("if ({a.re} <= {b.re}) {j}.addScaled({gy}, 1.0, {ga});",
                    "if (!({a.re} <= {b.re})) {j}.addScaled({gy}, 1.0, {gb});")
            .jetReads(Input.A, Input.B)
            .build();

    /** The built-in rows in declaration order (the order of generated Javadoc and of tests). */
    static final List<Primitive> BUILT_IN = List.of(ADD, SUB, MUL, DIV, NEG, ADD_CONST, CONST_SUB, MUL_CONST,
            DIV_CONST, CONST_DIV, FMA, FMA_CONST, SQUARE, EXP, LOG, LOG1P, EXPM1, SQRT, RSQRT, TANH, SIGMOID,
            SOFTPLUS, ERF, GELU, RELU, ABS, POW_CONST, POW, CONST_POW, MAX, MIN);

    // ============================================================ the row

    private final String name;
    /** How many active operands (a, b, c) the operation takes. */
    public final int arity;
    /** Whether the operation also reads the real immediate {@code {k}}. */
    public final boolean hasImmediate;
    /** The real result, an expression. */
    public final String realForward;
    /** A value the real forward rule computes first and the adjoint reuses ({@code {x}}), or null. */
    public final String realAux;
    /**
     * The real rule without its domain checks, an expression over the same placeholders, or null
     * (a loop applying the row is never run unchecked). See "Unchecked forms" in the class comment.
     */
    public final String poisonedForward;
    /** Whether the result is not finite whenever an operand ({@code a}, {@code b}, {@code c}) is not (see the class comment). */
    public final boolean propagatesNonFinite;
    /** Per operand, its adjoint contribution (see the class comment). */
    public final List<String> realAdjoint;
    /** What the real adjoint reads. */
    public final Set<Input> realReads;
    public final String jetForward;
    public final String jetAdjointPrelude;
    /** Per operand, the statements accumulating its adjoint jet. */
    public final List<String> jetAdjoint;
    /** What the jet adjoint reads. */
    public final Set<Input> jetReads;
    /**
     * The library functions ({@code "Math.exp"}, {@code "Fn.gelu"}, or an extension's
     * {@code "com.example.Hyperbolic.sinh"}) this operation implements: owner key, dot, name.
     */
    public final List<String> functions;

    private Primitive(Builder b) {
        this.name = b.name;
        this.arity = b.arity;
        this.hasImmediate = b.immediate;
        this.realForward = b.realForward;
        this.realAux = b.realAux;
        this.poisonedForward = b.poisoned;
        this.propagatesNonFinite = b.propagatesNonFinite;
        this.realAdjoint = List.copyOf(b.realAdjoint);
        this.realReads = Collections.unmodifiableSet(b.realReads.clone());
        this.jetForward = b.jetForward;
        this.jetAdjointPrelude = b.jetAdjointPrelude;
        this.jetAdjoint = List.copyOf(b.jetAdjoint);
        this.jetReads = Collections.unmodifiableSet(b.jetReads.clone());
        this.functions = List.copyOf(b.functions);
    }

    /** The row's name, e.g. {@code MUL_CONST}: upper snake case, unique in the registry. */
    public String name() { return name; }

    @Override
    public String toString() { return name; }

    /**
     * Whether the real ({@code jet} false) or jet adjoint rule reads {@code name} ("a", "b", "c",
     * "y", "k", "x"): exactly what the row declares (and its templates were checked against).
     */
    public boolean adjointReads(String name, boolean jet) {
        return (jet ? jetReads : realReads).contains(Input.of(name));
    }

    /**
     * Whether the real rule checks a domain that its unchecked form turns into a non-finite
     * result: a row that makes a loop worth running unchecked (see {@code codegen.ElementwiseLoops}).
     */
    public boolean isChecked() {
        return poisonedForward != null && !poisonedForward.equals(realForward);
    }

    /** The name used in generated comments, e.g. {@code mulConst}. */
    public String helperName() {
        StringBuilder sb = new StringBuilder();
        boolean upper = false;
        for (char ch : name.toLowerCase(Locale.ROOT).toCharArray()) {
            if (ch == '_') {
                upper = true;
            } else {
                sb.append(upper ? Character.toUpperCase(ch) : ch);
                upper = false;
            }
        }
        return sb.toString();
    }

    /** The row's position in {@link #values()}: built-in rows first, in declaration order. */
    public int ordinal() {
        return Primitives.all().indexOf(this);
    }

    /** Orders rows as {@link #values()} does. */
    public static final Comparator<Primitive> ORDER = Comparator.comparingInt(Primitive::ordinal);

    /** Every row: the built-in ones, then those of the {@link PrimitiveProvider}s on the processor path. */
    public static List<Primitive> values() {
        return Primitives.all();
    }

    /** The built-in rows only. */
    public static List<Primitive> builtIns() {
        return BUILT_IN;
    }

    /** The row named {@code name}. */
    public static Primitive valueOf(String name) {
        for (Primitive p : values()) if (p.name.equals(name)) return p;
        throw new IllegalArgumentException("no primitive named " + name);
    }

    /** The primitive implementing library function {@code owner.name} (e.g. "Math", "exp"), or null. */
    public static Primitive forFunction(String owner, String name) {
        return Primitives.forFunction(owner + "." + name);
    }

    /** Fills a template: {@code values} maps a placeholder name (with ".re" for a real part) to code. */
    public static String fill(String template, Function<String, String> values) {
        return fill(template, (key, start, end) -> values.apply(key));
    }

    /**
     * The code that replaces a template's placeholder {@code key} standing at {@code [start, end)}
     * of the template (where it stands decides, e.g., whether it needs parentheses); null if unbound.
     */
    public interface Placement {
        String code(String key, int start, int end);
    }

    /** Fills a template, each placeholder with the code {@code placement} gives for it where it stands. */
    public static String fill(String template, Placement placement) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String key = m.group(1) + (m.group(2) == null ? "" : m.group(2));
            String code = placement.code(key, m.start(), m.end());
            if (code == null) throw new IllegalStateException("template placeholder {" + key + "} unbound: " + template);
            m.appendReplacement(sb, Matcher.quoteReplacement(code));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    // ============================================================ building a row

    /** Starts a row named {@code name} (upper snake case) with {@code arity} active operands (1 to 3). */
    public static Builder row(String name, int arity) {
        return new Builder(name, arity);
    }

    /**
     * A row under construction. The common unary case is three calls: {@link #real}, {@link
     * #jetKernel} and {@link #derivative} (as in JAX's jet table, most rows are built from that one
     * helper); the others spell out their adjoints per operand. {@link #build} checks the row.
     */
    public static final class Builder {
        private final String name;
        private final int arity;
        private boolean immediate;
        private final List<String> functions = new ArrayList<>();
        private String realForward;
        private String realAux;
        private String poisoned;
        private boolean total;
        private boolean propagatesNonFinite;
        private List<String> realAdjoint = List.of();
        private final EnumSet<Input> realReads = EnumSet.noneOf(Input.class);
        private String jetForward;
        private String jetAdjointPrelude = "";
        private List<String> jetAdjoint = List.of();
        private final EnumSet<Input> jetReads = EnumSet.noneOf(Input.class);

        private Builder(String name, int arity) {
            if (name == null || !ROW_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("primitive name '" + name + "' must be upper snake case, e.g. MUL_CONST");
            }
            if (arity < 1 || arity > 3) {
                throw new IllegalArgumentException(name + ": arity " + arity + " outside 1..3 (operands a, b, c)");
            }
            this.name = name;
            this.arity = arity;
        }

        /** The operation also takes the passive real immediate {@code {k}}. */
        public Builder immediate() {
            immediate = true;
            return this;
        }

        /**
         * The library functions the row implements, as {@code owner.name}: {@code Math.exp},
         * {@code Fn.gelu}, or an extension's fully qualified class and method.
         */
        public Builder implementing(String... names) {
            for (String f : names) {
                if (!FUNCTION.matcher(f).matches()) {
                    throw new IllegalArgumentException(name + ": function '" + f + "' is not owner.name");
                }
                functions.add(f);
            }
            return this;
        }

        /** The real forward rule, an expression. */
        public Builder real(String forward) {
            realForward = forward;
            return this;
        }

        /** A value the real forward rule and the real adjoint share, {@code {x}}. */
        public Builder realAux(String aux) {
            realAux = aux;
            return this;
        }

        /**
         * The real rule's unchecked form (see "Unchecked forms" in the class comment): not finite
         * where the real rule throws, the real rule's bits where it returns, not finite when an
         * operand is not finite. Declaring it declares {@link #propagatesNonFinite()}.
         */
        public Builder poisoned(String form) {
            poisoned = form;
            propagatesNonFinite = true;
            return this;
        }

        /**
         * The real rule throws for no argument (it calls only total functions): it is its own
         * unchecked form. Rules calling nothing but {@code Math} functions need not say so.
         */
        public Builder total() {
            total = true;
            return this;
        }

        /**
         * The result is not finite whenever an active operand is not (+, −, ×, |a|; not exp, whose
         * e^(−∞) is 0, nor relu or max, which drop a NaN): a domain violation upstream of the
         * operation still shows in its result.
         */
        public Builder propagatesNonFinite() {
            propagatesNonFinite = true;
            return this;
        }

        /** The real adjoint, one contribution per operand (see the class comment). */
        public Builder realAdjoint(String... perOperand) {
            realAdjoint = List.of(perOperand);
            return this;
        }

        /** What the real adjoint reads (nothing unless declared). */
        public Builder realReads(Input... inputs) {
            realReads.addAll(List.of(inputs));
            return this;
        }

        /** The jet forward rule, statements. */
        public Builder jet(String forward) {
            jetForward = forward;
            return this;
        }

        /** Statements the jet adjoints of all operands share, before them. */
        public Builder jetAdjointPrelude(String prelude) {
            jetAdjointPrelude = prelude;
            return this;
        }

        /** The jet adjoint, one statement group per operand. */
        public Builder jetAdjoint(String... perOperand) {
            jetAdjoint = List.of(perOperand);
            return this;
        }

        /** What the jet adjoint reads (nothing unless declared). */
        public Builder jetReads(Input... inputs) {
            jetReads.addAll(List.of(inputs));
            return this;
        }

        /** A unary function whose jet forward rule is the {@code Jets} kernel {@code kernel(a, y)}. */
        public Builder jetKernel(String kernel) {
            return jet("{j}." + kernel + "({a}, {y});");
        }

        /**
         * A unary function's adjoint from its derivative g'(a): ga += gy · g'(a). Real:
         * {@code realFactor} is g'(a) as an expression; jet: {@code kernel(a, y, out)} writes the
         * jet of g'(a), whose constant term the kernel computes as {@code realFactor} does, and
         * reads exactly {@code kernelReads} (a or y or both; an unread one is passed as {@link
         * #UNREAD}). Both modes then read what the factor and the kernel read.
         */
        public Builder derivative(String realFactor, String kernel, Input... kernelReads) {
            if (arity != 1) throw new IllegalStateException(name + ": derivative() is for unary rows");
            EnumSet<Input> reads = EnumSet.noneOf(Input.class);
            reads.addAll(List.of(kernelReads));
            if (reads.isEmpty() || !EnumSet.of(Input.A, Input.Y).containsAll(reads)) {
                throw new IllegalArgumentException(name + ": a derivative kernel reads a, y or both, not " + reads);
            }
            realAdjoint("{gy} * " + (topLevelSpace(realFactor) ? "(" + realFactor + ")" : realFactor));
            realReads(placeholders(realFactor).toArray(new Input[0]));
            String a = reads.contains(Input.A) ? "{a}" : UNREAD;
            String y = reads.contains(Input.Y) ? "{y}" : UNREAD;
            jetAdjoint("{j}." + kernel + "(" + a + ", " + y + ", {t0}); {j}.mulAdd({gy}, {t0}, {ga});");
            return jetReads(kernelReads);
        }

        /** Checks the row and builds it; an inconsistent row is an error naming it and what is wrong. */
        public Primitive build() {
            require(realForward != null && !realForward.isBlank(), "no real forward rule");
            require(jetForward != null && !jetForward.isBlank(), "no jet forward rule");
            require(realAdjoint.size() == arity, "real adjoint has " + realAdjoint.size() + " contributions for arity " + arity);
            require(jetAdjoint.size() == arity, "jet adjoint has " + jetAdjoint.size() + " statement groups for arity " + arity);
            for (int i = 0; i < arity; i++) {
                require(!realAdjoint.get(i).isBlank(), "empty real adjoint for operand " + OPERANDS[i]);
                require(!jetAdjoint.get(i).isBlank(), "empty jet adjoint for operand " + OPERANDS[i]);
            }
            require(!jetReads.contains(Input.X), "the jet adjoint cannot read x (the auxiliary value is real only)");
            require(functions.isEmpty() || !immediate,
                    "a row implementing functions takes every argument as an operand, so it has no immediate()");
            String real = String.join(" ", realAdjoint);
            String jet = jetAdjointPrelude + " " + String.join(" ", jetAdjoint);
            checkPlaceholders("real forward", realForward + " " + (realAux == null ? "" : realAux), false, false);
            checkPlaceholders("real adjoint", real, true, false);
            checkPlaceholders("jet forward", jetForward, false, true);
            checkPlaceholders("jet adjoint", jet, true, true);
            String all = String.join(" ", realForward, real, jetForward, jet);
            require(placeholders(all).contains(Input.K) == immediate,
                    immediate ? "declared immediate() but no rule reads {k}" : "a rule reads {k} but the row has no immediate()");
            require(realAux == null || placeholders(real).contains(Input.X) || realForward.contains("{x}"),
                    "realAux is never read");
            require(placeholders(real).equals(realReads),
                    "real adjoint reads " + placeholders(real) + " but the row declares " + realReads);
            require(placeholders(jet).equals(jetReads),
                    "jet adjoint reads " + placeholders(jet) + " but the row declares " + jetReads);
            require(poisoned == null || !total, "a total() row is its own unchecked form: it declares no poisoned()");
            if (total || poisoned == null && callsOnlyMath(realForward + " " + (realAux == null ? "" : realAux))) {
                poisoned = realForward;
            }
            if (poisoned != null) {
                checkPlaceholders("unchecked forward", poisoned, false, false);
                require(placeholders(poisoned).equals(placeholders(realForward)),
                        "the unchecked form reads " + placeholders(poisoned) + " but the real rule "
                                + placeholders(realForward));
            }
            return new Primitive(this);
        }

        private void checkPlaceholders(String what, String text, boolean adjoint, boolean jet) {
            Matcher m = PLACEHOLDER.matcher(text);
            while (m.find()) {
                String p = m.group(1);
                boolean ok = switch (p) {
                    case "a" -> true;
                    case "b" -> arity >= 2;
                    case "c" -> arity >= 3;
                    case "y" -> adjoint || jet;
                    case "k" -> true;
                    case "x" -> !jet && realAux != null;
                    case "gy" -> adjoint;
                    case "ga" -> adjoint;
                    case "gb" -> adjoint && arity >= 2;
                    case "gc" -> adjoint && arity >= 3;
                    case "j", "t0", "t1", "t2" -> jet;
                    default -> false;
                };
                require(ok, what + " rule names {" + p + "}, which it cannot have: " + text.trim());
                require(m.group(2) == null || jet && p.length() == 1 && "abcy".contains(p),
                        what + " rule names {" + p + ".re}: real parts are for jet operands");
            }
        }

        private void require(boolean condition, String problem) {
            if (!condition) throw new IllegalStateException("primitive " + name + ": " + problem);
        }
    }

    /** The adjoint inputs (a, b, c, y, k, x) a template names. */
    static EnumSet<Input> placeholders(String text) {
        EnumSet<Input> out = EnumSet.noneOf(Input.class);
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            for (Input i : Input.values()) if (i.placeholder.equals(m.group(1))) out.add(i);
        }
        return out;
    }

    /** Whether every function a rule calls is a {@code java.lang.Math} one (none of which throws). */
    static boolean callsOnlyMath(String rule) {
        Matcher m = CALL.matcher(rule);
        while (m.find()) if (!m.group(1).equals("Math")) return false;
        return true;
    }

    /** Whether an expression has a space outside parentheses (so it needs them as a factor). */
    private static boolean topLevelSpace(String expression) {
        int depth = 0;
        for (char c : expression.toCharArray()) {
            if (c == '(') depth++;
            else if (c == ')') depth--;
            else if (c == ' ' && depth == 0) return true;
        }
        return false;
    }
}
