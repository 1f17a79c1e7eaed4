package org.jetsketch.circuits.random;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;
import org.apache.commons.math3.util.CombinatoricsUtils;
import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.circuit.CompiledCircuit;
import org.jetsketch.circuit.JetWorkspace;
import org.jetsketch.circuit.RealWorkspace;
import org.jetsketch.circuits.Sample;
import org.jetsketch.circuits.random.Ast.Program;
import org.jetsketch.jet.JetLayout;
import org.jetsketch.jet.Jets;
import org.jetsketch.predict.ExactDirection;
import org.jetsketch.predict.ExactDirectionCurve;
import org.jetsketch.train.ExactInfluence;
import org.jetsketch.circuit.BranchMonitor;
import org.jetsketch.train.Dataset;
import org.jetsketch.train.Schedule;
import org.jetsketch.train.Trainer;

/**
 * Every check of one compiled random circuit against its oracles. Each returns the failures it
 * found as {@link Failure}s ({@code check} names which comparison, {@code detail} the numbers);
 * an empty list means the circuit passed. Counters record how much was compared.
 */
public final class Checks {
    /** One failed comparison of program {@code program}. */
    public record Failure(String program, String check, String detail) {
        @Override
        public String toString() {
            return program + " [" + check + "] " + detail;
        }
    }

    /** How much the checks compared, over every program they ran on. */
    public static final class Counts {
        public long gradients;
        public long jetCoefficients;
        public long monitorSamples;
        public long monitorSwitchesBeyondSeries;
        public long trainings;
        public long trainingsSkippedNearSwitch;
        public long trainingsDiverged;
        public long influences;

        @Override
        public String toString() {
            return gradients + " gradient entries, " + jetCoefficients + " jet coefficients, " + monitorSamples
                    + " monitor samples (" + monitorSwitchesBeyondSeries + " switched inside the radius: the function "
                    + "leaves its series), " + trainings + " trainings (" + trainingsSkippedNearSwitch
                    + " skipped: a switch within the difference step), " + trainingsDiverged
                    + " trainings left out (the plain training leaves the bounded range), " + influences
                    + " exact influences against exact directions";
        }
    }

    /** Relative tolerances: the oracle agrees to rounding; finite differences to their truncation. */
    static final double ORACLE_TOLERANCE = 1e-9;
    static final double DIFFERENCE_TOLERANCE = 2e-5;
    private static final Constructor<Jets> JETS_WITH_SIMD_SWITCH;

