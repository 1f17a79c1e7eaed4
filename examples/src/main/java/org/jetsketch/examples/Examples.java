package org.jetsketch.examples;

import java.util.List;
import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.train.Schedule;

/**
 * The three worked examples, built from seeded data. The settings (data size, deletion set,
 * optimizer hyperparameters) were chosen so that deleting D is a perturbation the Taylor series
 * in the deletion weight resolves: docs/examples.md says what happens outside that regime.
 */
public final class Examples {
    private Examples() {}

    /** The names {@link #byName(String)} knows, in the order the runner shows them. */
    public static final List<String> NAMES = List.of("linear", "logistic", "mlp");

    /** The example called {@code name}. */
    public static Example<?> byName(String name) {
        return switch (name) {
            case "linear" -> linear();
            case "logistic" -> logistic();
            case "mlp" -> mlp();
            default -> throw new IllegalArgumentException("unknown example '" + name + "'; the examples are "
                    + String.join(", ", NAMES));
        };
    }

    /** Where the regression's outlier cluster sits, and the query point of its measurement. */
    static final double[] LINEAR_QUERY = {1.5, 1.0, 0.0};

    /**
     * Least-squares regression by full-batch gradient descent (100 steps, learning rate 0.3) on 60
     * clean points and a cluster of 5 outliers (targets 5 too high); D = the outlier cluster,
     * φ = the prediction at the cluster's centre.
     */
    public static Example<RegressionPoint> linear() {
        int clean = 60;
        int outliers = 5;
        List<RegressionPoint> data = Datasets.regressionWithOutlierCluster(clean, outliers, 1);
        int n = data.size();
        LinearRegression_Circuit circuit = new LinearRegression_Circuit(new LinearRegression(3));
        BoundMeasurement query = circuit.prediction(LINEAR_QUERY.clone());
        return new Example<>("linear",
                "least-squares linear regression, full-batch gradient descent (100 steps, lr 0.3)",
                "n = " + n + ": " + clean + " points y = 1 + 1.5 x0 - 2 x1 + 0.5 x2 + N(0, 0.3^2), x ~ N(0, I_3), then "
                        + outliers + " outliers from one faulty source near x = (1.5, 1, 0) with y 5 too high",
                circuit, data, Schedule.fullBatch(n, 100),
                Datasets.range(clean, n), "the outlier cluster (indices " + clean + ".." + (n - 1) + ")",
                query, query, 4, 3, 300, 1, 1);
    }

    /** The query point of the logistic example: inside class 1, where the mislabelled points sit. */
    static final double[] LOGISTIC_QUERY = {1.5, 0.75};

    /**
     * Logistic regression by Adam (ε = 0.1) over mini-batches of 16 for 10 epochs on two Gaussian
     * classes (40 each) and 6 points from class 1 labelled 0; D = the mislabelled points, φ = the
     * log-odds of class 1 where they sit.
     */
    public static Example<LabeledPoint> logistic() {
        int perClass = 40;
        int mislabelled = 6;
        List<LabeledPoint> data = Datasets.twoClassesWithMislabelled(perClass, mislabelled, 1);
        int n = data.size();
        LogisticRegression_Circuit circuit = new LogisticRegression_Circuit(new LogisticRegression(2, 0.01, 0.1, 0.1));
        BoundMeasurement query = circuit.logOdds(LOGISTIC_QUERY.clone());
        return new Example<>("logistic",
                "logistic regression (L2 0.01), Adam (lr 0.1 decaying to 0, betas 0.9/0.99, eps 0.1), "
                        + "mini-batches of 16, 10 epochs",
                "n = " + n + ": two Gaussian classes N((-1,-0.5), I) and N((1,0.5), I), " + perClass + " each, then "
                        + mislabelled + " points from class 1 near (1.5, 0.75) mislabelled as 0",
                circuit, data, Schedule.miniBatches(n, 16, 10, 1),
                Datasets.range(2 * perClass, n),
                "the mislabelled points (indices " + 2 * perClass + ".." + (n - 1) + ")",
                query, query, 4, 3, 300, 1, 1);
    }

    /** The query point of the MLP example: class 1's centre (−1, √3), rounded. */
    static final double[] MLP_QUERY = {-1.0, 1.732};

    /**
     * A 2-8-3 GELU MLP by SGD with momentum 0.9 (lr 0.01) over mini-batches of 20 for 12 epochs on
     * three Gaussian blobs (20 each) and 3 points from class 1's blob labelled 0; D = the
     * mislabelled points, φ = the log-odds of class 1 against class 0 at class 1's centre.
     */
    public static Example<LabeledPoint> mlp() {
        int perClass = 20;
        int mislabelled = 3;
        List<LabeledPoint> data = Datasets.threeClassesWithMislabelled(perClass, mislabelled, 1);
        int n = data.size();
        MlpClassifier_Circuit circuit = new MlpClassifier_Circuit(new MlpClassifier(2, 8, 3, 0.01, 0.9, 1));
        BoundMeasurement query = circuit.logOdds(MLP_QUERY.clone(), 1, 0);
        return new Example<>("mlp",
                "2-8-3 MLP (GELU hidden layer, softmax cross-entropy), SGD + momentum 0.9 (lr 0.01), "
                        + "mini-batches of 20, 12 epochs",
                "n = " + n + ": three Gaussian blobs (sigma 0.8) at radius 2, " + perClass + " each, then "
                        + mislabelled + " points from class 1's blob mislabelled as 0",
                circuit, data, Schedule.miniBatches(n, 20, 12, 1),
                Datasets.range(3 * perClass, n),
                "the mislabelled points (indices " + 3 * perClass + ".." + (n - 1) + ")",
                query, query, 4, 3, 300, 1, 1);
    }
}
