package org.jetsketch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.circuit.CompiledCircuit;
import org.jetsketch.microgpt.MicroGptStudy;
import org.jetsketch.io.AtomicFiles;
import org.jetsketch.sketch.SketchFormat;
import org.jetsketch.sketch.SketchStore;
import org.jetsketch.sketch.SketchStoreException;
import org.jetsketch.sketch.StoreHeader;
import org.jetsketch.spark.TrainingRecipe;
import org.jetsketch.study.Problem;
import org.jetsketch.study.ProblemRuns;
import org.jetsketch.study.Studies;
import org.jetsketch.study.Study;
import org.jetsketch.study.StudyException;
import org.jetsketch.study.StudyInput;
import org.jetsketch.train.Dataset;
import org.jetsketch.train.Schedule;
import org.jetsketch.train.Trainer;

/**
 * One resolved training run of a study ({@link Study}; microgpt by default): the loaded problem
 * (its circuit, the n training examples with their display names, the schedule, the initial
 * parameters). Built from the data options, or read back from the {@value #RUN_FILE} a sketch
 * directory keeps so that the commands that read sketches train and measure exactly the model
 * that was sketched.
 */
final class Setup {

    /** The file in a sketch directory that records its training run. */
    static final String RUN_FILE = "run.json";
    static final String RUN_FORMAT = "jetsketch-run/2";

    final Study study;
    final Problem<Object> problem;
    /** The --classpath the study was loaded from (null: the command line's own class path). */
    final String classpath;
    final String dataSource;
    /** The display names of the training examples, in example order (microgpt: the training names). */
    final List<String> names;
    final long seed;
    final String initSource;
    final double[] init;
    final CompiledCircuit<Object> circuit;
    final Dataset<Object> data;
    final Schedule schedule;
    /** The library's trainings of this problem. */
    final ProblemRuns<Object> runs;
    /** From a run record: the most directions any sketch command asked for (0 for a fresh run). */
    int recordedDirections;
    /** From a run record: the command line that last sketched into the directory (null for a fresh run). */
    String recordedCommand;
    /**
     * From a run record: {@link #grouping} of the sketches it was written with (null for a fresh
     * run, or a record written before groupings were recorded).
     */
    String recordedGrouping;
    /** The sketch directory the run record was read from (null for a fresh run). */
    Path recordDirectory;

    /** A store's grouping as run.json records it: "per-example", or G and the grouping's digest. */
    static String grouping(org.jetsketch.sketch.Groups groups) {
        return groups == null ? "per-example" : "G = " + groups.count() + " groups, digest " + groups.digestHex();
    }

    /**
     * The problem's example type is known only to the study; within one problem the circuit, the
     * data and the measurements agree on it, so the command line handles them as Object.
     */
    @SuppressWarnings("unchecked")
    private Setup(Study study, Problem<?> problem, String classpath, String dataSource, String initSource) {
        this.study = study;
        this.problem = (Problem<Object>) problem;
        this.classpath = classpath;
        this.dataSource = dataSource != null ? dataSource : problem.dataSource();
        this.initSource = initSource != null ? initSource : problem.initSource();
        this.names = problem.exampleNames();
        this.seed = problem.input().seed();
        this.init = problem.initialParameters();
        this.circuit = this.problem.circuit();
        this.data = this.problem.data();
        this.schedule = problem.schedule();
        this.runs = new ProblemRuns<>(this.problem);
    }

    /** n, the number of training examples. */
    int n() {
        return names.size();
    }

    /** P. */
    int parameters() {
        return init.length;
    }

    /** The digest of the training data recorded in the sketch store. */
    long dataDigest() {
        return problem.dataDigest();
    }

    /** True if this is a run of microgpt. */
    boolean isMicroGpt() {
        return microgptOrNull() != null;
    }

    /** The microgpt run, or null for another study. */
    MicroGptStudy.MicroGptProblem microgptOrNull() {
        Problem<?> p = problem;
        return p instanceof MicroGptStudy.MicroGptProblem m ? m : null;
    }

    /**
     * The microgpt run, for the commands that reproduce the paper's microgpt figures and benchmarks.
     *
     * @throws CliException if the run is of another study
     */
    MicroGptStudy.MicroGptProblem microgpt(String command) {
        MicroGptStudy.MicroGptProblem m = microgptOrNull();
        if (m != null) return m;
        throw new CliException(command + " reproduces the paper's microgpt figures and runs on study "
                + MicroGptStudy.NAME + " only, not on " + study.name());
    }

