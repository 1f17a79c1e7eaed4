package org.jetsketch.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.jetsketch.predict.CoefficientTable;
import org.jetsketch.predict.DeletionEstimator;
import org.jetsketch.predict.Prediction;
import org.jetsketch.sketch.SketchStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "predict", mixinStandardHelpOptions = true,
        header = "Predict the measurement after deleting D, from the sketches.", sortOptions = false,
        description = {"Predicts the measurement after deleting D (weights t·1_D) from the sketches: "
            + "degree 1..k estimates with standard errors and medians of means. No training."})
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

    @Mixin Options.Threads threads;
    @Mixin Options.JsonOutput json;

    @Override
    int execute() throws Exception {
        Setup setup = Setup.fromSketch(sketch, "--sketch");
        SketchStore store = Experiments.open(sketch, setup);
        Measures.Measure m = Measures.parse(measure.spec, setup);
        Deletions.Deletion d = Deletions.resolve(deletion, setup, null);
        double[] ts = Experiments.parseTs(t);
        CoefficientTable table = Experiments.table(store, m, threads(threads.threads), sketches);
        DeletionEstimator estimator = DeletionEstimator.cached(table);
        ObjectNode r = Json.object();
        r.put("command", "predict");
        r.put("sketch", sketch.toString());
        r.put("sketches", table.sketches());
        r.put("degree", table.degree());
        r.put("measure", m.spec());
        Json.put(r, "f0", table.f0());
        r.set("deletion", deletionJson(setup, d));
        ArrayNode at = r.putArray("predictions");
        for (double tq : ts) {
            Prediction p = tq == 1.0 ? estimator.predictDeletion(d.indices())
                    : estimator.predictWeights(setup.weights(d.indices(), tq));
            ObjectNode o = at.addObject();
            Json.put(o, "t", tq);
            o.set("degrees", predictionJson(p));
        }
        if (json.json) {
            printJson(r);
            return 0;
        }
        PrintWriter o = out();
        header(o, setup, store, table, m, d);
        for (int q = 0; q < ts.length; q++) {
            double tq = ts[q];
            Prediction p = tq == 1.0 ? estimator.predictDeletion(d.indices())
                    : estimator.predictWeights(setup.weights(d.indices(), tq));
            o.printf(Locale.ROOT, "%nprediction at w = %s·1_D:%n", fmt(tq));
            printPrediction(o, p);
        }
        return 0;
    }

    static void header(PrintWriter o, Setup setup, SketchStore store, CoefficientTable table, Measures.Measure m,
            Deletions.Deletion d) {
        o.printf(Locale.ROOT, "sketches: %s (m = %d of %d, degree %d, n = %d training steps)%n", store.directory(),
                table.sketches(), store.count(), table.degree(), setup.n());
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

    static void printPrediction(PrintWriter o, Prediction p) {
        o.printf(Locale.ROOT, "  %-6s %12s %12s %12s %14s%n", "degree", "prediction", "std.error", "change",
                "median-of-means");
        for (int d = 1; d <= p.degree(); d++) {
            o.printf(Locale.ROOT, "  %-6d %12.6f %12.6f %+12.6f %14.6f%n", d, p.mean(d), p.standardError(d), p.change(d),
                    p.medianOfMeans(d));
        }
    }

    static ArrayNode predictionJson(Prediction p) {
        ArrayNode a = Json.array();
        for (int d = 1; d <= p.degree(); d++) {
            ObjectNode o = a.addObject();
            o.put("degree", d);
            Json.put(o, "mean", p.mean(d));
            Json.put(o, "standardError", p.standardError(d));
            Json.put(o, "change", p.change(d));
            Json.put(o, "medianOfMeans", p.medianOfMeans(d));
        }
        return a;
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
