package org.jetsketch.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.jetsketch.predict.BranchBounds;
import org.jetsketch.predict.CoefficientTable;
import org.jetsketch.predict.DeletionPrediction;
import org.jetsketch.predict.DeletionPredictor;
import org.jetsketch.predict.GroupLeastSquares;
import org.jetsketch.predict.GroupPrediction;
import org.jetsketch.predict.Prediction;
import org.jetsketch.sketch.Groups;
import org.jetsketch.sketch.BranchSwitch;
import org.jetsketch.sketch.SketchStore;
import org.jetsketch.sketch.SketchStoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "predict", mixinStandardHelpOptions = true,
        header = "Predict the measurement after deleting D, from the sketches.", sortOptions = false,
        description = {"Predicts the measurement after deleting D (weights t·1_D) from the sketches: "
            + "degree 1..k estimates with standard errors and medians of means. The degree-1 row is the exact first "
            + "order f(0) + t·Σ_{i∈D} ∂f/∂w_i from one backward sweep through training (a few trainings' time; "
            + "--no-exact-first-order skips it), with the sketch's degree-1 estimate beside it."})
final class PredictCommand extends BaseCommand {

    @Option(names = "--sketch", paramLabel = "DIR", defaultValue = "out/sketch",
            description = "Sketch directory (from 'sketch'). Default: ${DEFAULT-VALUE}.")
    Path sketch;

    @Mixin Options.Measure measure;
    @Mixin Options.Deletion deletion;

    @Option(names = "--t", paramLabel = "LIST", defaultValue = "1",
            description = "Weights t·1_D to predict at: a list (0.5,1) or a range a:step:b. Default: ${DEFAULT-VALUE}.")
    String t;

    @Option(names = "--sketches", paramLabel = "M", description = "Use only the first M sketches. Default: all.")
    Integer sketches;

    @Option(names = "--delete-groups", paramLabel = "LIST",
            description = "With grouped sketches: delete the examples of these groups (comma-separated group names),"
                    + " e.g. x,q with --group-by first-letter.")
    String deleteGroups;

    @Option(names = "--spark", paramLabel = "MASTER",
            description = "Build the coefficient table on Apache Spark (local[N], spark://host:7077, ...): the same"
                    + " numbers; --sketch must be on a file system every executor shares.")
    String spark;
    @Option(names = "--no-exact-first-order", negatable = false,
            description = "Do not run the backward sweep: the degree-1 row is then the sketch's estimate.")
    boolean noExactFirstOrder;

    @Option(names = "--memory", paramLabel = "MIB", description = "The memory budget of the exact first order's"
            + " backward sweep (see 'influence --exact'). Default: 64.")
    Integer memory;

    @Mixin Options.SkipCorrupt skip;
    @Mixin Options.Threads threads;
    @Mixin Options.JsonOutput json;
    @Mixin Options.StudyChoice studyChoice;

    /** The name of the exact first-order estimator in the JSON. */
    static final String EXACT_FIRST_ORDER = "exact first order (reverse)";

    /**
     * The sum of ∂f/∂w_i over D, or NaN when the sweep is skipped or does not fit the memory budget
     * (then a warning says so and the sketches answer degree 1: the exact row is an addition, it
     * never stops a prediction).
     */
    private double firstOrderSlope(Setup setup, Measures.Measure m, int[] d) {
        if (noExactFirstOrder) return Double.NaN;
        org.jetsketch.train.ExactInfluence.Influence influence;
        try {
            influence = Experiments.exactInfluence(setup, m, Experiments.memoryBudget(memory));
        } catch (CliException e) {
            err().printf("warning: no exact first order: %s; degree 1 is the sketches' estimate%n", e.getMessage());
            return Double.NaN;
        }
        return influence.firstOrder(0, d) - influence.values()[0];
    }

