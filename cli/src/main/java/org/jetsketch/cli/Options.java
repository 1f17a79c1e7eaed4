package org.jetsketch.cli;

import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The option groups several commands share (picocli mixins). */
final class Options {
    private Options() {}

    /** Where the training names and the initial parameters come from. */
    static final class Data {
        /** The command this mixin is in: where {@link Setup#resolve} prints its warnings. */
        @Spec(Spec.Target.MIXEE)
        CommandSpec mixee;

        @Option(names = "--data", paramLabel = "FILE",
                description = "Names file, one name per line (UTF-8); its characters are the vocabulary."
                        + " Default: the bundled list of 32,033 names.")
        Path data;

        @Option(names = "--docs", paramLabel = "FILE",
                description = "The training names in order, one per line, not shuffled: step s trains on"
                        + " line s. Default: the names of --data shuffled once with --seed.")
        Path docs;

        @Option(names = "--init", paramLabel = "FILE",
                description = "A JSON array of the P initial parameters in the documented order (wte,"
                        + " wpe, lm_head, attn_wq, attn_wk, attn_wv, attn_wo, mlp_fc1, mlp_fc2; each"
                        + " row-major; P = 4192 for 27 tokens). Default: N(0, 0.08²) drawn with --seed.")
        Path init;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
                description = "Seed of the shuffle, the initialisation and the sketch directions."
                        + " Default: ${DEFAULT-VALUE}.")
        long seed;
    }

    /** The measurement φ. */
    static final class Measure {
        @Option(names = "--measure", paramLabel = "SPEC",
                description = "The measurement: loss:<name> (the model's loss on a name),"
                        + " prob:<prefix>:<next-char> (the probability of a character after a prefix;"
                        + " next-char 'end' is the end of the name) or logit:<prefix>:<next-char>."
                        + " Default: loss:max.")
        String spec;
    }

    /** The deletion set D (a union of what is given). */
    static final class Deletion {
        @Option(names = "--delete-containing", paramLabel = "STR",
                description = "Delete every training name that contains STR.")
        String containing;

        @Option(names = "--delete-indices", paramLabel = "LIST",
                description = "Delete these training steps (0-based), e.g. 3,17,40-49.")
        String indices;

        @Option(names = "--delete-file", paramLabel = "FILE",
                description = "Delete the training steps (0-based) listed in FILE, separated by"
                        + " commas, spaces or new lines; ranges a-b allowed; # starts a comment.")
        Path file;

        boolean given() {
            return containing != null || indices != null || file != null;
        }
    }

    /** --json. */
    static final class JsonOutput {
        @Option(names = "--json", description = "Print the result as JSON on stdout (progress stays on stderr).")
        boolean json;
    }

    /** --skip-corrupt, for the commands that read sketches. */
    static final class SkipCorrupt {
        @Option(names = "--skip-corrupt",
                description = "Verify every sketch file and use only the intact ones, naming the damaged ones"
                        + " (without it a damaged file stops the command with the file named and how to repair it).")
        boolean skipCorrupt;
    }

    /** --threads. */
    static final class Threads {
        @Option(names = "--threads", paramLabel = "N",
                description = "Worker threads. Default: the number of cores.")
        Integer threads;
    }
}