    /** The class loader the studies are found in: the command line's own, with {@code classpath} added. */
    static ClassLoader loader(String classpath) {
        ClassLoader own = Setup.class.getClassLoader();
        if (classpath == null) return own;
        List<java.net.URL> urls = new ArrayList<>();
        for (String part : classpath.split(java.io.File.pathSeparator)) {
            if (part.isBlank()) continue;
            Path p = Main.pathOption("--classpath", part);
            if (!Files.exists(p)) {
                throw new CliException("--classpath " + classpath + ": " + p + " does not exist (a jar or a directory of"
                        + " classes, separated by '" + java.io.File.pathSeparator + "')");
            }
            try {
                urls.add(p.toAbsolutePath().toUri().toURL());
            } catch (java.net.MalformedURLException e) {
                throw new CliException("--classpath " + classpath + ": " + p + " is not a usable path", e);
            }
        }
        return new java.net.URLClassLoader(urls.toArray(java.net.URL[]::new), own);
    }

    /** The study called {@code name} (null: {@link Studies#DEFAULT}) in {@code classpath}. */
    static Study findStudy(String name, String classpath) {
        try {
            return Studies.find(name == null ? Studies.DEFAULT : name, loader(classpath));
        } catch (StudyException e) {
            throw cli(e);
        }
    }

    /** A study's complaint as the command line reports it: malformed text is a usage error. */
    static CliException cli(StudyException e) {
        return e.malformed() ? new UsageException(e.getMessage()) : new CliException(e.getMessage(), e);
    }

