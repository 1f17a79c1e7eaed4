package org.jetsketch.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.jetsketch.io.AtomicFiles;
import org.jetsketch.sketch.Sketcher;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every command shares: its streams, --json output and the thread count. */
abstract class BaseCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** The command's name, for messages. */
    String name() {
        return spec.name();
    }

    /** Prints {@code result} as JSON on stdout. */
    void printJson(ObjectNode result) {
        out().println(Json.pretty(result));
        out().flush();
    }

    static int threads(Integer requested) {
        int t = requested == null ? Runtime.getRuntime().availableProcessors() : requested;
        if (t < 1) throw new UsageException("--threads must be at least 1, got " + t);
        return t;
    }

    /** A count option: at least 1, else a usage error. */
    static int positive(String option, int value) {
        if (value < 1) throw new UsageException(option + " must be at least 1, got " + value);
        return value;
    }

    /** A --directions option: in [1, {@link Sketcher#MAX_DIRECTIONS}], else a usage error. */
    static int directions(String option, int value) {
        positive(option, value);
        if (value > Sketcher.MAX_DIRECTIONS) {
            throw new UsageException(option + " must be at most " + Sketcher.MAX_DIRECTIONS + ", got " + value
                    + " (sketch files are numbered with six digits; the standard error falls as 1/sqrt(m), and a"
                    + " million sketches of microgpt at degree 3 already take 201 GB)");
        }
        return value;
    }

    /** The largest --degree the command line accepts (fig1, the paper's highest, uses 100). */
    static final int MAX_DEGREE = 100;

    /** A degree option: in [1, {@value #MAX_DEGREE}], else a usage error. */
    static int degree(String option, int value) {
        if (value < 1 || value > MAX_DEGREE) {
            throw new UsageException(option + " must be between 1 and " + MAX_DEGREE + ", got " + value
                    + (value > MAX_DEGREE ? " (a jet of degree k costs about k^2 per operation and k times the"
                            + " memory; the paper's highest degree is 100)" : ""));
        }
        return value;
    }

    /**
     * Checks, before any work, that files can be written into {@code dir} (creating it): one clear
     * message if a file is where the directory should be, or the location is read-only.
     */
    static void checkOutput(String option, Path dir) {
        if (dir == null) return;
        String problem = AtomicFiles.checkWritableDirectory(dir);
        if (problem != null) {
            throw new CliException(option + " " + dir + ": " + problem + "; nothing was done, choose another"
                    + " directory");
        }
    }

    /** The command line as the user typed it, for "run this again" hints. */
    String commandLineText() {
        StringBuilder sb = new StringBuilder("./jetsketch");
        for (String a : spec.root().commandLine().getParseResult().originalArgs()) {
            sb.append(' ').append(quote(a));
        }
        return sb.toString();
    }

    /** {@code a} as one shell word: as is if plain, else in single quotes. */
    static String quote(String a) {
        if (!a.isEmpty() && a.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-_./:,=@+%".indexOf(c) >= 0)) {
            return a;
        }
        return "'" + a.replace("'", "'\\''") + "'";
    }

    @Override
    public final Integer call() throws Exception {
        return execute();
    }

    abstract int execute() throws Exception;
}
