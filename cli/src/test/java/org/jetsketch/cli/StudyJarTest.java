package org.jetsketch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.io.AtomicFiles;
import org.jetsketch.predict.ExactDirection;
import org.jetsketch.study.Problem;
import org.jetsketch.study.Studies;
import org.jetsketch.study.StudyInput;
import org.jetsketch.train.Trainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A study the command line has never seen: the user's project of docs/circuits.md
 * (examples/standalone: {@code PoissonRegression}, its example record and {@code CountsStudy})
 * compiled here in a separate step with the processors a user's build runs (the circuit compiler
 * and AutoService, on the processor path), packed into a jar in a temporary directory with the
 * {@code META-INF/services} entry AutoService wrote, and run by {@link Main} with
 * {@code --classpath <jar> --study counts --data <csv>}: sketch, then predict, the JSON checked
 * against the same study loaded from the jar and trained here (f(0) and retraining).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StudyJarTest {

    @TempDir
    static Path dir;

    Path jar;
    Path csv;

    static final int ROWS = 40;

    @BeforeAll
    void compileThePackAndTheData() throws IOException {
        Path sources = Path.of(System.getProperty("user.dir")).getParent()
                .resolve("examples/standalone/src/main/java/com/example/counts");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        compile(sources, classes);
        assertTrue(Files.isRegularFile(classes.resolve("com/example/counts/PoissonRegression_Circuit.class")),
                "the circuit compiler generated and compiled PoissonRegression_Circuit");
        Path services = classes.resolve("META-INF/services/org.jetsketch.study.Study");
        assertEquals("com.example.counts.CountsStudy", Files.readString(services).strip(), "AutoService's entry");
        jar = dir.resolve("lib/counts.jar");
        Files.createDirectories(jar.getParent());
        pack(classes, jar);
        csv = dir.resolve("data/counts.csv");
        Files.createDirectories(csv.getParent());
        AtomicFiles.writeString(csv, counts());
    }

    /** javac with the test class path as class path and processor path, and the two processors named. */
    static void compile(Path sourceDir, Path out) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "a JDK's compiler");
        String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<Path> files;
        try (Stream<Path> s = Files.list(sourceDir)) {
            files = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        assertEquals(3, files.size(), "Count, PoissonRegression, CountsStudy in " + sourceDir);
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = List.of("--release", "17", "-classpath", path, "-processorpath", path,
                    "-processor", "org.jetsketch.processor.CircuitProcessor,com.google.auto.service.processor.AutoServiceProcessor",
                    "-proc:full", "-d", out.toString(), "-s", Files.createDirectories(out.resolveSibling("generated")).toString());
            StringWriter log = new StringWriter();
            boolean ok = javac.getTask(log, fm, diagnostics, options, null, fm.getJavaFileObjectsFromPaths(files)).call();
            assertTrue(ok, "compilation failed: " + log + diagnostics.getDiagnostics());
        }
    }

    /** The classes directory as a jar (entries in a fixed order). */
    static void pack(Path classes, Path jar) throws IOException {
        List<Path> entries;
        try (Stream<Path> s = Files.walk(classes)) {
            entries = s.filter(Files::isRegularFile).sorted().toList();
        }
        AtomicFiles.writeStream(jar, out -> {
            // finished, not closed: AtomicFiles forces and closes the file itself
            JarOutputStream j = new JarOutputStream(out);
            for (Path f : entries) {
                j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
                j.write(Files.readAllBytes(f));
                j.closeEntry();
            }
            j.finish();
        });
    }

    /**
     * 40 counts from two sources: x0, x1 on a grid-like pattern, events Poisson with rate
     * exp(0.3 + 0.7 x0 − 0.4 x1) (seed 7); the last four rows are a burst of 9 to 12 events.
     */
    static String counts() {
        Random r = new Random(7);
        StringBuilder b = new StringBuilder("record,source,x0,x1,events\n");
        for (int i = 0; i < ROWS; i++) {
            double x0 = Math.round(Math.sin(1.3 * i) * 100) / 100.0;
            double x1 = Math.round(Math.cos(0.7 * i) * 100) / 100.0;
            int events = i >= ROWS - 4 ? 9 + r.nextInt(4) : poisson(Math.exp(0.3 + 0.7 * x0 - 0.4 * x1), r);
            b.append(String.format(Locale.ROOT, "r%02d,%s,%.2f,%.2f,%d\n", i, i % 2 == 0 ? "north" : "south", x0, x1,
                    events));
        }
        return b.toString();
    }

    static int poisson(double rate, Random r) {
        double limit = Math.exp(-rate);
        double p = r.nextDouble();
        int k = 0;
        while (p > limit) {
            p *= r.nextDouble();
            k++;
        }
        return k;
    }

    /** The study as the command line finds it: from the jar, through ServiceLoader. */
    Problem<?> loadFromTheJar() throws IOException {
        URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, getClass().getClassLoader());
        return Studies.find("counts", loader).load(StudyInput.of(csv, 42, null, Map.of()));
    }

    @SuppressWarnings("unchecked")
    static <E> double trainAndMeasure(Problem<E> problem, String spec, double[] w) {
        Trainer<E> trainer = new Trainer<>(problem.circuit(), problem.data(), problem.schedule());
        BoundMeasurement m = problem.measurement(spec).bound();
        return trainer.measure(m, trainer.train(problem.initialParameters(), w));
    }

    @Test
    void sketchThenPredictFromTheJar() throws IOException {
        Path sketch = dir.resolve("sketch");
        JsonNode s = CliTest.ok("sketch", "--classpath", jar, "--study", "counts", "--data", csv, "--sketch", sketch,
                "--directions", 6, "--degree", 3, "--json").json();
        // sketch's JSON gives n as "examples" and the schedule's length as "steps" (CountsStudy: 150 full-batch steps)
        assertEquals(ROWS, s.get("examples").asInt(), s.toString());
        assertEquals(150, s.get("steps").asInt(), s.toString());
        assertEquals(3, s.get("degree").asInt());
        assertEquals(6, s.get("directions").asInt());

        String spec = "expectedCount:0,0";
        int[] burst = {ROWS - 4, ROWS - 3, ROWS - 2, ROWS - 1};
        JsonNode p = CliTest.ok("predict", "--classpath", jar, "--study", "counts", "--sketch", sketch,
                "--measure", spec, "--delete-indices", (ROWS - 4) + "-" + (ROWS - 1), "--json").json();
        Problem<?> problem = loadFromTheJar();
        double f0 = trainAndMeasure(problem, spec, null);
        assertEquals(f0, p.get("f0").asDouble(), 1e-12 * Math.abs(f0), p.toString());
        double retrained = trainAndMeasure(problem, spec, ExactDirection.indicator(ROWS, burst));
        JsonNode degrees = p.get("predictions").get(0).get("degrees");
        JsonNode last = degrees.get(degrees.size() - 1);
        assertEquals(3, last.get("degree").asInt(), degrees.toString());
        double change = retrained - f0;
        assertTrue(Math.abs(change) > 0.05, "deleting the burst matters: " + change);
        // the degree-3 sketch estimate: within 3 standard errors of retraining
        double error = Math.abs(last.get("mean").asDouble() - retrained);
        assertTrue(error < 3 * last.get("standardError").asDouble(), "degree 3 off by " + error + ": " + last);
    }

    @Test
    void groupedByAColumnOfTheFile() throws IOException {
        Path sketch = dir.resolve("grouped");
        JsonNode s = CliTest.ok("sketch", "--classpath", jar, "--study", "counts", "--data", csv, "--sketch", sketch,
                "--directions", 4, "--degree", 2, "--group-by", "column:source", "--json").json();
        assertEquals(2, s.get("groups").asInt(), s.toString());
        JsonNode p = CliTest.ok("predict", "--classpath", jar, "--study", "counts", "--sketch", sketch,
                "--measure", "expectedCount:0,0", "--delete-groups", "south", "--json").json();
        Problem<?> problem = loadFromTheJar();
        double f0 = trainAndMeasure(problem, "expectedCount:0,0", null);
        assertEquals(f0, p.get("f0").asDouble(), 1e-12 * Math.abs(f0), p.toString());
    }

    @Test
    void withoutTheJarTheStudyIsNotFoundAndBadDataIsNamedByLineAndColumn() throws IOException {
        CliTest.fails(1, "--study counts: no such study", "sketch", "--study", "counts", "--data", csv, "--sketch",
                dir.resolve("none"), "--directions", 2);
        Path bad = dir.resolve("data/bad.csv");
        AtomicFiles.writeString(bad, "record,source,x0,x1,events\nr00,north,0.1,0.2,3\nr01,south,0.3,x,2\n");
        CliTest.fails(1, bad + " line 3, column 'x1' (#4): 'x' is not a number", "sketch", "--classpath", jar,
                "--study", "counts", "--data", bad, "--sketch", dir.resolve("bad"), "--directions", 2);
        assertTrue(!Files.exists(dir.resolve("bad").resolve("run.json")), "nothing written for bad data");
    }
}