    @Override
    int execute() throws Exception {
        double[] ts = Experiments.parseTs(t, err());
        int th = threads(threads.threads);
        Setup setup = Setup.fromSketch(sketch, "--sketch", studyChoice);
        Experiments.Opened opened = Experiments.openSketches(sketch, setup, skip.skipCorrupt, err());
        SketchStore store = opened.store();
        Measures.Measure m = Measures.parse(measure.spec, setup);
        Groups groups = store.header().groups();
        Deletions.Deletion d = groups == null ? perExampleDeletion(setup) : groupedDeletion(setup, groups);
        CoefficientTable table = spark != null ? Experiments.tableOnSpark(store, setup, m, sketches, spark)
                : Experiments.table(store, m, th, sketches, setup);
        DeletionPredictor predictor;
        try {
            predictor = DeletionPredictor.of(table, groups, d.indices());
        } catch (IllegalArgumentException e) {
            throw new CliException("deletion set " + d.description() + ": " + e.getMessage(), e);
        }
        GroupLeastSquares system = predictor.leastSquaresSystem();
        ObjectNode r = resultJson(table, m);
        storeJson(r, opened);
        ObjectNode dj = deletionJson(setup, d);
        if (predictor.grouped()) {
            r.put("groups", groups.count());
            ArrayNode gj = dj.putArray("groups");
            for (int g : predictor.groupSet()) gj.add(groups.name(g));
        }
        r.set("deletion", dj);
        BranchSwitch branch = BranchBounds.alongDeletion(BranchBounds.radius(store, table),
                predictor.deletedCoordinates());
        r.set("branchSwitch", BranchReport.json(branch, BranchReport.reach(ts, false)));
        if (system != null) r.set("leastSquares", leastSquaresJson(system, table.degree()));
        double slope = firstOrderSlope(setup, m, d.indices());
        DeletionPrediction[] ps = new DeletionPrediction[ts.length];
        ArrayNode at = r.putArray("predictions");
        for (int q = 0; q < ts.length; q++) {
            ps[q] = predictor.at(ts[q]);
            ObjectNode o = at.addObject();
            Json.put(o, "t", ts[q]);
            double exact = Double.isNaN(slope) ? Double.NaN : table.f0() + ts[q] * slope;
            o.set("degrees", degreesJson(o, ps[q], setup.n(), exact));
        }
        if (json.json) {
            printJson(r);
            return 0;
        }
        PrintWriter o = out();
        header(o, setup, opened, table, m, d);
        if (predictor.grouped()) {
            StringBuilder names = new StringBuilder();
            for (int g : predictor.groupSet()) {
                names.append(names.length() == 0 ? "" : ", ").append(Text.inline(groups.name(g)));
            }
            o.printf(Locale.ROOT, "groups deleted: %s (of G = %d)%n", names, groups.count());
        }
        BranchReport.print(o, branch, BranchReport.reach(ts, false), "");
        if (system != null) printLeastSquares(o, system, table.degree());
        for (int q = 0; q < ts.length; q++) {
            o.printf(Locale.ROOT, "%nprediction at w = %s·1_D:%n", fmt(ts[q]));
            printPrediction(o, ps[q], setup.n(), Double.isNaN(slope) ? Double.NaN : table.f0() + ts[q] * slope);
        }
        return 0;
    }

    /**
     * Makes a degree-1 entry the exact first order {@code value}: the sketch's estimate moves to
     * {@code sketchMean} and {@code sketchStandardError}.
     */
    static void exactFirstOrderJson(ObjectNode degree1, double value) {
        ObjectNode sketchPart = degree1.deepCopy();
        degree1.removeAll();
        degree1.put("degree", 1);
        degree1.put("estimator", EXACT_FIRST_ORDER);
        Json.put(degree1, "mean", value);
        Json.put(degree1, "standardError", 0.0);
        Json.put(degree1, "change", value - (sketchPart.get("mean").asDouble() - sketchPart.get("change").asDouble()));
        degree1.set("sketchMean", sketchPart.get("mean"));
        degree1.set("sketchStandardError", sketchPart.get("standardError"));
        if (sketchPart.has("standardErrorUnavailable")) {
            degree1.set("sketchStandardErrorUnavailable", sketchPart.get("standardErrorUnavailable"));
        }
    }

