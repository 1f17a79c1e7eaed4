package org.jetsketch.cli;

import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.study.StudyException;
import org.jetsketch.study.StudyMeasurement;

/** Parses --measure with the study's own spec parser ({@link org.jetsketch.study.Problem#measurement}). */
final class Measures {
    private Measures() {}

    /** A parsed measurement: the text the user gave, a readable description and the bound circuit method. */
    record Measure(String spec, String description, BoundMeasurement bound) {}

    /** The measurement {@code spec} names in setup's problem (null: the problem's default). */
    static Measure parse(String spec, Setup setup) {
        try {
            StudyMeasurement m = setup.problem.measurement(spec);
            return new Measure(m.spec(), m.description(), m.bound());
        } catch (StudyException e) {
            throw Setup.cli(e);
        }
    }
}
