package org.jetsketch.bench;

import org.jetsketch.jet.RealMath;
import org.jetsketch.microgpt.MicroGpt;

/**
 * One microgpt training step written by hand in plain Java: the forward pass of docs/microgpt.md,
 * its adjoint (reverse sweep) written out by hand, and the paper's Adam ({@link MicroGpt#adam}).
 * It is the reference for what scalar Java can do: the generated circuit's ordinary step is timed
 * against it ({@code ./jetsketch bench}, key {@code handWrittenStepMs}).
 *
 * <p><b>Order of operations.</b> Every sum is formed in the order the generated circuit forms it,
 * and every adjoint receives its contributions in the order the generated reverse sweep adds them
 * (the reverse of the order of the uses), so the parameters after any number of steps are the
 * generated trainer's, bit for bit (tested over 1000 steps). Where the adjoint is a fixed
 * expression (the derivative of rmsnorm's scale, the softmax), the same rounding steps are kept
 * rather than simplified: {@code 2·g·x} would round differently from {@code g·x + g·x}.
 *
 * <p><b>What it saves over generated code.</b> No tape, no slot indices, no operation records;
 * the forward values the adjoint needs are kept in preallocated arrays (one row per position), and
 * Φ(x) of GELU is computed once and reused by its derivative.
 *
 * <p>Allocation-free after construction; not thread-safe (one instance per thread). The sizes are
 * the model's: parameters in the flat order of {@link MicroGpt#flatParameters()}.
 */
public final class HandWrittenMicroGpt {
    private final int vocab;
    private final int embd;
    private final int block;
    private final int heads;
    private final int headDim;
    private final int hidden;
    private final double attnScale;
    private final int parameters;

    // Offsets of the parameter matrices in the flat vector (spec order).
    private final int oWte;
    private final int oWpe;
    private final int oLm;
    private final int oWq;
    private final int oWk;
    private final int oWv;
    private final int oWo;
    private final int oFc1;
    private final int oFc2;

    // Forward values, one row per position.
    private final double[] emb;
    private final double[] x0;
    private final double[] x0Scale;
    private final double[] x0Ms;
    private final double[] xa;
    private final double[] xaScale;
    private final double[] xaMs;
    private final double[] q;
    private final double[] k;
    private final double[] v;
    /** exp(score − max), [position][head][t]. */
    private final double[] attnExp;
    /** softmax weights, [position][head][t]. */
    private final double[] attnProb;
    private final double[] attnSum;
    private final double[] headsOut;
    private final double[] x1;
    private final double[] xm;
    private final double[] xmScale;
    private final double[] xmMs;
    private final double[] hid;
    private final double[] hidCdf;
    private final double[] act;
    private final double[] y;
    private final double[] logits;
    private final double[] ceExp;
    private final double[] ceSum;
    private final double[] losses;

    // Adjoints: of one position's values, except the key/value cache (all positions).
    private final double[] gLogits;
    private final double[] gY;
    private final double[] gAct;
    private final double[] gHid;
    private final double[] gXm;
    private final double[] gX1;
    private final double[] gAttnOut;
    private final double[] gHeads;
    private final double[] gQ;
    private final double[] gK;
    private final double[] gV;
    private final double[] gXa;
    private final double[] gX0;
    private final double[] gEmb;
    private final double[] gWeights;
    private final double[] gScores;
    private final double[] gExp;

    /** The paper's sizes (n_embd 16, block_size 16, n_head 4) for {@code vocabSize} tokens. */
    public HandWrittenMicroGpt(int vocabSize) {
        this(vocabSize, MicroGpt.DEFAULT_N_EMBD, MicroGpt.DEFAULT_BLOCK_SIZE, MicroGpt.DEFAULT_N_HEAD);
    }

