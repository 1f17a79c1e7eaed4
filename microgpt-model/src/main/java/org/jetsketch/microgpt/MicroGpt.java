package org.jetsketch.microgpt;

import java.util.List;
import java.util.Random;
import org.jetsketch.dsl.Circuit;
import org.jetsketch.dsl.Fn;
import org.jetsketch.dsl.Loss;
import org.jetsketch.dsl.Measurement;
import org.jetsketch.dsl.Param;
import org.jetsketch.dsl.Params;
import org.jetsketch.dsl.Grads;
import org.jetsketch.dsl.State;
import org.jetsketch.dsl.Step;
import org.jetsketch.dsl.Steps;
import org.jetsketch.dsl.TrainingStep;

/**
 * microgpt, the paper's one-layer character-level GPT (docs/microgpt.md), as a jetsketch
 * {@link Circuit}: plain Java on doubles that the annotation processor compiles into gradient and
 * jet code.
 *
 * <p><b>Model.</b> Token and position embeddings, rmsnorm, one transformer block (4-head causal
 * self-attention with a key/value cache, then a GELU MLP, each with a pre-rmsnorm and a residual
 * connection), and an output projection to V logits. No biases, no learned norm scales.
 * {@code n_layer} is fixed at {@value #N_LAYER}: a {@code @Param} is at most a
 * {@code double[][]}, so the layer's matrices are single fields; the other sizes are settings
 * ({@link #MicroGpt(int, int, int, int, long)}) with the paper's values as defaults.
 *
 * <p><b>Parameters.</b> The {@code @Param} fields, in declaration order and each row-major, are
 * the flat parameter vector used for import and export (the spec's order): wte [V][n_embd],
 * wpe [block_size][n_embd], lm_head [V][n_embd], attn_wq, attn_wk, attn_wv, attn_wo
 * [n_embd][n_embd], mlp_fc1 [4·n_embd][n_embd], mlp_fc2 [n_embd][4·n_embd]. P = 4,192 for V = 27
 * and the default sizes.
 *
 * <p><b>DSL subset.</b> Everything reachable from {@link #loss}, the {@code @Measurement}s and
 * {@link #adam} keeps to the subset the processor accepts: doubles/ints and their arrays, loops
 * with passive (parameter-independent) bounds and indices, helper calls (non-recursive),
 * {@code Math.*} and {@code Fn.*}; no local array variable is re-assigned and no call is used as a
 * bare statement. Constructors and the import/export methods are ordinary Java and not compiled.
 */
@Circuit
public class MicroGpt {

    // ---------------------------------------------------------------- hyperparameters (spec)

    /** Number of transformer layers (fixed: see the class comment). */
    public static final int N_LAYER = 1;
    /** Default embedding width n_embd. */
    public static final int DEFAULT_N_EMBD = 16;
    /** Default context length block_size (rows of wpe). */
    public static final int DEFAULT_BLOCK_SIZE = 16;
    /** Default number of attention heads n_head. */
    public static final int DEFAULT_N_HEAD = 4;
    /** The MLP's hidden width is this multiple of n_embd. */
    public static final int MLP_RATIO = 4;
    /** Standard deviation of the N(0, std²) initialisation of every parameter. */
    public static final double INIT_STD = 0.08;
    /** The ε of rmsnorm: x · (mean(x²) + ε)^(−1/2). */
    public static final double RMS_EPS = 1e-5;
    /** The default seed of the initialisation RNG. */
    public static final long DEFAULT_SEED = 42L;

    /** Adam's base learning rate; step s uses lr · (1 − s / num_steps). */
    public static final double LEARNING_RATE = 0.01;
    /** Adam's first-moment decay β1. */
    public static final double BETA1 = 0.85;
    /** Adam's second-moment decay β2. */
    public static final double BETA2 = 0.99;
    /** Adam's ε, added inside the square root: p −= lr · m̂ / sqrt(v̂ + ε). */
    public static final double ADAM_EPS = 1e-3;

    /** V, the number of token ids (characters plus BOS). */
    final int vocabSize;
    /** The BOS token id, V − 1. */
    final int bos;
    /** n_embd. */
    final int nEmbd;
    /** block_size: the longest context, the number of positions. */
    final int blockSize;
    /** n_head. */
    final int nHead;
    /** head_dim = n_embd / n_head. */
    final int headDim;
    /** The MLP's hidden width, MLP_RATIO · n_embd. */
    final int mlpHidden;

