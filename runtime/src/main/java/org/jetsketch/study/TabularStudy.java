package org.jetsketch.study;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jetsketch.circuit.CompiledCircuit;
import org.jetsketch.data.NumericCsv;
import org.jetsketch.data.NumericTable;
import org.jetsketch.data.TableColumns;
import org.jetsketch.data.TableDataException;
import org.jetsketch.sketch.Groups;
import org.jetsketch.sketch.SketchFormat;
import org.jetsketch.train.Dataset;
import org.jetsketch.train.Schedule;

/**
 * A {@link Study} of a circuit whose example is a numeric record, read from a CSV file with a
 * header: a user names the circuit, the feature and label columns, and how a record becomes an
 * example, registers the subclass with {@code @AutoService(Study.class)}, and every command works
 * on their file ({@code jetsketch sketch --study com.acme.Churn --data churn.csv}).
 *
 * <p>What a subclass gives: {@link #name()}, {@link #summary()}, {@link #columns()} (the default
 * columns; {@code --option features=a,b,c}, {@code label=y}, {@code id=name} change them),
 * {@link #circuit(int, StudyInput)} (the compiled circuit for that many features),
 * {@link #example(double[], double)} and optionally {@link #schedule(int, StudyInput)},
 * {@link #defaultMeasurement(TabularProblem)} and {@link #bundledData()}. The initial parameters are
 * the circuit instance's {@code @Param} values, or those given ({@link StudyInput#initialParameters()}).
 *
 * <p>What it gets: the file read and checked by {@link NumericCsv} (an error names the file, the line
 * and the column); examples named by the id column or as {@code row L} (L its line, as a
 * spreadsheet numbers it); the measurements {@code loss:<example>} (that example's loss, by its
 * name) and every {@code @Measurement} method of the circuit with numeric arguments
 * ({@link CircuitMeasurements}); the groupings {@code column:<name>} for every column of the file
 * but the id (the examples with the same value in that column form a group).
 *
 * @param <E> the circuit's example type
 */
public abstract class TabularStudy<E> implements Study {

    /** The options every tabular study takes: the columns, overriding {@link #columns()}. */
    public static final List<String> OPTIONS = List.of("features", "id", "label");

    /** The prefix of the column groupings: {@code column:region}. */
    public static final String COLUMN_GROUPING = "column:";

    /** The default columns: features, label and optional id, by header name. */
    protected abstract TableColumns columns();

    /**
     * The compiled circuit for {@code features} feature columns, for example
     * {@code new Churn_Circuit(new Churn(features, 0.01))}. Called once per load: its initial
     * parameters (the {@code @Param} fields' values) are the training's starting point.
     */
    protected abstract CompiledCircuit<E> circuit(int features, StudyInput input);

    /**
     * The example a record makes. Refuse a value the circuit cannot take (a label that is not a
     * class) with an {@link IllegalArgumentException}: its message is reported with the file, the
     * line and the label column.
     */
    protected abstract E example(double[] features, double label);

    /**
     * Which examples each step trains on. The default: full-batch steps, {@code --steps} of them or
     * {@link #defaultSteps()}.
     */
    protected Schedule schedule(int examples, StudyInput input) {
        return Schedule.fullBatch(examples, input.steps().orElse(defaultSteps()));
    }

    /** The number of full-batch steps when {@code --steps} is not given. */
    protected int defaultSteps() {
        return 100;
    }

    /**
     * The classpath resource (relative to the subclass) of a CSV file used when {@code --data} is
     * not given, or null if the study has no data of its own (then {@code --data} is required).
     */
    protected String bundledData() {
        return null;
    }

    /** The measurement used when the user names none: the loss of the first example. */
    protected String defaultMeasurement(TabularProblem<E> problem) {
        return "loss:" + problem.exampleName(0);
    }