    public HandWrittenMicroGpt(int vocabSize, int nEmbd, int blockSize, int nHead) {
        if (vocabSize < 2 || nEmbd < 1 || blockSize < 1 || nHead < 1 || nEmbd % nHead != 0) {
            throw new IllegalArgumentException("need vocabSize >= 2, positive sizes and n_embd a multiple of n_head, got V "
                    + vocabSize + ", n_embd " + nEmbd + ", block_size " + blockSize + ", n_head " + nHead);
        }
        vocab = vocabSize;
        embd = nEmbd;
        block = blockSize;
        heads = nHead;
        headDim = nEmbd / nHead;
        hidden = MicroGpt.MLP_RATIO * nEmbd;
        attnScale = Math.sqrt((double) headDim);
        oWte = 0;
        oWpe = oWte + vocab * embd;
        oLm = oWpe + block * embd;
        oWq = oLm + vocab * embd;
        oWk = oWq + embd * embd;
        oWv = oWk + embd * embd;
        oWo = oWv + embd * embd;
        oFc1 = oWo + embd * embd;
        oFc2 = oFc1 + hidden * embd;
        parameters = oFc2 + embd * hidden;
        if (parameters != MicroGpt.parameterCount(vocab, embd, block)) {
            throw new IllegalStateException("parameter layout disagrees with MicroGpt.parameterCount");
        }
        int te = block * embd;
        emb = new double[te];
        x0 = new double[te];
        x0Scale = new double[block];
        x0Ms = new double[block];
        xa = new double[te];
        xaScale = new double[block];
        xaMs = new double[block];
        q = new double[te];
        k = new double[te];
        v = new double[te];
        attnExp = new double[block * heads * block];
        attnProb = new double[block * heads * block];
        attnSum = new double[block * heads];
        headsOut = new double[te];
        x1 = new double[te];
        xm = new double[te];
        xmScale = new double[block];
        xmMs = new double[block];
        hid = new double[block * hidden];
        hidCdf = new double[block * hidden];
        act = new double[block * hidden];
        y = new double[te];
        logits = new double[block * vocab];
        ceExp = new double[block * vocab];
        ceSum = new double[block];
        losses = new double[block];
        gLogits = new double[vocab];
        gY = new double[embd];
        gAct = new double[hidden];
        gHid = new double[hidden];
        gXm = new double[embd];
        gX1 = new double[embd];
        gAttnOut = new double[embd];
        gHeads = new double[embd];
        gQ = new double[embd];
        gK = new double[te];
        gV = new double[te];
        gXa = new double[embd];
        gX0 = new double[embd];
        gEmb = new double[embd];
        gWeights = new double[block];
        gScores = new double[block];
        gExp = new double[block];
    }

    /** P, the length of the flat parameter vector. */
    public int parameterCount() {
        return parameters;
    }

    /**
     * One training step on the document {@code tokens} ([BOS] + characters + [BOS]) with weight
     * {@code weight} (0: kept, 1: deleted): the gradient of (1 − weight)·loss into {@code grad},
     * then Adam step {@code step} of {@code steps} on {@code theta}, {@code m} and {@code v}.
     *
     * @return the document loss at the parameters before the step
     */
    public double step(double[] theta, int[] tokens, double weight, double[] grad, double[] m, double[] v, int step,
            int steps) {
        double loss = gradient(theta, tokens, 1.0 - weight, grad);
        MicroGpt.adam(theta, grad, m, v, step, steps);
        return loss;
    }

    /**
     * The document loss at {@code theta}, and {@code seed}·∇loss written into {@code grad}
     * (overwritten). A zero seed writes zeros without a reverse sweep.
     */
    public double gradient(double[] theta, int[] tokens, double seed, double[] grad) {
        if (theta.length != parameters || grad.length != parameters) {
            throw new IllegalArgumentException("theta and grad must have length " + parameters + ", got "
                    + theta.length + " and " + grad.length);
        }
        java.util.Arrays.fill(grad, 0.0);
        int n = Math.min(block, tokens.length - 1);
        double total = 0.0;
        for (int p = 0; p < n; p++) {
            hiddenState(theta, tokens[p], p);
            linear(theta, oLm, vocab, embd, y, p * embd, logits, p * vocab);
            losses[p] = crossEntropy(p, tokens[p + 1]);
        }
        for (int p = 0; p < n; p++) total = total + losses[p];
        double loss = total / n;
        if (seed == 0.0) return loss;

        java.util.Arrays.fill(gK, 0, n * embd, 0.0);
        java.util.Arrays.fill(gV, 0, n * embd, 0.0);
        double gLoss = seed / n; // through the mean: every position's loss gets seed / n
        for (int p = n - 1; p >= 0; p--) {
            crossEntropyAdjoint(p, tokens[p + 1], gLoss);
            java.util.Arrays.fill(gY, 0.0);
            linearAdjoint(theta, oLm, vocab, embd, y, p * embd, gLogits, 0, grad, gY);
            hiddenStateAdjoint(theta, tokens[p], p, grad);
        }
        return loss;
    }

    // ------------------------------------------------------------------ forward

