package org.jetsketch.cli;

import java.io.PrintStream;
import org.jetsketch.examples.ExampleRunner;
import org.jetsketch.examples.Examples;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Runs one of the custom-algorithm examples of module {@code examples} ({@link ExampleRunner}). */
@Command(name = "example", mixinStandardHelpOptions = true,
        header = "Run a custom learning algorithm from the examples module.",
        description = {"Runs a custom learning algorithm written as a circuit (module examples): trains it, "
            + "sketches it, and compares predicted deletions with retraining. Names: linear, logistic, mlp."})
final class ExampleCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "The example: linear, logistic or mlp.")
    String example;

    @Override
    int execute() {
        if (!Examples.NAMES.contains(example)) {
            throw new CliException("unknown example '" + example + "'; the examples are " + String.join(", ", Examples.NAMES));
        }
        PrintStream stream = ((Main) spec.root().userObject()).out;
        out().flush();
        ExampleRunner.run(example, stream);
        stream.flush();
        return 0;
    }
}