    @Override
    public List<String> usage() {
        TableColumns c = columns();
        List<String> lines = new ArrayList<>();
        lines.add("--data FILE: a CSV file (UTF-8, comma-separated, a header row naming the columns) with numeric columns "
                + String.join(", ", c.features()) + " (the features) and " + c.label() + " (the label)"
                + (c.id() == null ? "" : ", and column " + c.id() + " naming each example")
                + (bundledData() == null ? "; required" : "; default: the bundled " + bundledData()));
        lines.add("--option features=A,B,...: other feature columns (the circuit gets as many features as are named)");
        lines.add("--option label=COLUMN, --option id=COLUMN: other label and id columns");
        lines.add("--steps N: " + "the number of training steps (default " + defaultSteps() + ")");
        lines.add("measurements: loss:<example> (an id" + (c.id() == null ? "" : " or 'row L'")
                + "), and the circuit's @Measurement methods: method:<arg>;<arg> with array elements separated by ','");
        lines.add("groupings: column:<name> for every column but the id (examples with the same value form a group)");
        return lines;
    }

    @Override
    public TabularProblem<E> load(StudyInput input) {
        input.requireOnly(name(), OPTIONS);
        TableColumns columns = columns(input);
        NumericTable table;
        try {
            table = read(input, columns);
        } catch (TableDataException e) {
            throw new StudyException("--data: " + e.getMessage(), e);
        }
        List<E> examples = new ArrayList<>(table.size());
        for (int i = 0; i < table.size(); i++) {
            try {
                examples.add(example(table.features(i), table.label(i)));
            } catch (IllegalArgumentException e) {
                throw new StudyException("--data: " + table.errorAt(i, columns.label(), "study " + name()
                        + " refused the record: " + e.getMessage()).getMessage(), e);
            }
        }
        CompiledCircuit<E> circuit = circuit(columns.features().size(), input);
        Schedule schedule = schedule(examples.size(), input);
        if (schedule.examples() != examples.size()) {
            throw new IllegalStateException("study " + name() + ": the schedule is for " + schedule.examples()
                    + " examples, the data has " + examples.size());
        }
        return new TabularProblem<>(this, input, table, examples, circuit, schedule);
    }

    private TableColumns columns(StudyInput input) {
        TableColumns defaults = columns();
        try {
            List<String> features = input.option("features").map(TabularStudy::list).orElse(defaults.features());
            String label = input.option("label").map(String::strip).orElse(defaults.label());
            String id = input.option("id").map(String::strip).orElse(defaults.id());
            return new TableColumns(features, label, id == null || id.isEmpty() ? null : id);
        } catch (IllegalArgumentException e) {
            throw StudyException.malformed("--option: " + e.getMessage());
        }
    }

