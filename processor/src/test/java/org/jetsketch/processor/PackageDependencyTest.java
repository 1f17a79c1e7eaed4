package org.jetsketch.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The one-way package structure of the compiler, read from the sources as text: {@code ir} is
 * the model and depends on nothing of javac, JavaPoet or the other packages; {@code primitives}
 * (the primitive table and the DSL vocabulary read off it) depends on nothing either;
 * {@code frontend} (javac trees to IR) and {@code analysis} (IR to facts) depend on {@code ir}
 * and {@code primitives}; {@code codegen} reads the IR, the analysis and the table but never
 * javac trees. Only {@code CircuitProcessor} sees them
 * all. No package links against the runtime: generated code names its classes as text.
 */
class PackageDependencyTest {
    private static final Path MAIN = Path.of("src/main/java/org/jetsketch/processor");
    private static final String P = "org.jetsketch.processor.";
    private static final Pattern IMPORT = Pattern.compile("(?m)^import\\s+(?:static\\s+)?([\\w.]+?)(?:\\.\\*)?\\s*;");

    /** Imports (and fully qualified mentions) of the sources of one package, by file. */
    private static Map<String, List<String>> imports(String pkg) throws IOException {
        Map<String, List<String>> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(MAIN.resolve(pkg))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = Files.readString(f);
                List<String> names = new ArrayList<>();
                Matcher m = IMPORT.matcher(text);
                while (m.find()) names.add(m.group(1));
                // a fully qualified name in code is a dependency too
                Matcher q = Pattern.compile("\\b(com\\.sun\\.[\\w.]+|com\\.squareup\\.[\\w.]+|javax\\.lang\\.model[\\w.]*"
                        + "|javax\\.annotation\\.processing[\\w.]*|org\\.jetsketch\\.[\\w.]+)").matcher(stripComments(text));
                while (q.find()) names.add(q.group(1));
                out.put(f.getFileName().toString(), names);
            }
        }
        assertWithMessage("sources of %s", pkg).that(out).isNotEmpty();
        return out;
    }

    /** Code without its package line, comments and string literals (Javadoc may mention any name). */
    private static String stripComments(String text) {
        return text.replaceAll("(?m)^package [\\w.]+;", "").replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "").replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"");
    }

    private static void assertOnly(String pkg, Predicate<String> allowed, String rule) throws IOException {
        List<String> violations = new ArrayList<>();
        imports(pkg).forEach((file, names) -> {
            for (String n : names) if (!allowed.test(n)) violations.add(file + " -> " + n);
        });
        assertWithMessage("%s: %s", pkg, rule).that(violations).isEmpty();
    }

    private static boolean java(String n) { return n.startsWith("java."); }

    @Test
    void irDependsOnNothing() throws IOException {
        assertOnly("ir", n -> java(n) || n.startsWith(P + "ir."),
                "the IR holds no javac, JavaPoet, frontend, analysis or codegen type");
    }

    @Test
    void primitivesDependOnNothing() throws IOException {
        assertOnly("primitives", n -> java(n) || n.startsWith(P + "primitives."),
                "the primitive table holds no javac, JavaPoet, IR or codegen type (frontend, analysis and codegen read it)");
    }

    @Test
    void analysisDependsOnlyOnIrAndThePrimitiveTable() throws IOException {
        assertOnly("analysis", n -> java(n) || n.startsWith(P + "ir.") || n.startsWith(P + "analysis.")
                || n.startsWith(P + "primitives."), "the analysis reads only the IR and the primitive table");
    }

    @Test
    void codegenNeverSeesTheFrontendOrJavac() throws IOException {
        assertOnly("codegen", n -> !n.startsWith(P + "frontend") && !n.startsWith("com.sun.")
                && !n.startsWith("javax.annotation.processing") && !(n.startsWith("org.jetsketch.") && !n.startsWith(P)),
                "codegen reads IR and analysis, writes JavaPoet; no javac trees");
    }

    @Test
    void frontendNeverSeesAnalysisOrCodegen() throws IOException {
        assertOnly("frontend", n -> !n.startsWith(P + "codegen") && !n.startsWith(P + "analysis")
                && !n.startsWith("com.squareup.") && !(n.startsWith("org.jetsketch.") && !n.startsWith(P)),
                "the frontend only builds IR");
    }

    @Test
    void theRuleMatchesRealImports() throws IOException {
        // guards the parser above: known imports are seen
        assertThat(imports("codegen").get("AdjointWriter.java")).contains(P + "ir.Expr");
        assertThat(imports("frontend").get("BodyConverter.java")).contains("com.sun.source.tree.ArrayAccessTree");
        assertThat(imports("analysis").get("Activity.java")).contains(P + "primitives.Functions");
        assertThat(imports("frontend").get("BodyConverter.java")).contains(P + "primitives.Functions");
    }
}
