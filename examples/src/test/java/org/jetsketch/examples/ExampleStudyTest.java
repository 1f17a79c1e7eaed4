package org.jetsketch.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jetsketch.study.Problem;
import org.jetsketch.study.Studies;
import org.jetsketch.study.Study;
import org.jetsketch.study.StudyException;
import org.jetsketch.study.StudyInput;
import org.jetsketch.study.StudyMeasurement;
import org.jetsketch.train.Trainer;
import org.junit.jupiter.api.Test;

/** The three examples as studies: found by ServiceLoader, their specs parsed, their measurements the examples'. */
class ExampleStudyTest {

    private static final ClassLoader LOADER = ExampleStudyTest.class.getClassLoader();

    @Test
    void theThreeExamplesAreRegisteredAndFoundByNameOrClass() {
        List<String> names = Studies.all(LOADER).stream().map(Study::name).toList();
        assertTrue(names.containsAll(List.of("linear", "logistic", "mlp")), names::toString);
        assertEquals("linear", Studies.find(ExampleStudy.Linear.class.getName(), LOADER).name());
        StudyException e = assertThrows(StudyException.class, () -> Studies.find("lineer", LOADER));
        assertTrue(e.getMessage().contains("no such study") && e.getMessage().contains("linear"), e::getMessage);
    }

    /** The default spec names the example's own φ: same value at the trained parameters. */
    @Test
    void defaultMeasurementIsTheExamplesMeasurement() {
        for (String name : Examples.NAMES) {
            Example<?> example = Examples.byName(name);
            Problem<?> problem = Studies.find(name, LOADER).load(StudyInput.ofSeed(1));
            StudyMeasurement m = problem.measurement(null);
            double viaStudy = trainedValue(problem, m);
            double viaExample = rawTrainer(example.circuit(), org.jetsketch.train.Dataset.of(example.data()),
                    example.schedule()).measure(example.measurement(),
                    rawTrainer(example.circuit(), org.jetsketch.train.Dataset.of(example.data()), example.schedule())
                            .train(new double[example.data().size()]));
            assertEquals(viaExample, viaStudy, 1e-12 * Math.max(1, Math.abs(viaExample)), name);
            assertEquals(example.measurement().description(), m.description(), name);
        }
    }

    /** Spec errors name the bad part; an index out of range is a bad input, not a malformed spec. */
    @Test
    void specErrorsNameTheBadPart() {
        Problem<?> linear = Studies.find("linear", LOADER).load(StudyInput.ofSeed(1));
        StudyException e = assertThrows(StudyException.class, () -> linear.measurement("prediction:1.5,x,0"));
        assertTrue(e.malformed() && e.getMessage().contains("element 2") && e.getMessage().contains("'x'"), e::getMessage);
        e = assertThrows(StudyException.class, () -> linear.measurement("squaredError:1,2,3"));
        assertTrue(e.malformed() && e.getMessage().contains("squaredError:<"), e::getMessage);
        e = assertThrows(StudyException.class, () -> linear.measurement("loss:65"));
        assertTrue(!e.malformed() && e.getMessage().contains("outside 0..64"), e::getMessage);
        e = assertThrows(StudyException.class, () -> linear.measurement("bogus:1"));
        assertTrue(e.malformed() && e.getMessage().contains("prediction:<"), e::getMessage);
        assertTrue(linear.measurement("squaredError:1,2,3;4").description().contains("squaredError"));
    }

    /**
     * loss:i is the circuit's @Loss at training example i: for logistic regression (l2 = 0.01),
     * softplus(z) - y z + l2/2 |w|² by hand.
     */
    @Test
    void lossOfAnExampleMatchesItsFormula() {
        Problem<?> logistic = Studies.find("logistic", LOADER).load(StudyInput.ofSeed(1));
        double[] theta = trainedTheta(logistic);
        LabeledPoint p = (LabeledPoint) logistic.data().get(3);
        double z = theta[theta.length - 1];
        // layout: w (2), bias
        z = theta[2] + theta[0] * p.x()[0] + theta[1] * p.x()[1];
        double expected = Math.log1p(Math.exp(z)) - p.label() * z
                + 0.5 * 0.01 * (theta[0] * theta[0] + theta[1] * theta[1]);
        assertEquals(expected, trainedValue(logistic, logistic.measurement("loss:3")), 1e-12);
        assertEquals("tens", logistic.groupings().get(0).substring(0, 4));
        assertEquals(9, logistic.groups("tens").count());
        assertEquals(2, logistic.groups("label").count());
        assertThrows(StudyException.class, () -> Studies.find("linear", LOADER).load(StudyInput.ofSeed(1)).groups("label"));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Trainer<Object> rawTrainer(org.jetsketch.circuit.CompiledCircuit<?> c,
            org.jetsketch.train.Dataset<?> d, org.jetsketch.train.Schedule s) {
        return new Trainer(c, d, s);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static double[] trainedTheta(Problem<?> problem) {
        return new Trainer(problem.circuit(), problem.data(), problem.schedule()).train(new double[problem.examples()]);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static double trainedValue(Problem<?> problem, StudyMeasurement m) {
        return new Trainer(problem.circuit(), problem.data(), problem.schedule()).measure(m.bound(), trainedTheta(problem));
    }
}
