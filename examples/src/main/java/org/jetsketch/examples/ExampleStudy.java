package org.jetsketch.examples;

import com.google.auto.service.AutoService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jetsketch.circuit.CompiledCircuit;
import org.jetsketch.sketch.Groups;
import org.jetsketch.sketch.SketchFormat;
import org.jetsketch.study.CircuitMeasurements;
import org.jetsketch.study.ExampleLoss;
import org.jetsketch.study.Problem;
import org.jetsketch.study.Study;
import org.jetsketch.study.StudyException;
import org.jetsketch.study.StudyInput;
import org.jetsketch.study.StudyMeasurement;
import org.jetsketch.train.Dataset;
import org.jetsketch.train.Schedule;

/**
 * The three worked examples ({@link Examples}) as studies, so that every command of the command
 * line runs on them: {@code ./jetsketch sketch --study linear --sketch s}. Each ships its own
 * seeded data and fixed schedule ({@code --data}, {@code --steps} and options are refused: the
 * settings were chosen so that deleting the example's D is a perturbation the Taylor series
 * resolves). Measurements: the circuit's {@code @Measurement} methods by spec
 * ({@link CircuitMeasurements}) and {@code loss:<index>}, the circuit's own {@code @Loss} on training
 * example {@code index} ({@link ExampleLoss}, as for every study); groupings: {@code tens} (consecutive blocks of ten examples; D is the last block)
 * and, for the classifiers, {@code label}.
 */
public abstract class ExampleStudy implements Study {

    private final String name;

    ExampleStudy(String name) {
        this.name = name;
    }

    /** The example, freshly built. */
    abstract Example<?> example();

    /** The default measurement's spec: the example's φ, as {@link CircuitMeasurements} names it. */
    abstract String defaultMeasurement();

    @Override
    public String name() {
        return name;
    }

    @Override
    public String summary() {
        return example().title();
    }

    @Override
    public List<String> usage() {
        ExampleProblem<?> p = load(StudyInput.ofSeed(1));
        List<String> lines = new ArrayList<>();
        lines.add("data: " + p.example.dataDescription() + " (built in; --data, --steps and --option are not accepted)");
        lines.add("measurements: " + String.join(", ", p.measurementForms()) + " (default " + defaultMeasurement() + ")");
        lines.add("groupings: " + String.join("; ", p.groupings()));
        return lines;
    }

    @Override
    public ExampleProblem<?> load(StudyInput input) {
        input.requireOnly(name, List.of());
        if (input.data().isPresent()) {
            throw new StudyException("--data " + input.data().get() + ": study " + name + " ships its own data and"
                    + " reads no file; for your own data use a study that reads CSV");
        }
        if (input.steps().isPresent()) {
            throw new StudyException("--steps " + input.steps().getAsInt() + ": study " + name + " has a fixed schedule ("
                    + example().schedule().descriptor() + "); --steps is not accepted");
        }
        return new ExampleProblem<>(name, input, example(), defaultMeasurement());
    }

    /** Least-squares regression with an outlier cluster ({@link Examples#linear()}). */
    @AutoService(Study.class)
    public static final class Linear extends ExampleStudy {
        public Linear() {
            super("linear");
        }

        @Override
        Example<?> example() {
            return Examples.linear();
        }

        @Override
        String defaultMeasurement() {
            return "prediction:1.5,1.0,0.0";
        }
    }

    /** Logistic regression with mislabelled points ({@link Examples#logistic()}). */
    @AutoService(Study.class)
    public static final class Logistic extends ExampleStudy {
        public Logistic() {
            super("logistic");
        }

        @Override
        Example<?> example() {
            return Examples.logistic();
        }

        @Override
        String defaultMeasurement() {
            return "logOdds:1.5,0.75";
        }
    }

    /** The GELU MLP on three blobs with mislabelled points ({@link Examples#mlp()}). */
    @AutoService(Study.class)
    public static final class Mlp extends ExampleStudy {
        public Mlp() {
            super("mlp");
        }

        @Override
        Example<?> example() {
            return Examples.mlp();
        }

        @Override
        String defaultMeasurement() {
            return "logOdds:-1.0,1.732;1;0";
        }
    }

    /** An example's problem: its data (display name: the index, features and target), schedule and circuit. */
    static final class ExampleProblem<E> implements Problem<E> {
        final Example<E> example;
        private final String study;
        private final StudyInput input;
        private final Dataset<E> data;
        private final String defaultMeasurement;

