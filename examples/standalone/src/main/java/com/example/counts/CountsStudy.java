package com.example.counts;

import com.google.auto.service.AutoService;
import java.util.List;
import org.jetsketch.circuit.CompiledCircuit;
import org.jetsketch.data.TableColumns;
import org.jetsketch.study.Study;
import org.jetsketch.study.StudyInput;
import org.jetsketch.study.TabularStudy;
import org.jetsketch.train.Schedule;

/**
 * {@link PoissonRegression} on a CSV file, for every jetsketch command:
 * {@code jetsketch sketch --classpath target/classes --study counts --data counts.csv}. The file
 * has a header; columns {@code x0} and {@code x1} are the features, {@code events} the count,
 * {@code record} names each row; any other column can group the rows ({@code --group-by column:source}).
 */
@AutoService(Study.class)
public final class CountsStudy extends TabularStudy<Count> {

    @Override
    public String name() {
        return "counts";
    }

    @Override
    public String summary() {
        return "event counts: Poisson regression by full-batch gradient descent";
    }

    @Override
    protected TableColumns columns() {
        return TableColumns.of(List.of("x0", "x1"), "events").withId("record");
    }

    @Override
    protected CompiledCircuit<Count> circuit(int features, StudyInput input) {
        return new PoissonRegression_Circuit(new PoissonRegression(features));
    }

    @Override
    protected Count example(double[] features, double events) {
        if (events < 0 || events != Math.rint(events) || events > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a count must be a whole number >= 0, got " + events);
        }
        return new Count(features, (int) events);
    }

    @Override
    protected Schedule schedule(int examples, StudyInput input) {
        return Schedule.fullBatch(examples, input.steps().orElse(150));
    }
}
