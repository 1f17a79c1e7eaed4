package org.jetsketch.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.jetsketch.processor.DiagnosticAssert.assertDiagnostics;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import javax.tools.Diagnostic.Kind;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.jetsketch.processor.ir.Diagnostic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One test per diagnostic code (several for the common ones): each source marks the line the
 * error must land on with {@code // BUG: Diagnostic contains:}, and no other error may appear
 * (see {@link DiagnosticAssert}).
 */
class DiagnosticsTest {

    /** A valid circuit around {@code members}: a @Param vector and a plain SGD step. */
    static String circuit(String members) {
        return """
                package t;

                import org.jetsketch.dsl.*;

                @Circuit
                class C {
                    @Param double[] w = {0.5, -0.25, 1.0};

                    @TrainingStep
                    static void sgd(@Params double[] p, @Grads double[] g) {
                        for (int i = 0; i < p.length; i++) p[i] -= 0.1 * g[i];
                    }

                """ + members.indent(4) + "}\n";
    }

    /** {@link #circuit} with a loss over an example {@code double[] x} whose body is {@code body}. */
    static String loss(String body) {
        return loss(body, "");
    }

    /** {@link #loss(String)} and more members after it. */
    static String loss(String body, String members) {
        return circuit("@Loss\ndouble loss(double[] x) {\n" + body.indent(4) + "}\n"
                + (members.isEmpty() ? "" : "\n" + members));
    }

    @Test
    void markersAreCheckedAgainstTheirLine() {
        // the helper itself: a valid circuit has no marker and no error
        Compilation c = assertDiagnostics(loss("return w[0] * x[0];"));
        assertThat(c.generatedSourceFile("t.C_Circuit").isPresent()).isTrue();
        // a marker on the wrong line fails
        AssertionError wrongLine = assertThrows(AssertionError.class, () -> assertDiagnostics(loss("""
                // BUG: Diagnostic contains: [JetNoRule]
                double y = w[0];
                return Math.floor(y);
                """)));
        assertThat(wrongLine).hasMessageThat().contains("JetNoRule");
        // an error without a marker fails
        AssertionError unmarked = assertThrows(AssertionError.class, () -> assertDiagnostics(loss("""
                double y = w[0];
                return Math.floor(y);
                """)));
        assertThat(unmarked).hasMessageThat().contains("errors without a marker");
        // a marker for the right line but another code fails
        assertThrows(AssertionError.class, () -> assertDiagnostics(loss("""
                double y = w[0];
                // BUG: Diagnostic contains: [JetActiveOperator]
                return Math.floor(y);
                """)));
    }

    /** The test methods of this class that ran in this JVM (see {@link #everyCodeIsConfirmed}). */
    private static final Set<String> RAN = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void record(TestInfo info) {
        RAN.add(info.getTestMethod().orElseThrow().getName());
    }

    /**
     * Every code in {@link Diagnostic} except JetInternal was reported by the compiler on a line
     * one of this class's tests marked: checked once the whole class has run (a partial run, one
     * method picked with -Dtest, has nothing to check).
     */
    @AfterAll
    static void everyCodeIsConfirmed() {
        Set<String> tests = new TreeSet<>();
        for (Method m : DiagnosticsTest.class.getDeclaredMethods()) {
            if (m.isAnnotationPresent(Test.class) || m.isAnnotationPresent(ParameterizedTest.class)) tests.add(m.getName());
        }
        if (!RAN.containsAll(tests)) return;
        Set<String> missing = new TreeSet<>();
        for (Diagnostic d : Diagnostic.values()) {
            if (d != Diagnostic.INTERNAL && !DiagnosticAssert.CONFIRMED.contains(d.code)) missing.add(d.code);
        }
        assertWithMessage("codes no test saw reported where it expected them").that(missing).isEmpty();
    }

    /** docs/diagnostics.md has a section for every code, and none for a code that does not exist. */
    @Test
    void everyCodeIsDocumented() throws IOException {
        String doc = Files.readString(Path.of("../docs/diagnostics.md"), UTF_8);
        Set<String> codes = Arrays.stream(Diagnostic.values()).map(d -> d.code).collect(Collectors.toCollection(TreeSet::new));
        Set<String> sections = new TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^### (Jet\\w+)$").matcher(doc);
        while (m.find()) sections.add(m.group(1));
        assertThat(sections).containsExactlyElementsIn(codes);
    }

    // ---------------------------------------------------------------- the class's shape

    @Test
    void noLoss() {
        assertDiagnostics("""
                package t;

                import org.jetsketch.dsl.*;

                @Circuit
                // BUG: Diagnostic contains: [JetNoLoss] @Circuit class t.C has no @Loss method
                class C {
                    @Param double w;

                    @TrainingStep
                    static void sgd(@Params double[] p, @Grads double[] g) {}
                }
                """);
    }

    @Test
    void duplicateLossAndStep() {
        assertDiagnostics(circuit("""
                @Loss
                double loss(double[] x) { return w[0]; }

                @Loss
                // BUG: Diagnostic contains: [JetDuplicate] @Circuit class t.C has more than one @Loss method
                double other(double[] x) { return w[1]; }

                @TrainingStep
                // BUG: Diagnostic contains: [JetDuplicate] @Circuit class t.C has more than one @TrainingStep method
                static void sgd2(@Params double[] p, @Grads double[] g) {}
                """));
    }

    @Test
    void noTrainingStep() {
        assertDiagnostics("""
                package t;

                import org.jetsketch.dsl.*;

                @Circuit
                // BUG: Diagnostic contains: [JetNoTrainingStep] @Circuit class t.C has no @TrainingStep method
                public class C {
                    @Param double w;

                    @Loss
                    double loss(double[] x) { return w * x[0]; }
                }
                """);
    }

    @Test
    void emptyClassHasEveryMissingPiece() {
        assertDiagnostics("""
                package t;

                @org.jetsketch.dsl.Circuit
                // BUG: Diagnostic contains: [JetBadParam] @Circuit class t.C declares no @Param field
                // BUG: Diagnostic contains: [JetNoLoss]
                // BUG: Diagnostic contains: [JetNoTrainingStep]
                class C {}
                """);
    }

    @Test
    void badParams() {
        assertDiagnostics("""
                package t;

                import org.jetsketch.dsl.*;

                @Circuit
                class C {
                    @Param double ok;
                    @Param
                    // BUG: Diagnostic contains: [JetBadParam] @Param field f has type float
                    float f;
                    @Param
                    // BUG: Diagnostic contains: [JetBadParam] @Param field hidden is private; a parameter must be
                    private double hidden;
                    @Param
                    // BUG: Diagnostic contains: [JetBadParam] @Param field shared is static; a parameter must be
                    static double[] shared;
                    @Param
                    // BUG: Diagnostic contains: [JetBadParam] @Param field cube has type double[][][]; a parameter
                    double[][][] cube;
                    @Param
                    // BUG: Diagnostic contains: [JetBadParam] @Param field both is private and static;
                    private static double both;
                    @Param
                    // BUG: Diagnostic contains: [JetBadParam] @Param field wrongAndHidden has type long;
                    private long wrongAndHidden;
                    @Param
                    // BUG: Diagnostic contains: [JetBadParam] @Param field n has type int
                    int n;

                    @Loss
                    double loss(double[] x) { return ok; }

                    @TrainingStep
                    static void sgd(@Params double[] p, @Grads double[] g) {}
                }
                """);
    }

    @Test
    void badSignatures() {
        assertDiagnostics(circuit("""
                @Loss
                // BUG: Diagnostic contains: [JetBadSignature] @Loss method loss must take exactly one parameter
                double loss(double[] x, int y) { return w[0]; }

                @Measurement
                // BUG: Diagnostic contains: [JetBadSignature] @Measurement method m must be a non-static method
                static double m() { return 0; }

                @Measurement
                // BUG: Diagnostic contains: [JetBadSignature] @Measurement method n must be a non-static method
                int n() { return 0; }

                @Measurement
                // BUG: Diagnostic contains: [JetBadSignature] @Measurement method layout() has the signature of a method every generated circuit has
                double layout() { return w[0]; }

                @Measurement
                double layout(int k) { return w[k]; }
                """));
    }

    @Test
    void badSignatureOfTheClass() {
        assertDiagnostics("""
                package t;

                import org.jetsketch.dsl.*;

                class Outer {
                    @Circuit
                    // BUG: Diagnostic contains: [JetBadSignature] @Circuit class Inner must be top-level or a static nested
                    class Inner {}

                    @Circuit
                    // BUG: Diagnostic contains: [JetBadSignature] @Circuit class G must not be generic
                    static class G<T> {}

                    @Circuit
                    // BUG: Diagnostic contains: [JetBadSignature] @Circuit must be on a class, not on a INTERFACE
                    interface I {}

                    @Circuit
                    // BUG: Diagnostic contains: [JetBadSignature] @Circuit class P must be top-level
                    private static class P {}
                }
                """);
    }

    @Test
    void privateTypesInTheSignature() {
        assertDiagnostics("""
                package t;

                import org.jetsketch.dsl.*;

                @Circuit
                class C {
                    @Param double w;

                    private record Example(double[] x) {}

                    private static final class Arg {
                        double[] v;
                    }

                    @Loss
                    // BUG: Diagnostic contains: [JetBadSignature] @Loss method loss takes t.C.Example, which uses the private type t.C.Example
                    double loss(Example e) { return w * e.x()[0]; }

                    @Measurement
                    // BUG: Diagnostic contains: [JetBadSignature] @Measurement method m takes t.C.Arg[], which uses the private type t.C.Arg
                    double m(Arg[] a) { return w; }

                    @TrainingStep
                    static void sgd(@Params double[] p, @Grads double[] g) {}
                }
                """);
    }

    @Test
    void lossTakingAPrimitive() {
        assertDiagnostics(circuit("""
                @Loss
                // BUG: Diagnostic contains: [JetBadSignature] @Loss method loss must take exactly one parameter, the example
                double loss(double x) { return w[0] * x; }
                """));
    }

    @Test
    void badTrainingStep() {
        assertDiagnostics("""
                package t;

                import org.jetsketch.dsl.*;

                @Circuit
                class C {
                    @Param double w;

                    @Loss
                    double loss(double[] x) { return w; }

                    @TrainingStep
                    // BUG: Diagnostic contains: [JetBadTrainingStep] @TrainingStep method step must return void
                    static int step(@Params double[] p,
                            // BUG: Diagnostic contains: [JetBadTrainingStep] @Grads parameter g must be a double[], not float[]
                            @Grads float[] g,
                            // BUG: Diagnostic contains: [JetBadTrainingStep] parameter q of @TrainingStep step must carry exactly one of
                            double[] q,
                            // BUG: Diagnostic contains: [JetBadTrainingStep] @Step parameter s must be an int, not double
                            @Step double s,
                            // BUG: Diagnostic contains: [JetBadTrainingStep] parameter both of @TrainingStep step must carry exactly one
                            @State @Steps double[] both) {
                        return 0;
                    }
                }
                """);
    }

    @Test
    void trainingStepWithoutGrads() {
        assertDiagnostics("""
                package t;

                import org.jetsketch.dsl.*;

                @Circuit
                class C {
                    @Param double w;

                    @Loss
                    double loss(double[] x) { return w; }

                    @TrainingStep
                    // BUG: Diagnostic contains: [JetBadTrainingStep] @TrainingStep method step needs exactly one @Params double[] and exactly one @Grads double[] parameter (found 1 and 0)
                    static void step(@Params double[] p) {}
                }
                """);
    }

    @Test
    void notInCircuit() {
        assertDiagnostics("""
                package t;

                import org.jetsketch.dsl.*;

                class Plain {
                    @Param
                    // BUG: Diagnostic contains: [JetNotInCircuit] @Param field w is not in a @Circuit class
                    double w;

                    @Loss
                    // BUG: Diagnostic contains: [JetNotInCircuit] @Loss method loss is not in a @Circuit class
                    double loss(double[] x) { return w; }

                    @Measurement
                    // BUG: Diagnostic contains: [JetNotInCircuit] @Measurement method m is not in a @Circuit class
                    double m() { return w; }

                    @TrainingStep
                    // BUG: Diagnostic contains: [JetNotInCircuit] @TrainingStep method sgd is not in a @Circuit class
                    static void sgd(@Params double[] p, @Grads double[] g) {}
                }
                """);
    }

    // ---------------------------------------------------------------- the subset (frontend)

    @Test
    void unsupportedCalls() {
        assertDiagnostics(loss("""
                double s = w[0];
                // BUG: Diagnostic contains: [JetUnsupportedCall] call to java.lang.String.valueOf is not supported
                int n = String.valueOf(s).length();
                // BUG: Diagnostic contains: [JetUnsupportedCall] call to java.util.Arrays.fill
                java.util.Arrays.fill(x, 0.0);
                // BUG: Diagnostic contains: [JetUnsupportedCall] call to java.io.PrintStream.println
                System.out.println(s);
                // BUG: Diagnostic contains: [JetUnsupportedCall] call to Array.clone
                double[] copy = x.clone();
                // BUG: Diagnostic contains: [JetUnsupportedCall] call to java.lang.Double.isNaN
                boolean nan = Double.isNaN(s);
                s += external(s);
                return s;
                """, """
                // BUG: Diagnostic contains: [JetUnsupportedCall] call to external(double) (it has no body in this compilation)
                static native double external(double v);
                """));
    }

    @Test
    void noRule() {
        assertDiagnostics(loss("""
                double s = w[0] * x[0];
                // BUG: Diagnostic contains: [JetNoRule] Math.floor has no jet rule and its argument depends on the parameters
                double f = Math.floor(s);
                // BUG: Diagnostic contains: [JetNoRule] Math.sin
                f += Math.sin(w[1]);
                // BUG: Diagnostic contains: [JetNoRule] Math.atan2
                f += Math.atan2(s, 1.0);
                // BUG: Diagnostic contains: [JetNoRule] Math.round
                f += Math.round(s);
                // a function without a rule is fine on passive values
                f += Math.floor(x[0]) + Math.sin(x[1]) + Math.round(x[2]);
                return f;
                """));
    }

    @Test
    void unsupportedExpressions() {
        assertDiagnostics(loss("""
                // BUG: Diagnostic contains: [JetUnsupportedExpression] a lambda is not supported in a circuit; write a helper method
                Runnable r = () -> {};
                // BUG: Diagnostic contains: [JetUnsupportedExpression] object creation is not supported
                int o = new Object().hashCode();
                // BUG: Diagnostic contains: [JetUnsupportedExpression] object creation
                double[] first = new java.util.ArrayList<double[]>().get(0);
                // BUG: Diagnostic contains: [JetUnsupportedExpression] a method reference
                java.util.function.DoubleUnaryOperator f = Math::exp;
                // BUG: Diagnostic contains: [JetUnsupportedExpression] instanceof
                boolean b = x instanceof double[];
                // BUG: Diagnostic contains: [JetUnsupportedExpression] null is not supported
                double[] none = null;
                // BUG: Diagnostic contains: [JetUnsupportedExpression] a float literal
                double g = 1.5f;
                // BUG: Diagnostic contains: [JetUnsupportedExpression] string concatenation
                int n = ("a" + x.length).length();
                return w[0] + g + n;
                """));
    }

    @Test
    void fieldOfAnotherClass() {
        assertDiagnostics("""
                package t;

                import org.jetsketch.dsl.*;

                class Base {
                    double scale = 2;
                }

                @Circuit
                class C extends Base {
                    @Param double w;

                    @Loss
                    double loss(double[] x) {
                        // BUG: Diagnostic contains: [JetUnsupportedExpression] field scale of another class is not supported
                        return scale * w;
                    }

                    @TrainingStep
                    static void sgd(@Params double[] p, @Grads double[] g) {}
                }
                """);
    }

    @Test
    void unsupportedStatements() {
        assertDiagnostics(loss("""
                double s = w[0];
                // BUG: Diagnostic contains: [JetUnsupportedStatement] try/catch is not supported in a circuit
                try { s += 1; } catch (RuntimeException e) { s -= 1; }
                // BUG: Diagnostic contains: [JetUnsupportedStatement] switch is not supported in a circuit; use if/else
                switch (x.length) { case 1: s += 1; }
                // BUG: Diagnostic contains: [JetUnsupportedStatement] an enhanced for loop is not supported
                for (double v : x) s += v;
                // BUG: Diagnostic contains: [JetUnsupportedStatement] throw
                if (x.length == 0) throw new IllegalArgumentException();
                // BUG: Diagnostic contains: [JetUnsupportedStatement] synchronized
                synchronized (this) { s += 1; }
                // BUG: Diagnostic contains: [JetUnsupportedStatement] a labelled statement
                outer: for (int i = 0; i < 2; i++) { s += 1; }
                // BUG: Diagnostic contains: [JetUnsupportedStatement] assert
                assert s > 0;
                // BUG: Diagnostic contains: [JetUnsupportedStatement] a local class
                class Local {}
                return s;
                """));
    }

    @Test
    void activeUpdateAtAnIndexWithSideEffectsInAForHeader() {
        assertDiagnostics(loss("""
                double[] a = new double[3];
                int i = 0;
                // BUG: Diagnostic contains: [JetUnsupportedStatement] updating an element that depends on the parameters at an index with side effects, in a for-loop header, is not supported
                for (int k = 0; k < 2; k++, a[i++] += w[0]) {
                    a[k] = w[k];
                }
                // in the body it is fine (the index is evaluated once), and so is a passive update
                a[i++] += w[1];
                int[] counts = new int[3];
                for (int k = 0; k < 2; k++, counts[i++] += 1) {
                    a[k] += counts[k];
                }
                return a[0] + a[1];
                """));
    }

    @Test
    void unsupportedTypes() {
        assertDiagnostics(loss("""
                // BUG: Diagnostic contains: [JetUnsupportedType] type float is not supported in a circuit
                float f = 1;
                // BUG: Diagnostic contains: [JetUnsupportedType] type double[][][]
                double[][][] cube = new double[1][1][1];
                // BUG: Diagnostic contains: [JetUnsupportedType] type java.lang.Double
                Double boxed = w[0];
                // BUG: Diagnostic contains: [JetUnsupportedType] type java.lang.Object
                Object o = w;
                // a use of a variable whose declaration was reported is not reported again
                double u = boxed + f;
                return w[0] + u;
                """));
    }

    @Test
    void unsupportedTypeOfAnExampleOrHelper() {
        assertDiagnostics(circuit("""
                @Loss
                // BUG: Diagnostic contains: [JetUnsupportedType] type float[]
                double loss(float[] x) { return w[0]; }
                """), loss("return w[0] + twice(1);", """
                // BUG: Diagnostic contains: [JetUnsupportedType] type java.lang.Integer
                double twice(Integer n) { return 2 * w[0]; }
                """).replace("class C", "class D"));
    }

    @Test
    void recursion() {
        assertDiagnostics(circuitWithRecursion());
    }

    private static String circuitWithRecursion() {
        return """
                package t;

                import org.jetsketch.dsl.*;

                @Circuit
                class R {
                    @Param double[] w = {1, 2};

                    @Loss
                    double loss(double[] x) { return down(3) + ping(2); }

                    double down(int i) {
                        // BUG: Diagnostic contains: [JetRecursion] recursive call to down(int): a circuit is unrolled
                        return i == 0 ? w[0] : down(i - 1);
                    }

                    double ping(int i) { return i == 0 ? w[1] : pong(i - 1); }

                    double pong(int i) {
                        // BUG: Diagnostic contains: [JetRecursion] recursive call to ping(int)
                        return ping(i);
                    }

                    @TrainingStep
                    static void sgd(@Params double[] p, @Grads double[] g) {}
                }
                """;
    }

    @Test
    void exampleWrite() {
        assertDiagnostics(loss("""
                // BUG: Diagnostic contains: [JetExampleWrite] this assignment writes to the example
                x[0] = 1;
                // BUG: Diagnostic contains: [JetExampleWrite]
                x[1] += w[0];
                // BUG: Diagnostic contains: [JetExampleWrite]
                x[2]++;
                return w[0];
                """));
    }

    @Test
    void exampleWriteThroughAnAlias() {
        assertDiagnostics(loss("""
                double[] a = x;
                // BUG: Diagnostic contains: [JetExampleWrite] this assignment (through an alias) writes to the example
                a[0] = w[0];
                double[] b = new double[3];
                b = x;
                // BUG: Diagnostic contains: [JetExampleWrite]
                b[1] = 2;
                clear(same(x));
                return a[0] + b[1];
                """, """
                static double[] same(double[] v) { return v; }

                static void clear(double[] v) {
                    // BUG: Diagnostic contains: [JetExampleWrite]
                    v[0] = 0;
                }
                """));
    }

    @Test
    void paramAndFieldWriteThroughAnAlias() {
        assertDiagnostics(circuit("""
                final double[] table = {1, 2, 3};

                @Loss
                double loss(double[] x) {
                    double[] p = w;
                    // BUG: Diagnostic contains: [JetParamWrite] this assignment (through an alias) writes to @Param field w
                    p[0] = 1;
                    double[] t = table;
                    // BUG: Diagnostic contains: [JetFieldWrite] this assignment (through an alias) writes to field table
                    t[1] += w[1];
                    double[] fresh = new double[3];
                    fresh[0] = w[2];
                    return p[0] + t[1] + fresh[0];
                }
                """));
    }

    @Test
    void exampleWriteThroughAnAccessor() {
        String source = """
                package t;

                import org.jetsketch.dsl.*;

                @Circuit
                class C {
                    @Param double w;

                    record Example(double[] x, int[] picks) {}

                    @Loss
                    double loss(Example e) {
                        %s
                        return w * e.x()[1];
                    }

                    @TrainingStep
                    static void sgd(@Params double[] p, @Grads double[] g) {}
                }
                """;
        // found by the frontend: the target is read from the example
        assertDiagnostics(source.formatted("""
                // BUG: Diagnostic contains: [JetExampleWrite] this assignment writes to the example
                        e.x()[0] = w;"""));
        // found by the analysis: the target may alias an array read from the example
        assertDiagnostics(source.formatted("""
                int[] picks = e.picks();
                        // BUG: Diagnostic contains: [JetExampleWrite] this assignment (through an alias)
                        picks[0]++;"""));
    }

    @Test
    void paramWrite() {
        assertDiagnostics(loss("""
                // BUG: Diagnostic contains: [JetParamWrite] this assignment writes to @Param field w; parameters change only in the @TrainingStep
                w[0] = 1;
                // BUG: Diagnostic contains: [JetParamWrite]
                this.w[1] *= 2;
                return w[0];
                """));
    }

    @Test
    void fieldWrite() {
        assertDiagnostics(circuit("""
                double scratch;
                static int calls;

                @Loss
                double loss(double[] x) {
                    // BUG: Diagnostic contains: [JetFieldWrite] this assignment writes to field scratch; a circuit keeps no state
                    scratch = x[0];
                    // BUG: Diagnostic contains: [JetFieldWrite] this assignment writes to field calls
                    calls++;
                    return w[0];
                }
                """));
    }

    @Test
    void privateField() {
        assertDiagnostics(circuit("""
                private double scale = 2;
                private static double shift = 1;

                @Loss
                double loss(double[] x) {
                    // BUG: Diagnostic contains: [JetPrivateField] field scale is private; the generated circuit reads it
                    double s = scale * w[0];
                    // BUG: Diagnostic contains: [JetPrivateField] field shift is private
                    return s + shift;
                }
                """));
    }

    @Test
    void privateFieldOfTheExample() {
        assertDiagnostics("""
                package t;

                import org.jetsketch.dsl.*;

                @Circuit
                class C {
                    @Param double w;

                    static final class Example {
                        private double label;
                        double visible;

                        private double hidden() { return label; }
                    }

                    @Loss
                    double loss(Example e) {
                        // BUG: Diagnostic contains: [JetPrivateField] method hidden is private; the generated circuit reads it
                        double h = e.hidden();
                        // BUG: Diagnostic contains: [JetPrivateField] field label is private
                        return w * e.label + e.visible + h;
                    }

                    @TrainingStep
                    static void sgd(@Params double[] p, @Grads double[] g) {}
                }
                """);
    }

    // ---------------------------------------------------------------- activity

    @Test
    void activeIndex() {
        assertDiagnostics(loss("""
                double s = w[0] * x[0];
                double[] a = new double[3];
                // BUG: Diagnostic contains: [JetActiveIndex] this index depends on the parameters and is used as an array index
                a[(int) s] = 1;
                // BUG: Diagnostic contains: [JetActiveIndex] this index
                double t = w[(int) w[0]];
                // BUG: Diagnostic contains: [JetActiveIndex] this size depends on the parameters
                double[] big = new double[(int) s];
                // BUG: Diagnostic contains: [JetActiveIndex] this size
                double[][] rows = new double[2][(int) (s * 3)];
                // an index chosen by a comparison follows the real part: allowed
                double u = a[s > 0 ? 1 : 0];
                return s + t + u + big.length + rows.length;
                """));
    }

    @Test
    void activeLoopBound() {
        assertDiagnostics(loss("""
                double s = w[0];
                // BUG: Diagnostic contains: [JetActiveLoopBound] the condition of this loop depends on the parameters
                for (int i = 0; i < s; i++) s += 0.5;
                // BUG: Diagnostic contains: [JetActiveLoopBound]
                while (s < 3) s += 1;
                // BUG: Diagnostic contains: [JetActiveLoopBound]
                do { s *= 2; } while (s < 10);
                // BUG: Diagnostic contains: [JetActiveLoopBound]
                for (int i = 0; i < 3 && w[1] > i; i++) s += 1;
                // a branch on an active value is fine
                if (s > 1) s -= 1;
                return s;
                """));
    }

    @Test
    void activeToInteger() {
        assertDiagnostics(loss("""
                double s = w[0] * x[0];
                // BUG: Diagnostic contains: [JetActiveToInteger] this value depends on the parameters and is converted to int
                int k = (int) s;
                // BUG: Diagnostic contains: [JetActiveToInteger] this value depends on the parameters and is converted to long
                long l = (long) w[1];
                int m = 0;
                // BUG: Diagnostic contains: [JetActiveToInteger] the right-hand side depends on the parameters and is converted to int
                m += s;
                // a cast of a passive value is fine
                int n = (int) x[0];
                return s + k + l + m + n;
                """));
    }

    @Test
    void activeOperator() {
        assertDiagnostics(loss("""
                double s = w[0] * x[0];
                // BUG: Diagnostic contains: [JetActiveOperator] operator % has no rule for values that depend on the parameters
                double r = s % 2.0;
                // BUG: Diagnostic contains: [JetActiveOperator] operator %=
                s %= 3;
                // % on passive values is fine
                double p = x[0] % 2.0;
                return s + r + p;
                """));
    }

    @Test
    void assignmentInExpression() {
        assertDiagnostics(loss("""
                double s = w[0];
                // BUG: Diagnostic contains: [JetAssignmentInExpression] an assignment to this variable, which depends on the parameters, is used as a value
                double z = (s = 2 * w[1]) + 1;
                // BUG: Diagnostic contains: [JetAssignmentInExpression]
                double y = s++ + 1;
                // BUG: Diagnostic contains: [JetAssignmentInExpression]
                double v = w[2] * (s += 1);
                // passive assignments in expressions are fine
                int i = 0;
                int j = (i = 2) + i++;
                return s + z + y + v + j;
                """));
    }

    /**
     * A passive write used as a value at an index with side effects: in the loss, in a
     * measurement and in the training step (whose adjoint variants have reverse sweeps too). Made
     * a statement of its own, the same write is fine (StepAdjointTest checks its adjoint).
     */
    @Test
    void sideEffectIndex() {
        String source = circuit("""
                @Loss
                double loss(double[] x) {
                    double[] mask = {1.0, 2.0, 3.0};
                    double s = mask[0] * w[0] * w[0];
                    int j = 0;
                    // BUG: Diagnostic contains: [JetSideEffectIndex] this assignment writes an array element at an index with side effects inside a larger expression
                    s += (mask[j++] = 0.5) * w[1];
                    int[] hits = new int[3];
                    // BUG: Diagnostic contains: [JetSideEffectIndex]
                    int k = hits[j--]++;
                    // statements of their own are fine
                    mask[j++] = 0.25;
                    hits[--j]++;
                    return s + mask[1] * w[2] + k + hits[0];
                }

                @Measurement
                double masked() {
                    double[] mask = {1.0, 2.0, 3.0};
                    int j = 0;
                    // BUG: Diagnostic contains: [JetSideEffectIndex]
                    double y = w[0] * (mask[j++] += 1.0);
                    return y * mask[0];
                }
                """);
        String sgd = "for (int i = 0; i < p.length; i++) p[i] -= 0.1 * g[i];";
        assertThat(source).contains(sgd);
        assertDiagnostics(source.replace(sgd, """
                double[] rates = {0.1, 0.2, 0.3};
                        int k = 0;
                        for (int i = 0; i < p.length; i++) {
                            // BUG: Diagnostic contains: [JetSideEffectIndex]
                            p[i] -= (rates[k++] *= 0.5) * g[i] * p[i];
                        }"""));
    }

    // ---------------------------------------------------------------- isolation

    @Test
    void oneBadCircuitDoesNotStopAGoodOne(@TempDir Path out) throws IOException {
        String good = """
                package t;

                import org.jetsketch.dsl.*;

                @Circuit
                public class Good {
                    @Param double[] w = {1, 2};

                    @Loss
                    double loss(double[] x) { return w[0] * x[0] + w[1]; }

                    @TrainingStep
                    static void sgd(@Params double[] p, @Grads double[] g) {
                        for (int i = 0; i < p.length; i++) p[i] -= 0.1 * g[i];
                    }
                }
                """;
        String bad = loss("""
                // BUG: Diagnostic contains: [JetNoRule] Math.floor
                return Math.floor(w[0]);
                """);
        for (List<String> sources : List.of(List.of(bad, good), List.of(good, bad))) {
            assertDiagnostics(sources.toArray(String[]::new));
            // compile-testing hides generated files of a failed compilation: run javac into a directory
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, UTF_8)) {
                JavaCompiler.CompilationTask task = javac.getTask(null, files, diagnostics,
                        List.of("-proc:only", "-s", out.toString()), null,
                        sources.stream().map(Compile::source).toList());
                task.setProcessors(List.of(new CircuitProcessor()));
                assertThat(task.call()).isFalse();
            }
            assertThat(Files.exists(out.resolve("t/Good_Circuit.java"))).isTrue();
            assertThat(Files.exists(out.resolve("t/C_Circuit.java"))).isFalse();
            assertThat(diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Kind.ERROR)
                    .map(d -> d.getMessage(Locale.ROOT)).toList()).containsExactly(
                    "[JetNoRule] Math.floor has no jet rule and its argument depends on the parameters; use a "
                            + "function with a rule (exp, log, log1p, expm1, sqrt, pow, tanh, abs, max, min, Fn.*)");
            Files.delete(out.resolve("t/Good_Circuit.java"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"first", "second"})
    void errorsInSeveralCircuitsAreAllReported(String order) {
        String a = circuit("""
                @Loss
                double loss(double[] x) {
                    // BUG: Diagnostic contains: [JetUnsupportedStatement] switch
                    switch (x.length) { default: return w[0]; }
                }
                """);
        String b = loss("""
                // BUG: Diagnostic contains: [JetActiveOperator]
                return w[0] % 2;
                """).replace("class C", "class D");
        if (order.equals("first")) assertDiagnostics(a, b);
        else assertDiagnostics(b, a);
    }
}
