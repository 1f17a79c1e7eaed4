package org.jetsketch.circuits.random;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.jetsketch.processor.CircuitProcessor;

/**
 * Many circuits in one javac invocation with the processor, loaded from memory. javac writes no
 * class file once any source has an error, so a source with an error is taken out (and reported
 * with its diagnostics) and the rest compiled again.
 */
public final class BatchCompiler {
    private static final String NO_SOURCES;

    static {
        try {
            java.nio.file.Path dir = Files.createTempDirectory("jetsketch-random-no-sources");
            dir.toFile().deleteOnExit();
            NO_SOURCES = dir.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What one compilation gave: a loader for the circuits that compiled, diagnostics of those that did not. */
    public record Result(ClassLoader loader, Map<String, List<String>> rejected, Map<String, List<String>> faults) {}

    private BatchCompiler() {}

    /** Compiles {@code sources} (qualified class name -> text). */
    public static Result compile(Map<String, String> sources) {
        Map<String, String> remaining = new LinkedHashMap<>(sources);
        Map<String, List<String>> rejected = new LinkedHashMap<>();
        Map<String, List<String>> faults = new LinkedHashMap<>();
        while (true) {
            if (remaining.isEmpty()) return new Result(BatchCompiler.class.getClassLoader(), rejected, faults);
            List<JavaFileObject> files = new ArrayList<>();
            Map<String, String> byUri = new HashMap<>();
            for (Map.Entry<String, String> s : remaining.entrySet()) {
                JavaFileObject f = JavaFileObjects.forSourceString(s.getKey(), s.getValue());
                files.add(f);
                byUri.put(f.toUri().toString(), s.getKey());
            }
            Compilation c = Compiler.javac().withProcessors(new CircuitProcessor())
                    .withOptions("-sourcepath", NO_SOURCES).compile(files);
            Map<String, List<String>> errors = new LinkedHashMap<>();
            for (Diagnostic<? extends JavaFileObject> d : c.diagnostics()) {
                String message = d.getMessage(Locale.ROOT);
                String owner = d.getSource() == null ? null : byUri.get(d.getSource().toUri().toString());
                boolean generated = d.getSource() != null && owner == null;
                if (generated) {
                    String name = d.getSource().getName();
                    owner = owner(remaining, name);
                }
                boolean fault = message.contains("[JetInternal]") || (generated && d.getKind() == Diagnostic.Kind.ERROR);
                if (d.getKind() != Diagnostic.Kind.ERROR && !fault) continue;
                String text = (d.getSource() == null ? "?" : d.getSource().getName()) + ":" + d.getLineNumber() + ": "
                        + message;
                if (owner == null) throw new IllegalStateException("a diagnostic nobody owns: " + text);
                (fault ? faults : errors).computeIfAbsent(owner, k -> new ArrayList<>()).add(text);
            }
            for (String f : faults.keySet()) remaining.remove(f);
            if (c.status() == Compilation.Status.SUCCESS) return new Result(loader(c), rejected, faults);
            if (errors.isEmpty() && faults.isEmpty()) {
                throw new IllegalStateException("compilation failed without errors: " + c.diagnostics());
            }
            for (Map.Entry<String, List<String>> e : errors.entrySet()) {
                if (remaining.remove(e.getKey()) != null) rejected.put(e.getKey(), e.getValue());
            }
        }
    }

    /** The source whose generated file is {@code path} (".../R1x3_Circuit.java"). */
    private static String owner(Map<String, String> sources, String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        for (String name : sources.keySet()) {
            String simple = name.substring(name.lastIndexOf('.') + 1);
            if (file.startsWith(simple + "_")) return name;
        }
        return null;
    }

    private static ClassLoader loader(Compilation compilation) {
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
        return new ClassLoader(BatchCompiler.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                byte[] b = bytes.get(name);
                if (b == null) throw new ClassNotFoundException(name);
                return defineClass(name, b, 0, b.length);
            }
        };
    }
}
