package org.jetsketch.processor;

import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/**
 * Shared test plumbing: javac with the circuit processor over sources in text blocks, and a class
 * loader over a compilation's in-memory class files so that generated circuits can be run.
 */
final class Compile {
    private Compile() {}

    private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)\\s*;");
    /** The first top-level type: a declaration that starts a line (nested types are indented). */
    private static final Pattern TOP_LEVEL_TYPE = Pattern.compile(
            "(?m)^(?:(?:public|final|abstract|sealed|non-sealed|strictfp)\\s+)*(?:class|interface|record|enum|@interface)\\s+(\\w+)");

    /**
     * javac with the circuit processor; every lint on, so that "without warnings" means something.
     * The source path is an empty directory: without one, javac would look for sources on the class
     * path, where the test resources (golden files, fixtures) are.
     */
    static Compiler javac() {
        return Compiler.javac()
                .withProcessors(new CircuitProcessor())
                .withOptions("-Xlint:all,-processing", "-sourcepath", EMPTY_SOURCE_PATH);
    }

    static final String EMPTY_SOURCE_PATH = emptyDirectory();

    private static String emptyDirectory() {
        try {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("jetsketch-no-sources");
            dir.toFile().deleteOnExit();
            return dir.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Compilation compile(JavaFileObject... sources) {
        return compile(List.of(sources));
    }

    /** Compiles with {@link #javac()} and checks {@link #assertNoCompilerFault}. */
    static Compilation compile(Iterable<? extends JavaFileObject> sources) {
        return assertNoCompilerFault(javac().compile(sources));
    }

    /**
     * What must hold of every compilation, whatever the source: the processor never crashes (no
     * [JetInternal]), and code it generated never fails to compile (no error in a generated
     * file). Every test compilation goes through here, so every test source is a check of both.
     */
    static Compilation assertNoCompilerFault(Compilation compilation) {
        Set<String> inputs = new HashSet<>();
        for (JavaFileObject f : compilation.sourceFiles()) inputs.add(f.toUri().toString());
        List<String> faults = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : compilation.diagnostics()) {
            String message = d.getMessage(Locale.ROOT);
            boolean inGenerated = d.getSource() != null && !inputs.contains(d.getSource().toUri().toString());
            if (message.contains("[JetInternal]") || (inGenerated && d.getKind() == Diagnostic.Kind.ERROR)) {
                faults.add((d.getSource() == null ? "?" : d.getSource().getName()) + ":" + d.getLineNumber()
                        + ": " + message);
            }
        }
        assertWithMessage("processor crashes or generated code that does not compile").that(faults).isEmpty();
        return compilation;
    }

    /** A source file named after its package and first top-level type. */
    static JavaFileObject source(String text) {
        return JavaFileObjects.forSourceString(qualifiedName(text), text);
    }

    static String qualifiedName(String text) {
        Matcher type = TOP_LEVEL_TYPE.matcher(text);
        if (!type.find()) throw new IllegalArgumentException("no top-level type in\n" + text);
        Matcher pkg = PACKAGE.matcher(text);
        return pkg.find() ? pkg.group(1) + "." + type.group(1) : type.group(1);
    }

    /** The classes a successful compilation wrote (sources and generated code), loadable. */
    static ClassLoader classes(Compilation compilation) {
        assertWithMessage("compilation status\n%s", compilation.diagnostics())
                .that(compilation.status()).isEqualTo(Compilation.Status.SUCCESS);
        Map<String, byte[]> bytes = new HashMap<>();
        for (JavaFileObject f : compilation.generatedFiles()) {
            if (f.getKind() != JavaFileObject.Kind.CLASS) continue;
            String path = f.toUri().getPath();
            int root = path.indexOf("CLASS_OUTPUT/");
            String name = path.substring(root + "CLASS_OUTPUT/".length(), path.length() - ".class".length())
                    .replace('/', '.');
            try (InputStream in = f.openInputStream()) {
                bytes.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new ClassLoader(Compile.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                byte[] b = bytes.get(name);
                if (b == null) throw new ClassNotFoundException(name);
                return defineClass(name, b, 0, b.length);
            }
        };
    }
}
