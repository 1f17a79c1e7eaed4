package org.jetsketch.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "retrain", mixinStandardHelpOptions = true,
        header = "The ground truth: retrain with D deleted and measure.", sortOptions = false,
        description = {"The ground truth: ordinary training with D deleted (each name in D weighted 1 - t, "
            + "t = 1 deletes it; same schedule and optimizer) and the measurement of the result, next to "
            + "the measurement of the model trained on all names."})
final class RetrainCommand extends BaseCommand {

    @Option(names = "--steps", paramLabel = "N", description = "Training steps = training names. Default: 1000"
            + " (with --docs: all its names).")
    Integer steps;

    @Mixin Options.Data data;
    @Mixin Options.Measure measure;
    @Mixin Options.Deletion deletion;

    @Option(names = "--t", paramLabel = "LIST", defaultValue = "1",
            description = "Weights t·1_D to retrain with: a list or a range a:step:b. Default: ${DEFAULT-VALUE}.")
    String t;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Write the retrained parameters here (params-t<t>.json, the --init format).")
    Path out;

    @Mixin Options.Threads threads;
    @Mixin Options.JsonOutput json;

    @Override
    int execute() throws Exception {
        checkOutput("--out", out);
        int th = threads(threads.threads);
        Setup setup = Setup.resolve(data, steps);
        Measures.Measure m = Measures.parse(measure.spec, setup);
        Deletions.Deletion d = Deletions.resolve(deletion, setup, null);
        double[] ts = Experiments.parseTs(t, err());
        long t0 = System.nanoTime();
        List<double[]> weights = new ArrayList<>();
        weights.add(null);
        for (double tq : ts) weights.add(setup.weights(d.indices(), tq));
        List<double[]> thetas = Experiments.interruptible(() -> setup.runs.trainAll(weights, th, Progress.bars(err()),
                "training (all " + setup.nouns() + " + " + ts.length + " retrainings)"));
        double f0 = setup.measure(m.bound(), thetas.get(0));
        double[] values = new double[ts.length];
        for (int q = 0; q < ts.length; q++) values[q] = setup.measure(m.bound(), thetas.get(q + 1));
        double seconds = (System.nanoTime() - t0) / 1e9;

        ObjectNode r = Json.object();
        r.put("command", "retrain");
        r.put("steps", setup.steps());
        r.put("examples", setup.n());
        r.put("measure", m.spec());
        r.set("deletion", PredictCommand.deletionJson(setup, d));
        Json.put(r, "f0", f0);
        ArrayNode rows = r.putArray("retrained");
        for (int q = 0; q < ts.length; q++) {
            ObjectNode row = rows.addObject();
            Json.put(row, "t", ts[q]);
            Json.put(row, "value", values[q]);
            Json.put(row, "change", values[q] - f0);
        }
        Json.put(r, "seconds", seconds);
        List<Path> written = new ArrayList<>();
        if (out != null) {
            for (int q = 0; q < ts.length; q++) {
                Path p = out.resolve("params-t" + PredictCommand.fmt(ts[q]) + ".json");
                Json.write(p, Json.doubles(thetas.get(q + 1)));
                written.add(p);
            }
        }
        if (json.json) {
            printJson(r);
            return 0;
        }
        PrintWriter o = out();
        o.printf(Locale.ROOT, "measurement: %s, %s%n", m.description(), setup.size());
        PredictCommand.printDeletion(o, setup, d);
        o.printf(Locale.ROOT, "trained on all names:   %.6f%n", f0);
        for (int q = 0; q < ts.length; q++) {
            o.printf(Locale.ROOT, "retrained, w = %s·1_D: %.6f (change %+.6f)%n", PredictCommand.fmt(ts[q]), values[q],
                    values[q] - f0);
        }
        o.printf(Locale.ROOT, "time: %.1f s%n", seconds);
        for (Path p : written) o.printf("wrote %s%n", p);
        return 0;
    }
}
