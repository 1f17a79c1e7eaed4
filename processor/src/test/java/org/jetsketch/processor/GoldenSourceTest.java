package org.jetsketch.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.tools.JavaFileObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The full generated source of two small circuits, frozen in {@code src/test/resources/golden/}
 * ({@code Name.java} in, {@code Name_Circuit.java} out). They document what the compiler writes;
 * a change to them is a change to the generated code, to be reviewed as such. After an intended
 * change, regenerate with {@code -Djetsketch.golden.update=true} and read the diff.
 */
class GoldenSourceTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    @ParameterizedTest
    @ValueSource(strings = {"Linear", "Softmax"})
    void generatedSourceIsTheGoldenOne(String name) throws IOException {
        Compilation c = Compile.compile(JavaFileObjects.forResource("golden/" + name + ".java"));
        assertThat(c).succeededWithoutWarnings();
        String generated = c.generatedSourceFile("golden." + name + "_Circuit").orElseThrow()
                .getCharContent(true).toString();
        Path expected = GOLDEN.resolve(name + "_Circuit.java");
        if (Boolean.getBoolean("jetsketch.golden.update") || !Files.exists(expected)) {
            Files.writeString(expected, generated, StandardCharsets.UTF_8);
            throw new AssertionError("wrote " + expected + ": review it, then run the test again");
        }
        assertThat(c).generatedSourceFile("golden." + name + "_Circuit")
                .hasSourceEquivalentTo(JavaFileObjects.forResource("golden/" + name + "_Circuit.java"));
        // the text too: comments and layout are documentation as well
        assertWithMessage("text of %s", expected).that(generated)
                .isEqualTo(Files.readString(expected, StandardCharsets.UTF_8));
    }

    /**
     * Generated code is held to the standard of hand-written code: the golden sources and the
     * code generated for every construct of the subset compile with every lint as an error.
     */
    @ParameterizedTest
    @ValueSource(strings = {"golden/Linear", "golden/Softmax", "circuits/Everything"})
    void generatedSourceCompilesWithEveryLintAsAnError(String resource) throws IOException {
        Compilation c = Compile.compile(JavaFileObjects.forResource(resource + ".java"));
        assertThat(c).succeeded();
        List<JavaFileObject> sources = new ArrayList<>();
        sources.add(JavaFileObjects.forResource(resource + ".java"));
        for (JavaFileObject f : c.generatedSourceFiles()) {
            sources.add(JavaFileObjects.forSourceString(f.getName().replaceAll(".*/SOURCE_OUTPUT/", "")
                    .replace('/', '.').replaceAll("\\.java$", ""), f.getCharContent(true).toString()));
        }
        Compilation strict = Compiler.javac().withOptions("-Xlint:all", "-Werror", "-proc:none").compile(sources);
        assertWithMessage("%s", strict.diagnostics()).that(strict.status()).isEqualTo(Compilation.Status.SUCCESS);
        assertThat(strict.diagnostics()).isEmpty();
    }

    /** The golden circuits are right, not just stable: gradients against finite differences. */
    @ParameterizedTest
    @ValueSource(strings = {"Linear", "Softmax"})
    void goldenCircuitsComputeTheRightGradient(String name) {
        Compilation c = Compile.compile(JavaFileObjects.forResource("golden/" + name + ".java"));
        ClassLoader loader = Compile.classes(c);
        Random r = new Random(name.hashCode());
        Object instance;
        Object example;
        if (name.equals("Linear")) {
            instance = CircuitRunner.construct(loader, "golden.Linear", new Class<?>[] {int.class}, 3);
            example = CircuitRunner.construct(loader, "golden.Linear$Point", new Class<?>[] {double[].class, double.class},
                    new double[] {0.5, -1.5, 2.0}, 0.75);
        } else {
            instance = CircuitRunner.construct(loader, "golden.Softmax", new Class<?>[] {int.class, int.class}, 3, 4);
            example = CircuitRunner.construct(loader, "golden.Softmax$Example", new Class<?>[] {double[].class, int.class},
                    new double[] {0.5, -1.5, 2.0}, 2);
        }
        CircuitRunner run = new CircuitRunner(loader, "golden." + name, instance);
        double[] theta = new double[run.params];
        for (int p = 0; p < theta.length; p++) theta[p] = r.nextGaussian();
        double[] grad = new double[run.params];
        assertThat(run.loss(theta, example, grad)).isWithin(1e-12).of(run.plainLoss(theta, example));
        run.assertGradientMatchesDifferences(theta, example, grad, 1e-6, name);
    }
}
