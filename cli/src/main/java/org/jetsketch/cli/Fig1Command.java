package org.jetsketch.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.jetsketch.predict.BranchBounds;
import org.jetsketch.predict.CoefficientTable;
import org.jetsketch.sketch.SketchStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "fig1", mixinStandardHelpOptions = true,
        header = "The paper's figure 1 (stability up to degree 100).", sortOptions = false,
        description = {"The paper's figure 1: 12 random directions at degree 100 over 1000 steps, and the "
            + "stability curve (log2-size of each degree's term) for the loss on a training name (default: "
            + "the first). Writes fig1.png and fig1.csv under --out; the sketches go to --sketch (resumable). "
            + "At the paper's settings this is hours of CPU; scale down with --steps, --degree, --directions."})
final class Fig1Command extends BaseCommand {

    @Option(names = "--steps", paramLabel = "N", description = "Training steps. Default: 1000 (the paper's).")
    Integer steps;

    @Option(names = "--degree", paramLabel = "K", defaultValue = "100", description = "Degree. Default: ${DEFAULT-VALUE}.")
    int degree;

    @Option(names = "--directions", paramLabel = "M", defaultValue = "12",
            description = "Random directions. Default: ${DEFAULT-VALUE}.")
    int directions;

    @Mixin Options.Data data;

    @Option(names = "--measure", paramLabel = "SPEC",
            description = "The measurement (see 'predict --help'). Default: loss:<the first training name>.")
    String measure;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/fig1",
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
        Measures.Measure m = Measures.parse(measure != null ? measure : "loss:" + setup.names.get(0), setup);
        Path dir = sketch != null ? sketch : out.resolve("sketches");
        int t = threads(threads.threads);
        long t0 = System.nanoTime();
        SketchStore store = Experiments.sketch(setup, dir, degree, directions, t, 0, err(), commandLineText());
        CoefficientTable table = Experiments.table(store, m, t, directions, setup);
        ObjectNode extra = Json.object();
        extra.put("steps", setup.n());
        extra.put("sketch", dir.toString());
        Json.put(extra, "seconds", (System.nanoTime() - t0) / 1e9);
        return StabilityRun.report(this, setup, m, table, BranchBounds.radius(store, table), out, "fig1", json.json, extra);
    }
}
