package org.jetsketch.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import org.jetsketch.sketch.SketchStore;
import org.jetsketch.sketch.SketchStoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "verify", mixinStandardHelpOptions = true,
        header = "Check every file of a sketch directory and report.", sortOptions = false,
        description = {"Checks a sketch directory completely: run.json (its checksum and its agreement with "
            + "header.jss), header.jss, and every sketch file (header, run identity and every coefficient "
            + "checksum), and lists the sketches that are missing. Exit code 0 if everything is intact, 1 "
            + "otherwise, with how to repair."})
final class VerifyCommand extends BaseCommand {

    @Option(names = "--sketch", paramLabel = "DIR", defaultValue = "out/sketch",
            description = "Sketch directory. Default: ${DEFAULT-VALUE}.")
    Path sketch;

    @Mixin Options.JsonOutput json;
    @Mixin Options.StudyChoice studyChoice;

    @Override
    int execute() throws Exception {
        List<String> problems = new ArrayList<>();
        Setup setup = null;
        String runFile;
        try {
            setup = Setup.fromSketch(sketch, "--sketch", studyChoice);
            runFile = "ok";
        } catch (CliException e) {
            runFile = e.getMessage();
            problems.add(e.getMessage());
        }
        SketchStore store;
        try {
            store = SketchStore.inspect(sketch);
        } catch (SketchStoreException e) {
            problems.add(e.getMessage() + "\n  the store's header is unusable: re-sketch into a new directory");
            return report(problems, runFile, null, null, new int[0], 0);
        }
        if (setup != null) {
            try {
                setup.checkAgainst(store.header(), sketch);
            } catch (CliException e) {
                runFile = e.getMessage();
                problems.add(e.getMessage());
            }
            setup.warnAboutContext(err(), "the run in " + sketch.resolve(Setup.RUN_FILE));
            if (setup.recordedGrouping == null) {
                err().println("warning: " + Setup.RUN_FILE + " records no grouping (written by an earlier version), so"
                        + " its grouping was not checked against header.jss; " + Experiments.resumeCommand(sketch)
                        + " rewrites it");
                err().flush();
            }
        }
        store.verifyEach();
        SortedMap<Integer, SketchStoreException> damaged = store.damaged();
        String repair = setup != null ? Experiments.repairHint(setup, sketch)
                : "re-run the sketch command that made the store; it verifies every file and recomputes the damaged ones";
        damaged.values().forEach(e -> problems.add(e.getMessage()));
        int expected = setup != null ? setup.recordedDirections : 0;
        int[] present = store.indices();
        if (present.length > 0) expected = Math.max(expected, present[present.length - 1] + 1);
        List<Integer> missing = new ArrayList<>();
        for (int j = 0; j < expected; j++) if (!store.contains(j) && !damaged.containsKey(j)) missing.add(j);
        if (!missing.isEmpty()) {
            problems.add(missing.size() + " of " + expected + " sketches missing (" + names(missing)
                    + "); the sketch command that made the store computes them: "
                    + Experiments.resumeCommand(sketch));
        }
        if (!damaged.isEmpty()) problems.add("repair: " + repair);
        return report(problems, runFile, store, damaged, missing.stream().mapToInt(Integer::intValue).toArray(), expected);
    }

    private int report(List<String> problems, String runFile, SketchStore store,
            SortedMap<Integer, SketchStoreException> damaged, int[] missing, int expected) {
        boolean ok = problems.isEmpty();
        if (json.json) {
            ObjectNode r = Json.object();
            r.put("command", "verify");
            r.put("sketch", sketch.toString());
            r.put("ok", ok);
            r.put("runFile", runFile);
            r.put("header", store != null ? "ok" : "damaged");
            if (store != null) {
                r.put("intact", store.count());
                r.put("expected", Math.max(expected, store.count()));
                ArrayNode d = r.putArray("damaged");
                damaged.forEach((j, e) -> {
                    ObjectNode x = d.addObject();
                    x.put("index", j);
                    x.put("file", e.file().getFileName().toString());
                    x.put("section", e.section());
                    x.put("problem", e.problem());
                });
                ArrayNode m = r.putArray("missing");
                for (int j : missing) m.add(j);
            }
            ArrayNode p = r.putArray("problems");
            problems.forEach(p::add);
            printJson(r);
        } else {
            PrintWriter o = out();
            if (store != null) {
                o.printf(Locale.ROOT, "%s: header.jss intact (n = %d, P = %d, degree %d, seed %d); %d of %d sketches"
                        + " intact, %d damaged, %d missing; run.json %s%n", sketch, store.header().examples(),
                        store.header().parameters(), store.header().degree(), store.header().directionSeed(),
                        store.count(), Math.max(expected, store.count()), damaged.size(), missing.length,
                        "ok".equals(runFile) ? "intact and agrees with header.jss" : "has a problem");
            }
            for (String p : problems) o.println("  " + Text.printable(p));
            if (ok) o.println("  every file is intact");
        }
        return ok ? 0 : Main.EXIT_ERROR;
    }

    private static String names(List<Integer> indices) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(indices.size(), 8); i++) {
            sb.append(i == 0 ? "" : ", ").append(SketchStore.sketchFileName(indices.get(i)));
        }
        if (indices.size() > 8) sb.append(", ... (").append(indices.size() - 8).append(" more)");
        return sb.toString();
    }
}
