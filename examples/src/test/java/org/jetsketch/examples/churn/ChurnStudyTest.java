package org.jetsketch.examples.churn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.circuit.RealWorkspace;
import org.jetsketch.data.TableDataException;
import org.jetsketch.examples.LabeledPoint;
import org.jetsketch.predict.ExactDirection;
import org.jetsketch.predict.GroupPrediction;
import org.jetsketch.predict.GroupedEstimator;
import org.jetsketch.predict.SketchTables;
import org.jetsketch.sketch.SketchStore;
import org.jetsketch.sketch.Sketcher;
import org.jetsketch.predict.ExactDirectionCurve;
import org.jetsketch.sketch.Groups;
import org.jetsketch.study.Studies;
import org.jetsketch.study.StudyException;
import org.jetsketch.study.StudyInput;
import org.jetsketch.study.TabularStudy.TabularProblem;
import org.jetsketch.train.ExactInfluence;
import org.jetsketch.train.Trainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worked tabular example: the bundled CSV is what its generator makes, the study is found by
 * ServiceLoader and reads the file as documented, a bad record is reported by line and column, and
 * the numbers hold against oracles: the example loss against the formula and finite differences,
 * the exact first-order influence against finite differences of retraining, and the predicted
 * effect of deleting each region's customers against retraining without them.
 */
class ChurnStudyTest {

    @TempDir Path dir;

    static TabularProblem<LabeledPoint> problem;
    static Trainer<LabeledPoint> trainer;
    static double[] theta;

    @BeforeAll
    static void train() {
        problem = new ChurnStudy().load(StudyInput.ofSeed(1));
        trainer = new Trainer<>(problem.circuit(), problem.data(), problem.schedule());
        theta = trainer.train(problem.initialParameters(), null);
    }