    // ---------------------------------------------------------------- parameters (spec order)

    /** Token embedding, [V][n_embd]. */
    @Param final double[][] wte;
    /** Position embedding, [block_size][n_embd]. */
    @Param final double[][] wpe;
    /** Output projection, [V][n_embd]. */
    @Param final double[][] lmHead;
    /** Layer 0 attention query, [n_embd][n_embd]. */
    @Param final double[][] attnWq;
    /** Layer 0 attention key, [n_embd][n_embd]. */
    @Param final double[][] attnWk;
    /** Layer 0 attention value, [n_embd][n_embd]. */
    @Param final double[][] attnWv;
    /** Layer 0 attention output, [n_embd][n_embd]. */
    @Param final double[][] attnWo;
    /** Layer 0 MLP up-projection, [4·n_embd][n_embd]. */
    @Param final double[][] mlpFc1;
    /** Layer 0 MLP down-projection, [n_embd][4·n_embd]. */
    @Param final double[][] mlpFc2;

    // ---------------------------------------------------------------- construction

    /**
     * The paper's configuration (n_embd 16, block_size 16, n_head 4), every parameter drawn
     * {@code INIT_STD * new Random(seed).nextGaussian()} in the flat-vector order.
     */
    public MicroGpt(int vocabSize, long seed) {
        this(vocabSize, DEFAULT_N_EMBD, DEFAULT_BLOCK_SIZE, DEFAULT_N_HEAD, seed);
    }

    /** The paper's configuration with the parameters given as a flat vector (for --init). */
    public MicroGpt(int vocabSize, double[] initialParameters) {
        this(vocabSize, DEFAULT_N_EMBD, DEFAULT_BLOCK_SIZE, DEFAULT_N_HEAD, initialParameters);
    }

