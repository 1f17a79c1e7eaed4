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
import org.jetsketch.study.RunRecord;
import org.jetsketch.study.Studies;
import org.jetsketch.study.Study;
import org.jetsketch.study.StudyException;
import org.jetsketch.study.StudyInput;
import org.jetsketch.study.StudyStores;
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
    static final String RUN_FORMAT = "jetsketch-run/3";
    /** The format before studies (microgpt only, checksum over the JSON text); still read. */
    static final String RUN_FORMAT_2 = "jetsketch-run/2";

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
        return RunRecord.grouping(groups);
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

    /** The number of training steps (microgpt: n, one name per step). */
    int steps() {
        return schedule.steps();
    }

    /**
     * The run's size in words: microgpt "1000 training steps" (one name per step), another study
     * "n = 65 examples, 100 steps".
     */
    String size() {
        return isMicroGpt() ? n() + " training steps" : "n = " + n() + " " + nouns() + ", " + steps() + " steps";
    }

    /** The study's word for one training example ("name", "customer", "example"). */
    String noun() {
        return problem.exampleNoun();
    }

    /** Its plural. */
    String nouns() {
        return problem.exampleNounPlural();
    }

    /**
     * The heading of the example-index column in tables: microgpt "step" (step s trains on name s),
     * another study "index".
     */
    String indexHeading() {
        return isMicroGpt() ? "step" : "index";
    }

    /** What step {@code s} trains on, for tables: microgpt its name, another study its batch's examples. */
    String stepName(int s) {
        if (isMicroGpt()) return names.get(s);
        int[] batch = schedule.batchOf(s);
        return batch.length == n() ? "all " + n() + " " + nouns() : java.util.Arrays.toString(batch);
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
        ClassLoader known = LOADERS.get(classpath);
        if (known != null) return known;
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
        // one loader per class path, so that a study's classes are loaded once per JVM
        return LOADERS.computeIfAbsent(classpath, c -> new java.net.URLClassLoader(urls.toArray(java.net.URL[]::new), own));
    }

    private static final java.util.Map<String, ClassLoader> LOADERS = new java.util.concurrent.ConcurrentHashMap<>();

    /** {@code classpath} with every entry made absolute (as run.json records it: the store may be read from elsewhere). */
    static String absolute(String classpath) {
        if (classpath == null) return null;
        List<String> parts = new ArrayList<>();
        for (String part : classpath.split(java.io.File.pathSeparator)) {
            if (!part.isBlank()) parts.add(Main.pathOption("--classpath", part).toAbsolutePath().normalize().toString());
        }
        return String.join(java.io.File.pathSeparator, parts);
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
        Setup setup = new Setup(study, problem, absolute(opts.classpath), null,
                opts.init != null ? opts.init.toString() : null);
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

    /** This run's record (no store facts yet: {@link RunRecord#forStore}). */
    RunRecord record() {
        return RunRecord.of(problem, classpath, dataSource, initSource);
    }

    /**
     * The run record as {@value #RUN_FILE} holds it: the record's fields, the digests the store
     * header also holds (for a reader's eyes), microgpt's vocabulary, and the record's checksum.
     */
    static ObjectNode toJson(RunRecord r) {
        ObjectNode o = Json.object();
        o.put("format", RUN_FORMAT);
        o.put("study", r.study());
        if (r.classpath() != null) o.put("classpath", r.classpath());
        o.put("data", r.dataSource());
        if (r.options().containsKey("vocabulary")) o.put("vocabulary", r.options().get("vocabulary"));
        o.put("seed", r.seed());
        o.put("steps", r.examples());
        o.put("parameters", r.init().length);
        o.put("dataDigest", RunRecord.hex(r.dataDigest()));
        o.put("initialDigest", RunRecord.hex(r.initialDigest()));
        o.put("directions", r.directions());
        if (r.sketchCommand() != null) o.put("sketchCommand", r.sketchCommand());
        o.put("initSource", r.initSource());
        ObjectNode in = o.putObject("input");
        if (r.data() != null) in.put("data", r.data());
        if (r.steps() != null) in.put("steps", r.steps());
        ObjectNode opts = in.putObject("options");
        r.options().forEach(opts::put);
        ArrayNode a = o.putArray("names");
        r.names().forEach(a::add);
        o.set("init", Json.doubles(r.init()));
        if (r.grouping() != null) o.put("grouping", r.grouping());
        o.put("checksum", r.checksum());
        return o;
    }

    /**
     * Records this run in {@code dir} (under the writer lock), after checking that the directory
     * holds no sketches of another run ({@link RunRecord#forStore}).
     *
     * @throws CliException if {@code dir} holds sketches of a different run
     */
    void recordRun(Path dir, StoreHeader expected, int directions, String command) throws IOException {
        RunRecord r;
        try {
            r = record().forStore(dir, expected, directions, command,
                    d -> Files.exists(d.resolve(RUN_FILE)) ? readRecord(d, "--sketch") : null);
        } catch (StudyException e) {
            throw new CliException(e.getMessage(), e);
        }
        AtomicFiles.writeString(dir.resolve(RUN_FILE), Json.pretty(toJson(r)) + System.lineSeparator());
    }

    /**
     * Checks that the store header in {@code dir} describes this run (n, P, the seed, the data
     * and the initial parameters; and, for the directory the record was read from, the grouping): a
     * run record copied or edited apart from its sketches is refused.
     */
    void checkAgainst(StoreHeader h, Path dir) {
        String what = StudyStores.mismatch(h, problem, seed, init);
        if (what != null) what = what.replace(" in the store", " in header.jss").replace(" in the run", " in " + RUN_FILE);
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
        return record().differenceFrom(other.record());
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
        RunRecord r = readRecord(dir, option);
        String classpath = choice != null && choice.classpath != null ? absolute(choice.classpath) : r.classpath();
        if (choice != null && choice.study != null && !choice.study.equals(r.study())) {
            Study named = findStudy(choice.study, classpath);
            if (!named.name().equals(r.study())) {
                throw new CliException(option + " " + dir + ": the sketches there were made by study " + r.study()
                        + ", not " + named.name() + "; leave out --study, or use a store made by " + named.name());
            }
        }
        Study study = findStudy(r.study(), classpath);
        Problem<?> problem;
        try {
            problem = r.restore(study);
        } catch (StudyException e) {
            throw new CliException(damaged(dir, option) + e.getMessage() + repair(dir), e);
        }
        Setup setup = new Setup(study, problem, classpath, r.dataSource(), r.initSource());
        setup.recordedDirections = r.directions();
        setup.recordedCommand = r.sketchCommand();
        setup.recordedGrouping = r.grouping();
        setup.recordDirectory = dir;
        return setup;
    }

    private static String damaged(Path dir, String option) {
        return option + " " + dir + ": " + RUN_FILE + " is damaged (";
    }

    private static String repair(Path dir) {
        return "); the sketches may be intact: run the sketch command that made them again (same --data or"
                + " --docs, --steps, --seed, --init, --degree, --sketch) to rewrite it, or './jetsketch verify --sketch "
                + dir + "' to check the store";
    }

    /** The checksum of a {@value #RUN_FORMAT_2} record: the digest of its JSON text without the checksum field. */
    private static String legacyChecksum(ObjectNode record) {
        ObjectNode copy = record.deepCopy();
        copy.remove("checksum");
        return RunRecord.hex(SketchFormat.digest(List.of(Json.pretty(copy))));
    }

    /**
     * The run record in a sketch directory, its format and checksum checked.
     *
     * @throws CliException naming the directory and what is wrong, and how to repair it
     */
    static RunRecord readRecord(Path dir, String option) {
        Path file = dir.resolve(RUN_FILE);
        if (!Files.isDirectory(dir)) {
            throw new CliException(option + " " + dir + ": no such directory (make sketches with './jetsketch sketch"
                    + " --sketch " + dir + "')");
        }
        if (!Files.isRegularFile(file)) {
            throw new CliException(option + " " + dir + ": no " + RUN_FILE + " there; it is not a sketch directory made"
                    + " by the jetsketch command line");
        }
        String damaged = damaged(dir, option);
        String repair = repair(dir);
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
        boolean legacy = RUN_FORMAT_2.equals(format);
        if (!RUN_FORMAT.equals(format) && !legacy) {
            throw new CliException(option + " " + dir + ": " + RUN_FILE + " is not a " + RUN_FORMAT + " file");
        }
        if (legacy && !legacyChecksum((ObjectNode) o).equals(o.path("checksum").asText())) {
            throw new CliException(damaged + "its checksum does not match its content: edited or corrupted" + repair);
        }
        List<String> names = new ArrayList<>();
        o.path("names").forEach(x -> names.add(x.asText()));
        double[] init = new double[o.path("init").size()];
        for (int i = 0; i < init.length; i++) init[i] = o.path("init").get(i).asDouble();
        JsonNode in = o.path("input");
        java.util.Map<String, String> options = new java.util.TreeMap<>();
        in.path("options").fields().forEachRemaining(e -> options.put(e.getKey(), e.getValue().asText()));
        if (legacy && o.hasNonNull("vocabulary")) options.put("vocabulary", o.path("vocabulary").asText());
        RunRecord r;
        try {
            r = new RunRecord(o.hasNonNull("study") ? o.path("study").asText() : MicroGptStudy.NAME,
                    o.hasNonNull("classpath") ? o.path("classpath").asText() : null, o.path("data").asText(),
                    o.path("initSource").asText(), o.path("seed").asLong(),
                    in.hasNonNull("data") ? in.path("data").asText() : null,
                    in.hasNonNull("steps") ? in.path("steps").asInt() : null, options, names, init,
                    Long.parseUnsignedLong(o.path("dataDigest").asText(), 16), o.path("directions").asInt(0),
                    o.hasNonNull("sketchCommand") ? o.path("sketchCommand").asText() : null,
                    o.hasNonNull("grouping") ? o.path("grouping").asText() : null);
        } catch (NumberFormatException e) {
            throw new CliException(damaged + "its data digest is not a hex number" + repair, e);
        }
        if (!legacy && !r.checksum().equals(o.path("checksum").asText())) {
            throw new CliException(damaged + "its checksum does not match its content: edited or corrupted" + repair);
        }
        return r;
    }

    // ------------------------------------------------------------------------ on Spark

    /** What a Spark executor rebuilds this run from: the study, its input, the examples' names and θ₀. */
    Recipe recipe() {
        return new Recipe(study.name(), classpath, problem.input(), new ArrayList<>(names), init.clone());
    }

    /**
     * A serializable description of a run; an executor finds the study (in its context class
     * loader) and restores the same problem from it.
     */
    static final class Recipe implements TrainingRecipe<Object> {
        private static final long serialVersionUID = 2L;
        private final String study;
        /** The --classpath the study came from (null: the executor's own class path). */
        private final String classpath;
        private final StudyInput input;
        private final ArrayList<String> names;
        private final double[] init;
        private transient Setup setup;

        Recipe(String study, String classpath, StudyInput input, ArrayList<String> names, double[] init) {
            this.study = study;
            this.classpath = classpath;
            this.input = input;
            this.names = names;
            this.init = init;
        }

        synchronized Setup setup() {
            if (setup == null) {
                Study s = Studies.find(study, loader(classpath));
                setup = new Setup(s, s.restore(input, names, init), classpath, null, null);
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
