package org.jetsketch.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jetsketch.train.Dataset;
import org.jetsketch.train.Trainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The {@code mlp} example: a GELU MLP by SGD with momentum, mislabelled points deleted. */
class MlpExampleTest {
    static ExampleChecks.Run run;

    @BeforeAll
    static void runExample() {
        run = ExampleChecks.run("mlp");
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
        Example<LabeledPoint> e = Examples.mlp();
        MlpClassifier_Circuit circuit = (MlpClassifier_Circuit) e.circuit();
        Trainer<LabeledPoint> trainer = new Trainer<>(circuit, Dataset.of(e.data()), e.schedule());
        double[] theta = trainer.train(null);
        double[] x = {0.5, -1.0};
        double p0 = trainer.measure(circuit.probability(x, 0), theta);
        double p1 = trainer.measure(circuit.probability(x, 1), theta);
        double p2 = trainer.measure(circuit.probability(x, 2), theta);
        assertEquals(1.0, p0 + p1 + p2, 1e-12);
        assertEquals(Math.log(p1 / p0), trainer.measure(circuit.logOdds(x, 1, 0), theta), 1e-10);
        assertEquals(-Math.log(p2), trainer.measure(circuit.testLoss(x, 2), theta), 1e-10);
        assertEquals(run.result().f0(), trainer.measure(e.measurement(), theta), 1e-12);
    }
}
