package org.jetsketch.processor.codegen;

import static com.google.common.truth.Truth.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.jetsketch.processor.ir.Expr;
import org.jetsketch.processor.ir.Stmt;
import org.junit.jupiter.api.Test;

/** The normalizer's rewrites, read off the normalized IR of small methods. */
class NormalizerTest {

    private static Stmt.Block normalized(IrFixture f, String method) {
        return f.plan.bodies.get(f.method(method).key());
    }

    private static List<Expr> expressions(Stmt s) {
        List<Expr> out = new ArrayList<>();
        Plan.forEachExpr(s, out::add);
        return out;
    }

    @Test
    void compoundAssignmentOfAnActiveValueBecomesAPlainOne() {
        IrFixture f = IrFixture.of("""
                @Loss
                double loss(double[] x) {
                    double s = 0.0;
                    for (int i = 0; i < x.length; i++) s += w[i] * x[i];
                    return s;
                }
                """);
        String text = IrText.of(normalized(f, "loss"));
        assertThat(text).contains("s = (s + (w[i] * x[i]));");
        assertThat(text).doesNotContain("+=");
        // the passive loop counter keeps its increment
        assertThat(text).contains("i++");
        assertThat(text).endsWith("return s;\n");
    }

    @Test
    void anEarlyReturnBecomesAFlagGuardingWhatFollows() {
        IrFixture f = IrFixture.of("""
                @Loss
                double loss(double[] x) {
                    if (x[0] > 0) return w[0] * w[1];
                    double y = w[2] * x[1];
                    return y;
                }
                """);
        Stmt.Block body = normalized(f, "loss");
        String text = IrText.of(body);
        int returns = 0;
        for (Stmt s : body.statements()) if (s instanceof Stmt.Return) returns++;
        assertThat(returns).isEqualTo(1);
        assertThat(body.statements().get(body.statements().size() - 1)).isInstanceOf(Stmt.Return.class);
        assertThat(text).containsMatch("boolean returned\\d* = false;");
        assertThat(text).containsMatch("if \\(NOT\\(returned\\d*\\)\\)");
        assertThat(text).doesNotContainMatch("(?s)return .*\\n.*return ");
    }

    @Test
    void aCallOfAHelperWithAdjointCodeGetsAStatementOfItsOwn() {
        IrFixture f = IrFixture.of("""
                @Loss
                double loss(double[] x) {
                    return 2.0 * square(w[0] - x[0]) + w[1];
                }

                double square(double v) {
                    return v * v;
                }
                """);
        Stmt.Block body = normalized(f, "loss");
        for (Expr e : expressions(body)) {
            // a helper call is the whole value of an assignment, never inside another expression
            if (e instanceof Expr.Binary b) {
                for (Expr side : List.of(b.left(), b.right())) {
                    org.jetsketch.processor.analysis.Exprs.forEach(side, x ->
                            assertThat(x).isNotInstanceOf(Expr.CallHelper.class));
                }
            }
        }
        assertThat(IrText.of(body)).containsMatch("\\w+ = square\\(");
    }

    @Test
    void aNonVoidMethodEndsWithTheReturnOfAVariable() {
        IrFixture f = IrFixture.of("""
                @Loss
                double loss(double[] x) {
                    return w[0] * x[0] + w[1];
                }
                """);
        Stmt.Block body = normalized(f, "loss");
        Stmt last = body.statements().get(body.statements().size() - 1);
        assertThat(last).isInstanceOf(Stmt.Return.class);
        assertThat(((Stmt.Return) last).value()).isInstanceOf(Expr.Local.class);
    }
}
