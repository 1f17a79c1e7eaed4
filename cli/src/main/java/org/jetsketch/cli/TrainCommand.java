package org.jetsketch.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true,
        header = "Ordinary training of microgpt.", sortOptions = false,
        description = {"Ordinary training of microgpt (one name per step, Adam with linear decay): the "
            + "training loss and the measurement of the trained model. With --out, writes the trained "
            + "parameters (params.json, the --init format) and the per-step losses (losses.csv)."})
final class TrainCommand extends BaseCommand {

    @Option(names = "--steps", paramLabel = "N", description = "Training steps = training names. Default: 1000"
            + " (with --docs: all its names).")
    Integer steps;

    @Mixin Options.Data data;
    @Mixin Options.Measure measure;
    @Mixin Options.JsonOutput json;

    @Option(names = "--out", paramLabel = "DIR", description = "Write params.json and losses.csv here.")
    Path out;

    @Override
    int execute() throws Exception {
        checkOutput("--out", out);
        Setup setup = Setup.resolve(data, steps);
        Measures.Measure m = Measures.parse(measure.spec, setup);
        long t0 = System.nanoTime();
        double[] losses = new double[setup.n()];
        double[] theta;
        try (Progress bar = new Progress(err(), "training", setup.n(), "steps")) {
            theta = setup.train(null, bar, losses);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double value = setup.measure(m.bound(), theta);
        int head = Math.min(10, setup.n());
        int tail = Math.min(100, setup.n());
        double first = mean(losses, 0, head);
        double last = mean(losses, setup.n() - tail, setup.n());

        ObjectNode r = Json.object();
        r.put("command", "train");
        r.put("steps", setup.n());
        r.put("parameters", setup.parameters());
        r.put("training", setup.dataSource);
        r.put("init", setup.initSource);
        Json.put(r, "lossFirst" + head, first);
        Json.put(r, "lossLast" + tail, last);
        r.put("measure", m.spec());
        Json.put(r, "value", value);
        Json.put(r, "seconds", seconds);
        if (out != null) {
            Json.write(out.resolve("params.json"), Json.doubles(theta));
            Csv csv = new Csv(List.of("step", "name", "loss"));
            for (int s = 0; s < setup.n(); s++) csv.row(s, setup.names.get(s), losses[s]);
            csv.write(out.resolve("losses.csv"));
            r.put("out", out.toString());
        }
        if (json.json) {
            printJson(r);
        } else {
            var o = out();
            if (setup.isMicroGpt()) {
                o.printf(Locale.ROOT, "microgpt: P = %d parameters, vocabulary \"%s\" + BOS%n", setup.parameters(),
                        setup.microgpt(name()).vocabulary().characters());
            } else {
                o.printf(Locale.ROOT, "%s: P = %d parameters (%s), %d examples, %d steps (%s)%n", setup.study.name(),
                        setup.parameters(), setup.circuit.layout().describe(), setup.n(), setup.schedule.steps(),
                        setup.schedule.descriptor());
            }
            o.printf(Locale.ROOT, "trained %d steps on %s (init: %s) in %.1f s%n", setup.n(), setup.dataSource,
                    setup.initSource, seconds);
            o.printf(Locale.ROOT, "training loss: %.4f over the first %d steps, %.4f over the last %d%n", first, head,
                    last, tail);
            o.printf(Locale.ROOT, "%s: %.6f%n", m.description(), value);
            if (out != null) o.printf("wrote %s and %s%n", out.resolve("params.json"), out.resolve("losses.csv"));
        }
        return 0;
    }

    static double mean(double[] xs, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) s += xs[i];
        return s / Math.max(1, to - from);
    }
}
