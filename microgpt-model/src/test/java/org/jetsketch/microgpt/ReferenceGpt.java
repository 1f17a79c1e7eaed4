package org.jetsketch.microgpt;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.special.Erf;

/**
 * Test-only, independent reference for ordinary (real-valued) training of microgpt: a scalar
 * reverse-mode autodiff in the style of the paper's own code (one object per number), the forward
 * pass written again from docs/microgpt.md (not sharing code with {@link MicroGpt}), and training
 * with {@link MicroGpt#adam} on the gradient of (1 − w_s)·loss.
 *
 * <p>It exists because no generated gradient code exists until the processor lands: it checks
 * {@link MicroGpt}'s forward pass, gives a finite-difference-checked gradient, and is the
 * "retraining" ground truth the generated code can later be compared with.
 */
final class ReferenceGpt {

    private ReferenceGpt() {}

    /** A scalar node of the computation graph. */
    static final class Value {
        final double data;
        double grad;
        final Value[] children;
        final double[] localGrads;

        Value(double data, Value[] children, double[] localGrads) {
            this.data = data;
            this.children = children;
            this.localGrads = localGrads;
        }

        static Value constant(double d) {
            return new Value(d, new Value[0], new double[0]);
        }

        Value add(Value o) {
            return new Value(data + o.data, new Value[] {this, o}, new double[] {1, 1});
        }

        Value sub(Value o) {
            return new Value(data - o.data, new Value[] {this, o}, new double[] {1, -1});
        }

        Value mul(Value o) {
            return new Value(data * o.data, new Value[] {this, o}, new double[] {o.data, data});
        }

        Value mul(double c) {
            return new Value(data * c, new Value[] {this}, new double[] {c});
        }

        Value div(Value o) {
            return mul(o.pow(-1));
        }

        Value pow(double e) {
            return new Value(Math.pow(data, e), new Value[] {this},
                    new double[] {e * Math.pow(data, e - 1)});
        }

        Value exp() {
            double y = Math.exp(data);
            return new Value(y, new Value[] {this}, new double[] {y});
        }

        Value log() {
            return new Value(Math.log(data), new Value[] {this}, new double[] {1 / data});
        }

        /** x·Φ(x), Φ(x) = (1 + erf(x/√2))/2; derivative Φ(x) + x·φ(x). */
        Value gelu() {
            double phiCdf = 0.5 * (1 + Erf.erf(data / Math.sqrt(2)));
            double phiPdf = Math.exp(-0.5 * data * data) / Math.sqrt(2 * Math.PI);
            return new Value(data * phiCdf, new Value[] {this},
                    new double[] {phiCdf + data * phiPdf});
        }

        /** Reverse sweep from this node (iterative topological order, no recursion). */
        void backward() {
            List<Value> order = new ArrayList<>();
            Map<Value, Boolean> seen = new IdentityHashMap<>();
            Deque<Value> stack = new ArrayDeque<>();
            Deque<Integer> next = new ArrayDeque<>();
            stack.push(this);
            next.push(0);
            seen.put(this, true);
            while (!stack.isEmpty()) {
                Value v = stack.peek();
                int i = next.pop();
                if (i < v.children.length) {
                    next.push(i + 1);
                    Value c = v.children[i];
                    if (seen.put(c, true) == null) {
                        stack.push(c);
                        next.push(0);
                    }
                } else {
                    stack.pop();
                    order.add(v);
                }
            }
            grad = 1;
            for (int k = order.size() - 1; k >= 0; k--) {
                Value v = order.get(k);
                for (int c = 0; c < v.children.length; c++) {
                    v.children[c].grad += v.localGrads[c] * v.grad;
                }
            }
        }
    }

    /** The loss of a document and its gradient (flat, the spec's order). */
    record LossAndGradient(double loss, double[] gradient) {}

    /** Loss and gradient of {@code doc} at the parameters of {@code model} (paper's sizes). */
    static LossAndGradient lossAndGradient(MicroGpt model, Doc doc) {
        double[] flat = model.flatParameters();
        Value[] params = new Value[flat.length];
        for (int i = 0; i < flat.length; i++) {
            params[i] = Value.constant(flat[i]);
        }
        Value loss = forward(model, params, doc.tokens());
        loss.backward();
        double[] grad = new double[flat.length];
        for (int i = 0; i < flat.length; i++) {
            grad[i] = params[i].grad;
        }
        return new LossAndGradient(loss.data, grad);
    }

    /** Loss only (still through the Value graph). */
    static double loss(MicroGpt model, Doc doc) {
        double[] flat = model.flatParameters();
        Value[] params = new Value[flat.length];
        for (int i = 0; i < flat.length; i++) {
            params[i] = Value.constant(flat[i]);
        }
        return forward(model, params, doc.tokens()).data;
    }

