package org.jetsketch.testing;

import static org.jetsketch.testing.ExactAssertionsTest.DATA;
import static org.jetsketch.testing.ExactAssertionsTest.LINE;
import static org.jetsketch.testing.ExactAssertionsTest.OUTLIERS;
import static org.jetsketch.testing.ExactAssertionsTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.jetsketch.predict.Prediction;
import org.jetsketch.sketch.SketchStore;
import org.jetsketch.train.Dataset;
import org.jetsketch.train.Schedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sketch cache: reuse, recomputation on every change of what determines the sketches, concurrency. */
class SketchCacheTest {
    @TempDir Path root;

    static final Schedule SCHEDULE = Schedule.fullBatch(DATA.size(), LineOracle.STEPS);

    private Deletions<Line.Point> deletions(SketchCache cache, Line_Circuit circuit, List<Line.Point> data) {
        return Deletions.of(circuit, data, SCHEDULE).directions(16).cache(cache);
    }

    private static Prediction predict(Deletions<Line.Point> d, Line_Circuit circuit) {
        return d.estimator(circuit.slope()).predictDeletion(OUTLIERS);
    }

    private List<Path> storeDirectories() throws Exception {
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).toList();
        }
    }

    @Test
    void aSecondRunReusesTheSketchesBitForBit() throws Exception {
        SketchCache first = SketchCache.at(root);
        Prediction a = predict(deletions(first, LINE, DATA), LINE);
        assertEquals(1, first.computed());
        assertEquals(0, first.reused());
        // a new cache object over the same directory: what the next `mvn test` sees
        SketchCache second = SketchCache.at(root);
        Prediction b = predict(deletions(second, LINE, DATA), LINE);
        assertEquals(0, second.computed());
        assertEquals(1, second.reused());
        assertEquals(a.mean(3), b.mean(3), 0.0);
        assertEquals(a.standardError(3), b.standardError(3), 0.0);
        List<Path> dirs = storeDirectories();
        assertEquals(1, dirs.size(), dirs.toString());
        String key = Files.readString(dirs.get(0).resolve(SketchCache.KEY_FILE));
        assertContains(key, "circuit: org.jetsketch.testing.Line", "data sha-256: ", "schedule: full-batch n=20 steps=200",
                "initial parameters sha-256: ", "trained parameters sha-256: ", "direction seed: 1", "degree: 3",
                "directions: 16", "code and layout fingerprint: ");
        assertTrue(dirs.get(0).getFileName().toString().startsWith("Line-"), dirs.toString());
        // the store's own header records the data's identity (its first 64 bits)
        String sha = ExampleDigest.of(Dataset.of(DATA), null);
        assertEquals(Long.parseUnsignedLong(sha.substring(0, 16), 16), SketchStore.open(dirs.get(0)).header().dataDigest());
    }

    @Test
    void changingDataSeedDegreeDirectionsOrHyperparametersRecomputes() throws Exception {
        SketchCache cache = SketchCache.at(root);
        predict(deletions(cache, LINE, DATA), LINE);
        List<Line.Point> moved = new ArrayList<>(DATA);
        moved.set(3, new Line.Point(DATA.get(3).x(), DATA.get(3).y() + 1e-9));
        predict(deletions(cache, LINE, moved), LINE);
        predict(deletions(cache, LINE, DATA).seed(2), LINE);
        predict(deletions(cache, LINE, DATA).degree(2), LINE);
        predict(deletions(cache, LINE, DATA).directions(17), LINE);
        predict(deletions(cache, LINE, DATA).initialParameters(new double[] {0.1, 0}), LINE);
        // same generated code, another step size held in an instance field: θ_0 differs
        Line_Circuit slower = new Line_Circuit(new Line(0.4));
        predict(deletions(cache, slower, DATA), slower);
        assertEquals(7, cache.computed());
        assertEquals(0, cache.reused());
        assertEquals(7, storeDirectories().size());
        predict(deletions(cache, LINE, moved), LINE);
        assertEquals(1, cache.reused());
    }

    @Test
    void aDamagedStoreIsMadeAgain() throws Exception {
        SketchCache cache = SketchCache.at(root);
        Prediction a = predict(deletions(cache, LINE, DATA), LINE);
        Path dir = storeDirectories().get(0);
        Files.delete(dir.resolve(SketchStore.sketchFileName(5)));
        Prediction b = predict(deletions(SketchCache.at(root), LINE, DATA), LINE);
        assertEquals(a.mean(3), b.mean(3), 0.0);
        assertTrue(Files.exists(dir.resolve(SketchStore.sketchFileName(5))));
    }

    /** Eight threads, each with its own cache object on one directory: one computation, one store. */
    @Test
    void parallelTestClassesShareOneComputation() throws Exception {
        int threads = 8;
        List<SketchCache> caches = new ArrayList<>();
        List<Callable<Double>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            SketchCache c = SketchCache.at(root);
            caches.add(c);
            tasks.add(() -> predict(deletions(c, LINE, DATA).threads(1), LINE).mean(3));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Double> means = new ArrayList<>();
            for (Future<Double> f : pool.invokeAll(tasks)) means.add(f.get());
            for (double m : means) assertEquals(means.get(0), m, 0.0);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, caches.stream().mapToLong(SketchCache::computed).sum());
        assertEquals(threads - 1, caches.stream().mapToLong(SketchCache::reused).sum());
        assertEquals(1, storeDirectories().size());
        try (Stream<Path> s = Files.list(root)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary directory left");
        }
    }

    /** Two JVMs racing for one key: the file lock lets exactly one of them sketch. */
    @Test
    void twoProcessesShareOneComputation() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> processes = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            processes.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    CacheRace.class.getName(), root.toString()).redirectErrorStream(true).start());
        }
        int computed = 0;
        for (Process p : processes) {
            String out = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.waitFor(), out);
            assertTrue(out.startsWith("computed ") , out);
            computed += Integer.parseInt(out.trim().split(" ")[1]);
        }
        assertEquals(1, computed);
        assertEquals(1, storeDirectories().size());
    }

    /** The main of {@link #twoProcessesShareOneComputation}: prints "computed N". */
    static final class CacheRace {
        public static void main(String[] args) {
            SketchCache cache = SketchCache.at(Path.of(args[0]));
            Line_Circuit circuit = new Line_Circuit(new Line(LineOracle.LEARNING_RATE));
            Deletions.of(circuit, LineOracle.data(), SCHEDULE).directions(24).threads(1).cache(cache)
                    .estimator(circuit.slope());
            System.out.println("computed " + cache.computed());
        }
    }

    @Test
    void examplesAreDigestedByContent() {
        String a = ExampleDigest.of(Dataset.of(DATA), null);
        assertEquals(a, ExampleDigest.of(Dataset.of(LineOracle.data()), null));
        record Row(double[] x, String tag) {}
        assertEquals(ExampleDigest.of(Dataset.of(List.of(new Row(new double[] {1, 2}, "a"))), null),
                ExampleDigest.of(Dataset.of(List.of(new Row(new double[] {1, 2}, "a"))), null));
        assertNotEquals(ExampleDigest.of(Dataset.of(List.of(new Row(new double[] {1, 2}, "a"))), null),
                ExampleDigest.of(Dataset.of(List.of(new Row(new double[] {1, 3}, "a"))), null));
        Object opaque = new Object();
        assertContains(assertThrows(IllegalArgumentException.class,
                () -> ExampleDigest.of(Dataset.of(List.of(opaque)), null)).getMessage(),
                "cannot digest example 0", "java.lang.Object", "Deletions.exampleKey");
        assertEquals(ExampleDigest.of(Dataset.of(List.of(opaque)), e -> "fixed"),
                ExampleDigest.of(Dataset.of(List.of(new Object())), e -> "fixed"));
    }
}