    /** D for per-example sketches: --delete-groups is refused (there are no groups). */
    private Deletions.Deletion perExampleDeletion(Setup setup) {
        if (deleteGroups != null) {
            throw new CliException("--delete-groups: the sketches in " + sketch + " are per-example (made without"
                    + " 'sketch --group-by', or with a grouping in which every group holds one training "
                    + setup.noun() + ");"
                    + " delete with --delete-indices, --delete-containing or --delete-file");
        }
        return Deletions.resolve(deletion, setup, null);
    }

    /**
     * D for grouped sketches: the union of --delete-groups and the other deletion options, checked
     * here (before the table is built) to be a union of whole groups.
     */
    private Deletions.Deletion groupedDeletion(Setup setup, Groups groups) {
        TreeSet<Integer> union = new TreeSet<>();
        List<String> parts = new ArrayList<>();
        if (deleteGroups != null) {
            int[] ids = GroupBy.parseGroupList(deleteGroups, groups, "--delete-groups");
            for (int i : groups.examplesOf(ids)) union.add(i);
            parts.add("groups " + Text.inline(deleteGroups));
        }
        if (deletion.given()) {
            Deletions.Deletion extra = Deletions.resolve(deletion, setup, null);
            for (int i : extra.indices()) union.add(i);
            parts.add(extra.description());
        }
        if (parts.isEmpty()) {
            throw new CliException("no deletion set: give --delete-groups LIST (or --delete-containing STR, --delete-indices"
                    + " LIST, --delete-file FILE that select whole groups)");
        }
        Deletions.Deletion d = new Deletions.Deletion(union.stream().mapToInt(Integer::intValue).toArray(),
                String.join(" + ", parts));
        try {
            groups.groupsOf(d.indices());
        } catch (IllegalArgumentException e) {
            throw new CliException("deletion set " + d.description() + ": " + e.getMessage(), e);
        }
        return d;
    }

    /** Per degree of a grouped table: solved by least squares (unknowns, condition number) or why not. */
    private static ArrayNode leastSquaresJson(GroupLeastSquares system, int degree) {
        ArrayNode lsj = Json.array();
        for (int deg = 1; deg <= degree; deg++) {
            ObjectNode o = lsj.addObject();
            o.put("degree", deg);
            o.put("unknowns", system.unknownsAt(deg));
            o.put("solved", system.solves(deg));
            if (system.solves(deg)) Json.put(o, "conditionNumber", system.conditionNumber(deg));
            else o.put("reason", system.reason(deg));
        }
        return lsj;
    }

    private static void printLeastSquares(PrintWriter o, GroupLeastSquares system, int degree) {
        for (int deg = 1; deg <= degree; deg++) {
            o.printf(Locale.ROOT, "  degree %d: %s%n", deg, system.solves(deg)
                    ? String.format(Locale.ROOT, "least squares, N = %d unknowns, condition number %.3g",
                            system.unknownsAt(deg), system.conditionNumber(deg))
                    : "unbiased estimator (" + system.reason(deg) + ")");
        }
    }

