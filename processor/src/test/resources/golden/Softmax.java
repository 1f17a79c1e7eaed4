package golden;

import org.jetsketch.dsl.Circuit;
import org.jetsketch.dsl.Grads;
import org.jetsketch.dsl.Loss;
import org.jetsketch.dsl.Param;
import org.jetsketch.dsl.Params;
import org.jetsketch.dsl.State;
import org.jetsketch.dsl.Step;
import org.jetsketch.dsl.Steps;
import org.jetsketch.dsl.TrainingStep;

/** A linear softmax classifier trained by momentum SGD with a linearly decaying rate. */
@Circuit
public class Softmax {
    @Param double[][] w;

    public Softmax(int inputs, int classes) {
        w = new double[classes][inputs];
    }

    public record Example(double[] x, int label) {}

    @Loss
    double loss(Example e) {
        double[] z = logits(e.x());
        double max = z[0];
        for (int c = 1; c < z.length; c++) max = Math.max(max, z[c]);
        double sum = 0;
        for (int c = 0; c < z.length; c++) sum += Math.exp(z[c] - max);
        return max + Math.log(sum) - z[e.label()];
    }

    double[] logits(double[] x) {
        double[] z = new double[w.length];
        for (int c = 0; c < z.length; c++) {
            for (int i = 0; i < x.length; i++) z[c] += w[c][i] * x[i];
        }
        return z;
    }

    @TrainingStep
    static void momentum(@Params double[] p, @Grads double[] g, @State double[] v, @Step int step, @Steps int steps) {
        double lr = 0.5 * (1.0 - (double) step / steps);
        for (int i = 0; i < p.length; i++) {
            v[i] = 0.9 * v[i] + g[i];
            p[i] -= lr * v[i];
        }
    }
}