    private void hiddenState(double[] theta, int token, int pos) {
        int e = pos * embd;
        int te = oWte + token * embd;
        int pe = oWpe + pos * embd;
        for (int i = 0; i < embd; i++) emb[e + i] = theta[te + i] + theta[pe + i];
        rmsnorm(emb, e, x0, x0Scale, x0Ms, pos);
        rmsnorm(x0, e, xa, xaScale, xaMs, pos);
        linear(theta, oWq, embd, embd, xa, e, q, e);
        linear(theta, oWk, embd, embd, xa, e, k, e);
        linear(theta, oWv, embd, embd, xa, e, v, e);
        attention(pos);
        linear(theta, oWo, embd, embd, headsOut, e, x1, e);
        for (int i = 0; i < embd; i++) x1[e + i] = x1[e + i] + x0[e + i]; // attnOut + x0
        rmsnorm(x1, e, xm, xmScale, xmMs, pos);
        int h = pos * hidden;
        linear(theta, oFc1, hidden, embd, xm, e, hid, h);
        for (int i = 0; i < hidden; i++) {
            double x = hid[h + i];
            double cdf = RealMath.normalCdf(x);
            hidCdf[h + i] = cdf;
            act[h + i] = x * cdf;
        }
        linear(theta, oFc2, embd, hidden, act, h, y, e);
        for (int i = 0; i < embd; i++) y[e + i] = y[e + i] + x1[e + i]; // mlpOut + x1
    }

    /** out = W x for the rows × cols matrix at {@code w}, each row summed from 0 in column order. */
    private static void linear(double[] theta, int w, int rows, int cols, double[] x, int xo, double[] out, int oo) {
        for (int i = 0; i < rows; i++) {
            int row = w + i * cols;
            double sum = 0.0;
            for (int j = 0; j < cols; j++) sum = sum + theta[row + j] * x[xo + j];
            out[oo + i] = sum;
        }
    }

    private void rmsnorm(double[] x, int xo, double[] out, double[] scales, double[] mss, int pos) {
        double ms = 0.0;
        for (int i = 0; i < embd; i++) ms = ms + x[xo + i] * x[xo + i];
        ms = ms / embd;
        double s = ms + MicroGpt.RMS_EPS;
        double scale = 1.0 / Math.sqrt(s);
        mss[pos] = s;
        scales[pos] = scale;
        for (int i = 0; i < embd; i++) out[xo + i] = x[xo + i] * scale;
    }

    private void attention(int pos) {
        int e = pos * embd;
        int count = pos + 1;
        for (int h = 0; h < heads; h++) {
            int start = h * headDim;
            int row = (pos * heads + h) * block;
            // scores into attnExp (overwritten by the exponentials below)
            for (int t = 0; t < count; t++) {
                double dot = 0.0;
                int kt = t * embd + start;
                for (int j = 0; j < headDim; j++) dot = dot + q[e + start + j] * k[kt + j];
                attnExp[row + t] = dot / attnScale;
            }
            double max = attnExp[row];
            for (int t = 1; t < count; t++) max = Math.max(max, attnExp[row + t]);
            double sum = 0.0;
            for (int t = 0; t < count; t++) {
                double ex = Math.exp(attnExp[row + t] - max);
                attnExp[row + t] = ex;
                sum = sum + ex;
            }
            for (int t = 0; t < count; t++) attnProb[row + t] = attnExp[row + t] / sum;
            attnSum[pos * heads + h] = sum;
            for (int j = 0; j < headDim; j++) {
                double acc = 0.0;
                for (int t = 0; t < count; t++) acc = acc + attnProb[row + t] * v[t * embd + start + j];
                headsOut[e + start + j] = acc;
            }
        }
    }

    private double crossEntropy(int pos, int target) {
        int l = pos * vocab;
        double max = logits[l];
        for (int i = 1; i < vocab; i++) max = Math.max(max, logits[l + i]);
        double sum = 0.0;
        for (int i = 0; i < vocab; i++) {
            double ex = Math.exp(logits[l + i] - max);
            ceExp[l + i] = ex;
            sum = sum + ex;
        }
        ceSum[pos] = sum;
        return max + Math.log(sum) - logits[l + target];
    }

    // ------------------------------------------------------------------ reverse

    /** gLogits = the adjoint of position {@code pos}'s logits given its loss adjoint gl. */
    private void crossEntropyAdjoint(int pos, int target, double gl) {
        int l = pos * vocab;
        java.util.Arrays.fill(gLogits, 0.0);
        gLogits[target] = -gl; // (max + log sum) − logits[target]
        double sum = ceSum[pos];
        double gSum = gl / sum; // log
        for (int i = vocab - 1; i >= 0; i--) {
            gLogits[i] += gSum * ceExp[l + i]; // exp, after the sum passes gSum to each term
        }
        // the maximum is a constant shift (Fn.stopGradient in MicroGpt): no adjoint
    }

    /** gW += gOut ⊗ x, gX += Wᵀ gOut, rows and columns from the last (the reverse of {@link #linear}). */
    private static void linearAdjoint(double[] theta, int w, int rows, int cols, double[] x, int xo, double[] gOut,
            int go, double[] grad, double[] gX) {
        for (int i = rows - 1; i >= 0; i--) {
            double gy = gOut[go + i];
            int row = w + i * cols;
            for (int j = cols - 1; j >= 0; j--) {
                grad[row + j] += gy * x[xo + j];
                gX[j] += gy * theta[row + j];
            }
        }
    }

