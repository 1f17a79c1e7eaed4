package org.jetsketch.examples.churn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.jetsketch.io.AtomicFiles;

/**
 * How {@code churn.csv} (next to {@link ChurnStudy}) was made, once: 200 synthetic customers of a
 * subscription service, drawn with {@code new Random(}{@value #SEED}{@code )}. Per customer, in
 * this order: the region (north 30 %, south 30 %, east 20 %, west 20 %), the tenure in years
 * (exponential with mean 3, capped at 10, one decimal), the monthly charges in hundreds of dollars
 * (uniform on [0.3, 1.2], two decimals), the support calls of the last year (Poisson with mean
 * 1.2, at most 9), and whether they churned: Bernoulli(σ(z)) with z = −0.3 − 0.45 tenure +
 * 1.8 (charges − 0.75) + 0.55 calls, plus 0.9 in the west (a competitor opened there).
 *
 * <p>{@code ChurnDataTest} regenerates the file and compares it byte for byte with the committed one.
 * To write it again: {@code java ChurnData.java <path>} with the runtime on the class path.
 */
public final class ChurnData {
    private ChurnData() {}

    public static final long SEED = 20;
    public static final int CUSTOMERS = 200;

    /** The CSV text (LF line ends). */
    public static String csv() {
        Random r = new Random(SEED);
        StringBuilder b = new StringBuilder("customer,region,tenure_years,monthly_charges,support_calls,churned\n");
        for (int i = 1; i <= CUSTOMERS; i++) {
            double u = r.nextDouble();
            String region = u < 0.3 ? "north" : u < 0.6 ? "south" : u < 0.8 ? "east" : "west";
            double tenure = Math.round(Math.min(10, -3 * Math.log(1 - r.nextDouble())) * 10) / 10.0;
            double charges = Math.round((0.3 + 0.9 * r.nextDouble()) * 100) / 100.0;
            int calls = Math.min(9, poisson(r, 1.2));
            double z = -0.3 - 0.45 * tenure + 1.8 * (charges - 0.75) + 0.55 * calls + (region.equals("west") ? 0.9 : 0);
            int churned = r.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
            b.append(String.format(Locale.ROOT, "C%03d,%s,%.1f,%.2f,%d,%d\n", i, region, tenure, charges, calls, churned));
        }
        return b.toString();
    }

    /** Knuth's method: the number of uniform factors before their product drops below e^−mean. */
    private static int poisson(Random r, double mean) {
        double limit = Math.exp(-mean);
        double product = r.nextDouble();
        int k = 0;
        while (product > limit) {
            product *= r.nextDouble();
            k++;
        }
        return k;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) throw new IllegalArgumentException("usage: ChurnData <output.csv>");
        AtomicFiles.writeString(Path.of(args[0]), csv());
    }
}