    /**
     * The degrees of one prediction for the JSON, with a finite {@code exactFirstOrder}: per
     * example it becomes the degree-1 entry (the sketch's estimate beside it), grouped it is the
     * prediction's {@code exactFirstOrder} field in {@code at}.
     */
    static ArrayNode degreesJson(ObjectNode at, DeletionPrediction p, int n, double exactFirstOrder) {
        if (p instanceof Prediction perExample) {
            ArrayNode degrees = predictionJson(perExample, n);
            if (!Double.isNaN(exactFirstOrder)) exactFirstOrderJson((ObjectNode) degrees.get(0), exactFirstOrder);
            return degrees;
        }
        GroupPrediction g = (GroupPrediction) p;
        if (!Double.isNaN(exactFirstOrder)) Json.put(at, "exactFirstOrder", exactFirstOrder);
        ArrayNode degrees = Json.array();
        for (int deg = 1; deg <= g.degree(); deg++) {
            ObjectNode x = degrees.addObject();
            x.put("degree", deg);
            x.put("estimator", g.estimatorDescription(deg));
            Json.put(x, "mean", g.mean(deg));
            Json.put(x, "standardError", g.standardError(deg));
            Json.put(x, "change", g.change(deg));
            Json.put(x, "unbiasedMean", g.unbiased().mean(deg));
            Json.put(x, "unbiasedStandardError", g.unbiased().standardError(deg));
        }
        return degrees;
    }

    /** The fields every predict result starts with. */
    private ObjectNode resultJson(CoefficientTable table, Measures.Measure m) {
        ObjectNode r = Json.object();
        r.put("command", "predict");
        r.put("sketch", sketch.toString());
        r.put("sketches", table.sketches());
        r.put("degree", table.degree());
        r.put("measure", m.spec());
        Json.put(r, "f0", table.f0());
        return r;
    }

    static void header(PrintWriter o, Setup setup, Experiments.Opened opened, CoefficientTable table,
            Measures.Measure m, Deletions.Deletion d) {
        o.printf(Locale.ROOT, "sketches: %s (m = %d of %d, degree %d, %s)%n",
                opened.store().directory(), table.sketches(), Math.max(opened.expected(), opened.store().count()),
                table.degree(), setup.isMicroGpt() ? "n = " + setup.size() : setup.size());
        if (opened.missing().length > 0 || !opened.skipped().isEmpty()) {
            o.printf(Locale.ROOT, "  not used: %d missing, %d damaged (see the warning on stderr)%n",
                    opened.missing().length, opened.skipped().size());
        }
        o.printf(Locale.ROOT, "measurement: %s%n", m.description());
        printDeletion(o, setup, d);
        o.printf(Locale.ROOT, "ordinary value f(0) = %.6f%n", table.f0());
    }

    static void printDeletion(PrintWriter o, Setup setup, Deletions.Deletion d) {
        o.printf(Locale.ROOT, "deletion set D: %s, |D| = %d%n", d.description(), d.size());
        StringBuilder sb = new StringBuilder();
        int shown = Math.min(d.size(), 12);
        for (int i = 0; i < shown; i++) {
            int idx = d.indices()[i];
            sb.append(i == 0 ? "" : ", ").append(idx).append(':').append(setup.names.get(idx));
        }
        if (d.size() > shown) sb.append(", ... (").append(d.size() - shown).append(" more)");
        o.printf("  %s%n", sb);
    }

    /**
     * Why the standard error of {@code p} cannot be estimated, or null: it is the spread over the
     * m sketches' estimates, so it needs m >= 2, and with n = 1 training example every direction
     * gives the same estimate (spread 0 whatever the error).
     */
    static String standardErrorProblem(Prediction p, int n) {
        if (p.sketches() < 2) return "cannot be estimated from m = " + p.sketches() + " sketch (it needs at least 2)";
        if (n < 2) {
            return "cannot be estimated with n = 1 training example: every direction gives the same estimate, so the"
                    + " spread over sketches is 0 whatever the error";
        }
        boolean allZero = p.degree() >= 1;
        for (int d = 1; d <= p.degree(); d++) allZero &= p.standardError(d) == 0;
        if (allZero) return "cannot be estimated: all " + p.sketches() + " sketches give the same estimate (spread 0)";
        return null;
    }

    /** A standard error for the terminal: the number, or n/a. */
    static String seText(Prediction p, int d, int n) {
        return standardErrorProblem(p, n) != null ? "n/a" : String.format(Locale.ROOT, "%.6f", p.standardError(d));
    }

