package org.jetsketch.cli;

import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The option groups several commands share (picocli mixins). */
final class Options {
    private Options() {}

    static final String STUDY_HELP = "The learning problem (a registered org.jetsketch.study.Study): microgpt,"
            + " linear, logistic, mlp, or a study of your own on --classpath, by name or class name."
            + " Default: microgpt.";
    static final String CLASSPATH_HELP = "Jars or class directories (separated by the platform's path separator)"
            + " searched for studies before --study is looked up.";

    /** Which study, and where to find it. */
    static final class StudyChoice {
        @Option(names = "--study", paramLabel = "NAME", description = STUDY_HELP
                + " Commands that read a store use the study recorded with it; naming another is refused.")
        String study;

        @Option(names = "--classpath", paramLabel = "PATH", description = CLASSPATH_HELP)
        String classpath;
    }

    /** Which study, where its training examples and initial parameters come from. */
    static final class Data {
        /** The command this mixin is in: where {@link Setup#resolve} prints its warnings. */
        @Spec(Spec.Target.MIXEE)
        CommandSpec mixee;

        @Option(names = "--study", paramLabel = "NAME", description = STUDY_HELP)
        String study;

        @Option(names = "--classpath", paramLabel = "PATH", description = CLASSPATH_HELP)
        String classpath;

        @Option(names = "--option", paramLabel = "KEY=VALUE",
                description = "A study's own option (repeatable); the study's usage lists them.")
        java.util.List<String> options;

        /** --study and --classpath, for the store-reading paths of commands that also build runs. */
        StudyChoice choice() {
            StudyChoice c = new StudyChoice();
            c.study = study;
            c.classpath = classpath;
            return c;
        }

        @Option(names = "--data", paramLabel = "FILE",
                description = "The study's data file. microgpt: a names file, one name per line (UTF-8); its"
                        + " characters are the vocabulary. Default: the bundled list of 32,033 names.")
        Path data;

        @Option(names = "--docs", paramLabel = "FILE",
                description = "microgpt: the training names in order, one per line, not shuffled: step s"
                        + " trains on line s. Default: the names of --data shuffled once with --seed.")
        Path docs;

        @Option(names = "--init", paramLabel = "FILE",
                description = "A JSON array of the P initial parameters in the circuit's layout order (microgpt: wte,"
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
                description = "The measurement, as the study names it. microgpt: loss:<name> (the model's loss on a name),"
                        + " prob:<prefix>:<next-char> (the probability of a character after a prefix;"
                        + " next-char 'end' is the end of the name) or logit:<prefix>:<next-char>."
                        + " Other studies: their circuit's @Measurement methods, method:arg;arg (array elements"
                        + " separated by ','), and loss:<index>. Default: the study's (microgpt: loss:max).")
        String spec;
    }

    /** The deletion set D (a union of what is given). */
    static final class Deletion {
        @Option(names = "--delete-containing", paramLabel = "STR",
                description = "Delete every training example whose display name contains STR (microgpt: the name).")
        String containing;

        @Option(names = "--delete-indices", paramLabel = "LIST",
                description = "Delete these training examples by index (0-based; microgpt: the steps), e.g. 3,17,40-49.")
        String indices;

        @Option(names = "--delete-file", paramLabel = "FILE",
                description = "Delete the training examples by index (0-based) listed in FILE, separated by"
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
