package org.jetsketch.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.jetsketch.circuit.CompiledCircuit;
import org.jetsketch.sketch.Groups;
import org.jetsketch.sketch.SketchFormat;
import org.jetsketch.train.Dataset;
import org.jetsketch.train.Schedule;
import org.junit.jupiter.api.Test;

/**
 * {@link RunRecord}: the checksum notices a change of any single field (tamper detection), is the
 * same for an equal record built separately, and does not depend on the order options were given
 * in; {@link RunRecord#differenceFrom} names the first difference; {@link RunRecord#restore}
 * refuses a study that rebuilds other data.
 */
class RunRecordTest {

    static final List<String> NAMES = List.of("row 1", "row 2", "row 3");
    static final double[] INIT = {0.25, -1.5, 3.0};

    static RunRecord record() {
        return new RunRecord("toy", "/tmp/a.jar", "toy.csv", "zeros", 42L, "toy.csv", 10,
                Map.of("label", "y", "columns", "a,b"), NAMES, INIT, 77L, 8, "jetsketch sketch --study toy", "per-example");
    }

    /** The record with one field replaced, for each field in turn. */
    static List<RunRecord> eachFieldChanged(RunRecord r) {
        List<UnaryOperator<RunRecord>> edits = List.of(
                x -> new RunRecord("toy2", x.classpath(), x.dataSource(), x.initSource(), x.seed(), x.data(), x.steps(), x.options(), x.names(), x.init(), x.dataDigest(), x.directions(), x.sketchCommand(), x.grouping()),
                x -> new RunRecord(x.study(), null, x.dataSource(), x.initSource(), x.seed(), x.data(), x.steps(), x.options(), x.names(), x.init(), x.dataDigest(), x.directions(), x.sketchCommand(), x.grouping()),
                x -> new RunRecord(x.study(), x.classpath(), "other.csv", x.initSource(), x.seed(), x.data(), x.steps(), x.options(), x.names(), x.init(), x.dataDigest(), x.directions(), x.sketchCommand(), x.grouping()),
                x -> new RunRecord(x.study(), x.classpath(), x.dataSource(), "N(0,1)", x.seed(), x.data(), x.steps(), x.options(), x.names(), x.init(), x.dataDigest(), x.directions(), x.sketchCommand(), x.grouping()),
                x -> new RunRecord(x.study(), x.classpath(), x.dataSource(), x.initSource(), 43L, x.data(), x.steps(), x.options(), x.names(), x.init(), x.dataDigest(), x.directions(), x.sketchCommand(), x.grouping()),
                x -> new RunRecord(x.study(), x.classpath(), x.dataSource(), x.initSource(), x.seed(), null, x.steps(), x.options(), x.names(), x.init(), x.dataDigest(), x.directions(), x.sketchCommand(), x.grouping()),
                x -> new RunRecord(x.study(), x.classpath(), x.dataSource(), x.initSource(), x.seed(), x.data(), 11, x.options(), x.names(), x.init(), x.dataDigest(), x.directions(), x.sketchCommand(), x.grouping()),
                x -> new RunRecord(x.study(), x.classpath(), x.dataSource(), x.initSource(), x.seed(), x.data(), x.steps(), Map.of("label", "z", "columns", "a,b"), x.names(), x.init(), x.dataDigest(), x.directions(), x.sketchCommand(), x.grouping()),
                x -> new RunRecord(x.study(), x.classpath(), x.dataSource(), x.initSource(), x.seed(), x.data(), x.steps(), x.options(), List.of("row 1", "row 3", "row 2"), x.init(), x.dataDigest(), x.directions(), x.sketchCommand(), x.grouping()),
                // the last bit of one initial parameter
                x -> new RunRecord(x.study(), x.classpath(), x.dataSource(), x.initSource(), x.seed(), x.data(), x.steps(), x.options(), x.names(), new double[] {0.25, Math.nextUp(-1.5), 3.0}, x.dataDigest(), x.directions(), x.sketchCommand(), x.grouping()),
                x -> new RunRecord(x.study(), x.classpath(), x.dataSource(), x.initSource(), x.seed(), x.data(), x.steps(), x.options(), x.names(), x.init(), 78L, x.directions(), x.sketchCommand(), x.grouping()),
                x -> new RunRecord(x.study(), x.classpath(), x.dataSource(), x.initSource(), x.seed(), x.data(), x.steps(), x.options(), x.names(), x.init(), x.dataDigest(), 9, x.sketchCommand(), x.grouping()),
                x -> new RunRecord(x.study(), x.classpath(), x.dataSource(), x.initSource(), x.seed(), x.data(), x.steps(), x.options(), x.names(), x.init(), x.dataDigest(), x.directions(), null, x.grouping()),
                x -> new RunRecord(x.study(), x.classpath(), x.dataSource(), x.initSource(), x.seed(), x.data(), x.steps(), x.options(), x.names(), x.init(), x.dataDigest(), x.directions(), x.sketchCommand(), "G = 2 groups, digest 00"));
        List<RunRecord> out = new ArrayList<>();
        for (UnaryOperator<RunRecord> e : edits) out.add(e.apply(r));
        return out;
    }

    @Test
    void checksumIsSixteenHexDigitsAndReproducible() {
        String c = record().checksum();
        assertTrue(c.matches("[0-9a-f]{16}"), c);
        assertEquals(c, record().checksum(), "an equal record built again");
        // options are kept in key order, so the order they were given in does not matter
        java.util.LinkedHashMap<String, String> reversed = new java.util.LinkedHashMap<>();
        reversed.put("label", "y");
        reversed.put("columns", "a,b");
        RunRecord r = record();
        assertEquals(c, new RunRecord(r.study(), r.classpath(), r.dataSource(), r.initSource(), r.seed(), r.data(),
                r.steps(), reversed, r.names(), r.init(), r.dataDigest(), r.directions(), r.sketchCommand(),
                r.grouping()).checksum());
    }

