package org.jetsketch.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import org.junit.jupiter.api.Test;

/**
 * Pins the attribution trick of {@code CircuitReader} (see its class comment): annotation
 * processors run before javac attributes method bodies, and {@code Trees.getElement} on a body
 * makes javac attribute the enclosing class in place, after which every expression has a type.
 * The compiler relies on those types (integer division, promotions, constants), so these tests
 * check the side effect itself, then circuits whose generated code is only right if the types
 * were, by running them against the same class run as plain Java.
 */
class AttributionTest {

    /** Records the type of each loss's returned expression before and after the trick. */
    static final class Probe extends AbstractProcessor {
        final List<String> before = new ArrayList<>();
        final List<String> after = new ArrayList<>();

        @Override
        public Set<String> getSupportedAnnotationTypes() { return Set.of("org.jetsketch.dsl.Circuit"); }

        @Override
        public SourceVersion getSupportedSourceVersion() { return SourceVersion.latestSupported(); }

        @Override
        public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
            Trees trees = Trees.instance(processingEnv);
            for (TypeElement annotation : annotations) {
                for (Element type : round.getElementsAnnotatedWith(annotation)) {
                    for (ExecutableElement m : ElementFilter.methodsIn(type.getEnclosedElements())) {
                        if (!m.getSimpleName().contentEquals("loss")) continue;
                        MethodTree tree = trees.getTree(m);
                        TreePath unit = new TreePath(trees.getPath(m).getCompilationUnit());
                        StatementTree last = tree.getBody().getStatements().get(tree.getBody().getStatements().size() - 1);
                        TreePath returned = TreePath.getPath(unit, ((ReturnTree) last).getExpression());
                        before.add(String.valueOf(trees.getTypeMirror(returned)));
                        trees.getElement(TreePath.getPath(unit, tree.getBody())); // the trick
                        TypeMirror t = trees.getTypeMirror(returned);
                        after.add(String.valueOf(t));
                    }
                }
            }
            return false;
        }
    }

    @Test
    void getElementOnABodyAttributesTheClass() {
        Probe probe = new Probe();
        Compilation c = Compiler.javac().withProcessors(probe).compile(Compile.source("""
                package t;

                import org.jetsketch.dsl.*;

                @Circuit
                class A {
                    @Loss
                    double loss(double[] x) { int n = x.length; return n / 2; }
                }
                """), Compile.source("""
                package t;

                import org.jetsketch.dsl.*;

                class B {
                    @Circuit
                    static class Nested {
                        @Loss
                        double loss(double[] x) { return x.length > 1 ? 'a' : 2L; }
                    }
                }
                """));
        assertThat(c).succeeded();
        // before: javac has not attributed the bodies yet (a null type)
        assertThat(probe.before).containsExactly("null", "null");
        assertThat(probe.after).containsExactly("int", "long");
    }

    private static final String TYPES = """
            package t;

            import org.jetsketch.dsl.*;

            /** Every value here depends on the static types of expressions. */
            @Circuit
            public class Types {
                static final int TWO = 2;

                @Param double w = 0.5;
                @Param double[] v = {0.25, -0.5};

                static double half(int n) { return n / TWO; }

                @Loss
                double loss(double[] x) {
                    int n = x.length;
                    double a = w * (n / 2);
                    double b = w * n / 2;
                    double c = (n / TWO) / 4.0 * v[0];
                    double d = (7 / 2 + 7 / 2.0) * v[1];
                    char ch = 'a';
                    double e = (ch + 1) * 0.01 * w;
                    long big = Integer.MAX_VALUE + 1L;
                    int wrap = Integer.MAX_VALUE;
                    wrap += 1;
                    double f = (big + wrap) * w + (Integer.MAX_VALUE + 1) * 1e-12 * v[0];
                    double g = (double) (n / 2) / n * v[0];
                    double h = 1 / n * w + half(n) * v[1];
                    double k = n % 2 == 1 ? w / n : -w;
                    double m = x[0] > 0 ? n / 2 : n / 2.0;
                    double s = 0;
                    for (int i = 0; i < n; i++) s += v[i % 2] * (i / 2) + x[i] / (i + 1);
                    return a + b + c + d + e + f + g + h + k + m * v[1] + (n >> 1) * v[0] + s * w;
                }

                @TrainingStep
                static void sgd(@Params double[] p, @Grads double[] g) {
                    for (int i = 0; i < p.length; i++) p[i] -= 0.1 * g[i];
                }
            }
            """;

    @Test
    void typedArithmeticRunsLikePlainJava() {
        Compilation c = Compile.compile(Compile.source(TYPES));
        assertThat(c).succeededWithoutWarnings();
        ClassLoader loader = Compile.classes(c);
        CircuitRunner r = new CircuitRunner(loader, "t.Types", CircuitRunner.construct(loader, "t.Types", new Class<?>[0]));
        for (double[] x : new double[][] {{0.5, -1.0, 2.0}, {-0.5, 1.0, 3.0}}) {
            double[] theta = r.circuit.initialParameters();
            double[] grad = new double[r.params];
            double value = r.loss(theta, x, grad);
            assertThat(value).isEqualTo(r.plainLoss(theta, x));
            r.assertGradientMatchesDifferences(theta, x, grad, 1e-6, "x = " + Arrays.toString(x));
        }
    }

    private static final String MLP = """
            package t;

            import java.util.Random;
            import org.jetsketch.dsl.*;

            @Circuit
            public class Mlp {
                @Param final double[][] w1;
                @Param final double[] b1;
                @Param final double[][] w2;
                final int classes;

                public record Sample(double[] x, int label) {}

                public Mlp(int inputs, int hidden, int classes, long seed) {
                    Random random = new Random(seed);
                    this.classes = classes;
                    w1 = new double[hidden][inputs];
                    b1 = new double[hidden];
                    w2 = new double[classes][hidden];
                    for (double[] row : w1) for (int j = 0; j < row.length; j++) row[j] = random.nextGaussian();
                    for (double[] row : w2) for (int j = 0; j < row.length; j++) row[j] = random.nextGaussian();
                }

                double[] forward(double[] x) {
                    double[] h = new double[b1.length];
                    for (int i = 0; i < h.length; i++) {
                        double a = b1[i];
                        for (int j = 0; j < x.length; j++) a += w1[i][j] * x[j];
                        h[i] = Math.tanh(a);
                    }
                    double[] out = new double[classes];
                    for (int c = 0; c < classes; c++) {
                        for (int i = 0; i < h.length; i++) out[c] += w2[c][i] * h[i];
                    }
                    return out;
                }

                static double logSoftmax(double[] logits, int target) {
                    double max = logits[0];
                    for (int c = 1; c < logits.length; c++) max = Math.max(max, logits[c]);
                    double sum = 0;
                    for (int c = 0; c < logits.length; c++) sum += Math.exp(logits[c] - max);
                    return logits[target] - max - Math.log(sum);
                }

                @Loss
                double loss(Sample s) { return -logSoftmax(forward(s.x()), s.label()); }

                @TrainingStep
                static void sgd(@Params double[] p, @Grads double[] g) {
                    for (int i = 0; i < p.length; i++) p[i] -= 0.1 * g[i];
                }
            }
            """;

    @Test
    void mlpCompilesAndRunsLikePlainJava() throws Exception {
        Compilation c = Compile.compile(Compile.source(MLP));
        assertThat(c).succeededWithoutWarnings();
        ClassLoader loader = Compile.classes(c);
        Object mlp = CircuitRunner.construct(loader, "t.Mlp", new Class<?>[] {int.class, int.class, int.class, long.class},
                3, 4, 3, 9L);
        CircuitRunner r = new CircuitRunner(loader, "t.Mlp", mlp);
        Random random = new Random(1);
        double[] theta = r.circuit.initialParameters();
        for (int label = 0; label < 3; label++) {
            Object sample = CircuitRunner.construct(loader, "t.Mlp$Sample", new Class<?>[] {double[].class, int.class},
                    new double[] {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()}, label);
            double[] grad = new double[r.params];
            assertThat(r.loss(theta, sample, grad)).isWithin(1e-13).of(r.plainLoss(theta, sample));
            double[] plus = theta.clone();
            plus[5] += 1e-6;
            double[] minus = theta.clone();
            minus[5] -= 1e-6;
            double fd = (r.plainLoss(plus, sample) - r.plainLoss(minus, sample)) / 2e-6;
            assertThat(grad[5]).isWithin(1e-7).of(fd);
        }
    }
}
