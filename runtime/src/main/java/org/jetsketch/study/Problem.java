package org.jetsketch.study;

import java.util.List;
import org.jetsketch.circuit.CompiledCircuit;
import org.jetsketch.sketch.Groups;
import org.jetsketch.train.Dataset;
import org.jetsketch.train.Schedule;

/**
 * One loaded learning problem, as a {@link Study} builds it from a {@link StudyInput}: everything a
 * command needs to train, sketch, measure and retrain it. Immutable; its circuit's workspaces are
 * made per thread by the callers.
 *
 * @param <E> the example type of the circuit's {@code @Loss} method
 */
public interface Problem<E> {

    /** The {@link Study#name()} of the study that built this problem. */
    String study();

    /** The input it was built from (recorded with sketches; {@link Study#restore} takes it back). */
    StudyInput input();

    /** The compiled circuit: loss, training step and measurements. */
    CompiledCircuit<E> circuit();

    /** The n training examples, indexed 0..n-1 (example i carries data weight w_i). */
    Dataset<E> data();

    /**
     * The display name of example {@code i}, as listings and deletion reports show it (a training
     * name, "row 17", "x=(1.5, 1.0) y=0"); not necessarily unique.
     */
    String exampleName(int i);

    /**
     * The word for one training example in listings and messages ("the 5 most influential
     * customers", "none of the 200 rows contains ..."): microgpt "name", a tabular study the name
     * of its id column when that is a plain word ("customer") or else "row"; by default "example".
     */
    default String exampleNoun() {
        return "example";
    }

    /** The plural of {@link #exampleNoun()}. */
    default String exampleNounPlural() {
        return exampleNoun() + "s";
    }

    /** Which examples each step trains on; it never depends on the data weights. */
    Schedule schedule();

    /** A fresh copy of the initial parameters θ₀ (P values, in the circuit's layout order). */
    double[] initialParameters();

    /** One line: where the examples came from ("the first 1000 names of ... shuffled with seed 42"). */
    String dataSource();

    /** One line: where the initial parameters came from ("N(0, 0.08^2) with seed 42", a file). */
    String initSource();

    /**
     * A digest of the training examples in order (not of their display names only): stored with
     * sketches, so that sketches of other data are never mixed in. Compute it with {@link
     * org.jetsketch.sketch.SketchFormat#digest(java.util.List)} or {@link
     * org.jetsketch.sketch.SketchFormat#digest(double[])} over a faithful text or numeric form.
     */
    long dataDigest();

    /** n, the number of training examples. */
    default int examples() {
        return data().size();
    }

    /** P, the number of parameters. */
    default int parameters() {
        return circuit().layout().size();
    }

    /** All display names, in example order. */
    default List<String> exampleNames() {
        String[] names = new String[examples()];
        for (int i = 0; i < names.length; i++) names[i] = exampleName(i);
        return List.of(names);
    }

    /** The measurement spec used when the user names none. */
    String defaultMeasurement();

    /**
     * The measurement a spec string names: {@code kind:arguments}, for example
     * {@code loss:<example>}, {@code prob:<prefix>:<next>} (microgpt) or one of the circuit's own
     * {@code @Measurement} methods with its arguments ({@code prediction:1.5,1.0,0}), see
     * {@link CircuitMeasurements}.
     *
     * @throws StudyException naming the bad part of the spec and the accepted forms ({@link
     *     StudyException#malformed()} if the text could not be parsed)
     */
    StudyMeasurement measurement(String spec);

    /** The accepted measurement forms, one line each, for help and errors. */
    List<String> measurementForms();

    /**
     * The groupings this problem offers for grouped sketches ({@code --group-by NAME}), each as
     * "name: what it groups by". Every problem also accepts {@code file:F} (one group name per
     * example, in example order), which callers handle themselves.
     */
    List<String> groupings();

    /**
     * The names of {@link #groupings()}, each entry's text before its first ": " (not its first
     * ':', since a name may itself hold one: {@code column:region: examples with the same region}).
     * An entry without ": " is all name.
     */
    default List<String> groupingNames() {
        return groupings().stream().map(g -> {
            int split = g.indexOf(": ");
            return split < 0 ? g : g.substring(0, split);
        }).toList();
    }

    /**
     * The examples grouped by the offered grouping {@code name} (one of {@link #groupings()}'s
     * names).
     *
     * @throws StudyException if there is no such grouping
     */
    Groups groups(String name);

    /**
     * Warnings about the data a user should see wherever it is read (microgpt: names longer than
     * the model's context); empty if none.
     */
    default List<String> warnings() {
        return List.of();
    }
}
