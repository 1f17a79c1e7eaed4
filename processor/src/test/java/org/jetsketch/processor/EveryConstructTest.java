package org.jetsketch.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.util.Random;
import java.util.Set;
import org.jetsketch.processor.primitives.Primitive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code circuits/Everything.java} uses every construct of the supported subset (locals, fields,
 * 1-D and 2-D arrays of every element type, array creation and initializers, every loop and
 * branch form, compound assignments, increments, constants, hyperparameters, static and instance
 * helpers returning double, double[] and double[][], every function with a rule, and every way of
 * reading the example). It must compile without warnings, and the generated code must agree with
 * the class run as plain Java: values, gradients against central finite differences, jets of
 * degree 2 against the gradient and second differences, a measurement and a training step.
 */
class EveryConstructTest {
    static final String NAME = "org.jetsketch.processor.fixture.Everything";

    static Compilation compilation;
    static ClassLoader loader;

    @BeforeAll
    static void compile() {
        compilation = Compile.compile(JavaFileObjects.forResource("circuits/Everything.java"));
        loader = Compile.classes(compilation);
    }

    @Test
    void compilesWithoutWarnings() {
        assertThat(compilation).succeededWithoutWarnings();
        assertThat(compilation).generatedSourceFile(NAME + "_Circuit").contentsAsUtf8String()
                .contains("@Generated(");
    }

    /**
     * Every built-in row of the primitive table is exercised, so the checks below test every rule
     * (rows a provider adds are exercised by their own circuits: see PrimitiveExtensionTest).
     */
    @Test
    void recordsEveryPrimitive() throws Exception {
        String generated = compilation.generatedSourceFile(NAME + "_Circuit").orElseThrow()
                .getCharContent(true).toString();
        Set<Primitive> used = new java.util.HashSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<p>Primitives: ([A-Z0-9_,\\s*]*)\\.").matcher(generated);
        assertWithMessage("the list of primitives in %s", generated).that(m.find()).isTrue();
        for (String p : m.group(1).replace("*", " ").trim().split("[,\\s]+")) used.add(Primitive.valueOf(p));
        assertThat(used).containsAtLeastElementsIn(Primitive.builtIns());
    }

    /**
     * The jet code shows every branch decision on active values to the workspace's observer:
     * each reported site is one of the table's, names a line of the fixture that compares,
     * takes a max, min, abs or relu, and the jets it reports decide the branch the way the
     * real parts do.
     */
    @Test
    void jetCodeShowsItsBranchDecisions() throws Exception {
        Random r = new Random(3);
        CircuitRunner c = runner(r);
        Object example = example(r, 1, "alice");
        java.util.List<String> source = java.util.List.of(new String(
                EveryConstructTest.class.getResourceAsStream("/circuits/Everything.java").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8).split("\n", -1));
        java.util.Set<Integer> seen = new java.util.TreeSet<>();
        org.jetsketch.circuit.BranchObserver observer = new org.jetsketch.circuit.BranchObserver() {
            @Override
            public void difference(int site, double[] a, int ao, double[] b, int bo) {
                seen.add(site);
                assertThat(Double.isFinite(a[ao] - b[bo])).isTrue();
            }

            @Override
            public void differenceConst(int site, double[] a, int ao, double k) {
                seen.add(site);
                assertThat(Double.isFinite(a[ao] - k)).isTrue();
            }
        };
        c.jetLoss(perturbed(c, r), new double[c.params], example, 2, new double[3][c.params], observer);
        assertThat(seen.size()).isAtLeast(8);
        for (int site : seen) {
            String at = c.circuit.branchSite(site);
            assertWithMessage("site %s", site).that(at).matches("Everything\\.java:\\d+");
            String line = source.get(Integer.parseInt(at.substring(at.indexOf(':') + 1)) - 1);
            assertWithMessage("line of site %s: %s", site, line).that(line)
                    .containsMatch("[<>]|Math\\.(max|min|abs)|Fn\\.relu");
        }
    }

    private static CircuitRunner runner(Random r) {
        double[] w = {r.nextGaussian() * 0.5, r.nextGaussian() * 0.5, r.nextGaussian() * 0.5};
        double[][] m = new double[3][2];
        for (double[] row : m) for (int j = 0; j < row.length; j++) row[j] = r.nextGaussian() * 0.5;
        Object instance = CircuitRunner.construct(loader, NAME, new Class<?>[] {double.class, double[].class,
                double[][].class}, r.nextGaussian() * 0.3, w, m);
        return new CircuitRunner(loader, NAME, instance);
    }