    /** gX += the adjoint of rmsnorm's input given its output's adjoint gOut. */
    private void rmsnormAdjoint(double[] x, int xo, double scale, double s, double[] gOut, double[] gX) {
        double gScale = 0.0;
        for (int i = embd - 1; i >= 0; i--) {
            gX[i] += gOut[i] * scale;
            gScale += gOut[i] * x[xo + i];
        }
        double gS = -(gScale * 0.5 * scale / s); // d(s^(-1/2)) = −scale/(2s)
        double gMs = gS / embd;
        for (int i = embd - 1; i >= 0; i--) {
            double t = gMs * x[xo + i];
            gX[i] += t; // x_i · x_i: one contribution per factor
            gX[i] += t;
        }
    }

    private void hiddenStateAdjoint(double[] theta, int token, int pos, double[] grad) {
        int e = pos * embd;
        int h = pos * hidden;
        // y = mlpOut + x1
        System.arraycopy(gY, 0, gX1, 0, embd);
        java.util.Arrays.fill(gAct, 0.0);
        linearAdjoint(theta, oFc2, embd, hidden, act, h, gY, 0, grad, gAct);
        for (int i = hidden - 1; i >= 0; i--) {
            double x = hid[h + i];
            gHid[i] = gAct[i] * (hidCdf[h + i] + x * RealMath.normalPdf(x));
        }
        java.util.Arrays.fill(gXm, 0.0);
        linearAdjoint(theta, oFc1, hidden, embd, xm, e, gHid, 0, grad, gXm);
        rmsnormAdjoint(x1, e, xmScale[pos], xmMs[pos], gXm, gX1);
        // x1 = attnOut + x0
        System.arraycopy(gX1, 0, gAttnOut, 0, embd);
        System.arraycopy(gX1, 0, gX0, 0, embd);
        java.util.Arrays.fill(gHeads, 0.0);
        linearAdjoint(theta, oWo, embd, embd, headsOut, e, gAttnOut, 0, grad, gHeads);
        attentionAdjoint(pos);
        java.util.Arrays.fill(gXa, 0.0);
        linearAdjoint(theta, oWv, embd, embd, xa, e, gV, e, grad, gXa);
        linearAdjoint(theta, oWk, embd, embd, xa, e, gK, e, grad, gXa);
        linearAdjoint(theta, oWq, embd, embd, xa, e, gQ, 0, grad, gXa);
        rmsnormAdjoint(x0, e, xaScale[pos], xaMs[pos], gXa, gX0);
        java.util.Arrays.fill(gEmb, 0.0);
        rmsnormAdjoint(emb, e, x0Scale[pos], x0Ms[pos], gX0, gEmb);
        int te = oWte + token * embd;
        int pe = oWpe + pos * embd;
        for (int i = embd - 1; i >= 0; i--) {
            grad[te + i] += gEmb[i];
            grad[pe + i] += gEmb[i];
        }
    }

    private void attentionAdjoint(int pos) {
        int e = pos * embd;
        int count = pos + 1;
        java.util.Arrays.fill(gQ, 0.0);
        for (int h = heads - 1; h >= 0; h--) {
            int start = h * headDim;
            int row = (pos * heads + h) * block;
            // out_j = Σ_t w_t v_t[j]
            java.util.Arrays.fill(gWeights, 0, count, 0.0);
            for (int j = headDim - 1; j >= 0; j--) {
                double gy = gHeads[start + j];
                for (int t = count - 1; t >= 0; t--) {
                    int vi = t * embd + start + j;
                    gWeights[t] += gy * v[vi];
                    gV[vi] += gy * attnProb[row + t];
                }
            }
            // w_t = e_t / sum
            double sum = attnSum[pos * heads + h];
            double gSum = 0.0;
            for (int t = count - 1; t >= 0; t--) {
                double qt = gWeights[t] / sum;
                gExp[t] = qt;
                gSum -= qt * attnProb[row + t];
            }
            // e_t = exp(score_t − max), sum = Σ e_t
            for (int t = count - 1; t >= 0; t--) {
                gExp[t] += gSum;
                gScores[t] = gExp[t] * attnExp[row + t]; // the maximum is a constant shift
            }
            // score_t = (q · k_t) / sqrt(head_dim)
            for (int t = count - 1; t >= 0; t--) {
                double gDot = gScores[t] / attnScale;
                int kt = t * embd + start;
                for (int j = headDim - 1; j >= 0; j--) {
                    gQ[start + j] += gDot * k[kt + j];
                    gK[kt + j] += gDot * q[e + start + j];
                }
            }
        }
    }
}