    @Test
    void theBundledFileIsWhatItsGeneratorMakes() throws IOException {
        try (InputStream in = ChurnStudy.class.getResourceAsStream("churn.csv")) {
            assertEquals(ChurnData.csv(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void theStudyIsRegisteredAndReadsTheFileAsDocumented() {
        assertInstanceOf(ChurnStudy.class, Studies.find("churn", getClass().getClassLoader()));
        assertInstanceOf(ChurnStudy.class, Studies.find(ChurnStudy.class.getName(), getClass().getClassLoader()));
        assertEquals(200, problem.examples());
        assertEquals(4, problem.parameters());
        assertEquals("C001", problem.exampleName(0));
        assertEquals("C200", problem.exampleName(199));
        // C001,east,0.7,1.01,0,1
        assertArrayEquals(new double[] {0.7, 1.01, 0}, problem.data().get(0).x());
        assertEquals(1, problem.data().get(0).label());
        assertEquals(2, problem.table().line(0));
        assertEquals(100, problem.schedule().steps());
        assertEquals("probability:1.0,1.1,3", problem.defaultMeasurement());
        assertEquals(List.of("loss:<example>", "logOdds:<double,...>", "probability:<double,...>",
                "testLoss:<double,...>;<int>"), problem.measurementForms().stream()
                .map(f -> f.replaceAll("<\\w+ ", "<")).toList());
        assertEquals(List.of("column:region", "column:tenure_years", "column:monthly_charges", "column:support_calls",
                "column:churned"), problem.groupings().stream().map(g -> g.substring(0, g.indexOf(": "))).toList());
        Groups regions = problem.groups("column:region");
        assertEquals(List.of("east", "north", "south", "west"), regions.names());
        assertArrayEquals(new int[] {36, 61, 52, 51}, new int[] {regions.size(0), regions.size(1), regions.size(2),
                regions.size(3)});
        assertEquals(80, problem.groups("column:churned").size(problem.groups("column:churned").indexOf("1")));
        StudyException noGrouping = assertThrows(StudyException.class, () -> problem.groups("column:customer"));
        assertTrue(noGrouping.getMessage().contains("column:region"), noGrouping.getMessage());
        // the digest follows the numbers, not the file's name
        assertEquals(problem.dataDigest(), new ChurnStudy().load(StudyInput.ofSeed(2)).dataDigest());
    }

    @Test
    void anotherFileWithOtherColumnsAndNamesByRow() throws IOException {
        Path f = dir.resolve("mine.csv");
        Files.writeString(f, "tenure,calls,left\n1.5,0,0\n0.2,4,1\n3,1,0\n");
        TabularProblem<LabeledPoint> p = new ChurnStudy().load(StudyInput.of(f, 1, 20,
                Map.of("features", "tenure, calls", "label", "left", "id", "")));
        assertEquals(3, p.examples());
        assertEquals(3, p.parameters());
        assertEquals("row 3", p.exampleName(1));
        assertEquals("loss:row 2", p.defaultMeasurement());
        assertEquals("loss on row 3", p.measurement("loss:row 3").description());
        assertEquals(20, p.schedule().steps());
    }

    @Test
    void badInputIsReportedWithFileLineAndColumn() throws IOException {
        Path f = dir.resolve("churn.csv");
        Files.writeString(f, "customer,region,tenure_years,monthly_charges,support_calls,churned\n"
                + "A1,north,1,0.5,0,0\nA2,west,2,0.7,1,2\n");
        StudyException label = assertThrows(StudyException.class, () -> new ChurnStudy().load(StudyInput.of(f, 1, null,
                Map.of())));
        assertEquals("--data: " + f + " line 3, column 'churned' (#6): study churn refused the record: the label must"
                + " be 0 or 1, got 2.0", label.getMessage());
        Files.writeString(f, "customer,region,tenure_years,monthly_charges,support_calls,churned\n"
                + "A1,north,1,0.5,0,0\nA2,west,2,O.7,1,1\n");
        StudyException value = assertThrows(StudyException.class, () -> new ChurnStudy().load(StudyInput.of(f, 1, null,
                Map.of())));
        TableDataException cause = assertInstanceOf(TableDataException.class, value.getCause());
        assertEquals(3, cause.line());
        assertEquals("monthly_charges", cause.columnName());
        assertEquals(4, cause.columnIndex());
        assertTrue(value.getMessage().endsWith("'O.7' is not a number"), value.getMessage());
        StudyException option = assertThrows(StudyException.class, () -> new ChurnStudy().load(StudyInput.of(f, 1, null,
                Map.of("lable", "churned"))));
        assertTrue(option.malformed());
        assertTrue(option.getMessage().contains("has no option 'lable'"), option.getMessage());
        StudyException measure = assertThrows(StudyException.class, () -> problem.measurement("loss:C999"));
        assertTrue(measure.getMessage().contains("no example is named 'C999'"), measure.getMessage());
        StudyException kind = assertThrows(StudyException.class, () -> problem.measurement("margin:1,2,3"));
        assertTrue(kind.malformed());
        assertTrue(kind.getMessage().contains("loss:<example>"), kind.getMessage());
    }

    /**
     * loss:C007 is ℓ = softplus(z) − y z + (l2/2)|w|² at the trained parameters; its gradient
     * matches central differences of its value; along e_6 its jet's constant term is the value and
     * its first coefficient the central difference of retraining with w_6 = ±h.
     */
    @Test
    void theExampleLossIsTheCircuitsLoss() {
        BoundMeasurement loss = problem.measurement("loss:C007").bound();
        LabeledPoint c7 = problem.data().get(6);
        double z = theta[3];
        for (int j = 0; j < 3; j++) z += theta[j] * c7.x()[j];
        double penalty = 0.5 * 0.01 * (theta[0] * theta[0] + theta[1] * theta[1] + theta[2] * theta[2]);
        double formula = Math.log1p(Math.exp(z)) - c7.label() * z + penalty;
        assertEquals(formula, trainer.measure(loss, theta), 1e-14);

        RealWorkspace ws = problem.circuit().newRealWorkspace();
        ws.loadParameters(theta);
        double[] grad = new double[theta.length];
        assertEquals(formula, loss.gradient(ws, grad), 1e-14);
        for (int p = 0; p < theta.length; p++) {
            double h = 1e-5;
            double[] up = theta.clone();
            double[] down = theta.clone();
            up[p] += h;
            down[p] -= h;
            double fd = (trainer.measure(loss, up) - trainer.measure(loss, down)) / (2 * h);
            assertEquals(fd, grad[p], 1e-8, "parameter " + p);
        }
        ExactDirectionCurve curve = ExactDirection.run(problem.circuit(), problem.data(), problem.schedule(),
                problem.initialParameters(), ExactDirection.indicator(200, new int[] {6}), 2, loss);
        assertEquals(formula, curve.coefficient(0), 1e-12);
        // the jet path's first coefficient along e_6: d/dw_6 of C007's loss after training, by retraining
        double h = 1e-4;
        double[] w = new double[200];
        w[6] = h;
        double up = trainer.measure(loss, trainer.train(problem.initialParameters(), w));
        w[6] = -h;
        double down = trainer.measure(loss, trainer.train(problem.initialParameters(), w));
        assertEquals((up - down) / (2 * h), curve.coefficient(1), 1e-7 * Math.abs(curve.coefficient(1)));
        assertTrue(Math.abs(curve.coefficient(1)) > 1e-4, "C007's own weight moves its loss: " + curve.coefficient(1));
    }

    /**
     * The adjoint of training's ∂f/∂w_i (f the default measurement, the at-risk churn probability,
     * and loss:C177) against central differences of retraining with w_i = ±h, for the five most
     * influential customers and five others.
     */
    @Test
    void firstOrderInfluenceMatchesFiniteDifferencesOfRetraining() {
        BoundMeasurement probability = problem.measurement(problem.defaultMeasurement()).bound();
        BoundMeasurement loss = problem.measurement("loss:C177").bound();
        ExactInfluence.Influence influence = new ExactInfluence<>(problem.circuit(), problem.data(), problem.schedule())
                .run(probability, loss);
        int[] ranking = influence.ranking(0);
        int[] checked = {ranking[0], ranking[1], ranking[2], ranking[3], ranking[4], 0, 50, 100, 150, 199};
        double h = 1e-4;
        for (int m = 0; m < 2; m++) {
            BoundMeasurement measurement = m == 0 ? probability : loss;
            double[] d = influence.derivative(m);
            double scale = Math.abs(d[influence.ranking(m)[0]]);
            assertTrue(scale > 1e-3, "influences are not trivially small: " + scale);
            for (int i : checked) {
                double[] w = new double[200];
                w[i] = h;
                double up = trainer.measure(measurement, trainer.train(problem.initialParameters(), w));
                w[i] = -h;
                double down = trainer.measure(measurement, trainer.train(problem.initialParameters(), w));
                assertEquals((up - down) / (2 * h), d[i], 1e-6 * scale, "measurement " + m + ", customer "
                        + problem.exampleName(i));
            }
        }
        assertEquals("C177", problem.exampleName(ranking[0]));
    }

    /**
     * Deleting each region's customers (36 to 61 of 200): the exact-direction Taylor series at
     * degree 5 lands within 1e-3 of retraining without them, at least ten times closer than the
     * first-order prediction.
     */
    @Test
    void regionDeletionsMatchRetraining() {
        BoundMeasurement probability = problem.measurement(problem.defaultMeasurement()).bound();
        Groups regions = problem.groups("column:region");
        double f0 = trainer.measure(probability, theta);
        for (int q = 0; q < regions.count(); q++) {
            double[] w = ExactDirection.indicator(200, regions.members(q));
            double retrained = trainer.measure(probability, trainer.train(problem.initialParameters(), w));
            ExactDirectionCurve curve = ExactDirection.run(problem.circuit(), problem.data(), problem.schedule(),
                    problem.initialParameters(), w, 5, probability);
            assertEquals(f0, curve.coefficient(0), 1e-12);
            double first = Math.abs(curve.value(1, 1) - retrained);
            double fifth = Math.abs(curve.value(1, 5) - retrained);
            assertTrue(fifth < 1e-3, regions.name(q) + ": degree 5 is off by " + fifth);
            assertTrue(fifth < first / 10, regions.name(q) + ": degree 5 off by " + fifth + ", degree 1 by " + first);
            assertTrue(Math.abs(retrained - f0) > 0.01, regions.name(q) + ": the deletion matters");
        }
    }

    /**
     * What {@code sketch --group-by column:region} and {@code predict --delete-groups west} compute:
     * 64 grouped sketches of degree 5 (G = 4), the effect of deleting the west's 51 customers.
     * With 64 directions in C^4 the least-squares estimator solves every degree (no sampling error
     * is left), so the prediction is the degree-5 Taylor value of the exact direction 1_west to
     * rounding, and within 1e-3 of retraining without those customers (the truncation).
     */
    @Test
    void groupedSketchesPredictDeletingARegion() throws IOException {
        BoundMeasurement probability = problem.measurement(problem.defaultMeasurement()).bound();
        Groups regions = problem.groups("column:region");
        int west = regions.indexOf("west");
        SketchStore store = new Sketcher<>(problem.circuit(), problem.data(), problem.schedule())
                .degree(5).directions(64).seed(1).threads(1).groups(regions)
                .initialParameters(problem.initialParameters()).dataDigest(problem.dataDigest())
                .run(dir.resolve("store"));
        GroupPrediction p = GroupedEstimator.of(SketchTables.table(store, probability, 1), regions)
                .predictGroups(new int[] {west});
        double retrained = trainer.measure(probability, trainer.train(problem.initialParameters(),
                ExactDirection.indicator(200, regions.members(west))));
        double error = Math.abs(p.mean(5) - retrained);
        assertTrue(error < 1e-3, "off by " + error);
        ExactDirectionCurve exact = ExactDirection.run(problem.circuit(), problem.data(), problem.schedule(),
                problem.initialParameters(), ExactDirection.indicator(200, regions.members(west)), 5, probability);
        for (int d = 1; d <= 5; d++) {
            assertEquals(exact.value(1, d), p.mean(d), 1e-9, "degree " + d);
            assertTrue(p.standardError(d) < 1e-9, "degree " + d + ": SE " + p.standardError(d));
        }
        assertTrue(Math.abs(p.mean(1) - retrained) > 10 * error, "degree 1 is the coarser prediction");
    }
}
