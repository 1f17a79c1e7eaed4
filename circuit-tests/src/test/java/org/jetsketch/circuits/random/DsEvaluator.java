package org.jetsketch.circuits.random;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;
import org.jetsketch.circuits.random.Ast.*;
import org.jetsketch.dsl.Fn;

/**
 * The oracle: an interpreter of a {@link Program}'s loss (and measurement) over Commons Math
 * {@link DerivativeStructure}, independent of the processor and the runtime. Java's semantics
 * (evaluation order, short-circuit {@code &&}/{@code ||}, arrays by reference so aliases share
 * their elements, {@code break}/{@code continue}) are followed statement by statement; the
 * primitives use DerivativeStructure's own rules, and erf (which it lacks) its derivatives in
 * closed form, erf^(n)(x) = (2/√π)(−1)^(n−1) H_(n−1)(x) e^(−x²) with the Hermite polynomials H.
 *
 * <p>It also keeps the trace of every decision on a real value (comparison, abs, max, min, relu,
 * in evaluation order) and the smallest |difference| among decisions on values that depend on
 * the parameters, and rejects ({@link Rejected}) programs whose arguments leave a primitive's
 * domain or whose values grow beyond {@link #LIMIT}: the generator retries those.
 */
public final class DsEvaluator {
    /** Values beyond this magnitude make finite differences meaningless: the program is rejected. */
    static final double LIMIT = 1e6;
    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);

    /** The program is outside what the generator promises (a domain left, a huge value). */
    public static final class Rejected extends RuntimeException {
        Rejected(String why) {
            super(why, null, false, false);
        }
    }

    private enum Flow { NORMAL, BREAK, CONTINUE }

    private final Program program;
    private final int free;
    private final int order;
    private final Map<String, Helper> helpers = new HashMap<>();
    /** p0.., "v", "m" */
    private final Map<String, Object> parameters = new HashMap<>();
    private Map<String, Object> frame;
    private int label;
    /** Every decision on a real value, in evaluation order. */
    public final List<Boolean> trace = new ArrayList<>();
    /** The smallest |difference| decided on among decisions that depend on the parameters. */
    public double smallestGap = Double.POSITIVE_INFINITY;
    /**
     * On a line (one free variable s): the smallest, over decisions that depend on s, of the
     * positive root ρ of |d_0| = Σ_{r=1..order} |d_r| ρ^r, d_r the Taylor coefficients of the
     * decided difference in s. No decision's series can change sign for |s| &lt; ρ; the branch
     * monitor of jet code of degree {@code order} must report no more than this.
     */
    public double seriesRadius = Double.POSITIVE_INFINITY;

    /**
     * @param theta the parameters in layout order (scalars, v, rows of m), as derivative
     *              structures of {@code free} variables up to {@code order}
     */
    public DsEvaluator(Program program, DerivativeStructure[] theta) {
        this.program = program;
        this.free = theta[0].getFreeParameters();
        this.order = theta[0].getOrder();
        for (Helper h : program.helpers()) helpers.put(h.name(), h);
        int at = 0;
        for (int i = 0; i < program.scalars(); i++) parameters.put("p" + i, theta[at++]);
        if (program.vecLen() > 0) {
            DerivativeStructure[] v = new DerivativeStructure[program.vecLen()];
            for (int i = 0; i < v.length; i++) v[i] = theta[at++];
            parameters.put("v", v);
        }
        if (program.rows() > 0) {
            DerivativeStructure[][] m = new DerivativeStructure[program.rows()][program.cols()];
            for (int r = 0; r < m.length; r++) {
                for (int c = 0; c < m[r].length; c++) m[r][c] = theta[at++];
            }
            parameters.put("m", m);
        }
    }

    /** θ_p + Σ_j coefficients[j][p] · variable j, for each parameter p. */
    public static DerivativeStructure[] line(double[] theta, double[][] coefficients, int order) {
        int vars = Math.max(1, coefficients.length);
        DerivativeStructure[] out = new DerivativeStructure[theta.length];
        for (int p = 0; p < theta.length; p++) {
            DerivativeStructure d = new DerivativeStructure(vars, order, theta[p]);
            for (int j = 0; j < coefficients.length; j++) {
                if (coefficients[j][p] != 0) {
                    d = d.add(new DerivativeStructure(vars, order, j, 0.0).multiply(coefficients[j][p]));
                }
            }
            out[p] = d;
        }
        return out;
    }

    /** The loss of the example (x, label). */
    public DerivativeStructure loss(double[] x, int label) {
        this.label = label;
        frame = new HashMap<>();
        DerivativeStructure[] xs = new DerivativeStructure[x.length];
        for (int i = 0; i < x.length; i++) xs[i] = constant(x[i]);
        frame.put("x", xs);
        run(program.body());
        return checked(real(program.result()));
    }

    /** The measurement {@code probe()}. */
    public DerivativeStructure measurement() {
        frame = new HashMap<>();
        return checked(real(program.measurement()));
    }

    private DerivativeStructure constant(double c) {
        return new DerivativeStructure(free, order, c);
    }

    private static DerivativeStructure checked(DerivativeStructure d) {
        double v = d.getValue();
        if (!(Math.abs(v) <= LIMIT)) throw new Rejected("value " + v);
        return d;
    }

    // ------------------------------------------------------------ statements

    private Flow run(List<Stmt> body) {
        for (Stmt s : body) {
            Flow f = run(s);
            if (f != Flow.NORMAL) return f;
        }
        return Flow.NORMAL;
    }

    private Flow run(Stmt s) {
        if (s instanceof DeclD d) {
            frame.put(d.name(), real(d.init()));
        } else if (s instanceof Set a) {
            DerivativeStructure old = (DerivativeStructure) lookup(a.name());
            frame.put(a.name(), compound(old, a.op(), a.value()));
        } else if (s instanceof Inc i) {
            DerivativeStructure old = (DerivativeStructure) lookup(i.name());
            frame.put(i.name(), i.up() ? old.add(1.0) : old.subtract(1.0));
        } else if (s instanceof DeclArr a) {
            DerivativeStructure[] arr = new DerivativeStructure[a.length()];
            for (int i = 0; i < arr.length; i++) arr[i] = constant(0.0);
            frame.put(a.name(), arr);
        } else if (s instanceof DeclArrInit a) {
            DerivativeStructure[] arr = new DerivativeStructure[a.elements().size()];
            for (int i = 0; i < arr.length; i++) arr[i] = real(a.elements().get(i));
            frame.put(a.name(), arr);
        } else if (s instanceof Alias a) {
            frame.put(a.name(), array(a.value()));
        } else if (s instanceof Decl2 a) {
            DerivativeStructure[][] arr = new DerivativeStructure[a.rows()][a.columns()];
            for (DerivativeStructure[] row : arr) {
                for (int i = 0; i < row.length; i++) row[i] = constant(0.0);
            }
            frame.put(a.name(), arr);
        } else if (s instanceof SetElem a) {
            DerivativeStructure[] arr = (DerivativeStructure[]) lookup(a.array());
            int i = integer(a.index());
            arr[i] = compound(arr[i], a.op(), a.value());
        } else if (s instanceof SetElem2 a) {
            DerivativeStructure[][] arr = (DerivativeStructure[][]) lookup(a.array());
            int i = integer(a.row());
            int j = integer(a.column());
            DerivativeStructure[] row = arr[i];
            row[j] = compound(row[j], a.op(), a.value());
        } else if (s instanceof If f) {
            return condition(f.condition()) ? run(f.then()) : run(f.otherwise());
        } else if (s instanceof For f) {
            for (int i = 0; i < integer(f.bound()); i++) {
                frame.put(f.var(), i);
                if (run(f.body()) == Flow.BREAK) break;
            }
        } else if (s instanceof While w) {
            frame.put(w.var(), 0);
            while ((Integer) frame.get(w.var()) < integer(w.bound())) {
                if (run(w.body()) == Flow.BREAK) break;
                frame.put(w.var(), (Integer) frame.get(w.var()) + 1);
            }
        } else if (s instanceof Do d) {
            frame.put(d.var(), 0);
            do {
                if (run(d.body()) == Flow.BREAK) break;
                frame.put(d.var(), (Integer) frame.get(d.var()) + 1);
            } while ((Integer) frame.get(d.var()) < integer(d.bound()));
        } else if (s instanceof Break b) {
            if (condition(b.condition())) return Flow.BREAK;
        } else if (s instanceof Continue c) {
            if (condition(c.condition())) return Flow.CONTINUE;
        } else {
            throw new IllegalArgumentException("statement " + s);
        }
        return Flow.NORMAL;
    }

    private DerivativeStructure compound(DerivativeStructure old, String op, Expr value) {
        DerivativeStructure v = real(value);
        return checked(switch (op) {
            case "=" -> v;
            case "+=" -> old.add(v);
            case "-=" -> old.subtract(v);
            case "*=" -> old.multiply(v);
            case "/=" -> divide(old, v);
            default -> throw new IllegalArgumentException("operator " + op);
        });
    }

    private Object lookup(String name) {
        Object o = frame.get(name);
        if (o == null) o = parameters.get(name);
        if (o == null) throw new IllegalStateException("unknown variable " + name);
        return o;
    }

    // ------------------------------------------------------------ expressions

    DerivativeStructure real(Expr e) {
        if (e instanceof Num n) return constant(n.value());
        if (e instanceof Local l) return (DerivativeStructure) lookup(l.name());
        if (e instanceof Scalar s) return (DerivativeStructure) parameters.get("p" + s.index());
        if (e instanceof Elem a) {
            DerivativeStructure[] arr = array(new Arr(a.array()));
            return arr[integer(a.index())];
        }
        if (e instanceof Elem2 a) {
            DerivativeStructure[][] arr = (DerivativeStructure[][]) lookup(a.array());
            DerivativeStructure[] row = arr[integer(a.row())];
            return row[integer(a.column())];
        }
        if (e instanceof Bin b) {
            DerivativeStructure x = real(b.a());
            DerivativeStructure y = real(b.b());
            return checked(switch (b.op()) {
                case "+" -> x.add(y);
                case "-" -> x.subtract(y);
                case "*" -> x.multiply(y);
                case "/" -> divide(x, y);
                default -> throw new IllegalArgumentException("operator " + b.op());
            });
        }
        if (e instanceof Neg n) return real(n.a()).negate();
        if (e instanceof Fun f) return checked(function(f));
        if (e instanceof Call c) return (DerivativeStructure) call(c);
        if (e instanceof Cond c) return condition(c.condition()) ? real(c.a()) : real(c.b());
        if (e instanceof IntToDouble i) return constant(integer(i.value()));
        throw new IllegalArgumentException("not a real expression: " + e);
    }

    private DerivativeStructure divide(DerivativeStructure x, DerivativeStructure y) {
        if (Math.abs(y.getValue()) < 1e-2) throw new Rejected("division by " + y.getValue());
        return x.divide(y);
    }

    private DerivativeStructure function(Fun f) {
        List<Expr> args = f.args();
        DerivativeStructure a = real(args.get(0));
        double x = a.getValue();
        switch (f.function()) {
            case "Math.exp", "StrictMath.exp":
                return a.exp();
            case "Math.log":
                domain(x > 0, f, x);
                return a.log();
            case "Math.log1p":
                domain(x > -1, f, x);
                return a.log1p();
            case "Math.expm1":
                return a.expm1();
            case "Math.sqrt":
                domain(x > 0, f, x);
                return a.sqrt();
            case "Math.tanh", "StrictMath.tanh":
                return a.tanh();
            case "Math.abs":
                decide(a, null, x >= 0 || Double.compare(x, -0.0) == 0 ? true : false);
                return x < 0 ? a.negate() : a;
            case "Fn.relu":
                decide(a, null, x > 0);
                return x <= 0 ? constant(0.0) : a;
            case "Math.max", "Math.min": {
                DerivativeStructure b = real(args.get(1));
                boolean firstIsMax = x >= b.getValue();
                decide(a, b, firstIsMax);
                return f.function().equals("Math.max") == firstIsMax ? a : b;
            }
            case "Math.pow": {
                DerivativeStructure b = real(args.get(1));
                double p = b.getValue();
                if (isConstant(b)) {
                    if (p == Math.rint(p) && Math.abs(p) <= 8) return a.pow((int) p);
                    domain(x > 0, f, x);
                    return a.pow(p);
                }
                domain(x > 0, f, x);
                if (isConstant(a)) return DerivativeStructure.pow(x, b);
                return a.pow(b);
            }
            case "Fn.square":
                return a.multiply(a);
            case "Fn.rsqrt":
                domain(x > 0, f, x);
                return a.sqrt().reciprocal();
            case "Fn.sigmoid":
                return a.negate().exp().add(1.0).reciprocal();
            case "Fn.softplus":
                return a.exp().log1p();
            case "Fn.erf":
                return erf(a);
            case "Fn.gelu":
                return a.multiply(erf(a.multiply(Math.sqrt(0.5))).add(1.0)).multiply(0.5);
            default:
                throw new IllegalArgumentException("function " + f.function());
        }
    }

    private static void domain(boolean inside, Fun f, double x) {
        if (!inside) throw new Rejected(f.function() + " of " + x);
    }

    /** erf through compose: the value from Fn.erf, the derivatives in closed form. */
    private DerivativeStructure erf(DerivativeStructure a) {
        double x = a.getValue();
        double[] f = new double[order + 1];
        f[0] = Fn.erf(x);
        double gauss = TWO_OVER_SQRT_PI * Math.exp(-x * x);
        double hPrev = 0; // H_{n-2}
        double h = 1; // H_{n-1}, starting at H_0
        for (int n = 1; n <= order; n++) {
            f[n] = ((n - 1) % 2 == 0 ? 1 : -1) * h * gauss;
            double next = 2 * x * h - 2 * (n - 1) * hPrev; // H_n
            hPrev = h;
            h = next;
        }
        return a.compose(f);
    }

    private static boolean isConstant(DerivativeStructure d) {
        double[] all = d.getAllDerivatives();
        for (int i = 1; i < all.length; i++) {
            if (all[i] != 0) return false;
        }
        return true;
    }

    private void decide(DerivativeStructure a, DerivativeStructure b, boolean outcome) {
        trace.add(outcome);
        DerivativeStructure d = b == null ? a : a.subtract(b);
        if (!isConstant(d)) {
            smallestGap = Math.min(smallestGap, Math.abs(d.getValue()));
            if (free == 1) seriesRadius = Math.min(seriesRadius, seriesBound(d));
        }
    }

    /** ρ of {@link #seriesRadius} for one difference d of one free variable that is not constant. */
    private static double seriesBound(DerivativeStructure d) {
        double d0 = Math.abs(d.getValue());
        if (d0 == 0) return 0;
        double[] magnitude = new double[d.getOrder() + 1];
        double factorial = 1;
        for (int r = 1; r <= d.getOrder(); r++) {
            factorial *= r;
            magnitude[r] = Math.abs(d.getPartialDerivative(r)) / factorial;
        }
        double lo = 0;
        double hi = 1;
        while (excess(magnitude, hi, d0) < 0 && hi < 1e300) hi *= 2;
        for (int i = 0; i < 200 && lo < hi; i++) {
            double mid = 0.5 * (lo + hi);
            if (excess(magnitude, mid, d0) < 0) lo = mid;
            else hi = mid;
        }
        return hi;
    }

    /** Σ_r magnitude_r ρ^r − d0, increasing in ρ. */
    private static double excess(double[] magnitude, double rho, double d0) {
        double sum = 0;
        double power = 1;
        for (int r = 1; r < magnitude.length; r++) {
            power *= rho;
            sum += magnitude[r] * power;
        }
        return sum - d0;
    }

    boolean condition(Expr e) {
        if (e instanceof Cmp c) {
            DerivativeStructure a = real(c.a());
            DerivativeStructure b = real(c.b());
            double x = a.getValue();
            double y = b.getValue();
            boolean r = switch (c.op()) {
                case "<" -> x < y;
                case "<=" -> x <= y;
                case ">" -> x > y;
                case ">=" -> x >= y;
                default -> throw new IllegalArgumentException("comparison " + c.op());
            };
            decide(a, b, r);
            return r;
        }
        if (e instanceof ICmp c) {
            int x = integer(c.a());
            int y = integer(c.b());
            return switch (c.op()) {
                case "<" -> x < y;
                case "<=" -> x <= y;
                case ">" -> x > y;
                case ">=" -> x >= y;
                case "==" -> x == y;
                case "!=" -> x != y;
                default -> throw new IllegalArgumentException("comparison " + c.op());
            };
        }
        if (e instanceof And a) return condition(a.a()) && condition(a.b());
        if (e instanceof Or o) return condition(o.a()) || condition(o.b());
        if (e instanceof Not n) return !condition(n.a());
        if (e instanceof Call c) return (Boolean) call(c);
        throw new IllegalArgumentException("not a condition: " + e);
    }

    int integer(Expr e) {
        if (e instanceof IVal i) return i.value();
        if (e instanceof IVar v) return (Integer) lookup(v.name());
        if (e instanceof IMod m) return integer(m.a()) % m.modulus();
        if (e instanceof ILen l) {
            Object o = lookup(l.array());
            return o instanceof DerivativeStructure[] a ? a.length : ((DerivativeStructure[][]) o).length;
        }
        if (e instanceof ILabel) return label;
        throw new IllegalArgumentException("not an integer: " + e);
    }

    DerivativeStructure[] array(Expr e) {
        if (e instanceof Arr a) return (DerivativeStructure[]) lookup(a.name());
        if (e instanceof Row r) return ((DerivativeStructure[][]) lookup(r.array()))[integer(r.index())];
        if (e instanceof Call c) return (DerivativeStructure[]) call(c);
        if (e instanceof Cond c) return condition(c.condition()) ? array(c.a()) : array(c.b());
        throw new IllegalArgumentException("not an array: " + e);
    }

    private Object call(Call c) {
        Helper h = helpers.get(c.helper());
        if (h == null) throw new IllegalStateException("unknown helper " + c.helper());
        Map<String, Object> callee = new HashMap<>();
        switch (h.kind()) {
            case "double", "boolean" -> {
                for (int i = 0; i < h.params().size(); i++) callee.put(h.params().get(i), real(c.args().get(i)));
            }
            case "varargs" -> {
                List<Expr> args = c.args();
                if (args.size() == 1 && (args.get(0) instanceof Arr || args.get(0) instanceof Row)) {
                    callee.put("xs", array(args.get(0)));
                } else {
                    DerivativeStructure[] xs = new DerivativeStructure[args.size()];
                    for (int i = 0; i < xs.length; i++) xs[i] = real(args.get(i));
                    callee.put("xs", xs);
                }
            }
            case "array" -> {
                DerivativeStructure[] src = array(c.args().get(0));
                DerivativeStructure[] out = new DerivativeStructure[src.length];
                for (int i = 0; i < out.length; i++) out[i] = constant(0.0);
                callee.put("src", src);
                callee.put("out", out);
            }
            default -> throw new IllegalArgumentException("helper kind " + h.kind());
        }
        Map<String, Object> caller = frame;
        frame = callee;
        try {
            run(h.body());
            return switch (h.kind()) {
                case "array" -> frame.get("out");
                case "boolean" -> condition(h.result());
                default -> checked(real(h.result()));
            };
        } finally {
            frame = caller;
        }
    }
}
