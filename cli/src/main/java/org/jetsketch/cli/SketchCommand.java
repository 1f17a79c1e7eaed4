package org.jetsketch.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.jetsketch.sketch.Groups;
import org.jetsketch.sketch.SketchStore;
import org.jetsketch.sketch.SketchStoreException;
import org.jetsketch.sketch.Sketcher;
import org.jetsketch.sketch.StoreHeader;
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
            description = "Sketch directory. Default: ${DEFAULT-VALUE}. Without --data, --docs, --steps, --seed or"
                    + " --init, a directory with a run.json resumes the run recorded there (its degree and grouping"
                    + " from header.jss unless given).")
    Path sketch;

    @Option(names = "--steps", paramLabel = "N", description = "Training steps = training names. Default: 1000"
            + " (with --docs: all its names).")
    Integer steps;

    @Option(names = "--degree", paramLabel = "K", defaultValue = "3", description = "Jet degree k. Default: ${DEFAULT-VALUE}.")
    int degree;

    @Option(names = "--directions", paramLabel = "M", defaultValue = "16",
            description = "Number of random directions m, at most 1000000 (checked, with the free disk space the"
                    + " missing sketches need, before anything is written). Default: ${DEFAULT-VALUE}; with only"
                    + " --sketch DIR on a store: the number it records.")
    int directions;

    @Option(names = "--per-pass", paramLabel = "B", defaultValue = "0",
            description = "Directions carried by one jet pass (they share the real part; the sketches are the same "
                + "bits whatever B; never more than m). Refused before anything is written if the passes that run at"
                + " once would not fit the heap. Default: chosen by measurement, 16 up to degree 3, 8 up to degree 6,"
                + " else 1.")
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
        // every option value is checked before anything is read or written
        if (matched("--degree")) degree("--degree", degree);
        if (matched("--directions")) directions("--directions", directions);
        if (perPass < 0 || perPass > Sketcher.MAX_DIRECTIONS) {
            throw new UsageException("--per-pass must be between 1 and " + Sketcher.MAX_DIRECTIONS + " (or 0: the"
                    + " default), got " + perPass);
        }
        int th = threads(threads.threads);
        long t0 = System.nanoTime();
        Setup setup;
        Groups groups;
        if (resumesRecordedRun()) {
            // sketch --sketch DIR alone: the run recorded there, at its degree and grouping (the repair hints' command)
            setup = Setup.fromSketch(sketch, "--sketch", data.choice());
            StoreHeader h;
            try {
                h = SketchStore.inspect(sketch).header();
            } catch (SketchStoreException e) {
                throw Experiments.damaged(e, sketch, setup);
            }
            setup.checkAgainst(h, sketch);
            setup.warnAboutContext(err(), "the run in " + sketch.resolve(Setup.RUN_FILE));
            if (!matched("--degree")) degree = h.degree();
            groups = groupBy == null ? h.groups() : GroupBy.resolve(groupBy, setup, "--group-by");
            if (!matched("--directions")) directions = Math.max(1, setup.recordedDirections);
            err().println("resuming the training run recorded in " + sketch.resolve(Setup.RUN_FILE) + " (" + setup.n()
                    + " training names, seed " + setup.seed + "), degree " + degree + ", " + Setup.grouping(groups)
                    + ", " + directions + " directions");
            err().flush();
        } else {
            setup = Setup.resolve(data, steps);
            groups = groupBy == null ? null : GroupBy.resolve(groupBy, setup, "--group-by");
        }
        // one training name per group is the per-example scheme exactly (scheme §9): say so, and sketch it as such
        boolean perExample = groups != null && groups.isSingletons();
        Groups stored = perExample ? null : groups;
        SketchStore store;
        if (spark != null) {
            Experiments.sketchOnSpark(setup, sketch, degree, directions, perPass, stored, spark, err(), commandLineText());
            store = Experiments.openSketches(sketch, setup, false, err()).store();
        } else {
            store = Experiments.sketch(setup, sketch, degree, directions, th, perPass, stored, err(), commandLineText());
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
        if (groupBy != null) r.put("groupBy", groupBy);
        if (stored != null) {
            r.put("groups", stored.count());
        } else if (perExample) {
            r.putNull("groups");
            r.put("perExample", PER_EXAMPLE_NOTE);
        }
        Json.put(r, "seconds", seconds);
        if (json.json) {
            printJson(r);
        } else {
            out().printf(Locale.ROOT, "%s: %d sketches of degree %d (%d training steps, P = %d), %.1f MB, in %.1f s%n",
                    sketch, store.count(), store.header().degree(), setup.n(), setup.parameters(),
                    store.sizeOnDisk() / 1e6, seconds);
            String by = groupBy != null ? Text.inline(groupBy) : "the grouping in header.jss";
            if (stored != null) {
                out().printf(Locale.ROOT, "grouped by %s: G = %d groups (%s)%n", by, stored.count(),
                        GroupBy.preview(stored));
            } else if (perExample) {
                out().printf(Locale.ROOT, "grouped by %s: %s%n", by, PER_EXAMPLE_NOTE);
            }
        }
        return 0;
    }

    /** What a grouping with one training name per group gives. */
    static final String PER_EXAMPLE_NOTE = "every group holds one training name, so these are per-example sketches (the"
            + " grouped scheme with G = n is the per-example one); delete with --delete-indices, --delete-containing or"
            + " --delete-file, not --delete-groups";

    /** Whether an option was given on the command line (not only its default). */
    private boolean matched(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    /**
     * Whether this run continues the one recorded in --sketch: no option names a training run
     * (--data, --docs, --steps, --seed, --init) and the directory has a run.json.
     */
    private boolean resumesRecordedRun() {
        for (String o : new String[] {"--data", "--docs", "--steps", "--seed", "--init"}) {
            if (matched(o)) return false;
        }
        return Files.isRegularFile(sketch.resolve(Setup.RUN_FILE));
    }
}
