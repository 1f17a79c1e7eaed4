package org.jetsketch.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.Color;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jetsketch.predict.BranchBounds;
import org.jetsketch.predict.CoefficientTable;
import org.jetsketch.predict.Curve;
import org.jetsketch.predict.DeletionEstimator;
import org.jetsketch.sketch.BranchSwitch;
import org.jetsketch.sketch.SketchStore;
import org.knowm.xchart.XYChart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "fig3", mixinStandardHelpOptions = true,
        header = "The paper's figure 3 (500-sketch prediction with a ±1 SE band vs retraining).", sortOptions = false,
        description = {"The paper's figure 3: 500 random directions at degree 3 over 1000 steps; the predicted "
            + "curve t -> f(t·1_D) with a ±1 standard-error band against retraining at t = 0, 0.1, ..., 1 "
            + "(D = training names containing \"x\", measurement = loss on \"max\"). Writes fig3.png, fig3.csv "
            + "(at the retraining points) and fig3_curve.csv (a fine grid) under --out. Sketches go to "
            + "--sketch and are reused (resumable). Scale down with --steps and --directions."})
final class Fig3Command extends BaseCommand {

    @Option(names = "--steps", paramLabel = "N", description = "Training steps. Default: 1000 (the paper's).")
    Integer steps;

    @Option(names = "--directions", paramLabel = "M", defaultValue = "500",
            description = "Random directions. Default: ${DEFAULT-VALUE}.")
    int directions;

    @Option(names = "--degree", paramLabel = "K", defaultValue = "3", description = "Degree. Default: ${DEFAULT-VALUE}.")
    int degree;

    @Option(names = "--t", paramLabel = "LIST", defaultValue = Experiments.DEFAULT_TS,
            description = "Where to retrain. Default: 0, 0.1, ..., 1.")
    String t;

