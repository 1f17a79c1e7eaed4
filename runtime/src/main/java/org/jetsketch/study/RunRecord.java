package org.jetsketch.study;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jetsketch.sketch.Groups;
import org.jetsketch.sketch.SketchFormat;
import org.jetsketch.sketch.SketchStore;
import org.jetsketch.sketch.SketchStoreException;
import org.jetsketch.sketch.StoreHeader;

/**
 * The record of one training run kept beside its sketches (the command line's {@code run.json}):
 * which study, from what input, the examples' display names and the initial parameters — enough
 * to rebuild exactly the problem that was sketched ({@link #restore}) — with the digests the store
 * header also holds, the most directions asked for, and a {@link #checksum()} over all of it so
 * that a record edited apart from its sketches is noticed. The file format (JSON) is the caller's;
 * the checksum is over this record's fields, not over the file's text.
 *
 * @param study the study's name
 * @param classpath the --classpath the study was found on (absolute entries), or null
 * @param dataSource where the examples came from, in words
 * @param initSource where the initial parameters came from, in words
 * @param seed the seed (of the run and of the sketch directions)
 * @param data the data file of the input, or null
 * @param steps the --steps of the input, or null
 * @param options the study options of the input, in key order
 * @param names the examples' display names, in example order
 * @param init the initial parameters
 * @param dataDigest the problem's data digest
 * @param directions the most directions any sketch command asked for in this store
 * @param sketchCommand the command line that last sketched into the store, or null
 * @param grouping the store's grouping as {@link #grouping(Groups)} words it, or null (unknown)
 */
