package org.jetsketch.circuits.random;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.jetsketch.circuits.random.Ast.Program;
import org.jetsketch.processor.CircuitProcessor;
import org.junit.jupiter.api.Test;

/**
 * Programs just outside the DSL: a random circuit with one statement (and, for some, one member)
 * that the subset excludes, placed first in its loss. Each must get an error with the stable code
 * of docs/diagnostics.md in the user's file; none may crash the processor ([JetInternal]) or make
 * it generate code that does not compile. All of them go through one javac invocation.
 */
class NearMissTest {
    /** An excluded construct: the code it must get, the statement, and a member it needs (or ""). */
    record NearMiss(String code, String statement, String member) {}

    static final List<NearMiss> NEAR_MISSES = List.of(
            new NearMiss("JetUnsupportedStatement", "double nm = 0; for (double q : x) nm += q * p0;", ""),
            new NearMiss("JetUnsupportedStatement", "switch (s.label()) { case 1: break; default: break; }", ""),
            new NearMiss("JetUnsupportedStatement", "try { p0Helper(); } catch (RuntimeException e) { }",
                    "double p0Helper() { return p0; }"),
            new NearMiss("JetUnsupportedStatement", "outer: for (int q = 0; q < 2; q++) { if (q == 1) break outer; }", ""),
            new NearMiss("JetUnsupportedStatement", "assert x.length > 0;", ""),
            new NearMiss("JetUnsupportedStatement", "if (x.length > 10) throw new IllegalStateException();", ""),
            new NearMiss("JetNoRule", "double nm = Math.floor(p0 * 2.0);", ""),
            new NearMiss("JetNoRule", "double nm = Math.sin(p0) + Math.cos(x[0]);", ""),
            new NearMiss("JetNoRule", "double nm = Math.atan2(p0, 1.0);", ""),
            new NearMiss("JetActiveLoopBound", "for (int q = 0; q < p0 * 3.0; q++) { }", ""),
            new NearMiss("JetActiveLoopBound", "int q = 0; while (q * 0.1 < Math.abs(p0) && q < 5) q++;", ""),
            new NearMiss("JetActiveLoopBound", "int q = 0; do { q++; } while (p0 > q && q < 4);", ""),
            new NearMiss("JetActiveIndex", "double nm = x[(int) (Math.abs(p0) * 0.5)];", ""),
            new NearMiss("JetActiveToInteger", "int q = (int) p0;", ""),
            new NearMiss("JetNoRule", "long q = Math.round(p0 * 10.0);", ""),
            new NearMiss("JetUnsupportedExpression", "Runnable r = () -> { };", ""),
            new NearMiss("JetUnsupportedExpression", "int h = new Object().hashCode();", ""),
            new NearMiss("JetUnsupportedExpression", "double[] none = null;", ""),
            new NearMiss("JetUnsupportedExpression", "double g = 1.5f * p0;", ""),
            new NearMiss("JetUnsupportedCall", "double[] c = x.clone();", ""),
            new NearMiss("JetUnsupportedCall", "java.util.Arrays.fill(new double[2], p0);", ""),
            new NearMiss("JetUnsupportedCall", "double nm = Double.sum(p0, 1.0);", ""),
            new NearMiss("JetParamWrite", "p0 = 1.0;", ""),
            new NearMiss("JetParamWrite", "double[] pa = pv; pa[0] = x[0];", "@Param double[] pv = {0.5, 0.25};"),
            new NearMiss("JetExampleWrite", "x[0] = p0;", ""),
            new NearMiss("JetExampleWrite", "double[] al = x; al[1] = 2.0;", ""),
            new NearMiss("JetRecursion", "double nm = down(2);", "double down(int i) { return i == 0 ? p0 : down(i - 1); }"),
            new NearMiss("JetUnsupportedType", "float f = 1;", ""),
            new NearMiss("JetUnsupportedType", "double[][][] cube = new double[1][1][1];", ""),
            new NearMiss("JetUnsupportedType", "Double boxed = p0;", ""),
            new NearMiss("JetFieldWrite", "scratch = p0;", "double scratch;"),
            new NearMiss("JetPrivateField", "double nm = hidden * p0;", "private double hidden = 2;"));

    static final int BASES = Integer.getInteger("jetsketch.nearMissBases", 2);
    static final long SEED = Long.getLong("jetsketch.seed", 21L);

    @Test
    void everyNearMissGetsItsDiagnosticAndNothingCrashes() {
        long start = System.nanoTime();
        ProgramGenerator generator = new ProgramGenerator(false);
        SplittableRandom random = new SplittableRandom(SEED);
        Map<String, NearMiss> byName = new HashMap<>();
        List<JavaFileObject> files = new ArrayList<>();
        for (int b = 0; b < BASES; b++) {
            for (int k = 0; k < NEAR_MISSES.size(); k++) {
                NearMiss n = NEAR_MISSES.get(k);
                Program base = generator.program(SEED + 1000, b * NEAR_MISSES.size() + k)
                        .withName("NearMiss" + b + "x" + k);
                String source = JavaPrinter.source(base);
                String anchor = "double[] x = s.x();\n";
                int at = source.indexOf(anchor) + anchor.length();
                source = source.substring(0, at) + "        " + n.statement() + "\n" + source.substring(at);
                if (!n.member().isEmpty()) {
                    int close = source.lastIndexOf('}');
                    source = source.substring(0, close) + "    " + n.member() + "\n}\n";
                }
                String name = JavaPrinter.qualifiedName(base);
                byName.put(name, n);
                files.add(JavaFileObjects.forSourceString(name, source));
            }
        }
        Compilation c = Compiler.javac().withProcessors(new CircuitProcessor())
                .withOptions("-sourcepath", System.getProperty("java.io.tmpdir")).compile(files);
        Map<String, List<String>> errors = new HashMap<>();
        List<String> faults = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : c.diagnostics()) {
            String message = d.getMessage(Locale.ROOT);
            String source = d.getSource() == null ? "?" : d.getSource().getName();
            String owner = null;
            for (String name : byName.keySet()) {
                if (source.endsWith(name.replace('.', '/') + ".java")) owner = name;
            }
            if (message.contains("[JetInternal]") || (owner == null && d.getKind() == Diagnostic.Kind.ERROR)) {
                faults.add(source + ":" + d.getLineNumber() + ": " + message);
            } else if (owner != null && d.getKind() == Diagnostic.Kind.ERROR) {
                errors.computeIfAbsent(owner, k -> new ArrayList<>()).add(message);
            }
        }
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, NearMiss> e : byName.entrySet()) {
            List<String> got = errors.getOrDefault(e.getKey(), List.of());
            boolean found = got.stream().anyMatch(m -> m.startsWith("[" + e.getValue().code() + "]"));
            if (!found) missing.add(e.getKey() + " (" + e.getValue().statement() + "): expected [" + e.getValue().code()
                    + "], got " + got);
        }
        System.out.printf("near misses: %d programs (%d constructs x %d bases) in %.1f s, %d with their code%n",
                byName.size(), NEAR_MISSES.size(), BASES, (System.nanoTime() - start) / 1e9, byName.size() - missing.size());
        assertTrue(faults.isEmpty(), () -> "processor crashes or generated code that does not compile:\n"
                + String.join("\n", faults));
        assertTrue(missing.isEmpty(), () -> "near misses without their diagnostic:\n" + String.join("\n", missing));
    }
}
