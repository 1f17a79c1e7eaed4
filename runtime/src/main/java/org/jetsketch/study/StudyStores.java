package org.jetsketch.study;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jetsketch.sketch.SketchFormat;
import org.jetsketch.sketch.SketchStore;
import org.jetsketch.sketch.SketchStoreException;
import org.jetsketch.sketch.Sketcher;
import org.jetsketch.sketch.StoreHeader;

/**
 * Opening the sketch store of a study's problem for reading, and checking it: made by the
 * problem's circuit (name and code fingerprint), describing the problem's run (n, P, the seed, the
 * data and initial digests), which sketches are missing and which are damaged.
 */
public final class StudyStores {
    private StudyStores() {}

    /**
     * What {@link #survey} found: the store, the sketch indices missing below {@code expected}, and
     * (when damaged files are skipped) the damaged ones with their problems.
     */
    public record Opened(SketchStore store, int[] missing, SortedMap<Integer, SketchStoreException> skipped,
            int expected) {}

    /**
     * Opens {@code dir} for {@code problem}'s circuit: every file verified as it is read
     * ({@link SketchStore#open}), or, with {@code skipCorrupt}, only the header read so that
     * {@link #survey} can verify each file and set the damaged ones aside ({@link SketchStore#inspect}).
     *
     * @throws SketchStoreException if the header, or (without {@code skipCorrupt}) a sketch file, is
     *     damaged, or the store was made by another circuit
     */
    public static SketchStore open(Path dir, Problem<?> problem, boolean skipCorrupt) throws IOException {
        String name = problem.circuit().circuitName();
        long fingerprint = Sketcher.fingerprint(problem.circuit());
        return skipCorrupt ? SketchStore.inspect(dir, name, fingerprint) : SketchStore.open(dir, name, fingerprint);
    }

    /**
     * The first way the store header differs from {@code problem}'s run started with {@code seed}
     * from {@code init}, or null if it describes it: n, P, the direction seed, the data digest, the
     * initial parameters' digest.
     */
    public static String mismatch(StoreHeader h, Problem<?> problem, long seed, double[] init) {
        if (h.examples() != problem.examples()) return "n = " + h.examples() + " in the store, " + problem.examples() + " in the run";
        if (h.parameters() != init.length) return "P = " + h.parameters() + " in the store, " + init.length + " in the run";
        if (h.directionSeed() != seed) return "seed " + h.directionSeed() + " in the store, " + seed + " in the run";
        if (h.dataDigest() != problem.dataDigest()) return "the training data differ (data digest)";
        if (h.initialDigest() != SketchFormat.digest(init)) return "the initial parameters differ (digest)";
        return null;
    }

    /**
     * Which sketches of an opened store are missing (below the larger of {@code recordedDirections}
     * and the highest index present plus one) and, with {@code skipCorrupt}, which are damaged
     * (every file verified; the damaged ones are then not read).
     */
    public static Opened survey(SketchStore store, boolean skipCorrupt, int recordedDirections) throws IOException {
        SortedMap<Integer, SketchStoreException> skipped = new TreeMap<>();
        if (skipCorrupt) {
            store.verifyEach();
            skipped.putAll(store.damaged());
        }
        int[] present = store.indices();
        int expected = Math.max(recordedDirections, present.length == 0 ? 0 : present[present.length - 1] + 1);
        List<Integer> missing = new ArrayList<>();
        for (int j = 0; j < expected; j++) if (!store.contains(j) && !skipped.containsKey(j)) missing.add(j);
        return new Opened(store, missing.stream().mapToInt(Integer::intValue).toArray(), skipped, expected);
    }
}