    static {
        try {
            JETS_WITH_SIMD_SWITCH = Jets.class.getDeclaredConstructor(int.class, int.class, boolean.class);
            JETS_WITH_SIMD_SWITCH.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Program p;
    private final Object instance;
    private final CompiledCircuit<Sample> circuit;
    private final int params;
    private final double[] theta;
    private final SplittableRandom random;
    private final Counts counts;
    private final List<Failure> failures = new ArrayList<>();

    @SuppressWarnings("unchecked")
    private Checks(Program p, ClassLoader loader, Counts counts) throws ReflectiveOperationException {
        this.p = p;
        this.counts = counts;
        String name = JavaPrinter.qualifiedName(p);
        this.instance = loader.loadClass(name).getConstructor().newInstance();
        this.circuit = (CompiledCircuit<Sample>) loader.loadClass(name + "_Circuit")
                .getConstructor(instance.getClass()).newInstance(instance);
        this.params = p.paramCount();
        this.theta = ProgramGenerator.init(p);
        this.random = new SplittableRandom(p.name().hashCode());
    }

    /** Runs every check of {@code p}, compiled into {@code loader}. */
    public static List<Failure> run(Program p, ClassLoader loader, Counts counts) {
        Checks c;
        try {
            c = new Checks(p, loader, counts);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return List.of(new Failure(p.name(), "load", String.valueOf(e)));
        }
        String stage = "layout";
        try {
            if (c.circuit.layout().size() != c.params) c.fail("layout", "size " + c.circuit.layout().size() + " != " + c.params);
            stage = "values and gradients";
            for (int e = 0; e < p.xs().size(); e++) c.valuesAndGradients(e);
            stage = "measurement";
            c.measurement();
            stage = "jets";
            int low = 1 + c.random.nextInt(2);
            int high = 3 + c.random.nextInt(2);
            for (int e = 0; e < 2; e++) {
                c.jets(e, low);
                c.jets(e, high);
            }
            stage = "branch monitor";
            c.monitor(0, high);
            stage = "training";
            c.training();
        } catch (RuntimeException | AssertionError e) {
            c.fail(stage + " threw", stackOf(e));
        }
        return c.failures;
    }

    private static String stackOf(Throwable e) {
        Throwable t = e instanceof InvocationTargetException i ? i.getCause() : e;
        StringBuilder b = new StringBuilder(String.valueOf(t));
        StackTraceElement[] s = t.getStackTrace();
        for (int i = 0; i < Math.min(4, s.length); i++) b.append(" at ").append(s[i]);
        return b.toString();
    }

    private void fail(String check, String detail) {
        failures.add(new Failure(p.name(), check, detail));
    }

    private Sample example(int e) {
        return new Sample(ProgramGenerator.features(p, e), p.labels().get(e));
    }

    /** Differences of the real parts in the last bits only: reported as such (see RandomCircuits.KnownDefect). */
    static final double LAST_BITS = 64;
    static final String LAST_BITS_LOSS = "loss real part (last bits)";
    static final String LAST_BITS_ADJOINT = "adjoint real part (last bits)";
    static final String LAST_BITS_TRAINING = "training real part (last bits)";

    static double ulps(double a, double b) {
        return Math.abs(a - b) / Math.ulp(Math.max(Math.abs(a), Math.abs(b)));
    }

    /**
     * A difference of rounding only: within {@link #LAST_BITS} ulps of max(1, |a|, |b|), so that a
     * value that is small by cancellation of terms of order one is judged at the terms' scale.
     */
    static boolean lastBits(double a, double b) {
        return Math.abs(a - b) <= LAST_BITS * Math.ulp(Math.max(1.0, Math.max(Math.abs(a), Math.abs(b))));
    }

    private static boolean close(double expected, double actual, double tolerance) {
        return Math.abs(expected - actual) <= tolerance * (1 + Math.abs(expected));
    }

    // ------------------------------------------------------------ plain Java (the user's class)

    private void setParameters(double[] values) {
        try {
            int at = 0;
            for (int i = 0; i < p.scalars(); i++) field("p" + i).setDouble(instance, values[at++]);
            if (p.vecLen() > 0) {
                field("v").set(instance, Arrays.copyOfRange(values, at, at + p.vecLen()));
                at += p.vecLen();
            }
            if (p.rows() > 0) {
                double[][] m = new double[p.rows()][];
                for (int r = 0; r < p.rows(); r++) {
                    m[r] = Arrays.copyOfRange(values, at, at + p.cols());
                    at += p.cols();
                }
                field("m").set(instance, m);
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private Field field(String name) throws NoSuchFieldException {
        Field f = instance.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }

    private Object plain(double[] values, String method, Object... args) {
        setParameters(values);
        for (Method m : instance.getClass().getDeclaredMethods()) {
            if (!m.getName().equals(method) || m.getParameterCount() != args.length) continue;
            m.setAccessible(true);
            try {
                return m.invoke(instance, args);
            } catch (InvocationTargetException e) {
                throw new IllegalStateException("plain " + method + " threw " + e.getCause(), e.getCause());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("no method " + method);
    }

    private double plainLoss(double[] values, int e) {
        return (double) plain(values, "loss", example(e));
    }

    // ------------------------------------------------------------ ordinary path

    private double generatedLoss(int e, double[] grad) {
        RealWorkspace ws = circuit.newRealWorkspace();
        ws.loadParameters(theta);
        double value = circuit.lossAndGradient(ws, example(e), 1.0);
        Arrays.fill(grad, 0.0);
        ws.addGradient(grad);
        return value;
    }

    private void valuesAndGradients(int e) {
        double[] grad = new double[params];
        double value = generatedLoss(e, grad);
        double javaValue = plainLoss(theta, e);
        double[][] basis = new double[params][params];
        for (int i = 0; i < params; i++) basis[i][i] = 1;
        DerivativeStructure ds = new DsEvaluator(p, DsEvaluator.line(theta, basis, 1))
                .loss(ProgramGenerator.features(p, e), p.labels().get(e));
        if (!close(ds.getValue(), javaValue, 1e-12)) {
            fail("oracle value", "example " + e + ": plain Java " + javaValue + ", DerivativeStructure " + ds.getValue());
        }
        if (!close(javaValue, value, 1e-12)) {
            fail("loss value", "example " + e + ": plain Java " + javaValue + ", generated " + value);
        }
        for (int i = 0; i < params; i++) {
            int[] orders = new int[params];
            orders[i] = 1;
            double expected = ds.getPartialDerivative(orders);
            counts.gradients++;
            if (!close(expected, grad[i], ORACLE_TOLERANCE)) {
                fail("gradient vs DerivativeStructure", "example " + e + ", parameter " + i + ": expected " + expected
                        + ", generated " + grad[i]);
            }
            double h = 1e-6 * Math.max(1, Math.abs(theta[i]));
            double[] up = theta.clone();
            double[] down = theta.clone();
            up[i] += h;
            down[i] -= h;
            double fd = (plainLoss(up, e) - plainLoss(down, e)) / (2 * h);
            if (!close(fd, grad[i], DIFFERENCE_TOLERANCE)) {
                fail("gradient vs finite differences", "example " + e + ", parameter " + i + ": central difference "
                        + fd + ", generated " + grad[i]);
            }
        }
    }

    private void measurement() {
        double javaValue = (double) plain(theta, "probe");
        RealWorkspace ws = circuit.newRealWorkspace();
        ws.loadParameters(theta);
        double value = probe().evaluate(ws);
        double[][] none = new double[0][];
        double ds = new DsEvaluator(p, DsEvaluator.line(theta, none, 0)).measurement().getValue();
        if (!close(javaValue, value, 1e-12) || !close(ds, javaValue, 1e-12)) {
            fail("measurement value", "plain Java " + javaValue + ", generated " + value + ", DerivativeStructure " + ds);
        }
    }

    private BoundMeasurement probe() {
        try {
            return (BoundMeasurement) circuit.getClass().getMethod("probe").invoke(circuit);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------ jets

    /** Loss and adjoint jets of one pass: directions[b] = {re[P], im[P]}. */
    private record JetPass(Jets jets, double[] loss, double[] adjoint) {}

    private JetPass jetPass(int e, int k, double[][][] directions, boolean simd, BranchMonitor[] monitor) {
        Jets jets;
        try {
            jets = JETS_WITH_SIMD_SWITCH.newInstance(k, directions.length, simd);
        } catch (ReflectiveOperationException ex) {
            throw new IllegalStateException(ex);
        }
        int stride = jets.stride();
        JetLayout layout = jets.layout();
        JetWorkspace ws = circuit.newJetWorkspace(jets);
        if (monitor != null) {
            monitor[0] = new BranchMonitor(jets);
            ws.branches = monitor[0];
        }
        double[] thetaJets = new double[params * stride];
        for (int q = 0; q < params; q++) {
            thetaJets[q * stride] = theta[q];
            for (int b = 0; b < directions.length; b++) {
                layout.setFirstOrder(thetaJets, q * stride, b, directions[b][0][q], directions[b][1][q]);
            }
        }
        ws.loadParameters(thetaJets);
        double[] seed = new double[stride];
        seed[0] = 1.0;
        double[] loss = new double[stride];
        circuit.lossAndGradient(ws, example(e), seed, 0, loss, 0);
        double[] adjoint = new double[params * stride];
        ws.addGradient(adjoint);
        return new JetPass(jets, loss, adjoint);
    }

    private double[][] randomDirection(boolean complex) {
        double[][] d = new double[2][params];
        for (int q = 0; q < params; q++) {
            d[0][q] = random.nextDouble(-1, 1);
            d[1][q] = complex ? random.nextDouble(-1, 1) : 0.0;
        }
        return d;
    }

    private void jets(int e, int k) {
        double[][][] dirs = {randomDirection(true), randomDirection(true), randomDirection(false)};
        JetPass one = jetPass(e, k, new double[][][] {dirs[0]}, true, null);
        JetPass block = jetPass(e, k, dirs, true, null);
        JetPass scalar = jetPass(e, k, dirs, false, null);
        double[] grad = new double[params];
        double value = generatedLoss(e, grad);
        String where = "example " + e + ", degree " + k;
        if (Double.doubleToLongBits(one.loss[0]) != Double.doubleToLongBits(value)) {
            double ulps = ulps(one.loss[0], value);
            fail(lastBits(one.loss[0], value) ? LAST_BITS_LOSS : "jet real part", where + ": loss a_0 " + one.loss[0]
                    + ", ordinary " + value + " (" + ulps + " ulps)");
        }
        int stride = one.jets.stride();
        for (int q = 0; q < params; q++) {
            if (Double.doubleToLongBits(one.adjoint[q * stride]) != Double.doubleToLongBits(grad[q])) {
                double ulps = ulps(one.adjoint[q * stride], grad[q]);
                fail(lastBits(one.adjoint[q * stride], grad[q]) ? LAST_BITS_ADJOINT : "jet real part", where + ": adjoint a_0 of parameter " + q
                        + " " + one.adjoint[q * stride] + ", ordinary gradient " + grad[q] + " (" + ulps + " ulps)");
            }
        }
        if (!Arrays.equals(block.loss, scalar.loss) || !Arrays.equals(block.adjoint, scalar.adjoint)) {
            fail("Vector API on/off", where + ": the kernels give different bits (vectorized: "
                    + block.jets.vectorized() + ")");
        }
        JetLayout l1 = one.jets.layout();
        JetLayout lb = block.jets.layout();
        for (int r = 1; r <= k; r++) {
            if (one.loss[l1.re(0, r, 0)] != block.loss[lb.re(0, r, 0)] || one.loss[l1.im(0, r, 0)] != block.loss[lb.im(0, r, 0)]) {
                fail("B=1 vs B=3", where + ": coefficient " + r + " of direction 0 differs between passes");
            }
        }
        int[] chosen = {random.nextInt(params), random.nextInt(params)};
        for (int b = 0; b < dirs.length; b++) {
            double[][] expected = seriesAlong(e, k, dirs[b], -1);
            for (int r = 1; r <= k; r++) {
                compareCoefficient(where + ", direction " + b + " of 3, loss", r, expected[r],
                        block.loss[lb.re(0, r, b)], block.loss[lb.im(0, r, b)]);
            }
            for (int q : chosen) {
                double[][] adj = seriesAlong(e, k, dirs[b], q);
                int o = q * block.jets.stride();
                for (int r = 1; r <= k; r++) {
                    compareCoefficient(where + ", direction " + b + " of 3, adjoint of parameter " + q, r, adj[r],
                            block.adjoint[lb.re(o, r, b)], block.adjoint[lb.im(o, r, b)]);
                }
            }
        }
    }

    private void compareCoefficient(String where, int r, double[] expected, double re, double im) {
        counts.jetCoefficients++;
        double tolerance = ORACLE_TOLERANCE * Math.pow(10, r);
        double scale = 1 + Math.hypot(expected[0], expected[1]);
        if (Math.abs(expected[0] - re) > tolerance * scale || Math.abs(expected[1] - im) > tolerance * scale) {
            fail("jet coefficient vs DerivativeStructure", where + ", coefficient " + r + ": expected " + expected[0]
                    + (expected[1] >= 0 ? "+" : "") + expected[1] + "i, generated " + re + (im >= 0 ? "+" : "") + im + "i");
        }
    }

    /**
     * Coefficients 0..k (as re, im) of f(θ + z w), w = a + ib, or of ∂f/∂θ_q along it when
     * q ≥ 0: with s, u the variables along a and b, c_r = (1/r!) Σ_j C(r, j) i^j ∂^r f/∂s^(r−j)∂u^j.
     */
    private double[][] seriesAlong(int e, int k, double[][] w, int q) {
        int vars = q >= 0 ? 3 : 2;
        int order = q >= 0 ? k + 1 : k;
        double[][] coefficients = new double[vars][];
        coefficients[0] = w[0];
        coefficients[1] = w[1];
        if (q >= 0) {
            coefficients[2] = new double[params];
            coefficients[2][q] = 1;
        }
        DerivativeStructure f = new DsEvaluator(p, DsEvaluator.line(theta, coefficients, order))
                .loss(ProgramGenerator.features(p, e), p.labels().get(e));
        double[][] out = new double[k + 1][2];
        for (int r = 0; r <= k; r++) {
            for (int j = 0; j <= r; j++) {
                int[] orders = q >= 0 ? new int[] {r - j, j, 1} : new int[] {r - j, j};
                double d = f.getPartialDerivative(orders) * CombinatoricsUtils.binomialCoefficientDouble(r, j)
                        / CombinatoricsUtils.factorialDouble(r);
                switch (j % 4) {
                    case 0 -> out[r][0] += d;
                    case 1 -> out[r][1] += d;
                    case 2 -> out[r][0] -= d;
                    default -> out[r][1] -= d;
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------ the branch monitor

    /**
     * Along a real direction a, the monitor's radius ρ: inside it no decision of the loss may
     * switch. The oracle's decision trace at θ + s a, for s = ±0.5ρ and ±0.95ρ (ρ capped at 4),
     * must equal the trace at θ.
     */
    private void monitor(int e, int k) {
        double[][] a = randomDirection(false);
        BranchMonitor[] monitor = new BranchMonitor[1];
        jetPass(e, k, new double[][][] {a}, true, monitor);
        double rho = Math.min(4.0, monitor[0].radius(0));
        // every decision the oracle makes on a parameter-dependent value must reach the monitor:
        // its radius is then at most the smallest bound of those decisions' series of degree k
        DsEvaluator series = new DsEvaluator(p, DsEvaluator.line(theta, new double[][] {a[0]}, k));
        series.loss(ProgramGenerator.features(p, e), p.labels().get(e));
        boolean missed = monitor[0].radius(0) > series.seriesRadius * (1 + 1e-6);
        if (missed) {
            fail("branch monitor", "example " + e + ", degree " + k + ": radius " + monitor[0].radius(0) + " (site "
                    + circuit.branchSite(monitor[0].site(0)) + ") beyond the bound " + series.seriesRadius
                    + " of the oracle's decisions' series: a decision not shown to the monitor");
        }
        List<Boolean> base = trace(theta, e);
        for (double fraction : new double[] {0.5, -0.5, 0.95, -0.95}) {
            double s = fraction * rho;
            double[] moved = theta.clone();
            for (int q = 0; q < params; q++) moved[q] += s * a[0][q];
            List<Boolean> there;
            try {
                there = trace(moved, e);
            } catch (DsEvaluator.Rejected outside) {
                continue; // the oracle left a domain there: nothing to compare
            }
            counts.monitorSamples++;
            if (!there.equals(base) && !missed) {
                // within the series' bound but not the function's: the bound is for the truncated
                // series (BranchMonitor), and the difference is far from its series out there
                counts.monitorSwitchesBeyondSeries++;
            } else if (!there.equals(base)) {
                fail("branch monitor", "example " + e + ", degree " + k + ": radius " + monitor[0].radius(0) + " (site "
                        + circuit.branchSite(monitor[0].site(0)) + ") but a decision switches at s = " + s);
            }
        }
    }

    private List<Boolean> trace(double[] at, int e) {
        DsEvaluator ev = new DsEvaluator(p, DsEvaluator.line(at, new double[0][], 0));
        ev.loss(ProgramGenerator.features(p, e), p.labels().get(e));
        return ev.trace;
    }

    // ------------------------------------------------------------ training

    private Schedule schedule() {
        int n = p.xs().size();
        return switch (p.schedule()) {
            case "full" -> Schedule.fullBatch(n, p.steps());
            case "sequential" -> Schedule.sequential(n, p.steps());
            default -> Schedule.miniBatches(n, 2, p.steps() / 2, 7);
        };
    }

    /**
     * The exact-direction degree-1 coefficient of the measurement after a short training, against
     * central differences of retraining with data weights ±h·1_D; its real part against the
     * ordinary training bit for bit; and one generated step against the user's step run as Java.
     */
    private void training() {
        List<Sample> data = new ArrayList<>();
        for (int e = 0; e < p.xs().size(); e++) data.add(example(e));
        Schedule schedule = schedule();
        Trainer<Sample> trainer = new Trainer<>(circuit, Dataset.of(data), schedule);
        int n = data.size();
        int first = random.nextInt(n);
        int[] deletion = random.nextBoolean() ? new int[] {first} : new int[] {first, (first + 1 + random.nextInt(n - 1)) % n};
        double[] v = ExactDirection.indicator(n, deletion);
        BoundMeasurement m = probe();
        // the generator bounds the values at the initial parameters only; a training that then
        // diverges (the loss overflows at step 2) is outside what jets are promised to follow
        double[] ordinary = staysBounded(trainer, schedule) ? trainer.train(null) : null;
        if (ordinary == null || !bounded(ordinary) || !(Math.abs(trainer.measure(m, ordinary)) <= DsEvaluator.LIMIT)) {
            counts.trainingsDiverged++;
            stepAgainstJava();
            return;
        }
        ExactDirectionCurve curve = ExactDirection.run(circuit, Dataset.of(data), schedule, circuit.initialParameters(), v, 2, m);
        double trained = trainer.measure(m, ordinary);
        if (Double.doubleToLongBits(trained) != Double.doubleToLongBits(curve.coefficient(0))) {
            double ulps = ulps(trained, curve.coefficient(0));
            fail(lastBits(trained, curve.coefficient(0)) ? LAST_BITS_TRAINING : "training real part",
                    "jet training c_0 " + curve.coefficient(0) + ", ordinary training " + trained + " (" + ulps + " ulps)");
        }
        // the adjoint of training: Σ_{i∈D} ∂f/∂w_i from one backward sweep is the exact direction's c_1
        ExactInfluence.Influence influence = new ExactInfluence<>(circuit, Dataset.of(data), schedule).run(m);
        counts.influences++;
        if (!close(curve.coefficient(1), influence.firstOrder(0, deletion) - influence.values()[0], ORACLE_TOLERANCE)) {
            fail("adjoint of training", "D = " + Arrays.toString(deletion) + ": exact direction c_1 " + curve.coefficient(1)
                    + ", backward sweep " + (influence.firstOrder(0, deletion) - influence.values()[0]));
        }
        double h = 1e-5;
        if (curve.branchSwitch().t() < 20 * h) {
            counts.trainingsSkippedNearSwitch++;
        } else {
            counts.trainings++;
            double fd = (trainer.measure(m, trainer.train(scaled(v, h))) - trainer.measure(m, trainer.train(scaled(v, -h))))
                    / (2 * h);
            if (!close(fd, curve.coefficient(1), DIFFERENCE_TOLERANCE)) {
                fail("exact direction vs retraining", "D = " + Arrays.toString(deletion) + ": c_1 " + curve.coefficient(1)
                        + ", central difference of retraining " + fd + " (radius " + curve.branchSwitch().t() + ")");
            }
        }
        stepAgainstJava();
    }

    /**
     * Whether the oracle accepts every example at the parameters the plain training reaches at
     * each step (no domain left, no value past {@link DsEvaluator#LIMIT}).
     */
    private boolean staysBounded(Trainer<Sample> trainer, Schedule schedule) {
        double[] at = circuit.initialParameters();
        double[][] state = new double[circuit.stateArrays()][params];
        double[] grad = new double[params];
        for (int step = 0; step < schedule.steps(); step++) {
            for (int e = 0; e < p.xs().size(); e++) {
                try {
                    trace(at, e);
                } catch (DsEvaluator.Rejected outside) {
                    return false;
                }
            }
            trainer.gradient(at, null, step, grad);
            trainer.update(at, grad, state, step);
        }
        return true;
    }

    private static boolean bounded(double[] values) {
        for (double x : values) if (!(Math.abs(x) <= DsEvaluator.LIMIT)) return false;
        return true;
    }

    private static double[] scaled(double[] v, double t) {
        double[] out = v.clone();
        for (int i = 0; i < out.length; i++) out[i] *= t;
        return out;
    }

    private void stepAgainstJava() {
        double[] grads = new double[params];
        for (int q = 0; q < params; q++) grads[q] = random.nextDouble(-1, 1);
        int states = circuit.stateArrays();
        double[][] state = new double[states][params];
        for (double[] s : state) for (int q = 0; q < params; q++) s[q] = random.nextDouble(0, 0.5);
        double[] generatedTheta = theta.clone();
        double[][] generatedState = new double[states][];
        for (int j = 0; j < states; j++) generatedState[j] = state[j].clone();
        circuit.step(circuit.newRealWorkspace(), generatedTheta, grads.clone(), generatedState, 1, 3);
        double[] javaTheta = theta.clone();
        Method step = null;
        for (Method mm : instance.getClass().getDeclaredMethods()) if (mm.getName().equals("step")) step = mm;
        Object[] args = new Object[step.getParameterCount()];
        args[0] = javaTheta;
        args[1] = grads.clone();
        int at = 2;
        for (int j = 0; j < states; j++) args[at++] = state[j];
        for (; at < args.length; at++) args[at] = at == args.length - 1 && p.optimizer().matches("momentum|clip") ? 3 : 1;
        try {
            step.setAccessible(true);
            step.invoke(null, args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        for (int q = 0; q < params; q++) {
            if (!close(javaTheta[q], generatedTheta[q], 1e-14)) {
                fail("training step", "parameter " + q + ": Java " + javaTheta[q] + ", generated " + generatedTheta[q]);
            }
        }
    }
}
