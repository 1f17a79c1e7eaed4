package org.jetsketch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jetsketch.predict.CoefficientTable;
import org.jetsketch.predict.Validation;
import org.jetsketch.sketch.Groups;
import org.jetsketch.sketch.SketchStore;
import org.jetsketch.sketch.SketchStoreException;
import org.jetsketch.study.DeletionValidation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "validate", mixinStandardHelpOptions = true,
        header = "Predictions against retraining over several deletion sets.", sortOptions = false,
        description = {"Predictions against retraining over several deletion sets: D = the training names "
            + "containing each of --letters, --random sets of --size random names, and the set given by the "
            + "deletion options. Reports, per degree, the mean absolute error, the fraction of retrained "
            + "values within 1 and 2 standard errors, and the Pearson and Spearman correlations."})
final class ValidateCommand extends BaseCommand {

    @Option(names = "--sketch", paramLabel = "DIR", defaultValue = "out/sketch",
            description = "Sketch directory (from 'sketch'). Default: ${DEFAULT-VALUE}.")
    Path sketch;

    @Mixin Options.Measure measure;
    @Mixin Options.Deletion deletion;

    @Option(names = "--letters", paramLabel = "CHARS",
            description = "One deletion set per character: the names containing it (empty sets skipped)."
                    + " Default: xzqjvwfp for microgpt (none for other studies), or none with --group-sets; '' for none.")
    String letters;

    @Option(names = "--group-sketch", paramLabel = "DIR",
            description = "Grouped sketches of the same run (from 'sketch --group-by'): compared with the"
                    + " per-example ones at equal m, with both estimators (unbiased and least squares)."
                    + " Every deletion set must then be a union of groups.")
    Path groupSketch;


    @Option(names = "--group-sets", paramLabel = "LIST",
            description = "One deletion set per named group (comma-separated group names, or 'all'):"
                    + " e.g. with --group-by first-letter, x,q,z are the names beginning with x, q and z.")
    String groupSets;

    @Option(names = "--exact", description = "Also the exact-direction curves of every set, all in batched jet"
            + " passes sharing the real part (--per-pass sets per pass), at t = 1 against retraining.")
    boolean exact;

    @Option(names = "--per-pass", paramLabel = "B", description = "With --exact: deletion sets per jet pass."
            + " Default: all in one pass.")
    Integer perPass;

    @Option(names = "--random", paramLabel = "N", defaultValue = "0",
            description = "Also N random deletion sets. Default: ${DEFAULT-VALUE}.")
    int random;

    @Option(names = "--size", paramLabel = "S", defaultValue = "10",
            description = "Size of each random deletion set. Default: ${DEFAULT-VALUE}.")
    int size;

    @Option(names = "--sketches", paramLabel = "LIST", description = "Use only the first M sketches; a list"
            + " (48,500) compares at each M. Default: all.")
    String sketches;

    @Option(names = "--out", paramLabel = "DIR", description = "Write validate.csv here.")
    Path out;

    @Mixin Options.SkipCorrupt skip;
    @Mixin Options.Threads threads;
    @Mixin Options.JsonOutput json;
    @Mixin Options.StudyChoice studyChoice;

    /**
     * One estimator's predictions over the sets at one m (or the exact curves), at degrees
     * 1..{@code degrees} (the exact first order has only degree 1).
     */

    @Option(names = "--leave-one-out", description = "Instead of deletion sets: every training name (or --names of"
            + " them) deleted alone and retrained, against the exact first order (reverse mode through training), the"
            + " per-example sketches at each --sketches m, and the exact-direction curves at degrees 1..k for"
            + " --exact-subset of the names.")
    boolean leaveOneOut;

    @Option(names = "--names", paramLabel = "N", description = "With --leave-one-out: how many names (a random"
            + " sample drawn with the run's seed). Default: all.")
    Integer names;

    @Option(names = "--exact-subset", paramLabel = "M", defaultValue = "100", description = "With --leave-one-out:"
            + " how many of the names also get exact-direction curves (one jet training each, batched)."
            + " Default: ${DEFAULT-VALUE}.")
    int exactSubset;