    /**
     * Ordinary training as the paper does it: step s on docs[s] with gradient of (1 − w_s)·loss,
     * then Adam. Updates the model's parameters in place; returns the loss of each step (before
     * its update, unweighted).
     */
    static double[] train(MicroGpt model, List<Doc> docs, double[] weights, int numSteps) {
        int p = model.parameterCount();
        double[] m = new double[p];
        double[] v = new double[p];
        double[] losses = new double[numSteps];
        for (int s = 0; s < numSteps; s++) {
            LossAndGradient lg = lossAndGradient(model, docs.get(s));
            double[] g = lg.gradient();
            double scale = 1 - (weights == null ? 0 : weights[s]);
            for (int i = 0; i < p; i++) {
                g[i] *= scale;
            }
            double[] params = model.flatParameters();
            MicroGpt.adam(params, g, m, v, s, numSteps);
            model.loadParameters(params);
            losses[s] = lg.loss();
        }
        return losses;
    }

    // ------------------------------------------------------------ the forward pass, from the spec

    private static Value[][] matrix(Value[] params, int[] offset, int rows, int cols) {
        Value[][] w = new Value[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                w[i][j] = params[offset[0]++];
            }
        }
        return w;
    }

    private static Value[] matvec(Value[][] w, Value[] x) {
        Value[] out = new Value[w.length];
        for (int i = 0; i < w.length; i++) {
            Value s = w[i][0].mul(x[0]);
            for (int j = 1; j < x.length; j++) {
                s = s.add(w[i][j].mul(x[j]));
            }
            out[i] = s;
        }
        return out;
    }

    private static Value[] rmsnorm(Value[] x) {
        Value ms = x[0].mul(x[0]);
        for (int i = 1; i < x.length; i++) {
            ms = ms.add(x[i].mul(x[i]));
        }
        ms = ms.mul(1.0 / x.length);
        Value scale = ms.add(Value.constant(1e-5)).pow(-0.5);
        Value[] out = new Value[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i].mul(scale);
        }
        return out;
    }

    private static Value[] softmax(Value[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (Value l : logits) {
            max = Math.max(max, l.data);
        }
        Value[] exps = new Value[logits.length];
        Value total = null;
        for (int i = 0; i < logits.length; i++) {
            exps[i] = logits[i].sub(Value.constant(max)).exp();
            total = total == null ? exps[i] : total.add(exps[i]);
        }
        Value[] out = new Value[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = exps[i].div(total);
        }
        return out;
    }

    private static Value forward(MicroGpt model, Value[] params, int[] tokens) {
        int vocab = model.vocabSize();
        int e = model.nEmbd();
        int block = model.blockSize();
        int heads = model.nHead();
        int hd = e / heads;
        int[] off = {0};
        Value[][] wte = matrix(params, off, vocab, e);
        Value[][] wpe = matrix(params, off, block, e);
        Value[][] lmHead = matrix(params, off, vocab, e);
        Value[][] wq = matrix(params, off, e, e);
        Value[][] wk = matrix(params, off, e, e);
        Value[][] wv = matrix(params, off, e, e);
        Value[][] wo = matrix(params, off, e, e);
        Value[][] fc1 = matrix(params, off, 4 * e, e);
        Value[][] fc2 = matrix(params, off, e, 4 * e);

        List<Value[]> keys = new ArrayList<>();
        List<Value[]> values = new ArrayList<>();
        int n = Math.min(block, tokens.length - 1);
        Value total = null;
        for (int pos = 0; pos < n; pos++) {
            Value[] x = new Value[e];
            for (int i = 0; i < e; i++) {
                x[i] = wte[tokens[pos]][i].add(wpe[pos][i]);
            }
            x = rmsnorm(x);

            Value[] residual = x;
            x = rmsnorm(x);
            Value[] q = matvec(wq, x);
            keys.add(matvec(wk, x));
            values.add(matvec(wv, x));
            Value[] concat = new Value[e];
            for (int h = 0; h < heads; h++) {
                int s = h * hd;
                Value[] att = new Value[keys.size()];
                for (int t = 0; t < keys.size(); t++) {
                    Value dot = q[s].mul(keys.get(t)[s]);
                    for (int j = 1; j < hd; j++) {
                        dot = dot.add(q[s + j].mul(keys.get(t)[s + j]));
                    }
                    att[t] = dot.mul(1.0 / Math.sqrt(hd));
                }
                Value[] a = softmax(att);
                for (int j = 0; j < hd; j++) {
                    Value o = a[0].mul(values.get(0)[s + j]);
                    for (int t = 1; t < a.length; t++) {
                        o = o.add(a[t].mul(values.get(t)[s + j]));
                    }
                    concat[s + j] = o;
                }
            }
            x = matvec(wo, concat);
            for (int i = 0; i < e; i++) {
                x[i] = x[i].add(residual[i]);
            }

            residual = x;
            x = rmsnorm(x);
            Value[] hidden = matvec(fc1, x);
            for (int i = 0; i < hidden.length; i++) {
                hidden[i] = hidden[i].gelu();
            }
            x = matvec(fc2, hidden);
            for (int i = 0; i < e; i++) {
                x[i] = x[i].add(residual[i]);
            }

            Value[] probs = softmax(matvec(lmHead, x));
            Value lossT = probs[tokens[pos + 1]].log().mul(-1.0);
            total = total == null ? lossT : total.add(lossT);
        }
        return total.mul(1.0 / n);
    }
}
