package org.jetsketch.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "fig2", mixinStandardHelpOptions = true,
        header = "The paper's figure 2 (exact-direction curves of degree 1..6 vs retraining).", sortOptions = false,
        description = {"The paper's figure 2: D = the training names containing \"x\" (among the first 1000), "
            + "measurement = loss on \"max\"; the exact-direction curves of degree 1..6 against retraining at "
            + "t = 0, 0.1, ..., 1 (11 retrainings). Writes fig2.png, fig2.csv and fig2_errors.csv (the error "
            + "table at t = 1) under --out. Scale down with --steps, --degree and --t."})
final class Fig2Command extends BaseCommand {

    @Option(names = "--steps", paramLabel = "N", description = "Training steps. Default: 1000 (the paper's).")
    Integer steps;

    @Option(names = "--degree", paramLabel = "K", defaultValue = "6", description = "Degree. Default: ${DEFAULT-VALUE}.")
    int degree;

    @Option(names = "--t", paramLabel = "LIST", defaultValue = Experiments.DEFAULT_TS,
            description = "Where to retrain. Default: 0, 0.1, ..., 1.")
    String t;

    @Mixin Options.Data data;
    @Mixin Options.Measure measure;
    @Mixin Options.Deletion deletion;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/fig2",
            description = "Output directory. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Mixin Options.Threads threads;
    @Mixin Options.JsonOutput json;

    @Override
    int execute() throws Exception {
        checkOutput("--out", out);
        degree("--degree", degree);
        int th = threads(threads.threads);
        Setup setup = Setup.resolve(data, steps);
        Measures.Measure m = Measures.parse(measure.spec, setup);
        Deletions.Deletion d = Deletions.resolve(deletion, setup, "x");
        return CurveRun.run(this, setup, m, d, degree, Experiments.parseTs(t, err()), true, th, out,
                "fig2", json.json);
    }
}
