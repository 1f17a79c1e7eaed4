package org.jetsketch.examples.churn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jetsketch.circuit.CompiledCircuit;
import org.jetsketch.data.TableColumns;
import org.jetsketch.examples.LabeledPoint;
import org.jetsketch.examples.LogisticRegression;
import org.jetsketch.examples.LogisticRegression_Circuit;
import org.jetsketch.study.StudyException;
import org.jetsketch.study.StudyInput;
import org.jetsketch.study.TabularStudy;
import org.jetsketch.study.TabularStudy.TabularProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TabularStudy's own rules, on a minimal subclass without bundled data: --data is then required,
 * --init replaces the circuit's starting point (and is checked), a grouping column with an empty
 * cell is refused by line, defaults (full batch, 100 steps; the first example's loss).
 */
class TabularStudyTest {

    @TempDir Path dir;

    /** What a user writes at the least. */
    static final class Minimal extends TabularStudy<LabeledPoint> {
        @Override public String name() { return "minimal"; }

        @Override public String summary() { return "logistic regression on two columns"; }

        @Override protected TableColumns columns() { return TableColumns.of(List.of("a", "b"), "y"); }

        @Override
        protected CompiledCircuit<LabeledPoint> circuit(int features, StudyInput input) {
            return new LogisticRegression_Circuit(new LogisticRegression(features, 0.01, 0.1, 0.1));
        }

        @Override
        protected LabeledPoint example(double[] features, double label) {
            return new LabeledPoint(features, (int) label);
        }
    }

    Path file(String text) throws IOException {
        Path f = dir.resolve("data.csv");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void withoutBundledDataTheFileIsRequired() {
        StudyException e = assertThrows(StudyException.class, () -> new Minimal().load(StudyInput.ofSeed(1)));
        assertTrue(e.getMessage().startsWith("--data: study minimal needs a CSV file; --data FILE: a CSV file"),
                e.getMessage());
        assertTrue(e.getMessage().contains("numeric columns a, b (the features) and y (the label); required"),
                e.getMessage());
    }

    @Test
    void defaultsAndGivenInitialParameters() throws IOException {
        Path f = file("a,b,y,site\n1,2,0,x\n3,4,1,y\n5,6,1,x\n");
        TabularProblem<LabeledPoint> p = new Minimal().load(StudyInput.of(f, 1, null, Map.of()));
        assertEquals(100, p.schedule().steps());
        assertEquals(3, p.schedule().batchOf(0).length);
        assertEquals("loss:row 2", p.defaultMeasurement());
        assertArrayEquals(new double[3], p.initialParameters());
        assertTrue(p.initSource().startsWith("the @Param fields of"), p.initSource());
        double[] init = {0.1, -0.2, 0.3};
        TabularProblem<LabeledPoint> given = new Minimal().load(StudyInput.of(f, 1, null, Map.of())
                .withInitialParameters(init));
        assertArrayEquals(init, given.initialParameters());
        assertEquals("given", given.initSource());
        StudyException wrong = assertThrows(StudyException.class, () -> new Minimal().load(StudyInput.of(f, 1, null,
                Map.of()).withInitialParameters(new double[] {1, 2})));
        assertTrue(wrong.getMessage().startsWith("--init: has 2 numbers, expected 3"), wrong.getMessage());
        // restore, as a command reading a store does: the recorded start, the file read again
        TabularProblem<?> restored = (TabularProblem<?>) new Minimal().restore(p.input(), p.exampleNames(), init);
        assertArrayEquals(init, restored.initialParameters());
        assertEquals(p.dataDigest(), restored.dataDigest());
    }

    @Test
    void aGroupingColumnWithAnEmptyCellIsRefusedByLine() throws IOException {
        Path f = file("a,b,y,site\n1,2,0,x\n3,4,1,\n5,6,1,x\n");
        TabularProblem<LabeledPoint> p = new Minimal().load(StudyInput.of(f, 1, null, Map.of()));
        StudyException e = assertThrows(StudyException.class, () -> p.groups("column:site"));
        assertEquals("--group-by column:site: " + f + " line 3, column 'site' (#4): empty, so the example has no group",
                e.getMessage());
        assertEquals(List.of("0", "1"), p.groups("column:y").names());
        assertThrows(StudyException.class, () -> p.groups("site"));
    }

    @Test
    void aColumnOptionThatNamesNothingOrTwiceIsAnError() throws IOException {
        Path f = file("a,b,y\n1,2,0\n");
        StudyException twice = assertThrows(StudyException.class, () -> new Minimal().load(StudyInput.of(f, 1, null,
                Map.of("features", "a,a"))));
        assertTrue(twice.malformed());
        assertEquals("--option: column 'a' is named twice as a feature", twice.getMessage());
        StudyException missing = assertThrows(StudyException.class, () -> new Minimal().load(StudyInput.of(f, 1, null,
                Map.of("label", "z"))));
        assertTrue(missing.getMessage().contains(f + " line 1, column 'z': no label column 'z'"), missing.getMessage());
    }
}
