package org.jetsketch.predict;

import org.jetsketch.sketch.Groups;

/**
 * Predictions from grouped sketches (scheme §9–§10). The coefficient table's directions live in
 * C^G ({@link CoefficientTable#examples()} = G); a deletion set must be a union of groups. Each
 * degree whose monomial system is solved ({@link GroupLeastSquares}: 2m ≥ C(G+r−1, r), well
 * conditioned) is answered exactly by least squares, the degrees above by the unbiased estimator
 * of §5 with C(G+r−1, r); {@link GroupPrediction} says which answered and carries the unbiased
 * answer alone as well. The least-squares factorisation depends only on the directions: build it
 * once with {@link GroupLeastSquares#of} and share it across measurements. Immutable and
 * thread-safe.
 */
public final class GroupedEstimator {

    private final Groups groups;
    private final DeletionEstimator unbiased;
    private final GroupLeastSquares.Solution solution;
    private final int solvedDegree;
    private final double[] condition;

    /**
     * @param table         a measurement's coefficients over grouped sketches (examples() = G)
     * @param groups        the grouping the sketches were made with
     * @param leastSquares  the factorisation of the table's directions, to degree ≤ k
     */
    public GroupedEstimator(CoefficientTable table, Groups groups, GroupLeastSquares leastSquares) {
        if (table == null) throw new IllegalArgumentException("table is null");
        if (groups == null) throw new IllegalArgumentException("groups are null");
        if (leastSquares == null) throw new IllegalArgumentException("least-squares factorisation is null");
        if (table.examples() != groups.count()) {
            throw new IllegalArgumentException("the table's directions have " + table.examples()
                    + " components, the grouping has G = " + groups.count() + " groups");
        }
        this.groups = groups;
        this.unbiased = new DeletionEstimator(table, leastSquares.directions());
        this.solution = leastSquares.solve(table);
        this.solvedDegree = leastSquares.solvedDegree();
        this.condition = new double[table.degree() + 1];
        for (int r = 1; r <= table.degree(); r++) {
            condition[r] = r <= leastSquares.degree() ? leastSquares.conditionNumber(r) : Double.NaN;
        }
    }

    /** An estimator with cached directions and a least-squares factorisation to the table's degree. */
    public static GroupedEstimator of(CoefficientTable table, Groups groups) {
        if (table == null) throw new IllegalArgumentException("table is null");
        return new GroupedEstimator(table, groups, GroupLeastSquares.of(DirectionBank.cached(table), table.degree()));
    }

    public Groups groups() { return groups; }

    /** The unbiased estimator over group space (its "examples" are the G groups). */
    public DeletionEstimator unbiased() { return unbiased; }

    /** The least-squares coefficients of this measurement. */
    public GroupLeastSquares.Solution leastSquares() { return solution; }

    /** One group deleted alone: its id and the prediction. */
    public record GroupInfluence(int group, GroupPrediction prediction) {}

    /**
     * Leave one group out, for every group: the predictions ranked by |change| at {@code degree},
     * largest first, equal |change| in ascending group order (the grouped counterpart of {@link
     * LeaveOneOut#topInfluential}).
     *
     * @throws IllegalArgumentException if degree is outside [1, k]
     */
    public java.util.List<GroupInfluence> leaveOneGroupOut(int degree) {
        int g = groups.count();
        GroupInfluence[] all = new GroupInfluence[g];
        for (int q = 0; q < g; q++) all[q] = new GroupInfluence(q, predictGroups(new int[] {q}));
        if (degree < 1 || degree > all[0].prediction().degree()) {
            throw new IllegalArgumentException("degree must be in [1, " + all[0].prediction().degree() + "], got " + degree);
        }
        java.util.Arrays.sort(all, java.util.Comparator.<GroupInfluence>comparingDouble(
                x -> -Math.abs(x.prediction().change(degree))).thenComparingInt(GroupInfluence::group));
        return java.util.List.of(all);
    }

    /** The prediction for deleting the examples of the groups {@code groupSet} (w = 1_S). */
    public GroupPrediction predictGroups(int[] groupSet) {
        int[] s = groupSet == null ? null : groupSet.clone();
        Prediction all = unbiased.predictDeletion(s);
        Prediction rest = solvedDegree == 0 ? all : unbiased.predictDeletion(s, unbiased.defaultGroups(), solvedDegree + 1);
        double[] v = new double[groups.count()];
        for (int q : s) v[q] = 1;
        return combine(v, all, rest);
    }

    /**
     * The prediction for deleting D, which must be a union of groups.
     *
     * @throws IllegalArgumentException naming the first group D cuts
     */
    public GroupPrediction predictDeletion(int[] deletionSet) {
        return predictGroups(groups.groupsOf(deletionSet));
    }

    /** The prediction for group weights v (w_i = v_{g(i)}; G finite values). */
    public GroupPrediction predictGroupWeights(double[] v) {
        Prediction all = unbiased.predictWeights(v);
        Prediction rest = solvedDegree == 0 ? all : unbiased.predictWeights(v, unbiased.defaultGroups(), solvedDegree + 1);
        return combine(v.clone(), all, rest);
    }

    private GroupPrediction combine(double[] v, Prediction all, Prediction rest) {
        int k = all.degree();
        double f0 = all.f0();
        double[] mean = new double[k + 1];
        double[] se = new double[k + 1];
        mean[0] = f0;
        double lsSum = 0, lsVar = 0;
        for (int d = 1; d <= k; d++) {
            if (d <= solvedDegree) {
                lsSum += solution.term(d, v);
                double e = solution.termStandardError(d, v);
                lsVar += e * e;
                mean[d] = f0 + lsSum;
                se[d] = Math.sqrt(lsVar);
            } else {
                double u = rest.standardError(d);
                mean[d] = rest.mean(d) + lsSum;
                se[d] = Math.sqrt(lsVar + u * u);
            }
        }
        return new GroupPrediction(f0, solvedDegree, mean, se, condition, all);
    }

    @Override
    public String toString() {
        return "GroupedEstimator[" + groups + ", " + solution.system() + "]";
    }
}
