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
import org.jetsketch.microgpt.Doc;
import org.jetsketch.microgpt.MicroGpt;
import org.jetsketch.microgpt.MicroGpt_Circuit;
import org.jetsketch.microgpt.NamesData;
import org.jetsketch.microgpt.Vocabulary;
import org.jetsketch.io.AtomicFiles;
import org.jetsketch.sketch.SketchFormat;
import org.jetsketch.sketch.SketchStore;
import org.jetsketch.sketch.SketchStoreException;
import org.jetsketch.sketch.StoreHeader;
import org.jetsketch.spark.TrainingRecipe;
import org.jetsketch.train.Dataset;
import org.jetsketch.train.Schedule;
import org.jetsketch.train.Trainer;

/**
 * One resolved training run of microgpt: the vocabulary, the n training names (step s trains on
 * name s, one per step), the initial parameters and the compiled circuit. Built from the data
 * options, or read back from the {@value #RUN_FILE} a sketch directory keeps so that the commands
 * that read sketches train and measure exactly the model that was sketched.
 */
final class Setup {

    /** The file in a sketch directory that records its training run. */
    static final String RUN_FILE = "run.json";
    static final String RUN_FORMAT = "jetsketch-run/2";

    final String dataSource;
    final Vocabulary vocabulary;
    final List<String> names;
    final long seed;
    final String initSource;
    final double[] init;
    final MicroGpt model;
    final MicroGpt_Circuit circuit;
    final Dataset<Doc> data;
    final Schedule schedule;
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

    private Setup(String dataSource, Vocabulary vocabulary, List<String> names, long seed, String initSource,
            double[] init) {
        this.dataSource = dataSource;
        this.vocabulary = vocabulary;
        this.names = List.copyOf(names);
        this.seed = seed;
        this.initSource = initSource;
        List<Doc> docs = vocabulary.docs(this.names);
        this.model = new MicroGpt(vocabulary.size(), init);
        this.init = model.flatParameters();
        this.circuit = new MicroGpt_Circuit(model);
        this.data = Dataset.of(docs);
        this.schedule = Schedule.sequential(docs.size(), docs.size());
    }

    /** n, the number of training names (= steps). */
    int n() {
        return names.size();
    }

    /** P. */
    int parameters() {
        return init.length;
    }

    /** The digest of the training data recorded in the sketch store: the vocabulary, then the names in order. */
    long dataDigest() {
        List<String> all = new ArrayList<>(names.size() + 1);
        all.add(vocabulary.characters());
        all.addAll(names);
        return SketchFormat.digest(all);
    }

    /** Resolves the data options; {@code steps} null means {@code defaultSteps} (or all of --docs). */
    static Setup resolve(Options.Data opts, Integer steps, int defaultSteps) {
        NamesData data;
        try {
            data = opts.data == null ? NamesData.bundled() : names(opts.data, "--data");
        } catch (UncheckedIOException | IllegalArgumentException e) {
            throw new CliException("--data: " + e.getMessage(), e);
        }
        Vocabulary vocabulary = data.vocabulary();
        List<String> names;
        String source;
        if (opts.docs != null) {
            NamesData docs;
            try {
                docs = names(opts.docs, "--docs");
            } catch (UncheckedIOException | IllegalArgumentException e) {
                throw new CliException("--docs: " + e.getMessage(), e);
            }
            int n = steps == null ? docs.size() : steps;
            if (n < 1) throw new UsageException("--steps must be at least 1, got " + n);
            if (n > docs.size()) {
                throw new CliException("--steps " + n + " needs " + n + " training names, but --docs " + opts.docs
                        + " has " + docs.size());
            }
            names = docs.first(n);
            source = "the first " + n + " names of " + opts.docs + " in file order";
        } else {
            int n = steps == null ? defaultSteps : steps;
            if (n < 1) throw new UsageException("--steps must be at least 1, got " + n);
            if (n > data.size()) {
                throw new CliException("--steps " + n + " needs " + n + " training names, but " + data.source()
                        + " has " + data.size());
            }
            names = data.shuffled(opts.seed).first(n);
            source = "the first " + n + " names of " + (opts.data == null ? "the bundled names" : opts.data.toString())
                    + " shuffled with seed " + opts.seed;
        }
        checkVocabulary(vocabulary, names, opts.docs != null ? "--docs " + opts.docs : "--data");
        int p = MicroGpt.parameterCount(vocabulary.size());
        double[] init;
        String initSource;
        if (opts.init != null) {
            init = Json.readNumbers(opts.init, p, "--init", "the P = " + p + " initial parameters for a vocabulary"
                    + " of " + (vocabulary.size() - 1) + " characters plus BOS");
            initSource = opts.init.toString();
        } else {
            init = new MicroGpt(vocabulary.size(), opts.seed).flatParameters();
            initSource = "N(0, 0.08^2) with seed " + opts.seed;
        }
        Setup setup = new Setup(source, vocabulary, names, opts.seed, initSource, init);
        if (opts.mixee != null) setup.warnAboutContext(opts.mixee.commandLine().getErr(), opts.docs != null
                ? "--docs " + opts.docs : opts.data != null ? "--data " + opts.data : "the bundled names");
        return setup;
    }