    @Test
    void changingAnyOneFieldChangesTheChecksum() {
        RunRecord r = record();
        Set<String> seen = new HashSet<>();
        seen.add(r.checksum());
        List<RunRecord> changed = eachFieldChanged(r);
        assertEquals(14, changed.size(), "one edit per field");
        for (int f = 0; f < changed.size(); f++) {
            assertTrue(seen.add(changed.get(f).checksum()), "edit " + f + " left the checksum unchanged or collided");
        }
    }

    @Test
    void theRecordIsImmutable() {
        double[] init = INIT.clone();
        List<String> names = new ArrayList<>(NAMES);
        RunRecord r = new RunRecord("toy", null, "d", "i", 1L, null, null, Map.of(), names, init, 5L, 0, null, null);
        String before = r.checksum();
        init[0] = 99;
        names.set(0, "tampered");
        r.init()[1] = 99;
        assertEquals(before, r.checksum());
        assertEquals(SketchFormat.digest(INIT), r.initialDigest(), "the digest the store header holds");
    }

    @Test
    void differenceFromNamesTheFirstDifference() {
        RunRecord r = record();
        assertNull(r.differenceFrom(record()));
        assertNull(r.differenceFrom(r.withStore(100, "another command", "G = 1 groups, digest 0")),
                "directions, command and grouping are not part of the run");
        List<RunRecord> changed = eachFieldChanged(r);
        assertEquals("study toy2 there, toy here", r.differenceFrom(changed.get(0)));
        assertEquals("training name 1 is \"row 3\" there, \"row 2\" here", r.differenceFrom(changed.get(8)));
        assertEquals("different initial parameters", r.differenceFrom(changed.get(9)));
        assertEquals("the training data differ (data digest)", r.differenceFrom(changed.get(10)));
        assertEquals("--seed 43 there, 42 here", r.differenceFrom(changed.get(4)));
    }

    @Test
    void groupingInWords() {
        assertEquals("per-example", RunRecord.grouping(null));
        Groups g = Groups.of(new int[] {0, 1, 0}, List.of("a", "b"));
        assertEquals("G = 2 groups, digest " + g.digestHex(), RunRecord.grouping(g));
    }

    @Test
    void inputRoundTrips() {
        RunRecord r = record();
        StudyInput in = r.input();
        assertEquals("toy.csv", in.data().orElseThrow().toString());
        assertEquals(42L, in.seed());
        assertEquals(10, in.steps().getAsInt());
        assertEquals(Map.of("label", "y", "columns", "a,b"), in.options());
    }

    /** A problem over strings whose data digest is given: restore only reads names, init and digest. */
    record ToyProblem(StudyInput input, List<String> names, double[] init, long dataDigest) implements Problem<String> {
        @Override public String study() { return "toy"; }
        @Override public CompiledCircuit<String> circuit() { throw new UnsupportedOperationException("no circuit"); }
        @Override public Dataset<String> data() { return Dataset.of(names); }
        @Override public String exampleName(int i) { return names.get(i); }
        @Override public Schedule schedule() { return Schedule.fullBatch(names.size(), 1); }
        @Override public double[] initialParameters() { return init.clone(); }
        @Override public String dataSource() { return "toy"; }
        @Override public String initSource() { return "toy"; }
        @Override public String defaultMeasurement() { return "none"; }
        @Override public StudyMeasurement measurement(String spec) { throw new StudyException("none"); }
        @Override public List<String> measurementForms() { return List.of(); }
        @Override public List<String> groupings() { return List.of(); }
        @Override public Groups groups(String name) { throw new StudyException("none"); }
    }

    /** A study that rebuilds a fixed problem. */
    static Study rebuilding(List<String> names, double[] init, long digest) {
        return new Study() {
            @Override public String name() { return "toy"; }
            @Override public String summary() { return "toy"; }
            @Override public List<String> usage() { return List.of(); }
            @Override public Problem<?> load(StudyInput input) {
                return new ToyProblem(input, names, input.initialParameters().orElse(init), digest);
            }
        };
    }

    @Test
    void restoreChecksWhatTheStudyRebuilt() {
        RunRecord r = record();
        Problem<?> same = r.restore(rebuilding(NAMES, new double[] {9, 9, 9}, 77L));
        assertEquals(NAMES, same.exampleNames());
        assertEquals(List.of(0.25, -1.5, 3.0), java.util.Arrays.stream(same.initialParameters()).boxed().toList(),
                "the default restore loads with the recorded initial parameters");
        assertEquals(r.input().withInitialParameters(INIT), same.input());

        StudyException digest = assertThrows(StudyException.class, () -> r.restore(rebuilding(NAMES, INIT, 78L)));
        assertTrue(digest.getMessage().contains("(the training data (data digest) differ)"), digest.getMessage());
        StudyException names = assertThrows(StudyException.class,
                () -> r.restore(rebuilding(List.of("row 1", "row 2"), INIT, 77L)));
        assertTrue(names.getMessage().contains("(the training examples differ)"), names.getMessage());
        Study ignoresInit = new Study() {
            @Override public String name() { return "toy"; }
            @Override public String summary() { return "toy"; }
            @Override public List<String> usage() { return List.of(); }
            @Override public Problem<?> load(StudyInput input) { return new ToyProblem(input, NAMES, new double[3], 77L); }
        };
        StudyException init = assertThrows(StudyException.class, () -> r.restore(ignoresInit));
        assertTrue(init.getMessage().contains("(the initial parameters differ)"), init.getMessage());
        assertSame(StudyException.class, init.getClass());
    }
}
