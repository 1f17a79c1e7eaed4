package org.jetsketch.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Locale;
import org.jetsketch.sketch.BranchSwitch;

/**
 * How the commands report where a branch decision on active values could switch: one line with
 * every prediction and curve, a warning when that is below the largest t asked for, and a JSON
 * object {@code {"t": ..., "site": ..., "beyondRequested": ...}} ({@code t} null when no
 * decision was met).
 */
final class BranchReport {
    private BranchReport() {}

    /** The line for a bound in {@code variable} ("t", or "|w|" for the raw radius of the sketches). */
    static String describe(BranchSwitch b, String variable) {
        if (!b.recorded()) {
            return "branches: no decision on a value that depends on the parameters was met (no branch limits the series)";
        }
        return String.format(Locale.ROOT, "branch at %s can switch at %s ≈ %.3g: predictions beyond it are extrapolations",
                b.site(), variable, b.t());
    }

    /** Prints {@link #describe} and, if the bound is below {@code tMax}, a warning. */
    static void print(PrintWriter o, BranchSwitch b, double tMax, String what) {
        o.printf("%s%s%n", what.isEmpty() ? "" : what + ": ", describe(b, "t"));
        if (below(b, tMax)) {
            o.printf(Locale.ROOT, "warning: %sthe branch at %s can switch at t ≈ %.3g, below the requested t = %s: "
                    + "values there extrapolate the branches taken at t = 0%n", what.isEmpty() ? "" : what + ": ",
                    b.site(), b.t(), PredictCommand.fmt(tMax));
        }
    }

    static boolean below(BranchSwitch b, double tMax) {
        return b.recorded() && b.t() < tMax;
    }

    static ObjectNode json(BranchSwitch b, double tMax) {
        ObjectNode o = Json.object();
        Json.put(o, "t", b.t());
        if (b.recorded()) o.put("site", b.site());
        else o.putNull("site");
        o.put("beyondRequested", below(b, tMax));
        return o;
    }

    /** The largest |t| of a grid (at least 1 if {@code withDeletion}: the prediction at t = 1). */
    static double reach(double[] ts, boolean withDeletion) {
        double m = withDeletion ? 1 : 0;
        for (double t : ts) m = Math.max(m, Math.abs(t));
        return m;
    }
}
