package org.jetsketch.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jetsketch.predict.ExactDirectionCurve;
import org.jetsketch.predict.LeaveOneOut;
import org.jetsketch.study.ProblemRuns;
import org.jetsketch.train.ExactInfluence;

/**
 * The exact leave-one-out list that {@code influence --exact} and {@code demo} show, as computed by
 * {@link ProblemRuns#exactLeaveOneOut} (every example's exact first-order change, the top ones also
 * along their exact directions at a higher degree): how it is printed and written.
 *
 * @param result the library's answer
 */
record ExactInfluenceReport(ProblemRuns.ExactLeaveOneOut result) {

    /** The sweep for {@code m}, then exact-direction curves of degree {@code degree} for the top {@code count}. */
    static ExactInfluenceReport run(Setup setup, Measures.Measure m, long memoryBudget, int count, int degree,
            int threads, PrintWriter err) {
        if (degree > 1) BaseCommand.degree("--degree", degree);
        try {
            return new ExactInfluenceReport(Experiments.interruptible(() -> setup.runs.exactLeaveOneOut(m.bound(),
                    memoryBudget, count, degree, threads, Progress.bars(err))));
        } catch (IllegalArgumentException e) {
            throw new CliException("exact influence: " + e.getMessage() + " (--memory sets the budget in MiB)", e);
        }
    }

    ExactInfluence.Influence influence() { return result.influence(); }

    int[] top() { return result.top(); }

    List<ExactDirectionCurve> curves() { return result.curves(); }

    int degree() { return result.degree(); }

    double seconds() { return result.seconds(); }

    double curveSeconds() { return result.curveSeconds(); }

    double f0() { return result.f0(); }

    /** The exact first-order leave-one-out change of example i. */
    double firstOrder(int i) { return result.firstOrder(i); }

    /** The exact-direction change of deleting the q-th top example alone, at {@link #degree}. */
    double higherOrder(int q) { return result.higherOrder(q); }

    /** One line on how the sweep ran. */
    String summary() {
        ExactInfluence.Plan plan = influence().plan();
        return String.format(Locale.ROOT, "reverse mode through %d training steps in %.1f s; trajectory %s (%s)",
                plan.steps(), seconds(), mib(plan.bytes()), plan.recomputes()
                        ? "checkpoints every " + plan.interval() + " steps, " + influence().recomputedSteps() + " steps recomputed"
                        : "kept whole");
    }

    static String mib(long bytes) { return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0); }

    /** The warnings a user must see: a measurement or training step decided exactly at a branch switch. */
    void printWarnings(PrintWriter o) {
        String tie = influence().measurementTies().get(0);
        if (tie != null) {
            o.printf("  warning: the measurement decides a branch exactly at its switch at the trained parameters (%s):"
                    + " it is not differentiable there and these are one-sided derivatives%n", tie);
        }
        if (influence().nonDifferentiableSteps() > 0) {
            o.printf(Locale.ROOT, "  warning: %d training step(s) decided a branch exactly at its switch along the"
                    + " adjoint (first at step %d, %s): the derivative there is one-sided%n",
                    influence().nonDifferentiableSteps(), influence().firstNonDifferentiableStep(),
                    influence().nonDifferentiableSite());
        }
    }

    /**
     * The table: rank, step, name, exact first-order change, the exact-direction change at
     * {@link #degree} and, when {@code sketch} is given, the sketch estimate beside them.
     */
    void print(PrintWriter o, Setup setup, LeaveOneOut sketch) {
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "  %-4s %-6s %-18s %16s", "rank",
                setup.indexHeading(), setup.noun(), "first order"));
        if (!curves().isEmpty()) head.append(String.format(Locale.ROOT, " %16s", "exact, degree " + degree()));
        if (sketch != null) head.append(String.format(Locale.ROOT, " %24s", "sketch estimate ± SE"));
        o.println(head);
        for (int q = 0; q < top().length; q++) {
            int i = top()[q];
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-4d %-6d %-18s %+16.6f", q + 1, i,
                    Text.printable(setup.names.get(i)), firstOrder(i)));
            if (!curves().isEmpty()) line.append(String.format(Locale.ROOT, " %+16.6f", higherOrder(q)));
            if (sketch != null) {
                line.append(String.format(Locale.ROOT, " %+13.6f ± %-8.6f", sketch.change(i), sketch.standardError(i)));
            }
            o.println(line);
        }
    }

    /** The JSON of the run: the method, f0, the plan, the top list and the warnings. */
    ObjectNode json(Setup setup, LeaveOneOut sketch) {
        ObjectNode r = Json.object();
        r.put("method", "exact first order (reverse)");
        Json.put(r, "f0", f0());
        r.put("examples", setup.n());
        Json.put(r, "seconds", seconds());
        ExactInfluence.Plan plan = influence().plan();
        ObjectNode p = r.putObject("trajectory");
        p.put("bytes", plan.bytes());
        p.put("recomputes", plan.recomputes());
        p.put("checkpointInterval", plan.interval());
        p.put("recomputedSteps", influence().recomputedSteps());
        r.put("measurementTie", influence().measurementTies().get(0));
        r.put("nonDifferentiableSteps", influence().nonDifferentiableSteps());
        if (!curves().isEmpty()) {
            r.put("exactDegree", degree());
            Json.put(r, "exactSeconds", curveSeconds());
        }
        ArrayNode a = r.putArray("top");
        for (int q = 0; q < top().length; q++) {
            int i = top()[q];
            ObjectNode o = a.addObject();
            o.put("index", i);
            o.put("name", setup.names.get(i));
            Json.put(o, "firstOrder", firstOrder(i));
            if (!curves().isEmpty()) Json.put(o, "exact", higherOrder(q));
            if (sketch != null) {
                Json.put(o, "sketch", sketch.change(i));
                Json.put(o, "sketchStandardError", sketch.standardError(i));
            }
        }
        return r;
    }

    /** All n first-order changes as CSV (index, name, f0 + change, change), with the top ones' exact values. */
    void writeCsv(Setup setup, Path file) throws IOException {
        Csv csv = new Csv(List.of("index", "name", "first_order_prediction", "first_order_change",
                "exact_degree_" + degree() + "_change"));
        double[] exact = new double[setup.n()];
        java.util.Arrays.fill(exact, Double.NaN);
        for (int q = 0; q < curves().size(); q++) exact[top()[q]] = higherOrder(q);
        for (int i = 0; i < setup.n(); i++) {
            csv.row(i, setup.names.get(i), f0() + firstOrder(i), firstOrder(i), exact[i]);
        }
        csv.write(file);
    }
}
