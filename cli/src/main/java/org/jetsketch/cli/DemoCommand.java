package org.jetsketch.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.Color;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jetsketch.predict.BranchBounds;
import org.jetsketch.predict.CoefficientTable;
import org.jetsketch.predict.Curve;
import org.jetsketch.predict.DeletionEstimator;
import org.jetsketch.predict.ExactDirectionCurve;
import org.jetsketch.predict.LeaveOneOut;
import org.jetsketch.predict.Prediction;
import org.jetsketch.sketch.BranchSwitch;
import org.jetsketch.sketch.SketchStore;
import org.jetsketch.study.ProblemRuns;
import org.knowm.xchart.XYChart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        header = "The main job in under 3 minutes: train, sketch, predict a deletion, compare with retraining.", sortOptions = false,
        description = {"The main job, end to end in under 3 minutes on 2 cores (about 1:35 measured): trains microgpt on 1000 names, "
            + "sketches it (" + DemoCommand.DIRECTIONS + " random directions at degree " + DemoCommand.DEGREE
                + "), and for D = the training names containing \"x\" and "
            + "the measurement \"loss on the name max\" shows the ordinary value, the degree-1..k predictions "
            + "with standard errors, the exact-direction curve (degree 6), the retrained truth and the ten most "
            + "influential training names (exact first-order leave-one-out changes by reverse mode through training, "
            + "beside their exact degree-3 values and the sketch estimates). Writes demo.png and demo.json under --out (sketches in "
            + "<out>/sketches, reused by a second run). "
            + "Defaults: --steps 1000 --directions " + DemoCommand.DIRECTIONS + " --degree " + DemoCommand.DEGREE
                + " --curve-degree 6 --t " + DemoCommand.TS + "."})
final class DemoCommand extends BaseCommand {

    static final int DIRECTIONS = 48;
    static final int DEGREE = 3;
    static final String TS = "0.25,0.5,0.75,1";

    @Option(names = "--steps", paramLabel = "N", description = "Training steps = training names. Default: 1000.")
    Integer steps;

    @Option(names = "--directions", paramLabel = "M", defaultValue = "" + DIRECTIONS,
            description = "Random directions of the sketch. Default: ${DEFAULT-VALUE}.")
    int directions;

    @Option(names = "--degree", paramLabel = "K", defaultValue = "" + DEGREE,
            description = "Degree of the sketch. Default: ${DEFAULT-VALUE}.")
    int degree;

    @Option(names = "--curve-degree", paramLabel = "K", defaultValue = "6",
            description = "Degree of the exact-direction curve. Default: ${DEFAULT-VALUE}.")
    int curveDegree;

    @Option(names = "--t", paramLabel = "LIST", defaultValue = TS,
            description = "Where to retrain (t = 0 is the ordinary model). Default: ${DEFAULT-VALUE}.")
    String t;

