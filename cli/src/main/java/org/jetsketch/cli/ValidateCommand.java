package org.jetsketch.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.jetsketch.predict.CoefficientTable;
import org.jetsketch.predict.DeletionEstimator;
import org.jetsketch.predict.Prediction;
import org.jetsketch.predict.Validation;
import org.jetsketch.sketch.SketchStore;
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

    @Option(names = "--letters", paramLabel = "CHARS", defaultValue = "xzqjvwfp",
            description = "One deletion set per character: the names containing it (empty sets skipped)."
                    + " Default: ${DEFAULT-VALUE}; '' for none.")
    String letters;

    @Option(names = "--random", paramLabel = "N", defaultValue = "0",
            description = "Also N random deletion sets. Default: ${DEFAULT-VALUE}.")
    int random;

    @Option(names = "--size", paramLabel = "S", defaultValue = "10",
            description = "Size of each random deletion set. Default: ${DEFAULT-VALUE}.")
    int size;

    @Option(names = "--sketches", paramLabel = "M", description = "Use only the first M sketches. Default: all.")
    Integer sketches;

    @Option(names = "--out", paramLabel = "DIR", description = "Write validate.csv here.")
    Path out;

    @Mixin Options.Threads threads;
    @Mixin Options.JsonOutput json;

    @Override
    int execute() throws Exception {
        Setup setup = Setup.fromSketch(sketch, "--sketch");
        SketchStore store = Experiments.open(sketch, setup);
        Measures.Measure m = Measures.parse(measure.spec, setup);
        if (random < 0) throw new CliException("--random must be >= 0, got " + random);
        if (random > 0 && (size < 1 || size > setup.n())) {
            throw new CliException("--size must be in 1.." + setup.n() + ", got " + size);
        }
        List<Deletions.Deletion> sets = new ArrayList<>();
        if (deletion.given()) sets.add(Deletions.resolve(deletion, setup, null));
        for (int c : letters.codePoints().distinct().toArray()) {
            String s = Character.toString(c);
            TreeSet<Integer> d = new TreeSet<>();
            for (int i = 0; i < setup.n(); i++) if (setup.names.get(i).contains(s)) d.add(i);
            if (!d.isEmpty()) {
                sets.add(new Deletions.Deletion(d.stream().mapToInt(Integer::intValue).toArray(), "containing \"" + s + "\""));
            }
        }
        SplittableRandom rng = new SplittableRandom(setup.seed * 31 + 7);
        for (int q = 0; q < random; q++) {
            TreeSet<Integer> d = new TreeSet<>();
            while (d.size() < size) d.add(rng.nextInt(setup.n()));
            sets.add(new Deletions.Deletion(d.stream().mapToInt(Integer::intValue).toArray(), "random #" + (q + 1)));
        }
        if (sets.isEmpty()) {
            throw new CliException("no deletion sets: none of --letters occurs in the training names and no"
                    + " --random or deletion option was given");
        }
        int t = threads(threads.threads);
        CoefficientTable table = Experiments.table(store, m, t, sketches);
        DeletionEstimator estimator = DeletionEstimator.cached(table);
        List<double[]> weights = new ArrayList<>();
        for (Deletions.Deletion d : sets) weights.add(setup.weights(d.indices(), 1.0));
        double[] retrained = Experiments.retrainAll(setup, m, weights, t, err(), "retraining " + sets.size() + " sets");
        int k = table.degree();
        Prediction[] predictions = new Prediction[sets.size()];
        for (int q = 0; q < sets.size(); q++) predictions[q] = estimator.predictDeletion(sets.get(q).indices());
        Validation[] perDegree = new Validation[k + 1];
        for (int deg = 1; deg <= k; deg++) {
            List<Validation.Case> cases = new ArrayList<>();
            for (int q = 0; q < sets.size(); q++) {
                double se = predictions[q].standardError(deg);
                cases.add(new Validation.Case(sets.get(q).description(), predictions[q].mean(deg),
                        Double.isFinite(se) ? se : 0.0, retrained[q]));
            }
            perDegree[deg] = Validation.of(cases);
        }

        ObjectNode r = Json.object();
        r.put("command", "validate");
        r.put("measure", m.spec());
        r.put("sketches", table.sketches());
        r.put("degree", k);
        Json.put(r, "f0", table.f0());
        ArrayNode cases = r.putArray("cases");
        for (int q = 0; q < sets.size(); q++) {
            ObjectNode c = cases.addObject();
            c.put("label", sets.get(q).description());
            c.put("size", sets.get(q).size());
            Json.put(c, "retrained", retrained[q]);
            c.set("predictions", PredictCommand.predictionJson(predictions[q]));
        }
        ArrayNode summary = r.putArray("summary");
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
        if (out != null) {
            List<String> header = new ArrayList<>(List.of("label", "size", "f0", "retrained"));
            for (int deg = 1; deg <= k; deg++) {
                header.add("degree_" + deg);
                header.add("se_" + deg);
            }
            Csv csv = new Csv(header);
            for (int q = 0; q < sets.size(); q++) {
                Object[] row = new Object[4 + 2 * k];
                row[0] = sets.get(q).description();
                row[1] = sets.get(q).size();
                row[2] = table.f0();
                row[3] = retrained[q];
                for (int deg = 1; deg <= k; deg++) {
                    row[2 + 2 * deg] = predictions[q].mean(deg);
                    row[3 + 2 * deg] = predictions[q].standardError(deg);
                }
                csv.row(row);
            }
            csv.write(out.resolve("validate.csv"));
            r.put("out", out.resolve("validate.csv").toString());
        }
        if (json.json) {
            printJson(r);
            return 0;
        }
        PrintWriter o = out();
        o.printf(Locale.ROOT, "measurement: %s, f(0) = %.6f; %d sketches of degree %d; %d deletion sets%n",
                m.description(), table.f0(), table.sketches(), k, sets.size());
        o.printf(Locale.ROOT, "  %-22s %5s %12s %24s%n", "deletion set", "|D|", "retrained", "degree-" + k + " prediction");
        for (int q = 0; q < sets.size(); q++) {
            o.printf(Locale.ROOT, "  %-22s %5d %12.6f %13.6f ± %.6f%n", sets.get(q).description(), sets.get(q).size(),
                    retrained[q], predictions[q].mean(k), predictions[q].standardError(k));
        }
        o.printf(Locale.ROOT, "  %-6s %12s %9s %9s %9s %9s%n", "degree", "mean |err|", "within1SE", "within2SE", "pearson",
                "spearman");
        for (int deg = 1; deg <= k; deg++) {
            Validation v = perDegree[deg];
            o.printf(Locale.ROOT, "  %-6d %12.6f %9.2f %9.2f %9s %9s%n", deg, v.meanAbsoluteError(), v.fractionWithinOneSE(),
                    v.fractionWithinTwoSE(), v.pearson(), v.spearman());
        }
        if (out != null) o.printf("wrote %s%n", out.resolve("validate.csv"));
        return 0;
    }
}
