package org.jetsketch.circuit;

import org.jetsketch.tape.JetTape;
import org.jetsketch.tape.RealTape;

/**
 * A {@code @Measurement} method with its arguments bound, as the generated circuit's method of the
 * same name returns it. Evaluated forward only on a tape whose slots {@code 1..P} hold the
 * parameters.
 */
public interface BoundMeasurement {

    /** The circuit this measurement belongs to (a measurement of another circuit is rejected). */
    CompiledCircuit<?> circuit();

    /** A readable description: the method name and its arguments. */
    String description();

    /** Records the measurement onto {@code tape}; returns its slot. */
    int evaluate(RealTape tape);

    int evaluate(JetTape tape);
}