public record RunRecord(String study, String classpath, String dataSource, String initSource, long seed, String data,
        Integer steps, Map<String, String> options, List<String> names, double[] init, long dataDigest, int directions,
        String sketchCommand, String grouping) {

    public RunRecord {
        Objects.requireNonNull(study, "study");
        options = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(options));
        names = List.copyOf(names);
        init = init.clone();
    }

    /** The record of {@code problem} (without directions, command or grouping: see the with-methods). */
    public static RunRecord of(Problem<?> problem, String classpath, String dataSource, String initSource) {
        StudyInput in = problem.input();
        return new RunRecord(problem.study(), classpath, dataSource, initSource, in.seed(),
                in.data().map(Path::toString).orElse(null), in.steps().isPresent() ? in.steps().getAsInt() : null,
                in.options(), problem.exampleNames(), problem.initialParameters(), problem.dataDigest(), 0, null, null);
    }

    @Override
    public double[] init() {
        return init.clone();
    }

    /** The same record with {@code directions}, {@code command} and {@code grouping} set. */
    public RunRecord withStore(int directionsAsked, String command, String storeGrouping) {
        return new RunRecord(study, classpath, dataSource, initSource, seed, data, steps, options, names, init,
                dataDigest, directionsAsked, command, storeGrouping);
    }

    /** n. */
    public int examples() {
        return names.size();
    }

    /** The digest of the initial parameters, as the store header holds it. */
    public long initialDigest() {
        return SketchFormat.digest(init);
    }

    /** The input the problem was loaded from (its initial parameters not included: {@link #init()}). */
    public StudyInput input() {
        return StudyInput.of(data == null ? null : Path.of(data), seed, steps, options);
    }

    /** A store's grouping in words: "per-example", or G and the grouping's digest. */
    public static String grouping(Groups groups) {
        return groups == null ? "per-example" : "G = " + groups.count() + " groups, digest " + groups.digestHex();
    }

    /**
     * The checksum: the digest of every field in a fixed text form (numbers as Java writes them, so
     * the exact doubles), in hex. A record read back from its file has the checksum it was written
     * with unless something in it changed.
     */
    public String checksum() {
        List<String> parts = new ArrayList<>();
        parts.add("study=" + study);
        parts.add("classpath=" + classpath);
        parts.add("dataSource=" + dataSource);
        parts.add("initSource=" + initSource);
        parts.add("seed=" + seed);
        parts.add("data=" + data);
        parts.add("steps=" + steps);
        options.forEach((k, v) -> parts.add("option " + k + "=" + v));
        parts.add("names=" + names.size());
        parts.addAll(names);
        parts.add("init=" + Arrays.toString(init));
        parts.add("dataDigest=" + dataDigest);
        parts.add("directions=" + directions);
        parts.add("sketchCommand=" + sketchCommand);
        parts.add("grouping=" + grouping);
        return hex(SketchFormat.digest(parts));
    }

    /** A 64-bit digest as 16 hex digits. */
    public static String hex(long v) {
        return String.format(Locale.ROOT, "%016x", v);
    }

    /**
     * Rebuilds the problem with {@code study} ({@link Study#restore}) and checks that it is the one
     * recorded: the same display names, initial parameters and data digest.
     *
     * @throws StudyException if the study cannot rebuild it, or rebuilds a different problem (its
     *     data file changed or was replaced)
     */
    public Problem<?> restore(Study s) {
        Problem<?> p = s.restore(input(), names, init);
        String what = !p.exampleNames().equals(names) ? "the training examples"
                : !Arrays.equals(p.initialParameters(), init) ? "the initial parameters"
                : p.dataDigest() != dataDigest ? "the training data (data digest)" : null;
        if (what != null) {
            throw new StudyException("study " + study + " rebuilt a different training run from the record (" + what
                    + " differ): its data file was changed or replaced; restore it, or re-sketch");
        }
        return p;
    }

    /** The first difference from another record's run, or null if they are the same run. */
    public String differenceFrom(RunRecord other) {
        if (!study.equals(other.study)) return "study " + other.study + " there, " + study + " here";
        String vocabulary = options.get("vocabulary");
        String otherVocabulary = other.options.get("vocabulary");
        if (vocabulary != null && otherVocabulary != null && !vocabulary.equals(otherVocabulary)) {
            return "vocabulary \"" + otherVocabulary + "\" there, \"" + vocabulary + "\" here";
        }
        if (examples() != other.examples()) return "--steps " + other.examples() + " there, " + examples() + " here";
        for (int i = 0; i < examples(); i++) {
            if (!names.get(i).equals(other.names.get(i))) {
                return "training name " + i + " is \"" + other.names.get(i) + "\" there, \"" + names.get(i) + "\" here";
            }
        }
        if (dataDigest != other.dataDigest) return "the training data differ (data digest)";
        if (!Arrays.equals(init, other.init)) return "different initial parameters";
        if (seed != other.seed) return "--seed " + other.seed + " there, " + seed + " here";
        return null;
    }

    /** Reads the record of a store directory, or says why it cannot (the caller's file format). */
    @FunctionalInterface
    public interface Reader {
        /** The record in {@code dir}, or null if there is none; throws if it is there but unusable. */
        RunRecord read(Path dir) throws IOException;
    }

    /**
     * Before sketching into {@code dir}: checks that the directory holds no sketches of another run
     * (its existing record, if {@code existing} can read it, and its store header against
     * {@code expected}), and returns the record to write: this one with the most directions either
     * asked for, {@code command} and the grouping of {@code expected}. A record without sketches
     * (a run that failed before its first sketch), or an unreadable record whose store header
     * matches this run, is replaced.
     *
     * @throws StudyException naming the difference if {@code dir} holds sketches of another run
     */
    public RunRecord forStore(Path dir, StoreHeader expected, int directionsAsked, String command, Reader existing)
            throws IOException {
        int keep = 0;
        if (SketchStore.holdsSketchFiles(dir)) {
            RunRecord other = null;
            try {
                other = existing.read(dir);
            } catch (RuntimeException | IOException unreadable) {
                // checked below against the store header instead
            }
            String difference = other == null ? null : differenceFrom(other);
            if (difference != null) {
                throw new StudyException("--sketch " + dir + " holds sketches of a different training run (" + difference
                        + "); use another directory or delete this one");
            }
            try {
                SketchStore.checkCompatible(dir, expected);
            } catch (SketchStoreException e) {
                throw new StudyException("--sketch " + dir + " holds sketches of a different training run: "
                        + e.problem() + "; use another directory or delete this one", e);
            }
            if (other != null) keep = other.directions();
        }
        return withStore(Math.max(keep, directionsAsked), command, grouping(expected.groups()));
    }
}
