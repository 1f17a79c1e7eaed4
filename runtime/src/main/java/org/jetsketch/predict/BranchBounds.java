package org.jetsketch.predict;

import org.jetsketch.sketch.BranchSwitch;
import org.jetsketch.sketch.SketchStore;

/**
 * Where predictions from sketches stop following the branches the training took. Each sketch
 * records the radius, in the norm of the weight vector, within which no branch decision on active
 * values met by its jet training could switch (see {@code Sketcher}); a prediction at weights w is
 * an extrapolation of the branches taken at w = 0 once ‖w‖ exceeds the smallest of them.
 */
public final class BranchBounds {
    private BranchBounds() {}

    /**
     * The smallest radius recorded by the sketches a table was built from, with its site;
     * {@link BranchSwitch#NONE} if none of them met a branch decision.
     */
    public static BranchSwitch radius(SketchStore store, CoefficientTable table) {
        BranchSwitch best = BranchSwitch.NONE;
        for (int j = 0; j < table.sketches(); j++) {
            BranchSwitch b = store.branchSwitch(table.directionIndex(j));
            if (b.t() < best.t()) best = b;
        }
        return best;
    }

    /**
     * Along w = t·v: the t at which a decision can switch, radius / ‖v‖ (for v = 1_D,
     * radius / sqrt|D|). An exact-direction curve measures this t itself.
     */
    public static BranchSwitch along(BranchSwitch radius, double[] v) {
        double norm = 0;
        for (double x : v) norm += x * x;
        return along(radius, Math.sqrt(norm));
    }

    /** Along w = t·1_D with |D| = {@code size}. */
    public static BranchSwitch alongDeletion(BranchSwitch radius, int size) {
        if (size < 1) throw new IllegalArgumentException("deletion set size must be >= 1, got " + size);
        return along(radius, Math.sqrt(size));
    }

    private static BranchSwitch along(BranchSwitch radius, double norm) {
        if (!radius.recorded()) return radius;
        if (!(norm > 0)) throw new IllegalArgumentException("direction has norm " + norm);
        return new BranchSwitch(radius.t() / norm, radius.site());
    }
}
