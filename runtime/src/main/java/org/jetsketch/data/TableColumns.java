package org.jetsketch.data;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which columns of a data file make the examples, by header name: the numeric feature columns (in
 * the order the circuit reads them), the numeric label column, and optionally a text column whose
 * values name the examples (an id). Other columns of the file are read as text and kept, so that a
 * grouping can use them (a region, a source), but are not checked as numbers.
 *
 * @param features the feature columns, at least one, in the order of the feature vector
 * @param label the label column
 * @param id the id column, or null to name examples by their line ("row 17")
 */
public record TableColumns(List<String> features, String label, String id) {

    /**
     * @throws IllegalArgumentException if a name is null or blank, or one column is named for two
     *         roles (twice as a feature, or as a feature and the label)
     */
    public TableColumns {
        Objects.requireNonNull(features, "features");
        if (features.isEmpty()) throw new IllegalArgumentException("a table needs at least one feature column");
        features = List.copyOf(features);
        Set<String> seen = new HashSet<>();
        for (String f : features) {
            check(f, "feature column");
            if (!seen.add(f)) throw new IllegalArgumentException("column '" + f + "' is named twice as a feature");
        }
        check(label, "label column");
        if (!seen.add(label)) throw new IllegalArgumentException("column '" + label + "' is both a feature and the label");
        if (id != null) {
            check(id, "id column");
            if (!seen.add(id)) {
                throw new IllegalArgumentException("column '" + id + "' is the id column and also a "
                        + (id.equals(label) ? "label" : "feature"));
            }
        }
    }

    /** Features and label, examples named by line. */
    public static TableColumns of(List<String> features, String label) {
        return new TableColumns(features, label, null);
    }

    /** The same columns with examples named by the values of column {@code id}. */
    public TableColumns withId(String id) {
        return new TableColumns(features, label, Objects.requireNonNull(id, "id"));
    }

    private static void check(String name, String role) {
        if (name == null) throw new IllegalArgumentException("the " + role + " name is null");
        if (name.isBlank()) throw new IllegalArgumentException("the " + role + " name is blank");
    }
}
