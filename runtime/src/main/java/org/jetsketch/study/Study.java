package org.jetsketch.study;

import java.util.List;

/**
 * One learning problem the command line (and any program) can sketch, predict, validate and
 * retrain: a named factory that turns a {@link StudyInput} (an optional data file, a seed, a step
 * count and study-specific options) into a loaded {@link Problem} — the compiled circuit, its
 * training examples with a display name each, the schedule, the initial parameters, the
 * measurements a user can name with a spec string and the groupings it offers.
 *
 * <h2>Registering a study</h2>
 * Implementations are found with {@link java.util.ServiceLoader}: annotate the class with
 * {@code @AutoService(Study.class)} (or list it in
 * {@code META-INF/services/org.jetsketch.study.Study}) and give it a public no-argument
 * constructor. {@link Studies} finds one by {@link #name()} or by its class name; the command
 * line chooses it with {@code --study NAME} and loads extra jars or directories given with
 * {@code --classpath} before it looks. A study holds no state of its own: every call to
 * {@link #load} builds a fresh problem.
 *
 * <h2>The data hook</h2>
 * A study may read its training examples from a file the user names: the command line passes
 * {@code --data PATH} as {@link StudyInput#data()} (absent when not given), {@code --seed} as
 * {@link StudyInput#seed()}, {@code --steps} as {@link StudyInput#steps()} and each
 * {@code --option KEY=VALUE} as {@link StudyInput#option(String)}. {@link #load} reads the file
 * (for example a CSV with a header, choosing columns by the options), builds the problem and
 * returns it; a study that ships its own data ignores or refuses {@code data} — say which in
 * {@link #usage()}. A bad input (a missing file, a bad value at line L column C, an unknown or
 * malformed option) is reported by throwing {@link StudyException} with a message that names the
 * file, the line and the column, or the option, so that the command line can print it as is.
 *
 * <h2>Reproducibility</h2>
 * A sketch store records the study's {@link #name()}, the {@link StudyInput} and the loaded
 * problem's digests ({@link Problem#dataDigest()}, the initial parameters); commands that read the
 * store later call {@link #restore} with what was recorded, and refuse the store if the restored
 * problem's digests differ (the data file was changed or replaced).
 */
public interface Study {

    /**
     * The short name the study is chosen by ({@code microgpt}, {@code linear}, {@code churn}):
     * letters, digits, '-', '_' and '.', unique among the registered studies.
     */
    String name();

    /** One line: the learning algorithm and its data, for listings. */
    String summary();

    /**
     * What the study accepts, for {@code --help} and error messages: the data file format (or
     * that it ships its own data), its {@code --option} keys, its measurement specs and its
     * groupings, one line each.
     */
    List<String> usage();

    /**
     * Builds the problem from {@code input}: reads {@link StudyInput#data()} if given, draws or
     * reads the initial parameters, builds the circuit and the schedule.
     *
     * @throws StudyException if the input is bad: the message names the file, line and column, or
     *     the option, and what was expected
     */
    Problem<?> load(StudyInput input);

    /**
     * Rebuilds the problem a sketch store was made with, from what the store's run record kept: the input, the examples' display names and the initial
     * parameters. The default loads {@code input} again with the recorded initial parameters (so the
     * data file must still be there; the caller then compares digests). A study whose examples are fully described by their display
     * names (microgpt: a training name is the example) overrides this to rebuild without the file.
     *
     * @throws StudyException if the problem cannot be rebuilt
     */
    default Problem<?> restore(StudyInput input, List<String> exampleNames, double[] initialParameters) {
        return load(input.withInitialParameters(initialParameters));
    }
}