    private static Object example(Random r, int label, String name) {
        Object extra = CircuitRunner.construct(loader, NAME + "$Extra", new Class<?>[] {double.class, int[].class},
                r.nextDouble(), new int[] {1, 2, 3, 4});
        double[] x = {r.nextGaussian(), r.nextGaussian(), r.nextGaussian()};
        try {
            Class<?> extraType = loader.loadClass(NAME + "$Extra");
            return CircuitRunner.construct(loader, NAME + "$Sample",
                    new Class<?>[] {double[].class, int.class, String.class, extraType}, x, label, name, extra);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    private static double[] perturbed(CircuitRunner c, Random r) {
        double[] theta = c.circuit.initialParameters();
        for (int p = 0; p < theta.length; p++) theta[p] += 0.1 * r.nextGaussian();
        return theta;
    }

    @Test
    void lossAndGradientMatchPlainJavaAndFiniteDifferences() {
        Random r = new Random(42);
        for (int trial = 0; trial < 4; trial++) {
            CircuitRunner c = runner(r);
            assertThat(c.layout.describe()).isEqualTo("bias[] w[3] m[3,2]");
            Object example = example(r, trial % 2, trial < 2 ? "alice" : "bob");
            double[] theta = perturbed(c, r);
            double[] grad = new double[c.params];
            double value = c.loss(theta, example, grad);
            double plain = c.plainLoss(theta, example);
            assertWithMessage("loss, trial %s", trial).that(value).isWithin(1e-12 * Math.max(1, Math.abs(plain)))
                    .of(plain);
            for (int p = 0; p < c.params; p++) {
                double h = 1e-5;
                double[] plus = theta.clone();
                double[] minus = theta.clone();
                plus[p] += h;
                minus[p] -= h;
                double fd = (c.plainLoss(plus, example) - c.plainLoss(minus, example)) / (2 * h);
                assertWithMessage("d loss / d theta[%s], trial %s", p, trial).that(grad[p])
                        .isWithin(1e-6 * Math.max(1, Math.abs(fd))).of(fd);
            }
        }
    }

    /** Taylor over reverse: jets of degree 2 along v against the real gradient and differences. */
    @Test
    void jetsAgreeWithGradientAndSecondDifferences() {
        Random r = new Random(7);
        for (int trial = 0; trial < 2; trial++) {
            CircuitRunner c = runner(r);
            Object example = example(r, 1 - trial, "anna");
            double[] theta = perturbed(c, r);
            double[] v = new double[c.params];
            for (int p = 0; p < v.length; p++) v[p] = r.nextGaussian();
            double[][] adjoint = new double[3][c.params];
            double[] jet = c.jetLoss(theta, v, example, 2, adjoint);

            double[] grad = new double[c.params];
            double value = c.loss(theta, example, grad);
            double directional = 0;
            for (int p = 0; p < v.length; p++) directional += grad[p] * v[p];
            assertThat(jet[0]).isWithin(1e-12 * Math.max(1, Math.abs(value))).of(value);
            assertThat(jet[1]).isWithin(1e-10 * Math.max(1, Math.abs(directional))).of(directional);
            double h = 1e-4;
            double second = (c.plainLoss(axpy(theta, h, v), example) - 2 * c.plainLoss(theta, example)
                    + c.plainLoss(axpy(theta, -h, v), example)) / (2 * h * h);
            assertWithMessage("second coefficient").that(jet[2]).isWithin(1e-5 * Math.max(1, Math.abs(second)))
                    .of(second);

            double[] gPlus = new double[c.params];
            double[] gMinus = new double[c.params];
            double hv = 1e-5;
            c.loss(axpy(theta, hv, v), example, gPlus);
            c.loss(axpy(theta, -hv, v), example, gMinus);
            for (int p = 0; p < c.params; p++) {
                assertWithMessage("adjoint coefficient 0 of theta[%s]", p).that(adjoint[0][p])
                        .isWithin(1e-12 * Math.max(1, Math.abs(grad[p]))).of(grad[p]);
                double hessianV = (gPlus[p] - gMinus[p]) / (2 * hv);
                assertWithMessage("adjoint coefficient 1 (H v) of theta[%s]", p).that(adjoint[1][p])
                        .isWithin(1e-6 * Math.max(1, Math.abs(hessianV))).of(hessianV);
            }
        }
    }

    @Test
    void measurementMatchesPlainJava() {
        Random r = new Random(3);
        CircuitRunner c = runner(r);
        double[] theta = perturbed(c, r);
        double[] x = {0.3, -1.1, 0.7};
        for (int k = 0; k < 3; k++) {
            double plain = (double) c.plain(theta, "response", x, k);
            assertThat(c.measure(theta, "response", x, k)).isWithin(1e-15).of(plain);
        }
        assertThat(c.bound("response", x, 2).description()).isEqualTo("response([0.3, -1.1, 0.7], 2)");
    }

    @Test
    void trainingStepMatchesPlainJava() {
        Random r = new Random(5);
        CircuitRunner c = runner(r);
        double[] theta = perturbed(c, r);
        double[] grad = new double[c.params];
        double[][] state = new double[c.circuit.stateArrays()][c.params];
        assertThat(state.length).isEqualTo(1);
        for (int p = 0; p < c.params; p++) {
            grad[p] = r.nextGaussian();
            state[0][p] = r.nextGaussian();
        }
        double[] plainTheta = theta.clone();
        double[] plainVelocity = state[0].clone();
        for (int step = 0; step < 3; step++) {
            c.step(theta, grad, state, step, 10);
            try {
                var momentum = c.instance.getClass().getDeclaredMethod("momentum", double[].class, double[].class,
                        double[].class, int.class, int.class);
                momentum.setAccessible(true);
                momentum.invoke(null, plainTheta, grad, plainVelocity, step, 10);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
            for (int p = 0; p < c.params; p++) {
                assertThat(theta[p]).isWithin(1e-15).of(plainTheta[p]);
                assertThat(state[0][p]).isWithin(1e-15).of(plainVelocity[p]);
            }
        }
    }

    private static double[] axpy(double[] x, double a, double[] y) {
        double[] out = x.clone();
        for (int i = 0; i < out.length; i++) out[i] += a * y[i];
        return out;
    }
}
