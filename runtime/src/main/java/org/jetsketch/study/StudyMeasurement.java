package org.jetsketch.study;

import org.jetsketch.circuit.BoundMeasurement;

/**
 * A measurement φ named by a spec string: the text the user gave, a readable description and the
 * circuit's bound measurement method.
 *
 * @param spec the spec as given ({@code loss:anna}, {@code prediction:1.5,1,0})
 * @param description what it measures, in words ({@code loss on "anna"})
 * @param bound the bound {@code @Measurement} method of the problem's circuit
 */
public record StudyMeasurement(String spec, String description, BoundMeasurement bound) {
    public StudyMeasurement {
        java.util.Objects.requireNonNull(spec, "spec");
        java.util.Objects.requireNonNull(description, "description");
        java.util.Objects.requireNonNull(bound, "bound");
    }
}