    /**
     * The prediction's rows; a finite {@code exactFirstOrder} comes first as the exact degree-1
     * value. Per example the last column is the median of means; grouped, the unbiased estimator
     * alone and which estimator answered.
     */
    static void printPrediction(PrintWriter o, DeletionPrediction p, int n, double exactFirstOrder) {
        boolean perExample = p instanceof Prediction;
        if (perExample) {
            o.printf(Locale.ROOT, "  %-6s %12s %12s %12s %14s%n", "degree", "prediction", "std.error", "change",
                    "median-of-means");
        } else {
            o.printf(Locale.ROOT, "  %-6s %12s %12s %12s %14s   %s%n", "degree", "prediction", "std.error", "change",
                    "unbiased alone", "estimator");
        }
        if (!Double.isNaN(exactFirstOrder)) {
            o.printf(Locale.ROOT, "  %-6s %12.6f %12s %+12.6f %14s   %s%n", "1", exactFirstOrder, "exact",
                    exactFirstOrder - p.f0(), "", EXACT_FIRST_ORDER);
        }
        for (int d = 1; d <= p.degree(); d++) {
            if (p instanceof Prediction e) {
                o.printf(Locale.ROOT, "  %-6d %12.6f %12s %+12.6f %14.6f%s%n", d, e.mean(d), seText(e, d, n),
                        e.change(d), e.medianOfMeans(d), Double.isNaN(exactFirstOrder) ? "" : "   sketches");
            } else {
                GroupPrediction g = (GroupPrediction) p;
                o.printf(Locale.ROOT, "  %-6d %12.6f %12.3g %+12.6f %14.6f   %s%n", d, g.mean(d), g.standardError(d),
                        g.change(d), g.unbiased().mean(d),
                        g.estimatorDescription(d).replace("degree R", "degree " + g.leastSquaresDegree()));
            }
        }
        if (perExample) {
            String problem = standardErrorProblem((Prediction) p, n);
            if (problem != null) o.printf("  std.error n/a: %s%n", problem);
        }
    }

    static ArrayNode predictionJson(Prediction p, int n) {
        ArrayNode a = Json.array();
        String problem = standardErrorProblem(p, n);
        for (int d = 1; d <= p.degree(); d++) {
            ObjectNode o = a.addObject();
            o.put("degree", d);
            Json.put(o, "mean", p.mean(d));
            if (problem == null) {
                Json.put(o, "standardError", p.standardError(d));
            } else {
                o.putNull("standardError");
                o.put("standardErrorUnavailable", problem);
            }
            Json.put(o, "change", p.change(d));
            Json.put(o, "medianOfMeans", p.medianOfMeans(d));
        }
        return a;
    }

    /** The sketches expected, missing and skipped as damaged. */
    static void storeJson(ObjectNode r, Experiments.Opened opened) {
        r.put("sketchesExpected", Math.max(opened.expected(), opened.store().count()));
        ArrayNode missing = r.putArray("missingSketches");
        for (int j : opened.missing()) missing.add(j);
        ArrayNode skipped = r.putArray("skippedCorruptSketches");
        opened.skipped().forEach((j, e) -> {
            ObjectNode x = skipped.addObject();
            x.put("index", j);
            x.put("file", e.file().getFileName().toString());
            x.put("problem", e.section() + ": " + e.problem());
        });
    }

    static ObjectNode deletionJson(Setup setup, Deletions.Deletion d) {
        ObjectNode o = Json.object();
        o.put("description", d.description());
        o.put("size", d.size());
        ArrayNode idx = o.putArray("indices");
        ArrayNode names = o.putArray("names");
        for (int i : d.indices()) {
            idx.add(i);
            names.add(setup.names.get(i));
        }
        return o;
    }

    static String fmt(double v) {
        String s = String.format(Locale.ROOT, "%.6f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
