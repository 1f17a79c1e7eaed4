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
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jetsketch.cli.CliTest.Result;
import org.jetsketch.sketch.StoreLock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, items 1-7: the files the command line writes and the sketch store around them. One
 * small sketch (8 training names, 2 directions, degree 2) is made once; each test damages a copy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StoreTrustTest {

    @TempDir
    static Path dir;

    Path docs;
    Path base;
    Object[] sketchArgs;

    @BeforeAll
    void makeSketch() throws IOException {
        docs = dir.resolve("docs.txt");
        Files.writeString(docs, String.join("\n", List.of("emma", "max", "alex", "xena", "liam", "noah", "ava", "zoe")));
        base = dir.resolve("base");
        ok(sketchArgs(base));
    }

    /** The sketch command with options {@code extra} (pairs) added or replacing the defaults. */
    Object[] sketchArgs(Path sketch, Object... extra) {
        java.util.LinkedHashMap<String, Object> o = new java.util.LinkedHashMap<>();
        o.put("--docs", docs);
        o.put("--sketch", sketch);
        o.put("--directions", 2);
        o.put("--degree", 2);
        o.put("--threads", 1);
        List<Object> flags = new ArrayList<>();
        for (int i = 0; i < extra.length; i++) {
            if (extra[i].equals("--json")) flags.add(extra[i]);
            else o.put((String) extra[i], extra[++i]);
        }
        List<Object> a = new ArrayList<>(List.of("sketch"));
        o.forEach((k, v) -> {
            a.add(k);
            a.add(v);
        });
        a.addAll(flags);
        return a.toArray();
    }

    /** A copy of the base sketch directory. */
    Path copy(String name) throws IOException {
        Path to = dir.resolve(name);
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(base)) {
            for (Path p : (Iterable<Path>) s::iterator) Files.copy(p, to.resolve(p.getFileName()));
        }
        return to;
    }

    static void flipByte(Path file, long at) throws IOException {
        byte[] b = Files.readAllBytes(file);
        b[(int) at] ^= 0x20;
        Files.write(file, b);
    }

    // ------------------------------------------------------------------ 1. atomic writes, run.json checksum

    /** Every file the project writes goes through AtomicFiles: no other write API in any main source. */
    @Test
    void everyOutputGoesThroughTheAtomicHelper() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        Pattern forbidden = Pattern.compile("(?<![A-Za-z])Files\\.(write|writeString|newOutputStream|newBufferedWriter)\\("
                + "|new (FileOutputStream|FileWriter|RandomAccessFile)\\(|saveBitmap\\(|StandardOpenOption\\.(WRITE|APPEND)");
        List<String> found = new ArrayList<>();
        int scanned = 0;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String rel = root.relativize(f).toString();
                if (!rel.endsWith(".java") || !rel.contains("src/main/java") || rel.contains("/target/")) continue;
                if (rel.endsWith("io/AtomicFiles.java")) continue;
                scanned++;
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = forbidden.matcher(lines.get(i));
                    // a lock file is opened for writing but never written
                    String context = (i > 0 ? lines.get(i - 1) : "") + lines.get(i);
                    if (m.find() && !context.toLowerCase().contains("lock")) found.add(rel + ":" + (i + 1) + ": "
                            + lines.get(i).strip());
                }
            }
        }
        assertTrue(scanned > 50, "scanned " + scanned + " files under " + root);
        assertEquals(List.of(), found, "write through org.jetsketch.io.AtomicFiles instead");
    }

    @Test
    void runJsonCarriesAChecksumCheckedAgainstTheStoreHeader() throws IOException {
        JsonNode run = Json.MAPPER.readTree(base.resolve("run.json").toFile());
        assertEquals("jetsketch-run/3", run.get("format").asText());
        assertEquals(16, run.get("checksum").asText().length());
        assertEquals(2, run.get("directions").asInt());
        assertTrue(run.get("sketchCommand").asText().startsWith("./jetsketch sketch --docs"), run.toString());

        // edited: a name changed
        Path edited = copy("edited");
        String text = Files.readString(edited.resolve("run.json"));
        Files.writeString(edited.resolve("run.json"), text.replace("\"xena\"", "\"xeno\""));
        Result r = fails(1, "run.json is damaged", "predict", "--sketch", edited, "--delete-indices", 1);
        assertTrue(r.err().contains("checksum does not match"), r::toString);
        assertTrue(r.err().contains("run the sketch command"), r::toString);

        // truncated (what a kill during a non-atomic write left behind)
        Path truncated = copy("truncated");
        Files.writeString(truncated.resolve("run.json"), text.substring(0, text.length() / 2));
        r = fails(1, "run.json is damaged (not valid JSON", "predict", "--sketch", truncated, "--delete-indices", 1);
        assertFalse(r.err().contains("com.fasterxml"), r::toString);
        // ... and the sketch command that made the store rewrites it, keeping the sketches
        Result again = ok(sketchArgs(truncated));
        assertFalse(again.err().contains("computing sketch"), again::toString);
        ok("predict", "--sketch", truncated, "--delete-indices", 1);

        // a valid run.json of another run next to these sketches
        Path other = dir.resolve("otherRun");
        ok(sketchArgs(other, "--seed", 7, "--directions", 1));
        Path swapped = copy("swapped");
        Files.copy(other.resolve("run.json"), swapped.resolve("run.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        fails(1, "run.json does not describe the sketches there (seed 42 in header.jss, 7 in run.json)", "predict",
                "--sketch", swapped, "--delete-indices", 1);
    }

    // ------------------------------------------------------------------ 2. resume verifies every kept file

    @Test
    void resumeVerifiesEveryKeptFileAndRecomputesTheDamagedOnes() throws IOException {
        Path d = copy("resume");
        Path sf = d.resolve("sketch-000001.jss");
        byte[] good = Files.readAllBytes(sf);
        flipByte(sf, good.length - 100); // a coefficient byte: the 36/88-byte header is intact
        Result r = ok(sketchArgs(d));
        assertTrue(r.err().contains("sketch-000001.jss") && r.err().contains("checksum mismatch"), r::toString);
        assertTrue(r.err().contains("computing sketch 1 again"), r::toString);
        assertArrayEquals(good, Files.readAllBytes(sf), "recomputed bit for bit");
        ok("verify", "--sketch", d);
    }

    // ------------------------------------------------------------------ 3. a sketch file of another run

    @Test
    void aSketchFileCopiedFromAnotherRunIsRejected() throws IOException {
        Path other = dir.resolve("seed7");
        ok(sketchArgs(other, "--seed", 7));
        Path d = copy("mixed");
        Files.copy(other.resolve("sketch-000001.jss"), d.resolve("sketch-000001.jss"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Result r = fails(1, "sketch-000001.jss", "predict", "--sketch", d, "--delete-indices", 1);
        assertTrue(r.err().contains("direction seed 7 differs") && r.err().contains("another training run"), r::toString);
        assertFalse(r.out().contains("prediction"), r::toString);
    }

    // ------------------------------------------------------------------ 4. missing sketches

    @Test
    void missingSketchesAreNamedAndCountedWithHowToRecomputeThem() throws IOException {
        Path d = copy("missing");
        Files.delete(d.resolve("sketch-000000.jss"));
        Result r = ok("predict", "--sketch", d, "--delete-indices", 1);
        assertTrue(r.err().contains("1 of 2 sketches missing") && r.err().contains("sketch-000000.jss"), r::toString);
        // the store's own resume command, not the command recorded when it was made
        assertTrue(r.err().contains("./jetsketch sketch --sketch " + d), r::toString);
        assertTrue(r.out().contains("m = 1 of 2"), r::toString);
        JsonNode j = ok("predict", "--sketch", d, "--delete-indices", 1, "--json").json();
        assertEquals("[0]", j.get("missingSketches").toString());
        assertEquals(2, j.get("sketchesExpected").asInt());
        Result v = run("verify", "--sketch", d);
        assertEquals(1, v.code(), v::toString);
        assertTrue(v.out().contains("1 of 2 sketches missing"), v::toString);
        ok(sketchArgs(d));
        ok("verify", "--sketch", d);
    }

    // ------------------------------------------------------------------ 5. one corrupt file

    @Test
    void aCorruptFileIsNamedWithTheRepairAndSkipCorruptUsesTheRest() throws IOException {
        Path d = copy("corrupt");
        Path sf = d.resolve("sketch-000001.jss");
        flipByte(sf, Files.size(sf) - 100);
        Result r = fails(1, "sketch-000001.jss", "predict", "--sketch", d, "--delete-indices", 1);
        assertTrue(r.err().contains("checksum mismatch") && r.err().contains("repair"), r::toString);
        assertTrue(r.err().contains("--skip-corrupt") && r.err().contains("jetsketch verify"), r::toString);
        assertFalse(r.err().contains("Exception"), r::toString);

        Result skip = ok("predict", "--sketch", d, "--delete-indices", 1, "--skip-corrupt");
        assertTrue(skip.err().contains("skipping 1 damaged sketch file") && skip.err().contains("sketch-000001.jss"),
                skip::toString);
        assertTrue(skip.out().contains("m = 1 of 2"), skip::toString);
        JsonNode j = ok("predict", "--sketch", d, "--delete-indices", 1, "--skip-corrupt", "--json").json();
        assertEquals(1, j.get("skippedCorruptSketches").get(0).get("index").asInt());

        Result v = run("verify", "--sketch", d);
        assertEquals(1, v.code(), v::toString);
        assertTrue(v.out().contains("1 of 2 sketches intact, 1 damaged") && v.out().contains("sketch-000001.jss"),
                v::toString);
        JsonNode vj = run("verify", "--sketch", d, "--json").json();
        assertFalse(vj.get("ok").asBoolean());
        assertEquals("coefficients", vj.get("damaged").get(0).get("section").asText());
        Result good = ok("verify", "--sketch", base);
        assertTrue(good.out().contains("every file is intact"), good::toString);
    }

    // ------------------------------------------------------------------ 6. one writer at a time

    @Test
    void aSecondWriterIsRefusedClearly() throws IOException {
        Path d = copy("locked");
        try (StoreLock held = StoreLock.acquire(d)) {
            Result r = fails(1, "is being written by another", sketchArgs(d, "--directions", 3));
            assertFalse(r.err().contains("NoSuchFileException"), r::toString);
            assertFalse(r.err().contains("training theta_0"), "refused before any work: " + r);
        }
    }

    // ------------------------------------------------------------------ 7. a run record without sketches

    @Test
    void aRunRecordWithoutSketchesDoesNotBlockANewRun() throws IOException {
        Path d = dir.resolve("failedFirst");
        Files.createDirectories(d);
        Files.copy(base.resolve("run.json"), d.resolve("run.json"));
        Files.copy(base.resolve("header.jss"), d.resolve("header.jss"));
        JsonNode j = ok(sketchArgs(d, "--steps", 5, "--json")).json();
        assertEquals(5, j.get("steps").asInt());
        assertEquals(2, j.get("directions").asInt());
        // but a directory with sketches of another run is still refused
        fails(1, "different training run", sketchArgs(d, "--steps", 6));
    }
}
