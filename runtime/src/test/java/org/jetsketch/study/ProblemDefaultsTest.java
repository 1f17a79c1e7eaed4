package org.jetsketch.study;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Problem}'s default methods: grouping names split at ": ", the example noun. */
class ProblemDefaultsTest {

    /** A toy problem offering the given groupings. */
    static Problem<String> offering(List<String> groupings) {
        RunRecordTest.ToyProblem toy = new RunRecordTest.ToyProblem(StudyInput.ofSeed(1), List.of("a", "b"),
                new double[1], 0L);
        return new Problem<>() {
            @Override public String study() { return toy.study(); }
            @Override public StudyInput input() { return toy.input(); }
            @Override public org.jetsketch.circuit.CompiledCircuit<String> circuit() { return toy.circuit(); }
            @Override public org.jetsketch.train.Dataset<String> data() { return toy.data(); }
            @Override public String exampleName(int i) { return toy.exampleName(i); }
            @Override public org.jetsketch.train.Schedule schedule() { return toy.schedule(); }
            @Override public double[] initialParameters() { return toy.initialParameters(); }
            @Override public String dataSource() { return toy.dataSource(); }
            @Override public String initSource() { return toy.initSource(); }
            @Override public long dataDigest() { return toy.dataDigest(); }
            @Override public String defaultMeasurement() { return toy.defaultMeasurement(); }
            @Override public StudyMeasurement measurement(String spec) { return toy.measurement(spec); }
            @Override public List<String> measurementForms() { return toy.measurementForms(); }
            @Override public List<String> groupings() { return groupings; }
            @Override public org.jetsketch.sketch.Groups groups(String name) { return toy.groups(name); }
        };
    }

    @Test
    void groupingNamesEndAtTheFirstColonSpace() {
        Problem<String> p = offering(List.of("column:region: the value of column 'region'",
                "tens: consecutive blocks of ten examples (0-9, ...)", "column:a:b: a column named a:b", "plain"));
        assertEquals(List.of("column:region", "tens", "column:a:b", "plain"), p.groupingNames());
    }

    @Test
    void theDefaultNounIsExample() {
        Problem<String> p = offering(List.of());
        assertEquals("example", p.exampleNoun());
        assertEquals("examples", p.exampleNounPlural());
    }
}