        ExampleProblem(String study, StudyInput input, Example<E> example, String defaultMeasurement) {
            this.study = study;
            this.input = input;
            this.example = example;
            this.data = Dataset.of(example.data());
            this.defaultMeasurement = defaultMeasurement;
        }

        @Override public String study() { return study; }

        @Override public StudyInput input() { return input; }

        @Override public CompiledCircuit<E> circuit() { return example.circuit(); }

        @Override public Dataset<E> data() { return data; }

        @Override
        public String exampleName(int i) {
            Object e = data.get(i);
            if (e instanceof RegressionPoint p) return "#" + i + " x=" + vector(p.x()) + " y=" + number(p.y());
            if (e instanceof LabeledPoint p) return "#" + i + " x=" + vector(p.x()) + " label=" + p.label();
            return "#" + i;
        }

        @Override public Schedule schedule() { return example.schedule(); }

        @Override public double[] initialParameters() { return example.circuit().initialParameters(); }

        @Override public String dataSource() { return example.dataDescription(); }

        @Override public String initSource() { return "the circuit's initial values (zeros or its seeded draw)"; }

        /** Every example's features and target in full precision, in order. */
        @Override
        public long dataDigest() {
            List<String> all = new ArrayList<>(data.size() + 1);
            all.add(study);
            for (int i = 0; i < data.size(); i++) {
                Object e = data.get(i);
                if (e instanceof RegressionPoint p) all.add(Arrays.toString(p.x()) + " " + p.y());
                else if (e instanceof LabeledPoint p) all.add(Arrays.toString(p.x()) + " " + p.label());
                else throw new IllegalStateException("unexpected example type " + e.getClass());
            }
            return SketchFormat.digest(all);
        }

        @Override public String defaultMeasurement() { return defaultMeasurement; }

        @Override
        public List<String> measurementForms() {
            List<String> forms = new ArrayList<>(CircuitMeasurements.forms(example.circuit()));
            forms.add("loss:<index> (the circuit's @Loss on training example index, 0.." + (data.size() - 1) + ")");
            return forms;
        }

        @Override
        public StudyMeasurement measurement(String spec) {
            String text = spec == null ? defaultMeasurement : spec;
            if (text.startsWith("loss:")) {
                String index = text.substring("loss:".length()).strip();
                int i;
                try {
                    i = Integer.parseInt(index);
                } catch (NumberFormatException e) {
                    throw StudyException.malformed("--measure " + text + ": '" + index + "' is not an example index;"
                            + " expected loss:<index>, 0.." + (data.size() - 1));
                }
                if (i < 0 || i >= data.size()) {
                    throw new StudyException("--measure " + text + ": example " + i + " outside 0.." + (data.size() - 1));
                }
                String description = "loss on training example " + exampleName(i);
                return new StudyMeasurement(text, description, ExampleLoss.of(example.circuit(), data.get(i), description));
            }
            StudyMeasurement m = CircuitMeasurements.parseOrNull(example.circuit(), text);
            if (m == null) {
                int colon = text.indexOf(':');
                throw StudyException.malformed("--measure " + text + ": unknown kind '"
                        + (colon < 0 ? text : text.substring(0, colon)) + "'; expected " + String.join(", ", measurementForms()));
            }
            return m;
        }


        @Override
        public List<String> groupings() {
            List<String> g = new ArrayList<>();
            g.add("tens: consecutive blocks of ten examples (0-9, 10-19, ...; D is in the last)");
            if (data.get(0) instanceof LabeledPoint) g.add("label: the example's class label");
            return g;
        }

        @Override
        public Groups groups(String grouping) {
            switch (grouping) {
                case "tens" -> {
                    int n = data.size();
                    return Groups.byKey(n, i -> (i / 10 * 10) + "-" + Math.min(n - 1, i / 10 * 10 + 9),
                            java.util.Comparator.comparingInt(k -> Integer.parseInt(k.substring(0, k.indexOf('-')))));
                }
                case "label" -> {
                    if (data.get(0) instanceof LabeledPoint) {
                        return Groups.byKey(data.size(), i -> "label" + ((LabeledPoint) data.get(i)).label());
                    }
                }
                default -> { }
            }
            throw StudyException.malformed("--group-by " + grouping + ": study " + study + " offers "
                    + String.join(", ", groupingNames())
                    + " (or file:F)");
        }

        private static String vector(double[] x) {
            StringBuilder sb = new StringBuilder("(");
            for (int j = 0; j < x.length; j++) sb.append(j == 0 ? "" : ", ").append(number(x[j]));
            return sb.append(')').toString();
        }

        private static String number(double v) {
            return String.format(Locale.ROOT, "%.3f", v);
        }
    }
}
