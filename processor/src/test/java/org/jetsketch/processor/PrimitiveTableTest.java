package org.jetsketch.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import javax.lang.model.SourceVersion;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jetsketch.dsl.Fn;
import org.jetsketch.jet.Jets;
import org.jetsketch.jet.RealMath;
import org.jetsketch.processor.primitives.Functions;
import org.jetsketch.processor.primitives.Primitive;
import org.jetsketch.processor.primitives.Primitive.Input;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The primitive table is complete and every row is right: the built-in rows and those a provider
 * adds (the test sources add SINH, see {@code extension.HyperbolicPrimitives}). Completeness: each
 * primitive has all four rules, names only kernels that exist on {@link Jets} or on its own kernel
 * class (with the right number of arguments) and functions that exist on {@link RealMath} and
 * {@link Math}, and every {@link Fn} function has a row. Correctness, one row at a time and
 * independently of the code generator: the rules are compiled into a harness, then the real
 * adjoint is checked against central differences of the real forward rule, the jet rules (degree
 * 2, one direction) against the real rules and second differences, and the real parts of the jet
 * rules against the real rules bit for bit over a grid. The jet adjoint runs with every value
 * its row says it does not read absent ({@code Jets.UNREAD}), which proves the read sets the
 * recording analysis relies on.
 */
