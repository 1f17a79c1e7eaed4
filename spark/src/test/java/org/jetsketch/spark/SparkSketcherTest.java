package org.jetsketch.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.NotSerializableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.jetsketch.io.AtomicFiles;
import org.jetsketch.microgpt.Doc;
import org.jetsketch.sketch.Groups;
import org.jetsketch.sketch.SketchStore;
import org.jetsketch.sketch.Sketcher;
import org.jetsketch.spark.TrainingRecipe.Training;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guarantee: the store SparkSketcher writes is the local Sketcher's, file by file and byte for
 * byte (the oracle is the local Sketcher itself), whatever the tasks, partitions and retries.
 */
class SparkSketcherTest {
    @TempDir Path dir;

    static final int DEGREE = 3;

    static Sketcher<Doc> local(int directions, int perPass) {
        Training<Doc> t = TestSpark.recipe().rebuild();
        return new Sketcher<>(t.circuit(), t.data(), t.schedule()).degree(DEGREE).directions(directions).seed(5)
                .directionsPerPass(perPass).threads(2);
    }

    static SparkSketcher<Doc> spark(int directions, int perPass) {
        return new SparkSketcher<>(TestSpark.context(), TestSpark.recipe()).degree(DEGREE).directions(directions)
                .seed(5).directionsPerPass(perPass);
    }

