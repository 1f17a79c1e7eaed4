package org.jetsketch.predict;

import org.jetsketch.sketch.Groups;

/**
 * Predictions of f after deleting one set D, at weights t·1_D for any t, from either kind of
 * sketch table: per example (the unbiased estimator, scheme §5) or grouped (least squares then
 * unbiased in group space, scheme §9, where D must be a union of groups). One prediction per t,
 * each a {@link DeletionPrediction}, so a caller reports both kinds through one path.
 *
 * <p>At t = 1 the predictions are {@code predictDeletion} / {@code predictGroups} (sums over D);
 * at other t the weight-vector forms with t on D (t·1_D) or on the deleted groups (t·1_S). Both
 * give the same numbers at t = 1; the set form is used there because it is what every other
 * deletion query uses.
 */
public final class DeletionPredictor {

    private final DeletionEstimator perExample;
    private final GroupedEstimator grouped;
    private final int[] deletionSet;
    private final int[] groupSet;

    private DeletionPredictor(DeletionEstimator perExample, GroupedEstimator grouped, int[] deletionSet,
            int[] groupSet) {
        this.perExample = perExample;
        this.grouped = grouped;
        this.deletionSet = deletionSet;
        this.groupSet = groupSet;
    }

    /**
     * The predictor for deleting {@code deletionSet} (indices of training examples) from sketches
     * in {@code table}; {@code groups} is the table's grouping, or null for per-example sketches.
     *
     * @throws IllegalArgumentException (grouped) if D cuts a group — the message names the group;
     *     per example, {@link #at} rejects an index out of range or repeated
     */
    public static DeletionPredictor of(CoefficientTable table, Groups groups, int[] deletionSet) {
        if (deletionSet == null) throw new IllegalArgumentException("deletion set is null");
        int[] d = deletionSet.clone();
        if (groups == null) {
            return new DeletionPredictor(DeletionEstimator.cached(table), null, d, null);
        }
        int[] s = groups.groupsOf(d);
        return new DeletionPredictor(null, GroupedEstimator.of(table, groups), d, s);
    }

    /** The prediction at weights t·1_D. */
    public DeletionPrediction at(double t) {
        if (!Double.isFinite(t)) throw new IllegalArgumentException("t must be finite, got " + t);
        if (grouped == null) {
            if (t == 1.0) return perExample.predictDeletion(deletionSet);
            double[] w = new double[perExample.table().examples()];
            for (int i : deletionSet) w[i] = t;
            return perExample.predictWeights(w);
        }
        if (t == 1.0) return grouped.predictGroups(groupSet);
        double[] v = new double[grouped.groups().count()];
        for (int g : groupSet) v[g] = t;
        return grouped.predictGroupWeights(v);
    }

    /** Whether the sketches are grouped. */
    public boolean grouped() { return grouped != null; }

    /** The deleted groups S (ascending), or null for per-example sketches. */
    public int[] groupSet() { return groupSet == null ? null : groupSet.clone(); }

    /**
     * How many coordinates of the sketch's weight vector D moves: |D| per example, |S| grouped
     * (grouped directions live in C^G). The branch-switch radius is measured along this many.
     */
    public int deletedCoordinates() { return grouped == null ? deletionSet.length : groupSet.length; }

    /** The least-squares system of a grouped table, or null per example. */
    public GroupLeastSquares leastSquaresSystem() {
        return grouped == null ? null : grouped.leastSquares().system();
    }
}
