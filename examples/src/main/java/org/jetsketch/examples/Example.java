package org.jetsketch.examples;

import java.util.List;
import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.circuit.CompiledCircuit;
import org.jetsketch.train.Schedule;

/**
 * One worked example: a compiled learning algorithm, its data and schedule, a deletion set worth
 * asking about, the measurement whose change is predicted, and how much sketching to do.
 *
 * @param name the name the runner knows it by ({@code linear}, {@code logistic}, {@code mlp})
 * @param title one line: the algorithm
 * @param dataDescription one line: the data and where the deletion set sits in it
 * @param circuit the generated circuit
 * @param data the training examples
 * @param schedule the training schedule (never changes with the data weights)
 * @param deletionSet D, the examples whose deletion is predicted
 * @param deletionDescription what D is, in words
 * @param measurement φ, the quantity whose value after deleting D is predicted
 * @param influenceMeasurement the measurement whose leave-one-out influences are listed
 * @param exactDegree the highest degree of the exact-direction curve (§7)
 * @param sketchDegree k, the degree of the random-direction sketches (§4)
 * @param sketches m, the number of sketches
 * @param influenceDegree the degree of the leave-one-out estimates
 * @param seed the direction seed
 */
public record Example<E>(
        String name,
        String title,
        String dataDescription,
        CompiledCircuit<E> circuit,
        List<E> data,
        Schedule schedule,
        int[] deletionSet,
        String deletionDescription,
        BoundMeasurement measurement,
        BoundMeasurement influenceMeasurement,
        int exactDegree,
        int sketchDegree,
        int sketches,
        int influenceDegree,
        long seed) {

    public Example {
        data = List.copyOf(data);
        deletionSet = deletionSet.clone();
    }

    @Override
    public int[] deletionSet() { return deletionSet.clone(); }

    /** The same example with another number of sketches. */
    public Example<E> withSketches(int m) {
        return new Example<>(name, title, dataDescription, circuit, data, schedule, deletionSet, deletionDescription,
                measurement, influenceMeasurement, exactDegree, sketchDegree, m, influenceDegree, seed);
    }
}