    @Mixin Options.Data data;
    @Mixin Options.Measure measure;
    @Mixin Options.Deletion deletion;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/fig3",
            description = "Output directory. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--sketch", paramLabel = "DIR", description = "Sketch directory. Default: <out>/sketches.")
    Path sketch;

    @Mixin Options.Threads threads;
    @Mixin Options.JsonOutput json;

    @Override
    int execute() throws Exception {
        checkOutput("--out", out);
        degree("--degree", degree);
        positive("--directions", directions);
        threads(threads.threads);
        Setup setup = Setup.resolve(data, steps);
        Measures.Measure m = Measures.parse(measure.spec, setup);
        Deletions.Deletion d = Deletions.resolve(deletion, setup, "x");
        double[] ts = Experiments.parseTs(t, err());
        int th = threads(threads.threads);
        Path dir = sketch != null ? sketch : out.resolve("sketches");
        long t0 = System.nanoTime();
        SketchStore store = Experiments.sketch(setup, dir, degree, directions, th, 0, err(), commandLineText());
        double sketchSeconds = (System.nanoTime() - t0) / 1e9;
        CoefficientTable table = Experiments.table(store, m, th, directions, setup);
        DeletionEstimator estimator = DeletionEstimator.cached(table);
        long t1 = System.nanoTime();
        List<double[]> weights = new ArrayList<>();
        for (double tq : ts) weights.add(setup.weights(d.indices(), tq));
        double[] retrained = Experiments.retrainAll(setup, m, weights, th, err(), "retraining at " + ts.length + " t");
        double retrainSeconds = (System.nanoTime() - t1) / 1e9;
        Curve atTs = estimator.curveDeletion(d.indices(), ts);
        double[] fine = Plots.grid(Math.min(0, CurveRun.min(ts)), Math.max(1, CurveRun.max(ts)), 101);
        Curve curve = estimator.curveDeletion(d.indices(), fine);
        int k = table.degree();

        ObjectNode r = Json.object();
        r.put("command", "fig3");
        r.put("steps", setup.n());
        r.put("directions", table.sketches());
        r.put("degree", k);
        r.put("measure", m.spec());
        r.set("deletion", PredictCommand.deletionJson(setup, d));
        Json.put(r, "f0", table.f0());
        r.set("points", curveJson(atTs, retrained, k, setup.n()));
        BranchSwitch branch = BranchBounds.alongDeletion(BranchBounds.radius(store, table), d.size());
        r.set("branchSwitch", BranchReport.json(branch, BranchReport.reach(ts, true)));
        Json.put(r, "sketchSeconds", sketchSeconds);
        Json.put(r, "retrainSeconds", retrainSeconds);
        Json.put(r, "seconds", (System.nanoTime() - t0) / 1e9);

        Path csv = out.resolve("fig3.csv");
        curveCsv(atTs, retrained, k).write(csv);
        Path fineCsv = out.resolve("fig3_curve.csv");
        curveCsv(curve, null, k).write(fineCsv);
        Path png = out.resolve("fig3.png");
        XYChart chart = Plots.chart("Sketch prediction (m = " + table.sketches() + ", degree " + k + ") vs retraining (|D| = "
                + d.size() + ", " + setup.n() + " steps)", "t  (weights t·1_D; t = 1 deletes D)", m.description());
        addPredicted(chart, curve, k, true);
        Plots.points(chart, "retrained", ts, retrained, Color.BLACK);
        Plots.save(chart, png);
        ArrayNode files = r.putArray("files");
        for (Path p : List.of(png, csv, fineCsv)) files.add(p.toString());
        if (json.json) {
            printJson(r);
            return 0;
        }
        PrintWriter o = out();
        o.printf(Locale.ROOT, "figure 3: %d sketches of degree %d, %d training steps; %s%n", table.sketches(), k, setup.n(),
                m.description());
        PredictCommand.printDeletion(o, setup, d);
        BranchReport.print(o, branch, BranchReport.reach(ts, true), "");
        printCurve(o, atTs, retrained, k, setup.n());
        o.printf(Locale.ROOT, "time: sketching %.1f s, retraining %.1f s%n", sketchSeconds, retrainSeconds);
        for (Path p : List.of(png, csv, fineCsv)) o.printf("wrote %s%n", p);
        return 0;
    }

    /** The degree-k prediction with a ±1 SE band, and the degree-1 prediction dashed. */
    static void addPredicted(XYChart chart, Curve curve, int k, boolean withDegreeOne) {
        double[] x = curve.t();
        double[] mean = curve.means(k);
        double[] se = curve.standardErrors(k);
        double[] lo = new double[x.length];
        double[] hi = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double s = Double.isFinite(se[i]) ? se[i] : 0;
            lo[i] = mean[i] - s;
            hi[i] = mean[i] + s;
        }
        Plots.band(chart, "±1 SE (degree " + k + ")", x, lo, hi, Plots.COLORS[0]);
        Plots.line(chart, "sketch, degree " + k, x, mean, Plots.COLORS[0], 2.5f, false);
        if (withDegreeOne && k > 1) Plots.line(chart, "sketch, degree 1", x, curve.means(1), Plots.COLORS[1], 1.5f, true);
    }

    static Csv curveCsv(Curve c, double[] retrained, int k) {
        List<String> header = new ArrayList<>(List.of("t"));
        if (retrained != null) header.add("retrained");
        for (int d = 1; d <= k; d++) {
            header.add("degree_" + d);
            header.add("se_" + d);
        }
        Csv csv = new Csv(header);
        for (int q = 0; q < c.size(); q++) {
            List<Object> row = new ArrayList<>();
            row.add(c.t(q));
            if (retrained != null) row.add(retrained[q]);
            for (int d = 1; d <= k; d++) {
                row.add(c.at(q).mean(d));
                row.add(c.at(q).standardError(d));
            }
            csv.row(row.toArray());
        }
        return csv;
    }

    static ArrayNode curveJson(Curve c, double[] retrained, int k, int n) {
        ArrayNode a = Json.array();
        for (int q = 0; q < c.size(); q++) {
            ObjectNode o = a.addObject();
            Json.put(o, "t", c.t(q));
            if (retrained != null) Json.put(o, "retrained", retrained[q]);
            o.set("degrees", PredictCommand.predictionJson(c.at(q), n));
        }
        return a;
    }

    static void printCurve(PrintWriter o, Curve c, double[] retrained, int k, int n) {
        o.printf(Locale.ROOT, "  %-5s %11s %26s %11s%n", "t", "retrained", "degree-" + k + " prediction ± SE", "degree 1");
        for (int q = 0; q < c.size(); q++) {
            o.printf(Locale.ROOT, "  %-5s %11.6f %14.6f ± %9s %11.6f%n", PredictCommand.fmt(c.t(q)), retrained[q],
                    c.at(q).mean(k), PredictCommand.seText(c.at(q), k, n), c.at(q).mean(1));
        }
        String problem = c.size() > 0 ? PredictCommand.standardErrorProblem(c.at(c.size() - 1), n) : null;
        if (problem != null) o.printf("  std.error n/a: %s%n", problem);
    }
}
