package org.jetsketch.processor;

import static com.google.common.truth.Truth.assertWithMessage;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.circuit.CompiledCircuit;
import org.jetsketch.circuit.ParamLayout;
import org.jetsketch.jet.Jets;
import org.jetsketch.circuit.JetWorkspace;
import org.jetsketch.circuit.RealWorkspace;

/**
 * Runs a circuit compiled in memory two ways: the user's class as plain Java (the oracle: its
 * {@code @Param} fields are set by reflection) and the generated {@code <Name>_Circuit} in its workspaces.
 */
final class CircuitRunner {
    final Object instance;
    final CompiledCircuit<Object> circuit;
    final ParamLayout layout;
    final int params;

    @SuppressWarnings("unchecked")
    CircuitRunner(ClassLoader loader, String circuitClass, Object instance) {
        this.instance = instance;
        try {
            Class<?> generated = loader.loadClass(circuitClass + "_Circuit");
            this.circuit = (CompiledCircuit<Object>) generated.getConstructor(instance.getClass()).newInstance(instance);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot build " + circuitClass + "_Circuit", e);
        }
        this.layout = circuit.layout();
        this.params = layout.size();
    }

    static Object construct(ClassLoader loader, String className, Class<?>[] types, Object... args) {
        try {
            var c = loader.loadClass(className).getDeclaredConstructor(types);
            c.setAccessible(true);
            return c.newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot construct " + className, e);
        }
    }

    // ---------------------------------------------------------------- plain Java

    /** Writes the flat vector {@code theta} into the instance's @Param fields. */
    void setParameters(double[] theta) {
        for (ParamLayout.Entry e : layout.entries()) {
            Field f = field(e.name());
            int[] shape = e.shape();
            try {
                switch (shape.length) {
                    case 0 -> f.setDouble(instance, theta[e.offset()]);
                    case 1 -> f.set(instance, Arrays.copyOfRange(theta, e.offset(), e.offset() + shape[0]));
                    default -> {
                        double[][] rows = new double[shape[0]][];
                        for (int r = 0; r < shape[0]; r++) {
                            int from = e.offset() + r * shape[1];
                            rows[r] = Arrays.copyOfRange(theta, from, from + shape[1]);
                        }
                        f.set(instance, rows);
                    }
                }
            } catch (IllegalAccessException ex) {
                throw new AssertionError(ex);
            }
        }
    }

    private Field field(String name) {
        try {
            Field f = instance.getClass().getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new AssertionError(e);
        }
    }

    /** The user's method {@code name} run as plain Java on the instance with parameters {@code theta}. */
    Object plain(double[] theta, String name, Object... args) {
        setParameters(theta);
        for (Method m : instance.getClass().getDeclaredMethods()) {
            if (!m.getName().equals(name) || m.getParameterCount() != args.length) continue;
            m.setAccessible(true);
            try {
                return m.invoke(instance, args);
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            } catch (InvocationTargetException e) {
                throw new AssertionError("plain " + name + " threw", e.getCause());
            }
        }
        throw new AssertionError("no method " + name + " with " + args.length + " parameters");
    }

    double plainLoss(double[] theta, Object example) {
        return (double) plain(theta, lossName(), example);
    }

    private String lossName() {
        for (Method m : instance.getClass().getDeclaredMethods()) {
            for (var a : m.getDeclaredAnnotations()) {
                if (a.annotationType().getSimpleName().equals("Loss")) return m.getName();
            }
        }
        return "loss"; // @Loss has source retention: by convention
    }

    // ---------------------------------------------------------------- generated, real

    /** The generated loss at {@code theta}; its gradient into {@code grad} if not null. */
    double loss(double[] theta, Object example, double[] grad) {
        RealWorkspace ws = circuit.newRealWorkspace();
        ws.loadParameters(theta);
        double value = circuit.lossAndGradient(ws, example, grad == null ? 0.0 : 1.0);
        if (grad != null) {
            Arrays.fill(grad, 0.0);
            ws.addGradient(grad);
        }
        return value;
    }

    /**
     * Asserts that {@code grad}, the generated gradient at {@code theta}, agrees with central
     * differences of the plain Java loss with step {@code h}, to 1e-6 of max(1, |difference|) per
     * parameter; {@code what} names the case in a failure.
     */
    void assertGradientMatchesDifferences(double[] theta, Object example, double[] grad, double h, String what) {
        for (int p = 0; p < theta.length; p++) {
            double[] plus = theta.clone();
            double[] minus = theta.clone();
            plus[p] += h;
            minus[p] -= h;
            double fd = (plainLoss(plus, example) - plainLoss(minus, example)) / (2 * h);
            assertWithMessage("%s: d loss / d theta[%s]", what, p).that(grad[p])
                    .isWithin(1e-6 * Math.max(1, Math.abs(fd))).of(fd);
        }
    }

    /** A generated measurement, bound by calling the generated method {@code name(args)}. */
    double measure(double[] theta, String name, Object... args) {
        RealWorkspace ws = circuit.newRealWorkspace();
        ws.loadParameters(theta);
        return bound(name, args).evaluate(ws);
    }

    BoundMeasurement bound(String name, Object... args) {
        for (Method m : circuit.getClass().getMethods()) {
            if (!m.getName().equals(name) || m.getParameterCount() != args.length) continue;
            try {
                return (BoundMeasurement) m.invoke(circuit, args);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("no generated measurement " + name);
    }

    /** One generated training step on real values: {@code theta} and {@code state} updated in place. */
    void step(double[] theta, double[] grad, double[][] state, int step, int steps) {
        circuit.step(circuit.newRealWorkspace(), theta, grad.clone(), state, step, steps);
    }

    // ---------------------------------------------------------------- generated, jets

    /**
     * The loss along the line {@code theta + t v} as a degree-{@code k} jet in t (one real
     * direction), and the adjoint jets of the parameters. Returns {@code [loss coefficients 0..k]},
     * and writes adjoint coefficient {@code r} of parameter {@code p} into {@code adjoint[r][p]}.
     */
    double[] jetLoss(double[] theta, double[] v, Object example, int k, double[][] adjoint) {
        return jetLoss(theta, v, example, k, adjoint, null);
    }

    /** {@link #jetLoss}, with {@code observer} watching the branch decisions. */
    double[] jetLoss(double[] theta, double[] v, Object example, int k, double[][] adjoint,
            org.jetsketch.circuit.BranchObserver observer) {
        Jets jets = new Jets(k, 1);
        int stride = jets.stride();
        JetWorkspace ws = circuit.newJetWorkspace(jets);
        ws.branches = observer;
        double[] thetaJets = new double[params * stride];
        for (int p = 0; p < params; p++) {
            thetaJets[p * stride] = theta[p];
            if (k > 0) thetaJets[p * stride + 1] = v[p];
        }
        ws.loadParameters(thetaJets);
        double[] seed = new double[stride];
        seed[0] = 1.0;
        double[] loss = new double[stride];
        circuit.lossAndGradient(ws, example, seed, 0, loss, 0);
        double[] out = new double[k + 1];
        for (int r = 0; r <= k; r++) out[r] = coefficient(loss, 0, r);
        double[] adj = new double[params * stride];
        ws.addGradient(adj);
        for (int r = 0; r <= k; r++) {
            for (int p = 0; p < params; p++) adjoint[r][p] = coefficient(adj, p * stride, r);
        }
        return out;
    }

    /** Real part of coefficient r of the single-direction jet at offset o (layout: see Jets). */
    private static double coefficient(double[] a, int o, int r) {
        return r == 0 ? a[o] : a[o + 1 + 2 * (r - 1)];
    }
}