    /** Every file of the directory, by name, with its bytes. */
    static TreeMap<String, byte[]> files(Path d) throws IOException {
        TreeMap<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(d)) {
            for (Path p : s.toList()) out.put(p.getFileName().toString(), Files.readAllBytes(p));
        }
        return out;
    }

    static void assertSameStore(Path expected, Path actual) throws IOException {
        TreeMap<String, byte[]> a = files(expected);
        TreeMap<String, byte[]> b = files(actual);
        assertEquals(a.keySet(), b.keySet(), "the same files (and no temporary or .crc file)");
        for (String name : a.keySet()) assertArrayEquals(a.get(name), b.get(name), name + " differs");
    }

    @Test
    void storeIsByteIdenticalToTheLocalSketchersWithOneTaskPerPass() throws Exception {
        local(7, 2).run(dir.resolve("local"));
        SparkSketcher.Result r = spark(7, 2).run(dir.resolve("spark").toUri().toString());
        assertEquals(4, r.tasks(), "7 directions, 2 per pass: 4 passes, one task each");
        assertEquals(7, r.computed());
        assertSameStore(dir.resolve("local"), dir.resolve("spark"));
        SketchStore opened = SketchStore.open(dir.resolve("spark"));
        opened.verifyAll();
        assertEquals(7, opened.count());
    }

    /**
     * On a file system other than the local one (HDFS, S3) the driver writes the header through
     * the Hadoop API and verifies local copies: the same store, and a resume that recomputes a
     * damaged sketch as the local Sketcher does.
     */
    @Test
    void throughAnotherFileSystemTheStoreIsTheSameAndADamagedSketchIsRecomputed() throws Exception {
        local(5, 1).run(dir.resolve("local"));
        String uri = dir.resolve("spark").toUri().toString();
        spark(3, 1).viaCopies().run(uri);
        Path victim = dir.resolve("spark").resolve(SketchStore.sketchFileName(1));
        byte[] bytes = Files.readAllBytes(victim);
        bytes[bytes.length - 9] ^= 1;
        Files.write(victim, bytes);
        List<Integer> recomputed = new java.util.ArrayList<>();
        SparkSketcher.Result r = spark(5, 1).viaCopies().progress(new org.jetsketch.sketch.SketchProgress() {
            @Override
            public void update(int done, int total, double perSecond, double etaSeconds) {}

            @Override
            public void recomputing(int index, String problem) {
                recomputed.add(index);
            }
        }).run(uri);
        assertEquals(List.of(1), recomputed);
        assertEquals(3, r.computed(), "sketches 3, 4 and the damaged 1");
        assertSameStore(dir.resolve("local"), dir.resolve("spark"));
    }

    @Test
    void groupedSketchesAreIdenticalToo() throws Exception {
        Groups byFirstLetter = Groups.byKey(TestSpark.NAMES, name -> name.substring(0, 1));
        local(4, 2).groups(byFirstLetter).run(dir.resolve("local"));
        spark(4, 2).groups(byFirstLetter).run(dir.resolve("spark").toUri().toString());
        assertSameStore(dir.resolve("local"), dir.resolve("spark"));
        assertEquals(byFirstLetter, SketchStore.open(dir.resolve("spark")).header().groups());
    }

    @Test
    void aTaskThatDiesOnItsFirstAttemptIsRetriedAndTheStoreIsStillIdentical() throws Exception {
        local(6, 1).run(dir.resolve("local"));
        int jobs = TestSpark.jobsStarted();
        SparkSketcher.Result r = spark(6, 1).tasks(2).failFirstAttemptAt(4).run(dir.resolve("spark").toUri().toString());
        assertEquals(2, r.tasks());
        assertEquals(jobs + 1, TestSpark.jobsStarted(), "one job; the failed attempt was retried within it");
        assertSameStore(dir.resolve("local"), dir.resolve("spark"));
    }

    @Test
    void sparkResumesALocalStoreAndTheLocalSketcherResumesASparkStore() throws Exception {
        local(8, 1).run(dir.resolve("local"));
        local(3, 1).run(dir.resolve("mixed"));
        SparkSketcher.Result r = spark(6, 1).run(dir.resolve("mixed").toUri().toString());
        assertEquals(3, r.computed(), "only the missing directions 3..5");
        local(8, 1).run(dir.resolve("mixed"));
        assertSameStore(dir.resolve("local"), dir.resolve("mixed"));
        SparkSketcher.Result again = spark(8, 1).run(dir.resolve("mixed").toUri().toString());
        assertEquals(0, again.computed());
        assertEquals(0, again.tasks());
    }

    @Test
    void aFailedJobLeavesAResumableStore() throws Exception {
        String uri = dir.resolve("spark").toUri().toString();
        IOException e = assertThrows(IOException.class,
                () -> spark(5, 1).tasks(5).failFirstAttemptAt(2).failAllAttempts().run(uri));
        assertTrue(e.getMessage().contains("running again computes only the missing ones"), e.getMessage());
        List<String> left = files(dir.resolve("spark")).keySet().stream()
                .filter(n -> AtomicFiles.TEMP_NAME.matcher(n).matches()).toList();
        assertEquals(List.of(), left, "no temporary file left");
        assertTrue(Files.exists(dir.resolve("spark").resolve(SketchStore.HEADER_FILE)));
        SketchStore.open(dir.resolve("spark")).verifyAll();
        spark(5, 1).run(uri);
        local(5, 1).run(dir.resolve("local"));
        assertSameStore(dir.resolve("local"), dir.resolve("spark"));
    }

    @Test
    void anUnwritableLocationFailsBeforeAnyTaskRuns() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
        int jobs = TestSpark.jobsStarted();
        IOException e = assertThrows(IOException.class,
                () -> spark(2, 1).run(file.resolve("store").toUri().toString()));
        assertTrue(e.getMessage().contains("cannot be written") && e.getMessage().contains("a-file/store"),
                e.getMessage());
        assertEquals(jobs, TestSpark.jobsStarted(), "no job started");
    }

    @Test
    void anotherRunsStoreIsRefusedNamingTheField() throws Exception {
        local(2, 1).run(dir.resolve("store"));
        IOException e = assertThrows(IOException.class, () -> new SparkSketcher<>(TestSpark.context(),
                TestSpark.recipe()).degree(2).directions(2).seed(5).run(dir.resolve("store").toUri().toString()));
        assertTrue(e.getMessage().contains("'degree'"), e.getMessage());
    }

    /** Holds something that cannot be serialized. */
    static final class Unserializable implements TrainingRecipe<Doc> {
        private static final long serialVersionUID = 1L;
        final Object lock = new Object();

        @Override
        public Training<Doc> rebuild() {
            return TestSpark.recipe().rebuild();
        }
    }

    @Test
    void aRecipeThatCannotBeSerializedFailsBeforeTheJobNamingTheClass() throws Exception {
        int jobs = TestSpark.jobsStarted();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SparkSketcher<>(TestSpark.context(), new Unserializable()).directions(2)
                        .run(dir.resolve("s").toUri().toString()));
        assertTrue(e.getMessage().contains("java.lang.Object") && e.getMessage().contains("Unserializable"),
                e.getMessage());
        assertTrue(e.getCause() instanceof NotSerializableException);
        assertEquals(jobs, TestSpark.jobsStarted());
        assertTrue(Files.notExists(dir.resolve("s")), "nothing written");
    }

    /** Rebuilds on the driver; on an executor its class path lacks a class (what a missing --jars does). */
    static final class MissingOnExecutors implements TrainingRecipe<Doc> {
        private static final long serialVersionUID = 1L;

        @Override
        public Training<Doc> rebuild() {
            if (TaskContext.get() != null) throw new NoClassDefFoundError("com/example/Tokenizer");
            return TestSpark.recipe().rebuild();
        }
    }

    @Test
    void aRecipeThatCannotBeRebuiltOnAnExecutorFailsWithOneMessageNamingTheClass() throws Exception {
        IOException e = assertThrows(IOException.class,
                () -> new SparkSketcher<>(TestSpark.context(), new MissingOnExecutors()).degree(1).directions(2)
                        .run(dir.resolve("s").toUri().toString()));
        assertTrue(e.getMessage().startsWith("cannot rebuild the training recipe"), e.getMessage());
        assertTrue(e.getMessage().contains("class com.example.Tokenizer is not on the class path"), e.getMessage());
        assertTrue(e.getMessage().contains("--jars"), e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'), "one line: " + e.getMessage());
    }

    /**
     * A local master runs executors in the driver's JVM and may hand them the driver's objects, so
     * it does not prove that the task and what it ships survive serialization: check it here.
     */
    @Test
    void whatTheTasksReceiveSurvivesJavaSerialization() throws Exception {
        JavaSparkContext sc = TestSpark.context();
        Training<Doc> t = TestSpark.recipe().rebuild();
        Sketcher<Doc> s = new Sketcher<>(t.circuit(), t.data(), t.schedule()).degree(DEGREE).seed(5);
        SparkSketcher.Job<Doc> job = new SparkSketcher.Job<>(TestSpark.recipe(),
                new SerializableConfiguration(sc.hadoopConfiguration()), "file:///tmp/x", false, DEGREE, 5, 0,
                t.circuit().initialParameters(), SparkSketcher.HeaderFields.of(s.header()), 17, -1, false);
        SparkSketcher.Job<Doc> copy = Shipping.roundTrip(job, "job");
        Training<Doc> rebuilt = copy.recipe().rebuild();
        assertEquals(s.header(), new Sketcher<>(rebuilt.circuit(), rebuilt.data(), rebuilt.schedule())
                .degree(DEGREE).seed(5).header());
        assertEquals(s.header(), copy.header().header());
        assertEquals(17, copy.runDigest());
        assertArrayEquals(job.init(), copy.init());
        assertEquals(sc.hadoopConfiguration().get("fs.defaultFS"), copy.conf().value().get("fs.defaultFS"));
        SparkSketcher.TaskRange range = new SparkSketcher.TaskRange(4, 8, new int[][] {{4, 5}, {6, 7}});
        SparkSketcher.TaskRange rangeCopy = Shipping.roundTrip(range, "task range");
        assertArrayEquals(range.passes(), rangeCopy.passes());
        var broadcast = sc.broadcast(job);
        try {
            Shipping.roundTrip(new SparkSketcher.SketchTask<>(broadcast), "task function");
        } finally {
            broadcast.destroy();
        }
    }

    @Test
    void tasksAreRangesOfWholePasses() {
        List<int[]> passes = List.of(new int[] {0, 1}, new int[] {2, 3}, new int[] {5}, new int[] {6, 7},
                new int[] {8});
        List<SparkSketcher.TaskRange> ranges = SparkSketcher.TaskRange.split(passes, 2);
        assertEquals(2, ranges.size());
        assertEquals(0, ranges.get(0).from());
        assertEquals(4, ranges.get(0).to());
        assertEquals(5, ranges.get(1).from());
        assertEquals(9, ranges.get(1).to());
        assertEquals(4 + 4, ranges.get(0).directions() + ranges.get(1).directions());
        assertEquals(5, SparkSketcher.TaskRange.split(passes, 99).size());
    }
}
