package org.jetsketch.train;

import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.circuit.CompiledCircuit;

/** Checks shared by the trainers: bad input is an error that names the value. */
final class Weights {
    private Weights() {}

    static void check(double[] w, int n) {
        if (w == null) return;
        if (w.length != n) throw new IllegalArgumentException("weight vector has length " + w.length + ", expected " + n);
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(w[i])) throw new IllegalArgumentException("weight " + i + " is not finite: " + w[i]);
        }
    }

    static void checkSchedule(Schedule schedule, int examples) {
        if (schedule.examples() != examples) {
            throw new IllegalArgumentException("schedule is for " + schedule.examples() + " examples, dataset has "
                    + examples);
        }
    }

    static void checkCircuit(BoundMeasurement m, CompiledCircuit<?> circuit) {
        if (m.circuit() != circuit) {
            throw new IllegalArgumentException("measurement " + m.description() + " belongs to circuit "
                    + m.circuit().circuitName() + ", not to this one (" + circuit.circuitName() + ")");
        }
    }
}
