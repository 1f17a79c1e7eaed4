package org.jetsketch.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Generated code a reviewer would sign: every golden file is free of the patterns a careful
 * hand-written adjoint does not have. Each check is shown to catch a hand-made counter-example,
 * so that a check that matches nothing cannot pass for a clean file.
 */
class GeneratedCodePatternsTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    /** A pattern: what it finds in generated text, and a counter-example it must find. */
    enum Smell {
        /** {@code double max = 0.0; max = z[0];}: a default nothing reads. */
        DEFAULT_OVERWRITTEN_BEFORE_A_READ(GeneratedCodePatternsTest::defaultsOverwritten, """
                private double f(RealState ws, double[] z) {
                    double max = 0.0;
                    max = z[0];
                    return max;
                }
                """),
        /** {@code sBar = 0.0;} or {@code jets.zero(adj, s);} outside loops, with nothing after it reading the adjoint. */
        ADJOINT_STORE_NEVER_READ(GeneratedCodePatternsTest::deadAdjointStores, """
                private void fReverse(RealState ws, double result) {
                    double sBar = 0.0;
                    sBar += result;
                    ws.wBar[0] += sBar;
                    sBar = 0.0;
                }
                """),
        /** {@code final double t7Bar = g9;}, {@code jets.copy(adj, t5, adj, t6);}: a value copied under a new name. */
        COPY_CHAIN(GeneratedCodePatternsTest::copyChains, """
                private void fReverse(RealState ws, double result) {
                    final double g9 = result2Bar;
                    result2Bar = 0.0;
                    final double t7Bar = g9;
                    maxBar += t7Bar;
                }
                """),
        /** {@code if (c) a; if (!(c)) b;} instead of an if/else. */
        IF_THEN_IF_NOT(GeneratedCodePatternsTest::ifThenIfNot, """
                private void fReverse(JetState ws) {
                    if (val[max] >= z[c * S]) jets.addScaled(adj, t1, 1.0, adj, max);
                    if (!(val[max] >= z[c * S])) jets.addScaled(adj, t1, 1.0, zBar, c * S);
                }
                """),
        /** {@code jets.zero(adj, t6); jets.addScaled(adj, t5, 1.0, adj, t6);}: a copy written as two kernels. */
        ZERO_THEN_ADD_ONE(GeneratedCodePatternsTest::zeroThenAddOne, """
                private void fReverse(JetState ws) {
                    jets.zero(adj, t6);
                    jets.addScaled(adj, t5, 1.0, adj, t6);
                }
                """),
        /** {@code xBar[i] += msBar * x[i];} twice: one update of {@code 2 x[i]} written as two. */
        SAME_ADJOINT_UPDATE_TWICE(GeneratedCodePatternsTest::sameUpdateTwice, """
                private void fReverse(RealState ws) {
                    for (int i = x.length - 1; i >= 0; i--) {
                        xBar[i] += msBar * x[i];
                        xBar[i] += msBar * x[i];
                    }
                }
                """),
        /** {@code sgdForward(ws, params, null, grads, null)}: an adjoint parameter nobody uses, passed as null. */
        NULL_FOR_AN_ADJOINT_PARAMETER(GeneratedCodePatternsTest::nullArguments, """
                public void step(RealWorkspace workspace, double[] params, double[] grads) {
                    sgdForward(ws, params, null, grads, null);
                }
                """),
        /** {@code final int t3 = 3 * S;} or {@code final double[] scratch = ws.scratch;} in a jet sweep that never names it. */
        WORKSPACE_LOCAL_NEVER_READ(GeneratedCodePatternsTest::unreadWorkspaceLocals, """
                private void fForward(JetState ws, double[] x) {
                    final Jets jets = ws.jets;
                    final double[] val = ws.val;
                    final double[] scratch = ws.scratch;
                    final int S = ws.stride;
                    final int s = 2 * S;
                    final int t3 = 3 * S;
                    jets.constant(0.0, val, s);
                }
                """);

        final Function<String, List<String>> finder;
        final String counterExample;

        Smell(Function<String, List<String>> finder, String counterExample) {
            this.finder = finder;
            this.counterExample = counterExample;
        }
    }

    static List<Path> goldenFiles() throws IOException {
        try (Stream<Path> files = Files.list(GOLDEN)) {
            return files.filter(p -> p.getFileName().toString().endsWith("_Circuit.java")).sorted().toList();
        }
    }

    @ParameterizedTest
    @EnumSource(Smell.class)
    void noGoldenFileHasIt(Smell smell) throws IOException {
        List<Path> files = goldenFiles();
        assertThat(files).isNotEmpty();
        for (Path f : files) {
            List<String> found = smell.finder.apply(Files.readString(f, StandardCharsets.UTF_8));
            assertWithMessage("%s in %s", smell, f.getFileName()).that(found).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Smell.class)
    void theCheckCatchesItsCounterExample(Smell smell) {
        assertWithMessage("%s in its counter-example", smell).that(smell.finder.apply(smell.counterExample)).isNotEmpty();
    }

    @Test
    void theChecksDoNotFireOnEachOthersCounterExamplesWhereTheCodeIsRight() {
        // a read-and-clear of an adjoint before a loop's next iteration is not a copy chain
        assertThat(copyChains("""
                for (int c = n - 1; c >= 1; c--) {
                    final double g2 = maxBar;
                    maxBar = 0.0;
                    maxBar += g2;
                }
                """)).isEmpty();
        // clearing an adjoint inside a loop is read by the next iteration
        assertThat(deadAdjointStores("""
                private void fReverse(RealState ws) {
                    for (int c = n - 1; c >= 1; c--) {
                        zBar[c] += maxBar;
                        maxBar = 0.0;
                    }
                }
                """)).isEmpty();
    }

    // ---------------------------------------------------------------- the checks, over lines

    private static List<String> lines(String text) { return List.of(text.split("\n")); }

    private static int indent(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) == ' ') i++;
        return i;
    }

    private static boolean mentions(String line, String name) {
        return Pattern.compile("(?<![\\w$.])" + Pattern.quote(name) + "(?![\\w$])").matcher(line).find();
    }

    private static final Pattern DEFAULT_DECLARATION =
            Pattern.compile("^\\s*[\\w.]+(\\[\\])* ([\\w$]+)( = (null|0\\.0|0|0L|false))?;$");

    static List<String> defaultsOverwritten(String text) {
        List<String> out = new ArrayList<>();
        List<String> ls = lines(text);
        for (int i = 0; i < ls.size(); i++) {
            Matcher m = DEFAULT_DECLARATION.matcher(ls.get(i));
            if (!m.matches() || ls.get(i).trim().startsWith("return")) continue;
            String v = m.group(2);
            for (int j = i + 1; j < ls.size() && indent(ls.get(j)) == indent(ls.get(i)); j++) {
                String line = ls.get(j).trim();
                if (line.startsWith(v + " = ") && !mentions(line.substring(v.length() + 3), v)) {
                    out.add(ls.get(i).trim() + " / " + line);
                    break;
                }
                if (mentions(line, v)) break;
            }
        }
        return out;
    }

    private static final Pattern REAL_ZERO = Pattern.compile("^\\s*([\\w$]+Bar) = 0\\.0;$");
    private static final Pattern JET_ZERO = Pattern.compile("^\\s*jets\\.zero\\(adj, ([\\w$]+)\\);$");

    /**
     * Zeroings of an adjoint outside loops that no later line of the method mentions. (Inside a
     * loop the next iteration may read the cleared adjoint.)
     */
    static List<String> deadAdjointStores(String text) {
        List<String> out = new ArrayList<>();
        List<String> ls = lines(text);
        for (int i = 0; i < ls.size(); i++) {
            Matcher m = REAL_ZERO.matcher(ls.get(i));
            Matcher z = JET_ZERO.matcher(ls.get(i));
            String name = m.matches() ? m.group(1) : z.matches() ? z.group(1) : null;
            if (name == null) continue;
            int level = indent(ls.get(i));
            boolean inLoop = false;
            int header = -1;
            for (int k = i - 1; k >= 0 && header < 0; k--) {
                String l = ls.get(k);
                if (l.isBlank() || indent(l) >= level || !l.trim().endsWith("{")) continue;
                String t = l.trim();
                level = indent(l);
                if (t.startsWith("for (") || t.startsWith("while (") || t.startsWith("do ")) {
                    inLoop = true;
                } else if (!t.startsWith("if (") && !t.startsWith("}") && !t.startsWith("else") && t.contains("(")) {
                    header = k;
                }
            }
            if (inLoop || header < 0) continue;
            boolean read = false;
            for (int k = i + 1; k < ls.size() && !read; k++) {
                if (indent(ls.get(k)) == indent(ls.get(header)) && ls.get(k).trim().startsWith("}")) break;
                read = mentions(ls.get(k), name);
            }
            if (!read) out.add(ls.get(i).trim());
        }
        return out;
    }

    private static final Pattern REAL_COPY = Pattern.compile("^\\s*final double ([\\w$]+) = ([\\w$]+);$");
    private static final Pattern JET_COPY = Pattern.compile("^\\s*jets\\.copy\\(adj, ([\\w$]+), adj, ([\\w$]+)\\);$");

    static List<String> copyChains(String text) {
        List<String> out = new ArrayList<>();
        List<String> ls = lines(text);
        for (int i = 0; i < ls.size(); i++) {
            Matcher m = REAL_COPY.matcher(ls.get(i));
            Matcher j = JET_COPY.matcher(ls.get(i));
            String source = m.matches() ? m.group(2) : j.matches() ? j.group(1) : null;
            if (source == null) continue;
            String next = i + 1 < ls.size() ? ls.get(i + 1).trim() : "";
            // a read-and-clear (the source is zeroed next) is no copy chain
            boolean cleared = next.equals(source + " = 0.0;") || next.equals("jets.zero(adj, " + source + ");");
            if (!cleared) out.add(ls.get(i).trim());
        }
        return out;
    }

    static List<String> ifThenIfNot(String text) {
        List<String> out = new ArrayList<>();
        List<String> ls = lines(text);
        for (int i = 0; i + 1 < ls.size(); i++) {
            String a = ls.get(i).trim();
            String b = ls.get(i + 1).trim();
            if (!a.startsWith("if (")) continue;
            int close = closing(a, 3);
            if (close < 0) continue;
            String condition = a.substring(4, close);
            if (b.startsWith("if (!(" + condition + "))")) out.add(a + " / " + b);
        }
        return out;
    }

    private static int closing(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            if (s.charAt(i) == '(') depth++;
            if (s.charAt(i) == ')' && --depth == 0) return i;
        }
        return -1;
    }

    private static final Pattern ZERO = Pattern.compile("^\\s*jets\\.zero\\(([^)]*)\\);$");

    static List<String> zeroThenAddOne(String text) {
        List<String> out = new ArrayList<>();
        List<String> ls = lines(text);
        for (int i = 0; i + 1 < ls.size(); i++) {
            Matcher m = ZERO.matcher(ls.get(i));
            if (m.matches() && ls.get(i + 1).trim().matches("jets\\.addScaled\\(.*, 1\\.0, " + Pattern.quote(m.group(1)) + "\\);")) {
                out.add(ls.get(i).trim() + " / " + ls.get(i + 1).trim());
            }
        }
        return out;
    }

    static List<String> sameUpdateTwice(String text) {
        List<String> out = new ArrayList<>();
        List<String> ls = lines(text);
        for (int i = 0; i + 1 < ls.size(); i++) {
            String a = ls.get(i).trim();
            boolean update = a.contains(" += ") || a.contains(" -= ") || a.startsWith("jets.addScaled(")
                    || a.startsWith("jets.mulAdd(");
            if (update && a.equals(ls.get(i + 1).trim())) out.add(a);
        }
        return out;
    }

    private static final Pattern NULL_ARGUMENT = Pattern.compile("[\\w$]+\\(([^;]*[(,]\\s*)?null\\s*[,)]");

    static List<String> nullArguments(String text) {
        List<String> out = new ArrayList<>();
        for (String line : lines(text)) {
            if (NULL_ARGUMENT.matcher(line).find()) out.add(line.trim());
        }
        return out;
    }

    private static final Pattern WORKSPACE_LOCAL =
            Pattern.compile("^\\s*final (Jets|double\\[\\]|int) ([\\w$]+) = (ws\\.(jets|val|adj|scratch|stride)|\\d+ \\* S);$");

    /** A jet sweep's workspace local or frame offset that no later line of its method mentions. */
    static List<String> unreadWorkspaceLocals(String text) {
        List<String> out = new ArrayList<>();
        List<String> ls = lines(text);
        for (int i = 0; i < ls.size(); i++) {
            Matcher m = WORKSPACE_LOCAL.matcher(ls.get(i));
            if (!m.matches()) continue;
            boolean read = false;
            for (int k = i + 1; k < ls.size() && !read; k++) {
                if (indent(ls.get(k)) < indent(ls.get(i)) && ls.get(k).trim().startsWith("}")) break;
                read = mentions(ls.get(k), m.group(2));
            }
            if (!read) out.add(ls.get(i).trim());
        }
        return out;
    }
}