    /** Resolves the data options; {@code steps} null means the study's default. */
    static Setup resolve(Options.Data opts, Integer steps) {
        Study study = findStudy(opts.study, opts.classpath);
        java.util.Map<String, String> options = new java.util.TreeMap<>();
        if (opts.options != null) {
            for (String kv : opts.options) {
                int eq = kv.indexOf('=');
                if (eq <= 0) throw new UsageException("--option " + Text.inline(kv) + ": expected KEY=VALUE");
                options.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        if (opts.docs != null) {
            if (!(study instanceof MicroGptStudy)) {
                throw new UsageException("--docs is an option of study " + MicroGptStudy.NAME + "; study " + study.name()
                        + " takes: " + String.join("; ", study.usage()));
            }
            options.put("docs", opts.docs.toString());
        }
        if (steps != null && steps < 1) throw new UsageException("--steps must be at least 1, got " + steps);
        StudyInput input = StudyInput.of(opts.data, opts.seed, steps, options);
        Problem<?> problem;
        try {
            problem = study.load(input);
            if (opts.init != null) {
                int p = problem.parameters();
                String what = problem instanceof MicroGptStudy.MicroGptProblem m
                        ? "the P = " + p + " initial parameters for a vocabulary of " + (m.vocabulary().size() - 1)
                                + " characters plus BOS"
                        : "the P = " + p + " initial parameters of " + problem.circuit().layout().describe();
                double[] given = Json.readNumbers(opts.init, p, "--init", what);
                problem = study.load(input.withInitialParameters(given));
                if (!Arrays.equals(problem.initialParameters(), given)) {
                    throw new CliException("--init " + opts.init + ": study " + study.name() + " does not start from given"
                            + " initial parameters");
                }
            }
        } catch (StudyException e) {
            throw cli(e);
        }
        Setup setup = new Setup(study, problem, opts.classpath, null, opts.init != null ? opts.init.toString() : null);
        if (opts.mixee != null) setup.warnAboutContext(opts.mixee.commandLine().getErr(), opts.docs != null
                ? "--docs " + opts.docs : opts.data != null ? "--data " + opts.data
                : setup.isMicroGpt() ? "the bundled names" : "study " + study.name());
        return setup;
    }

    /** Prints the problem's warnings about its data (microgpt: names longer than its context) on {@code err}. */
    void warnAboutContext(java.io.PrintWriter err, String where) {
        List<String> warnings = problem.warnings();
        if (warnings.isEmpty()) return;
        for (String w : warnings) err.println("warning: " + where + ": " + w);
        err.flush();
    }

    /** The measurement {@code spec} names (null: the problem's default). */
    Measures.Measure measure(String spec) {
        return Measures.parse(spec, this);
    }

    // ------------------------------------------------------------------------ the run file

    /** The run's record, written into a sketch directory, without its checksum. */
    ObjectNode toJson(int directions, String command) {
        ObjectNode o = Json.object();
        o.put("format", RUN_FORMAT);
        o.put("study", study.name());
        if (classpath != null) o.put("classpath", classpath);
        o.put("data", dataSource);
        if (microgptOrNull() != null) o.put("vocabulary", microgptOrNull().vocabulary().characters());
                o.put("seed", seed);
        o.put("steps", n());
        o.put("parameters", parameters());
        o.put("dataDigest", hex(dataDigest()));
        o.put("initialDigest", hex(SketchFormat.digest(init)));
        o.put("directions", directions);
        if (command != null) o.put("sketchCommand", command);
        o.put("initSource", initSource);
        StudyInput input = problem.input();
        ObjectNode in = o.putObject("input");
        input.data().ifPresent(d -> in.put("data", d.toString()));
        input.steps().ifPresent(n -> in.put("steps", n));
        ObjectNode opts = in.putObject("options");
        input.options().forEach(opts::put);
        ArrayNode a = o.putArray("names");
        names.forEach(a::add);
        o.set("init", Json.doubles(init));
        return o;
    }

    /** The checksum of a run record: the digest of its JSON text without the checksum field. */
    static String checksum(ObjectNode record) {
        ObjectNode copy = record.deepCopy();
        copy.remove("checksum");
        return hex(SketchFormat.digest(List.of(Json.pretty(copy))));
    }

    static String hex(long v) {
        return String.format(java.util.Locale.ROOT, "%016x", v);
    }

    /**
     * Records this run in {@code dir} (under the writer lock), after checking that the directory
     * holds no sketches of another run. A record without sketches (a run that failed before its
     * first sketch), or a damaged record whose store header matches this run, is replaced.
     *
     * @throws CliException if {@code dir} holds sketches of a different run
     */
    void recordRun(Path dir, StoreHeader expected, int directions, String command) throws IOException {
        Path file = dir.resolve(RUN_FILE);
        int keep = 0;
        if (SketchStore.holdsSketchFiles(dir)) {
            Setup other = null;
            try {
                other = Files.exists(file) ? fromSketch(dir, "--sketch") : null;
            } catch (CliException damaged) {
                // checked below against header.jss instead
            }
            String difference = other == null ? null : differenceFrom(other);
            if (difference != null) {
                throw new CliException("--sketch " + dir + " holds sketches of a different training run (" + difference
                        + "); use another directory or delete this one");
            }
            try {
                SketchStore.checkCompatible(dir, expected);
            } catch (SketchStoreException e) {
                throw new CliException("--sketch " + dir + " holds sketches of a different training run: " + e.problem()
                        + "; use another directory or delete this one", e);
            }
            if (other != null) keep = other.recordedDirections;
        }
        ObjectNode record = toJson(Math.max(keep, directions), command);
        record.put("grouping", grouping(expected.groups()));
        AtomicFiles.writeString(file, Json.pretty(withChecksum(record)) + System.lineSeparator());
    }

    private static ObjectNode withChecksum(ObjectNode record) {
        record.put("checksum", checksum(record));
        return record;
    }

    /**
     * Checks that the store header in {@code dir} describes this run (n, P, the seed, the data
     * and the initial parameters; and, for the directory the record was read from, the grouping): a
     * run record copied or edited apart from its sketches is refused.
     */
    void checkAgainst(StoreHeader h, Path dir) {
        String what = null;
        if (h.examples() != n()) what = "n = " + h.examples() + " in header.jss, " + n() + " names in " + RUN_FILE;
        else if (h.parameters() != parameters()) what = "P = " + h.parameters() + " in header.jss, " + parameters() + " in " + RUN_FILE;
        else if (h.directionSeed() != seed) what = "seed " + h.directionSeed() + " in header.jss, " + seed + " in " + RUN_FILE;
        else if (h.dataDigest() != dataDigest()) what = "the training names differ (data digest)";
        else if (h.initialDigest() != SketchFormat.digest(init)) what = "the initial parameters differ (digest)";
        else if (recordedGrouping != null && dir.equals(recordDirectory) && !recordedGrouping.equals(grouping(h.groups()))) {
            // only against the store the record was read from (validate reads a grouped store with the
            // per-example store's run)
            what = "grouping " + grouping(h.groups()) + " in header.jss, " + recordedGrouping + " in " + RUN_FILE;
        }
        if (what != null) {
            throw new CliException("--sketch " + dir + ": " + RUN_FILE + " does not describe the sketches there (" + what
                    + "): it was replaced or edited; re-sketch, or restore the " + RUN_FILE + " made with these sketches");
        }
    }

    /**
     * How to (re)compute the sketches of {@code dir}: the sketch command on the directory itself,
     * which takes the training run from its {@value #RUN_FILE} and the degree and grouping from
     * its header (never the command recorded when it was made: a moved or copied store would be
     * sent back to its old place).
     */
    String sketchCommand(Path dir) {
        return Experiments.resumeCommand(dir);
    }

    /** The first difference from another run, or null if they are the same. */
    String differenceFrom(Setup other) {
        if (!study.name().equals(other.study.name())) {
            return "study " + other.study.name() + " there, " + study.name() + " here";
        }
        MicroGptStudy.MicroGptProblem m = microgptOrNull();
        MicroGptStudy.MicroGptProblem o = other.microgptOrNull();
        if (m != null && o != null && !m.vocabulary().equals(o.vocabulary())) {
            return "vocabulary \"" + o.vocabulary().characters() + "\" there, \"" + m.vocabulary().characters() + "\" here";
        }
        if (n() != other.n()) return "--steps " + other.n() + " there, " + n() + " here";
        for (int i = 0; i < n(); i++) {
            if (!names.get(i).equals(other.names.get(i))) {
                return "training name " + i + " is \"" + other.names.get(i) + "\" there, \"" + names.get(i) + "\" here";
            }
        }
        if (dataDigest() != other.dataDigest()) return "the training data differ (data digest)";
        if (!Arrays.equals(init, other.init)) return "different initial parameters";
        if (seed != other.seed) return "--seed " + other.seed + " there, " + seed + " here";
        return null;
    }

    /** The run recorded in a sketch directory. */
    static Setup fromSketch(Path dir, String option) {
        return fromSketch(dir, option, null);
    }

    /**
     * The run recorded in a sketch directory, rebuilt by the study that made it (found in
     * {@code choice}'s --classpath, else the one recorded); a --study naming another study is refused.
     */
    static Setup fromSketch(Path dir, String option, Options.StudyChoice choice) {
        Path file = dir.resolve(RUN_FILE);
        if (!Files.isDirectory(dir)) {
            throw new CliException(option + " " + dir + ": no such directory (make sketches with './jetsketch sketch"
                    + " --sketch " + dir + "')");
        }
        if (!Files.isRegularFile(file)) {
            throw new CliException(option + " " + dir + ": no " + RUN_FILE + " there; it is not a sketch directory made"
                    + " by the jetsketch command line");
        }
        String damaged = option + " " + dir + ": " + RUN_FILE + " is damaged (";
        String repair = "); the sketches may be intact: run the sketch command that made them again (same --data or"
                + " --docs, --steps, --seed, --init, --degree, --sketch) to rewrite it, or './jetsketch verify --sketch "
                + dir + "' to check the store";
        JsonNode o;
        try {
            o = Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null
                    ? "not valid JSON at line " + j.getLocation().getLineNr() : "cannot be read";
            throw new CliException(damaged + why + repair, e);
        }
        if (o == null || !o.isObject()) throw new CliException(damaged + "not a JSON object" + repair);
        String format = o.path("format").asText();
        if ("jetsketch-run/1".equals(format)) {
            throw new CliException(option + " " + dir + ": written by an older jetsketch (run format 1, store format 1),"
                    + " which this version no longer reads: re-sketch into a new directory");
        }
        if (!RUN_FORMAT.equals(format)) {
            throw new CliException(option + " " + dir + ": " + RUN_FILE + " is not a " + RUN_FORMAT + " file");
        }
        if (!checksum((ObjectNode) o).equals(o.path("checksum").asText())) {
            throw new CliException(damaged + "its checksum does not match its content: edited or corrupted" + repair);
        }
        List<String> names = new ArrayList<>();
        o.path("names").forEach(x -> names.add(x.asText()));
        double[] init = new double[o.path("init").size()];
        for (int i = 0; i < init.length; i++) init[i] = o.path("init").get(i).asDouble();
        // a record without a study was written by microgpt's command line before studies
        String studyName = o.hasNonNull("study") ? o.path("study").asText() : MicroGptStudy.NAME;
        String recordedClasspath = o.hasNonNull("classpath") ? o.path("classpath").asText() : null;
        if (choice != null && choice.study != null && !choice.study.equals(studyName)) {
            Study named = findStudy(choice.study, choice.classpath != null ? choice.classpath : recordedClasspath);
            if (!named.name().equals(studyName)) {
                throw new CliException(option + " " + dir + ": the sketches there were made by study " + studyName
                        + ", not " + named.name() + "; leave out --study, or use a store made by " + named.name());
            }
        }
        String classpath = choice != null && choice.classpath != null ? choice.classpath : recordedClasspath;
        Study study = findStudy(studyName, classpath);
        JsonNode in = o.path("input");
        java.util.Map<String, String> options = new java.util.TreeMap<>();
        in.path("options").fields().forEachRemaining(e -> options.put(e.getKey(), e.getValue().asText()));
        if (o.hasNonNull("vocabulary")) options.put("vocabulary", o.path("vocabulary").asText());
        StudyInput input = StudyInput.of(in.hasNonNull("data") ? Path.of(in.path("data").asText()) : null,
                o.path("seed").asLong(), in.hasNonNull("steps") ? in.path("steps").asInt() : null, options);
        Problem<?> problem;
        try {
            problem = study.restore(input, names, init);
        } catch (StudyException e) {
            throw new CliException(damaged + e.getMessage() + repair, e);
        }
        Setup setup = new Setup(study, problem, classpath, o.path("data").asText(), o.path("initSource").asText());
        if (!Arrays.equals(setup.init, init) || !setup.names.equals(names)) {
            throw new CliException(option + " " + dir + ": study " + studyName + " rebuilt a different training run from "
                    + RUN_FILE + " (" + (setup.names.equals(names) ? "the initial parameters" : "the training examples")
                    + " differ): its data file was changed or replaced; restore it, or re-sketch");
        }
        setup.recordedDirections = o.path("directions").asInt(0);
        setup.recordedCommand = o.hasNonNull("sketchCommand") ? o.path("sketchCommand").asText() : null;
        setup.recordedGrouping = o.hasNonNull("grouping") ? o.path("grouping").asText() : null;
        setup.recordDirectory = dir;
        return setup;
    }

    // ------------------------------------------------------------------------ on Spark

    /** What a Spark executor rebuilds this run from: the study, its input, the examples' names and θ₀. */
    Recipe recipe() {
        return new Recipe(study.name(), problem.input(), new ArrayList<>(names), init.clone());
    }

    /**
     * A serializable description of a run; an executor finds the study (in its context class
     * loader) and restores the same problem from it.
     */
    static final class Recipe implements TrainingRecipe<Object> {
        private static final long serialVersionUID = 2L;
        private final String study;
        private final StudyInput input;
        private final ArrayList<String> names;
        private final double[] init;
        private transient Setup setup;

        Recipe(String study, StudyInput input, ArrayList<String> names, double[] init) {
            this.study = study;
            this.input = input;
            this.names = names;
            this.init = init;
        }

        synchronized Setup setup() {
            if (setup == null) {
                ClassLoader loader = Thread.currentThread().getContextClassLoader();
                Study s = Studies.find(study, loader != null ? loader : Recipe.class.getClassLoader());
                setup = new Setup(s, s.restore(input, names, init), null, null, null);
            }
            return setup;
        }

        @Override
        public Training<Object> rebuild() {
            Setup s = setup();
            return new Training<>(s.circuit, s.data, s.schedule);
        }
    }

    // ------------------------------------------------------------------------ training

    /** A fresh trainer (not thread-safe: one per thread). */
    Trainer<Object> trainer() {
        return runs.trainer();
    }

    /**
     * Ordinary training from the initial parameters with weights {@code w} (null: all 0),
     * optionally reporting each step and collecting the per-step (weighted) losses.
     */
    double[] train(double[] w, Progress progress, double[] stepLosses) {
        return runs.train(w, progress == null ? null : progress::advance, stepLosses);
    }

    /** The measurement at trained parameters {@code theta}. */
    double measure(BoundMeasurement m, double[] theta) {
        return runs.measure(m, theta);
    }

    /** w = t·1_D. */
    double[] weights(int[] deletion, double t) {
        return runs.weights(deletion, t);
    }
}
