package org.jetsketch.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.circuit.JetWorkspace;
import org.jetsketch.circuit.RealWorkspace;
import org.jetsketch.jet.Jets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the forward sweep of a loss records for its reverse sweep, pinned for known patterns on
 * both paths: the doubles (ordinary path) or jets (jet path) pushed per element of an n-vector,
 * and the bytes recorded once per evaluation (the frame: array references, a few scalars). The
 * figures are the workspace's own count ({@code recordedBytes}, the stacks' size at the end of the
 * forward sweep), measured at two lengths and two degrees and solved for the counts, so a push
 * more or less anywhere fails the test. Every loss is also checked for its value against the
 * class run as plain Java, so the figures are those of correct code.
 *
 * <p>Each pattern's minimum: a value is recorded only if a rule of the reverse sweep reads it and
 * it is not there any more when the reverse sweep comes (overwritten since, or never stored).
 */
class RecordedBytesTest {

    /** A pattern: its loss over {@code @Param double[] w} and an example {@code double[] x}, both of length n. */
    enum Pattern {
        /**
         * GELU of a fresh array written once. On doubles its rule reads a saved Φ(x) (one double
         * per element); on jets the rule reads x (a parameter, never overwritten) and y (kept in
         * the fresh array, never overwritten): nothing per element.
         */
        GELU("""
                double[] a = gelu(w);
                double s = 0.0;
                for (int i = 0; i < a.length; i++) s += a[i] * x[i];
                return s;
                """, """
                static double[] gelu(double[] v) {
                    double[] out = new double[v.length];
                    for (int i = 0; i < v.length; i++) out[i] = Fn.gelu(v[i]);
                    return out;
                }
                """, 1, 0),
        /**
         * A softmax with a stopped maximum, as in microgpt. exp's rule reads y, kept in the fresh
         * array exps; the division's rule reads the sum (pushed once at the end) and y, kept in
         * probs: nothing per element on either path.
         */
        SOFTMAX("""
                double[] p = softmax(w);
                double s = 0.0;
                for (int i = 0; i < p.length; i++) s += p[i] * x[i];
                return s;
                """, """
                static double[] softmax(double[] logits) {
                    double max = Fn.stopGradient(logits[0]);
                    for (int i = 1; i < logits.length; i++) max = Math.max(max, Fn.stopGradient(logits[i]));
                    double[] exps = new double[logits.length];
                    double sum = 0.0;
                    for (int i = 0; i < logits.length; i++) {
                        exps[i] = Math.exp(logits[i] - max);
                        sum += exps[i];
                    }
                    double[] probs = new double[logits.length];
                    for (int i = 0; i < logits.length; i++) probs[i] = exps[i] / sum;
                    return probs;
                }
                """, 0, 0),
        /** A loop-carried accumulator: the product's rule reads the old accumulator, overwritten next iteration. */
        ACCUMULATOR("""
                double acc = 1.0;
                for (int i = 0; i < w.length; i++) acc = acc * w[i] + x[i];
                return acc;
                """, "", 1, 1),
        /** An element overwritten by its own square: the square's rule reads the old value. */
        OVERWRITTEN_ELEMENT("""
                double[] a = new double[w.length];
                for (int i = 0; i < w.length; i++) {
                    a[i] = w[i] * x[i];
                    a[i] = a[i] * a[i];
                }
                double s = 0.0;
                for (int i = 0; i < a.length; i++) s += a[i];
                return s;
                """, "", 1, 1),
        /** A fresh array written once and read after: nothing to record per element. */
        FRESH_ARRAY("""
                double[] h = new double[w.length];
                for (int i = 0; i < w.length; i++) h[i] = w[i] * x[i];
                double s = 0.0;
                for (int i = 0; i < h.length; i++) s += h[i] * h[i];
                return s;
                """, "", 0, 0),
        /**
         * An array variable assigned in a loop, whose adjoint the reverse sweep names in the same
         * trip after the write: saved before each overwrite except in the first trip (nothing
         * reads the value from before the loop), and only its adjoint array (nothing reads the
         * array). The helper is called with the {@code @Param} field, which its reverse sweep is
         * given again by the caller instead of popping it.
         */
        LOOP_CARRIED_ARRAY("""
                double s = 0.0;
                for (int k = 0; k < 3; k++) {
                    double[] h = scaled(w, k + 1.0);
                    for (int i = 0; i < h.length; i++) s += h[i] * x[i];
                }
                return s;
                """, """
                static double[] scaled(double[] v, double c) {
                    double[] out = new double[v.length];
                    for (int i = 0; i < v.length; i++) out[i] = c * v[i];
                    return out;
                }
                """, 0, 0);

