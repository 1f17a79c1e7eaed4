package org.jetsketch.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Locale;
import org.jetsketch.sketch.Groups;
import org.jetsketch.sketch.SketchStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "sketch", mixinStandardHelpOptions = true,
        header = "Sketch the training run: jet trainings along random directions, stored on disk.", sortOptions = false,
        description = {"Precomputation: one jet training of degree k per random complex direction, each stored "
            + "in --sketch DIR as soon as it is done. Resumable: a second run computes only the missing "
            + "directions (and so adds directions when --directions grows)."})
final class SketchCommand extends BaseCommand {

    @Option(names = "--sketch", paramLabel = "DIR", defaultValue = "out/sketch",
            description = "Sketch directory. Default: ${DEFAULT-VALUE}.")
    Path sketch;

    @Option(names = "--steps", paramLabel = "N", description = "Training steps = training names. Default: 1000"
            + " (with --docs: all its names).")
    Integer steps;

    @Option(names = "--degree", paramLabel = "K", defaultValue = "3", description = "Jet degree k. Default: ${DEFAULT-VALUE}.")
    int degree;

    @Option(names = "--directions", paramLabel = "M", defaultValue = "16",
            description = "Number of random directions m. Default: ${DEFAULT-VALUE}.")
    int directions;

    @Option(names = "--per-pass", paramLabel = "B", defaultValue = "0",
            description = "Directions carried by one jet pass (they share the real part; the sketches are the same "
                + "bits whatever B). Default: chosen by measurement, 16 up to degree 3, 8 up to degree 6, else 1.")
    int perPass;

    @Option(names = "--group-by", paramLabel = "SPEC", description = GroupBy.HELP
            + " Directions then live in C^G and deletion sets are unions of groups. Default: per-example.")
    String groupBy;

    @Option(names = "--spark", paramLabel = "MASTER",
            description = "Sketch on Apache Spark: local[N], spark://host:7077, yarn, ... The store is the one the"
                    + " local sketcher writes, byte for byte; --sketch must be on a file system every executor"
                    + " shares. --threads is then ignored.")
    String spark;

    @Mixin Options.Data data;
    @Mixin Options.Threads threads;
    @Mixin Options.JsonOutput json;

    @Override
    int execute() throws Exception {
        checkOutput("--sketch", sketch);
        degree("--degree", degree);
        positive("--directions", directions);
        if (perPass < 0) throw new UsageException("--per-pass must be >= 1 (or 0: the default), got " + perPass);
        int th = threads(threads.threads);
        Setup setup = Setup.resolve(data, steps, 1000);
        long t0 = System.nanoTime();
        Groups groups = groupBy == null ? null : GroupBy.resolve(groupBy, setup, "--group-by");
        SketchStore store;
        if (spark != null) {
            Experiments.sketchOnSpark(setup, sketch, degree, directions, perPass, groups, spark, err(), commandLineText());
            store = Experiments.openSketches(sketch, setup, false, err()).store();
        } else {
            store = Experiments.sketch(setup, sketch, degree, directions, th, perPass, groups, err(), commandLineText());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        ObjectNode r = Json.object();
        r.put("command", "sketch");
        r.put("sketch", sketch.toString());
        r.put("steps", setup.n());
        r.put("degree", store.header().degree());
        r.put("directions", store.count());
        r.put("directionSeed", store.header().directionSeed());
        r.put("spark", spark);
        r.put("bytes", store.sizeOnDisk());
        if (groups != null) {
            r.put("groupBy", groupBy);
            r.put("groups", groups.count());
        }
        Json.put(r, "seconds", seconds);
        if (json.json) {
            printJson(r);
        } else {
            out().printf(Locale.ROOT, "%s: %d sketches of degree %d (%d training steps, P = %d), %.1f MB, in %.1f s%n",
                    sketch, store.count(), store.header().degree(), setup.n(), setup.parameters(),
                    store.sizeOnDisk() / 1e6, seconds);
            if (groups != null) {
                out().printf(Locale.ROOT, "grouped by %s: G = %d groups (%s)%n", groupBy, groups.count(),
                        String.join(", ", groups.names().subList(0, Math.min(12, groups.count())))
                                + (groups.count() > 12 ? ", ..." : ""));
            }
        }
        return 0;
    }
}
