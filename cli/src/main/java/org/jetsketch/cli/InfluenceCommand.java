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
        header = "The most influential training names (leave-one-out), from the sketches.", sortOptions = false,
        description = {"Leave-one-out for every training name at once from the sketches: the names whose "
            + "deletion would change the measurement most. With --out, writes all n estimates (influence.csv)."})
final class InfluenceCommand extends BaseCommand {

    @Option(names = "--sketch", paramLabel = "DIR", defaultValue = "out/sketch",
            description = "Sketch directory (from 'sketch'). Default: ${DEFAULT-VALUE}.")
    Path sketch;

    @Mixin Options.Measure measure;

    @Option(names = "--degree", paramLabel = "D", defaultValue = "1",
            description = "Degree of the estimate (at most the sketches' k). Default: ${DEFAULT-VALUE}: deleting one"
                    + " name is nearly linear, and the higher-degree terms mostly add estimator variance.")
    int degree;

    @Option(names = "--top", paramLabel = "N", defaultValue = "10",
            description = "How many names to list. Default: ${DEFAULT-VALUE}.")
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
        Setup setup = Setup.fromSketch(sketch, "--sketch");
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
        if (top < 0) throw new UsageException("--top must be >= 0, got " + top);
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
        if (top < 0) throw new CliException("--top must be >= 0, got " + top);
        GroupedEstimator estimator = GroupedEstimator.of(table, groups);
        GroupPrediction[] p = new GroupPrediction[groups.count()];
        Integer[] order = new Integer[groups.count()];
        for (int g = 0; g < p.length; g++) {
            p[g] = estimator.predictGroups(new int[] {g});
            order[g] = g;
        }
        java.util.Arrays.sort(order, java.util.Comparator.<Integer>comparingDouble(g -> -Math.abs(p[g].change(degree)))
                .thenComparingInt(g -> g));
        String used = p[0].estimator(degree).description().replace("degree R", "degree " + p[0].leastSquaresDegree());
        ObjectNode r = Json.object();
        r.put("command", "influence");
        r.put("measure", m.spec());
        r.put("degree", degree);
        r.put("sketches", table.sketches());
        r.put("groups", groups.count());
        r.put("estimator", used);
        Json.put(r, "f0", table.f0());
        ArrayNode a = r.putArray("top");
        int shown = Math.min(top, order.length);
        for (int t = 0; t < shown; t++) {
            int g = order[t];
            ObjectNode o = a.addObject();
            o.put("group", groups.name(g));
            o.put("size", groups.size(g));
            Json.put(o, "change", p[g].change(degree));
            Json.put(o, "standardError", p[g].standardError(degree));
        }
        if (out != null) {
            Csv csv = new Csv(List.of("group", "size", "predicted", "change", "standard_error", "estimator"));
            for (int g = 0; g < p.length; g++) {
                csv.row(groups.name(g), groups.size(g), p[g].mean(degree), p[g].change(degree), p[g].standardError(degree),
                        p[g].estimator(degree).description());
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
        o.printf(Locale.ROOT, "  %-4s %-18s %6s %14s %12s%n", "rank", "group", "size", "change", "std.error");
        for (int t = 0; t < shown; t++) {
            int g = order[t];
            o.printf(Locale.ROOT, "  %-4d %-18s %6d %+14.6f %12.3g%n", t + 1, groups.name(g), groups.size(g),
                    p[g].change(degree), p[g].standardError(degree));
        }
        if (out != null) o.printf("wrote %s%n", out.resolve("influence.csv"));
        return 0;
    }

    static void printInfluence(PrintWriter o, Setup setup, List<LeaveOneOut.Influence> list) {
        o.printf(Locale.ROOT, "  %-4s %-6s %-18s %14s %12s%n", "rank", "step", "name", "change", "std.error");
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
