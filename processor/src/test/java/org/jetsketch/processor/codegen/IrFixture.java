package org.jetsketch.processor.codegen;

import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import com.sun.source.util.Trees;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import org.jetsketch.processor.analysis.Activity;
import org.jetsketch.processor.frontend.CircuitReader;
import org.jetsketch.processor.frontend.Reporter;
import org.jetsketch.processor.ir.CircuitIr;
import org.jetsketch.processor.ir.MethodIr;

/**
 * A circuit's IR and activity facts, read by the real frontend from source text, for unit tests
 * of the passes after it (normalization, alias classes, shapes, the to-be-recorded analysis).
 */
final class IrFixture {
    final CircuitIr circuit;
    final Activity activity;
    final Plan plan;

    private IrFixture(CircuitIr circuit, Activity activity) {
        this.circuit = circuit;
        this.activity = activity;
        this.plan = new Plan(circuit, activity);
    }

    /** A circuit class {@code t.C} with {@code @Param double[] w}, an SGD step and {@code members}. */
    static IrFixture of(String members) {
        return ofSource("""
                package t;

                import org.jetsketch.dsl.*;

                @Circuit
                class C {
                    @Param double[] w = {0.5, -0.25, 1.5};

                    @TrainingStep
                    static void sgd(@Params double[] p, @Grads double[] g) {
                        for (int i = 0; i < p.length; i++) p[i] -= 0.1 * g[i];
                    }

                %s
                }
                """.formatted(members.indent(4)));
    }

    static IrFixture ofSource(String source) {
        Matcher name = Pattern.compile("class (\\w+)").matcher(source);
        name.find();
        Capture capture = new Capture();
        Compilation c = Compiler.javac().withOptions("-proc:only").withProcessors(capture)
                .compile(JavaFileObjects.forSourceString("t." + name.group(1), source));
        assertWithMessage("%s", c.diagnostics()).that(c.status()).isEqualTo(Compilation.Status.SUCCESS);
        assertWithMessage("no circuit read").that(capture.circuit).isNotNull();
        return new IrFixture(capture.circuit, capture.activity);
    }

    /** The method named {@code name}. */
    MethodIr method(String name) {
        for (MethodIr m : circuit.methods()) if (m.name().equals(name)) return m;
        throw new AssertionError("no method " + name + " in " + circuit.methods());
    }

    /** Reads the IR in the processing round, as the processor does. */
    private static final class Capture extends AbstractProcessor {
        CircuitIr circuit;
        Activity activity;

        @Override
        public Set<String> getSupportedAnnotationTypes() { return Set.of("org.jetsketch.dsl.Circuit"); }

        @Override
        public SourceVersion getSupportedSourceVersion() { return SourceVersion.latestSupported(); }

        @Override
        public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
            TypeElement annotation = processingEnv.getElementUtils().getTypeElement("org.jetsketch.dsl.Circuit");
            if (annotation == null) return false;
            Trees trees = Trees.instance(processingEnv);
            for (Element e : round.getElementsAnnotatedWith(annotation)) {
                Reporter reporter = new Reporter(trees, processingEnv.getMessager());
                circuit = new CircuitReader(processingEnv, trees, reporter).read((TypeElement) e);
                Activity.Result result = Activity.analyze(circuit);
                if (!result.problems().isEmpty()) throw new AssertionError(result.problems());
                activity = result.activity();
            }
            return false;
        }
    }
}
