package org.jetsketch.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jetsketch.dsl.Fn;
import org.jetsketch.train.Dataset;
import org.jetsketch.train.Trainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The {@code logistic} example: Adam over mini-batches, mislabelled points deleted. */
class LogisticExampleTest {
    static ExampleChecks.Run run;

    @BeforeAll
    static void runExample() {
        run = ExampleChecks.run("logistic");
    }

    @Test
    void exactDirectionErrorsFallWithTheDegree() {
        ExampleChecks.degreeZeroIsTheTrainedModel(run.result());
        ExampleChecks.exactErrorsFall(run.result());
    }

    @Test
    void sketchPredictionWithinFourStandardErrorsOfTheExactDirection() {
        ExampleChecks.sketchWithinFourStandardErrorsOfExact(run.result());
    }

    @Test
    void leaveOneOutFindsTheMislabelledPoints() {
        ExampleChecks.influentialExamplesAreTheDeletionSet(run.result());
    }

    @Test
    void reportIsComplete() {
        ExampleChecks.reportHasEverySection(run);
    }

    /** The other measurements of the circuit agree with the log-odds on the trained model. */
    @Test
    void measurementsAgree() {
        LogisticRegression_Circuit circuit = new LogisticRegression_Circuit(new LogisticRegression(2, 0.01, 0.1, 0.1));
        Example<LabeledPoint> e = Examples.logistic();
        Trainer<LabeledPoint> trainer = new Trainer<>(circuit, Dataset.of(e.data()), e.schedule());
        double[] theta = trainer.train(null);
        double[] x = {0.3, -0.2};
        double z = trainer.measure(circuit.logOdds(x), theta);
        assertEquals(run.result().f0(), trainer.measure(circuit.logOdds(Examples.LOGISTIC_QUERY.clone()), theta), 1e-12);
        assertEquals(Fn.sigmoid(z), trainer.measure(circuit.probability(x), theta), 1e-12);
        assertEquals(Fn.softplus(z) - z, trainer.measure(circuit.testLoss(x, 1), theta), 1e-12);
    }
}
