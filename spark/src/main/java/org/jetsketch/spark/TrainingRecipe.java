package org.jetsketch.spark;

import java.io.Serializable;
import org.jetsketch.circuit.CompiledCircuit;
import org.jetsketch.train.Dataset;
import org.jetsketch.train.Schedule;

/**
 * What a Spark executor needs to rebuild one training run: a small, serializable description from
 * which {@link #rebuild()} makes the compiled circuit, the data set and the schedule. It is
 * broadcast once per executor (so its data travels once per executor, not once per task) and
 * rebuilt once per executor.
 *
 * <p>Write it as a top-level or static nested class (a lambda or an inner class would drag its
 * enclosing instance along) whose fields are serializable: typically the examples themselves or
 * what they are made from, the initial model's configuration and the schedule's parameters. The
 * rebuilt circuit must be the same on every machine: {@link SparkSketcher} checks that every
 * executor's rebuilt run has the driver's fingerprint, data size and schedule.
 *
 * @param <E> the circuit's example type
 */
public interface TrainingRecipe<E> extends Serializable {

    /** The circuit, the data and the schedule this recipe describes. Called once per JVM. */
    Training<E> rebuild();

    /** A rebuilt training run. */
    record Training<E>(CompiledCircuit<E> circuit, Dataset<E> data, Schedule schedule) {
        public Training {
            if (circuit == null || data == null || schedule == null) {
                throw new IllegalArgumentException("a training needs a circuit, data and a schedule (got null)");
            }
        }
    }
}
