package org.jetsketch.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExampleRunnerTest {

    @Test
    void knowsTheThreeExamples() {
        assertEquals(List.of("linear", "logistic", "mlp"), Examples.NAMES);
        for (String name : Examples.NAMES) assertEquals(name, Examples.byName(name).name());
    }

    @Test
    void anUnknownNameIsRejectedWithTheList() {
        PrintStream out = new PrintStream(new ByteArrayOutputStream());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExampleRunner.run("nope", out));
        assertTrue(e.getMessage().contains("linear, logistic, mlp"), e.getMessage());
    }

    /** The data are generated from seeds: two builds give the same examples, bit for bit. */
    @Test
    void dataAreReproducible() {
        List<RegressionPoint> a = Examples.linear().data();
        List<RegressionPoint> b = Examples.linear().data();
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).x(), b.get(i).x());
            assertEquals(a.get(i).y(), b.get(i).y(), 0.0);
        }
        for (String name : List.of("logistic", "mlp")) {
            @SuppressWarnings("unchecked")
            List<LabeledPoint> c = (List<LabeledPoint>) Examples.byName(name).data();
            @SuppressWarnings("unchecked")
            List<LabeledPoint> d = (List<LabeledPoint>) Examples.byName(name).data();
            for (int i = 0; i < c.size(); i++) {
                assertArrayEquals(c.get(i).x(), d.get(i).x());
                assertEquals(c.get(i).label(), d.get(i).label());
            }
        }
    }

    /** Each example's deletion set is what its description says: the last |D| examples. */
    @Test
    void deletionSetsAreTheLastExamples() {
        for (String name : Examples.NAMES) {
            Example<?> e = Examples.byName(name);
            int[] d = e.deletionSet();
            int n = e.data().size();
            for (int i = 0; i < d.length; i++) assertEquals(n - d.length + i, d[i], name);
        }
    }
}
