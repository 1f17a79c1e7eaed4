package org.jetsketch.cli;

import static org.jetsketch.cli.CliTest.fails;
import static org.jetsketch.cli.CliTest.ok;
import static org.jetsketch.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jetsketch.cli.CliTest.Result;
import org.jetsketch.sketch.Sketcher;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, the command-line attack list: every item that fell short, as the attacker tried it.
 * One small per-example sketch (8 training names, 2 directions, degree 2) is made once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AttackListTest {

    static final List<String> NAMES = List.of("emma", "max", "alex", "xena", "liam", "noah", "ava", "zoe");

    @TempDir
    static Path dir;

    Path docs;
    Path base;

    @BeforeAll
    void makeSketch() throws IOException {
        docs = dir.resolve("docs.txt");
        Files.writeString(docs, String.join("\n", NAMES) + "\n");
        base = dir.resolve("base");
        ok("sketch", "--docs", docs, "--sketch", base, "--directions", 2, "--degree", 2, "--threads", 1);
        makeGroupedSketch();
    }

    static boolean noJavaInside(Result r) {
        return !r.err().contains("Exception") && !r.err().contains("\tat ") && !r.err().contains("Input length");
    }

    static List<String> listing(Path d) throws IOException {
        if (!Files.exists(d)) return List.of();
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    // ------------------------------------------------------------------ long names: warned wherever read

    @Test
    void trainingNamesLongerThanTheContextAreWarnedAboutWhereverTheyAreRead() throws IOException {
        // three names that differ only past character 16 train alike: the warning names each and the context
        Path longDocs = dir.resolve("long.txt");
        List<String> names = new ArrayList<>(NAMES);
        names.addAll(List.of("abcdefghijklmnopa", "abcdefghijklmnopb", "abcdefghijklmnopc", "abcdefghijklmnop"));
        Files.writeString(longDocs, String.join("\n", names));
        Result trained = ok("train", "--docs", longDocs, "--steps", 12, "--out", dir.resolve("longTrain"));
        String warning = "warning: --docs " + longDocs + ": 4 of 12 training names have more than 15 characters, the"
                + " model's context (block_size 16 positions";
        assertTrue(trained.err().contains(warning), trained::toString);
        assertTrue(trained.err().contains("step 8 \"abcdefghijklmnopa\" (17)")
                && trained.err().contains("step 11 \"abcdefghijklmnop\" (16)"), trained::toString);

        Path longSketch = dir.resolve("longSketch");
        Result sketched = ok("sketch", "--docs", longDocs, "--steps", 12, "--sketch", longSketch, "--directions", 2,
                "--degree", 1, "--threads", 1);
        assertTrue(sketched.err().contains(warning), sketched::toString);
        // read back from run.json by the commands that read sketches, and by verify
        String fromRecord = "warning: the run in " + longSketch.resolve("run.json") + ": 4 of 12 training names";
        Result predicted = ok("predict", "--sketch", longSketch, "--delete-indices", 8);
        assertTrue(predicted.err().contains(fromRecord), predicted::toString);
        Result verified = ok("verify", "--sketch", longSketch);
        assertTrue(verified.err().contains(fromRecord), verified::toString);
        Result retrained = ok("retrain", "--docs", longDocs, "--steps", 12, "--delete-indices", 8, "--t", "1");
        assertTrue(retrained.err().contains(warning), retrained::toString);

        // names that fit (15 characters) are not warned about
        Path fits = dir.resolve("fits.txt");
        Files.writeString(fits, String.join("\n", NAMES) + "\nabcdefghijklmno\n");
        Result quiet = ok("train", "--docs", fits, "--out", dir.resolve("fitsTrain"));
        assertFalse(quiet.err().contains("warning"), quiet::toString);
    }

    // ------------------------------------------------------------------ resource limits before any file

    @Test
    void directionsAndPerPassAreBoundedBeforeAnyFileIsWritten() throws IOException {
        Path d = dir.resolve("huge");
        Result r = fails(2, "--directions must be at most 1000000, got 2147483647", "sketch", "--docs", docs, "--sketch",
                d, "--directions", Integer.MAX_VALUE);
        assertTrue(noJavaInside(r) && r.err().contains("Usage: jetsketch sketch"), r::toString);
        assertEquals(List.of(), listing(d), "nothing written");
        fails(2, "--directions must be at most 1000000", "sketch", "--docs", docs, "--sketch", d, "--directions",
                Sketcher.MAX_DIRECTIONS + 1);
        fails(2, "--per-pass must be between 1 and 1000000", "sketch", "--docs", docs, "--sketch", d, "--per-pass",
                2_000_000);

        // a pass of a million directions does not fit any heap: refused, naming the largest that fits
        Result heap = fails(2, "--per-pass 1000000: a jet pass of 1000000 directions at degree 3 holds about", "sketch",
                "--docs", docs, "--sketch", d, "--directions", 1_000_000, "--per-pass", 1_000_000, "--threads", 1);
        assertTrue(heap.err().contains("at most --per-pass ") && heap.err().contains("nothing was written"),
                heap::toString);
        assertTrue(noJavaInside(heap), heap::toString);
        assertEquals(List.of(), listing(d), "no header.jss, run.json or writer.lock");
        // the number it names fits
        String named = heap.err().replaceAll("(?s).*at most --per-pass (\\d+) fits.*", "$1");
        assertTrue(Integer.parseInt(named) >= 1, heap::toString);

        // --per-pass larger than --directions is a pass of m: it runs
        Path small = dir.resolve("wide");
        ok("sketch", "--docs", docs, "--sketch", small, "--directions", 2, "--degree", 1, "--per-pass", 1_000_000,
                "--threads", 1);
        ok("verify", "--sketch", small);

        // disk space: a million sketches of degree 100 are terabytes
        long free = Files.getFileStore(dir).getUsableSpace();
        long perSketch = 2L * 100 * 1600 * 8; // P >= 1600 for any vocabulary: 2kP doubles at least
        Assumptions.assumeTrue(free < perSketch * 1_000_000L, "this file system has " + free + " bytes free");
        Result disk = fails(1, "1000000 sketches to compute need about", "sketch", "--docs", docs, "--sketch", d,
                "--directions", 1_000_000, "--degree", 100, "--threads", 1);
        assertTrue(disk.err().contains("free; free space or ask for fewer --directions; nothing was written"),
                disk::toString);
        assertEquals(List.of(), listing(d));
    }

    @Test
    void thePassSizeEstimateMatchesItsDocumentedFigureAndTheLargestFittingPassIsTheLargest() {
        Setup setup = Setup.fromSketch(base, "--sketch");
        Sketcher<?> s = new Sketcher<>(setup.circuit, setup.data, setup.schedule).degree(3);
        // (4 + 2)·P jets of 1 + 6b doubles: for P = 4192 each direction adds 6·4192·6·8 bytes = 1.21 MB
        assertEquals(4192, setup.parameters());
        assertEquals(6L * 4192 * 6 * 8 + 2L * 8 * NAMES.size(), s.passBytes(2) - s.passBytes(1));
        long budget = 500_000_000L;
        int fits = s.largestPassFitting(budget, 2);
        assertTrue(2 * s.passBytes(fits) <= budget && 2 * s.passBytes(fits + 1) > budget, "fits " + fits);
        assertEquals(0, s.largestPassFitting(s.passBytes(1) - 1, 1));
    }

    // ------------------------------------------------------------------ an honest grouping summary

    @Test
    void aGroupingWithOneNamePerGroupIsReportedAsPerExampleAndPredictAgrees() throws IOException {
        Path groups = dir.resolve("singletons.txt");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < NAMES.size(); i++) lines.add("g" + (i + 1));
        Files.writeString(groups, String.join("\n", lines) + "\n");
        Path d = dir.resolve("singletons");
        Result r = ok("sketch", "--docs", docs, "--sketch", d, "--directions", 2, "--degree", 1, "--threads", 1,
                "--group-by", "file:" + groups);
        assertFalse(r.out().contains("G = 8"), r::toString);
        assertTrue(r.out().contains("every group holds one training name, so these are per-example sketches"),
                r::toString);
        Result p = fails(1, "are per-example (made without 'sketch --group-by', or with a grouping in which every"
                + " group holds one training name)", "predict", "--sketch", d, "--delete-groups", "g1");
        assertTrue(p.err().contains("--delete-indices"), p::toString);
        ok("predict", "--sketch", d, "--delete-indices", 0);
        JsonNode j = ok("sketch", "--docs", docs, "--sketch", d, "--directions", 2, "--degree", 1, "--threads", 1,
                "--group-by", "file:" + groups, "--json").json();
        assertTrue(j.get("groups").isNull(), j::toString);
        assertTrue(j.get("perExample").asText().contains("per-example"), j::toString);
        // a real grouping still says G
        Result g = ok("sketch", "--docs", docs, "--sketch", dir.resolve("byFirst"), "--directions", 2, "--degree", 1,
                "--threads", 1, "--group-by", "first-letter");
        assertTrue(g.out().contains("grouped by first-letter: G = 7 groups (a, e, l, m, n, x, z)"), g::toString);
    }

    // ------------------------------------------------------------------ empty paths

    @Test
    void emptyPathsAreRefused() throws IOException {
        List<String> before = listing(Path.of(""));
        Result r = fails(2, "an empty path", "sketch", "--docs", docs, "--sketch", "");
        assertTrue(r.err().contains("--sketch"), r::toString);
        fails(2, "an empty path (only spaces)", "sketch", "--docs", docs, "--sketch", "  ");
        fails(2, "an empty path", "train", "--docs", docs, "--out", "");
        fails(2, "an empty path", "train", "--docs", "");
        fails(2, "an empty path", "predict", "--sketch", base, "--delete-file", "");
        fails(2, "--group-by file:F: no file F named", "sketch", "--docs", docs, "--sketch", dir.resolve("e"),
                "--group-by", "file:");
        fails(2, "has a control character", "train", "--docs", docs, "--out", "a\nb");
        assertEquals(before, listing(Path.of("")), "nothing written into the current directory");
    }

    // ------------------------------------------------------------------ group names --delete-groups can name

    @Test
    void groupNamesAreRestrictedToWhatDeleteGroupsCanName() throws IOException {
        Object[][] cases = {
            {"x,y", "line 3 of", "the group name 'x,y' contains a comma"},
            {"a\tb", "line 3 of", "the group name 'a\\u{0009}b' contains a control character"},
            {"all", "line 3 of", "is 'all', which --delete-groups reads as every group"},
        };
        int i = 0;
        for (Object[] c : cases) {
            List<String> lines = new ArrayList<>(List.of("p", "q", (String) c[0], "p", "q", "r", "r", "p"));
            Path f = dir.resolve("groups" + i++ + ".txt");
            Files.writeString(f, String.join("\n", lines));
            Result r = fails(1, (String) c[2], "sketch", "--docs", docs, "--sketch", dir.resolve("g" + i), "--group-by",
                    "file:" + f);
            assertTrue(r.err().contains((String) c[1]) && r.err().contains("so --delete-groups could not name it"),
                    r::toString);
            assertTrue(r.err().chars().noneMatch(ch -> ch == '\t'), "no raw tab: " + r);
            assertFalse(Files.exists(dir.resolve("g" + i)), "refused before any file");
        }
        // a comma in the names themselves makes a first-letter group that cannot be named
        Path commas = dir.resolve("commas.txt");
        Files.writeString(commas, "emma\n,ax\nalex\n");
        fails(1, "group ',' contains a comma", "sketch", "--data", commas, "--docs", commas, "--sketch", dir.resolve("gc"), "--group-by",
                "first-letter");
    }

    // ------------------------------------------------------------------ one wording for unreadable files

    @Test
    void unreadableFilesAreReportedInOneWordingWithTheReason() throws IOException {
        Path latin = dir.resolve("glatin.txt");
        Files.write(latin, "p\nq\nJos\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        Path nope = dir.resolve("nope.txt");
        Path aDir = dir.resolve("aDirectory");
        Files.createDirectories(aDir);
        Path out = dir.resolve("gw");
        Object[][] cases = {
            {"--group-by file: " + latin + ": cannot read the file: not UTF-8 text: line 3, byte 0xE9 at offset 7",
                List.of("sketch", "--docs", docs, "--sketch", out, "--group-by", "file:" + latin)},
            {"--group-by file: " + nope + ": cannot read the file: no such file or directory",
                List.of("sketch", "--docs", docs, "--sketch", out, "--group-by", "file:" + nope)},
            {"--group-by file: " + aDir + ": cannot read the file: it is a directory",
                List.of("sketch", "--docs", docs, "--sketch", out, "--group-by", "file:" + aDir)},
            {"--docs " + nope + ": cannot read the file: no such file or directory",
                List.of("train", "--docs", nope)},
            {"--data " + latin + ": cannot read the file: not UTF-8 text: line 3",
                List.of("train", "--data", latin)},
            {"--init " + aDir + ": cannot read the file: it is a directory",
                List.of("train", "--docs", docs, "--init", aDir)},
            {"--delete-file " + nope + ": cannot read the file: no such file or directory",
                List.of("predict", "--sketch", base, "--delete-file", nope)},
        };
        for (Object[] c : cases) {
            Result r = fails(1, (String) c[0], ((List<?>) c[1]).toArray());
            assertTrue(noJavaInside(r), r::toString);
        }
        assertFalse(Files.exists(out), "refused before any file");
        // a malformed option value is a usage error (exit 2), as the docs say
        Result bad = fails(2, "--group-by middle-letter: not a grouping", "sketch", "--docs", docs, "--sketch", out,
                "--group-by", "middle-letter");
        assertTrue(bad.err().contains("Usage: jetsketch sketch"), bad::toString);
        // a directory that cannot be made: the reason, not a Java class
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc")));
        Result proc = fails(1, "--out /proc/jetsketch-foo: cannot create the directory (", "train", "--docs", docs,
                "--out", "/proc/jetsketch-foo");
        assertTrue(noJavaInside(proc), proc::toString);
    }

    // ------------------------------------------------------------------ control characters escaped everywhere

    @Test
    void controlCharactersInOptionValuesAreEscapedNewLinesIncluded() {
        Result m = fails(1, "--measure loss:ma\\u{000A}x: the name has characters outside the vocabulary", "predict",
                "--sketch", base, "--delete-indices", 1, "--measure", "loss:ma\nx");
        assertEquals(1, m.err().lines().filter(l -> l.contains("--measure")).count(), m::toString);
        assertFalse(m.err().contains("ma\nx"), m::toString);
        Result t = fails(1, "loss:ma\\u{0009}x", "predict", "--sketch", base, "--delete-indices", 1, "--measure",
                "loss:ma\tx");
        assertTrue(t.err().chars().noneMatch(c -> c == '\t'), t::toString);
        Result kind = fails(2, "unknown kind 'lo\\u{000A}ss'", "predict", "--sketch", base, "--delete-indices", 1,
                "--measure", "lo\nss:max");
        assertFalse(kind.err().contains("lo\nss"), kind::toString);
        Result ts = fails(2, "--t 0,\\u{000A}1x", "predict", "--sketch", base, "--delete-indices", 1, "--t", "0,\n1x");
        assertFalse(ts.err().contains("0,\n1x"), ts::toString);
        Result containing = fails(1, "--delete-containing \\u{000A}zz", "predict", "--sketch", base,
                "--delete-containing", "\nzz");
        assertFalse(containing.err().contains("\nzz"), containing::toString);
        // picocli's own messages echo the value too
        Result unknown = fails(2, "--bo\\u{000A}gus", "predict", "--sketch", base, "--bo\ngus");
        assertFalse(unknown.err().contains("--bo\ngus"), unknown::toString);
        Result groups = fails(1, "no group is named 'q\\u{000A}x'", "predict", "--sketch", dir.resolve("byFirstForGroups"),
                "--delete-groups", "q\nx");
        assertFalse(groups.err().contains("q\nx"), groups::toString);
    }

    void makeGroupedSketch() {
        ok("sketch", "--docs", docs, "--sketch", dir.resolve("byFirstForGroups"), "--directions", 2, "--degree", 1,
                "--threads", 1, "--group-by", "first-letter");
    }

    // ------------------------------------------------------------------ repair hints from the store itself

    @Test
    void repairHintsNameTheStoreWhereItIsAndItsResumeCommandWorks() throws IOException {
        Path moved = dir.resolve("moved store");
        Files.createDirectories(moved);
        for (String f : listing(base)) {
            if (f.endsWith(".jss") || f.equals("run.json")) Files.copy(base.resolve(f), moved.resolve(f));
        }
        byte[] sketch1 = Files.readAllBytes(moved.resolve("sketch-000001.jss"));
        Files.delete(moved.resolve("sketch-000001.jss"));
        String resume = "./jetsketch sketch --sketch '" + moved + "'";
        Result p = ok("predict", "--sketch", moved, "--delete-indices", 1);
        assertTrue(p.err().contains("1 of 2 sketches missing") && p.err().contains(resume), p::toString);
        assertFalse(p.err().contains(base.toString()), "the old directory is not named: " + p);
        Result v = run("verify", "--sketch", moved);
        assertEquals(1, v.code(), v::toString);
        assertTrue(v.out().contains(resume) && !v.out().contains(base.toString()), v::toString);
        // damaged: the hint is the same store-based command
        Path sf = moved.resolve("sketch-000000.jss");
        byte[] sketch0 = Files.readAllBytes(sf);
        byte[] flipped = sketch0.clone();
        flipped[flipped.length - 100] ^= 0x20;
        Files.write(sf, flipped);
        Result damaged = fails(1, "repair: run the sketch command again", "predict", "--sketch", moved,
                "--delete-indices", 1);
        assertTrue(damaged.err().contains(resume) && !damaged.err().contains(base.toString()), damaged::toString);

        // the hint's command runs as given: the run from run.json, the degree from header.jss
        Result resumed = ok("sketch", "--sketch", moved, "--threads", 1);
        assertTrue(resumed.err().contains("resuming the training run recorded in " + moved.resolve("run.json")
                + " (8 training names, seed 42), degree 2, per-example, 2 directions"), resumed::toString);
        assertArrayEquals(sketch0, Files.readAllBytes(sf), "the damaged sketch recomputed bit for bit");
        assertArrayEquals(sketch1, Files.readAllBytes(moved.resolve("sketch-000001.jss")), "the missing one too");
        ok("verify", "--sketch", moved);
    }

    @Test
    void verifyChecksTheGroupingOfRunJsonAgainstTheHeader() throws IOException {
        Path grouped = dir.resolve("byFirstForGroups");
        JsonNode record = Json.MAPPER.readTree(grouped.resolve("run.json").toFile());
        assertTrue(record.get("grouping").asText().startsWith("G = 7 groups, digest "), record::toString);
        Path swapped = dir.resolve("swappedGrouping");
        Files.createDirectories(swapped);
        for (String f : listing(base)) {
            if (f.endsWith(".jss") || f.equals("run.json")) Files.copy(base.resolve(f), swapped.resolve(f));
        }
        // same names, seed and initial parameters: only the grouping differs
        Files.copy(grouped.resolve("run.json"), swapped.resolve("run.json"), StandardCopyOption.REPLACE_EXISTING);
        Result v = run("verify", "--sketch", swapped);
        assertEquals(1, v.code(), v::toString);
        assertTrue(v.out().contains("run.json does not describe the sketches there (grouping per-example in header.jss,"
                + " G = 7 groups"), v::toString);
        fails(1, "grouping per-example in header.jss", "predict", "--sketch", swapped, "--delete-indices", 1);
    }

    // ------------------------------------------------------------------ a full disk: the file and what is intact

    @Test
    void aWriteThatFailsNamesTheFileAndWhatIsIntact() throws IOException {
        Path d = dir.resolve("full");
        Files.createDirectories(d);
        for (String f : listing(base)) Files.copy(base.resolve(f), d.resolve(f));
        IOException full = new IOException("cannot write " + d.resolve("sketch-000002.jss") + ": No space left on"
                + " device; it was not created (only a temporary file was written, and it is removed)");
        String message = Experiments.stoppedWriting(d, full).getMessage();
        assertTrue(message.startsWith("sketching into " + d + " stopped: cannot write " + d.resolve("sketch-000002.jss")
                + ": No space left on device"), message);
        assertTrue(message.contains("intact: the 2 sketch files stored in " + d), message);
        assertTrue(message.contains("./jetsketch sketch --sketch " + d), message);
        // an I/O error without a message of its own: the file and the reason, never the class
        assertEquals(d + ": no such file or directory",
                Main.userMessage(new java.nio.file.NoSuchFileException(d.toString())));
        assertEquals("No space left on device", Main.userMessage(new IOException("No space left on device")));
        assertEquals(d + ": permission denied", Main.userMessage(new java.io.UncheckedIOException(
                new java.nio.file.AccessDeniedException(d.toString()))));
    }
}
