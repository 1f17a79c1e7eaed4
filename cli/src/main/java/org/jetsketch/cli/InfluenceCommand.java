package org.jetsketch.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jetsketch.predict.BranchBounds;
import org.jetsketch.predict.CoefficientTable;
import org.jetsketch.predict.DeletionEstimator;
import org.jetsketch.predict.GroupPrediction;
import org.jetsketch.predict.GroupedEstimator;
import org.jetsketch.predict.LeaveOneOut;
import org.jetsketch.sketch.BranchSwitch;
import org.jetsketch.sketch.Groups;
import org.jetsketch.sketch.SketchStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "influence", mixinStandardHelpOptions = true,
        header = "The most influential training examples (leave-one-out): exact first order, or from the sketches.",
        sortOptions = false,
        description = {"Leave-one-out for every training example at once (microgpt: every name): those whose deletion"
            + " would change the measurement most. With --exact, every example's exact first-order change ∂f/∂w_i from one backward "
            + "sweep through training (no sketch needed; the top ones also at a higher degree by exact-direction "
            + "jets); otherwise the estimates from the sketches. With --out, writes all n (influence.csv)."})
final class InfluenceCommand extends BaseCommand {

    static final String DEFAULT_SKETCH = "out/sketch";

    @Option(names = "--sketch", paramLabel = "DIR",
            description = "Sketch directory (from 'sketch'). Default: " + DEFAULT_SKETCH + "; with --exact, the"
                    + " training run is read from its run record when given, else from the data options.")
    Path sketch;

    @Option(names = "--exact", description = "Exact first-order leave-one-out for every example by reverse mode through"
            + " training (the adjoint of training), beside the exact-direction value at --degree (default 3) for the"
            + " top examples. Needs no sketch.")
    boolean exact;

    @Option(names = "--steps", paramLabel = "N", description = "With --exact and no --sketch: the study's --steps"
            + " (microgpt: training steps = training names). Default: the study's (microgpt: 1000).")
    Integer steps;

    @Mixin Options.Data data;

    @Option(names = "--memory", paramLabel = "MIB", description = "With --exact: the most memory the kept training"
            + " trajectory may take; beyond it segments are recomputed from checkpoints. Default: 64.")
    Integer memory;

    @Mixin Options.Measure measure;

    @Option(names = "--degree", paramLabel = "D",
            description = "Degree of the estimate (at most the sketches' k). Default: 1: deleting one example is nearly"
                    + " linear, and the higher-degree terms mostly add estimator variance. With --exact: the degree"
                    + " of the exact-direction values of the top examples (1: none). Default there: 3.")
    Integer degreeOption;
    int degree;

    @Option(names = "--top", paramLabel = "N", defaultValue = "10",
            description = "How many examples to list. Default: ${DEFAULT-VALUE}.")
    int top;

    @Option(names = "--sketches", paramLabel = "M", description = "Use only the first M sketches. Default: all.")
    Integer sketches;

    @Option(names = "--out", paramLabel = "DIR", description = "Write influence.csv here.")
    Path out;

    @Option(names = "--groups", description = "With grouped sketches: leave one group out, for every group (least"
            + " squares where the sketches recover the degree, the unbiased estimator above).")
    boolean byGroups;
    @Mixin Options.SkipCorrupt skip;
    @Mixin Options.Threads threads;
    @Mixin Options.JsonOutput json;

