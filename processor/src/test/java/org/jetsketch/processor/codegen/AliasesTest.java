package org.jetsketch.processor.codegen;

import static com.google.common.truth.Truth.assertThat;

import org.jetsketch.processor.ir.MethodIr;
import org.junit.jupiter.api.Test;

/** The alias classes: which arrays may share storage, over the whole circuit. */
class AliasesTest {
    private static final String CIRCUIT = """
            @Loss
            double loss(double[] x) {
                double[] z = scaled(x);
                double[] y = z;
                double[] fresh = new double[3];
                fresh[0] = w[0];
                double[] other = new double[3];
                other[0] = y[0];
                return fresh[0] + other[0] + y[1];
            }

            double[] scaled(double[] v) {
                double[] out = new double[v.length];
                for (int i = 0; i < v.length; i++) out[i] = w[i] * v[i];
                return out;
            }
            """;

    private static String classOf(IrFixture f, String method, String variable) {
        MethodIr m = f.method(method);
        return f.plan.aliases.find(Aliases.var(m, variable));
    }

    @Test
    void assignmentAndReturnJoinAClass() {
        IrFixture f = IrFixture.of(CIRCUIT);
        // y = z, z = scaled(x), scaled returns out
        assertThat(classOf(f, "loss", "y")).isEqualTo(classOf(f, "loss", "z"));
        assertThat(classOf(f, "loss", "z")).isEqualTo(classOf(f, "scaled", "out"));
    }

    @Test
    void passingAnArrayJoinsItWithTheParameter() {
        IrFixture f = IrFixture.of(CIRCUIT);
        assertThat(classOf(f, "loss", "x")).isEqualTo(classOf(f, "scaled", "v"));
    }

    @Test
    void freshArraysThatNeverMeetStayApart() {
        IrFixture f = IrFixture.of(CIRCUIT);
        assertThat(classOf(f, "loss", "fresh")).isNotEqualTo(classOf(f, "loss", "other"));
        assertThat(classOf(f, "loss", "fresh")).isNotEqualTo(classOf(f, "loss", "z"));
        // reading an element of y into other does not join the arrays: values flow, not storage
        assertThat(classOf(f, "loss", "other")).isNotEqualTo(classOf(f, "loss", "y"));
    }
}
