package org.jetsketch.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jetsketch.predict.ExactDirectionCurve;
import org.jetsketch.study.ProblemRuns;
import org.knowm.xchart.XYChart;

/** The exact-direction experiment shared by 'curve' and 'fig2' (scheme §7, the paper's figure 2). */
final class CurveRun {
    private CurveRun() {}

    static int run(BaseCommand cmd, Setup setup, Measures.Measure m, Deletions.Deletion d, int degree, double[] ts,
            boolean retrain, int threads, Path out, String baseName, boolean json) throws IOException {
        long t0 = System.nanoTime();
        ProblemRuns.ExactResult res = Experiments.exactAndRetrain(setup, m, d, degree, ts, retrain, threads, cmd.err());
        double seconds = (System.nanoTime() - t0) / 1e9;
        ExactDirectionCurve curve = res.curve();
        double[][] values = curve.values(ts);

        ObjectNode r = Json.object();
        r.put("command", cmd.name());
        r.put("steps", setup.steps());
        r.put("examples", setup.n());
        r.put("measure", m.spec());
        r.set("deletion", PredictCommand.deletionJson(setup, d));
        r.put("degree", degree);
        ArrayNode coeffs = r.putArray("coefficients");
        for (int k = 0; k <= degree; k++) Json.add(coeffs, curve.coefficient(k));
        ArrayNode rows = r.putArray("curve");
        for (int q = 0; q < ts.length; q++) {
            ObjectNode row = rows.addObject();
            Json.put(row, "t", ts[q]);
            Json.put(row, "retrained", res.retrained()[q]);
            ArrayNode vals = row.putArray("degrees");
            for (int k = 1; k <= degree; k++) Json.add(vals, values[q][k]);
        }
        double reach = BranchReport.reach(ts, false);
        r.set("branchSwitch", BranchReport.json(curve.branchSwitch(), reach));
        int at1 = indexOf(ts, 1.0);
        if (retrain && at1 >= 0) r.set("errorsAtT1", errorTable(curve, res.retrained()[at1]));
        Json.put(r, "seconds", seconds);

        List<Path> written = new ArrayList<>();
        if (out != null) {
            Csv csv = new Csv(header(degree, false));
            for (int q = 0; q < ts.length; q++) {
                Object[] row = new Object[degree + 2];
                row[0] = ts[q];
                row[1] = res.retrained()[q];
                for (int k = 1; k <= degree; k++) row[k + 1] = values[q][k];
                csv.row(row);
            }
            Path csvFile = out.resolve(baseName + ".csv");
            csv.write(csvFile);
            written.add(csvFile);
            if (retrain && at1 >= 0) {
                Csv errors = new Csv(List.of("degree", "value_at_t1", "retrained_at_t1", "abs_error"));
                double truth = res.retrained()[at1];
                for (int k = 1; k <= degree; k++) {
                    double v = curve.value(1.0, k);
                    errors.row(k, v, truth, Math.abs(v - truth));
                }
                Path errFile = out.resolve(baseName + "_errors.csv");
                errors.write(errFile);
                written.add(errFile);
            }
            Path png = out.resolve(baseName + ".png");
            plot(setup, m, d, curve, ts, res.retrained(), retrain, png);
            written.add(png);
            ArrayNode files = r.putArray("files");
            written.forEach(p -> files.add(p.toString()));
        }
        if (json) {
            cmd.printJson(r);
            return 0;
        }
        PrintWriter o = cmd.out();
        o.printf(Locale.ROOT, "exact-direction curve t -> f(t·1_D), degree %d, %s%n", degree, setup.size());
        o.printf(Locale.ROOT, "measurement: %s%n", m.description());
        PredictCommand.printDeletion(o, setup, d);
        StringBuilder c = new StringBuilder();
        for (int k = 0; k <= degree; k++) c.append(String.format(Locale.ROOT, "%s c_%d = %.6g", k == 0 ? "" : ",", k,
                curve.coefficient(k)));
        o.printf("coefficients:%s%n", c);
        BranchReport.print(o, curve.branchSwitch(), reach, "");
        StringBuilder h = new StringBuilder(String.format(Locale.ROOT, "  %-5s %11s", "t", retrain ? "retrained" : ""));
        for (int k = 1; k <= degree; k++) h.append(String.format(Locale.ROOT, " %11s", "degree " + k));
        o.println(h);
        for (int q = 0; q < ts.length; q++) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-5s %11s", PredictCommand.fmt(ts[q]),
                    retrain ? String.format(Locale.ROOT, "%.6f", res.retrained()[q]) : ""));
            for (int k = 1; k <= degree; k++) line.append(String.format(Locale.ROOT, " %11.6f", values[q][k]));
            o.println(line);
        }
        if (retrain && at1 >= 0) {
            double truth = res.retrained()[at1];
            o.printf(Locale.ROOT, "error at t = 1 against retraining (%.6f; f(0) = %.6f, change %+.6f):%n", truth,
                    res.f0(), truth - res.f0());
            for (int k = 1; k <= degree; k++) {
                double v = curve.value(1.0, k);
                o.printf(Locale.ROOT, "  degree %d: %.6f, error %.3e%n", k, v, Math.abs(v - truth));
            }
        }
        o.printf(Locale.ROOT, "time: %.1f s%n", seconds);
        for (Path p : written) o.printf("wrote %s%n", p);
        return 0;
    }

    /**
     * Several deletion sets: their exact directions in batched jet passes of {@code perPass}
     * (scheme §11), each set's curve against retraining at every t.
     */
    static int runMany(BaseCommand cmd, Setup setup, Measures.Measure m, List<Deletions.Deletion> sets, int degree,
            double[] ts, boolean retrain, int perPass, int threads, Path out, boolean json) throws IOException {
        BaseCommand.degree("--degree", degree);
        List<int[]> indices = new ArrayList<>();
        for (Deletions.Deletion d : sets) indices.add(d.indices());
        ProblemRuns.CurveBatch batch = Experiments.interruptible(() -> setup.runs.curves(m.bound(), indices, degree, ts,
                retrain, perPass, threads, Progress.bars(cmd.err())));
        List<ExactDirectionCurve> curves = batch.curves();
        double[][] retrained = batch.retrained();
        double exactSeconds = batch.exactSeconds();
        int passes = batch.passes();
        double seconds = batch.seconds();
        ObjectNode r = Json.object();
        r.put("command", cmd.name());
        r.put("steps", setup.steps());
        r.put("examples", setup.n());
        r.put("measure", m.spec());
        r.put("degree", degree);
        r.put("passes", passes);
        Json.put(r, "exactSeconds", exactSeconds);
        ArrayNode all = r.putArray("sets");
        Csv csv = new Csv(header(degree, true));
        for (int q = 0; q < sets.size(); q++) {
            ObjectNode o = all.addObject();
            o.set("deletion", PredictCommand.deletionJson(setup, sets.get(q)));
            ArrayNode coeffs = o.putArray("coefficients");
            for (int k = 0; k <= degree; k++) Json.add(coeffs, curves.get(q).coefficient(k));
            double[][] values = curves.get(q).values(ts);
            ArrayNode rows = o.putArray("curve");
            for (int p = 0; p < ts.length; p++) {
                ObjectNode row = rows.addObject();
                Json.put(row, "t", ts[p]);
                Json.put(row, "retrained", retrained[q][p]);
                ArrayNode vals = row.putArray("degrees");
                Object[] line = new Object[degree + 3];
                line[0] = sets.get(q).description();
                line[1] = ts[p];
                line[2] = retrained[q][p];
                for (int k = 1; k <= degree; k++) {
                    Json.add(vals, values[p][k]);
                    line[k + 2] = values[p][k];
                }
                csv.row(line);
            }
            int at1 = indexOf(ts, 1.0);
            if (retrain && at1 >= 0) o.set("errorsAtT1", errorTable(curves.get(q), retrained[q][at1]));
        }
        Json.put(r, "seconds", seconds);
        if (out != null) {
            Path file = out.resolve("curves.csv");
            csv.write(file);
            r.put("out", file.toString());
        }
        if (json) {
            cmd.printJson(r);
            return 0;
        }
        PrintWriter o = cmd.out();
        o.printf(Locale.ROOT, "exact-direction curves t -> f(t·1_D) for %d sets, degree %d, %s: %d batched"
                + " jet pass(es), %.1f s%n", sets.size(), degree, setup.size(), passes, exactSeconds);
        o.printf(Locale.ROOT, "measurement: %s%n", m.description());
        int at1 = indexOf(ts, 1.0);
        StringBuilder h = new StringBuilder(String.format(Locale.ROOT, "  %-32s %5s %11s", "deletion set", "|D|",
                "retrained"));
        for (int k = 1; k <= degree; k++) h.append(String.format(Locale.ROOT, " %11s", "degree " + k));
        o.println("at t = 1:");
        o.println(h);
        for (int q = 0; q < sets.size(); q++) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-32s %5d %11s", sets.get(q).description(),
                    sets.get(q).size(), retrain && at1 >= 0 ? String.format(Locale.ROOT, "%.6f", retrained[q][at1]) : ""));
            for (int k = 1; k <= degree; k++) line.append(String.format(Locale.ROOT, " %11.6f", curves.get(q).value(1.0, k)));
            o.println(line);
        }
        o.printf(Locale.ROOT, "time: %.1f s%n", seconds);
        if (out != null) o.printf("wrote %s%n", out.resolve("curves.csv"));
        return 0;
    }

    private static List<String> header(int degree, boolean withSet) {
        List<String> header = new ArrayList<>(withSet ? List.of("set", "t", "retrained") : List.of("t", "retrained"));
        for (int k = 1; k <= degree; k++) header.add("degree_" + k);
        return header;
    }

    static ArrayNode errorTable(ExactDirectionCurve curve, double truth) {
        ArrayNode a = Json.array();
        for (int k = 1; k <= curve.degree(); k++) {
            ObjectNode o = a.addObject();
            o.put("degree", k);
            double v = curve.value(1.0, k);
            Json.put(o, "value", v);
            Json.put(o, "retrained", truth);
            Json.put(o, "absError", Math.abs(v - truth));
        }
        return a;
    }

    static int indexOf(double[] ts, double t) {
        for (int i = 0; i < ts.length; i++) if (ts[i] == t) return i;
        return -1;
    }

    static void plot(Setup setup, Measures.Measure m, Deletions.Deletion d, ExactDirectionCurve curve, double[] ts,
            double[] retrained, boolean retrain, Path png) throws IOException {
        double lo = Math.min(0, min(ts));
        double hi = Math.max(1, max(ts));
        double[] grid = Plots.grid(lo, hi, 101);
        double[][] values = curve.values(grid);
        XYChart chart = Plots.chart("Exact-direction Taylor curves vs retraining (|D| = " + d.size() + ", "
                + setup.size() + ")", "t  (weights t·1_D; t = 1 deletes D)", m.description());
        for (int k = 1; k <= curve.degree(); k++) {
            double[] y = new double[grid.length];
            for (int q = 0; q < grid.length; q++) y[q] = values[q][k];
            Plots.line(chart, "degree " + k, grid, y, Plots.COLORS[(k - 1) % Plots.COLORS.length], k == curve.degree() ? 2.5f : 1.5f,
                    false);
        }
        if (retrain) Plots.points(chart, "retrained", ts, retrained, java.awt.Color.BLACK);
        Plots.save(chart, png);
    }

    static double min(double[] a) {
        double v = Double.POSITIVE_INFINITY;
        for (double x : a) v = Math.min(v, x);
        return v;
    }

    static double max(double[] a) {
        double v = Double.NEGATIVE_INFINITY;
        for (double x : a) v = Math.max(v, x);
        return v;
    }
}
