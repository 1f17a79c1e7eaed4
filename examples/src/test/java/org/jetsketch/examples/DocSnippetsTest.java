package org.jetsketch.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The documents cannot rot: every code block of README.md and docs/ that follows a marker
 * {@code <!-- snippet: PATH -->} must be, character for character, the file PATH of this
 * repository (or the part of it between a line containing {@code snippet-begin} and one
 * containing {@code snippet-end}, without their common indentation). The Java files they show
 * are sources of the build, so they compile (and {@code QuickStartTest} runs the first program);
 * the pom a user copies is the one {@link StandaloneBuildTest} builds.
 */
class DocSnippetsTest {
    static final Pattern MARKER = Pattern.compile("^<!-- snippet: (\\S+) -->$");

    static Path root() {
        return Paths.get(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().getParent();
    }

    record Snippet(Path document, int line, String source, String text) {}

    /** Every marked block of README.md and docs/**.md. */
    static List<Snippet> snippets() throws IOException {
        Path root = root();
        List<Path> documents = new ArrayList<>();
        documents.add(root.resolve("README.md"));
        try (Stream<Path> docs = Files.walk(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        List<Snippet> out = new ArrayList<>();
        for (Path doc : documents) {
            List<String> lines = Files.readAllLines(doc, UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = MARKER.matcher(lines.get(i).strip());
                if (!m.matches()) continue;
                int fence = i + 1;
                while (fence < lines.size() && lines.get(fence).isBlank()) fence++;
                String where = root.relativize(doc) + ":" + (i + 1);
                assertTrue(fence < lines.size() && lines.get(fence).startsWith("```"),
                        where + ": a snippet marker must be followed by a fenced code block");
                int end = fence + 1;
                while (end < lines.size() && !lines.get(end).startsWith("```")) end++;
                assertTrue(end < lines.size(), where + ": the code block is not closed");
                out.add(new Snippet(doc, i + 1, m.group(1), String.join("\n", lines.subList(fence + 1, end))));
                i = end;
            }
        }
        return out;
    }

    /** The text a marker names: the whole file, or its snippet-begin/snippet-end region de-indented. */
    static String sourceText(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, UTF_8);
        int begin = -1;
        int end = lines.size();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("snippet-begin")) begin = i;
            else if (lines.get(i).contains("snippet-end")) end = i;
        }
        List<String> region = lines.subList(begin + 1, end);
        int indent = region.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        List<String> out = new ArrayList<>();
        for (String l : region) out.add(l.isBlank() ? "" : l.substring(indent));
        while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) out.remove(out.size() - 1);
        return String.join("\n", out);
    }

    @Test
    void everyMarkedSnippetIsItsSourceVerbatim() throws IOException {
        List<Snippet> snippets = snippets();
        assertTrue(snippets.size() >= 4, "expected at least 4 marked snippets, found " + snippets.size());
        for (Snippet s : snippets) {
            Path file = root().resolve(s.source());
            String where = root().relativize(s.document()) + ":" + s.line();
            assertTrue(Files.isRegularFile(file), where + ": no file " + s.source());
            String expected = sourceText(file);
            if (!expected.equals(s.text())) fail(where + " differs from " + s.source() + ": " + firstDifference(expected, s.text()));
        }
    }

    /** What the issue asked for by name: the README shows the pom a user copies and the first program. */
    @Test
    void theReadmeShowsTheStandalonePomAndTheFirstProgram() throws IOException {
        List<String> shown = new ArrayList<>();
        for (Snippet s : snippets()) {
            if (s.document().getFileName().toString().equals("README.md") && s.document().getParent().equals(root())) {
                shown.add(s.source());
            }
        }
        for (String required : List.of("examples/standalone/pom.xml",
                "examples/src/main/java/org/jetsketch/examples/quickstart/Logistic.java",
                "examples/src/main/java/org/jetsketch/examples/quickstart/QuickStart.java")) {
            assertTrue(shown.contains(required), "README.md shows no snippet of " + required + " (it shows " + shown + ")");
        }
    }

    /**
     * The pom a user copies pins the Surefire this build uses: Maven 3.8's default Surefire (2.12.4)
     * runs no JUnit 5 test and still reports success.
     */
    @Test
    void theStandalonePomPinsThisBuildsSurefire() throws IOException {
        String region = sourceText(root().resolve("examples/standalone/pom.xml"));
        String parent = Files.readString(root().resolve("pom.xml"), UTF_8);
        String version = pluginVersion(parent, "maven-surefire-plugin");
        assertTrue(version != null, "the parent pom pins no maven-surefire-plugin");
        assertEquals(version, pluginVersion(region, "maven-surefire-plugin"),
                "the README's pom (examples/standalone/pom.xml) must pin maven-surefire-plugin " + version);
        assertEquals(pluginVersion(parent, "maven-compiler-plugin"), pluginVersion(region, "maven-compiler-plugin"));
    }

    /** The pom a user copies registers studies with the AutoService this build uses. */
    @Test
    void theStandalonePomUsesThisBuildsAutoService() throws IOException {
        String region = sourceText(root().resolve("examples/standalone/pom.xml"));
        Matcher property = Pattern.compile("<auto-service.version>([^<]+)</auto-service.version>")
                .matcher(Files.readString(root().resolve("pom.xml"), UTF_8));
        assertTrue(property.find(), "the parent pom has no auto-service.version");
        assertEquals(property.group(1), pluginVersion(region, "auto-service-annotations"));
        assertEquals(property.group(1), pluginVersion(region, "auto-service"));
    }

    /**
     * docs/circuits.md shows the two AutoService pieces of a user's pom as fragments: each must
     * appear, line for line (indentation aside), in examples/standalone/pom.xml, which is built.
     */
    @Test
    void theXmlFragmentsOfCircuitsMdAreInTheStandalonePom() throws IOException {
        List<String> pom = Files.readAllLines(root().resolve("examples/standalone/pom.xml"), UTF_8).stream()
                .map(String::strip).toList();
        List<String> doc = Files.readAllLines(root().resolve("docs/circuits.md"), UTF_8);
        int fragments = 0;
        for (int i = 0; i < doc.size(); i++) {
            if (!doc.get(i).equals("```xml")) continue;
            int end = i + 1;
            while (!doc.get(end).startsWith("```")) end++;
            List<String> fragment = doc.subList(i + 1, end).stream().map(String::strip).toList();
            assertTrue(java.util.Collections.indexOfSubList(pom, fragment) >= 0,
                    "docs/circuits.md:" + (i + 1) + ": this fragment is not in examples/standalone/pom.xml:\n"
                            + String.join("\n", fragment));
            fragments++;
            i = end;
        }
        assertEquals(2, fragments, "the AutoService dependency and processor path");
    }

    static String pluginVersion(String pom, String artifactId) {
        Matcher m = Pattern.compile("<artifactId>" + Pattern.quote(artifactId) + "</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(pom);
        return m.find() ? m.group(1) : null;
    }

    static String firstDifference(String expected, String actual) {
        String[] e = expected.split("\n", -1);
        String[] a = actual.split("\n", -1);
        for (int i = 0; i < Math.max(e.length, a.length); i++) {
            String el = i < e.length ? e[i] : "<end of file>";
            String al = i < a.length ? a[i] : "<end of block>";
            if (!el.equals(al)) return "line " + (i + 1) + " of the snippet is\n  " + al + "\nbut the source has\n  " + el;
        }
        return "no difference";
    }
}
