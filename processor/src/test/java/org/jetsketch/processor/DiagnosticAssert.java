package org.jetsketch.processor;

import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/**
 * Error Prone's discipline for diagnostics tests, over compile-testing. In a test source, a line
 *
 * <pre>    // BUG: Diagnostic contains: [JetNoRule] Math.floor</pre>
 *
 * means "exactly this error on the next line" (consecutive markers: several errors on the next
 * line of code). {@link #assertDiagnostics} compiles the sources
 * with the circuit processor and checks that every marker's error is reported in that file on
 * that line, and that there are no other errors: each error must match a marker (file, line,
 * text), one error per marker. A source without markers must compile without errors.
 */
final class DiagnosticAssert {
    static final String MARKER = "// BUG: Diagnostic contains:";

    private DiagnosticAssert() {}

    /** An expected error: {@code text} on line {@code line} of {@code file}. */
    record Expected(JavaFileObject file, long line, String text) {
        @Override
        public String toString() { return file.getName() + ":" + line + ": " + text; }
    }

    /** Compiles {@code sources} (Java text blocks) and checks their markers; returns the compilation. */
    static Compilation assertDiagnostics(String... sources) {
        List<JavaFileObject> files = new ArrayList<>();
        List<Expected> expected = new ArrayList<>();
        for (String text : sources) {
            JavaFileObject file = Compile.source(text);
            files.add(file);
            expected.addAll(markers(file, text));
        }
        Compilation compilation = Compile.compile(files);
        for (Expected e : expected) {
            assertThat(compilation).hadErrorContaining(e.text()).inFile(e.file()).onLine(e.line());
        }
        List<Expected> unmatched = new ArrayList<>(expected);
        List<String> unexpected = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : compilation.errors()) {
            Expected match = null;
            for (Expected e : unmatched) {
                if (d.getSource() != null && d.getSource().toUri().equals(e.file().toUri())
                        && d.getLineNumber() == e.line() && d.getMessage(Locale.ROOT).contains(e.text())) {
                    match = e;
                    break;
                }
            }
            if (match != null) {
                unmatched.remove(match);
            } else {
                unexpected.add(describe(d));
            }
        }
        assertWithMessage("errors without a marker (or a second error for one marker)\nall diagnostics: %s",
                compilation.diagnostics()).that(unexpected).isEmpty();
        assertWithMessage("error count").that(compilation.errors().size()).isEqualTo(expected.size());
        for (Expected e : expected) {
            Matcher code = CODE.matcher(e.text());
            if (code.find()) CONFIRMED.add(code.group(1));
        }
        return compilation;
    }

    private static final Pattern CODE = Pattern.compile("\\[(Jet\\w+)\\]");

    /** The codes of every marker a passing {@link #assertDiagnostics} matched with a reported error. */
    static final Set<String> CONFIRMED = ConcurrentHashMap.newKeySet();

    /**
     * The markers of one source. A marker applies to the next line that is not itself a marker,
     * so that several errors expected on one line are written as consecutive markers.
     */
    static List<Expected> markers(JavaFileObject file, String text) {
        List<Expected> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int at = lines[i].indexOf(MARKER);
            if (at < 0) continue;
            String wanted = lines[i].substring(at + MARKER.length()).trim();
            if (wanted.isEmpty()) throw new IllegalArgumentException("empty marker on line " + (i + 1));
            int target = i + 1;
            while (target < lines.length && lines[target].contains(MARKER)) target++;
            if (target >= lines.length || lines[target].isBlank()) {
                throw new IllegalArgumentException("marker on line " + (i + 1) + " is not followed by code");
            }
            out.add(new Expected(file, target + 1, wanted)); // 1-based
        }
        return out;
    }

    private static String describe(Diagnostic<? extends JavaFileObject> d) {
        String where = d.getSource() == null ? "?" : d.getSource().getName();
        return where + ":" + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT);
    }
}
