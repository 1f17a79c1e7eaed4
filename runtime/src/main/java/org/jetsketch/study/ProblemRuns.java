package org.jetsketch.study;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.predict.ExactDirection;
import org.jetsketch.predict.ExactDirectionCurve;
import org.jetsketch.sketch.BranchSwitch;
import org.jetsketch.train.ExactInfluence;
import org.jetsketch.train.Trainer;
import org.jetsketch.work.TaskProgress;
import org.jetsketch.work.Workers;

/**
 * The trainings a study's problem is checked with, run many at a time on a pool ({@link
 * Workers}): ordinary (re)trainings with data weights w, the exact-direction curves of deletion
 * sets (one jet training per set, or batched jet passes sharing the real part, scheme §11), the
 * leave-one-out curves of single examples and the exact first-order influences (the adjoint of
 * training). What the command line's curve, retrain, validate and influence commands compute, for
 * any program to call.
 *
 * @param <E> the problem's example type
 */
public final class ProblemRuns<E> {

    private final Problem<E> problem;
    private final double[] init;

    public ProblemRuns(Problem<E> problem) {
        this.problem = problem;
        this.init = problem.initialParameters();
    }

    public Problem<E> problem() {
        return problem;
    }

    /** n. */
    public int examples() {
        return problem.examples();
    }

    /** A fresh trainer (not thread-safe: one per thread). */
    public Trainer<E> trainer() {
        return new Trainer<>(problem.circuit(), problem.data(), problem.schedule());
    }

    /** w = t·1_D: weight t on the examples of {@code deletion}, 0 elsewhere. */
    public double[] weights(int[] deletion, double t) {
        double[] w = new double[examples()];
        for (int i : deletion) w[i] = t;
        return w;
    }

    /**
     * Ordinary training from the initial parameters with data weights {@code w} (null: all 0),
     * calling {@code afterStep} (may be null) after each step and collecting the per-step
     * (weighted) losses into {@code stepLosses} (may be null).
     */
    public double[] train(double[] w, Runnable afterStep, double[] stepLosses) {
        Trainer<E> trainer = trainer();
        double[] theta = init.clone();
        double[][] state = new double[problem.circuit().stateArrays()][theta.length];
        double[] grad = new double[theta.length];
        for (int s = 0; s < problem.schedule().steps(); s++) {
            double loss = trainer.gradient(theta, w, s, grad);
            trainer.update(theta, grad, state, s);
            if (stepLosses != null) stepLosses[s] = loss;
            if (afterStep != null) afterStep.run();
        }
        return theta;
    }

    /** The measurement at trained parameters {@code theta}. */
    public double measure(BoundMeasurement m, double[] theta) {
        return trainer().measure(m, theta);
    }

    /**
     * The trained parameters after ordinary training with each weight vector (null: all data), in
     * parallel, in order.
     */
    public List<double[]> trainAll(List<double[]> weights, int threads, TaskProgress progress, String label) {
        List<Callable<double[]>> tasks = new ArrayList<>();
        for (double[] w : weights) tasks.add(() -> train(w, null, null));
        return runAll(tasks, threads, progress, label, "trainings");
    }

    /** The measurement after ordinary training with each weight vector, in parallel. */
    public double[] retrainAll(BoundMeasurement m, List<double[]> weights, int threads, TaskProgress progress,
            String label) {
        List<Callable<double[]>> tasks = new ArrayList<>();
        for (double[] w : weights) tasks.add(() -> new double[] {measure(m, train(w, null, null))});
        List<double[]> results = runAll(tasks, threads, progress, label, "trainings");
        double[] out = new double[weights.size()];
        for (int i = 0; i < out.length; i++) out[i] = results.get(i)[0];
        return out;
    }

    /** The exact-direction curve of t ↦ f(t·1_D) and the retrained values at {@code ts} (NaN where not retrained). */
    public record ExactResult(ExactDirectionCurve curve, double[] ts, double[] retrained, double f0) {}