    @Option(names = "--exact-degree", paramLabel = "K", defaultValue = "3", description = "With --leave-one-out: the"
            + " highest degree of the exact-direction curves of the subset. Default: ${DEFAULT-VALUE}.")
    int exactDegree;

    @Option(names = "--memory", paramLabel = "MIB", description = "The memory budget of the exact first-order row's"
            + " backward sweep through training (see 'influence --exact'). Default: 64.")
    Integer memory;

    @Override
    int execute() throws Exception {
        checkOutput("--out", out);
        threads(threads.threads);
        Setup setup = Setup.fromSketch(sketch, "--sketch", studyChoice);
        Experiments.Opened opened = Experiments.openSketches(sketch, setup, skip.skipCorrupt, err());
        SketchStore store = opened.store();
        Measures.Measure m = Measures.parse(measure.spec, setup);
        if (leaveOneOut) {
            if (store.header().groups() != null || groupSketch != null || groupSets != null || deletion.given()) {
                throw new UsageException("--leave-one-out takes per-example sketches and no deletion sets or groups");
            }
            int[] counts = sketchCounts(store, null);
            PrintWriter text = json.json ? new PrintWriter(java.io.Writer.nullWriter()) : out();
            return LeaveOneOutValidation.run(text, err(), setup, store, m, counts,
                    names == null ? setup.n() : names, exactSubset, degree("--exact-degree", exactDegree),
                    Experiments.memoryBudget(memory), threads(threads.threads), out, json.json, this::printJson,
                    commandLineText());
        }
        if (names != null) throw new UsageException("--names goes with --leave-one-out");
        if (random < 0) throw new UsageException("--random must be >= 0, got " + random);
        if (random > 0 && (size < 1 || size > setup.n())) {
            throw new CliException("--size must be in 1.." + setup.n() + ", got " + size);
        }
        Groups groups = null;
        SketchStore grouped = null;
        boolean perExample = store.header().groups() == null;
        if (!perExample) {
            if (groupSketch != null) {
                throw new CliException("--sketch " + sketch + " holds grouped sketches; give per-example sketches as"
                        + " --sketch and grouped ones as --group-sketch (or grouped ones alone as --sketch)");
            }
            grouped = store;
            groups = store.header().groups();
        } else if (groupSketch != null) {
            Setup other = Setup.fromSketch(groupSketch, "--group-sketch", studyChoice);
            String difference = setup.differenceFrom(other);
            if (difference != null) {
                throw new CliException("--group-sketch " + groupSketch + " holds sketches of another training run than"
                        + " --sketch " + sketch + " (" + difference + ")");
            }
            grouped = Experiments.openSketches(groupSketch, setup, skip.skipCorrupt, err()).store();
            groups = grouped.header().groups();
            if (groups == null) {
                throw new CliException("--group-sketch " + groupSketch + " holds per-example sketches (made without"
                        + " 'sketch --group-by')");
            }
        } else if (groupSets != null) {
            throw new CliException("--group-sets needs --group-sketch DIR");
        }
        List<Deletions.Deletion> sets = new ArrayList<>();
        if (deletion.given()) sets.add(Deletions.resolve(deletion, setup, null));
        String chars = letters != null ? letters : groupSets != null || !setup.isMicroGpt() ? "" : "xzqjvwfp";
        List<DeletionValidation.LabeledSet> drawn = new ArrayList<>(DeletionValidation.containing(setup.names, chars));
        drawn.addAll(DeletionValidation.randomSets(setup.n(), random, size, setup.seed));
        for (DeletionValidation.LabeledSet d : drawn) sets.add(new Deletions.Deletion(d.indices(), d.label()));
        if (groupSets != null) {
            for (int g : GroupBy.parseGroupList(groupSets, groups, "--group-sets")) {
                sets.add(new Deletions.Deletion(groups.members(g), "group '" + groups.name(g) + "'"));
            }
        }
        if (sets.isEmpty()) {
            throw new CliException("no deletion sets: none of --letters occurs in the training names and no"
                    + " --random, --group-sets or deletion option was given");
        }
        int[] ms = sketchCounts(store, grouped);
        if (store.count() == 0) throw new CliException("the sketch directory " + store.directory() + " holds no sketches yet");
        int t = threads(threads.threads);
        List<int[]> indices = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (Deletions.Deletion d : sets) {
            indices.add(d.indices());
            labels.add(d.description());
        }
        DeletionValidation.Request request = new DeletionValidation.Request(m.bound(), indices, labels,
                perExample ? store : null, grouped, groups, ms, exact,
                exact && perPass != null ? positive("--per-pass", perPass) : sets.size(), Experiments.memoryBudget(memory), t);
        DeletionValidation.Result result;
        try {
            result = DeletionValidation.run(setup.runs, request, Progress.bars(err()));
        } catch (SketchStoreException e) {
            throw Experiments.damaged(e, e.file() != null && e.file().getParent() != null ? e.file().getParent()
                    : store.directory(), setup);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage() + (e.getMessage().startsWith("deletion set ")
                    ? " (use --group-sets, or --letters '' to drop the letter sets)" : ""), e);
        }
        double[] retrained = result.retrained();
        List<DeletionValidation.Method> methods = result.methods();
        Validation[][] summary = result.summary();
        CoefficientTable table = result.table();
        int k = result.degree();
        int groupCount = groups == null ? 0 : groups.count();
        List<String> lsNotes = result.leastSquaresNotes();
        double exactSeconds = result.exactSeconds();
        DeletionValidation.Method first = methods.get(!perExample || methods.size() == 1 || ms.length == 1 ? 0
                : (groups == null ? ms.length - 1 : 3 * (ms.length - 1)));

