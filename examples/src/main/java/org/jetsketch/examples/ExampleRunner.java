package org.jetsketch.examples;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import org.jetsketch.predict.Prediction;

/**
 * Runs the worked examples and prints what a user would look at: predicted against retrained
 * values with standard errors at each degree, the exact-direction values, the errors, the timings
 * and the most influential training examples.
 *
 * <pre>
 *   ./jetsketch example linear
 *   mvn -q -pl examples exec:java -Dexec.args=linear      (logistic, mlp; none: all three)
 * </pre>
 */
public final class ExampleRunner {
    private ExampleRunner() {}

    /** Runs example {@code name} ({@link Examples#NAMES}) and prints its report to {@code out}. */
    public static void run(String name, PrintStream out) {
        study(name, out);
    }

    /** {@link #run} returning what was measured (for the tests). */
    static DeletionStudy.Result study(String name, PrintStream out) {
        Example<?> example = Examples.byName(name);
        int threads = Runtime.getRuntime().availableProcessors();
        header(example, out);
        DeletionStudy.Result result = DeletionStudy.run(example, threads);
        report(result, out);
        return result;
    }

    public static void main(String[] args) {
        String[] names = args.length == 0 ? Examples.NAMES.toArray(String[]::new) : args;
        for (String name : names) {
            if (!Examples.NAMES.contains(name)) {
                System.err.println("unknown example '" + name + "'; the examples are " + String.join(", ", Examples.NAMES));
                System.exit(2);
            }
        }
        for (int i = 0; i < names.length; i++) {
            if (i > 0) System.out.println();
            run(names[i], System.out);
        }
    }

    private static void header(Example<?> e, PrintStream out) {
        out.printf(Locale.ROOT, "== example %s: %s%n", e.name(), e.title());
        out.printf(Locale.ROOT, "data:        %s%n", e.dataDescription());
        out.printf(Locale.ROOT, "schedule:    %s (%d steps); P = %d parameters (%s)%n", e.schedule().descriptor(),
                e.schedule().steps(), e.circuit().layout().size(), e.circuit().layout().describe());
        out.printf(Locale.ROOT, "measurement: %s%n", e.measurement().description());
        out.printf(Locale.ROOT, "deleting D:  %s, |D| = %d%n", e.deletionDescription(), e.deletionSet().length);
        out.flush();
    }

    private static void report(DeletionStudy.Result r, PrintStream out) {
        Example<?> e = r.example();
        Prediction p = r.prediction();
        out.printf(Locale.ROOT, "trained on all data       f(0)   = %.6f   (training %s)%n", r.f0(), ms(r.trainNanos()));
        out.printf(Locale.ROOT, "retrained without D       f(1_D) = %.6f   (retraining %s); change %+.6f%n",
                r.retrained(), ms(r.retrainNanos()), r.retrained() - r.f0());
        out.println();
        out.printf(Locale.ROOT, "exact direction (one jet training along v = 1_D, degree %d, %s):%n",
                e.exactDegree(), ms(r.exactNanos()));
        out.println("  degree   value at t=1      error vs retrained");
        for (int d = 0; d <= e.exactDegree(); d++) {
            out.printf(Locale.ROOT, "  %6d   %14.6f   %12.3e%n", d, r.exact()[d], r.exactError(d));
        }
        out.println();
        out.printf(Locale.ROOT, "sketch: m = %d random directions, degree %d, seed %d, %d thread(s), %d directions per pass: "
                        + "%s (%s per direction), store %s%n", e.sketches(), e.sketchDegree(), e.seed(), r.threads(),
                DeletionStudy.DIRECTIONS_PER_PASS, seconds(r.sketchNanos()), ms(r.sketchNanos() / e.sketches()),
                bytes(r.storeBytes()));
        out.println("  on the " + r.jetKernels());
        out.printf(Locale.ROOT, "coefficient table %s; prediction for D %s%n", ms(r.tableNanos()), ms(r.predictNanos()));
        out.println("  degree   predicted ± SE            median-of-means   retrained     error        exact-dir.    (pred-exact)/SE");
        for (int d = 1; d <= e.sketchDegree(); d++) {
            double ex = d <= e.exactDegree() ? r.exact()[d] : Double.NaN;
            out.printf(Locale.ROOT, "  %6d   %11.6f ± %-10.6f   %12.6f    %10.6f   %10.3e   %10.6f   %+6.2f%n", d, p.mean(d),
                    p.standardError(d), p.medianOfMeans(d), r.retrained(), r.predictionError(d), ex, r.zAgainstExact(d));
        }
        out.println();
        out.printf(Locale.ROOT, "most influential examples on %s (leave-one-out, degree %d, m = %d, %s); "
                        + "each checked by retraining without it:%n", e.influenceMeasurement().description(),
                e.influenceDegree(), e.sketches(), ms(r.leaveOneOutNanos()));
        out.println("  rank   index   predicted change ± SE        retrained change   in D");
        int rank = 1;
        for (DeletionStudy.Influential inf : r.influential()) {
            out.printf(Locale.ROOT, "  %4d   %5d   %+11.6f ± %-10.6f    %+11.6f        %s%n", rank++, inf.index(),
                    inf.predictedChange(), inf.standardError(), inf.retrainedChange(), inf.inDeletionSet() ? "yes" : "no");
        }
        out.printf(Locale.ROOT, "D = %s%n", Arrays.toString(e.deletionSet()));
        out.flush();
    }

    static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    static String bytes(long b) {
        return b < 1 << 20 ? String.format(Locale.ROOT, "%.1f KiB", b / 1024.0)
                : String.format(Locale.ROOT, "%.2f MiB", b / (1024.0 * 1024.0));
    }
}