    /**
     * One jet training along v = 1_D at {@code degree} and, if {@code retrain}, ordinary trainings
     * with w = t·1_D at every t, all in parallel on {@code threads} threads.
     */
    public ExactResult exactAndRetrain(BoundMeasurement m, int[] deletion, int degree, double[] ts, boolean retrain,
            int threads, TaskProgress progress) {
        double[] v = weights(deletion, 1.0);
        List<Callable<double[]>> tasks = new ArrayList<>();
        AtomicReference<BranchSwitch> branch = new AtomicReference<>(BranchSwitch.NONE);
        tasks.add(() -> {
            ExactDirectionCurve c = ExactDirection.run(problem.circuit(), problem.data(), problem.schedule(), init, v,
                    degree, m);
            branch.set(c.branchSwitch());
            double[] out = new double[degree + 1];
            for (int r = 0; r <= degree; r++) out[r] = c.coefficient(r);
            return out;
        });
        if (retrain) {
            for (double t : ts) tasks.add(() -> new double[] {measure(m, train(weights(deletion, t), null, null))});
        }
        List<double[]> results = runAll(tasks, threads, progress,
                retrain ? "exact direction + " + ts.length + " retrainings" : "exact direction (degree " + degree + ")",
                "runs");
        ExactDirectionCurve curve = new ExactDirectionCurve(results.get(0), branch.get());
        double[] retrained = new double[ts.length];
        for (int q = 0; q < ts.length; q++) retrained[q] = retrain ? results.get(q + 1)[0] : Double.NaN;
        return new ExactResult(curve, ts.clone(), retrained, curve.coefficient(0));
    }

    /**
     * Exact-direction coefficients along every real direction of {@code v} (scheme §11): jet passes
     * of up to {@code perPass} directions sharing the real part, the passes in parallel.
     */
    public List<ExactDirectionCurve> exactBatch(BoundMeasurement m, double[][] v, int degree, int perPass, int threads,
            TaskProgress progress) {
        if (perPass < 1) throw new IllegalArgumentException("perPass must be >= 1, got " + perPass);
        List<Callable<List<ExactDirectionCurve>>> tasks = new ArrayList<>();
        for (int start = 0; start < v.length; start += perPass) {
            double[][] chunk = Arrays.copyOfRange(v, start, Math.min(v.length, start + perPass));
            tasks.add(() -> ExactDirection.runBatch(problem.circuit(), problem.data(), problem.schedule(), init, chunk,
                    degree, chunk.length, m));
        }
        List<ExactDirectionCurve> out = new ArrayList<>();
        for (List<ExactDirectionCurve> part : runAll(tasks, threads, progress, "exact directions (" + v.length
                + " sets, degree " + degree + ")", "passes")) {
            out.addAll(part);
        }
        return out;
    }

    /**
     * For the examples {@code indices}: the exact-direction curves along each e_i (one example
     * deleted), in batched jet passes; the degree-d value at t = 1 minus f(0) is the leave-one-out
     * change at degree d.
     */
    public List<ExactDirectionCurve> leaveOneOutCurves(BoundMeasurement m, int[] indices, int degree, int threads,
            TaskProgress progress) {
        double[][] v = new double[indices.length][];
        for (int q = 0; q < indices.length; q++) v[q] = weights(new int[] {indices[q]}, 1.0);
        int perPass = Math.max(1, (indices.length + threads - 1) / threads);
        return exactBatch(m, v, degree, perPass, threads, progress);
    }

    /**
     * ∂f/∂w_i for every training example, exactly, by one backward sweep through training (the
     * adjoint of training; {@link ExactInfluence}), within {@code memoryBudget} bytes.
     */
    public ExactInfluence.Influence exactInfluence(BoundMeasurement m, long memoryBudget) {
        return new ExactInfluence<>(problem.circuit(), problem.data(), problem.schedule()).initial(init)
                .memoryBudget(memoryBudget).run(m);
    }