    @Mixin Options.Data data;
    @Mixin Options.Measure measure;
    @Mixin Options.Deletion deletion;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/demo",
            description = "Output directory. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--sketch", paramLabel = "DIR", description = "Sketch directory. Default: <out>/sketches.")
    Path sketch;

    @Option(names = "--influence-degree", paramLabel = "D", defaultValue = "1",
            description = "Degree of the sketch's leave-one-out estimates shown beside the exact ones."
                    + " Default: ${DEFAULT-VALUE}.")
    int influenceDegree;

    @Option(names = "--top", paramLabel = "N", defaultValue = "10",
            description = "Influential names to list. Default: ${DEFAULT-VALUE}.")
    int top;

    @Mixin Options.Threads threads;
    @Mixin Options.JsonOutput json;

    @Override
    int execute() throws Exception {
        long t0 = System.nanoTime();
        checkOutput("--out", out);
        degree("--degree", degree);
        degree("--curve-degree", curveDegree);
        positive("--directions", directions);
        threads(threads.threads);
        Setup setup = Setup.resolve(data, steps);
        Measures.Measure m = Measures.parse(measure.spec, setup);
        Deletions.Deletion d = Deletions.resolve(deletion, setup, setup.isMicroGpt() ? "x" : null);
        double[] ts = Experiments.parseTs(t, err());
        int th = threads(threads.threads);
        if (top < 0) throw new UsageException("--top must be >= 0, got " + top);
        if (influenceDegree < 1 || influenceDegree > degree) {
            throw new CliException("--influence-degree must be in 1.." + degree + ", got " + influenceDegree);
        }
        Path dir = sketch != null ? sketch : out.resolve("sketches");

        // 1. Train and sketch (the sketcher trains θ_0 first).
        SketchStore store = Experiments.sketch(setup, dir, degree, directions, th, 0, err(), commandLineText());
        double sketchSeconds = (System.nanoTime() - t0) / 1e9;

        // 2. The exact-direction curve along 1_D and retraining at each t, in parallel.
        long t1 = System.nanoTime();
        ProblemRuns.ExactResult exact = Experiments.exactAndRetrain(setup, m, d, curveDegree, ts, true, th, err());
        double exactSeconds = (System.nanoTime() - t1) / 1e9;
        ExactDirectionCurve curve = exact.curve();

        // 3. Predictions from the sketches.
        long t2 = System.nanoTime();
        CoefficientTable table = Experiments.table(store, m, th, directions, setup);
        DeletionEstimator estimator = DeletionEstimator.cached(table);
        Prediction p = estimator.predictDeletion(d.indices());
        double[] fine = Plots.grid(0, Math.max(1, CurveRun.max(ts)), 101);
        Curve predicted = estimator.curveDeletion(d.indices(), fine);
        LeaveOneOut loo = estimator.leaveOneOut(influenceDegree);
        double predictSeconds = (System.nanoTime() - t2) / 1e9;

        // 4. The most influential names: exact first order for all, exact degree 3 for the top ones.
        long t3 = System.nanoTime();
        ExactInfluenceReport influential = ExactInfluenceReport.run(setup, m, Experiments.memoryBudget(null), top,
                Math.min(3, curveDegree), th, err());
        double influenceSeconds = (System.nanoTime() - t3) / 1e9;
        int at1 = CurveRun.indexOf(ts, 1.0);
        double truth = at1 >= 0 ? exact.retrained()[at1] : Double.NaN;
        double f0 = table.f0();
        int k = table.degree();

        // 5. Plot and report.
        Path png = out.resolve("demo.png");
        XYChart chart = Plots.chart("jetsketch demo: deleting " + (setup.isMicroGpt() && !deletion.given()
                ? d.size() + " names containing \"x\" (" + setup.n() + " steps, "
                : d.description() + " (" + setup.study.name() + ", " + setup.size() + ", ") + table.sketches() + " sketches)", "t  (weights t·1_D; t = 1 deletes D)",
                m.description());
        Fig3Command.addPredicted(chart, predicted, k, true);
        double[][] exactValues = curve.values(fine);
        double[] e1 = new double[fine.length];
        double[] ek = new double[fine.length];
        for (int q = 0; q < fine.length; q++) {
            e1[q] = exactValues[q][1];
            ek[q] = exactValues[q][curveDegree];
        }
        Plots.line(chart, "exact direction, degree " + curveDegree, fine, ek, Plots.COLORS[2], 2.0f, false);
        Plots.line(chart, "exact direction, degree 1", fine, e1, Plots.COLORS[2], 1.2f, true);
        double[] rx = new double[ts.length + 1];
        double[] ry = new double[ts.length + 1];
        rx[0] = 0;
        ry[0] = f0;
        for (int q = 0; q < ts.length; q++) {
            rx[q + 1] = ts[q];
            ry[q + 1] = exact.retrained()[q];
        }
        Plots.points(chart, "retrained", rx, ry, Color.BLACK);
        Plots.save(chart, png);

        double total = (System.nanoTime() - t0) / 1e9;
        ObjectNode r = Json.object();
        r.put("command", "demo");
        r.put("steps", setup.steps());
        r.put("examples", setup.n());
        r.put("training", setup.dataSource);
        r.put("sketches", table.sketches());
        r.put("degree", k);
        r.put("sketchDirectory", dir.toString());
        r.put("measure", m.spec());
        r.put("measureDescription", m.description());
        r.set("deletion", PredictCommand.deletionJson(setup, d));
        Json.put(r, "f0", f0);
        r.set("prediction", PredictCommand.predictionJson(p, setup.n()));
        double reach = BranchReport.reach(ts, true);
        BranchSwitch sketchBranch = BranchBounds.alongDeletion(BranchBounds.radius(store, table), d.size());
        r.set("branchSwitch", BranchReport.json(sketchBranch, reach));
        ObjectNode ex = r.putObject("exactDirection");
        ex.put("degree", curveDegree);
        ex.set("branchSwitch", BranchReport.json(curve.branchSwitch(), reach));
        ArrayNode coeffs = ex.putArray("coefficients");
        for (int q = 0; q <= curveDegree; q++) Json.add(coeffs, curve.coefficient(q));
        ArrayNode exAt1 = ex.putArray("valuesAtT1");
        for (int q = 1; q <= curveDegree; q++) Json.add(exAt1, curve.value(1.0, q));
        ArrayNode rt = r.putArray("retrained");
        for (int q = 0; q < ts.length; q++) {
            ObjectNode o = rt.addObject();
            Json.put(o, "t", ts[q]);
            Json.put(o, "value", exact.retrained()[q]);
        }
        Json.put(r, "retrainedAtT1", truth);
        r.put("influenceDegree", influenceDegree);
        r.set("influential", influential.json(setup, loo));
        ObjectNode time = r.putObject("seconds");
        Json.put(time, "trainAndSketch", sketchSeconds);
        Json.put(time, "exactAndRetrain", exactSeconds);
        Json.put(time, "predict", predictSeconds);
        Json.put(time, "influence", influenceSeconds);
        Json.put(time, "total", total);
        Path report = out.resolve("demo.json");
        Path html = out.resolve("demo.html");
        ArrayNode files = r.putArray("files");
        files.add(png.toString());
        files.add(report.toString());
        files.add(html.toString());
        Json.write(report, r);
        htmlReport(setup, m, d, p, k, f0, curve, ts, exact.retrained(), truth, reach, sketchBranch, influential, loo,
                total, table.sketches(), png).write(html);

        if (json.json) {
            printJson(r);
            return 0;
        }
        PrintWriter o = out();
        o.printf(Locale.ROOT, "%njetsketch demo: %s, %s, %d sketches of degree %d%n", setup.study.name(), setup.size(),
                table.sketches(), k);
        o.printf(Locale.ROOT, "measurement: %s%n", m.description());
        PredictCommand.printDeletion(o, setup, d);
        o.println();
        o.printf(Locale.ROOT, "  %-40s %.6f%n", "ordinary value f(0)", f0);
        for (int deg = 1; deg <= k; deg++) {
            o.printf(Locale.ROOT, "  %-40s %.6f ± %s (change %+.6f)%n",
                    "sketch prediction, degree " + deg, p.mean(deg), PredictCommand.seText(p, deg, setup.n()),
                    p.change(deg));
        }
        String seProblem = PredictCommand.standardErrorProblem(p, setup.n());
        if (seProblem != null) o.printf("  std.error n/a: %s%n", seProblem);
        for (int deg = 1; deg <= curveDegree; deg++) {
            o.printf(Locale.ROOT, "  %-40s %.6f (change %+.6f)%n", "exact-direction curve at t = 1, degree " + deg,
                    curve.value(1.0, deg), curve.value(1.0, deg) - f0);
        }
        if (Double.isFinite(truth)) {
            o.printf(Locale.ROOT, "  %-40s %.6f (change %+.6f)%n", "retrained without D (the truth)", truth, truth - f0);
        }
        o.println();
        BranchReport.print(o, sketchBranch, reach, "sketch predictions");
        BranchReport.print(o, curve.branchSwitch(), reach, "exact-direction curve");
        o.printf(Locale.ROOT, "%nexact-direction curve vs retraining:%n  %-5s %11s %11s %11s%n", "t", "retrained",
                "degree 1", "degree " + curveDegree);
        for (int q = 0; q < ts.length; q++) {
            o.printf(Locale.ROOT, "  %-5s %11.6f %11.6f %11.6f%n", PredictCommand.fmt(ts[q]), exact.retrained()[q],
                    curve.value(ts[q], 1), curve.value(ts[q], curveDegree));
        }
        o.printf(Locale.ROOT, "%nthe %d most influential training %s on this measurement (leave-one-out change:"
                + " exact first order for every %s, exact degree %d for these, sketch estimate at degree %d):%n",
                influential.top().length, setup.nouns(), setup.noun(), influential.degree(), influenceDegree);
        o.printf("  %s%n", influential.summary());
        influential.printWarnings(o);
        influential.print(o, setup, loo);
        o.printf(Locale.ROOT, "%ntime: %s total (training + sketching %s, exact direction + retraining %s, predictions %s,"
                + " influence %s)%n", Progress.clock(total), Progress.clock(sketchSeconds), Progress.clock(exactSeconds),
                String.format(Locale.ROOT, "%.1f s", predictSeconds), Progress.clock(influenceSeconds));
        o.printf("wrote %s, %s and %s%n", png, report, html);
        return 0;
    }

    /** demo.html: what the terminal shows, with the plot inline. */
    private HtmlReport htmlReport(Setup setup, Measures.Measure m, Deletions.Deletion d, Prediction p, int k, double f0,
            ExactDirectionCurve curve, double[] ts, double[] retrained, double truth, double reach,
            BranchSwitch sketchBranch, ExactInfluenceReport influential, LeaveOneOut loo, double total, int sketches,
            Path png) throws java.io.IOException {
        HtmlReport h = new HtmlReport("jetsketch demo: deleting " + d.size() + " training " + setup.nouns() + " ("
                + d.description() + ")");
        h.command(commandLineText());
        h.paragraph(String.format(Locale.ROOT, "%s trained on %s (%s), %d sketches of degree %d;"
                + " measurement: %s; f(0) = %.6f. Total time %s.", setup.study.name(),
                setup.isMicroGpt() ? setup.n() + " names" : setup.size(), setup.dataSource, sketches, k,
                m.description(), f0, Progress.clock(total)));
        h.image(png, "predicted and exact-direction curves against retraining");
        h.heading("Deleting D");
        List<List<Object>> rows = new java.util.ArrayList<>();
        rows.add(List.of("ordinary value f(0)", f0, "", ""));
        for (int deg = 1; deg <= k; deg++) {
            rows.add(List.of("sketch prediction, degree " + deg, p.mean(deg), p.change(deg), p.standardError(deg)));
        }
        for (int deg = 1; deg <= curveDegree; deg++) {
            rows.add(List.of("exact-direction curve at t = 1, degree " + deg, curve.value(1.0, deg),
                    curve.value(1.0, deg) - f0, ""));
        }
        if (Double.isFinite(truth)) rows.add(List.of("retrained without D (the truth)", truth, truth - f0, ""));
        h.table(List.of("", "value", "change", "standard error"), rows);
        h.paragraph("sketch predictions: " + BranchReport.describe(sketchBranch, "t"));
        h.paragraph("exact-direction curve: " + BranchReport.describe(curve.branchSwitch(), "t"));
        if (BranchReport.below(sketchBranch, reach) || BranchReport.below(curve.branchSwitch(), reach)) {
            h.warning("a branch decision can switch before t = " + PredictCommand.fmt(reach)
                    + ": predictions beyond it are extrapolations");
        }
        h.heading("The exact-direction curve against retraining");
        List<List<Object>> curveRows = new java.util.ArrayList<>();
        for (int q = 0; q < ts.length; q++) {
            curveRows.add(List.of(PredictCommand.fmt(ts[q]), retrained[q], curve.value(ts[q], 1),
                    curve.value(ts[q], curveDegree)));
        }
        h.table(List.of("t", "retrained", "degree 1", "degree " + curveDegree), curveRows);
        h.heading("The most influential training " + setup.nouns());
        h.paragraph("Leave-one-out change of the measurement: " + influential.summary() + ".");
        java.io.StringWriter warnings = new java.io.StringWriter();
        influential.printWarnings(new PrintWriter(warnings));
        for (String w : warnings.toString().split("\n")) if (!w.isBlank()) h.warning(w.strip());
        List<List<Object>> top = new java.util.ArrayList<>();
        int[] names = influential.top();
        for (int q = 0; q < names.length; q++) {
            int i = names[q];
            top.add(List.of(q + 1, i, setup.names.get(i), influential.firstOrder(i),
                    influential.curves().isEmpty() ? Double.NaN : influential.higherOrder(q), loo.change(i),
                    loo.standardError(i)));
        }
        h.table(List.of("rank", setup.indexHeading(), setup.noun(), "exact first order", "exact, degree " + influential.degree(),
                "sketch estimate (degree " + influenceDegree + ")", "its standard error"), top);
        return h;
    }
}
