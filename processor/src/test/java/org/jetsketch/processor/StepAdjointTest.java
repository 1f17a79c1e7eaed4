package org.jetsketch.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import java.util.Arrays;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.circuit.CompiledCircuit;
import org.jetsketch.circuit.RealWorkspace;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The adjoint variants of the training step ({@code stepAdjoint}) and of the measurements
 * ({@code BoundMeasurement.gradient}) across the shapes the DSL accepts. Each circuit is compiled
 * in memory with every lint on and must compile without warnings; then
 * <ul>
 *   <li>for the step, a dot-product test: for random inputs x = (θ, g, s), random output adjoints
 *       (λ, σ) and a random input direction d, {@code <λ, dθ'> + <σ, ds'>} from fourth-order central
 *       differences of the generated {@code step} along d equals {@code <θ̄, dθ> + <ḡ, dg> + <s̄, ds>}
 *       from {@code stepAdjoint} to 1e-7 relative; the forward part of {@code stepAdjoint} updates
 *       the arrays exactly as {@code step} does, which agrees with the class run as plain Java;
 *   <li>for a measurement, its gradient against central differences of {@code evaluate} in every
 *       parameter, and its value against plain Java.
 * </ul>
 * Points are chosen away from every branch's switching point, so that differences see one branch.
 */
class StepAdjointTest {

    /** A step whose update direction is chosen by an active condition, ‖g‖ > 1.5 (both sides are checked). */
    private static final String CHOOSE_BY_NORM = """
            @TrainingStep
            static void choose(@Params double[] p, @Grads double[] g, @State double[] v) {
                for (int i = 0; i < p.length; i++) v[i] = MU * v[i] + g[i];
                double[] direction = norm(g) > 1.5 ? v : g;
                for (int i = 0; i < p.length; i++) p[i] -= LR * direction[i] * p[i];
            }

            static double norm(double[] a) {
                double s = 0.0;
                for (int i = 0; i < a.length; i++) s += a[i] * a[i];
                return Math.sqrt(s);
            }
            """;
    /** P = 5: a vector of four and a scalar. */
    static final double[] THETA = {0.5, -0.25, 1.0, 0.75, 0.3};

    static String circuit(String members) {
        return """
                package t;

                import org.jetsketch.dsl.*;

                @Circuit
                class S {
                    static final double LR = 0.1;
                    static final double MU = 0.9;
                    static final double B1 = 0.9;
                    static final double B2 = 0.999;
                    static final double EPS = 1e-8;
                    static final double CLIP = 1.0;
                    static final double WD = 0.01;
                    static final int WARMUP = 5;
                    final double decay = 0.05;

                    @Param double[] w = {0.5, -0.25, 1.0, 0.75};
                    @Param double b = 0.3;

                    @Loss
                    double loss(double[] x) {
                        double z = b;
                        for (int i = 0; i < w.length; i++) z += w[i] * x[i];
                        return 0.5 * z * z;
                    }

                """ + members.indent(4) + "}\n";
    }

    /**
     * A training step: its members (the step and its helpers), the @Step and @Steps values to run
     * it at, and the gradient to run it on ({@code null}: random normal, scaled by {@code gradScale}).
     */
    record StepShape(String name, String members, int step, int steps, double gradScale, double[] grads) {
        StepShape(String name, String members) { this(name, members, 3, 10, 1.0, null); }

        @Override
        public String toString() { return name; }
    }

    static final String GLOBAL_CLIP = """
            @TrainingStep
            static void clipped(@Params double[] p, @Grads double[] g, @State double[] v) {
                double norm2 = 0.0;
                for (int i = 0; i < g.length; i++) norm2 += g[i] * g[i];
                double norm = Math.sqrt(norm2);
                if (norm > CLIP) {
                    for (int i = 0; i < g.length; i++) g[i] *= CLIP / norm;
                }
                for (int i = 0; i < p.length; i++) {
                    v[i] = MU * v[i] + g[i];
                    p[i] -= LR * v[i];
                }
            }
            """;

    static final String NORM_HELPER = """
            @TrainingStep
            static void clipped(@Params double[] p, @Grads double[] g) {
                double n = norm(g);
                double scale = n > CLIP ? CLIP / n : 1.0;
                for (int i = 0; i < p.length; i++) p[i] -= LR * scale * g[i];
            }

            static double norm(double[] v) {
                double s = 0.0;
                for (int i = 0; i < v.length; i++) s += v[i] * v[i];
                return Math.sqrt(s);
            }
            """;

    static final String WARM_UP = """
            @TrainingStep
            static void warm(@Params double[] p, @Grads double[] g, @State double[] v, @Step int t) {
                double lr = LR;
                if (t < WARMUP) lr = LR * (t + 1) / WARMUP;
                for (int i = 0; i < p.length; i++) {
                    v[i] = MU * v[i] + g[i] * g[i];
                    p[i] -= lr * g[i] / Math.sqrt(v[i] + EPS);
                }
            }
            """;

    /** Per-coordinate clipping at 0.5 with every entry at least 0.15 from a kink, on both sides. */
    static final double[] MIXED_GRADS = {1.3, -0.2, -0.9, 0.35, 0.05};