    /** Any sizes, random N(0, INIT_STD²) initialisation from {@code new Random(seed)}. */
    public MicroGpt(int vocabSize, int nEmbd, int blockSize, int nHead, long seed) {
        this(vocabSize, nEmbd, blockSize, nHead);
        Random rng = new Random(seed);
        for (double[][] matrix : parameterMatrices()) {
            for (double[] row : matrix) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = INIT_STD * rng.nextGaussian();
                }
            }
        }
    }

    /**
     * Any sizes, parameters given as a flat vector in the spec's order.
     *
     * @throws IllegalArgumentException if the vector's length is not {@link #parameterCount}
     */
    public MicroGpt(int vocabSize, int nEmbd, int blockSize, int nHead, double[] initialParameters) {
        this(vocabSize, nEmbd, blockSize, nHead);
        loadParameters(initialParameters);
    }

    private MicroGpt(int vocabSize, int nEmbd, int blockSize, int nHead) {
        if (vocabSize < 2) {
            throw new IllegalArgumentException(
                    "vocabSize must be at least 2 (one character and BOS), got " + vocabSize);
        }
        if (nEmbd < 1 || blockSize < 1 || nHead < 1) {
            throw new IllegalArgumentException("n_embd, block_size and n_head must be positive, got "
                    + nEmbd + ", " + blockSize + ", " + nHead);
        }
        if (nEmbd % nHead != 0) {
            throw new IllegalArgumentException(
                    "n_embd (" + nEmbd + ") must be a multiple of n_head (" + nHead + ")");
        }
        this.vocabSize = vocabSize;
        this.bos = vocabSize - 1;
        this.nEmbd = nEmbd;
        this.blockSize = blockSize;
        this.nHead = nHead;
        this.headDim = nEmbd / nHead;
        this.mlpHidden = MLP_RATIO * nEmbd;
        this.wte = new double[vocabSize][nEmbd];
        this.wpe = new double[blockSize][nEmbd];
        this.lmHead = new double[vocabSize][nEmbd];
        this.attnWq = new double[nEmbd][nEmbd];
        this.attnWk = new double[nEmbd][nEmbd];
        this.attnWv = new double[nEmbd][nEmbd];
        this.attnWo = new double[nEmbd][nEmbd];
        this.mlpFc1 = new double[mlpHidden][nEmbd];
        this.mlpFc2 = new double[nEmbd][mlpHidden];
    }

    /** P for the paper's sizes: {@code 2·V·16 + 16·16 + 4·16·16 + 2·64·16} (4,192 for V = 27). */
    public static int parameterCount(int vocabSize) {
        return parameterCount(vocabSize, DEFAULT_N_EMBD, DEFAULT_BLOCK_SIZE);
    }

    /** P for any sizes (n_head does not change it). */
    public static int parameterCount(int vocabSize, int nEmbd, int blockSize) {
        long p = 2L * vocabSize * nEmbd + (long) blockSize * nEmbd + 4L * nEmbd * nEmbd
                + 2L * MLP_RATIO * nEmbd * nEmbd;
        return Math.toIntExact(p);
    }

    /** P of this model. */
    public int parameterCount() {
        return parameterCount(vocabSize, nEmbd, blockSize);
    }

    /** The spec's names of the parameter matrices, in flat-vector order. */
    public static List<String> parameterNames() {
        return List.of("wte", "wpe", "lm_head", "layer0.attn_wq", "layer0.attn_wk",
                "layer0.attn_wv", "layer0.attn_wo", "layer0.mlp_fc1", "layer0.mlp_fc2");
    }

    /** The parameter matrices themselves (live, not copies), in flat-vector order. */
    double[][][] parameterMatrices() {
        return new double[][][] {wte, wpe, lmHead, attnWq, attnWk, attnWv, attnWo, mlpFc1, mlpFc2};
    }

    /** The parameters as a new flat vector, in the spec's order, each matrix row-major. */
    public double[] flatParameters() {
        double[] flat = new double[parameterCount()];
        int k = 0;
        for (double[][] matrix : parameterMatrices()) {
            for (double[] row : matrix) {
                System.arraycopy(row, 0, flat, k, row.length);
                k += row.length;
            }
        }
        return flat;
    }

    /**
     * Overwrites the parameters from a flat vector in the spec's order (ordinary Java, not part of
     * the circuit).
     *
     * @throws IllegalArgumentException if the length is not {@link #parameterCount()}
     */
    public void loadParameters(double[] flat) {
        if (flat == null) {
            throw new IllegalArgumentException("the parameter vector is null");
        }
        int expected = parameterCount();
        if (flat.length != expected) {
            throw new IllegalArgumentException("the parameter vector has length " + flat.length
                    + ", expected P = " + expected + " (V = " + vocabSize + ", n_embd = " + nEmbd
                    + ", block_size = " + blockSize + ")");
        }
        int k = 0;
        for (double[][] matrix : parameterMatrices()) {
            for (double[] row : matrix) {
                System.arraycopy(flat, k, row, 0, row.length);
                k += row.length;
            }
        }
    }

    /** V. */
    public int vocabSize() {
        return vocabSize;
    }

    /** The BOS id, V − 1. */
    public int bos() {
        return bos;
    }

    /** block_size. */
    public int blockSize() {
        return blockSize;
    }

    /** n_embd. */
    public int nEmbd() {
        return nEmbd;
    }

    /** n_head. */
    public int nHead() {
        return nHead;
    }

    // ---------------------------------------------------------------- circuit: loss

    /**
     * The document loss: the mean over positions p = 0..n−1, n = min(block_size, len(tokens) − 1),
     * of −log softmax(logits_p)[tokens[p+1]], the logits at p computed from tokens[0..p] with a
     * key/value cache.
     */
    @Loss
    public double loss(Doc doc) {
        return meanLoss(doc.tokens());
    }

    // ---------------------------------------------------------------- circuit: measurements

    /** The document loss of {@code doc} (e.g. the name "max"), as in {@link #loss}. */
    @Measurement
    public double lossOn(Doc doc) {
        return meanLoss(doc.tokens());
    }

    /**
     * The probability of token {@code target} after [BOS] + {@code prefixTokens}:
     * softmax(logits at the last position)[target]. The prefix holds character ids (no BOS);
     * it may be empty and has at most block_size − 1 tokens.
     */
    @Measurement
    public double nextCharProbability(int[] prefixTokens, int target) {
        double[] logits = lastLogits(prefixTokens);
        double[] probs = softmax(logits);
        return probs[target];
    }

    /**
     * The raw logit of token {@code index} after [BOS] + {@code prefixTokens} (prefix as in
     * {@link #nextCharProbability}).
     */
    @Measurement
    public double logit(int[] prefixTokens, int index) {
        double[] logits = lastLogits(prefixTokens);
        return logits[index];
    }

    // ---------------------------------------------------------------- circuit: optimizer

    /**
     * The paper's Adam step s of {@code steps}: m = β1 m + (1−β1) g; v = β2 v + (1−β2) g²;
     * m̂ = m / (1 − β1^(s+1)); v̂ = v / (1 − β2^(s+1)); p −= lr_s · m̂ / sqrt(v̂ + ε), with
     * lr_s = 0.01 · (1 − s / steps), β1 = 0.85, β2 = 0.99, ε = 1e−3 inside the square root.
     */
    @TrainingStep
    public static void adam(@Params double[] p, @Grads double[] g, @State double[] m,
            @State double[] v, @Step int step, @Steps int steps) {
        double lr = LEARNING_RATE * (1.0 - (double) step / (double) steps);
        double bias1 = 1.0 - Math.pow(BETA1, step + 1);
        double bias2 = 1.0 - Math.pow(BETA2, step + 1);
        for (int i = 0; i < p.length; i++) {
            m[i] = BETA1 * m[i] + (1.0 - BETA1) * g[i];
            v[i] = BETA2 * v[i] + (1.0 - BETA2) * g[i] * g[i];
            double mHat = m[i] / bias1;
            double vHat = v[i] / bias2;
            p[i] -= lr * mHat / Math.sqrt(vHat + ADAM_EPS);
        }
    }

    // ---------------------------------------------------------------- helpers (in the subset)

    /** The mean of {@link #positionLosses}. */
    double meanLoss(int[] tokens) {
        double[] losses = positionLosses(tokens);
        double total = 0.0;
        for (int p = 0; p < losses.length; p++) {
            total += losses[p];
        }
        return total / losses.length;
    }

    /**
     * The loss at each position p = 0..n−1 (n = min(block_size, len − 1)):
     * −log softmax(logits_p)[tokens[p+1]]. Position p only sees tokens[0..p].
     */
    double[] positionLosses(int[] tokens) {
        int n = tokens.length - 1;
        if (n > blockSize) {
            n = blockSize;
        }
        double[][] keys = new double[n][nEmbd];
        double[][] values = new double[n][nEmbd];
        double[] losses = new double[n];
        for (int p = 0; p < n; p++) {
            double[] x = hiddenState(tokens[p], p, keys, values);
            double[] logits = linear(lmHead, x);
            losses[p] = crossEntropy(logits, tokens[p + 1]);
        }
        return losses;
    }

    /** The logits at the last position of [BOS] + prefix. */
    double[] lastLogits(int[] prefixTokens) {
        int n = prefixTokens.length + 1;
        double[][] keys = new double[n][nEmbd];
        double[][] values = new double[n][nEmbd];
        double[] last = new double[nEmbd];
        for (int p = 0; p < n; p++) {
            int token = p == 0 ? bos : prefixTokens[p - 1];
            double[] x = hiddenState(token, p, keys, values);
            for (int i = 0; i < nEmbd; i++) {
                last[i] = x[i];
            }
        }
        return linear(lmHead, last);
    }

    /**
     * The final residual stream at position {@code pos} for input {@code token}, before lm_head.
     * Writes this position's key and value into row {@code pos} of {@code keys} and
     * {@code values}, and attends over rows 0..pos.
     */
    double[] hiddenState(int token, int pos, double[][] keys, double[][] values) {
        double[] emb = new double[nEmbd];
        for (int i = 0; i < nEmbd; i++) {
            emb[i] = wte[token][i] + wpe[pos][i];
        }
        double[] x0 = rmsnorm(emb);

        // Attention block.
        double[] xa = rmsnorm(x0);
        double[] q = linear(attnWq, xa);
        double[] k = linear(attnWk, xa);
        double[] v = linear(attnWv, xa);
        for (int i = 0; i < nEmbd; i++) {
            keys[pos][i] = k[i];
            values[pos][i] = v[i];
        }
        double[] heads = attention(q, keys, values, pos);
        double[] attnOut = linear(attnWo, heads);
        double[] x1 = add(attnOut, x0);

        // MLP block.
        double[] xm = rmsnorm(x1);
        double[] hidden = linear(mlpFc1, xm);
        double[] activated = gelu(hidden);
        double[] mlpOut = linear(mlpFc2, activated);
        return add(mlpOut, x1);
    }

    /**
     * Causal multi-head attention of query {@code q} over cached rows 0..pos: for each head h
     * (slice [h·head_dim, (h+1)·head_dim)), softmax of q_h·k_h[t] / sqrt(head_dim) over t, then
     * the weighted sum of v_h[t]; the heads concatenated.
     */
    double[] attention(double[] q, double[][] keys, double[][] values, int pos) {
        double scale = Math.sqrt((double) headDim);
        double[] out = new double[nEmbd];
        for (int h = 0; h < nHead; h++) {
            int start = h * headDim;
            double[] scores = new double[pos + 1];
            for (int t = 0; t <= pos; t++) {
                double dot = 0.0;
                for (int j = 0; j < headDim; j++) {
                    dot += q[start + j] * keys[t][start + j];
                }
                scores[t] = dot / scale;
            }
            double[] weights = softmax(scores);
            for (int j = 0; j < headDim; j++) {
                double sum = 0.0;
                for (int t = 0; t <= pos; t++) {
                    sum += weights[t] * values[t][start + j];
                }
                out[start + j] = sum;
            }
        }
        return out;
    }

    /** The matrix-vector product: out[i] = Σ_j w[i][j] x[j]. */
    static double[] linear(double[][] w, double[] x) {
        double[] out = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            double sum = 0.0;
            for (int j = 0; j < x.length; j++) {
                sum += w[i][j] * x[j];
            }
            out[i] = sum;
        }
        return out;
    }

    /** rmsnorm(x) = x · (mean(x²) + 1e−5)^(−1/2), no learned scale. */
    static double[] rmsnorm(double[] x) {
        double ms = 0.0;
        for (int i = 0; i < x.length; i++) {
            ms += x[i] * x[i];
        }
        ms = ms / x.length;
        double scale = Fn.rsqrt(ms + RMS_EPS);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] * scale;
        }
        return out;
    }

    /**
     * softmax(l) = exp(l − m) / Σ exp(l − m), m the maximum of the logits. Any m gives the same
     * function: m is a numerical shift only, a constant to the compiled code (Fn.stopGradient), so
     * choosing it is no branch decision whose switch could cut the Taylor series short.
     */
    static double[] softmax(double[] logits) {
        double max = Fn.stopGradient(logits[0]);
        for (int i = 1; i < logits.length; i++) {
            max = Math.max(max, Fn.stopGradient(logits[i]));
        }
        double[] exps = new double[logits.length];
        double sum = 0.0;
        for (int i = 0; i < logits.length; i++) {
            exps[i] = Math.exp(logits[i] - max);
            sum += exps[i];
        }
        double[] probs = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            probs[i] = exps[i] / sum;
        }
        return probs;
    }

    /**
     * −log softmax(logits)[target], computed as m + log Σ exp(l − m) − l_target (m the maximum;
     * equal to −log of {@link #softmax}[target] up to rounding). The shift m cancels: a constant to
     * the compiled code, as in {@link #softmax}.
     */
    static double crossEntropy(double[] logits, int target) {
        double max = Fn.stopGradient(logits[0]);
        for (int i = 1; i < logits.length; i++) {
            max = Math.max(max, Fn.stopGradient(logits[i]));
        }
        double sum = 0.0;
        for (int i = 0; i < logits.length; i++) {
            sum += Math.exp(logits[i] - max);
        }
        return max + Math.log(sum) - logits[target];
    }

    /** GELU element-wise: x · Φ(x), the exact erf form ({@link Fn#gelu}). */
    static double[] gelu(double[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = Fn.gelu(x[i]);
        }
        return out;
    }

    /** The element-wise sum a + b. */
    static double[] add(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] + b[i];
        }
        return out;
    }
}