    /**
     * Several deletion sets' exact-direction curves and, with {@code retrain}, retraining of every
     * set at every t, in order: {@code curves.get(q)} is set q's t ↦ f(t·1_D) and
     * {@code retrained[q][p]} its retrained value at {@code ts[p]} (NaN without retraining).
     * {@code passes} jet passes ran, taking {@code exactSeconds}; {@code seconds} in all.
     */
    public record CurveBatch(List<ExactDirectionCurve> curves, double[][] retrained, int passes, double exactSeconds,
            double seconds) {}

    /**
     * The exact-direction curves of the deletion sets {@code sets} at {@code degree}, in batched jet
     * passes of {@code perPass} sets sharing the real part (scheme §11), then, if {@code retrain},
     * one ordinary training per set and t; all on {@code threads} threads.
     */
    public CurveBatch curves(BoundMeasurement m, List<int[]> sets, int degree, double[] ts, boolean retrain,
            int perPass, int threads, TaskProgress progress) {
        long t0 = System.nanoTime();
        double[][] v = new double[sets.size()][];
        for (int q = 0; q < v.length; q++) v[q] = weights(sets.get(q), 1.0);
        List<ExactDirectionCurve> curves = exactBatch(m, v, degree, perPass, threads, progress);
        double exactSeconds = (System.nanoTime() - t0) / 1e9;
        double[][] retrained = new double[sets.size()][ts.length];
        if (retrain) {
            List<double[]> ws = new ArrayList<>();
            for (int[] d : sets) for (double t : ts) ws.add(weights(d, t));
            double[] flat = retrainAll(m, ws, threads, progress, "retraining " + sets.size() + " sets at " + ts.length
                    + " values of t");
            for (int q = 0; q < sets.size(); q++) System.arraycopy(flat, q * ts.length, retrained[q], 0, ts.length);
        } else {
            for (double[] row : retrained) Arrays.fill(row, Double.NaN);
        }
        return new CurveBatch(curves, retrained, (sets.size() + perPass - 1) / perPass, exactSeconds,
                (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Exact leave-one-out: every example's first-order change ∂f/∂w_i from one backward sweep
     * ({@link #exactInfluence}), the examples ranked by |change| ({@link ExactInfluence.Influence#ranking}),
     * and for the first {@code top} of them the exact-direction curve of deleting that example alone
     * at {@code degree} (none when degree is 1).
     *
     * @param influence the backward sweep's result
     * @param top the top examples by |first-order change|, largest first
     * @param curves their exact-direction curves, in the same order (empty when degree is 1)
     * @param degree the degree of the curves' values
     * @param seconds the backward sweep's wall time
     * @param curveSeconds the exact-direction passes' wall time
     */
    public record ExactLeaveOneOut(ExactInfluence.Influence influence, int[] top, List<ExactDirectionCurve> curves,
            int degree, double seconds, double curveSeconds) {

        /** f(0), the measurement after training on all data. */
        public double f0() {
            return influence.values()[0];
        }

        /** The exact first-order leave-one-out change of example i, ∂f/∂w_i. */
        public double firstOrder(int i) {
            return influence.derivatives()[0][i];
        }

        /** The exact-direction change of deleting the q-th top example alone, at {@link #degree}. */
        public double higherOrder(int q) {
            return curves.get(q).value(1.0, degree) - f0();
        }
    }

    /** {@link ExactLeaveOneOut} for {@code m}: the sweep within {@code memoryBudget} bytes, then the top {@code top}'s curves. */
    public ExactLeaveOneOut exactLeaveOneOut(BoundMeasurement m, long memoryBudget, int top, int degree, int threads,
            TaskProgress progress) {
        if (top < 0) throw new IllegalArgumentException("top must be >= 0, got " + top);
        if (degree < 1) throw new IllegalArgumentException("degree must be >= 1, got " + degree);
        long t0 = System.nanoTime();
        ExactInfluence.Influence influence = exactInfluence(m, memoryBudget);
        double seconds = (System.nanoTime() - t0) / 1e9;
        int[] ranking = influence.ranking(0);
        int[] chosen = Arrays.copyOf(ranking, Math.min(top, ranking.length));
        long t1 = System.nanoTime();
        List<ExactDirectionCurve> curves = degree > 1 && chosen.length > 0
                ? leaveOneOutCurves(m, chosen, degree, threads, progress) : List.of();
        return new ExactLeaveOneOut(influence, chosen, curves, degree, seconds, (System.nanoTime() - t1) / 1e9);
    }

    /**
     * Seconds per jet training step at {@code degree} with {@code directions} directions, timed over
     * the first {@code steps} examples in order (a rough figure for a first ETA).
     */
    public double jetStepSeconds(int degree, int directions, int steps) {
        return jetStepSeconds(degree, directions, steps, org.jetsketch.jet.Simd.ENABLED);
    }

    /**
     * {@link #jetStepSeconds(int, int, int)} on the Vector API jet kernels or the scalar ones
     * (time the kernels the sketch will run on: the JIT compiles only those).
     */
    public double jetStepSeconds(int degree, int directions, int steps, boolean vectorKernels) {
        int n = examples();
        int s = Math.min(steps, n);
        int[] order = new int[s];
        for (int i = 0; i < s; i++) order[i] = i;
        org.jetsketch.train.JetTrainer<E> t = new org.jetsketch.train.JetTrainer<>(problem.circuit(), problem.data(),
                org.jetsketch.train.Schedule.inOrder(n, order), degree, directions, vectorKernels);
        double[] re = new double[directions * n];
        double[] im = new double[directions * n];
        Arrays.fill(re, 1.0 / Math.sqrt(n));
        long t0 = System.nanoTime();
        t.train(init, null, re, im);
        return (System.nanoTime() - t0) / 1e9 / s;
    }

    /** A rough ordinary step time (the sketcher first trains θ_0 ordinarily), for the first ETA only. */
    public static final double ORDINARY_STEP_SECONDS = 0.002;

    /**
     * A first estimate of a sketch's wall time, before any pass has run: each pass of at most
     * {@code directionsPerPass} directions takes {@code examples} jet steps of
     * {@code jetStepSeconds}, the passes run {@code threads} at a time, and the ordinary training
     * of θ_0 first takes {@code examples} steps of {@link #ORDINARY_STEP_SECONDS}.
     */
    public static double sketchSecondsEstimate(double jetStepSeconds, int examples, int directions,
            int directionsPerPass, int threads) {
        if (examples < 1 || directions < 1 || directionsPerPass < 1 || threads < 1) {
            throw new IllegalArgumentException("examples, directions, directions per pass and threads must be >= 1, got "
                    + examples + ", " + directions + ", " + directionsPerPass + ", " + threads);
        }
        int passes = (directions + directionsPerPass - 1) / directionsPerPass;
        int rounds = (passes + Math.min(threads, passes) - 1) / Math.min(threads, passes);
        return jetStepSeconds * examples * rounds + ORDINARY_STEP_SECONDS * examples;
    }

    /**
     * Runs tasks on a pool of {@code threads}, reporting each finished one to {@code progress};
     * results in task order. A task's failure is rethrown as itself (an IOException wrapped
     * unchecked).
     *
     * @throws java.util.concurrent.CancellationException if the calling thread was interrupted
     */
    public static <T> List<T> runAll(List<Callable<T>> tasks, int threads, TaskProgress progress, String label,
            String unit) {
        try (TaskProgress.Batch batch = progress.begin(label, tasks.size(), unit)) {
            List<Callable<T>> counted = new ArrayList<>(tasks.size());
            for (Callable<T> task : tasks) {
                counted.add(() -> {
                    T result = task.call();
                    batch.advance();
                    return result;
                });
            }
            return Workers.runAll(counted, Math.max(1, threads), "jetsketch-worker");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            java.util.concurrent.CancellationException c = new java.util.concurrent.CancellationException("interrupted");
            c.initCause(e);
            throw c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