    @Override
    int execute() throws Exception {
        checkOutput("--out", out);
        threads(threads.threads);
        if (top < 0) throw new UsageException("--top must be >= 0, got " + top);
        if (exact) return exactInfluence();
        if (steps != null || memory != null || data.data != null || data.docs != null || data.init != null) {
            throw new UsageException("--steps, --memory, --data, --docs and --init go with --exact (the sketches"
                    + " record their training run)");
        }
        if (sketch == null) sketch = Path.of(DEFAULT_SKETCH);
        degree = degreeOption == null ? 1 : degreeOption;
        Setup setup = Setup.fromSketch(sketch, "--sketch", data.choice());
        Experiments.Opened opened = Experiments.openSketches(sketch, setup, skip.skipCorrupt, err());
        SketchStore store = opened.store();
        Measures.Measure m = Measures.parse(measure.spec, setup);
        Groups groups = store.header().groups();
        if (byGroups != (groups != null)) {
            throw new CliException(byGroups ? "--groups: the sketches in " + sketch + " are per-example (not made with"
                    + " 'sketch --group-by')" : "the sketches in " + sketch + " are grouped: use --groups");
        }
        if (groups != null) return groupInfluence(setup, store, m, groups);
        CoefficientTable table = Experiments.table(store, m, threads(threads.threads), sketches, setup);
        int d = degree;
        if (d < 1 || d > table.degree()) {
            throw new CliException("--degree " + d + ": the sketches have degree " + table.degree());
        }
        LeaveOneOut loo = DeletionEstimator.cached(table).leaveOneOut(d);
        List<LeaveOneOut.Influence> list = loo.topInfluential(top);
        ObjectNode r = Json.object();
        r.put("command", "influence");
        r.put("measure", m.spec());
        r.put("degree", d);
        r.put("sketches", table.sketches());
        Json.put(r, "f0", loo.f0());
        r.set("top", influenceJson(setup, list));
        BranchSwitch branch = BranchBounds.alongDeletion(BranchBounds.radius(store, table), 1); // one example
        r.set("branchSwitch", BranchReport.json(branch, 1.0));
        if (out != null) {
            Csv csv = new Csv(List.of("index", "name", "predicted", "change", "standard_error"));
            for (int i = 0; i < setup.n(); i++) {
                csv.row(i, setup.names.get(i), loo.prediction(i), loo.change(i), loo.standardError(i));
            }
            csv.write(out.resolve("influence.csv"));
            r.put("out", out.resolve("influence.csv").toString());
        }
        if (json.json) {
            printJson(r);
            return 0;
        }
        PrintWriter o = out();
        o.printf(Locale.ROOT, "measurement: %s, f(0) = %.6f; leave-one-out at degree %d from %d sketches%n",
                m.description(), loo.f0(), d, table.sketches());
        BranchReport.print(o, branch, 1.0, "deleting one example");
        printInfluence(o, setup, list);
        if (out != null) o.printf("wrote %s%n", out.resolve("influence.csv"));
        return 0;
    }

    /** Leave-one-group-out for every group, ranked by |change|. */
    private int groupInfluence(Setup setup, SketchStore store, Measures.Measure m, Groups groups) throws Exception {
        CoefficientTable table = Experiments.table(store, m, threads(threads.threads), sketches, setup);
        if (degree < 1 || degree > table.degree()) {
            throw new CliException("--degree " + degree + ": the sketches have degree " + table.degree());
        }
        List<GroupedEstimator.GroupInfluence> ranked = GroupedEstimator.of(table, groups).leaveOneGroupOut(degree);
        GroupPrediction first = ranked.get(0).prediction();
        String used = first.estimatorDescription(degree).replace("degree R", "degree " + first.leastSquaresDegree());
        ObjectNode r = Json.object();
        r.put("command", "influence");
        r.put("measure", m.spec());
        r.put("degree", degree);
        r.put("sketches", table.sketches());
        r.put("groups", groups.count());
        r.put("estimator", used);
        Json.put(r, "f0", table.f0());
        // grouped directions live in C^G: deleting one group is a unit step in the group weights
        BranchSwitch branch = BranchBounds.alongDeletion(BranchBounds.radius(store, table), 1);
        r.set("branchSwitch", BranchReport.json(branch, 1.0));
        ArrayNode a = r.putArray("top");
        int shown = Math.min(top, ranked.size());
        for (GroupedEstimator.GroupInfluence gi : ranked.subList(0, shown)) {
            ObjectNode o = a.addObject();
            o.put("group", groups.name(gi.group()));
            o.put("size", groups.size(gi.group()));
            Json.put(o, "change", gi.prediction().change(degree));
            Json.put(o, "standardError", gi.prediction().standardError(degree));
        }
        if (out != null) {
            Csv csv = new Csv(List.of("group", "size", "predicted", "change", "standard_error", "estimator"));
            // the file lists every group in group order: placed by id, not re-sorted
            GroupedEstimator.GroupInfluence[] byGroup = new GroupedEstimator.GroupInfluence[groups.count()];
            for (GroupedEstimator.GroupInfluence gi : ranked) byGroup[gi.group()] = gi;
            for (GroupedEstimator.GroupInfluence gi : byGroup) {
                GroupPrediction p = gi.prediction();
                csv.row(groups.name(gi.group()), groups.size(gi.group()), p.mean(degree), p.change(degree),
                        p.standardError(degree), p.estimatorDescription(degree));
            }
            csv.write(out.resolve("influence.csv"));
            r.put("out", out.resolve("influence.csv").toString());
        }
        if (json.json) {
            printJson(r);
            return 0;
        }
        PrintWriter o = out();
        o.printf(Locale.ROOT, "measurement: %s, f(0) = %.6f; leave one group out (G = %d) at degree %d from %d sketches,"
                + " %s%n", m.description(), table.f0(), groups.count(), degree, table.sketches(), used);
        BranchReport.print(o, branch, 1.0, "deleting one group");
        o.printf(Locale.ROOT, "  %-4s %-18s %6s %14s %12s%n", "rank", "group", "size", "change", "std.error");
        for (int t = 0; t < shown; t++) {
            GroupedEstimator.GroupInfluence gi = ranked.get(t);
            o.printf(Locale.ROOT, "  %-4d %-18s %6d %+14.6f %12.3g%n", t + 1, groups.name(gi.group()), groups.size(gi.group()),
                    gi.prediction().change(degree), gi.prediction().standardError(degree));
        }
        if (out != null) o.printf("wrote %s%n", out.resolve("influence.csv"));
        return 0;
    }

