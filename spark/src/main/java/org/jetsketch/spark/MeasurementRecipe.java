package org.jetsketch.spark;

import java.io.Serializable;
import org.jetsketch.circuit.BoundMeasurement;

/**
 * A serializable description of a measurement, from which an executor rebuilds the
 * {@link BoundMeasurement} (a generated circuit's measurement method with its arguments), e.g. a
 * {@link TrainingRecipe} plus the measurement's arguments. Broadcast once, rebuilt once per
 * executor. Write it as a top-level or static nested class with serializable fields.
 */
public interface MeasurementRecipe extends Serializable {

    /** The measurement, bound to a circuit of the store's kind. */
    BoundMeasurement rebuild();
}
