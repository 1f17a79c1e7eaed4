package org.jetsketch.microgpt;

import com.google.auto.service.AutoService;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntFunction;
import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.circuit.CompiledCircuit;
import org.jetsketch.sketch.Groups;
import org.jetsketch.sketch.SketchFormat;
import org.jetsketch.study.CircuitMeasurements;
import org.jetsketch.study.Problem;
import org.jetsketch.study.Study;
import org.jetsketch.study.StudyException;
import org.jetsketch.study.StudyFiles;
import org.jetsketch.study.StudyInput;
import org.jetsketch.study.StudyMeasurement;
import org.jetsketch.study.StudyText;
import org.jetsketch.train.Dataset;
import org.jetsketch.train.Schedule;

/**
 * microgpt as a {@link Study}, the command line's default: the paper's one-layer character-level
 * GPT trained by Adam on one name per step. {@code --data FILE} is a names file (one name per
 * line; its characters are the vocabulary; default: the bundled 32,033 names), shuffled once with
 * the seed; option {@code docs=FILE} gives the training names in order instead (not shuffled).
 * {@code --steps} names are trained on (default {@value NamesData#DEFAULT_NUM_STEPS}, or all of
 * {@code docs}). Option {@code vocabulary=CHARS} fixes the vocabulary (a store records it, so that
 * {@link #restore} needs no file).
 */
@AutoService(Study.class)
public final class MicroGptStudy implements Study {

    /** The name the study is chosen by. */
    public static final String NAME = "microgpt";

