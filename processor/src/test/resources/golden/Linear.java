package golden;

import org.jetsketch.dsl.Circuit;
import org.jetsketch.dsl.Grads;
import org.jetsketch.dsl.Loss;
import org.jetsketch.dsl.Measurement;
import org.jetsketch.dsl.Param;
import org.jetsketch.dsl.Params;
import org.jetsketch.dsl.TrainingStep;

/** Least squares: a weight vector and a scalar bias, squared error, plain SGD. */
@Circuit
public class Linear {
    static final double LEARNING_RATE = 0.1;

    @Param double[] w;
    @Param double b;

    public Linear(int inputs) {
        w = new double[inputs];
    }

    public record Point(double[] x, double y) {}

    @Loss
    double loss(Point p) {
        double r = predict(p.x()) - p.y();
        return 0.5 * r * r;
    }

    @Measurement
    double prediction(double[] x) {
        return predict(x);
    }

    double predict(double[] x) {
        double s = b;
        for (int i = 0; i < x.length; i++) s += w[i] * x[i];
        return s;
    }

    @TrainingStep
    static void sgd(@Params double[] p, @Grads double[] g) {
        for (int i = 0; i < p.length; i++) p[i] -= LEARNING_RATE * g[i];
    }
}