    private static List<String> list(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",", -1)).map(String::strip).toList();
    }

    private NumericTable read(StudyInput input, TableColumns columns) {
        if (input.data().isPresent()) return NumericCsv.read(input.data().get(), columns);
        String resource = bundledData();
        if (resource == null) {
            throw new StudyException("--data: study " + name() + " needs a CSV file; " + usage().get(0));
        }
        try (InputStream in = getClass().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("study " + name() + ": its bundled data " + resource + " is not on the"
                        + " class path next to " + getClass().getName());
            }
            return NumericCsv.read(resource + " (bundled with study " + name() + ")", in.readAllBytes(), columns);
        } catch (IOException e) {
            throw new StudyException("study " + name() + ": cannot read its bundled data " + resource + ": " + e, e);
        }
    }

    /**
     * A loaded tabular problem: the checked table, the examples made from its rows, the circuit
     * and the schedule.
     */
    public static final class TabularProblem<E> implements Problem<E> {
        private final TabularStudy<E> study;
        private final StudyInput input;
        private final NumericTable table;
        private final Dataset<E> data;
        private final List<E> examples;
        private final CompiledCircuit<E> circuit;
        private final Schedule schedule;
        private final double[] init;
        private final boolean initGiven;
        private final Map<String, Integer> byName = new HashMap<>();

        TabularProblem(TabularStudy<E> study, StudyInput input, NumericTable table, List<E> examples,
                CompiledCircuit<E> circuit, Schedule schedule) {
            this.study = study;
            this.input = input;
            this.table = table;
            this.examples = List.copyOf(examples);
            this.data = Dataset.of(this.examples);
            this.circuit = circuit;
            this.schedule = schedule;
            double[] given = input.initialParameters().orElse(null);
            if (given != null && given.length != circuit.layout().size()) {
                throw new StudyException("--init: has " + given.length + " numbers, expected " + circuit.layout().size()
                        + " (the P initial parameters of " + circuit.circuitName() + " in layout order)");
            }
            this.init = given != null ? given : circuit.initialParameters();
            this.initGiven = given != null;
            for (int i = 0; i < table.size(); i++) byName.put(table.displayName(i), i);
        }

        /** The checked table the examples were made from. */
        public NumericTable table() { return table; }

        @Override public String study() { return study.name(); }

        @Override public StudyInput input() { return input; }

        @Override public CompiledCircuit<E> circuit() { return circuit; }

        @Override public Dataset<E> data() { return data; }

        @Override public String exampleName(int i) { return table.displayName(i); }

        /** The id column's name when it is a plain lower-case word ("customer"), otherwise "row". */
        @Override
        public String exampleNoun() {
            String id = table.columns().id();
            return id != null && id.matches("[a-z]+") ? id : "row";
        }

        @Override public Schedule schedule() { return schedule; }

        @Override public double[] initialParameters() { return init.clone(); }

        @Override
        public String dataSource() {
            TableColumns c = table.columns();
            return table.size() + " rows of " + table.source() + ": features " + String.join(", ", c.features())
                    + ", label " + c.label() + (c.id() == null ? "" : ", id " + c.id());
        }

        @Override
        public String initSource() {
            return initGiven ? "given" : "the @Param fields of " + circuit.circuitName() + " as study " + study.name()
                    + " builds it";
        }

        /** SHA-256 over n, the feature count, every feature vector and every label, in row order. */
        @Override
        public long dataDigest() {
            int f = table.featureCount();
            double[] all = new double[2 + table.size() * (f + 1)];
            all[0] = table.size();
            all[1] = f;
            int k = 2;
            for (int i = 0; i < table.size(); i++) {
                System.arraycopy(table.features(i), 0, all, k, f);
                k += f;
                all[k++] = table.label(i);
            }
            return SketchFormat.digest(all);
        }

        @Override
        public String defaultMeasurement() { return study.defaultMeasurement(this); }

        @Override
        public List<String> measurementForms() {
            List<String> forms = new ArrayList<>();
            forms.add("loss:<example>");
            forms.addAll(CircuitMeasurements.forms(circuit));
            return forms;
        }

        @Override
        public StudyMeasurement measurement(String spec) {
            String text = spec == null ? defaultMeasurement() : spec;
            if (text.startsWith("loss:")) {
                String name = text.substring("loss:".length());
                Integer i = byName.get(name);
                if (i == null) {
                    throw new StudyException("--measure " + text + ": no example is named '" + name + "' ("
                            + (table.columns().id() == null ? "examples are named 'row L', L their line in "
                            : "examples are named by column " + table.columns().id() + " of ") + table.source() + ")");
                }
                return new StudyMeasurement(text, "loss on " + name,
                        ExampleLoss.of(circuit, examples.get(i), "loss on " + name + " (line " + table.line(i) + ")"));
            }
            StudyMeasurement own = CircuitMeasurements.parseOrNull(circuit, text);
            if (own != null) return own;
            int colon = text.indexOf(':');
            throw StudyException.malformed("--measure " + text + ": unknown kind '" + (colon < 0 ? text
                    : text.substring(0, colon)) + "'; expected " + String.join(", ", measurementForms()));
        }

        @Override
        public List<String> groupings() {
            List<String> out = new ArrayList<>();
            for (String column : table.header()) {
                if (column.equals(table.columns().id())) continue;
                out.add(COLUMN_GROUPING + column + ": the value of column '" + column + "'");
            }
            return out;
        }

        @Override
        public Groups groups(String name) {
            String column = name.startsWith(COLUMN_GROUPING) ? name.substring(COLUMN_GROUPING.length()) : null;
            if (column == null || !table.hasColumn(column) || column.equals(table.columns().id())) {
                throw new StudyException("--group-by " + name + ": not a grouping of " + table.source() + "; it offers "
                        + String.join(", ", groupingNames()));
            }
            for (int i = 0; i < table.size(); i++) {
                if (table.text(i, column).isEmpty()) {
                    throw new StudyException("--group-by " + name + ": " + table.errorAt(i, column,
                            "empty, so the example has no group").getMessage());
                }
            }
            return Groups.byKey(table.size(), i -> table.text(i, column));
        }
    }
}
