package org.jetsketch.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "curve", mixinStandardHelpOptions = true,
        header = "Exact-direction Taylor curves for a known D, against retraining.", sortOptions = false,
        description = {"Exact-direction mode for a deletion set known in advance: one jet training along "
            + "v = 1_D gives the exact Taylor coefficients of t -> f(t·1_D); the degree-1..k curves are "
            + "shown against retraining at each t (default t = 0, 0.1, ..., 1). With --out, writes "
            + "curve.csv, curve_errors.csv and curve.png."})
final class CurveCommand extends BaseCommand {

    @Option(names = "--steps", paramLabel = "N", description = "Training steps = training names. Default: 1000"
            + " (with --docs: all its names).")
    Integer steps;

    @Option(names = "--degree", paramLabel = "K", defaultValue = "6", description = "Degree. Default: ${DEFAULT-VALUE}.")
    int degree;

    @Option(names = "--t", paramLabel = "LIST", defaultValue = Experiments.DEFAULT_TS,
            description = "Where to retrain: a list or a range a:step:b. Default: 0, 0.1, ..., 1.")
    String t;

    @Option(names = "--no-retrain", description = "Only the exact-direction curve, no retraining.")
    boolean noRetrain;

    @Mixin Options.Data data;
    @Mixin Options.Measure measure;
    @Mixin Options.Deletion deletion;

    @Option(names = "--out", paramLabel = "DIR", description = "Write curve.csv, curve_errors.csv and curve.png here.")
    Path out;

    @Option(names = "--each-containing", paramLabel = "LIST",
            description = "Several deletion sets, one per comma-separated string: the examples whose display name contains it. All"
                    + " their exact directions run in batched jet passes that share the real part (scheme §11);"
                    + " a set from the deletion options is added first.")
    String eachContaining;

    @Option(names = "--per-pass", paramLabel = "B", description = "With several sets: directions per jet pass."
            + " Default: all in one pass.")
    Integer perPass;

    @Mixin Options.Threads threads;
    @Mixin Options.JsonOutput json;

    @Override
    int execute() throws Exception {
        checkOutput("--out", out);
        degree("--degree", degree);
        int th = threads(threads.threads);
        Setup setup = Setup.resolve(data, steps);
        Measures.Measure m = Measures.parse(measure.spec, setup);
        if (eachContaining != null) {
            List<Deletions.Deletion> sets = new ArrayList<>();
            if (deletion.given()) sets.add(Deletions.resolve(deletion, setup, null));
            for (String token : eachContaining.split(",")) {
                if (token.isEmpty()) continue;
                Options.Deletion one = new Options.Deletion();
                one.containing = token;
                sets.add(Deletions.resolve(one, setup, null));
            }
            if (sets.isEmpty()) throw new CliException("--each-containing " + eachContaining + ": no deletion set");
            int b = perPass == null ? sets.size() : positive("--per-pass", perPass);
            return CurveRun.runMany(this, setup, m, sets, degree, Experiments.parseTs(t, err()), !noRetrain, b,
                    threads(threads.threads), out, json.json);
        }
        Deletions.Deletion d = Deletions.resolve(deletion, setup, null);
        return CurveRun.run(this, setup, m, d, degree, Experiments.parseTs(t, err()), !noRetrain, th, out,
                "curve", json.json);
    }
}
