package org.jetsketch.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.SparkConf;

/**
 * The application class for {@code spark-submit}: {@code sketch ...} or {@code predict ...} with the
 * command line's options, run on the master spark-submit configured (as if {@code --spark MASTER}
 * had been given).
 *
 * <pre>
 * spark-submit --class org.jetsketch.cli.SparkApplication --master spark://host:7077 \
 *     cli/target/cli-0.1.0-SNAPSHOT-spark.jar sketch --sketch /shared/sketches --directions 500
 * </pre>
 */
public final class SparkApplication {
    private SparkApplication() {}

    public static void main(String[] args) {
        int code = run(args, new SparkConf().get("spark.master", null));
        if (code != 0) System.exit(code);
    }

    static int run(String[] args, String master) {
        if (args.length == 0 || !(args[0].equals("sketch") || args[0].equals("predict"))) {
            System.err.println("jetsketch on Spark: the first argument must be 'sketch' or 'predict', got "
                    + (args.length == 0 ? "nothing" : "'" + args[0] + "'"));
            return Main.EXIT_USAGE;
        }
        if (master == null) {
            System.err.println("jetsketch on Spark: no master configured (run me with spark-submit --master ...)");
            return Main.EXIT_USAGE;
        }
        List<String> all = new ArrayList<>(Arrays.asList(args));
        if (!all.contains("--spark") && all.stream().noneMatch(a -> a.startsWith("--spark="))) {
            all.add(1, "--spark");
            all.add(2, master);
        }
        return Main.run(all.toArray(String[]::new), System.out, System.err);
    }
}
