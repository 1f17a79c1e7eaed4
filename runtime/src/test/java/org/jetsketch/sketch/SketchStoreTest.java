package org.jetsketch.sketch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class SketchStoreTest {

    @TempDir
    Path tmp;

    private static final long DATA = 0x1111_2222_3333_4444L;
    private static final long INIT = 0x5555_6666_7777_8888L;

    /** A header with the test's data and initial-parameter digests. */
    private static StoreHeader hdr(String name, long fingerprint, int n, int p, int k, long seed, String schedule) {
        return new StoreHeader(name, fingerprint, n, p, k, seed, DATA, INIT, schedule);
    }

    private static final StoreHeader HEADER = hdr("Mlp·ünïcode", 0x1234_5678_9ABC_DEF0L, 100, 5, 3,
            -99L, "sgd lr=0.1 steps=1000 batch=8 seed=7");

    private static double[] theta0(int p, long seed) {
        Random r = new Random(seed);
        double[] t = new double[p];
        for (int i = 0; i < p; i++) t[i] = r.nextGaussian();
        return t;
    }

    private static double[] sketch(StoreHeader h, int index) {
        Random r = new Random(1000 + index);
        double[] c = new double[h.coefficientLength()];
        for (int i = 0; i < c.length; i++) c[i] = r.nextGaussian() * Math.pow(10, r.nextInt(20) - 10);
        return c;
    }

    private Path dir(String name) {
        return tmp.resolve(name);
    }

    // ------------------------------------------------------------------------------------------

    @Test
    void roundTrip() throws IOException {
        Path d = dir("store");
        double[] t0 = theta0(5, 1);
        SketchStore s = SketchStore.create(d, HEADER, t0);
        assertEquals(0, s.count());
        for (int j : new int[] {7, 0, 123456, 3}) s.write(j, sketch(HEADER, j));
        assertArrayEquals(new int[] {0, 3, 7, 123456}, s.indices());
        assertTrue(Files.exists(d.resolve("sketch-000007.jss")));
        assertTrue(Files.exists(d.resolve("sketch-123456.jss")));

        SketchStore r = SketchStore.open(d);
        assertEquals(HEADER, r.header());
        assertArrayEquals(t0, r.theta0(), 0.0);
        assertArrayEquals(new int[] {0, 3, 7, 123456}, r.indices());
        assertEquals(4, r.count());
        assertTrue(r.contains(7));
        assertFalse(r.contains(8));
        for (int j : r.indices()) {
            double[] out = new double[HEADER.coefficientLength()];
            r.read(j, out);
            assertArrayEquals(sketch(HEADER, j), out, 0.0, "sketch " + j);
        }
        r.verifyAll();
        assertArrayEquals(Directions.direction(-99L, 7, 100), r.direction(7), 0.0);
        // index above 999999 keeps all digits
        s.write(1_234_567, sketch(HEADER, 1));
        assertTrue(Files.exists(d.resolve("sketch-1234567.jss")));
        assertTrue(SketchStore.open(d).contains(1_234_567));
        // theta0() is a copy
        r.theta0()[0] = 42;
        assertArrayEquals(t0, r.theta0(), 0.0);
    }

    @Test
    void openChecksCircuitNameAndFingerprint() throws IOException {
        Path d = dir("store");
        SketchStore.create(d, HEADER, theta0(5, 1));
        SketchStore.open(d, HEADER.circuitName(), HEADER.fingerprint());
        SketchStoreException e = assertThrows(SketchStoreException.class,
                () -> SketchStore.open(d, "OtherCircuit", HEADER.fingerprint()));
        assertMessage(e, "metadata", "OtherCircuit");
        e = assertThrows(SketchStoreException.class, () -> SketchStore.open(d, HEADER.circuitName(), 77L));
        assertMessage(e, "metadata", "fingerprint", "0x000000000000004d");
    }

    @Test
    void resumeKeepsExistingSketchesAndAddsMore() throws IOException {
        Path d = dir("store");
        double[] t0 = theta0(5, 1);
        SketchStore a = SketchStore.create(d, HEADER, t0);
        a.write(0, sketch(HEADER, 0));
        a.write(1, sketch(HEADER, 1));
        a.close();
        SketchStore b = SketchStore.create(d, HEADER, t0.clone());
        assertArrayEquals(new int[] {0, 1}, b.indices());
        b.write(2, sketch(HEADER, 2));
        b.write(1, sketch(HEADER, 1));
        assertArrayEquals(new int[] {0, 1, 2}, b.indices());
        SketchStore c = SketchStore.open(d);
        assertArrayEquals(new int[] {0, 1, 2}, c.indices());
        assertArrayEquals(sketch(HEADER, 2), c.read(2), 0.0);
        // refresh picks up what another instance wrote
        b.write(9, sketch(HEADER, 9));
        assertFalse(c.contains(9));
        c.refresh();
        assertArrayEquals(new int[] {0, 1, 2, 9}, c.indices());
    }

    @Test
    void createOverDifferentStoreNamesTheField() throws IOException {
        Path d = dir("store");
        double[] t0 = theta0(5, 1);
        try (SketchStore s = SketchStore.create(d, HEADER, t0)) {
            s.write(0, sketch(HEADER, 0));
        }
        StoreHeader h = HEADER;
        List<Object[]> cases = List.of(
                new Object[] {hdr("X", h.fingerprint(), 100, 5, 3, -99L, h.schedule()), "circuitName"},
                new Object[] {hdr(h.circuitName(), 1L, 100, 5, 3, -99L, h.schedule()), "fingerprint"},
                new Object[] {hdr(h.circuitName(), h.fingerprint(), 101, 5, 3, -99L, h.schedule()), "examples"},
                new Object[] {hdr(h.circuitName(), h.fingerprint(), 100, 5, 4, -99L, h.schedule()), "degree"},
                new Object[] {hdr(h.circuitName(), h.fingerprint(), 100, 5, 3, 5L, h.schedule()), "directionSeed"},
                new Object[] {hdr(h.circuitName(), h.fingerprint(), 100, 5, 3, -99L, "adam"), "schedule"},
                new Object[] {new StoreHeader(h.circuitName(), h.fingerprint(), 100, 5, 3, -99L, 7L, INIT, h.schedule()),
                    "dataDigest"},
                new Object[] {new StoreHeader(h.circuitName(), h.fingerprint(), 100, 5, 3, -99L, DATA, 7L, h.schedule()),
                    "initialDigest"});
        for (Object[] c : cases) {
            SketchStoreException e = assertThrows(SketchStoreException.class,
                    () -> SketchStore.create(d, (StoreHeader) c[0], t0));
            assertMessage(e, "metadata", "'" + c[1] + "'");
        }
        StoreHeader p6 = hdr(h.circuitName(), h.fingerprint(), 100, 6, 3, -99L, h.schedule());
        SketchStoreException e = assertThrows(SketchStoreException.class,
                () -> SketchStore.create(d, p6, theta0(6, 1)));
        assertMessage(e, "metadata", "'parameters'", "5", "6");
        double[] other = t0.clone();
        other[3] += 1e-15;
        e = assertThrows(SketchStoreException.class, () -> SketchStore.create(d, HEADER, other));
        assertMessage(e, "theta0", "parameter 3");
        // every refusal released the lock: the right run still opens for writing
        SketchStore.create(d, HEADER, t0).close();
    }

    @Test
    void aHeaderWithoutSketchesDoesNotBlockAnotherRun() throws IOException {
        Path d = dir("store");
        SketchStore.create(d, HEADER, theta0(5, 1)).close(); // a run that failed before its first sketch
        StoreHeader other = hdr(HEADER.circuitName(), HEADER.fingerprint(), 100, 5, 3, 12345L, HEADER.schedule());
        try (SketchStore s = SketchStore.create(d, other, theta0(5, 2))) {
            assertEquals(other, s.header());
            s.write(0, sketch(other, 0));
        }
        assertEquals(12345L, SketchStore.open(d).header().directionSeed());
        // and a header that cannot be read at all, without sketches, is replaced too
        Path e = dir("damagedHeader");
        Files.createDirectories(e);
        Files.write(e.resolve("header.jss"), new byte[] {1, 2, 3});
        SketchStore.create(e, HEADER, theta0(5, 1)).close();
        assertEquals(HEADER, SketchStore.open(e).header());
    }

    // ------------------------------------------------------------------------------------------
    // Corruption of header.jss

    private Path storeWithOneSketch() throws IOException {
        Path d = dir("store");
        try (SketchStore s = SketchStore.create(d, HEADER, theta0(5, 1))) {
            s.write(4, sketch(HEADER, 4));
        }
        return d;
    }

    private static int metadataLength() {
        return 52 + HEADER.circuitName().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                + HEADER.schedule().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    @Test
    void headerFileLayoutIsAsDocumented() throws IOException {
        Path d = storeWithOneSketch();
        byte[] b = Files.readAllBytes(d.resolve("header.jss"));
        int l = metadataLength();
        assertEquals(24 + l + 8 * 5, b.length);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals('J', b[0]);
        assertEquals('H', b[3]);
        assertEquals(2, bb.getInt(8));
        assertEquals(l, bb.getInt(12));
        assertEquals(HEADER.fingerprint(), bb.getLong(16));
        assertEquals(100, bb.getInt(24));
        assertEquals(5, bb.getInt(28));
        assertEquals(3, bb.getInt(32));
        assertEquals(-99L, bb.getLong(36));
        assertEquals(DATA, bb.getLong(44));
        assertEquals(INIT, bb.getLong(52));
        assertEquals(crc(b, 12, 4 + l), bb.getInt(16 + l));
        assertEquals(theta0(5, 1)[0], bb.getDouble(20 + l));
        assertEquals(crc(b, 20 + l, 40), bb.getInt(20 + l + 40));
        byte[] s = Files.readAllBytes(d.resolve("sketch-000004.jss"));
        assertEquals(92 + 16 * 3 * 5, s.length);
        ByteBuffer sb = ByteBuffer.wrap(s).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals('S', s[3]);
        assertEquals(2, sb.getInt(8));
        assertEquals(88, sb.getInt(12));
        assertEquals(HEADER.fingerprint(), sb.getLong(16));
        assertEquals(-99L, sb.getLong(24));
        assertEquals(DATA, sb.getLong(32));
        assertEquals(INIT, sb.getLong(40));
        // the run digest: the first 8 bytes of SHA-256 of header.jss, little-endian (oracle: the JDK's SHA-256)
        long sha = ByteBuffer.wrap(sha256(b), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(sha, sb.getLong(48));
        assertEquals(sha, SketchStore.open(d).runDigest());
        assertEquals(100, sb.getInt(56));
        assertEquals(5, sb.getInt(60));
        assertEquals(3, sb.getInt(64));
        assertEquals(4, sb.getInt(68));
        assertEquals(Double.POSITIVE_INFINITY, sb.getDouble(72));
        assertEquals(0, sb.getInt(80));
        assertEquals(crc(s, 0, 84), sb.getInt(84));
        double[] c = sketch(HEADER, 4);
        assertEquals(c[0], sb.getDouble(88));
        assertEquals(c[c.length - 1], sb.getDouble(88 + 8 * (c.length - 1)));
        assertEquals(crc(s, 88, 8 * c.length), sb.getInt(88 + 8 * c.length));
        // the encoder is a pure function giving exactly these bytes
        assertArrayEquals(s, SketchFormat.sketchBytes(HEADER, sha, 4, BranchSwitch.NONE, c));
        java.io.ByteArrayOutputStream hb = new java.io.ByteArrayOutputStream();
        SketchFormat.writeHeader(HEADER, theta0(5, 1), hb);
        assertArrayEquals(b, hb.toByteArray());
        assertEquals(sha, SketchFormat.runDigest(HEADER, theta0(5, 1)));
    }

    private static byte[] sha256(byte[] b) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void branchSwitchBoundRoundTripsThroughTheSketchHeader() throws IOException {
        Path d = dir("store");
        BranchSwitch b = new BranchSwitch(0.025, "Huber.java:42");
        try (SketchStore s = SketchStore.create(d, HEADER, theta0(5, 1))) {
            s.write(1, sketch(HEADER, 1), b);
            s.write(2, sketch(HEADER, 2));
            assertEquals(b, s.branchSwitch(1));
        }
        SketchStore r = SketchStore.open(d);
        assertEquals(b, r.branchSwitch(1));
        assertEquals(BranchSwitch.NONE, r.branchSwitch(2));
        assertArrayEquals(sketch(HEADER, 1), r.read(1), 0.0);
        assertEquals(92 + 13 + 16 * 3 * 5, Files.size(d.resolve("sketch-000001.jss")));
        expectIae(() -> new BranchSwitch(Double.NaN, ""), "NaN");
        expectIae(() -> new BranchSwitch(-1, ""), "-1");
    }

    @Test
    void headerCorruptionIsDetectedWithTheSectionNamed() throws IOException {
        Path d = storeWithOneSketch();
        Path hf = d.resolve("header.jss");
        byte[] good = Files.readAllBytes(hf);
        int l = metadataLength();

        expectHeaderFailure(d, good, flip(good, 2), "preamble", "wrong magic");
        expectHeaderFailure(d, good, putInt(good, 8, 3), "preamble", "unsupported format version 3");
        expectHeaderFailure(d, good, putInt(good, 8, 1), "preamble", "format version 1", "re-sketch");
        for (int at : new int[] {16, 25, 40, 16 + l - 1}) {
            expectHeaderFailure(d, good, flip(good, at), "metadata", "checksum mismatch");
        }
        expectHeaderFailure(d, good, flip(good, 16 + l + 1), "metadata", "checksum mismatch"); // the CRC itself
        expectHeaderFailure(d, good, putInt(good, 12, l - 1), "metadata", "checksum mismatch");
        expectHeaderFailure(d, good, putInt(good, 12, 5), "metadata", "declared length 5");
        for (int at : new int[] {20 + l, 20 + l + 17, good.length - 5, good.length - 1}) {
            expectHeaderFailure(d, good, flip(good, at), "theta0", "checksum mismatch");
        }
        expectHeaderFailure(d, good, truncate(good, good.length - 1), "theta0", "truncated");
        expectHeaderFailure(d, good, truncate(good, 20 + l + 3), "theta0", "truncated");
        expectHeaderFailure(d, good, truncate(good, 30), "metadata", "truncated");
        expectHeaderFailure(d, good, truncate(good, 10), "preamble", "truncated");
        expectHeaderFailure(d, good, append(good, 3), "theta0", "3 trailing byte(s)");
        // a header whose checksum is right but whose values are invalid (P = 0)
        byte[] zeroP = putInt(good, 28, 0);
        ByteBuffer.wrap(zeroP).order(ByteOrder.LITTLE_ENDIAN).putInt(16 + l, crc(zeroP, 12, 4 + l));
        expectHeaderFailure(d, good, zeroP, "metadata", "invalid value");
        // a sketch file in place of the header
        expectHeaderFailure(d, good, Files.readAllBytes(d.resolve("sketch-000004.jss")), "preamble", "sketch file");
    }

    private void expectHeaderFailure(Path d, byte[] good, byte[] bad, String section, String... fragments)
            throws IOException {
        Path hf = d.resolve("header.jss");
        Files.write(hf, bad);
        try {
            SketchStoreException e = assertThrows(SketchStoreException.class, () -> SketchStore.open(d));
            assertMessage(e, section, fragments);
            assertEquals(hf, e.file());
            // create over a damaged store refuses too, and does not overwrite it
            assertThrows(SketchStoreException.class, () -> SketchStore.create(d, HEADER, theta0(5, 1)));
            assertArrayEquals(bad, Files.readAllBytes(hf));
        } finally {
            Files.write(hf, good);
        }
        SketchStore.open(d);
    }

    // ------------------------------------------------------------------------------------------
    // Corruption of sketch files

    @Test
    void sketchCorruptionIsDetectedWithTheSectionNamed() throws IOException {
        Path d = storeWithOneSketch();
        Path sf = d.resolve("sketch-000004.jss");
        byte[] good = Files.readAllBytes(sf);

        expectSketchFailureOnOpen(d, sf, good, flip(good, 0), "sketch header", "wrong magic");
        expectSketchFailureOnOpen(d, sf, good, putIntWithHeaderCrc(good, 8, 3), "sketch header",
                "unsupported format version 3");
        expectSketchFailureOnOpen(d, sf, good, putIntWithHeaderCrc(good, 8, 1), "sketch header",
                "format version 1", "re-sketch");
        expectSketchFailureOnOpen(d, sf, good, putInt(good, 12, 7), "sketch header", "declared header length 7");
        for (int at : new int[] {16, 23, 24, 40, 48, 56, 68, 72, 79, 83, 85}) {
            expectSketchFailureOnOpen(d, sf, good, flip(good, at), "sketch header", "checksum mismatch");
        }
        expectSketchFailureOnOpen(d, sf, good, putIntWithHeaderCrc(good, 56, 99), "sketch header", "n = 99");
        expectSketchFailureOnOpen(d, sf, good, putIntWithHeaderCrc(good, 60, 6), "sketch header", "P = 6");
        expectSketchFailureOnOpen(d, sf, good, putIntWithHeaderCrc(good, 64, 2), "sketch header", "k = 2");
        expectSketchFailureOnOpen(d, sf, good, putIntWithHeaderCrc(good, 68, 5), "sketch header",
                "index field is 5", "file name says 4");
        expectSketchFailureOnOpen(d, sf, good, putIntWithHeaderCrc(good, 80, 3), "sketch header", "site length 3");
        expectSketchFailureOnOpen(d, sf, good, truncate(good, good.length - 1), "coefficients", "truncated");
        expectSketchFailureOnOpen(d, sf, good, truncate(good, 100), "coefficients", "truncated");
        expectSketchFailureOnOpen(d, sf, good, truncate(good, 20), "sketch header", "truncated");
        expectSketchFailureOnOpen(d, sf, good, new byte[0], "sketch header", "truncated");
        expectSketchFailureOnOpen(d, sf, good, append(good, 1), "coefficients", "1 trailing byte(s)");

        // coefficient corruption passes open (which reads only the fixed part) but fails read and verifyAll
        for (int at : new int[] {88, 100, good.length - 5, good.length - 1}) {
            Files.write(sf, flip(good, at));
            SketchStore s = SketchStore.open(d);
            SketchStoreException e = assertThrows(SketchStoreException.class,
                    () -> s.read(4, new double[HEADER.coefficientLength()]));
            assertMessage(e, "coefficients", "checksum mismatch");
            assertEquals(sf, e.file());
            e = assertThrows(SketchStoreException.class, s::verifyAll);
            assertMessage(e, "coefficients", "checksum mismatch");
            // verifyEach moves the file from indices() to damaged(), naming it
            assertEquals(1, s.verifyEach().size());
            assertArrayEquals(new int[0], s.indices());
            assertEquals(sf, s.damaged().get(4).file());
        }
        // inspect() lists a sketch with a damaged header instead of failing
        Files.write(sf, flip(good, 20));
        SketchStore in = SketchStore.inspect(d);
        assertEquals(0, in.count());
        assertMessage(in.damaged().get(4), "sketch header", "checksum mismatch");
        Files.write(sf, good);
        SketchStore.open(d).verifyAll();
    }

    @Test
    void sketchFromAnotherRunIsRejectedByItsIdentity() throws IOException {
        Path d = storeWithOneSketch();
        double[] t0 = theta0(5, 1);
        List<Object[]> runs = List.of(
                new Object[] {hdr(HEADER.circuitName(), 0xFFL, 100, 5, 3, -99L, HEADER.schedule()), t0,
                    "circuit fingerprint 0x00000000000000ff"},
                new Object[] {hdr(HEADER.circuitName(), HEADER.fingerprint(), 100, 5, 3, 7L, HEADER.schedule()), t0,
                    "direction seed 7 differs"},
                new Object[] {new StoreHeader(HEADER.circuitName(), HEADER.fingerprint(), 100, 5, 3, -99L, 9L, INIT,
                    HEADER.schedule()), t0, "data digest"},
                new Object[] {new StoreHeader(HEADER.circuitName(), HEADER.fingerprint(), 100, 5, 3, -99L, DATA, 9L,
                    HEADER.schedule()), t0, "initial-parameters digest"},
                new Object[] {HEADER, theta0(5, 2), "run digest"});
        int i = 0;
        for (Object[] run : runs) {
            StoreHeader other = (StoreHeader) run[0];
            Path d2 = dir("other" + i++);
            try (SketchStore s = SketchStore.create(d2, other, (double[]) run[1])) {
                s.write(8, sketch(other, 8));
            }
            Path copied = d.resolve("sketch-000008.jss");
            Files.copy(d2.resolve("sketch-000008.jss"), copied);
            try {
                SketchStoreException e = assertThrows(SketchStoreException.class, () -> SketchStore.open(d));
                assertMessage(e, "sketch header", (String) run[2], "another training run");
                assertEquals(copied, e.file());
            } finally {
                Files.delete(copied);
            }
        }
    }

    @Test
    void aSecondWriterIsRefusedWhileTheFirstHoldsTheLock() throws Exception {
        Path d = dir("store");
        try (SketchStore first = SketchStore.create(d, HEADER, theta0(5, 1))) {
            SketchStoreException e = assertThrows(SketchStoreException.class,
                    () -> SketchStore.create(d, HEADER, theta0(5, 1)));
            assertMessage(e, "directory", "another writer");
            // another process
            Process p = new ProcessBuilder(java.nio.file.Paths.get(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-cp", System.getProperty("java.class.path"), LockProbe.class.getName(), d.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(3, p.waitFor(), out);
            assertTrue(out.contains("being written by another process"), out);
            first.write(0, sketch(HEADER, 0));
        }
        // released: a reader never needed it, a new writer gets it
        assertEquals(1, SketchStore.open(d).count());
        SketchStore.create(d, HEADER, theta0(5, 1)).close();
        SketchStore reader = SketchStore.open(d);
        assertThrows(IllegalStateException.class, () -> reader.write(1, sketch(HEADER, 1)));
    }

    /** Run in a separate JVM: tries to take the writer lock of the directory in args[0]. */
    static final class LockProbe {
        public static void main(String[] args) throws IOException {
            try (StoreLock l = StoreLock.acquire(Path.of(args[0]))) {
                System.exit(0);
            } catch (SketchStoreException e) {
                System.out.println(e.getMessage());
                System.exit(3);
            }
        }
    }

    private void expectSketchFailureOnOpen(Path d, Path sf, byte[] good, byte[] bad, String section,
                                           String... fragments) throws IOException {
        Files.write(sf, bad);
        try {
            SketchStoreException e = assertThrows(SketchStoreException.class, () -> SketchStore.open(d));
            assertMessage(e, section, fragments);
            assertEquals(sf, e.file());
        } finally {
            Files.write(sf, good);
        }
    }

    // ------------------------------------------------------------------------------------------

    @Test
    void concurrentWritesFromTwoThreads() throws Exception {
        Path d = dir("store");
        SketchStore s = SketchStore.create(d, HEADER, theta0(5, 1));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int parity = t;
                fs.add(pool.submit(() -> {
                    start.await();
                    for (int j = parity; j < 60; j += 2) s.write(j, sketch(HEADER, j));
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : fs) f.get();
        } finally {
            pool.shutdownNow();
        }
        assertEquals(60, s.count());
        SketchStore r = SketchStore.open(d);
        assertEquals(60, r.count());
        for (int j = 0; j < 60; j++) assertArrayEquals(sketch(HEADER, j), r.read(j), 0.0);
        try (Stream<Path> files = Files.list(d)) {
            assertEquals(61 + 1, files.count(), "no temporary files left (60 sketches, header, writer.lock)");
        }
    }

    @Test
    void staleTemporaryFilesAreIgnoredByOpenAndCleanedByCreate() throws IOException {
        Path d = storeWithOneSketch();
        Path stale = d.resolve(".sketch-000005.jss.1f2e3d4c.tmp");
        Path staleHeader = d.resolve(".header.jss.abc.tmp");
        Files.write(stale, new byte[] {1, 2, 3});
        Files.write(staleHeader, new byte[] {4});
        Path unrelated = d.resolve("notes.txt");
        Files.writeString(unrelated, "hello");
        SketchStore s = SketchStore.open(d);
        assertArrayEquals(new int[] {4}, s.indices());
        assertTrue(Files.exists(stale), "open leaves temporary files alone (a writer may own them)");
        try (SketchStore c = SketchStore.create(d, HEADER, theta0(5, 1))) {
            assertArrayEquals(new int[] {4}, c.indices());
        }
        assertFalse(Files.exists(stale));
        assertFalse(Files.exists(staleHeader));
        assertTrue(Files.exists(unrelated));
    }

    @Test
    void storageOverheadIsBelowOnePercent() throws IOException {
        int p = 4192, k = 3, m = 6;
        StoreHeader h = hdr("microgpt", 1L, 1000, p, k, 0L, "adam steps=1000");
        SketchStore s = SketchStore.create(dir("big"), h, theta0(p, 2));
        for (int j = 0; j < m; j++) s.write(j, sketch(h, j));
        long payload = (long) m * k * p * 16 + 8L * p;
        long size = s.sizeOnDisk();
        assertTrue(size >= payload);
        assertTrue(size <= payload * 1.01, "size " + size + " vs payload " + payload);
        assertEquals(m * (16L * k * p + SketchStore.SKETCH_OVERHEAD_BYTES) + 24 + metadataLengthOf(h) + 8L * p, size);
        // per sketch file: 92 bytes, 0.05% of k·P·16
        assertEquals(92, SketchStore.SKETCH_OVERHEAD_BYTES);
    }

    private static int metadataLengthOf(StoreHeader h) {
        return 52 + h.circuitName().length() + h.schedule().length();
    }

    @Test
    void badInputNamesTheValue() throws IOException {
        Path d = dir("store");
        SketchStore s = SketchStore.create(d, HEADER, theta0(5, 1));
        expectIae(() -> s.write(-1, sketch(HEADER, 0)), "-1");
        expectIae(() -> s.write(0, new double[29]), "29", "30");
        double[] nan = sketch(HEADER, 0);
        nan[17] = Double.NaN;
        expectIae(() -> s.write(0, nan), "coefficients[17]", "NaN");
        expectIae(() -> s.read(0, new double[31]), "31");
        expectIae(() -> s.read(-3, new double[30]), "-3");
        SketchStoreException e = assertThrows(SketchStoreException.class, () -> s.read(12, new double[30]));
        assertTrue(e.getMessage().contains("no sketch with index 12"), e.getMessage());
        expectIae(() -> SketchStore.create(dir("x"), HEADER, new double[4]), "4");
        double[] inf = theta0(5, 1);
        inf[2] = Double.POSITIVE_INFINITY;
        expectIae(() -> SketchStore.create(dir("x"), HEADER, inf), "theta0[2]", "Infinity");
        expectIae(() -> hdr("c", 0, 0, 5, 3, 0, ""), "examples", "0");
        expectIae(() -> hdr("c", 0, 5, -1, 3, 0, ""), "parameters", "-1");
        expectIae(() -> hdr("c", 0, 5, 5, 0, 0, ""), "degree", "0");
        expectIae(() -> hdr(null, 0, 5, 5, 1, 0, ""), "circuitName");
        expectIae(() -> hdr("c", 0, 5, 5, 1, 0, "\uD800"), "schedule");
        expectIae(() -> hdr("c", 0, 5, Integer.MAX_VALUE, 2, 0, ""), "2147483647");
        // nothing was written under x
        assertFalse(Files.exists(dir("x").resolve("header.jss")));
        e = assertThrows(SketchStoreException.class, () -> SketchStore.open(dir("missing")));
        assertMessage(e, "directory", "not a directory");
        Files.createDirectories(dir("empty"));
        e = assertThrows(SketchStoreException.class, () -> SketchStore.open(dir("empty")));
        assertMessage(e, "directory", "no header.jss");
        Path orphan = dir("orphan");
        Files.createDirectories(orphan);
        Files.write(orphan.resolve("sketch-000001.jss"), new byte[] {1});
        e = assertThrows(SketchStoreException.class, () -> SketchStore.create(orphan, HEADER, theta0(5, 1)));
        assertMessage(e, "directory", "sketch-000001.jss");
    }

    // ------------------------------------------------------------------------------------------
    // Helpers

    private static void expectIae(Executable ex, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, ex);
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "'" + f + "' not in: " + e.getMessage());
    }

    private static void assertMessage(SketchStoreException e, String section, String... fragments) {
        assertEquals(section, e.section(), e.getMessage());
        assertTrue(e.getMessage().contains("section '" + section + "'"), e.getMessage());
        assertTrue(e.getMessage().contains(e.file().toString()), e.getMessage());
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "'" + f + "' not in: " + e.getMessage());
    }

    private static int crc(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }

    private static byte[] flip(byte[] b, int at) {
        byte[] c = b.clone();
        c[at] ^= 0x5A;
        return c;
    }

    private static byte[] putInt(byte[] b, int at, int v) {
        byte[] c = b.clone();
        ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putInt(at, v);
        return c;
    }

    /** Changes a sketch-header field and recomputes the header checksum, so only the field is wrong. */
    private static byte[] putIntWithHeaderCrc(byte[] b, int at, int v) {
        byte[] c = putInt(b, at, v);
        ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putInt(84, crc(c, 0, 84));
        return c;
    }

    private static byte[] truncate(byte[] b, int len) {
        return java.util.Arrays.copyOf(b, len);
    }

    private static byte[] append(byte[] b, int extra) {
        byte[] c = java.util.Arrays.copyOf(b, b.length + extra);
        for (int i = b.length; i < c.length; i++) c[i] = (byte) 0xEE;
        return c;
    }
}