    /** --exact: the backward sweep, the top names at a higher degree, the table and the CSV. */
    private int exactInfluence() throws Exception {
        if (byGroups) throw new UsageException("--groups goes with grouped sketches, not with --exact");
        if (sketches != null) throw new UsageException("--sketches goes with sketches, not with --exact");
        int d = degree("--degree", degreeOption == null ? 3 : degreeOption);
        Setup setup;
        if (sketch != null) {
            if (steps != null || data.data != null || data.docs != null || data.init != null) {
                throw new UsageException("--sketch gives the training run: --steps, --data, --docs and --init go"
                        + " without it");
            }
            setup = Setup.fromSketch(sketch, "--sketch", data.choice());
        } else {
            setup = Setup.resolve(data, steps);
        }
        Measures.Measure m = Measures.parse(measure.spec, setup);
        ExactInfluenceReport report = ExactInfluenceReport.run(setup, m, Experiments.memoryBudget(memory), top, d,
                threads(threads.threads), err());
        ObjectNode r = report.json(setup, null);
        r.put("command", "influence");
        r.put("measure", m.spec());
        if (out != null) {
            report.writeCsv(setup, out.resolve("influence.csv"));
            r.put("out", out.resolve("influence.csv").toString());
        }
        if (json.json) {
            printJson(r);
            return 0;
        }
        PrintWriter o = out();
        o.printf(Locale.ROOT, "measurement: %s, f(0) = %.6f; exact first-order leave-one-out for all %d %s%n",
                m.description(), report.f0(), setup.n(), setup.nouns());
        o.printf("  %s%n", report.summary());
        report.printWarnings(o);
        if (d > 1 && top > 0) {
            o.printf(Locale.ROOT, "  the top %d also deleted alone along their exact directions, degree %d (%.1f s)%n",
                    report.top().length, d, report.curveSeconds());
        }
        report.print(o, setup, null);
        if (out != null) o.printf("wrote %s%n", out.resolve("influence.csv"));
        return 0;
    }

    static void printInfluence(PrintWriter o, Setup setup, List<LeaveOneOut.Influence> list) {
        o.printf(Locale.ROOT, "  %-4s %-6s %-18s %14s %12s%n", "rank", setup.indexHeading(), setup.noun(), "change",
                "std.error");
        int rank = 1;
        for (LeaveOneOut.Influence inf : list) {
            o.printf(Locale.ROOT, "  %-4d %-6d %-18s %+14.6f %12.6f%n", rank++, inf.index(), setup.names.get(inf.index()),
                    inf.change(), inf.standardError());
        }
    }

    static ArrayNode influenceJson(Setup setup, List<LeaveOneOut.Influence> list) {
        ArrayNode a = Json.array();
        for (LeaveOneOut.Influence inf : list) {
            ObjectNode o = a.addObject();
            o.put("index", inf.index());
            o.put("name", setup.names.get(inf.index()));
            Json.put(o, "change", inf.change());
            Json.put(o, "standardError", inf.standardError());
        }
        return a;
    }
}
