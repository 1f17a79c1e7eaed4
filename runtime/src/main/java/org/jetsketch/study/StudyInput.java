package org.jetsketch.study;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * What the user gave a {@link Study} to load its problem from: an optional data file
 * ({@code --data PATH}), the seed ({@code --seed}; the initialisation, shuffles and sketch
 * directions derive from it), an optional step count ({@code --steps}) and study-specific options
 * ({@code --option KEY=VALUE}, in key order). Immutable and serializable (a Spark executor
 * rebuilds the problem from it); the path is kept as the text the user gave.
 */
public final class StudyInput implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String data;
    private final long seed;
    private final Integer steps;
    private final TreeMap<String, String> options;
    private final double[] initialParameters;

    private StudyInput(String data, long seed, Integer steps, Map<String, String> options) {
        this(data, seed, steps, options, null);
    }

    private StudyInput(String data, long seed, Integer steps, Map<String, String> options, double[] initial) {
        if (steps != null && steps < 1) throw StudyException.malformed("--steps must be at least 1, got " + steps);
        this.initialParameters = initial == null ? null : initial.clone();
        this.data = data;
        this.seed = seed;
        this.steps = steps;
        this.options = new TreeMap<>(options);
        this.options.forEach((k, v) -> {
            Objects.requireNonNull(k, "option key");
            Objects.requireNonNull(v, "option value of " + k);
        });
    }

    /** An input with the given seed and nothing else (the study's own data and defaults). */
    public static StudyInput ofSeed(long seed) {
        return new StudyInput(null, seed, null, Map.of());
    }

    /**
     * An input.
     *
     * @param data the data file, or null for the study's own data
     * @param seed the seed
     * @param steps the number of training steps, or null for the study's default
     * @param options study-specific options (copied)
     */
    public static StudyInput of(Path data, long seed, Integer steps, Map<String, String> options) {
        return new StudyInput(data == null ? null : data.toString(), seed, steps, options);
    }

    /** The data file the user named ({@code --data}), if any. */
    public Optional<Path> data() {
        return data == null ? Optional.empty() : Optional.of(Path.of(data));
    }

    /** The seed. */
    public long seed() {
        return seed;
    }

    /** The number of training steps the user asked for ({@code --steps}), if any. */
    public OptionalInt steps() {
        return steps == null ? OptionalInt.empty() : OptionalInt.of(steps);
    }

    /** The value of study option {@code key}, if given. */
    public Optional<String> option(String key) {
        return Optional.ofNullable(options.get(key));
    }

    /** All study options, in key order (unmodifiable). */
    public Map<String, String> options() {
        return Collections.unmodifiableMap(options);
    }

    /**
     * The initial parameters the user gave ({@code --init FILE}: P numbers in the circuit's layout
     * order), if any: a study builds its circuit's instance from them instead of drawing them. The
     * command line reads the file after a first {@link Study#load} told it P, and loads again with
     * them; a study that cannot start from given parameters ignores them, and the command line
     * refuses the option when the loaded problem does not start from them.
     */
    public Optional<double[]> initialParameters() {
        return initialParameters == null ? Optional.empty() : Optional.of(initialParameters.clone());
    }

    /** The same input with another seed. */
    public StudyInput withSeed(long otherSeed) {
        return new StudyInput(data, otherSeed, steps, options, initialParameters);
    }

    /** The same input with another step count (null: the study's default). */
    public StudyInput withSteps(Integer otherSteps) {
        return new StudyInput(data, seed, otherSteps, options, initialParameters);
    }

    /** The same input with the given initial parameters (null: none given). */
    public StudyInput withInitialParameters(double[] initial) {
        return new StudyInput(data, seed, steps, options, initial);
    }

    /** The same input with option {@code key} set to {@code value} (null: removed). */
    public StudyInput withOption(String key, String value) {
        TreeMap<String, String> copy = new TreeMap<>(options);
        if (value == null) copy.remove(key);
        else copy.put(key, value);
        return new StudyInput(data, seed, steps, copy, initialParameters);
    }

    /**
     * Checks that every option given is one of {@code known}; a study calls this first in
     * {@link Study#load} so that a misspelt option is an error rather than ignored.
     *
     * @throws StudyException naming the unknown option and the known ones
     */
    public void requireOnly(String study, java.util.Collection<String> known) {
        for (String key : options.keySet()) {
            if (!known.contains(key)) {
                throw StudyException.malformed("--option " + key + ": study " + study + " has no option '" + key + "'"
                        + (known.isEmpty() ? " (it takes none)" : "; its options are " + String.join(", ", known)));
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StudyInput other && Objects.equals(data, other.data) && seed == other.seed
                && Objects.equals(steps, other.steps) && options.equals(other.options)
                && java.util.Arrays.equals(initialParameters, other.initialParameters);
    }

    @Override
    public int hashCode() {
        return Objects.hash(data, seed, steps, options);
    }

    @Override
    public String toString() {
        return "StudyInput[data=" + data + ", seed=" + seed + ", steps=" + steps + ", options=" + options + "]";
    }
}