    /**
     * Warns on {@code err} about training names longer than the model's context: microgpt sees
     * block_size = 16 positions, predicting character p + 1 from the first p at position p, so a
     * name of more than 15 characters never has its end trained on and one of more than 16 loses
     * its characters past the 16th (names that differ only there train alike). --measure refuses
     * such names; as training data they are what the model was given, so they are used, with this
     * warning wherever they are read.
     */
    void warnAboutContext(java.io.PrintWriter err, String where) {
        int fits = model.blockSize() - 1;
        List<Integer> longer = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).codePointCount(0, names.get(i).length()) > fits) longer.add(i);
        }
        if (longer.isEmpty()) return;
        StringBuilder shown = new StringBuilder();
        for (int q = 0; q < Math.min(5, longer.size()); q++) {
            String name = names.get(longer.get(q));
            shown.append(q == 0 ? "" : ", ").append("step ").append(longer.get(q)).append(" \"").append(Text.inline(name))
                    .append("\" (").append(name.codePointCount(0, name.length())).append(")");
        }
        if (longer.size() > 5) shown.append(", ... (").append(longer.size() - 5).append(" more)");
        err.println("warning: " + where + ": " + longer.size() + " of " + names.size() + " training names have more"
                + " than " + fits + " characters, the model's context (block_size " + model.blockSize() + " positions:"
                + " the characters and the end of the name): training never sees the end of such a name, nor its"
                + " characters past the " + model.blockSize() + "th, so names that differ only there train alike: "
                + shown);
        err.flush();
    }

    /** A names file (format: {@link NamesData}), unreadable files in the one wording of {@link InputFiles}. */
    private static NamesData names(Path file, String option) {
        return NamesData.of("names file " + file, InputFiles.readText(file, option).lines().toList());
    }

    private static void checkVocabulary(Vocabulary vocabulary, List<String> names, String where) {
        try {
            vocabulary.docs(names);
        } catch (IllegalArgumentException e) {
            throw new CliException(where + ": " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------------ the run file

    /** The run's record, written into a sketch directory, without its checksum. */
    ObjectNode toJson(int directions, String command) {
        ObjectNode o = Json.object();
        o.put("format", RUN_FORMAT);
        o.put("data", dataSource);
        o.put("vocabulary", vocabulary.characters());
        o.put("seed", seed);
        o.put("steps", n());
        o.put("parameters", parameters());
        o.put("dataDigest", hex(dataDigest()));
        o.put("initialDigest", hex(SketchFormat.digest(init)));
        o.put("directions", directions);
        if (command != null) o.put("sketchCommand", command);
        o.put("initSource", initSource);
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
        if (!vocabulary.equals(other.vocabulary)) {
            return "vocabulary \"" + other.vocabulary.characters() + "\" there, \"" + vocabulary.characters() + "\" here";
        }
        if (n() != other.n()) return "--steps " + other.n() + " there, " + n() + " here";
        for (int i = 0; i < n(); i++) {
            if (!names.get(i).equals(other.names.get(i))) {
                return "training name " + i + " is \"" + other.names.get(i) + "\" there, \"" + names.get(i) + "\" here";
            }
        }
        if (!Arrays.equals(init, other.init)) return "different initial parameters";
        if (seed != other.seed) return "--seed " + other.seed + " there, " + seed + " here";
        return null;
    }

    /** The run recorded in a sketch directory. */
    static Setup fromSketch(Path dir, String option) {
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
        Vocabulary vocabulary = Vocabulary.of(List.of(o.path("vocabulary").asText()));
        if (names.isEmpty() || init.length != MicroGpt.parameterCount(vocabulary.size())) {
            throw new CliException(damaged + "no names or a wrong number of initial parameters" + repair);
        }
        Setup setup = new Setup(o.path("data").asText(), vocabulary, names, o.path("seed").asLong(),
                o.path("initSource").asText(), init);
        setup.recordedDirections = o.path("directions").asInt(0);
        setup.recordedCommand = o.hasNonNull("sketchCommand") ? o.path("sketchCommand").asText() : null;
        setup.recordedGrouping = o.hasNonNull("grouping") ? o.path("grouping").asText() : null;
        setup.recordDirectory = dir;
        return setup;
    }

    // ------------------------------------------------------------------------ on Spark

    /** What a Spark executor rebuilds this run from: the run's record, as in {@value #RUN_FILE}. */
    Recipe recipe() {
        return new Recipe(dataSource, vocabulary.characters(), new ArrayList<>(names), seed, initSource, init.clone());
    }

    /** A serializable description of a run; an executor rebuilds the same Setup from it. */
    static final class Recipe implements TrainingRecipe<Doc> {
        private static final long serialVersionUID = 1L;
        private final String dataSource;
        private final String vocabulary;
        private final ArrayList<String> names;
        private final long seed;
        private final String initSource;
        private final double[] init;
        private transient Setup setup;

        Recipe(String dataSource, String vocabulary, ArrayList<String> names, long seed, String initSource,
                double[] init) {
            this.dataSource = dataSource;
            this.vocabulary = vocabulary;
            this.names = names;
            this.seed = seed;
            this.initSource = initSource;
            this.init = init;
        }

        synchronized Setup setup() {
            if (setup == null) {
                setup = new Setup(dataSource, Vocabulary.of(List.of(vocabulary)), names, seed, initSource, init);
            }
            return setup;
        }

        @Override
        public Training<Doc> rebuild() {
            Setup s = setup();
            return new Training<>(s.circuit, s.data, s.schedule);
        }
    }

    // ------------------------------------------------------------------------ training

    /** A fresh trainer (not thread-safe: one per thread). */
    Trainer<Doc> trainer() {
        return new Trainer<>(circuit, data, schedule);
    }

    /**
     * Ordinary training from the initial parameters with weights {@code w} (null: all 0),
     * optionally reporting each step and collecting the per-step (weighted) losses.
     */
    double[] train(double[] w, Progress progress, double[] stepLosses) {
        Trainer<Doc> trainer = trainer();
        double[] theta = init.clone();
        double[][] state = new double[circuit.stateArrays()][theta.length];
        double[] grad = new double[theta.length];
        for (int s = 0; s < schedule.steps(); s++) {
            double loss = trainer.gradient(theta, w, s, grad);
            trainer.update(theta, grad, state, s);
            if (stepLosses != null) stepLosses[s] = loss;
            if (progress != null) progress.advance();
        }
        return theta;
    }

    /** The measurement at trained parameters {@code theta}. */
    double measure(BoundMeasurement m, double[] theta) {
        return trainer().measure(m, theta);
    }

    /** w = t·1_D. */
    double[] weights(int[] deletion, double t) {
        double[] w = new double[n()];
        for (int i : deletion) w[i] = t;
        return w;
    }
}