    static Stream<StepShape> stepShapes() {
        return Stream.of(
                new StepShape("plain SGD", """
                        @TrainingStep
                        static void sgd(@Params double[] p, @Grads double[] g) {
                            for (int i = 0; i < p.length; i++) p[i] -= LR * g[i];
                        }
                        """),
                new StepShape("momentum", """
                        @TrainingStep
                        static void momentum(@Params double[] p, @Grads double[] g, @State double[] v) {
                            for (int i = 0; i < p.length; i++) {
                                v[i] = MU * v[i] + g[i];
                                p[i] -= LR * v[i];
                            }
                        }
                        """),
                new StepShape("Adam with bias correction and a decaying rate", """
                        @TrainingStep
                        static void adam(@Params double[] p, @Grads double[] g, @State double[] m,
                                @State double[] v, @Step int t, @Steps int n) {
                            double lr = LR * (1.0 - (double) t / n);
                            double c1 = 1.0 - Math.pow(B1, t + 1);
                            double c2 = 1.0 - Math.pow(B2, t + 1);
                            for (int i = 0; i < p.length; i++) {
                                m[i] = B1 * m[i] + (1 - B1) * g[i];
                                v[i] = B2 * v[i] + (1 - B2) * g[i] * g[i];
                                double mHat = m[i] / c1;
                                double vHat = v[i] / c2;
                                p[i] -= lr * mHat / (Math.sqrt(vHat) + EPS);
                            }
                        }
                        """),
                new StepShape("AMSGrad (Math.max on state)", """
                        @TrainingStep
                        static void amsgrad(@Params double[] p, @Grads double[] g, @State double[] v,
                                @State double[] vMax) {
                            for (int i = 0; i < p.length; i++) {
                                v[i] = B2 * v[i] + (1 - B2) * g[i] * g[i];
                                vMax[i] = Math.max(vMax[i], 0.5 * v[i] + 0.3);
                                p[i] -= LR * g[i] / Math.sqrt(vMax[i]);
                            }
                        }
                        """),
                new StepShape("Nesterov (previous velocity in a local)", """
                        @TrainingStep
                        static void nesterov(@Params double[] p, @Grads double[] g, @State double[] v) {
                            for (int i = 0; i < p.length; i++) {
                                double previous = v[i];
                                v[i] = MU * v[i] - LR * g[i];
                                p[i] += -MU * previous + (1 + MU) * v[i];
                            }
                        }
                        """),
                new StepShape("global-norm clipping, clipped", GLOBAL_CLIP, 3, 10, 3.0, null),
                new StepShape("global-norm clipping, not clipped", GLOBAL_CLIP, 3, 10, 0.1, null),
                new StepShape("global-norm clipping through a norm helper, clipped", NORM_HELPER, 3, 10, 3.0, null),
                new StepShape("global-norm clipping through a norm helper, not clipped", NORM_HELPER, 3, 10, 0.1,
                        null),
                new StepShape("per-coordinate clipping with Math.max and Math.min", """
                        @TrainingStep
                        static void clip(@Params double[] p, @Grads double[] g) {
                            for (int i = 0; i < p.length; i++) {
                                g[i] = Math.max(-0.5, Math.min(0.5, g[i]));
                                p[i] -= LR * g[i];
                            }
                        }
                        """, 3, 10, 1.0, MIXED_GRADS),
                new StepShape("per-coordinate clipping with ?:", """
                        @TrainingStep
                        static void clip(@Params double[] p, @Grads double[] g) {
                            for (int i = 0; i < p.length; i++) {
                                double d = g[i] > 0.5 ? 0.5 : (g[i] < -0.5 ? -0.5 : g[i]);
                                p[i] -= LR * d;
                            }
                        }
                        """, 3, 10, 1.0, MIXED_GRADS),
                new StepShape("per-coordinate clipping with if writing g", """
                        @TrainingStep
                        static void clip(@Params double[] p, @Grads double[] g) {
                            for (int i = 0; i < p.length; i++) {
                                if (g[i] > 0.5) g[i] = 0.5;
                                else if (g[i] < -0.5) g[i] = -0.5;
                                p[i] -= LR * g[i] * p[i];
                            }
                        }
                        """, 3, 10, 1.0, MIXED_GRADS),
                new StepShape("weight decay (coupled and decoupled, compound *=)", """
                        @TrainingStep
                        void decayed(@Params double[] p, @Grads double[] g, @State double[] v) {
                            for (int i = 0; i < p.length; i++) {
                                v[i] = MU * v[i] + g[i] + WD * p[i];
                                p[i] *= 1.0 - LR * decay;
                                p[i] -= LR * v[i];
                            }
                        }
                        """),
                new StepShape("a helper updating an array in place", """
                        @TrainingStep
                        static void sgd(@Params double[] p, @Grads double[] g, @State double[] v) {
                            scaleInto(v, MU);
                            axpy(1.0, g, v);
                            axpy(-LR, v, p);
                        }

                        static void axpy(double a, double[] x, double[] y) {
                            for (int i = 0; i < y.length; i++) y[i] += a * x[i];
                        }

                        static void scaleInto(double[] y, double a) {
                            for (int i = 0; i < y.length; i++) y[i] = a * y[i];
                        }
                        """),
                new StepShape("a helper returning an array", """
                        @TrainingStep
                        static void sgd(@Params double[] p, @Grads double[] g) {
                            double[] d = direction(g, p);
                            for (int i = 0; i < p.length; i++) p[i] -= LR * d[i];
                        }

                        static double[] direction(double[] g, double[] p) {
                            double[] d = new double[g.length];
                            for (int i = 0; i < g.length; i++) d[i] = g[i] * (1.0 + p[i] * p[i]);
                            return d;
                        }
                        """),
                new StepShape("while loop with a passive bound", """
                        @TrainingStep
                        static void sgd(@Params double[] p, @Grads double[] g) {
                            int i = 0;
                            while (i < p.length) {
                                p[i] -= LR * g[i] * g[i];
                                i++;
                            }
                        }
                        """),
                new StepShape("do loop with a passive bound", """
                        @TrainingStep
                        static void sgd(@Params double[] p, @Grads double[] g, @State double[] v) {
                            int i = 0;
                            do {
                                v[i] = v[i] * p[i] + g[i];
                                p[i] -= LR * v[i];
                                i += 1;
                            } while (i < p.length);
                        }
                        """),
                new StepShape("break and continue", """
                        @TrainingStep
                        static void sgd(@Params double[] p, @Grads double[] g) {
                            double acc = 0.0;
                            for (int i = 0; ; i++) {
                                if (i >= p.length) break;
                                if (i == 1) continue;
                                acc += g[i] * p[i];
                                p[i] -= LR * (g[i] + 0.1 * acc);
                            }
                        }
                        """),
                new StepShape("a local array temporary", """
                        @TrainingStep
                        static void sgd(@Params double[] p, @Grads double[] g) {
                            double[] sq = new double[p.length];
                            for (int i = 0; i < p.length; i++) sq[i] = g[i] * g[i];
                            double total = 0.0;
                            for (int i = 0; i < p.length; i++) total += sq[i];
                            for (int i = 0; i < p.length; i++) p[i] -= LR * sq[i] / (1.0 + total) * p[i];
                        }
                        """),
                new StepShape("Math.sqrt, abs, exp, log and pow", """
                        @TrainingStep
                        static void odd(@Params double[] p, @Grads double[] g, @State double[] v) {
                            for (int i = 0; i < p.length; i++) {
                                double a = Math.sqrt(Math.abs(g[i]) + 1.0) * Math.exp(-0.5 * g[i] * g[i]);
                                double r = Math.log(1.0 + p[i] * p[i]) + Math.pow(Math.abs(v[i]) + 1.0, 1.5);
                                v[i] = Math.pow(v[i], 2) + 0.1 * a;
                                p[i] -= LR * (a * g[i] + 0.01 * r);
                            }
                        }
                        """),
                new StepShape("@Step read in a branch (warm-up), warming", WARM_UP, 1, 10, 1.0, null),
                new StepShape("@Step read in a branch (warm-up), warm", WARM_UP, 7, 10, 1.0, null),
                new StepShape("cosine schedule (Math.cos of passive values)", """
                        @TrainingStep
                        static void cosine(@Params double[] p, @Grads double[] g, @Step int t, @Steps int n) {
                            double lr = 0.5 * LR * (1.0 + Math.cos(Math.PI * t / n));
                            for (int i = 0; i < p.length; i++) p[i] -= lr * g[i];
                        }
                        """),
                new StepShape("Fn functions and two-sided Math.min/max", """
                        @TrainingStep
                        static void fns(@Params double[] p, @Grads double[] g, @State double[] v) {
                            for (int i = 0; i < p.length; i++) {
                                double a = Fn.sigmoid(g[i]) + Fn.square(p[i]) + Fn.softplus(v[i]) + Math.tanh(g[i]);
                                v[i] = Math.max(v[i], Math.abs(g[i])) + Math.min(p[i], g[i]) * Fn.rsqrt(v[i] + 1.0);
                                p[i] -= LR * a * g[i];
                            }
                        }
                        """),
                new StepShape("compound /= and -= on state, a scalar reused across iterations", """
                        @TrainingStep
                        static void compound(@Params double[] p, @Grads double[] g, @State double[] v) {
                            double d;
                            for (int i = 0; i < p.length; i++) {
                                d = g[i] * g[i] + p[i];
                                v[i] /= 1.0 + d * d;
                                v[i] -= LR * d;
                                p[i] -= LR * d * p[i] * v[i];
                            }
                        }
                        """),
                new StepShape("a branch on state", """
                        @TrainingStep
                        static void branchy(@Params double[] p, @Grads double[] g, @State double[] v) {
                            for (int i = 0; i < p.length; i++) {
                                if (v[i] > 0.6) {
                                    p[i] -= LR * g[i] * v[i];
                                    v[i] = 0.5 * v[i];
                                } else {
                                    v[i] += g[i] * g[i];
                                }
                            }
                        }
                        """),
                new StepShape("break on an active condition", """
                        @TrainingStep
                        static void early(@Params double[] p, @Grads double[] g) {
                            for (int i = 0; i < p.length; i++) {
                                if (g[i] > 1.0) break;
                                p[i] -= LR * g[i] * p[i];
                            }
                        }
                        """, 3, 10, 1.0, new double[] {0.3, -0.7, 0.1, 1.6, 0.2}),
                new StepShape("continue on an active condition", """
                        @TrainingStep
                        static void skip(@Params double[] p, @Grads double[] g) {
                            for (int i = 0; i < p.length; i++) {
                                if (Math.abs(g[i]) < 0.25) continue;
                                p[i] -= LR * g[i] * p[i];
                            }
                        }
                        """, 3, 10, 1.0, new double[] {0.3, -0.7, 0.1, 1.6, 0.2}),
                new StepShape("return on an active condition", """
                        @TrainingStep
                        static void guarded(@Params double[] p, @Grads double[] g) {
                            for (int i = 0; i < p.length; i++) {
                                p[i] -= LR * g[i] * p[i];
                                if (p[i] > 0.9) return;
                            }
                        }
                        """, 3, 10, 1.0, new double[] {0.3, -0.7, 0.1, -1.6, 0.2}),
                new StepShape("a helper called with the same array twice", """
                        @TrainingStep
                        static void aliased(@Params double[] p, @Grads double[] g) {
                            axpy(-LR, g, p);
                            axpy(-LR, p, p);
                        }

                        static void axpy(double a, double[] x, double[] y) {
                            for (int i = 0; i < y.length; i++) y[i] += a * x[i] * x[i];
                        }
                        """),
                new StepShape("a helper writing the gradient in place", """
                        @TrainingStep
                        static void clipped(@Params double[] p, @Grads double[] g) {
                            clipInPlace(g, 0.5);
                            for (int i = 0; i < p.length; i++) p[i] -= LR * g[i] * p[i];
                        }

                        static void clipInPlace(double[] x, double c) {
                            for (int i = 0; i < x.length; i++) {
                                if (x[i] > c) x[i] = c;
                                if (x[i] < -c) x[i] = -c;
                            }
                        }
                        """, 3, 10, 1.0, MIXED_GRADS),
                new StepShape("a helper with active scalar arguments in a loop", """
                        @TrainingStep
                        static void scalar(@Params double[] p, @Grads double[] g, @State double[] v) {
                            for (int i = 0; i < p.length; i++) {
                                v[i] = blend(v[i], g[i] * g[i], B2);
                                p[i] -= LR * g[i] / Math.sqrt(v[i] + 1e-3) + shrink(p[i], 0.01);
                            }
                        }

                        static double blend(double a, double b, double beta) {
                            return beta * a + (1 - beta) * b;
                        }

                        static double shrink(double x, double lambda) {
                            return x > 0 ? lambda * x * x : -lambda * x * x;
                        }
                        """),
                new StepShape("a boolean helper on active values", """
                        @TrainingStep
                        static void gated(@Params double[] p, @Grads double[] g) {
                            for (int i = 0; i < p.length; i++) {
                                if (large(g[i], p[i])) p[i] -= LR * g[i];
                                else p[i] -= 2 * LR * g[i] * p[i];
                            }
                        }

                        static boolean large(double a, double b) {
                            return Math.abs(a) > Math.abs(b);
                        }
                        """),
                new StepShape("swapping parameter entries (two loop variables)", """
                        @TrainingStep
                        static void swap(@Params double[] p, @Grads double[] g) {
                            for (int i = 0, j = p.length - 1; i < j; i++, j--) {
                                double tmp = p[i];
                                p[i] = p[j] - LR * g[j] * tmp;
                                p[j] = tmp - LR * g[i];
                            }
                        }
                        """),
                new StepShape("a copy of the parameters in a local array (lookahead)", """
                        @TrainingStep
                        static void lookahead(@Params double[] p, @Grads double[] g, @State double[] slow) {
                            double[] old = new double[p.length];
                            for (int i = 0; i < p.length; i++) old[i] = p[i];
                            for (int i = 0; i < p.length; i++) p[i] = old[i] - LR * g[i] * old[i];
                            for (int i = 0; i < p.length; i++) {
                                slow[i] += 0.5 * (p[i] - slow[i]);
                                p[i] = slow[i] + 0.1 * old[i] * p[i];
                            }
                        }
                        """),
                new StepShape("a two-dimensional local array", """
                        @TrainingStep
                        static void table(@Params double[] p, @Grads double[] g) {
                            double[][] t = new double[2][p.length];
                            for (int i = 0; i < p.length; i++) {
                                t[0][i] = g[i] * p[i];
                                t[1][i] = t[0][i] * t[0][i];
                            }
                            for (int i = 0; i < p.length; i++) p[i] -= LR * (t[0][i] + t[1][i]);
                        }
                        """),
                new StepShape("&& and || on active comparisons", """
                        @TrainingStep
                        static void logic(@Params double[] p, @Grads double[] g) {
                            for (int i = 0; i < p.length; i++) {
                                if (g[i] > 0 && p[i] > 0 || g[i] < -0.5) p[i] -= LR * g[i] * p[i];
                                else p[i] -= LR * g[i];
                            }
                        }
                        """, 3, 10, 1.0, MIXED_GRADS),
                new StepShape("a boolean local from an active comparison, per iteration", """
                        @TrainingStep
                        static void signs(@Params double[] p, @Grads double[] g, @State double[] v) {
                            int flips = 0;
                            for (int i = 0; i < p.length; i++) {
                                boolean negative = g[i] < 0;
                                if (negative) flips++;
                                v[i] = negative ? v[i] * 0.5 - g[i] : v[i] + g[i] * g[i];
                            }
                            double scale = 1.0 / (1 + flips);
                            for (int i = 0; i < p.length; i++) p[i] -= LR * scale * v[i] * p[i];
                        }
                        """, 3, 10, 1.0, MIXED_GRADS),
                new StepShape("increments of active values", """
                        @TrainingStep
                        static void counts(@Params double[] p, @Grads double[] g, @State double[] v) {
                            for (int i = 0; i < p.length; i++) {
                                v[i]++;
                                v[i] *= g[i];
                                p[i]--;
                                p[i] += 1.0 - LR * v[i] * p[i];
                            }
                        }
                        """),
                new StepShape("reads of neighbours after their update", """
                        @TrainingStep
                        static void neighbours(@Params double[] p, @Grads double[] g) {
                            int n = p.length;
                            for (int i = 0; i < n; i++) p[i] = p[i] - LR * g[i] * p[(i + 1) % n] + 0.1 * p[(i + n - 1) % n];
                        }
                        """),
                new StepShape("a helper returning the array it updated", """
                        @TrainingStep
                        static void chained(@Params double[] p, @Grads double[] g) {
                            double[] q = doubled(g);
                            double[] r = doubled(q);
                            for (int i = 0; i < p.length; i++) p[i] -= LR * r[i] * p[i] + 0.01 * g[i];
                        }

                        static double[] doubled(double[] a) {
                            for (int i = 0; i < a.length; i++) a[i] = 2.0 * a[i] * a[i];
                            return a;
                        }
                        """),
                new StepShape("nested helpers: one writes state, one returns from a loop", """
                        @TrainingStep
                        static void nested(@Params double[] p, @Grads double[] g, @State double[] v) {
                            double first = accumulate(v, g);
                            for (int i = 0; i < p.length; i++) p[i] -= LR * (v[i] + first) * p[i];
                        }

                        static double accumulate(double[] v, double[] g) {
                            for (int i = 0; i < v.length; i++) v[i] = square(v[i]) + g[i];
                            return firstLarge(v, 1.0);
                        }

                        static double square(double x) {
                            return x * x;
                        }

                        static double firstLarge(double[] v, double limit) {
                            for (int i = 0; i < v.length; i++) {
                                if (v[i] > limit) return v[i];
                            }
                            return 0.0;
                        }
                        """),
                new StepShape("a local assigned on both sides of an if and a nested loop", """
                        @TrainingStep
                        static void nestedLoops(@Params double[] p, @Grads double[] g) {
                            double d;
                            for (int i = 0; i < p.length; i++) {
                                if (g[i] > 0) d = g[i] * p[i];
                                else d = g[i] - p[i];
                                for (int k = 0; k < 2; k++) d = d * 0.5 + p[i] * g[k];
                                p[i] -= LR * d;
                            }
                        }
                        """),
                new StepShape("a local alias of the parameters", """
                        @TrainingStep
                        static void alias(@Params double[] p, @Grads double[] g) {
                            double[] q = p;
                            for (int i = 0; i < q.length; i++) q[i] -= LR * g[i] * p[i];
                        }
                        """),
                new StepShape("an array chosen by an active condition", CHOOSE_BY_NORM, 3, 10, 3.0, null),
                new StepShape("an array chosen by an active condition, other side", CHOOSE_BY_NORM, 3, 10, 0.1, null),
                new StepShape("a rate from a table indexed by @Step", """
                        @TrainingStep
                        static void table(@Params double[] p, @Grads double[] g, @Step int t) {
                            double[] schedule = {0.1, 0.05, 0.01};
                            double lr = schedule[Math.min(t, 2)];
                            for (int i = 0; i < p.length; i++) p[i] -= lr * g[i] * p[i];
                        }
                        """, 1, 10, 1.0, null),
                new StepShape("the gradient parameter reassigned to the state", """
                        @TrainingStep
                        static void reassigned(@Params double[] p, @Grads double[] g, @State double[] v) {
                            for (int i = 0; i < p.length; i++) v[i] = MU * v[i] + g[i] * g[i];
                            g = v;
                            for (int i = 0; i < p.length; i++) p[i] -= LR * g[i] * p[i];
                        }
                        """),
                new StepShape("an index with a side effect (p[i++])", """
                        @TrainingStep
                        static void postIncrement(@Params double[] p, @Grads double[] g) {
                            int i = 0;
                            while (i < p.length) p[i++] -= LR * g[i - 1] * p[i - 1];
                        }
                        """),
                new StepShape("a local array allocated in the loop", """
                        @TrainingStep
                        static void scratch(@Params double[] p, @Grads double[] g) {
                            for (int i = 0; i < p.length; i++) {
                                double[] tmp = new double[2];
                                tmp[0] = g[i] * p[i];
                                tmp[1] = tmp[0] * tmp[0];
                                p[i] -= LR * (tmp[0] + tmp[1]);
                            }
                        }
                        """),
                new StepShape("the parameters and the state as rows of a local matrix", """
                        @TrainingStep
                        static void rows(@Params double[] p, @Grads double[] g, @State double[] v) {
                            double[][] both = {p, v};
                            for (int r = 0; r < 2; r++) {
                                for (int i = 0; i < p.length; i++) both[r][i] -= LR * g[i] * both[r][i];
                            }
                        }
                        """),
                new StepShape("a local clipped by successive ?:", """
                        @TrainingStep
                        static void successive(@Params double[] p, @Grads double[] g) {
                            for (int i = 0; i < p.length; i++) {
                                double x = g[i];
                                x = x > 0.5 ? 0.5 : x;
                                x = x < -0.5 ? -0.5 : x;
                                p[i] -= LR * x * p[i];
                            }
                        }
                        """, 3, 10, 1.0, MIXED_GRADS),
                new StepShape("a final local assigned in an active if", """
                        @TrainingStep
                        static void definite(@Params double[] p, @Grads double[] g) {
                            final double lr;
                            if (g[0] > 0) lr = LR * g[0];
                            else lr = 2 * LR;
                            for (int i = 0; i < p.length; i++) p[i] -= lr * g[i] * p[i];
                        }
                        """),
                new StepShape("for (;;) with breaks on a passive and an active condition", """
                        @TrainingStep
                        static void forever(@Params double[] p, @Grads double[] g) {
                            double s = 0;
                            int i = 0;
                            for (;;) {
                                if (i == p.length) break;
                                s += g[i] * g[i];
                                if (s > 2.0) break;
                                i++;
                            }
                            for (int j = 0; j < p.length; j++) p[j] -= LR * s * p[j];
                        }
                        """, 3, 10, 1.0, MIXED_GRADS),
                new StepShape("a step that ignores the gradient", """
                        @TrainingStep
                        static void shrink(@Params double[] p, @Grads double[] g) {
                            for (int i = 0; i < p.length; i++) p[i] *= 0.99 - 0.01 * p[i];
                        }
                        """),
                new StepShape("an unused state and a counting state", """
                        @TrainingStep
                        static void counted(@Params double[] p, @Grads double[] g, @State double[] unused,
                                @State double[] count) {
                            for (int i = 0; i < p.length; i++) {
                                count[i] += 1.0;
                                p[i] -= LR * g[i] / count[i];
                            }
                        }
                        """),
                new StepShape("a helper named like the step's adjoint variant (sgdAdjoint)", """
                        @TrainingStep
                        static void sgd(@Params double[] p, @Grads double[] g) {
                            sgdAdjoint(p, g);
                        }

                        static void sgdAdjoint(double[] p, double[] g) {
                            for (int i = 0; i < p.length; i++) p[i] -= LR * g[i] * p[i];
                        }
                        """),
                new StepShape("names like the generated code's (pBar, t1, g2, val, S, ws)", """
                        @TrainingStep
                        static void names(@Params double[] ws, @Grads double[] wsBar) {
                            double t1 = 0, g2 = 0, val = 1, S = 2;
                            for (int i = 0; i < ws.length; i++) {
                                t1 += wsBar[i] * ws[i];
                                g2 = t1 * t1;
                                val = val * g2 + S;
                            }
                            for (int i = 0; i < ws.length; i++) ws[i] -= LR * wsBar[i] * val * 1e-3 + LR * pBar(ws[i]);
                        }

                        static double pBar(double p) {
                            return p * p;
                        }
                        """),
                new StepShape("a passive element the reverse sweep reads, overwritten at an index j++", """
                        @TrainingStep
                        static void masked(@Params double[] p, @Grads double[] g, @State double[] v) {
                            int n = p.length;
                            double[] mask = new double[n];
                            int[] hits = new int[n];
                            for (int i = 0; i < n; i++) mask[i] = 1.0 + i;
                            for (int i = 0; i < n; i++) p[i] -= LR * g[i] * mask[i] * p[i];
                            int j = 0;
                            while (j < n) mask[j++] = 0.5;
                            j = 0;
                            while (j < n) mask[j++] += 0.25 * j;
                            j = 0;
                            while (j < n) hits[j++]++;
                            for (int i = 0; i < n; i++) {
                                v[i] = v[i] * mask[i] * hits[i] + g[i];
                                p[i] -= LR * v[i] * mask[i] * p[i];
                            }
                        }
                        """),
                new StepShape("a passive element written at mask[j++] in a for-loop header", """
                        @TrainingStep
                        static void headerMask(@Params double[] p, @Grads double[] g) {
                            int n = p.length;
                            double[] mask = new double[n];
                            for (int i = 0; i < n; i++) mask[i] = 1.0 + i;
                            for (int i = 0; i < n; i++) p[i] -= LR * g[i] * mask[i] * p[i];
                            int j = 0;
                            for (int i = 0; i < n; i++, mask[j++] = 0.5) p[i] -= LR * g[i] * p[i];
                            for (int i = 0; i < n; i++) p[i] -= LR * g[i] * mask[i] * p[i];
                        }
                        """),
                new StepShape("an active element written at an index j++", """
                        @TrainingStep
                        static void postIncrementActive(@Params double[] p, @Grads double[] g) {
                            int j = 0;
                            while (j < p.length) p[j++] = p[j - 1] * p[j - 1] - LR * g[j - 1];
                        }
                        """),
                new StepShape("an instance step reading a hyperparameter field", """
                        @TrainingStep
                        void decoupled(@Params double[] p, @Grads double[] g) {
                            for (int i = 0; i < p.length; i++) p[i] = p[i] * (1.0 - decay) - LR * g[i];
                        }
                        """));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stepShapes")
    void stepAdjointIsTheVectorJacobianProductOfStep(StepShape shape) throws Exception {
        Compilation c = Compile.compile(Compile.source(circuit(shape.members())));
        assertThat(c).succeededWithoutWarnings();
        ClassLoader loader = Compile.classes(c);
        CircuitRunner run = new CircuitRunner(loader, "t.S", CircuitRunner.construct(loader, "t.S", new Class<?>[0]));
        CompiledCircuit<Object> circuit = run.circuit;
        int n = run.params;
        int k = circuit.stateArrays();
        Random r = new Random(shape.name().hashCode());

        double[] theta = THETA.clone();
        for (int p = 0; p < n; p++) theta[p] += 0.1 * r.nextGaussian();
        double[] grads = shape.grads() != null ? shape.grads().clone() : gaussian(r, n, shape.gradScale());
        double[][] state = new double[k][];
        for (int j = 0; j < k; j++) {
            state[j] = new double[n];
            for (int p = 0; p < n; p++) state[j][p] = 0.1 + r.nextDouble();
        }

        // forward: step, the forward part of stepAdjoint and plain Java agree
        double[] stepped = theta.clone();
        double[][] steppedState = deepCopy(state);
        double[] steppedGrads = grads.clone();
        circuit.step(circuit.newRealWorkspace(), stepped, steppedGrads, steppedState, shape.step(), shape.steps());
        double[] recorded = theta.clone();
        double[][] recordedState = deepCopy(state);
        double[] recordedGrads = grads.clone();
        circuit.stepAdjoint(circuit.newRealWorkspace(), recorded, recordedGrads, recordedState, shape.step(),
                shape.steps(), new double[n], new double[n], zeros(k, n));
        assertWithMessage("params after stepAdjoint's forward sweep").that(recorded).isEqualTo(stepped);
        assertWithMessage("grads after stepAdjoint's forward sweep").that(recordedGrads).isEqualTo(steppedGrads);
        for (int j = 0; j < k; j++) {
            assertWithMessage("state %s after stepAdjoint's forward sweep", j).that(recordedState[j])
                    .isEqualTo(steppedState[j]);
        }
        double[] plainTheta = theta.clone();
        double[][] plainState = deepCopy(state);
        run.plain(THETA, stepMethodName(shape.members()), plainArguments(shape, plainTheta, grads.clone(), plainState));
        assertWithMessage("params after the step, against plain Java").that(stepped)
                .usingTolerance(1e-15).containsExactly(plainTheta).inOrder();
        for (int j = 0; j < k; j++) {
            assertWithMessage("state %s after the step, against plain Java", j).that(steppedState[j])
                    .usingTolerance(1e-15).containsExactly(plainState[j]).inOrder();
        }
        assertWithMessage("the step moves the parameters").that(Arrays.equals(stepped, theta)).isFalse();

        // the dot-product test: λ only, σ only (if there is state), then both
        RealWorkspace ws = circuit.newRealWorkspace();
        for (int trial = 0; trial < (k == 0 ? 2 : 3); trial++) {
            double[] lambda = trial == 1 && k > 0 ? new double[n] : gaussian(r, n, 1.0);
            double[][] sigma = new double[k][];
            for (int j = 0; j < k; j++) sigma[j] = trial == 0 ? new double[n] : gaussian(r, n, 1.0);
            double[] dTheta = gaussian(r, n, 1.0);
            double[] dGrads = gaussian(r, n, 1.0);
            double[][] dState = new double[k][];
            for (int j = 0; j < k; j++) dState[j] = gaussian(r, n, 1.0);

            ToDoubleFunction<Double> projected = t -> {
                double[] p = axpy(theta, t, dTheta);
                double[] g = axpy(grads, t, dGrads);
                double[][] s = new double[k][];
                for (int j = 0; j < k; j++) s[j] = axpy(state[j], t, dState[j]);
                circuit.step(circuit.newRealWorkspace(), p, g, s, shape.step(), shape.steps());
                double out = dot(lambda, p);
                for (int j = 0; j < k; j++) out += dot(sigma[j], s[j]);
                return out;
            };
            double h = 1e-3;
            double fd = (8 * (projected.applyAsDouble(h) - projected.applyAsDouble(-h))
                    - (projected.applyAsDouble(2 * h) - projected.applyAsDouble(-2 * h))) / (12 * h);

            double[] paramsBar = lambda.clone();
            double[] gradsBefore = gaussian(r, n, 1.0); // stepAdjoint adds to the gradient's adjoint
            double[] gradsBar = gradsBefore.clone();
            double[][] stateBar = deepCopy(sigma);
            double[] p = theta.clone();
            double[][] s = deepCopy(state);
            circuit.stepAdjoint(ws, p, grads.clone(), s, shape.step(), shape.steps(), paramsBar, gradsBar, stateBar);
            assertWithMessage("params after stepAdjoint, trial %s", trial).that(p).isEqualTo(stepped);
            double adjoint = dot(paramsBar, dTheta);
            for (int q = 0; q < n; q++) adjoint += (gradsBar[q] - gradsBefore[q]) * dGrads[q];
            for (int j = 0; j < k; j++) adjoint += dot(stateBar[j], dState[j]);

            assertWithMessage("<λ, dθ'> + <σ, ds'> by differences against <θ̄, dθ> + <ḡ, dg> + <s̄, ds>, trial %s",
                    trial).that(adjoint).isWithin(1e-7 * Math.max(1e-3, Math.abs(fd))).of(fd);
            double size = 0;
            for (int q = 0; q < n; q++) size += Math.abs(paramsBar[q]) + Math.abs(gradsBar[q] - gradsBefore[q]);
            for (int j = 0; j < k; j++) for (int q = 0; q < n; q++) size += Math.abs(stateBar[j][q]);
            assertWithMessage("adjoints that say something, trial %s", trial).that(size).isGreaterThan(1e-2);
        }
    }

    /** stepAdjoint rejects arrays of the wrong number or length with a message naming them. */
    @org.junit.jupiter.api.Test
    void stepAdjointRejectsMismatchedArrays() {
        Compilation c = Compile.compile(Compile.source(circuit(stepShapes().filter(s -> s.name().equals("momentum"))
                .findFirst().orElseThrow().members())));
        ClassLoader loader = Compile.classes(c);
        CircuitRunner run = new CircuitRunner(loader, "t.S", CircuitRunner.construct(loader, "t.S", new Class<?>[0]));
        CompiledCircuit<Object> circuit = run.circuit;
        RealWorkspace ws = circuit.newRealWorkspace();
        int n = run.params;
        IllegalArgumentException count = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> circuit.stepAdjoint(ws, new double[n], new double[n], zeros(1, n), 0, 1, new double[n],
                        new double[n], zeros(2, n)));
        assertThat(count).hasMessageThat().isEqualTo("the training step keeps 1 state arrays, got 1 and adjoints of 2");
        IllegalArgumentException lengths = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> circuit.stepAdjoint(ws, new double[n], new double[n],
                        zeros(1, n), 0, 1, new double[n], new double[n - 1], zeros(1, n)));
        assertThat(lengths).hasMessageThat()
                .isEqualTo("params, grads, paramsBar and gradsBar must have one length, got 5, 5, 5, 4");
        IllegalArgumentException state = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> circuit.stepAdjoint(ws, new double[n], new double[n],
                        zeros(1, n), 0, 1, new double[n], new double[n], zeros(1, n + 1)));
        assertThat(state).hasMessageThat()
                .isEqualTo("state[0] and stateBar[0] must have the length of params, 5, got 5 and 6");
    }

    // ---------------------------------------------------------------- measurements

    static final String MEASUREMENTS = """
            @TrainingStep
            static void sgd(@Params double[] p, @Grads double[] g) {
                for (int i = 0; i < p.length; i++) p[i] -= LR * g[i];
            }

            double logit(double[] x) {
                double z = b;
                for (int i = 0; i < w.length; i++) z += w[i] * x[i];
                return z;
            }

            static double sumsq(double[] v) {
                double s = 0.0;
                for (int i = 0; i < v.length; i++) s += v[i] * v[i];
                return s;
            }

            double[] scaled(double a) {
                double[] out = new double[w.length];
                for (int i = 0; i < w.length; i++) out[i] = a * w[i] * b;
                return out;
            }

            @Measurement
            double probability(double[] x) {
                return Fn.sigmoid(logit(x));
            }

            @Measurement
            double hinge(double[] x, double margin) {
                double z = logit(x);
                if (z > margin) return 0.01 * z * b;
                else if (z < -margin) return margin - 2.0 * z;
                return (margin - z) * (margin - z) / (2.0 * margin) + 0.5 * margin;
            }

            @Measurement
            double normWhile() {
                double s = 0.0;
                int i = 0;
                while (i < w.length) {
                    s += w[i] * w[i] * b;
                    i++;
                }
                return Math.sqrt(s + 1.0);
            }

            @Measurement
            double doLoopWithBreak(double limit) {
                double s = 0.0;
                int i = 0;
                do {
                    if (i == 2) {
                        i++;
                        continue;
                    }
                    s += Math.exp(0.1 * w[i]) * b;
                    if (s > limit) break;
                    i++;
                } while (i < w.length);
                return s;
            }

            @Measurement
            double localArrays(double[][] rows, int k) {
                double[] h = new double[rows.length];
                for (int r = 0; r < rows.length; r++) {
                    double z = b;
                    for (int j = 0; j < w.length; j++) z += rows[r][j] * w[j];
                    h[r] = Math.tanh(z);
                }
                double[] s = scaled(h[k]);
                return sumsq(h) + sumsq(s) + Math.max(h[0], h[1]) + Math.abs(h[2]);
            }

            @Param double[][] m = {{0.2, -0.1, 0.4}, {0.5, 0.3, -0.6}};

            double[][] mixed(double[] x) {
                double[][] out = new double[m.length][m[0].length];
                for (int r = 0; r < m.length; r++) {
                    for (int c = 0; c < m[r].length; c++) out[r][c] = m[r][c] * x[c] + w[c] * b;
                }
                return out;
            }

            static void fill(double[] into, double v) {
                for (int i = 0; i < into.length; i++) into[i] = v * (i + 1);
            }

            static double total(double... xs) {
                double s = 0.0;
                for (int i = 0; i < xs.length; i++) s += xs[i];
                return s;
            }

            @Measurement
            double score(double[] x) {
                return w[0] * x[0] * b + scoreAdjoint(x);
            }

            @Measurement
            double score(double[] x, double t) {
                return w[1] * x[1] * t * b;
            }

            /** Named like the adjoint variant of score: the generated code must still compile. */
            double scoreAdjoint(double[] x) {
                return w[2] * x[2] * b;
            }

            /** Arguments named like what the bound measurement's generated code declares. */
            @Measurement
            double clashing(double[] grad, double value, double[] workspace, int ws, double[] description,
                    int offset, double[] x, double[] xJets, double out) {
                grad[1] = w[1] * b;
                x[0] = w[0] * value;
                return grad[1] * grad[0] + workspace[ws] * w[2] + description[offset] * x[0] * xJets[0] * out;
            }

            @Measurement
            double writesRows(double[][] rows) {
                rows[1][2] = w[3] * b;
                double s = 0.0;
                for (int r = 0; r < rows.length; r++) s += rows[r][2] * rows[r][1];
                return s * rows[1][2];
            }

            @Measurement
            double remasked() {
                int n = w.length;
                double[] mask = new double[n];
                for (int i = 0; i < n; i++) mask[i] = 1.0 + i;
                double s = 0;
                for (int i = 0; i < n; i++) s += mask[i] * w[i] * w[i];
                int j = 0;
                while (j < n) mask[j++] = 0.5;
                for (int i = 0; i < n; i++) s += mask[i] * w[i] * w[i] * b;
                return s;
            }

            @Measurement
            double positives() {
                int count = 0;
                for (int i = 0; i < w.length; i++) {
                    if (w[i] > 0) count++;
                }
                return count;
            }

            @Measurement
            double independent(double[] x) {
                return x[0] * x[1];
            }

            @Measurement
            double writesItsArgument(double[] x, int k, boolean twice, long scale) {
                x[k] = w[k] * b;
                double y = x[k] * x[0] * scale;
                return twice ? 2.0 * y : y;
            }

            @Measurement
            double matrixHelper(double[] x) {
                double[][] t = mixed(x);
                double s = 0.0;
                for (int r = 0; r < t.length; r++) {
                    for (int c = 0; c < t[r].length; c++) s += t[r][c] * t[r][c];
                }
                return s;
            }

            @Measurement
            double firstAbove(double limit) {
                double s = 0.0;
                for (int i = 0; i < w.length; i++) {
                    s += w[i] * w[i];
                    if (s > limit) return s * b;
                }
                return -s;
            }

            @Measurement
            double voidHelperAndVarargs() {
                double[] h = new double[3];
                fill(h, b);
                return total(h[0], h[1] * w[0], Math.max(h[2], 0.25), w[3]) + total(h);
            }

            @Measurement
            double viaLoss(double[] x) {
                return loss(x) + Math.max(w[1], -0.5);
            }

            @Measurement
            double ternary(double[] x) {
                double z = logit(x);
                double a = z > 0 ? Math.log(1.0 + z) : -Math.log(1.0 - z);
                return a * b + Math.pow(Math.abs(w[0]), 1.5);
            }
            """;

    /** The measurements of {@link #MEASUREMENTS} with their arguments; each at points off its kinks. */
    static Stream<Arguments> measurements() {
        double[] x = {0.4, -1.2, 0.7, 0.3};
        double[] far = {2.0, 0.5, 1.5, 1.0};
        double[][] rows = {{0.1, 0.2, -0.3, 0.4}, {-0.5, 0.3, 0.2, 0.1}, {0.9, -0.4, 0.6, -0.2}};
        return Stream.of(
                Arguments.of("probability", new Object[] {x}),
                Arguments.of("hinge", new Object[] {x, 0.1}),
                Arguments.of("hinge", new Object[] {far, 5.0}),
                Arguments.of("hinge", new Object[] {far, 0.5}),
                Arguments.of("hinge", new Object[] {new double[] {-2.0, 0.5, -1.5, -1.0}, 0.5}),
                Arguments.of("normWhile", new Object[] {}),
                Arguments.of("doLoopWithBreak", new Object[] {100.0}),
                Arguments.of("doLoopWithBreak", new Object[] {0.5}),
                Arguments.of("localArrays", new Object[] {rows, 1}),
                Arguments.of("localArrays", new Object[] {rows, 2}),
                Arguments.of("independent", new Object[] {x}),
                Arguments.of("positives", new Object[] {}),
                Arguments.of("remasked", new Object[] {}),
                Arguments.of("writesRows", new Object[] {new double[][] {{0.1, 0.2, 0.3}, {0.4, 0.5, 0.6}}}),
                Arguments.of("clashing", new Object[] {new double[] {0.5, 0.0}, 1.5, new double[] {0.1, 0.2},
                        1, new double[] {0.3, 0.4}, 0, new double[] {0.0, 0.6}, new double[] {2.0}, 0.8}),
                Arguments.of("score", new Object[] {x}),
                Arguments.of("score", new Object[] {x, 0.7}),
                Arguments.of("writesItsArgument", new Object[] {x.clone(), 2, true, 3L}),
                Arguments.of("writesItsArgument", new Object[] {x.clone(), 0, false, 1L}),
                Arguments.of("matrixHelper", new Object[] {new double[] {0.3, -0.8, 1.1}}),
                Arguments.of("firstAbove", new Object[] {0.5}),
                Arguments.of("firstAbove", new Object[] {10.0}),
                Arguments.of("voidHelperAndVarargs", new Object[] {}),
                Arguments.of("viaLoss", new Object[] {x}),
                Arguments.of("ternary", new Object[] {x}),
                Arguments.of("ternary", new Object[] {new double[] {-2.0, 0.5, -1.5, -1.0}}));
    }

    static Compilation measurementCompilation;

    static synchronized Compilation measurementCompilation() {
        if (measurementCompilation == null) {
            measurementCompilation = Compile.compile(Compile.source(circuit(MEASUREMENTS)));
        }
        return measurementCompilation;
    }

    @ParameterizedTest(name = "{0} #{index}")
    @MethodSource("measurements")
    void measurementGradientMatchesDifferencesOfEvaluate(String name, Object[] args) {
        Compilation c = measurementCompilation();
        assertThat(c).succeededWithoutWarnings();
        ClassLoader loader = Compile.classes(c);
        CircuitRunner run = new CircuitRunner(loader, "t.S", CircuitRunner.construct(loader, "t.S", new Class<?>[0]));
        BoundMeasurement bound = run.bound(name, args);
        int n = run.params;
        RealWorkspace ws = run.circuit.newRealWorkspace();
        Random r = new Random(11);
        double[] theta = run.circuit.initialParameters();
        for (int p = 0; p < n; p++) theta[p] += 0.05 * r.nextGaussian();

        ws.loadParameters(theta);
        double value = bound.evaluate(ws);
        assertThat(value).isWithin(1e-14 * Math.max(1, Math.abs(value)))
                .of((double) run.plain(theta, name, args));
        double[] before = gaussian(r, n, 1.0); // gradient adds to grad
        double[] grad = before.clone();
        ws.loadParameters(theta);
        assertWithMessage("gradient's value").that(bound.gradient(ws, grad)).isEqualTo(value);
        double h = 1e-3;
        double size = 0;
        for (int p = 0; p < n; p++) {
            int q = p;
            ToDoubleFunction<Double> f = t -> {
                double[] at = theta.clone();
                at[q] += t;
                ws.loadParameters(at);
                return bound.evaluate(ws);
            };
            double fd = (8 * (f.applyAsDouble(h) - f.applyAsDouble(-h))
                    - (f.applyAsDouble(2 * h) - f.applyAsDouble(-2 * h))) / (12 * h);
            assertWithMessage("d %s / d theta[%s]", name, p).that(grad[p] - before[p])
                    .isWithin(1e-7 * Math.max(1, Math.abs(fd))).of(fd);
            size += Math.abs(fd);
        }
        // the jet path agrees: a degree-1 jet along v carries the value and the gradient's v component
        org.jetsketch.jet.Jets jets = new org.jetsketch.jet.Jets(1, 1);
        int stride = jets.stride();
        org.jetsketch.circuit.JetWorkspace jetWs = run.circuit.newJetWorkspace(jets);
        double[] v = gaussian(r, n, 1.0);
        double[] thetaJets = new double[n * stride];
        double along = 0;
        for (int p = 0; p < n; p++) {
            thetaJets[p * stride] = theta[p];
            thetaJets[p * stride + 1] = v[p];
            along += (grad[p] - before[p]) * v[p];
        }
        jetWs.loadParameters(thetaJets);
        double[] out = new double[stride];
        bound.evaluate(jetWs, out, 0);
        assertWithMessage("jet value").that(out[0]).isWithin(1e-14 * Math.max(1, Math.abs(value))).of(value);
        assertWithMessage("jet derivative along v").that(out[1]).isWithin(1e-12 * Math.max(1, Math.abs(along)))
                .of(along);

        if (name.equals("independent") || name.equals("positives")) {
            assertWithMessage("the gradient of a measurement that does not depend on the parameters").that(grad)
                    .isEqualTo(before);
        } else {
            assertWithMessage("a gradient that says something").that(size).isGreaterThan(1e-3);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static String stepMethodName(String members) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("@TrainingStep\\s+(?:static\\s+)?void\\s+(\\w+)")
                .matcher(members);
        if (!m.find()) throw new IllegalArgumentException("no @TrainingStep in\n" + members);
        return m.group(1);
    }

    /** The arguments of the plain step method, in the order the DSL's annotations put them in its signature. */
    private static Object[] plainArguments(StepShape shape, double[] p, double[] g, double[][] state) {
        java.util.List<Object> args = new java.util.ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("@(Params|Grads|State|Steps|Step)\\b")
                .matcher(shape.members().substring(0, shape.members().indexOf('{')));
        int s = 0;
        while (m.find()) {
            switch (m.group(1)) {
                case "Params" -> args.add(p);
                case "Grads" -> args.add(g);
                case "State" -> args.add(state[s++]);
                case "Step" -> args.add(shape.step());
                default -> args.add(shape.steps());
            }
        }
        return args.toArray();
    }

    private static double[] gaussian(Random r, int n, double scale) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = scale * r.nextGaussian();
        return out;
    }

    private static double[][] zeros(int k, int n) {
        return new double[k][n];
    }

    private static double[][] deepCopy(double[][] a) {
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) out[i] = a[i].clone();
        return out;
    }

    private static double[] axpy(double[] x, double a, double[] y) {
        double[] out = x.clone();
        for (int i = 0; i < out.length; i++) out[i] += a * y[i];
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
