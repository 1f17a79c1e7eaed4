package org.jetsketch.study;

import java.util.Objects;
import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.circuit.CompiledCircuit;
import org.jetsketch.circuit.JetWorkspace;
import org.jetsketch.circuit.RealWorkspace;

/**
 * The loss of one example as a measurement, φ(θ) = ℓ(example; θ): the circuit's own {@code @Loss}
 * method evaluated at the parameters loaded into a workspace, so that any circuit has
 * {@code loss:<example>} without declaring a {@code @Measurement} for it.
 *
 * <p>It runs the generated loss-and-gradient code: {@link #evaluate(RealWorkspace)} and the jet
 * evaluation with a zero adjoint seed (the reverse sweep then adds nothing to the parameters'
 * adjoints), {@link #gradient} with seed 1 and drains the adjoints into {@code grad} as a generated
 * measurement does.
 */
public final class ExampleLoss<E> implements BoundMeasurement {
    private final CompiledCircuit<E> circuit;
    private final E example;
    private final String description;
    /** A zero jet seed, grown to the widest stride seen; only ever read. */
    private volatile double[] zeroSeed = new double[0];

    private ExampleLoss(CompiledCircuit<E> circuit, E example, String description) {
        this.circuit = Objects.requireNonNull(circuit, "circuit");
        this.example = Objects.requireNonNull(example, "example");
        this.description = Objects.requireNonNull(description, "description");
    }

    /** The loss of {@code example} under {@code circuit}, described as {@code description}. */
    public static <E> ExampleLoss<E> of(CompiledCircuit<E> circuit, E example, String description) {
        return new ExampleLoss<>(circuit, example, description);
    }

    @Override
    public CompiledCircuit<?> circuit() { return circuit; }

    @Override
    public String description() { return description; }

    @Override
    public double evaluate(RealWorkspace ws) {
        return circuit.lossAndGradient(ws, example, 0.0);
    }

    @Override
    public void evaluate(JetWorkspace ws, double[] out, int offset) {
        double[] seed = zeroSeed;
        if (seed.length < ws.stride) {
            seed = new double[ws.stride];
            zeroSeed = seed;
        }
        circuit.lossAndGradient(ws, example, seed, 0, out, offset);
    }

    @Override
    public double gradient(RealWorkspace ws, double[] grad) {
        double value = circuit.lossAndGradient(ws, example, 1.0);
        ws.addGradient(grad);
        return value;
    }
}
