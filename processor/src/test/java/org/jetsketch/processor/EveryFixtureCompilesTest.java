package org.jetsketch.processor;

import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every circuit source of the project, compiled by the processor as its module compiles it: the
 * test fixtures, the golden inputs, the circuit-tests module, the examples (also the standalone
 * one) and microgpt. Each must compile, with a generated circuit for every {@code @Circuit}
 * class; and, as for every compilation of the tests ({@link Compile#assertNoCompilerFault}), the
 * processor must not crash and its code must compile.
 */
class EveryFixtureCompilesTest {
    private static final Pattern CIRCUIT = Pattern.compile(
            "@Circuit\\s+(?:(?:public|final|abstract|static)\\s+)*class\\s+(\\w+)");

    @ParameterizedTest
    @ValueSource(strings = {"src/test/resources/circuits", "src/test/resources/golden",
            "../circuit-tests/src/main/java", "../examples/src/main/java", "../examples/standalone/src/main/java",
            "../microgpt-model/src/main/java"})
    void compilesWithEveryCircuitGenerated(String directory) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of(directory))) {
            files = walk.filter(p -> p.toString().endsWith(".java") && !p.toString().endsWith("_Circuit.java"))
                    .sorted().toList();
        }
        assertWithMessage("sources under %s", directory).that(files).isNotEmpty();
        List<JavaFileObject> sources = new ArrayList<>();
        List<String> circuits = new ArrayList<>();
        for (Path f : files) {
            String text = read(f);
            sources.add(JavaFileObjects.forSourceString(Compile.qualifiedName(text), text));
            Matcher m = CIRCUIT.matcher(text);
            String pkg = Compile.qualifiedName(text).contains(".")
                    ? Compile.qualifiedName(text).substring(0, Compile.qualifiedName(text).lastIndexOf('.') + 1) : "";
            while (m.find()) circuits.add(pkg + m.group(1));
        }
        assertWithMessage("@Circuit classes under %s", directory).that(circuits).isNotEmpty();
        Compilation c = Compile.compile(sources);
        assertWithMessage("compilation of %s\n%s", directory, c.diagnostics())
                .that(c.status()).isEqualTo(Compilation.Status.SUCCESS);
        for (String circuit : circuits) {
            assertWithMessage("generated circuit of %s", circuit)
                    .that(c.generatedSourceFile(circuit + "_Circuit").isPresent()).isTrue();
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
