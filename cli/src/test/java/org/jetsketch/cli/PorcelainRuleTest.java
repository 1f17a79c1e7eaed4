package org.jetsketch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The command line is porcelain over the library: a command parses options, calls the library
 * and prints. This test scans cli's main sources (comments removed) and fails on numeric work that
 * belongs in the library, by these rules:
 *
 * <ol>
 *   <li>no import from {@code org.jetsketch.jet} (jets, kernels) except {@code JetDomainException},
 *       an error the command line words for the user;
 *   <li>no raw access to a coefficient table's sketch coefficients ({@code .re(}, {@code .im(},
 *       {@code .coefficients()}, {@code .addJet(}) and no building of one
 *       ({@code CoefficientTable.builder(}, {@code CoefficientTable.of(});
 *   <li>no transcendental arithmetic ({@code Math.sqrt/exp/log/log1p/expm1/pow});
 *   <li>no training or jet pass of its own ({@code new Trainer<}, {@code new JetTrainer<},
 *       {@code new ExactInfluence<}, {@code ExactDirection.run}, {@code Workers.runAll}): the
 *       library's {@link org.jetsketch.study.ProblemRuns} runs them;
 *   <li>no ranking, ordering or scheduling of results of its own ({@code .ranking(},
 *       {@code Arrays.sort(}, {@code .sort(}, a {@code List<Callable<…>>} of tasks or
 *       {@code ProblemRuns.runAll}): the library ranks influences
 *       ({@link org.jetsketch.study.ProblemRuns#exactLeaveOneOut}, {@code LeaveOneOut},
 *       {@code GroupedEstimator.leaveOneGroupOut}) and schedules trainings ({@code ProblemRuns.trainAll}).
 * </ol>
 *
 * The benchmark commands follow the rules too: their measurements live in the benchmarks module
 * ({@link org.jetsketch.bench.StepBenchmark}, {@link org.jetsketch.bench.InfluenceBenchmark});
 * the commands fork, print and write JSON.
 */
class PorcelainRuleTest {

    record Rule(int number, Pattern pattern) {}

    static final List<Rule> RULES = List.of(
            new Rule(1, Pattern.compile("import\\s+(static\\s+)?org\\.jetsketch\\.jet\\.(?!JetDomainException;)")),
            new Rule(2, Pattern.compile("\\.(re|im)\\s*\\(|\\.coefficients\\s*\\(\\s*\\)|\\.addJet\\s*\\("
                    + "|CoefficientTable\\s*\\.\\s*(builder|of)\\s*\\(")),
            new Rule(3, Pattern.compile("Math\\s*\\.\\s*(sqrt|exp|log|log1p|expm1|pow)\\s*\\(")),
            new Rule(4, Pattern.compile("new\\s+([\\w.]+\\.)?(Trainer|JetTrainer|ExactInfluence)\\s*<|ExactDirection\\s*\\.\\s*run"
                    + "|Workers\\s*\\.\\s*runAll")),
            new Rule(5, Pattern.compile("\\.ranking\\s*\\(|Arrays\\s*\\.\\s*sort\\s*\\(|\\.sort\\s*\\("
                    + "|List\\s*<\\s*(java\\.util\\.concurrent\\.)?Callable\\s*<|ProblemRuns\\s*\\.\\s*runAll")));

    /** The violations in one source file: "File.java:line: rule N: text". */
    static List<String> violations(String fileName, String source) {
        String code = withoutComments(source);
        List<String> out = new ArrayList<>();
        for (Rule rule : RULES) {
            Matcher m = rule.pattern().matcher(code);
            while (m.find()) {
                int line = 1;
                for (int i = 0; i < m.start(); i++) if (code.charAt(i) == '\n') line++;
                out.add(fileName + ":" + line + ": rule " + rule.number() + ": " + m.group());
            }
        }
        return out;
    }

    /** The source with comments and the text of literals blanked (keeping new lines, so line numbers hold). */
    static String withoutComments(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"' || c == '\'') {
                // a string or character literal: kept as its quotes, its text blanked
                int j = i + 1;
                while (j < s.length() && s.charAt(j) != c) j += s.charAt(j) == '\\' ? 2 : 1;
                sb.append(c);
                for (int k = i + 1; k < Math.min(s.length(), j); k++) sb.append(s.charAt(k) == '\n' ? '\n' : ' ');
                sb.append(c);
                i = j + 1;
            } else if (s.startsWith("//", i)) {
                while (i < s.length() && s.charAt(i) != '\n') i++;
            } else if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                end = end < 0 ? s.length() : end + 2;
                for (int k = i; k < end; k++) if (s.charAt(k) == '\n') sb.append('\n');
                i = end;
            } else {
                sb.append(c);
                i++;
            }
        }
        return sb.toString();
    }

    @Test
    void noCommandHoldsNumericLogic() throws IOException {
        Path dir = Path.of("src/main/java/org/jetsketch/cli");
        assertTrue(Files.isDirectory(dir), "run from the cli module: " + dir.toAbsolutePath());
        List<String> all = new ArrayList<>();
        int files = 0;
        try (Stream<Path> sources = Files.list(dir)) {
            for (Path p : sources.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                all.addAll(violations(p.getFileName().toString(), Files.readString(p)));
                files++;
            }
        }
        assertTrue(files > 30, "scanned " + files + " files");
        assertEquals(List.of(), all, "numeric logic in the command line; move it into the library");
    }

    /** The rules catch what they are meant to, and not comments or strings about it. */
    @Test
    void theRulesCatchACounterExample() {
        String bad = """
                package org.jetsketch.cli;
                import org.jetsketch.jet.Jets;
                import org.jetsketch.jet.JetDomainException;
                final class Sneaky {
                    // table.re(j, 1) in a comment is fine
                    double f(org.jetsketch.predict.CoefficientTable table) {
                        String s = "Math.sqrt( in a string is fine";
                        double x = table.re(0, 1) * table.im(0, 1);
                        return Math.sqrt(x) + new org.jetsketch.train.Trainer<Object>(null, null, null).lastLoss();
                    }
                    int[] top(org.jetsketch.train.ExactInfluence.Influence i) { int[] r = i.ranking(0); java.util.Arrays.sort(r); return r; }
                    java.util.List<java.util.concurrent.Callable<double[]>> tasks; // a task list: rule 5
                }
                """;
        List<String> v = violations("Sneaky.java", bad);
        assertEquals(List.of("Sneaky.java:2: rule 1: import org.jetsketch.jet.",
                "Sneaky.java:8: rule 2: .re(", "Sneaky.java:8: rule 2: .im(",
                "Sneaky.java:9: rule 3: Math.sqrt(",
                "Sneaky.java:9: rule 4: new org.jetsketch.train.Trainer<",
                "Sneaky.java:11: rule 5: .ranking(", "Sneaky.java:11: rule 5: Arrays.sort(",
                "Sneaky.java:12: rule 5: List<java.util.concurrent.Callable<"), v);
    }
}