        final String loss;
        final String helpers;
        /** Doubles the ordinary forward sweep pushes per element. */
        final int realPerElement;
        /** Jets the jet forward sweep pushes per element. */
        final int jetsPerElement;

        Pattern(String loss, String helpers, int realPerElement, int jetsPerElement) {
            this.loss = loss;
            this.helpers = helpers;
            this.realPerElement = realPerElement;
            this.jetsPerElement = jetsPerElement;
        }

        String source() {
            return """
                    package r;

                    import org.jetsketch.dsl.*;

                    @Circuit
                    class P {
                        @Param double[] w;

                        P(int n) {
                            w = new double[n];
                            for (int i = 0; i < n; i++) w[i] = 0.3 + 0.1 * i;
                        }

                        @TrainingStep
                        static void sgd(@Params double[] p, @Grads double[] g) {
                            for (int i = 0; i < p.length; i++) p[i] -= 0.1 * g[i];
                        }

                        @Loss
                        double loss(double[] x) {
                    %s
                        }

                        @Measurement
                        double value(double[] x) {
                            return loss(x);
                        }

                    %s
                    }
                    """.formatted(loss.indent(8), helpers.indent(4));
        }
    }

    private static final int N1 = 5;
    private static final int N2 = 9;

    private static final class Run {
        final CircuitRunner runner;

        Run(Pattern p, int n) {
            Compilation c = Compile.compile(Compile.source(p.source()));
            assertThat(c).succeeded();
            ClassLoader loader = Compile.classes(c);
            runner = new CircuitRunner(loader, "r.P", CircuitRunner.construct(loader, "r.P",
                    new Class<?>[] {int.class}, n));
        }

        double[] theta() {
            double[] t = new double[runner.params];
            for (int i = 0; i < t.length; i++) t[i] = 0.3 + 0.1 * i;
            return t;
        }

        static double[] example(int n) {
            double[] x = new double[n];
            for (int i = 0; i < n; i++) x[i] = 0.5 - 0.2 * i;
            return x;
        }

        /** Bytes the ordinary loss-and-gradient records at length n (and its value checked against plain Java). */
        long realBytes(int n) {
            RealWorkspace ws = runner.circuit.newRealWorkspace();
            ws.loadParameters(theta());
            ws.resetRecordedBytes();
            double value = runner.circuit.lossAndGradient(ws, example(n), 1.0);
            assertThat(value).isWithin(1e-12).of(runner.plainLoss(theta(), example(n)));
            return ws.recordedBytes();
        }

        JetWorkspace jetWorkspace(int degree) {
            Jets jets = new Jets(degree, 1);
            JetWorkspace ws = runner.circuit.newJetWorkspace(jets);
            double[] thetaJets = new double[runner.params * jets.stride()];
            double[] theta = theta();
            for (int p = 0; p < theta.length; p++) {
                thetaJets[p * jets.stride()] = theta[p];
                thetaJets[p * jets.stride() + 1] = 1.0;
            }
            ws.loadParameters(thetaJets);
            ws.resetRecordedBytes();
            return ws;
        }

        /** Bytes the jet loss-and-gradient records at length n and degree {@code degree}. */
        long jetBytes(int n, int degree) {
            JetWorkspace ws = jetWorkspace(degree);
            int stride = ws.stride;
            double[] seed = new double[stride];
            seed[0] = 1.0;
            double[] loss = new double[stride];
            runner.circuit.lossAndGradient(ws, example(n), seed, 0, loss, 0);
            assertThat(loss[0]).isWithin(1e-12).of(runner.plainLoss(theta(), example(n)));
            return ws.recordedBytes();
        }
    }

    private static int stride(int degree) { return new Jets(degree, 1).stride(); }

    @ParameterizedTest
    @EnumSource(Pattern.class)
    void ordinaryPathRecordsWhatIsRead(Pattern p) {
        long small = new Run(p, N1).realBytes(N1);
        long large = new Run(p, N2).realBytes(N2);
        long perElement = (large - small) / (N2 - N1);
        assertWithMessage("%s: bytes per element on doubles (%s at n = %s, %s at n = %s)", p, small, N1, large, N2)
                .that(perElement).isEqualTo(8L * p.realPerElement);
        assertWithMessage("%s: bytes growing linearly", p).that(large - small).isEqualTo(perElement * (N2 - N1));
    }

    @ParameterizedTest
    @EnumSource(Pattern.class)
    void jetPathRecordsWhatIsRead(Pattern p) {
        Run small = new Run(p, N1);
        Run large = new Run(p, N2);
        for (int degree : new int[] {1, 3}) {
            long perElement = (large.jetBytes(N2, degree) - small.jetBytes(N1, degree)) / (N2 - N1);
            assertWithMessage("%s: bytes per element on jets of degree %s (stride %s)", p, degree, stride(degree))
                    .that(perElement).isEqualTo(8L * stride(degree) * p.jetsPerElement);
        }
    }

