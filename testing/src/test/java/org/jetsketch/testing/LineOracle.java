package org.jetsketch.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * The closed-form least-squares line through weighted points, and the data of the tests: 18
 * points on y = 1 + 2x with small deterministic noise, then 2 outliers at x = 0.9 lying 4 above
 * the line (indices 18 and 19).
 */
final class LineOracle {
    private LineOracle() {}

    static final int[] OUTLIERS = {18, 19};
    static final int STEPS = 200;
    static final double LEARNING_RATE = 0.5;

    static List<Line.Point> data() {
        List<Line.Point> out = new ArrayList<>();
        for (int i = 0; i < 18; i++) {
            double x = -1 + 2.0 * i / 17;
            double noise = 0.1 * Math.sin(3.7 * i + 1);
            out.add(new Line.Point(x, 1 + 2 * x + noise));
        }
        out.add(new Line.Point(0.85, 1 + 2 * 0.85 + 4));
        out.add(new Line.Point(0.95, 1 + 2 * 0.95 + 4));
        return out;
    }

    /** {a, b} of the least-squares line through the points not in {@code deleted}. */
    static double[] fit(List<Line.Point> data, int... deleted) {
        double s = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
        outer:
        for (int i = 0; i < data.size(); i++) {
            for (int d : deleted) if (d == i) continue outer;
            Line.Point p = data.get(i);
            s += 1;
            sx += p.x();
            sy += p.y();
            sxx += p.x() * p.x();
            sxy += p.x() * p.y();
        }
        double b = (s * sxy - sx * sy) / (s * sxx - sx * sx);
        double a = (sy - b * sx) / s;
        return new double[] {a, b};
    }

    static double slope(List<Line.Point> data, int... deleted) {
        return fit(data, deleted)[1];
    }

    static double prediction(List<Line.Point> data, double x, int... deleted) {
        double[] ab = fit(data, deleted);
        return ab[0] + ab[1] * x;
    }
}
