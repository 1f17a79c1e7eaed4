package org.jetsketch.cli;

import java.nio.file.Path;
import org.jetsketch.predict.BranchBounds;
import org.jetsketch.predict.CoefficientTable;
import org.jetsketch.sketch.SketchStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "stability", mixinStandardHelpOptions = true,
        header = "The stability diagnostic: how fast the Taylor terms fall with the degree.", sortOptions = false,
        description = {"The stability diagnostic: per degree r, the log2-size of the degree-r term of the "
            + "measurement's Taylor series along each sketch direction. Small k suffices when it falls "
            + "quickly with r. With --out, writes stability.csv and stability.png."})
final class StabilityCommand extends BaseCommand {

    @Option(names = "--sketch", paramLabel = "DIR", defaultValue = "out/sketch",
            description = "Sketch directory (from 'sketch'). Default: ${DEFAULT-VALUE}.")
    Path sketch;

    @Mixin Options.Measure measure;

    @Option(names = "--sketches", paramLabel = "M", description = "Use only the first M sketches. Default: all.")
    Integer sketches;

    @Option(names = "--out", paramLabel = "DIR", description = "Write stability.csv and stability.png here.")
    Path out;

    @Mixin Options.SkipCorrupt skip;
    @Mixin Options.Threads threads;
    @Mixin Options.JsonOutput json;
    @Mixin Options.StudyChoice studyChoice;

    @Override
    int execute() throws Exception {
        checkOutput("--out", out);
        threads(threads.threads);
        Setup setup = Setup.fromSketch(sketch, "--sketch", studyChoice);
        Experiments.Opened opened = Experiments.openSketches(sketch, setup, skip.skipCorrupt, err());
        SketchStore store = opened.store();
        Measures.Measure m = Measures.parse(measure.spec, setup);
        CoefficientTable table = Experiments.table(store, m, threads(threads.threads), sketches, setup);
        return StabilityRun.report(this, setup, m, table, BranchBounds.radius(store, table), out, "stability", json.json, null);
    }
}
