package org.jetsketch.examples.churn;

import com.google.auto.service.AutoService;
import java.util.List;
import org.jetsketch.circuit.CompiledCircuit;
import org.jetsketch.data.TableColumns;
import org.jetsketch.examples.LabeledPoint;
import org.jetsketch.examples.LogisticRegression;
import org.jetsketch.examples.LogisticRegression_Circuit;
import org.jetsketch.study.Study;
import org.jetsketch.study.StudyInput;
import org.jetsketch.study.TabularStudy;
import org.jetsketch.study.TabularStudy.TabularProblem;
import org.jetsketch.train.Schedule;

/**
 * The worked example of docs/circuits.md: customer churn, a CSV file and a circuit, no other code.
 * {@link LogisticRegression} (L2 0.01, Adam with learning rate 0.1 decaying to 0, ε = 0.1) on the
 * features {@code tenure_years}, {@code monthly_charges} and {@code support_calls} of
 * {@code churn.csv} (bundled; {@code --data FILE} reads another file with these columns), label
 * {@code churned} (0 or 1), customers named by column {@code customer}; full-batch steps
 * ({@code --steps}, default {@value #STEPS}). Group by {@code column:region} to ask what a whole
 * region's customers do to the model.
 *
 * <pre>
 * ./jetsketch sketch --study churn --sketch out/churn --group-by column:region
 * ./jetsketch predict --sketch out/churn --delete-groups west
 * </pre>
 */
// snippet-begin: docs/circuits.md shows the class from here to the end marker, verbatim (DocSnippetsTest)
@AutoService(Study.class)
public final class ChurnStudy extends TabularStudy<LabeledPoint> {

    /** Full-batch Adam steps when --steps is not given. */
    static final int STEPS = 100;

    @Override
    public String name() {
        return "churn";
    }

    @Override
    public String summary() {
        return "customer churn: logistic regression by full-batch Adam on a CSV (bundled: 200 customers)";
    }

    @Override
    protected TableColumns columns() {
        return TableColumns.of(List.of("tenure_years", "monthly_charges", "support_calls"), "churned")
                .withId("customer");
    }

    @Override
    protected CompiledCircuit<LabeledPoint> circuit(int features, StudyInput input) {
        return new LogisticRegression_Circuit(new LogisticRegression(features, 0.01, 0.1, 0.1));
    }

    @Override
    protected LabeledPoint example(double[] features, double label) {
        if (label != 0 && label != 1) throw new IllegalArgumentException("the label must be 0 or 1, got " + label);
        return new LabeledPoint(features, (int) label);
    }

    @Override
    protected Schedule schedule(int examples, StudyInput input) {
        return Schedule.fullBatch(examples, input.steps().orElse(STEPS));
    }

    @Override
    protected String bundledData() {
        return "churn.csv";
    }

    /**
     * The churn probability of a typical at-risk customer (1 year, $110 a month, 3 support calls);
     * with other feature columns, the loss of the first customer.
     */
    @Override
    protected String defaultMeasurement(TabularProblem<LabeledPoint> problem) {
        return problem.table().featureCount() == 3 ? "probability:1.0,1.1,3" : super.defaultMeasurement(problem);
    }
}
// snippet-end
