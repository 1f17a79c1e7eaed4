package org.jetsketch.cli;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.jetsketch.io.AtomicFiles;
import org.jetsketch.jet.JetDomainException;
import org.jetsketch.sketch.SketchStoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The jetsketch command line: {@code ./jetsketch <command> [options]}. Exit codes: 0 success,
 * 1 bad input or a failed run (one clear message on stderr), 2 a usage error (unknown option or
 * command, malformed option value; the usage follows the message).
 */
@Command(name = "jetsketch",
        mixinStandardHelpOptions = true,
        version = "jetsketch 0.1.0",
        sortOptions = false,
        description = {
            "Data-deletion sketches for any learning algorithm written as a circuit (a study): microgpt,",
            "the paper's one-layer character-level GPT (the default), the examples linear, logistic and mlp,",
            "or your own study on --classpath (--study NAME). Predicts what a measurement of the trained",
            "model would be if a set D of training examples had been left out, without retraining.",
            "",
            "Start with:  ./jetsketch demo",
        },
        commandListHeading = "%nCommands:%n",
        footerHeading = "%n",
        footer = {
            "Run './jetsketch <command> --help' for a command's options.",
            "Exit codes: 0 success, 1 bad input or failed run, 2 usage error.",
        },
        subcommands = {
            DemoCommand.class,
            TrainCommand.class,
            SketchCommand.class,
            PredictCommand.class,
            InfluenceCommand.class,
            CurveCommand.class,
            StabilityCommand.class,
            RetrainCommand.class,
            ValidateCommand.class,
            VerifyCommand.class,
            Fig1Command.class,
            Fig2Command.class,
            Fig3Command.class,
            BenchCommand.class,
            InfluenceBenchCommand.class,
            SparkBenchCommand.class,
            ExampleCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class Main implements Runnable {

    /** Exit code of bad input or a failed run. */
    public static final int EXIT_ERROR = 1;
    /** Exit code of a usage error (picocli's). */
    public static final int EXIT_USAGE = CommandLine.ExitCode.USAGE;

    @Spec
    CommandSpec spec;

    final PrintStream out;
    final PrintStream err;

    Main(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command");
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command line with the given streams; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        System.setProperty("java.awt.headless", "true");
        Main main = new Main(out, err);
        CommandLine cl = new CommandLine(main);
        cl.setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        cl.setErr(new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.registerConverter(Path.class, Main::path);
        cl.setParameterExceptionHandler((ex, given) -> {
            // picocli echoes the offending value; escape it like every other message
            CommandLine c = ex.getCommandLine();
            PrintWriter e = c.getErr();
            e.println(Text.inline(ex.getMessage()));
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, e)) c.usage(e);
            e.flush();
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter e = commandLine.getErr();
            String name = commandLine.getCommandSpec().qualifiedName();
            if (ex instanceof UsageException) {
                e.println(name + ": " + Text.printable(ex.getMessage()));
                commandLine.usage(e);
                e.flush();
                return EXIT_USAGE;
            }
            String message = userMessage(ex);
            if (message != null) {
                e.println(name + ": error: " + Text.printable(message));
            } else {
                e.println(name + ": internal error: " + ex);
                ex.printStackTrace(e);
            }
            e.flush();
            return EXIT_ERROR;
        });
        int code = cl.execute(args);
        cl.getOut().flush();
        cl.getErr().flush();
        return code;
    }

    /**
     * A path option's value: refused if empty or blank (Path.of("") is the current directory, so
     * {@code --sketch ""} would write the store among whatever files are there) or if it holds a
     * control character.
     */
    static Path path(String value) {
        if (value.isBlank()) {
            throw new CommandLine.TypeConversionException("an empty path" + (value.isEmpty() ? "" : " (only spaces)")
                    + "; name a file or directory (write . for the current directory)");
        }
        if (!Text.inline(value).equals(value)) {
            throw new CommandLine.TypeConversionException("'" + Text.inline(value) + "' has a control character;"
                    + " paths may not contain them");
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a path (" + e.getReason() + ")");
        }
    }

    /** {@link #path} for a path inside an option's value (--group-by file:F): a usage error naming the option. */
    static Path pathOption(String option, String value) {
        try {
            return path(value);
        } catch (CommandLine.TypeConversionException e) {
            throw new UsageException(option + " " + e.getMessage());
        }
    }

    /** The message of an error caused by the input, or null for a bug. */
    static String userMessage(Throwable ex) {
        if (ex instanceof CliException) return ex.getMessage();
        if (ex instanceof SketchStoreException) return ex.getMessage();
        if (ex instanceof UncheckedIOException u) {
            // a message of its own says more than the cause; without one, getMessage() is the cause's toString()
            boolean own = u.getMessage() != null && !u.getMessage().equals(String.valueOf(u.getCause()));
            return own ? u.getMessage() : ioMessage(u.getCause());
        }
        if (ex instanceof IOException io) return ioMessage(io);
        if (ex instanceof JetDomainException) return ex.getMessage();
        if (ex instanceof IllegalArgumentException) return ex.getMessage();
        if (ex instanceof OutOfMemoryError) {
            return "out of memory (" + ex.getMessage() + "); give the JVM more heap (JAVA_OPTS=-Xmx...) "
                    + "or use fewer --threads";
        }
        return null;
    }

    /** An I/O failure in words: the file and the reason, no Java class name. */
    static String ioMessage(IOException e) {
        if (e instanceof FileSystemException fse && fse.getFile() != null) {
            return fse.getFile() + ": " + AtomicFiles.reason(fse);
        }
        return AtomicFiles.reason(e);
    }
}
