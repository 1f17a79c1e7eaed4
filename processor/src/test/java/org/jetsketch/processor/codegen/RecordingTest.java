package org.jetsketch.processor.codegen;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import java.util.ArrayList;
import java.util.List;
import org.jetsketch.processor.ir.Expr;
import org.jetsketch.processor.ir.Stmt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The to-be-recorded analysis on its own, before any code is written: what each reverse sweep
 * reads, and which writes the forward sweep must save, in each mode.
 */
class RecordingTest {

    private static Recording.Reads loss(IrFixture f, AdjointWriter.Mode mode) {
        return Recording.analyse(f.plan, mode).of(f.method("loss").key());
    }

    /** The assignments {@code target = ...} and {@code target[..] = ...} of the normalized loss, in order, with their positions. */
    private static List<Object[]> writes(IrFixture f, String target) {
        List<Object[]> out = new ArrayList<>();
        Shapes shapes = f.plan.shapes.get(f.method("loss").key());
        Plan.walk(f.plan.bodies.get(f.method("loss").key()), s -> {
            if (s instanceof Stmt.ExprStmt e && e.expr() instanceof Expr.Assign a) {
                Expr root = a.target();
                while (root instanceof Expr.ArrayAccess acc) root = acc.array();
                if (root instanceof Expr.Local l && l.name().equals(target)) {
                    out.add(new Object[] {a.target(), 2 * shapes.position(s)});
                }
            }
        }, e -> { });
        return out;
    }

    @ParameterizedTest
    @EnumSource(AdjointWriter.Mode.class)
    void aLoopCarriedAccumulatorIsSavedAtItsWrite(AdjointWriter.Mode mode) {
        IrFixture f = IrFixture.of("""
                @Loss
                double loss(double[] x) {
                    double acc = 1.0;
                    for (int i = 0; i < w.length; i++) acc = acc * w[i] + x[i];
                    return acc;
                }
                """);
        Recording.Reads r = loss(f, mode);
        List<Object[]> writes = writes(f, "acc");
        assertThat(writes).hasSize(2);
        // the first write is read by no rule before it; the one in the loop overwrites what its own rule reads
        assertThat(r.saves("acc", (int) writes.get(0)[1])).isFalse();
        assertThat(r.saves("acc", (int) writes.get(1)[1])).isTrue();
        assertThat(r.variables()).contains("acc");
        // w[i] is a parameter never overwritten, x[i] an operand no rule reads (a + k reads neither),
        // and the loop runs back over the parameter's length: x is not read at all
        assertThat(r.variables()).doesNotContain("x");
    }

    @ParameterizedTest
    @EnumSource(AdjointWriter.Mode.class)
    void aFreshArrayWrittenOnceIsNotSavedAnOverwrittenElementIs(AdjointWriter.Mode mode) {
        IrFixture f = IrFixture.of("""
                @Loss
                double loss(double[] x) {
                    double[] a = new double[x.length];
                    for (int i = 0; i < x.length; i++) {
                        a[i] = w[i] * x[i];
                        a[i] = a[i] * a[i];
                    }
                    double s = 0.0;
                    for (int i = 0; i < a.length; i++) s += a[i] * a[i];
                    return s;
                }
                """);
        Recording.Reads r = loss(f, mode);
        List<Object[]> writes = new ArrayList<>();
        for (Object[] w : writes(f, "a")) if (w[0] instanceof Expr.ArrayAccess) writes.add(w);
        assertThat(writes).hasSize(2);
        assertWithMessage("a[i] = w[i] * x[i]: nothing reads the old element")
                .that(r.savesElement((Expr.ArrayAccess) writes.get(0)[0], (int) writes.get(0)[1])).isFalse();
        assertWithMessage("a[i] = a[i] * a[i]: its own rule reads the old element")
                .that(r.savesElement((Expr.ArrayAccess) writes.get(1)[0], (int) writes.get(1)[1])).isTrue();
    }

    @ParameterizedTest
    @EnumSource(AdjointWriter.Mode.class)
    void aLoopOverAnArrayAllocatedOutsideItSavesAnElementReadAgain(AdjointWriter.Mode mode) {
        // each pass of the outer loop writes every element of a again: the square's rule reads the old ones
        IrFixture f = IrFixture.of("""
                @Loss
                double loss(double[] x) {
                    double[] a = new double[x.length];
                    double s = 0.0;
                    for (int k = 0; k < 2; k++) {
                        for (int i = 0; i < x.length; i++) a[i] = w[i] * x[i] + a[i];
                        for (int i = 0; i < x.length; i++) s += a[i] * a[i];
                    }
                    return s;
                }
                """);
        Recording.Reads r = loss(f, mode);
        Object[] write = null;
        for (Object[] w : writes(f, "a")) if (w[0] instanceof Expr.ArrayAccess) write = w;
        assertThat(write).isNotNull();
        assertThat(r.savesElement((Expr.ArrayAccess) write[0], (int) write[1])).isTrue();
    }