    static final List<String> OPTIONS = List.of("docs", "vocabulary");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "the paper's one-layer character-level GPT on names, Adam, one name per step";
    }

    @Override
    public List<String> usage() {
        return List.of(
                "--data FILE: names file, one name per line (UTF-8); its characters are the vocabulary"
                        + " (default: the bundled 32,033 names), shuffled once with --seed",
                "--option docs=FILE: the training names in order, one per line, not shuffled",
                "--option vocabulary=CHARS: the vocabulary's characters (default: those of --data)",
                "--steps N: the number of training names, one per step (default 1000, or all of docs)",
                "measurements: loss:<name>, prob:<prefix>:<next-char>, logit:<prefix>:<next-char> (next-char 'end'"
                        + " is the end of the name)",
                "groupings: first-letter, last-letter, length");
    }

    @Override
    public MicroGptProblem load(StudyInput input) {
        input.requireOnly(NAME, OPTIONS);
        NamesData data;
        Path dataFile = input.data().orElse(null);
        try {
            data = dataFile == null ? NamesData.bundled() : names(dataFile, "--data");
        } catch (StudyException e) {
            throw new StudyException("--data: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new StudyException("--data: " + e.getMessage(), e);
        }
        Vocabulary vocabulary = input.option("vocabulary").map(c -> Vocabulary.of(List.of(c))).orElse(data.vocabulary());
        Integer steps = input.steps().isPresent() ? input.steps().getAsInt() : null;
        List<String> names;
        String source;
        String where;
        if (input.option("docs").isPresent()) {
            Path docsFile = Path.of(input.option("docs").get());
            NamesData docs;
            try {
                docs = names(docsFile, "--docs");
            } catch (IllegalArgumentException e) {
                throw new StudyException("--docs: " + e.getMessage(), e);
            }
            int n = steps == null ? docs.size() : steps;
            if (n > docs.size()) {
                throw new StudyException("--steps " + n + " needs " + n + " training names, but --docs " + docsFile
                        + " has " + docs.size());
            }
            names = docs.first(n);
            source = "the first " + n + " names of " + docsFile + " in file order";
            where = "--docs " + docsFile;
        } else {
            int n = steps == null ? NamesData.DEFAULT_NUM_STEPS : steps;
            if (n > data.size()) {
                throw new StudyException("--steps " + n + " needs " + n + " training names, but " + data.source()
                        + " has " + data.size());
            }
            names = data.shuffled(input.seed()).first(n);
            source = "the first " + n + " names of " + (dataFile == null ? "the bundled names" : dataFile.toString())
                    + " shuffled with seed " + input.seed();
            where = dataFile != null ? "--data " + dataFile : "the bundled names";
        }
        try {
            vocabulary.docs(names);
        } catch (IllegalArgumentException e) {
            throw new StudyException((input.option("docs").isPresent() ? where : "--data") + ": " + e.getMessage(), e);
        }
        return build(input.withOption("vocabulary", vocabulary.characters()), source, vocabulary, names);
    }

    /** Rebuilds a recorded run from its training names and the recorded vocabulary, without reading a file. */
    @Override
    public MicroGptProblem restore(StudyInput input, List<String> exampleNames, double[] initialParameters) {
        String characters = input.option("vocabulary").orElseThrow(() -> new StudyException(
                "the recorded microgpt input has no vocabulary"));
        Vocabulary vocabulary = Vocabulary.of(List.of(characters));
        if (exampleNames.isEmpty() || initialParameters.length != MicroGpt.parameterCount(vocabulary.size())) {
            throw new StudyException("no names or a wrong number of initial parameters");
        }
        try {
            vocabulary.docs(exampleNames);
        } catch (IllegalArgumentException e) {
            throw new StudyException("the recorded names do not fit the recorded vocabulary: " + e.getMessage(), e);
        }
        return build(input.withInitialParameters(initialParameters), null, vocabulary, exampleNames);
    }

    /** A problem from given training names; {@code source} null for a run rebuilt from its record. */
    private static MicroGptProblem build(StudyInput input, String source, Vocabulary vocabulary, List<String> names) {
        double[] init = input.initialParameters().orElse(null);
        int p = MicroGpt.parameterCount(vocabulary.size());
        String initSource;
        if (init != null) {
            if (init.length != p) {
                throw new StudyException("--init: has " + init.length + " numbers, expected " + p + " (the P = " + p
                        + " initial parameters for a vocabulary of " + (vocabulary.size() - 1) + " characters plus BOS)");
            }
            initSource = "given";
        } else {
            init = new MicroGpt(vocabulary.size(), input.seed()).flatParameters();
            initSource = "N(0, 0.08^2) with seed " + input.seed();
        }
        return new MicroGptProblem(input, source, vocabulary, names, init, initSource);
    }

    private static NamesData names(Path file, String option) {
        return NamesData.of("names file " + file, StudyFiles.readText(file, option).lines().toList());
    }

    /** A loaded microgpt run: the vocabulary, the training names (step s trains on name s) and the model. */
    public static final class MicroGptProblem implements Problem<Doc> {
        private final StudyInput input;
        private final String dataSource;
        private final Vocabulary vocabulary;
        private final List<String> names;
        private final double[] init;
        private final String initSource;
        private final MicroGpt model;
        private final MicroGpt_Circuit circuit;
        private final Dataset<Doc> data;
        private final Schedule schedule;

        MicroGptProblem(StudyInput input, String dataSource, Vocabulary vocabulary, List<String> names, double[] init,
                String initSource) {
            this.input = input;
            this.dataSource = dataSource != null ? dataSource : "the " + names.size() + " training names recorded with the run";
            this.vocabulary = vocabulary;
            this.names = List.copyOf(names);
            List<Doc> docs = vocabulary.docs(this.names);
            this.model = new MicroGpt(vocabulary.size(), init);
            this.init = model.flatParameters();
            this.initSource = initSource;
            this.circuit = new MicroGpt_Circuit(model);
            this.data = Dataset.of(docs);
            this.schedule = Schedule.sequential(docs.size(), docs.size());
        }

        public Vocabulary vocabulary() { return vocabulary; }

        public MicroGpt model() { return model; }

        /** The training names in step order. */
        public List<String> names() { return names; }

        @Override public String study() { return NAME; }

        @Override public StudyInput input() { return input; }

        @Override public CompiledCircuit<Doc> circuit() { return circuit; }

        @Override public Dataset<Doc> data() { return data; }

        @Override public String exampleName(int i) { return names.get(i); }

        /** A training example is a name. */
        @Override public String exampleNoun() { return "name"; }

        @Override public List<String> exampleNames() { return names; }

        @Override public Schedule schedule() { return schedule; }

        @Override public double[] initialParameters() { return init.clone(); }

        @Override public String dataSource() { return dataSource; }

        @Override public String initSource() { return initSource; }

        /** The vocabulary's characters, then the names in order. */
        @Override
        public long dataDigest() {
            List<String> all = new ArrayList<>(names.size() + 1);
            all.add(vocabulary.characters());
            all.addAll(names);
            return SketchFormat.digest(all);
        }

        @Override public String defaultMeasurement() { return "loss:max"; }

        @Override
        public List<String> measurementForms() {
            return List.of("loss:<name>", "prob:<prefix>:<next-char>", "logit:<prefix>:<next-char>");
        }

        @Override
        public StudyMeasurement measurement(String spec) {
            String text = spec == null ? defaultMeasurement() : spec;
            int colon = text.indexOf(':');
            if (colon < 0) throw usage(text, "missing ':'");
            String kind = text.substring(0, colon);
            String rest = text.substring(colon + 1);
            switch (kind) {
                case "loss" -> {
                    checkCharacters(text, "the name", rest);
                    int length = rest.codePointCount(0, rest.length());
                    int max = model.blockSize() - 1;
                    if (length > max) {
                        throw new StudyException("--measure " + inline(text) + ": the name has " + length
                                + " characters, at most " + max + " fit the context (block_size " + model.blockSize()
                                + " positions: the " + length + " characters and the end of the name); a longer name's"
                                + " loss would silently leave out its end");
                    }
                    return new StudyMeasurement(text, "loss on \"" + rest + "\"", circuit.lossOn(vocabulary.doc(rest)));
                }
                case "prob", "logit" -> {
                    int last = rest.lastIndexOf(':');
                    if (last < 0) {
                        throw usage(text, kind + " needs a prefix and a next character: " + kind + ":<prefix>:<next-char>");
                    }
                    String prefix = rest.substring(0, last);
                    String next = rest.substring(last + 1);
                    checkCharacters(text, "the prefix", prefix);
                    int[] all = vocabulary.encode(prefix);
                    int[] prefixTokens = Arrays.copyOfRange(all, 1, all.length - 1);
                    int max = model.blockSize() - 1;
                    if (prefixTokens.length > max) {
                        throw new StudyException("--measure " + inline(text) + ": the prefix has " + prefixTokens.length
                                + " characters, at most " + max + " fit the context (block_size " + model.blockSize() + ")");
                    }
                    int target;
                    String targetText;
                    if (next.equals("end")) {
                        target = vocabulary.bos();
                        targetText = "the end of the name";
                    } else if (next.codePointCount(0, next.length()) == 1) {
                        checkCharacters(text, "the next character", next);
                        target = vocabulary.id(next.codePointAt(0));
                        targetText = "'" + next + "'";
                    } else {
                        throw usage(text, "the next character must be one character or 'end', got \"" + inline(next) + "\"");
                    }
                    BoundMeasurement bound = kind.equals("prob")
                            ? circuit.nextCharProbability(prefixTokens, target)
                            : circuit.logit(prefixTokens, target);
                    String what = kind.equals("prob") ? "probability of " : "logit of ";
                    return new StudyMeasurement(text, what + targetText + " after \"" + prefix + "\"", bound);
                }
                default -> {
                    StudyMeasurement own = CircuitMeasurements.parseOrNull(circuit, text);
                    if (own != null) return own;
                    throw usage(text, "unknown kind '" + inline(kind) + "'");
                }
            }
        }

        private void checkCharacters(String spec, String what, String s) {
            StringBuilder bad = new StringBuilder();
            s.codePoints().distinct().filter(c -> !vocabulary.contains(c)).forEach(c -> {
                if (bad.length() > 0) bad.append(", ");
                bad.append(Character.isWhitespace(c) || Character.isISOControl(c) ? "" : "'" + Character.toString(c) + "' ")
                        .append(String.format("(U+%04X)", c));
            });
            if (bad.length() > 0) {
                throw new StudyException("--measure " + inline(spec) + ": " + what + " has characters outside the"
                        + " vocabulary: " + bad + " (vocabulary: \"" + vocabulary.characters() + "\")");
            }
        }

        private static StudyException usage(String spec, String problem) {
            return StudyException.malformed("--measure " + inline(spec) + ": " + problem
                    + "; expected loss:<name>, prob:<prefix>:<next-char> or logit:<prefix>:<next-char>");
        }

        @Override
        public List<String> groupings() {
            return List.of("first-letter: the name's first character", "last-letter: the name's last character",
                    "length: the name's length in characters");
        }

        @Override
        public Groups groups(String grouping) {
            return switch (grouping) {
                case "first-letter" -> byKey(i -> names.get(i).substring(0, 1), null);
                case "last-letter" -> byKey(i -> names.get(i).substring(names.get(i).length() - 1), null);
                case "length" -> byKey(i -> Integer.toString(names.get(i).length()),
                        Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder()));
                default -> throw StudyException.malformed("--group-by " + inline(grouping) + ": not a grouping; use"
                        + " first-letter, last-letter, length or file:F");
            };
        }

        private Groups byKey(IntFunction<String> key, Comparator<String> order) {
            return order == null ? Groups.byKey(names.size(), key) : Groups.byKey(names.size(), key, order);
        }

        /**
         * Names longer than the model's context: microgpt sees block_size = 16 positions, predicting
         * character p + 1 from the first p at position p, so a name of more than 15 characters never
         * has its end trained on and one of more than 16 loses its characters past the 16th (names
         * that differ only there train alike). As training data they are what the model was given,
         * so they are used, with this warning wherever they are read.
         */
        @Override
        public List<String> warnings() {
            int fits = model.blockSize() - 1;
            List<Integer> longer = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                if (names.get(i).codePointCount(0, names.get(i).length()) > fits) longer.add(i);
            }
            if (longer.isEmpty()) return List.of();
            StringBuilder shown = new StringBuilder();
            for (int q = 0; q < Math.min(5, longer.size()); q++) {
                String name = names.get(longer.get(q));
                shown.append(q == 0 ? "" : ", ").append("step ").append(longer.get(q)).append(" \"").append(inline(name))
                        .append("\" (").append(name.codePointCount(0, name.length())).append(")");
            }
            if (longer.size() > 5) shown.append(", ... (").append(longer.size() - 5).append(" more)");
            return List.of(longer.size() + " of " + names.size() + " training names have more than " + fits
                    + " characters, the model's context (block_size " + model.blockSize() + " positions: the characters"
                    + " and the end of the name): training never sees the end of such a name, nor its characters past the "
                    + model.blockSize() + "th, so names that differ only there train alike: " + shown);
        }

        private static String inline(String s) {
            return StudyText.inline(s);
        }
    }
}
