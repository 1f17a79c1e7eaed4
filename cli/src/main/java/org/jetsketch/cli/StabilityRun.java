package org.jetsketch.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jetsketch.predict.CoefficientTable;
import org.jetsketch.predict.StabilityProfile;
import org.jetsketch.sketch.BranchSwitch;
import org.knowm.xchart.XYChart;

/** The stability diagnostic (scheme §6) shared by 'stability' and 'fig1'. */
final class StabilityRun {
    private StabilityRun() {}

    static int report(BaseCommand cmd, Setup setup, Measures.Measure m, CoefficientTable table, BranchSwitch radius,
            Path out, String baseName, boolean json, ObjectNode extra) throws IOException {
        StabilityProfile profile = StabilityProfile.of(table);
        int k = profile.degree();
        int dirs = profile.directions();
        ObjectNode r = Json.object();
        r.put("command", cmd.name());
        r.put("measure", m.spec());
        r.put("degree", k);
        r.put("directions", dirs);
        r.put("examples", setup.n());
        if (extra != null) r.setAll(extra);
        ObjectNode branch = BranchReport.json(radius, 1.0);
        branch.remove("beyondRequested");
        branch.put("variable", "norm of the weight vector (t·1_D: divide by sqrt|D|)");
        r.set("branchSwitch", branch);
        ArrayNode rows = r.putArray("profile");
        for (int deg = 1; deg <= k; deg++) {
            ObjectNode row = rows.addObject();
            row.put("r", deg);
            Json.put(row, "meanLog2", profile.meanLog2(deg));
            Json.put(row, "minLog2", profile.minLog2(deg));
            Json.put(row, "maxLog2", profile.maxLog2(deg));
        }
        List<Path> written = new ArrayList<>();
        if (out != null) {
            List<String> header = new ArrayList<>(List.of("r", "mean_log2"));
            for (int j = 0; j < dirs; j++) header.add("direction_" + table.directionIndex(j));
            Csv csv = new Csv(header);
            for (int deg = 1; deg <= k; deg++) {
                Object[] row = new Object[dirs + 2];
                row[0] = deg;
                row[1] = profile.meanLog2(deg);
                for (int j = 0; j < dirs; j++) row[j + 2] = profile.log2Term(j, deg);
                csv.row(row);
            }
            Path csvFile = out.resolve(baseName + ".csv");
            csv.write(csvFile);
            written.add(csvFile);
            Path png = out.resolve(baseName + ".png");
            plot(profile, table, m, setup, png);
            written.add(png);
            ArrayNode files = r.putArray("files");
            written.forEach(p -> files.add(p.toString()));
        }
        if (json) {
            cmd.printJson(r);
            return 0;
        }
        PrintWriter o = cmd.out();
        o.printf(Locale.ROOT, "stability: log2( sqrt(C(n+r-1, r))·|c_r| ), the log-size of the degree-r term,%n");
        o.printf(Locale.ROOT, "for %s over %d directions (n = %d, degree %d); it should fall with r%n", m.description(),
                dirs, setup.n(), k);
        o.printf(Locale.ROOT, "  %-4s %10s %10s %10s%n", "r", "mean", "min", "max");
        for (int deg = 1; deg <= k; deg++) {
            if (k > 20 && deg > 10 && deg % 10 != 0 && deg != k) continue;
            o.printf(Locale.ROOT, "  %-4d %10.3f %10.3f %10.3f%n", deg, profile.meanLog2(deg), profile.minLog2(deg),
                    profile.maxLog2(deg));
        }
        o.printf("%s%n", BranchReport.describe(radius, "|w|"));
        if (radius.recorded()) {
            o.printf("  (|w| is the norm of the weight vector: for w = t·1_D the bound is t = |w| / sqrt|D|)%n");
        }
        for (Path p : written) o.printf("wrote %s%n", p);
        return 0;
    }

    static void plot(StabilityProfile profile, CoefficientTable table, Measures.Measure m, Setup setup, Path png)
            throws IOException {
        int k = profile.degree();
        double[] r = new double[k];
        for (int i = 0; i < k; i++) r[i] = i + 1;
        XYChart chart = Plots.chart("Stability: log2 size of the degree-r term (" + profile.directions()
                + " directions, n = " + setup.n() + ")", "degree r", "log2( sqrt(C(n+r-1,r)) |c_r| )  — " + m.description());
        chart.getStyler().setLegendVisible(profile.directions() <= 16);
        chart.getStyler().setXAxisDecimalPattern("#0");
        for (int j = 0; j < profile.directions(); j++) {
            double[] y = new double[k];
            for (int i = 0; i < k; i++) y[i] = finite(profile.log2Term(j, i + 1));
            Plots.line(chart, "direction " + table.directionIndex(j), r, y,
                    new java.awt.Color(120, 150, 200), 1.0f, false);
        }
        double[] mean = new double[k];
        for (int i = 0; i < k; i++) mean[i] = finite(profile.meanLog2(i + 1));
        Plots.line(chart, "mean", r, mean, java.awt.Color.BLACK, 2.5f, false);
        Plots.save(chart, png);
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : Double.NaN;
    }
}