    /**
     * The recorded bytes at one length, whole: the per-element pushes above plus the frame, here
     * the references of the arrays the reverse sweep reads and the scalars it reads at its start.
     * These are the figures a change to the compiler must account for.
     */
    @ParameterizedTest
    @EnumSource(Pattern.class)
    void wholeRecordingIsPinned(Pattern p) {
        Run run = new Run(p, N1);
        long real = run.realBytes(N1);
        long jet = run.jetBytes(N1, 3);
        // n = 5; a jet of degree 3 in one direction is 7 doubles (56 bytes), a reference 8 bytes
        long[] expected = switch (p) {
            // Φ(w_i) per element (5 x 8); references: the loss's a, aBar and x, gelu's outBar (4 x 8):
            // no rule reads gelu's result, so its array stays out of the frame; gelu's v and vBar
            // are the field w and its adjoint, which the loss gives gelu's reverse sweep
            case GELU -> new long[] {5 * 8 + 4 * 8, 4 * 8};
            // references: the loss's p, pBar, x; softmax's exps, expsBar, probs, probsBar (7 x 8)
            // (logits and logitsBar: the field w, given); and the sum once
            case SOFTMAX -> new long[] {7 * 8 + 8, 7 * 8 + 56};
            // the accumulator before each update (5), and once more in the frame
            case ACCUMULATOR -> new long[] {5 * 8 + 8, 5 * 56 + 56};
            // a[i] before its square (5); references a, aBar, x
            case OVERWRITTEN_ELEMENT -> new long[] {5 * 8 + 3 * 8, 5 * 56 + 3 * 8};
            // references h, hBar, x
            case FRESH_ARRAY -> new long[] {3 * 8, 3 * 8};
            // h and hBar (h: for h.length, the reverse loop's bound) before trips 2 and 3 (2 x 16),
            // and h, hBar, x in the frame (3 x 8); per call of scaled its outBar and c (3 x 16);
            // scaled's v and vBar, the field w and its adjoint, are given by the loss
            case LOOP_CARRIED_ARRAY -> new long[] {2 * 16 + 3 * 8 + 3 * 16, 2 * 16 + 3 * 8 + 3 * 16};
        };
        assertWithMessage("%s: recorded bytes on doubles, and on degree-3 jets", p)
                .that(new long[] {real, jet}).isEqualTo(expected);
    }

    /**
     * What is left out of the recording is really not needed: each pattern's gradient, on
     * doubles and as the constant term of the degree-3 jets' adjoint, agrees with central
     * differences of the class run as plain Java.
     */
    @ParameterizedTest
    @EnumSource(Pattern.class)
    void gradientsOfWhatIsRecordedMatchDifferences(Pattern p) {
        Run run = new Run(p, N1);
        double[] theta = run.theta();
        double[] x = Run.example(N1);
        double[] grad = new double[theta.length];
        run.runner.loss(theta, x, grad);
        run.runner.assertGradientMatchesDifferences(theta, x, grad, 1e-6, p + " on doubles");
        double[][] adjoint = new double[4][theta.length];
        run.runner.jetLoss(theta, new double[theta.length], x, 3, adjoint);
        run.runner.assertGradientMatchesDifferences(theta, x, adjoint[0], 1e-6, p + " on jets");
    }

    /** A measurement has no reverse sweep: evaluating it, on doubles or on jets, records nothing. */
    @ParameterizedTest
    @EnumSource(Pattern.class)
    void measurementsRecordNothing(Pattern p) {
        Run run = new Run(p, N1);
        BoundMeasurement m = run.runner.bound("value", (Object) Run.example(N1));
        RealWorkspace ws = run.runner.circuit.newRealWorkspace();
        ws.loadParameters(run.theta());
        ws.resetRecordedBytes();
        assertThat(m.evaluate(ws)).isWithin(1e-12).of(run.runner.plainLoss(run.theta(), Run.example(N1)));
        assertWithMessage("%s: bytes recorded by the measurement on doubles", p).that(ws.recordedBytes()).isEqualTo(0L);
        JetWorkspace jets = run.jetWorkspace(3);
        double[] out = new double[jets.stride];
        m.evaluate(jets, out, 0);
        assertThat(out[0]).isWithin(1e-12).of(run.runner.plainLoss(run.theta(), Run.example(N1)));
        assertWithMessage("%s: bytes recorded by the measurement on jets", p).that(jets.recordedBytes()).isEqualTo(0L);
    }

    @Test
    void patternsCompileWithoutWarnings() {
        for (Pattern p : Pattern.values()) {
            assertThat(Compile.compile(Compile.source(p.source()))).succeededWithoutWarnings();
        }
    }
}