        ObjectNode r = Json.object();
        r.put("command", "validate");
        r.put("measure", m.spec());
        r.put("sketches", first.sketches() == 0 ? table.sketches() : first.sketches());
        r.put("degree", k);
        Json.put(r, "f0", table.f0());
        ArrayNode cases = r.putArray("cases");
        for (int q = 0; q < sets.size(); q++) {
            ObjectNode c = cases.addObject();
            c.put("label", sets.get(q).description());
            c.put("size", sets.get(q).size());
            Json.put(c, "retrained", retrained[q]);
            c.set("predictions", degreesJson(first.mean()[q], first.se()[q], k));
        }
        r.set("summary", summaryJson(summary[methods.indexOf(first)], k));
        if (methods.size() > 1) {
            ArrayNode comparison = r.putArray("comparison");
            for (int x = 0; x < methods.size(); x++) {
                DeletionValidation.Method me = methods.get(x);
                ObjectNode o = comparison.addObject();
                o.put("method", me.name());
                if (me.sketches() > 0) o.put("sketches", me.sketches());
                o.put("cost", me.cost());
                ArrayNode est = o.putArray("estimator");
                for (int deg = 1; deg <= Math.min(k, me.degrees()); deg++) est.add(me.estimator()[deg]);
                o.set("summary", summaryJson(summary[x], Math.min(k, me.degrees())));
                ArrayNode per = o.putArray("cases");
                for (int q = 0; q < sets.size(); q++) {
                    per.add(degreesJson(me.mean()[q], me.se()[q], Math.min(k, me.degrees())));
                }
            }
            if (groups != null) {
                r.put("groups", groupCount);
                r.set("varianceRatio", varianceRatioJson(methods, ms, setup.n(), groupCount, k));
                ArrayNode notes = r.putArray("leastSquares");
                lsNotes.forEach(notes::add);
            }
            if (exact) Json.put(r, "exactSeconds", exactSeconds);
        }
        if (out != null) {
            List<String> header = new ArrayList<>(List.of("method", "sketches", "label", "size", "f0", "retrained"));
            for (int deg = 1; deg <= k; deg++) {
                header.add("degree_" + deg);
                header.add("se_" + deg);
            }
            Csv csv = new Csv(header);
            for (DeletionValidation.Method me : methods) {
                for (int q = 0; q < sets.size(); q++) {
                    Object[] row = new Object[6 + 2 * k];
                    row[0] = me.name();
                    row[1] = me.sketches();
                    row[2] = sets.get(q).description();
                    row[3] = sets.get(q).size();
                    row[4] = table.f0();
                    row[5] = retrained[q];
                    for (int deg = 1; deg <= k; deg++) {
                        row[4 + 2 * deg] = me.mean()[q][deg];
                        row[5 + 2 * deg] = me.se()[q][deg];
                    }
                    csv.row(row);
                }
            }
            csv.write(out.resolve("validate.csv"));
            r.put("out", out.resolve("validate.csv").toString());
            htmlReport(m, table.f0(), k, sets, retrained, methods, summary, first).write(out.resolve("validate.html"));
            r.put("report", out.resolve("validate.html").toString());
        }
        if (json.json) {
            printJson(r);
            return 0;
        }
        PrintWriter o = out();
        o.printf(Locale.ROOT, "measurement: %s, f(0) = %.6f; sketches of degree %d; %d deletion sets%n",
                m.description(), table.f0(), k, sets.size());
        o.printf(Locale.ROOT, "  %-22s %5s %12s %24s%n", "deletion set", "|D|", "retrained",
                "degree-" + k + " prediction (" + first.name() + (first.sketches() > 0 ? ", m = " + first.sketches() : "")
                        + ")");
        for (int q = 0; q < sets.size(); q++) {
            o.printf(Locale.ROOT, "  %-22s %5d %12.6f %13.6f ± %.6f%n", sets.get(q).description(), sets.get(q).size(),
                    retrained[q], first.mean()[q][k], first.se()[q][k]);
        }
        o.printf(Locale.ROOT, "  %-24s %5s %-6s %12s %9s %9s %9s %9s  %s%n", "method", "m", "degree", "mean |err|",
                "within1SE", "within2SE", "pearson", "spearman", "estimator");
        for (int x = 0; x < methods.size(); x++) {
            DeletionValidation.Method me = methods.get(x);
            for (int deg = 1; deg <= Math.min(k, me.degrees()); deg++) {
                Validation v = summary[x][deg];
                o.printf(Locale.ROOT, "  %-24s %5s %-6d %12.6f %9.2f %9.2f %9s %9s  %s%n", me.name(),
                        me.sketches() > 0 ? Integer.toString(me.sketches()) : "-", deg, v.meanAbsoluteError(),
                        v.fractionWithinOneSE(), v.fractionWithinTwoSE(), short3(v.pearson()), short3(v.spearman()),
                        me.estimator()[deg]);
            }
        }
        if (groups != null) {
            o.printf(Locale.ROOT, "grouping: G = %d groups of the n = %d training names%n", groupCount, setup.n());
            for (String note : lsNotes) o.printf("  least squares, %s%n", note);
            if (perExample) {
                o.printf(Locale.ROOT, "variance ratio per-example / grouped (unbiased), by degree: predicted"
                        + " C(n+d-1,d)/C(G+d-1,d) and measured (median over sets of SE^2 ratios)%n");
            }
            for (JsonNode row : varianceRatioJson(methods, ms, setup.n(), groupCount, k)) {
                o.printf(Locale.ROOT, "  m = %-5d degree %d: predicted %.4g, measured %.4g%n", row.get("sketches").asInt(),
                        row.get("degree").asInt(), row.get("predicted").asDouble(), row.path("measured").asDouble(Double.NaN));
            }
        }
        if (exact) {
            o.printf(Locale.ROOT, "exact curves: %d sets in %d batched pass(es), %.1f s%n", sets.size(),
                    (sets.size() + (perPass == null ? sets.size() : perPass) - 1) / (perPass == null ? sets.size() : perPass),
                    exactSeconds);
        }
        if (out != null) o.printf("wrote %s%n", out.resolve("validate.csv"));
        return 0;
    }

    /** validate.html: the summary per method and degree, then every deletion set against retraining. */
    private HtmlReport htmlReport(Measures.Measure m, double f0, int k, List<Deletions.Deletion> sets, double[] retrained,
            List<DeletionValidation.Method> methods, Validation[][] summary, DeletionValidation.Method first) {
        HtmlReport h = new HtmlReport("jetsketch validate: " + sets.size() + " deletion sets against retraining");
        h.command(commandLineText());
        h.paragraph(String.format(Locale.ROOT, "measurement: %s, f(0) = %.6f; sketches of degree %d.", m.description(),
                f0, k));
        h.heading("Every method against retraining");
        List<List<Object>> rows = new ArrayList<>();
        for (int x = 0; x < methods.size(); x++) {
            DeletionValidation.Method me = methods.get(x);
            for (int deg = 1; deg <= Math.min(k, me.degrees()); deg++) {
                Validation v = summary[x][deg];
                rows.add(List.of(me.name(), me.sketches() > 0 ? me.sketches() : "-", deg, v.meanAbsoluteError(),
                        v.fractionWithinOneSE(), v.fractionWithinTwoSE(), short3(v.pearson()), short3(v.spearman()),
                        me.estimator()[deg], me.cost()));
            }
        }
        h.table(List.of("method", "m", "degree", "mean |error|", "within 1 SE", "within 2 SE", "Pearson", "Spearman",
                "estimator", "cost"), rows);
        h.heading("The deletion sets (" + first.name() + (first.sketches() > 0 ? ", m = " + first.sketches() : "")
                + ", degree " + k + ")");
        List<List<Object>> cases = new ArrayList<>();
        for (int q = 0; q < sets.size(); q++) {
            cases.add(List.of(sets.get(q).description(), sets.get(q).size(), retrained[q], first.mean()[q][k],
                    first.se()[q][k]));
        }
        h.table(List.of("deletion set", "|D|", "retrained", "prediction", "standard error"), cases);
        return h;
    }

    /** The --sketches list (default: all the per-example store holds), each within both stores. */
    private int[] sketchCounts(SketchStore store, SketchStore grouped) {
        int available = grouped == null || grouped == store ? store.count() : Math.min(store.count(), grouped.count());
        if (sketches == null) return new int[] {available};
        List<Integer> out = new ArrayList<>();
        for (String token : sketches.split(",")) {
            int mm;
            try {
                mm = Integer.parseInt(token.strip());
            } catch (NumberFormatException e) {
                throw new CliException("--sketches " + sketches + ": \"" + token + "\" is not a number");
            }
            if (mm < 1 || mm > available) {
                throw new CliException("--sketches " + mm + ": the store" + (grouped == null ? " holds " : "s hold ")
                        + available + " sketches");
            }
            out.add(mm);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String short3(Validation.Correlation c) {
        return c.isAvailable() ? String.format(Locale.ROOT, "%.3f", c.value()) : "n/a";
    }

    private static ArrayNode degreesJson(double[] mean, double[] se, int k) {
        ArrayNode a = Json.array();
        for (int d = 1; d <= k; d++) {
            ObjectNode o = a.addObject();
            o.put("degree", d);
            Json.put(o, "mean", mean[d]);
            Json.put(o, "standardError", se[d]);
            Json.put(o, "change", mean[d] - mean[0]);
        }
        return a;
    }

    private static ArrayNode summaryJson(Validation[] perDegree, int k) {
        ArrayNode summary = Json.array();
        for (int deg = 1; deg <= k; deg++) {
            Validation v = perDegree[deg];
            ObjectNode s = summary.addObject();
            s.put("degree", deg);
            Json.put(s, "meanAbsoluteError", v.meanAbsoluteError());
            Json.put(s, "withinOneSE", v.fractionWithinOneSE());
            Json.put(s, "withinTwoSE", v.fractionWithinTwoSE());
            Json.put(s, "pearson", v.pearson().isAvailable() ? v.pearson().value() : Double.NaN);
            Json.put(s, "spearman", v.spearman().isAvailable() ? v.spearman().value() : Double.NaN);
        }
        return summary;
    }

    /**
     * Per m and degree d: the ratio of the per-example to the grouped unbiased estimator's variance
     * that the dimension factor of scheme §9 predicts, C(n+d−1, d) / C(G+d−1, d), and the measured
     * one, the median over sets of SE²(per-example) / SE²(grouped, unbiased) at degree d.
     */
    private static ArrayNode varianceRatioJson(List<DeletionValidation.Method> methods, int[] ms, int n, int g, int k) {
        ArrayNode a = Json.array();
        for (DeletionValidation.VarianceRatio v : DeletionValidation.varianceRatios(methods, ms, n, g, k)) {
            ObjectNode o = a.addObject();
            o.put("sketches", v.sketches());
            o.put("degree", v.degree());
            Json.put(o, "predicted", v.predicted());
            if (!Double.isNaN(v.measured())) Json.put(o, "measured", v.measured());
        }
        return a;
    }
}