public class PrimitiveTableTest { // public: the compiled harness implements its Harness
    private static final Pattern JET_CALL = Pattern.compile("\\bj\\.(\\w+)\\(");
    /** A static call on a fully qualified class: an extension's own kernels. */
    private static final Pattern STATIC_KERNEL_CALL = Pattern.compile("\\b((?:[a-z]\\w*\\.)+[A-Z]\\w*)\\.(\\w+)\\(");
    private static final Pattern REAL_MATH_CALL = Pattern.compile("\\bRealMath\\.(\\w+)\\(");
    private static final Pattern MATH_CALL = Pattern.compile("(?<![\\w.])Math\\.(\\w+)\\(");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\w+)(\\.re)?}");
    private static final String[] LETTERS = {"a", "b", "c"};

    // ---------------------------------------------------------------- the rules as the harness writes them

    /** Real rules over va, vb, vc, k, vy (output), gy (output adjoint) and x (the saved auxiliary value). */
    private static String real(String template) {
        return Primitive.fill(template, name -> switch (name) {
            case "a", "b", "c" -> "v" + name;
            case "y" -> "vy";
            case "k", "gy", "x" -> name;
            default -> null;
        });
    }

    /** Jet rules: operands at 0, S, 2S of v, the output at 3S, their adjoints in g, scratch in tmp. */
    private static String jet(String template) {
        return Primitive.fill(template, name -> switch (name) {
            case "j" -> "j";
            case "k" -> "k";
            case "a" -> "v, 0";
            case "b" -> "v, S";
            case "c" -> "v, 2 * S";
            case "y" -> "v, 3 * S";
            case "a.re" -> "v[0]";
            case "b.re" -> "v[S]";
            case "c.re" -> "v[2 * S]";
            case "ga" -> "g, 0";
            case "gb" -> "g, S";
            case "gc" -> "g, 2 * S";
            case "gy" -> "g, 3 * S";
            case "t0" -> "tmp, 0";
            case "t1" -> "tmp, S";
            case "t2" -> "tmp, 2 * S";
            default -> null;
        });
    }

    private static String realForward(Primitive p) {
        String aux = p.realAux == null ? "" : "final double x = " + real(p.realAux) + "; ";
        return aux + "return " + real(p.realForward) + ";";
    }

    /** The unchecked form as a method body (a row without one throws). */
    private static String poisonedForward(Primitive p) {
        if (p.poisonedForward == null) return "throw new UnsupportedOperationException(\"no unchecked form\");";
        String aux = p.realAux == null ? "" : "final double x = " + real(p.realAux) + "; ";
        return aux + "return " + real(p.poisonedForward) + ";";
    }

    private static String realAdjoint(Primitive p) {
        StringBuilder sb = new StringBuilder(p.realAux == null ? "" : "final double x = " + real(p.realAux) + "; ");
        for (int i = 0; i < p.arity; i++) {
            String c = real(p.realAdjoint.get(i));
            sb.append(c.startsWith("-") ? "g[" + i + "] -= " + c.substring(1) : "g[" + i + "] += " + c).append("; ");
        }
        return sb.toString();
    }

    private static String jetAdjoint(Primitive p) {
        StringBuilder sb = new StringBuilder(jet(p.jetAdjointPrelude)).append(' ');
        for (int i = 0; i < p.arity; i++) sb.append(jet(p.jetAdjoint.get(i))).append(' ');
        return sb.toString();
    }

    static List<Primitive> rows() {
        return Primitive.values();
    }

    // ---------------------------------------------------------------- completeness

    @ParameterizedTest
    @MethodSource("rows")
    void hasAllFourRules(Primitive p) {
        assertWithMessage("%s", p).that(p.realForward.trim()).isNotEmpty();
        assertWithMessage("%s", p).that(p.jetForward.trim()).isNotEmpty();
        assertThat(p.realAdjoint).hasSize(p.arity);
        assertThat(p.jetAdjoint).hasSize(p.arity);
        for (int i = 0; i < p.arity; i++) {
            assertWithMessage("%s operand %s", p, i).that(p.realAdjoint.get(i).trim()).isNotEmpty();
            assertWithMessage("%s operand %s", p, i).that(p.jetAdjoint.get(i).trim()).isNotEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("rows")
    void jetRulesNameOnlyExistingKernels(Primitive p) throws ClassNotFoundException {
        for (String rule : List.of(jet(p.jetForward), jetAdjoint(p))) {
            Matcher m = JET_CALL.matcher(rule);
            int calls = 0;
            while (m.find()) {
                calls++;
                String kernel = m.group(1);
                int args = arguments(rule, m.end());
                boolean exists = Arrays.stream(Jets.class.getMethods())
                        .anyMatch(x -> x.getName().equals(kernel) && x.getParameterCount() == args
                                && !Modifier.isStatic(x.getModifiers()));
                assertWithMessage("%s names Jets.%s with %s arguments: %s", p, kernel, args, rule).that(exists).isTrue();
            }
            m = STATIC_KERNEL_CALL.matcher(rule);
            while (m.find()) {
                calls++;
                String kernel = m.group(2);
                int args = arguments(rule, m.end());
                Class<?> owner = Class.forName(m.group(1));
                boolean exists = Arrays.stream(owner.getMethods()).anyMatch(x -> x.getName().equals(kernel)
                        && x.getParameterCount() == args && Modifier.isStatic(x.getModifiers())
                        && x.getParameterTypes()[0] == Jets.class);
                assertWithMessage("%s names the static kernel %s.%s(Jets, ...) with %s arguments: %s", p, m.group(1),
                        kernel, args, rule).that(exists).isTrue();
            }
            assertWithMessage("%s: a jet rule calls at least one kernel: %s", p, rule).that(calls).isGreaterThan(0);
        }
    }

    @ParameterizedTest
    @MethodSource("rows")
    void realRulesNameOnlyExistingFunctions(Primitive p) {
        for (String rule : List.of(realForward(p), realAdjoint(p), jet(p.jetForward), jetAdjoint(p))) {
            Matcher m = REAL_MATH_CALL.matcher(rule);
            while (m.find()) {
                String name = m.group(1);
                int args = arguments(rule, m.end());
                assertWithMessage("%s names RealMath.%s/%s", p, name, args).that(Arrays.stream(
                        RealMath.class.getMethods()).anyMatch(x -> x.getName().equals(name)
                        && x.getParameterCount() == args && Modifier.isStatic(x.getModifiers()))).isTrue();
            }
            m = MATH_CALL.matcher(rule);
            while (m.find()) {
                String name = m.group(1);
                assertWithMessage("%s names Math.%s", p, name).that(Arrays.stream(Math.class.getMethods())
                        .anyMatch(x -> x.getName().equals(name))).isTrue();
            }
        }
    }

    /** The operands a rule reads exist (arity), the immediate k is read iff it is declared, and the
     * auxiliary value x only where the row defines it. */
    @ParameterizedTest
    @MethodSource("rows")
    void rulesReadOnlyDeclaredOperands(Primitive p) {
        String all = String.join(" ", p.realForward, String.join(" ", p.realAdjoint), p.jetForward,
                p.jetAdjointPrelude, String.join(" ", p.jetAdjoint));
        Matcher m = PLACEHOLDER.matcher(all);
        boolean readsK = false;
        while (m.find()) {
            String name = m.group(1);
            if (name.length() == 1 && "abc".contains(name)) {
                assertWithMessage("%s reads operand %s but has arity %s", p, name, p.arity)
                        .that(name.charAt(0) - 'a').isLessThan(p.arity);
            }
            if (name.length() == 2 && name.startsWith("g") && "abc".contains(name.substring(1))) {
                assertWithMessage("%s writes %s", p, name).that(name.charAt(1) - 'a').isLessThan(p.arity);
            }
            readsK |= name.equals("k");
            if (name.equals("x")) assertWithMessage("%s reads x", p).that(p.realAux).isNotNull();
        }
        assertWithMessage("%s reads k", p).that(readsK).isEqualTo(p.hasImmediate);
    }

    /** adjointReads answers from the row's per-mode read sets, which name exactly what each adjoint template names. */
    @ParameterizedTest
    @MethodSource("rows")
    void adjointReadsAreTheTemplatesReads(Primitive p) {
        String real = String.join(" ", p.realAdjoint);
        String jet = p.jetAdjointPrelude + " " + String.join(" ", p.jetAdjoint);
        for (Input i : Input.values()) {
            assertWithMessage("%s real reads %s", p, i).that(p.adjointReads(i.placeholder, false))
                    .isEqualTo(real.contains("{" + i.placeholder + "}"));
            assertWithMessage("%s jet reads %s", p, i).that(p.adjointReads(i.placeholder, true))
                    .isEqualTo(jet.contains("{" + i.placeholder + "}") || jet.contains("{" + i.placeholder + ".re}"));
        }
    }

    /**
     * The unary rows whose derivative kernel reads only one of a and y say so: exp' = y and
     * tanh' = 1 − y² never read a, log' = 1/a, erf' and GELU' never read y. (Before the registry,
     * every such row reported both, so the jet path recorded a value no rule read.)
     */
    @Test
    void derivativeKernelsReadExactlyWhatTheyUse() {
        for (Primitive p : List.of(Primitive.EXP, Primitive.EXPM1, Primitive.TANH, Primitive.SIGMOID)) {
            assertWithMessage("%s jet reads a", p).that(p.adjointReads("a", true)).isFalse();
            assertWithMessage("%s jet reads y", p).that(p.adjointReads("y", true)).isTrue();
            assertWithMessage("%s real reads a", p).that(p.adjointReads("a", false)).isFalse();
        }
        for (Primitive p : List.of(Primitive.LOG, Primitive.LOG1P, Primitive.ERF, Primitive.GELU, Primitive.SOFTPLUS,
                Primitive.SQUARE, Primitive.ABS, Primitive.RELU)) {
            assertWithMessage("%s jet reads y", p).that(p.adjointReads("y", true)).isFalse();
            assertWithMessage("%s real reads y", p).that(p.adjointReads("y", false)).isFalse();
            assertWithMessage("%s jet reads a", p).that(p.adjointReads("a", true)).isTrue();
        }
        assertThat(Primitive.EXP.jetAdjoint.get(0)).contains("Jets.UNREAD, 0");
        assertThat(Primitive.GELU.adjointReads("x", false)).isTrue();
        assertThat(Primitive.GELU.adjointReads("x", true)).isFalse();
        // the per-mode sets may differ: pow's real adjoint reads y, the jet one too; POW_CONST reads neither
        assertThat(Primitive.POW_CONST.adjointReads("y", false)).isFalse();
        assertThat(Primitive.POW_CONST.adjointReads("y", true)).isFalse();
    }

    /** A row whose declared reads disagree with its templates, or that is otherwise malformed, is an error naming it. */
    @Test
    void malformedRowsAreRejectedByName() {
        IllegalStateException wrongReads = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> Primitive.row("TWICE", 1).real("2.0 * {a}").realAdjoint("2.0 * {gy}").realReads(Input.A)
                        .jet("{j}.scale({a}, 2.0, {y});").jetAdjoint("{j}.addScaled({gy}, 2.0, {ga});").build());
        assertThat(wrongReads).hasMessageThat().isEqualTo("primitive TWICE: real adjoint reads [] but the row declares [A]");
        IllegalStateException missing = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> Primitive.row("HALF", 1).real("0.5 * {a}").realAdjoint("0.5 * {gy}")
                        .jet("{j}.scale({a}, 0.5, {y});").jetAdjoint("{j}.mulAdd({gy}, {a}, {ga});").build());
        assertThat(missing).hasMessageThat().isEqualTo("primitive HALF: jet adjoint reads [A] but the row declares []");
        IllegalStateException arity = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> Primitive.row("PAIR", 2).real("{a} + {b}").realAdjoint("{gy}")
                        .jet("{j}.add({a}, {b}, {y});").jetAdjoint("{j}.addScaled({gy}, 1.0, {ga});").build());
        assertThat(arity).hasMessageThat().contains("primitive PAIR: real adjoint has 1 contributions for arity 2");
        IllegalArgumentException name = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Primitive.row("mulConst", 1));
        assertThat(name).hasMessageThat().contains("upper snake case");
        IllegalStateException k = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> Primitive.row("SHIFT", 1).real("{a} + {k}").realAdjoint("{gy}")
                        .jet("{j}.addReal({a}, {k}, {y});").jetAdjoint("{j}.addScaled({gy}, 1.0, {ga});").build());
        assertThat(k).hasMessageThat().contains("a rule reads {k} but the row has no immediate()");
    }

    @Test
    void functionsOfTheTableExist() throws Exception { // and the DSL's vocabulary is read off them
        Set<String> seen = new HashSet<>();
        for (Primitive p : Primitive.values()) {
            for (String f : p.functions) {
                int dot = f.lastIndexOf('.');
                String ownerKey = f.substring(0, dot);
                String name = f.substring(dot + 1);
                Class<?> owner = Class.forName(Functions.ownerClass(ownerKey).equals("Math") ? "java.lang.Math"
                        : Functions.ownerClass(ownerKey));
                Class<?>[] doubles = new Class<?>[p.arity];
                Arrays.fill(doubles, double.class);
                assertWithMessage("%s implements %s", p, f).that(owner.getMethod(name, doubles).getReturnType())
                        .isEqualTo(double.class);
                assertThat(Primitive.forFunction(ownerKey, name)).isSameInstanceAs(p);
                assertWithMessage("%s is in the DSL's vocabulary", f).that(Functions.hasRule(ownerKey, name)).isTrue();
                assertWithMessage("the owner of %s resolves", f).that(Functions.ownerKey(owner.getName())).isEqualTo(ownerKey);
                seen.add(f);
            }
        }
        // the vocabulary is the table's functions, nothing more
        assertThat(Functions.names()).containsExactlyElementsIn(seen);
        assertThat(Functions.names()).containsAtLeast("Math.exp", "Fn.gelu", "Math.pow", "Math.max",
                "org.jetsketch.processor.extension.Hyperbolic.sinh");
        assertThat(Functions.hasRule("Math", "sin")).isFalse();
        assertThat(Functions.ownerKey("java.lang.StrictMath")).isEqualTo("Math");
        assertThat(Functions.ownerKey("java.lang.String")).isNull();
    }

    @Test
    void everyFnFunctionHasAPrimitive() {
        List<String> missing = new ArrayList<>();
        int functions = 0;
        for (Method m : Fn.class.getDeclaredMethods()) {
            if (!Modifier.isPublic(m.getModifiers()) || !Modifier.isStatic(m.getModifiers())) continue;
            if (m.getName().equals("stopGradient")) continue; // no primitive: the value without its jet
            functions++;
            Primitive p = Primitive.forFunction("Fn", m.getName());
            if (p == null || p.arity != m.getParameterCount()) missing.add(m.getName());
        }
        assertThat(functions).isAtLeast(7);
        assertWithMessage("Fn functions without a primitive").that(missing).isEmpty();
    }

    /** The number of top-level arguments of the call whose '(' ends at {@code open}. */
    private static int arguments(String text, int open) {
        int depth = 0;
        int commas = 0;
        boolean any = false;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') depth++;
            else if (c == ')' && depth-- == 0) return any ? commas + 1 : 0;
            else if (c == ',' && depth == 0) commas++;
            if (!Character.isWhitespace(c) && c != ')') any = true;
        }
        throw new IllegalArgumentException("unbalanced call in " + text);
    }

    // ---------------------------------------------------------------- every row is right

    /**
     * What the compiled harness offers: the four rules of every row, selected by ordinal. The
     * harness is the table's templates filled in as the code generator fills them, compiled
     * against the runtime while the processor is built: a misspelt kernel or function fails here.
     */
    public interface Harness {
        double forward(int op, double va, double vb, double vc, double k);

        /** The row's unchecked form ({@link Primitive#poisonedForward}). */
        double poisoned(int op, double va, double vb, double vc, double k);

        /** Adds the contributions of output adjoint {@code gy} to {@code g[0..2]} (operands a, b, c). */
        void adjoint(int op, double va, double vb, double vc, double k, double vy, double gy, double[] g);

        /** Operand jets at offsets 0, S, 2S of {@code v}; the output goes to 3S. */
        void jetForward(int op, Jets j, double[] v, double k);

        /** Adjoint jets in {@code g} at the same offsets; {@code tmp} holds three jets. */
        void jetAdjoint(int op, Jets j, double[] v, double[] g, double[] tmp, double k);
    }

    static Harness harness;

    @BeforeAll
    static void compileTheRules() throws ReflectiveOperationException {
        StringBuilder forward = new StringBuilder();
        StringBuilder poisoned = new StringBuilder();
        StringBuilder adjoint = new StringBuilder();
        StringBuilder jetForward = new StringBuilder();
        StringBuilder jetAdjoint = new StringBuilder();
        for (Primitive p : Primitive.values()) {
            int op = p.ordinal();
            forward.append("case ").append(op).append(": { ").append(realForward(p)).append(" }\n");
            poisoned.append("case ").append(op).append(": { ").append(poisonedForward(p)).append(" }\n");
            adjoint.append("case ").append(op).append(": { ").append(realAdjoint(p)).append(" break; }\n");
            jetForward.append("case ").append(op).append(": { ").append(jet(p.jetForward)).append(" break; }\n");
            jetAdjoint.append("case ").append(op).append(": { ").append(jetAdjoint(p)).append(" break; }\n");
        }
        String source = """
                package harness;

                import org.jetsketch.jet.Jets;
                import org.jetsketch.jet.RealMath;

                public final class Rules implements org.jetsketch.processor.PrimitiveTableTest.Harness {
                    public double forward(int op, double va, double vb, double vc, double k) {
                        switch (op) {
                %s
                            default: throw new IllegalArgumentException("opcode " + op);
                        }
                    }

                    public double poisoned(int op, double va, double vb, double vc, double k) {
                        switch (op) {
                %s
                            default: throw new IllegalArgumentException("opcode " + op);
                        }
                    }

                    public void adjoint(int op, double va, double vb, double vc, double k, double vy, double gy,
                            double[] g) {
                        switch (op) {
                %s
                            default: throw new IllegalArgumentException("opcode " + op);
                        }
                    }

                    public void jetForward(int op, Jets j, double[] v, double k) {
                        final int S = j.stride();
                        final double[] tmp = new double[3 * S];
                        switch (op) {
                %s
                            default: throw new IllegalArgumentException("opcode " + op);
                        }
                    }

                    public void jetAdjoint(int op, Jets j, double[] v, double[] g, double[] tmp, double k) {
                        final int S = j.stride();
                        switch (op) {
                %s
                            default: throw new IllegalArgumentException("opcode " + op);
                        }
                    }
                }
                """.formatted(forward, poisoned, adjoint, jetForward, jetAdjoint);
        Compilation c = Compiler.javac().compile(JavaFileObjects.forSourceString("harness.Rules", source));
        harness = (Harness) Compile.classes(c).loadClass("harness.Rules").getConstructor().newInstance();
    }

    /** Operand values a, b, c and the immediate k; a point outside a row's domain is skipped. */
    private static final double[][] POINTS = {
        {0.7, -0.4, 1.3, 1.7},
        {-0.35, 0.9, -1.1, -0.6},
        {1.9, 2.4, 0.5, 3.0},
    };
    private static final double[] DIRECTION = {0.6, -0.8, 0.5};

    @ParameterizedTest
    @MethodSource("rows")
    void rulesAgreeWithDifferences(Primitive p) {
        int op = p.ordinal();
        int checked = 0;
        for (double[] point : POINTS) {
            double k = point[3];
            double[] x = Arrays.copyOf(point, 3);
            double y;
            try {
                y = f(op, x, k);
            } catch (RuntimeException outsideDomain) {
                assertThat(outsideDomain.getClass().getSimpleName()).isEqualTo("JetDomainException");
                continue;
            }
            checked++;
            String at = p + " at " + Arrays.toString(point);
            double[] g = adjoint(op, x, k, y);
            for (int i = 0; i < p.arity; i++) {
                double h = 1e-6;
                double fd = (f(op, shifted(x, i, h), k) - f(op, shifted(x, i, -h), k)) / (2 * h);
                assertWithMessage("real adjoint of operand %s, %s", i, at).that(g[i])
                        .isWithin(1e-6 * Math.max(1, Math.abs(fd))).of(fd);
            }
            for (int i = p.arity; i < 3; i++) assertWithMessage("untouched operand %s, %s", i, at).that(g[i]).isZero();

            // jets of degree 2 along DIRECTION: y(t) = f(x + t d)
            Jets j = new Jets(2, 1);
            int s = j.stride();
            double[] v = new double[4 * s];
            for (int i = 0; i < 3; i++) {
                v[i * s] = x[i];
                v[i * s + 1] = DIRECTION[i];
            }
            harness.jetForward(op, j, v, k);
            double directional = 0;
            for (int i = 0; i < p.arity; i++) directional += g[i] * DIRECTION[i];
            double hh = 1e-4;
            double second = (f(op, along(x, hh), k) - 2 * y + f(op, along(x, -hh), k)) / (2 * hh * hh);
            assertWithMessage("jet coefficient 0, %s", at).that(v[3 * s]).isWithin(1e-14 * Math.max(1, Math.abs(y))).of(y);
            assertWithMessage("jet coefficient 1, %s", at).that(v[3 * s + 1])
                    .isWithin(1e-12 * Math.max(1, Math.abs(directional))).of(directional);
            assertWithMessage("jet coefficient 2, %s", at).that(v[3 * s + 3])
                    .isWithin(1e-5 * Math.max(1, Math.abs(second))).of(second);
            for (int r = 1; r <= 2; r++) {
                assertWithMessage("imaginary part %s, %s", r, at).that(v[3 * s + 2 * r]).isZero();
            }

            // adjoint jets, seeded with the constant 1: coefficient 0 is the real adjoint,
            // coefficient 1 its derivative along DIRECTION
            double[] adj = new double[4 * s];
            adj[3 * s] = 1.0;
            harness.jetAdjoint(op, j, v, adj, new double[3 * s], k);
            double[] plus = adjoint(op, along(x, 1e-6), k, f(op, along(x, 1e-6), k));
            double[] minus = adjoint(op, along(x, -1e-6), k, f(op, along(x, -1e-6), k));
            for (int i = 0; i < p.arity; i++) {
                assertWithMessage("adjoint jet coefficient 0 of operand %s, %s", i, at).that(adj[i * s])
                        .isWithin(1e-12 * Math.max(1, Math.abs(g[i]))).of(g[i]);
                double d = (plus[i] - minus[i]) / 2e-6;
                assertWithMessage("adjoint jet coefficient 1 of operand %s, %s", i, at).that(adj[i * s + 1])
                        .isWithin(1e-6 * Math.max(1, Math.abs(d))).of(d);
            }
        }
        assertWithMessage("points inside the domain of %s", p).that(checked).isAtLeast(1);
    }

    /** Operand values for the bit-for-bit comparison: both signs, zero, ties, inside and outside domains. */
    private static final double[] GRID = {-2.5, -1.25, -0.7, -0.2, 0.0, 0.3, 0.9, 1.7, 3.1};
    /** Immediates: negative, fractional, integer (binary powering in pow) and not. */
    private static final double[] IMMEDIATES = {-1.5, 0.5, 2.0, 3.0, 2.5};

    /**
     * The real part of every jet rule is the real rule's value bit for bit, for the forward rule
     * and for each operand's adjoint, over a grid of operands and immediates (degree 3, two
     * directions, random higher coefficients and adjoints accumulating onto nonzero values).
     * Where one mode rejects a point as outside the domain, so does the other.
     */
    @ParameterizedTest
    @MethodSource("rows")
    void realPartsAreTheRealRulesBitForBit(Primitive p) {
        int op = p.ordinal();
        Jets j = new Jets(3, 2);
        int s = j.stride();
        java.util.Random random = new java.util.Random(p.name().hashCode());
        double[] bs = p.arity >= 2 ? GRID : new double[] {0.4};
        double[] cs = p.arity >= 3 ? GRID : new double[] {0.6};
        double[] ks = p.hasImmediate ? IMMEDIATES : new double[] {1.0};
        double[] startAdjoint = {0.375, -0.625, 0.25};
        int compared = 0;
        for (double a : GRID) for (double b : bs) for (double c : cs) for (double k : ks) {
            String at = p + " at a=" + a + " b=" + b + " c=" + c + " k=" + k;
            double[] x = {a, b, c};
            double[] v = new double[4 * s];
            for (int i = 0; i < 3; i++) {
                v[i * s] = x[i];
                for (int q = 1; q < s; q++) v[i * s + q] = random.nextDouble() * 2 - 1;
            }
            Double y = outsideDomain(() -> harness.forward(op, a, b, c, k));
            Double jetY = outsideDomain(() -> {
                harness.jetForward(op, j, v, k);
                return v[3 * s];
            });
            assertWithMessage("both modes accept or both reject, %s", at).that(jetY == null).isEqualTo(y == null);
            if (y == null) continue;
            assertWithMessage("forward real part, %s: jet %s, real %s", at, jetY, y)
                    .that(Double.doubleToRawLongBits(jetY)).isEqualTo(Double.doubleToRawLongBits(y));

            double gy = random.nextDouble() * 4 - 2;
            double[] g = startAdjoint.clone();
            double[] adj = new double[4 * s];
            for (int i = 0; i < 4; i++) {
                adj[i * s] = i < 3 ? startAdjoint[i] : gy;
                for (int q = 1; q < s; q++) adj[i * s + q] = random.nextDouble() * 2 - 1;
            }
            Double real = outsideDomain(() -> {
                harness.adjoint(op, a, b, c, k, y, gy, g);
                return 0.0;
            });
            Double jet = outsideDomain(() -> {
                harness.jetAdjoint(op, j, v, adj, new double[3 * s], k);
                return 0.0;
            });
            assertWithMessage("both adjoints accept or both reject, %s", at).that(jet == null).isEqualTo(real == null);
            if (real == null) continue;
            for (int i = 0; i < p.arity; i++) {
                assertWithMessage("adjoint real part of operand %s, %s: jet %s, real %s", i, at, adj[i * s], g[i])
                        .that(Double.doubleToRawLongBits(adj[i * s])).isEqualTo(Double.doubleToRawLongBits(g[i]));
            }
            compared++;
        }
        assertWithMessage("points of %s compared", p).that(compared).isAtLeast(3);
    }

    /** The value, or null if the rule rejected its arguments as outside the operation's domain. */
    /**
     * Operands for the unchecked forms: zeros of both signs, subnormals, the smallest normal,
     * ordinary values of both signs, -1 (log1p's edge), values whose quotients and squares
     * overflow or underflow, the largest finite values, the infinities and NaN.
     */
    static final double[] EDGES = {
        0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, 3 * Double.MIN_VALUE, Double.MIN_NORMAL, -Double.MIN_NORMAL,
        1e-300, -1e-300, 1e-160, 0.3, -0.3, 1.0, -1.0, -1.0 + 0x1p-52, -1.0 - 0x1p-52, 2.0, -2.5, 7.0, 1e150, -1e150,
        1e300, -1e300, Double.MAX_VALUE, -Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN,
    };

    /**
     * Every row's unchecked form ({@link Primitive#poisonedForward}) keeps the three rules of the
     * class comment of {@link Primitive} against the real rule, over every combination of
     * {@link #EDGES} for the operands and the immediate: not finite where the real rule throws;
     * the real rule's bits where it returns and the operands are finite; not finite where an
     * operand is not (also for rows declaring {@link Primitive#propagatesNonFinite} only).
     */
    @ParameterizedTest
    @MethodSource("rows")
    void uncheckedFormsAreTheCheckedRulesOrNotFinite(Primitive p) {
        if (p.poisonedForward == null && !p.propagatesNonFinite) return;
        int op = p.ordinal();
        double[] one = {0.4};
        double[] bs = p.arity >= 2 ? EDGES : one;
        double[] cs = p.arity >= 3 ? EDGES : one;
        double[] ks = p.hasImmediate ? EDGES : new double[] {1.0};
        int thrown = 0;
        int equal = 0;
        for (double a : EDGES) for (double b : bs) for (double c : cs) for (double k : ks) {
            String at = p + " at a=" + a + " b=" + b + " c=" + c + " k=" + k;
            boolean operandNotFinite = !Double.isFinite(a) || !Double.isFinite(b) || !Double.isFinite(c);
            Double y = outsideDomain(() -> harness.forward(op, a, b, c, k));
            if (p.poisonedForward == null) {
                if (operandNotFinite && y != null) {
                    assertWithMessage("non-finite operand shows in the result, %s: %s", at, y)
                            .that(Double.isFinite(y)).isFalse();
                }
                continue;
            }
            double u = harness.poisoned(op, a, b, c, k);
            if (y == null) {
                thrown++;
                assertWithMessage("unchecked form where the rule throws, %s: %s", at, u).that(Double.isFinite(u)).isFalse();
            } else if (operandNotFinite) {
                if (p.propagatesNonFinite) {
                    assertWithMessage("unchecked form of a non-finite operand, %s: %s", at, u).that(Double.isFinite(u)).isFalse();
                }
            } else {
                equal++;
                assertWithMessage("unchecked form where the rule returns, %s: unchecked %s, rule %s", at, u, y)
                        .that(Double.doubleToRawLongBits(u)).isEqualTo(Double.doubleToRawLongBits(y));
            }
        }
        assertWithMessage("%s: points where the rule returns", p).that(equal).isGreaterThan(0);
        if (p.isChecked()) assertWithMessage("%s: points where the rule throws", p).that(thrown).isGreaterThan(0);
    }

    private static Double outsideDomain(java.util.function.Supplier<Double> rule) {
        try {
            return rule.get();
        } catch (RuntimeException e) {
            assertWithMessage("only domain errors: %s", e).that(e.getClass().getSimpleName()).isEqualTo("JetDomainException");
            return null;
        }
    }

    private static double f(int op, double[] x, double k) { return harness.forward(op, x[0], x[1], x[2], k); }

    private static double[] adjoint(int op, double[] x, double k, double y) {
        double[] g = new double[3];
        harness.adjoint(op, x[0], x[1], x[2], k, y, 1.0, g);
        return g;
    }

    private static double[] shifted(double[] x, int i, double h) {
        double[] out = x.clone();
        out[i] += h;
        return out;
    }

    private static double[] along(double[] x, double t) {
        double[] out = x.clone();
        for (int i = 0; i < 3; i++) out[i] += t * DIRECTION[i];
        return out;
    }

    @Test
    void primitiveNamesAreStable() {
        // names appear in the generated code's Javadoc (and so in its fingerprint)
        assertThat(Primitive.FMA_CONST.helperName()).isEqualTo("fmaConst");
        // and each names its primitive alone: a distinct Java identifier that spells the constant
        Set<String> seen = new HashSet<>();
        for (Primitive p : Primitive.values()) {
            String h = p.helperName();
            assertWithMessage("%s -> %s", p, h).that(SourceVersion.isIdentifier(h) && !SourceVersion.isKeyword(h)).isTrue();
            assertWithMessage("%s -> %s is unique", p, h).that(seen.add(h)).isTrue();
            assertWithMessage("%s -> %s", p, h).that(h.replaceAll("([A-Z])", "_$1").toUpperCase(Locale.ROOT))
                    .isEqualTo(p.name());
        }
    }
}