    @ParameterizedTest
    @EnumSource(AdjointWriter.Mode.class)
    void aValueIsReadOnlyWhereARuleReadsIt(AdjointWriter.Mode mode) {
        // exp's rule reads its result, not its operand; log's reads its operand
        IrFixture exp = IrFixture.of("""
                @Loss
                double loss(double[] x) {
                    double t = w[0] - x[0];
                    double y = Math.exp(t);
                    return y;
                }
                """);
        assertThat(loss(exp, mode).variables()).doesNotContain("t");
        IrFixture log = IrFixture.of("""
                @Loss
                double loss(double[] x) {
                    double t = w[0] * w[0] + x[0];
                    double y = Math.log(t);
                    return y;
                }
                """);
        assertThat(loss(log, mode).variables()).contains("t");
    }

    @ParameterizedTest
    @EnumSource(AdjointWriter.Mode.class)
    void eachModeHasItsOwnWritings(AdjointWriter.Mode mode) {
        IrFixture f = IrFixture.of("""
                @Loss
                double loss(double[] x) {
                    return w[0] * x[0];
                }
                """);
        Recording recording = Recording.analyse(f.plan, mode);
        String variant = Recording.variantKey(f.plan.adjointVariant(f.circuit.step().key()));
        // the adjoint of training is real: its variant is a writing on doubles only
        if (mode == AdjointWriter.Mode.REAL) {
            assertThat(recording.of(variant).reversible()).isTrue();
        } else {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> recording.of(variant));
        }
        // the step's ordinary writing has no reverse sweep: it reads nothing
        assertThat(recording.of(f.circuit.step().key()).variables()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(AdjointWriter.Mode.class)
    void aSaveInALoopFromZeroSkipsTheFirstTripOnlyWhenNothingReadsTheValueFromBeforeTheLoop(AdjointWriter.Mode mode) {
        IrFixture f = IrFixture.of("""
                @Loss
                double loss(double[] x) {
                    double s = 0.0;
                    for (int k = 0; k < 3; k++) {
                        double[] h = scaled(w, k + 1.0);
                        for (int i = 0; i < h.length; i++) s += h[i] * x[i];
                    }
                    double[] g = scaled(w, 0.5);
                    for (int k = 0; k < 3; k++) {
                        s += g[0] * g[1];
                        g = scaled(w, k + 2.0);
                    }
                    return s + g[2];
                }

                static double[] scaled(double[] v, double c) {
                    double[] out = new double[v.length];
                    for (int i = 0; i < v.length; i++) out[i] = c * v[i];
                    return out;
                }
                """);
        Recording.Reads r = loss(f, mode);
        List<Object[]> hs = writes(f, "h");
        List<Object[]> gs = writes(f, "g");
        assertThat(hs).hasSize(1);
        assertThat(gs).hasSize(2);
        int[] h = {(int) hs.get(0)[1]};
        int[] g = {(int) gs.get(1)[1]};
        assertThat(r.saves("h", h[0])).isTrue();
        assertWithMessage("h: read only after its write, in the loop").that(r.firstTripSkipped("h", h[0])).isEqualTo("k");
        // g's reads before its write in the loop want, in the first trip, the g from before the loop
        assertThat(r.saves("g", g[0])).isTrue();
        assertWithMessage("g: read before its write and after the loop").that(r.firstTripSkipped("g", g[0])).isNull();
    }

    @ParameterizedTest
    @EnumSource(AdjointWriter.Mode.class)
    void aHelperIsGivenOnlyTheArraysEveryCallPassesAsAParamField(AdjointWriter.Mode mode) {
        IrFixture f = IrFixture.of("""
                @Loss
                double loss(double[] x) {
                    double[] a = scaled(w, 2.0);
                    double[] b = scaled(w, 3.0);
                    double[] c = pair(w, a);
                    double[] d = pair(w, b);
                    return c[0] + d[1];
                }

                static double[] scaled(double[] v, double c) {
                    double[] out = new double[v.length];
                    for (int i = 0; i < v.length; i++) out[i] = c * v[i];
                    return out;
                }

                static double[] pair(double[] u, double[] v) {
                    double[] out = new double[u.length];
                    for (int i = 0; i < u.length; i++) out[i] = u[i] * v[i];
                    return out;
                }
                """);
        assertThat(f.plan.givenArrays(f.method("scaled").key())).containsExactly("v");
        assertWithMessage("pair's v is a local array at its calls").that(f.plan.givenArrays(f.method("pair").key()))
                .containsExactly("u");
        assertWithMessage("the loss is called by the runtime").that(f.plan.givenArrays(f.method("loss").key())).isEmpty();
        // the frame of a helper's reverse sweep holds no given array
        Recording.Reads pair = Recording.analyse(f.plan, mode).of(f.method("pair").key());
        assertThat(pair.frame(f.plan.facts.get(f.method("pair").key()).types)).doesNotContain("u");
        assertThat(pair.frame(f.plan.facts.get(f.method("pair").key()).types)).contains("v");
    }
}
