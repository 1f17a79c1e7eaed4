package org.jetsketch.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
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
        if (t < 1) throw new CliException("--threads must be at least 1, got " + t);
        return t;
    }

    static int positive(String option, int value) {
        if (value < 1) throw new CliException(option + " must be at least 1, got " + value);
        return value;
    }

    @Override
    public final Integer call() throws Exception {
        return execute();
    }

    abstract int execute() throws Exception;
}
