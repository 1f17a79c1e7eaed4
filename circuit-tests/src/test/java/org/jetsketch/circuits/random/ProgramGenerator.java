package org.jetsketch.circuits.random;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.jetsketch.circuits.random.Ast.*;

/**
 * Random circuits inside the DSL. A program is drawn from its seed alone (same seed, same
 * program). What it covers: every function of the primitive table with its argument kept inside
 * the domain (log, sqrt, rsqrt, fractional and active powers of positive wrappers such as
 * 1 + x², 0.5 + σ(x), softplus(x) + 0.25; divisions by them), locals and compound reassignments,
 * {@code ++}/{@code --}, 1-D and 2-D arrays with aliases (a second name, a row of a matrix, an
 * array chosen by {@code ?:}, a helper's result), {@code for}/{@code while}/{@code do} loops with
 * passive bounds, {@code break}/{@code continue} on active and passive conditions,
 * {@code if}/{@code else} and {@code ?:} on active and passive values, {@code &&}/{@code ||} with
 * helper calls (including a helper defined only where its guard holds, log of an example value
 * behind {@code x[k] > 0 &&}), static and instance helpers calling earlier ones, variable-arity
 * helpers (called with values or an array), array-returning helpers, a measurement, and one of
 * four optimizers (SGD, momentum, Adam, clipping) with one of three schedules (full batch,
 * sequential, minibatches).
 *
 * <p>Writes go only to arrays the loss created (never through an alias of the parameters or the
 * example), indices are passive and in range (a constant, or a loop counter modulo the length),
 * and the program is accepted only if {@link DsEvaluator} runs it on every example without leaving
 * a domain, so each generated program is one the compiler must accept and compile correctly.
 */
public final class ProgramGenerator {
    /** Examples in every program's data set, and the length of their feature vector. */
    public static final int EXAMPLES = 4;
    public static final int FEATURES = 3;
    /** Below this |difference|, a decision is too close to switching for finite differences. */
    static final double SMALLEST_GAP = 1e-3;

    /** Whether helpers returning boolean are generated (issue 22: they fail on the jet path). */
    private final boolean booleanHelpers;

    public ProgramGenerator(boolean booleanHelpers) {
        this.booleanHelpers = booleanHelpers;
    }

    /** Which array lengths are known: ≥ 1 a length, {@code UNKNOWN_*} a group of equal unknown lengths. */
    private static final int UNKNOWN_SRC = -1;
    private static final int UNKNOWN_XS = -2;

    private static final class Scope {
        final Scope parent;
        final List<String> doubles = new ArrayList<>();
        final Map<String, Integer> ints = new LinkedHashMap<>(); // loop variable -> its bound (length or group)
        final Map<String, Integer> arrays = new LinkedHashMap<>(); // 1-D -> length (or group)
        final Map<String, Boolean> writable = new HashMap<>();
        final Map<String, int[]> matrices = new LinkedHashMap<>();

        Scope(Scope parent) {
            this.parent = parent;
        }
    }

    private final class Context {
        final SplittableRandom random;
        final boolean instance;
        final boolean example;
        final List<Helper> callable;
        Scope scope;
        boolean inLoop;
        boolean inFor;

        Context(SplittableRandom random, boolean instance, boolean example, List<Helper> callable) {
            this.random = random;
            this.instance = instance;
            this.example = example;
            this.callable = callable;
            this.scope = new Scope(null);
        }

        List<String> doubles() {
            List<String> out = new ArrayList<>();
            for (Scope s = scope; s != null; s = s.parent) out.addAll(s.doubles);
            return out;
        }

        Map<String, Integer> ints() {
            Map<String, Integer> out = new LinkedHashMap<>();
            for (Scope s = scope; s != null; s = s.parent) out.putAll(s.ints);
            return out;
        }

        Map<String, Integer> arrays() {
            Map<String, Integer> out = new LinkedHashMap<>();
            for (Scope s = scope; s != null; s = s.parent) out.putAll(s.arrays);
            return out;
        }

        boolean writable(String array) {
            for (Scope s = scope; s != null; s = s.parent) {
                if (s.writable.containsKey(array)) return s.writable.get(array);
            }
            return false;
        }

        Map<String, int[]> matrices() {
            Map<String, int[]> out = new LinkedHashMap<>();
            for (Scope s = scope; s != null; s = s.parent) out.putAll(s.matrices);
            return out;
        }

        void push() {
            scope = new Scope(scope);
        }

        void pop() {
            scope = scope.parent;
        }
    }

    private int names;
    private Program shape;

    /** Program {@code index} of the run with seed {@code seed}: accepted by the oracle, or retried. */
    public Program program(long seed, int index) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
        for (int attempt = 0; ; attempt++) {
            Program p = draw(random, "R" + Long.toUnsignedString(seed, 36) + "x" + index);
            if (acceptable(p)) return p;
            if (attempt > 500) throw new IllegalStateException("no acceptable program for seed " + seed + " #" + index);
        }
    }

    /** Whether the oracle runs {@code p} on every example and its measurement, away from switches. */
    public static boolean acceptable(Program p) {
        try {
            double[] theta = init(p);
            double[][] basis = new double[theta.length][theta.length];
            for (int i = 0; i < theta.length; i++) basis[i][i] = 1;
            for (int e = 0; e < p.xs().size(); e++) {
                DsEvaluator ev = new DsEvaluator(p, DsEvaluator.line(theta, basis, 1));
                ev.loss(features(p, e), p.labels().get(e));
                if (ev.smallestGap < SMALLEST_GAP) return false;
            }
            DsEvaluator ev = new DsEvaluator(p, DsEvaluator.line(theta, basis, 1));
            ev.measurement();
            return ev.smallestGap >= SMALLEST_GAP;
        } catch (DsEvaluator.Rejected | ArithmeticException | IndexOutOfBoundsException e) {
            return false;
        }
    }

    public static double[] init(Program p) {
        double[] out = new double[p.init().size()];
        for (int i = 0; i < out.length; i++) out[i] = p.init().get(i);
        return out;
    }

    public static double[] features(Program p, int example) {
        List<Double> row = p.xs().get(example);
        double[] out = new double[row.size()];
        for (int i = 0; i < out.length; i++) out[i] = row.get(i);
        return out;
    }

    private Program draw(SplittableRandom r, String name) {
        names = 0;
        int scalars = 1 + r.nextInt(2);
        int vecLen = r.nextInt(3) == 0 ? 0 : 2 + r.nextInt(2);
        int rows = r.nextInt(3) == 0 ? 2 : 0;
        int cols = rows > 0 ? 2 : 0;
        int params = scalars + vecLen + rows * cols;
        List<Double> init = new ArrayList<>();
        for (int i = 0; i < params; i++) init.add(round(r.nextDouble(-1, 1), 1000));
        List<List<Double>> xs = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int e = 0; e < EXAMPLES; e++) {
            List<Double> row = new ArrayList<>();
            for (int i = 0; i < FEATURES; i++) row.add(round(r.nextDouble(-1.5, 1.5), 100));
            xs.add(row);
            labels.add(r.nextInt(2));
        }
        shape = new Program(name, scalars, vecLen, rows, cols, init, List.of(), new Num(0), List.of(), new Num(0),
                "sgd", "full", 2, xs, labels);

        List<Helper> helpers = new ArrayList<>();
        int helperCount = r.nextInt(4);
        for (int h = 0; h < helperCount; h++) helpers.add(helper(r, h, helpers));
        if (r.nextInt(3) == 0) {
            // defined only for z > 0: the program calls it behind a guard x[k] > 0 && ...
            helpers.add(new Helper("double", "guardedLog" + helpers.size(), r.nextBoolean(), List.of("u", "z"),
                    List.of(), new Bin("*", new Local("u"), new Fun("Math.log", List.of(new Local("z"))))));
        }
        if (booleanHelpers && r.nextInt(3) == 0) {
            Context c = new Context(r, true, false, List.of());
            c.scope.doubles.add("u0");
            helpers.add(new Helper("boolean", "test" + helpers.size(), false, List.of("u0"), List.of(),
                    new Cmp(r.nextBoolean() ? ">" : "<=", real(c, 1), new Num(round(r.nextDouble(-1, 1), 10)))));
        }

        Context loss = new Context(r, true, true, helpers);
        loss.scope.arrays.put("x", FEATURES);
        if (vecLen > 0) loss.scope.arrays.put("v", vecLen);
        if (rows > 0) loss.scope.matrices.put("m", new int[] {rows, cols});
        List<Stmt> body = statements(loss, 2, 3 + r.nextInt(5));
        Expr result = real(loss, 2);
        for (String d : loss.scope.doubles) result = new Bin("+", result, new Local(d));
        for (Map.Entry<String, Integer> a : loss.scope.arrays.entrySet()) {
            if (a.getKey().startsWith("a")) result = new Bin("+", result, new Elem(a.getKey(), new IVal(0)));
        }

        Context probe = new Context(r, true, false, helpers);
        if (vecLen > 0) probe.scope.arrays.put("v", vecLen);
        if (rows > 0) probe.scope.matrices.put("m", new int[] {rows, cols});
        Expr measurement = real(probe, 2);

        String optimizer = List.of("sgd", "momentum", "adam", "clip").get(r.nextInt(4));
        String schedule = List.of("full", "sequential", "mini").get(r.nextInt(3));
        int steps = schedule.equals("mini") ? 2 * (1 + r.nextInt(2)) : 2 + r.nextInt(2);
        return new Program(name, scalars, vecLen, rows, cols, init, body, result, helpers, measurement, optimizer,
                schedule, steps, xs, labels);
    }

    private Helper helper(SplittableRandom r, int index, List<Helper> earlier) {
        boolean isStatic = r.nextInt(3) == 0;
        String kind = List.of("double", "double", "varargs", "array").get(r.nextInt(4));
        String name = "h" + index;
        Context c = new Context(r, !isStatic, false, List.copyOf(earlier));
        switch (kind) {
            case "double" -> {
                int n = 1 + r.nextInt(2);
                List<String> params = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    params.add("u" + i);
                    c.scope.doubles.add("u" + i);
                }
                List<Stmt> body = statements(c, 1, r.nextInt(3));
                Expr result = real(c, 2);
                for (String d : c.scope.doubles) {
                    if (!params.contains(d)) result = new Bin("+", result, new Local(d));
                }
                return new Helper(kind, name, isStatic, params, body, result);
            }
            case "varargs" -> {
                c.scope.arrays.put("xs", UNKNOWN_XS);
                String acc = fresh("d");
                String i = fresh("i");
                c.scope.doubles.add(acc);
                Context inner = c;
                inner.push();
                inner.scope.ints.put(i, UNKNOWN_XS);
                Expr term = real(inner, 1);
                inner.pop();
                List<Stmt> body = List.of(new DeclD(acc, new Num(0.0)),
                        new For(i, new ILen("xs"), List.of(new Set(acc, "+=", new Bin("*", new Elem("xs", new IVar(i)), term)))));
                return new Helper(kind, name, isStatic, List.of(), body, new Bin("+", new Local(acc), real(c, 1)));
            }
            default -> { // array
                c.scope.arrays.put("src", UNKNOWN_SRC);
                c.scope.arrays.put("out", UNKNOWN_SRC);
                c.scope.writable.put("out", true);
                String i = fresh("i");
                c.push();
                c.scope.ints.put(i, UNKNOWN_SRC);
                Expr value = real(c, 2);
                c.pop();
                List<Stmt> body = List.of(new For(i, new ILen("src"), List.of(new SetElem("out", new IVar(i), "=",
                        new Bin(r.nextBoolean() ? "+" : "*", new Elem("src", new IVar(i)), value)))));
                return new Helper(kind, name, isStatic, List.of(), body, new Num(0));
            }
        }
    }

    private String fresh(String prefix) {
        return prefix + (names++);
    }

    static double round(double x, double scale) {
        return Math.round(x * scale) / scale;
    }

    // ------------------------------------------------------------ statements

    private List<Stmt> statements(Context c, int depth, int count) {
        List<Stmt> out = new ArrayList<>();
        for (int i = 0; i < count; i++) out.add(statement(c, depth));
        return out;
    }

    private List<Stmt> block(Context c, int depth, int count) {
        c.push();
        List<Stmt> out = statements(c, depth, count);
        c.pop();
        return out;
    }

    private Stmt statement(Context c, int depth) {
        SplittableRandom r = c.random;
        List<String> doubles = c.doubles();
        while (true) {
            switch (r.nextInt(16)) {
                case 0, 1 -> {
                    String name = fresh("d");
                    Stmt s = new DeclD(name, real(c, 2));
                    c.scope.doubles.add(name);
                    return s;
                }
                case 2, 3 -> {
                    if (doubles.isEmpty()) continue;
                    String name = doubles.get(r.nextInt(doubles.size()));
                    int op = r.nextInt(5);
                    if (op == 4) return new Set(name, "/=", positive(c, 1));
                    return new Set(name, List.of("=", "+=", "-=", "*=").get(op), real(c, 2));
                }
                case 4 -> {
                    if (doubles.isEmpty()) continue;
                    return new Inc(doubles.get(r.nextInt(doubles.size())), r.nextBoolean());
                }
                case 5 -> {
                    String name = fresh("a");
                    int length = 2 + r.nextInt(2);
                    Stmt s;
                    if (r.nextBoolean()) {
                        s = new DeclArr(name, length);
                    } else {
                        List<Expr> elements = new ArrayList<>();
                        for (int i = 0; i < length; i++) elements.add(real(c, 1));
                        s = new DeclArrInit(name, elements);
                    }
                    c.scope.arrays.put(name, length);
                    c.scope.writable.put(name, true);
                    return s;
                }
                case 6 -> {
                    Stmt s = alias(c);
                    if (s == null) continue;
                    return s;
                }
                case 7 -> {
                    String name = fresh("g");
                    c.scope.matrices.put(name, new int[] {2, 3});
                    c.scope.writable.put(name, true);
                    return new Decl2(name, 2, 3);
                }
                case 8, 9 -> {
                    List<String> targets = new ArrayList<>();
                    for (String a : c.arrays().keySet()) if (c.writable(a)) targets.add(a);
                    for (String a : c.matrices().keySet()) if (c.writable(a)) targets.add(a);
                    if (targets.isEmpty()) continue;
                    String a = targets.get(r.nextInt(targets.size()));
                    String op = List.of("=", "+=", "-=", "*=").get(r.nextInt(4));
                    if (c.matrices().containsKey(a)) {
                        int[] shape = c.matrices().get(a);
                        return new SetElem2(a, index(c, shape[0]), index(c, shape[1]), op, real(c, 2));
                    }
                    Expr i = index(c, c.arrays().get(a));
                    if (i == null) continue;
                    return new SetElem(a, i, op, real(c, 2));
                }
                case 10, 11 -> {
                    if (depth == 0) continue;
                    Expr cond = condition(c, 1);
                    List<Stmt> then = block(c, depth - 1, 1 + r.nextInt(2));
                    List<Stmt> otherwise = r.nextBoolean() ? block(c, depth - 1, 1 + r.nextInt(2)) : List.of();
                    return new If(cond, then, otherwise);
                }
                case 12, 13, 14 -> {
                    if (depth == 0) continue;
                    return loop(c, depth);
                }
                default -> {
                    if (!c.inLoop) continue;
                    Expr cond = condition(c, 1);
                    if (c.inFor && r.nextBoolean()) return new Continue(cond);
                    return new Break(cond);
                }
            }
        }
    }

    private Stmt alias(Context c) {
        SplittableRandom r = c.random;
        String name = fresh("a");
        List<String> arrays = new ArrayList<>();
        for (Map.Entry<String, Integer> a : c.arrays().entrySet()) if (a.getValue() > 0) arrays.add(a.getKey());
        Map<String, int[]> matrices = c.matrices();
        switch (r.nextInt(4)) {
            case 0 -> {
                if (arrays.isEmpty()) return null;
                String target = arrays.get(r.nextInt(arrays.size()));
                c.scope.arrays.put(name, c.arrays().get(target));
                c.scope.writable.put(name, c.writable(target));
                return new Alias(name, new Arr(target));
            }
            case 1 -> {
                if (matrices.isEmpty()) return null;
                List<String> ms = new ArrayList<>(matrices.keySet());
                String target = ms.get(r.nextInt(ms.size()));
                int[] shape = matrices.get(target);
                Expr row = index(c, shape[0]);
                c.scope.arrays.put(name, shape[1]);
                c.scope.writable.put(name, c.writable(target));
                return new Alias(name, new Row(target, row));
            }
            case 2 -> {
                List<String> same = new ArrayList<>();
                if (arrays.isEmpty()) return null;
                String first = arrays.get(r.nextInt(arrays.size()));
                for (String a : arrays) if (c.arrays().get(a).equals(c.arrays().get(first))) same.add(a);
                String second = same.get(r.nextInt(same.size()));
                Expr choice = condition(c, 1);
                c.scope.arrays.put(name, c.arrays().get(first));
                c.scope.writable.put(name, c.writable(first) && c.writable(second));
                return new Alias(name, new Cond(choice, new Arr(first), new Arr(second)));
            }
            default -> {
                List<Helper> makers = new ArrayList<>();
                for (Helper h : c.callable) if (h.kind().equals("array") && (c.instance || h.isStatic())) makers.add(h);
                if (makers.isEmpty() || arrays.isEmpty()) return null;
                String src = arrays.get(r.nextInt(arrays.size()));
                c.scope.arrays.put(name, c.arrays().get(src));
                c.scope.writable.put(name, true);
                return new Alias(name, new Call(makers.get(r.nextInt(makers.size())).name(), List.of(new Arr(src))));
            }
        }
    }

    private Stmt loop(Context c, int depth) {
        SplittableRandom r = c.random;
        String var = fresh("i");
        Expr bound;
        int boundTag;
        List<String> known = new ArrayList<>();
        for (Map.Entry<String, Integer> a : c.arrays().entrySet()) if (a.getValue() > 0) known.add(a.getKey());
        if (!known.isEmpty() && r.nextBoolean()) {
            String a = known.get(r.nextInt(known.size()));
            bound = new ILen(a);
            boundTag = c.arrays().get(a);
        } else {
            boundTag = 1 + r.nextInt(4);
            bound = new IVal(boundTag);
        }
        int kind = r.nextInt(3);
        boolean wasLoop = c.inLoop;
        boolean wasFor = c.inFor;
        c.inLoop = true;
        c.inFor = kind == 0;
        c.push();
        c.scope.ints.put(var, boundTag);
        List<Stmt> body = statements(c, depth - 1, 1 + r.nextInt(3));
        c.pop();
        c.inLoop = wasLoop;
        c.inFor = wasFor;
        return switch (kind) {
            case 0 -> new For(var, bound, body);
            case 1 -> new While(var, bound, body);
            default -> new Do(var, bound, body);
        };
    }

    // ------------------------------------------------------------ expressions

    /** A passive index into an array of {@code length} (or of the unknown-length group), or null. */
    private Expr index(Context c, int length) {
        SplittableRandom r = c.random;
        List<String> sameGroup = new ArrayList<>();
        List<String> any = new ArrayList<>();
        for (Map.Entry<String, Integer> i : c.ints().entrySet()) {
            any.add(i.getKey());
            if (i.getValue() == length) sameGroup.add(i.getKey());
        }
        if (length < 0) {
            if (!sameGroup.isEmpty() && r.nextInt(4) > 0) return new IVar(sameGroup.get(r.nextInt(sameGroup.size())));
            return new IVal(0);
        }
        int pick = r.nextInt(4);
        if (pick == 0 && c.example && length >= 2) return new ILabel();
        if (pick >= 2 && !any.isEmpty()) {
            String v = any.get(r.nextInt(any.size()));
            Integer bound = c.ints().get(v);
            if (bound > 0 && bound <= length) return new IVar(v);
            return new IMod(new IVar(v), length);
        }
        return new IVal(r.nextInt(length));
    }

    private Expr real(Context c, int depth) {
        SplittableRandom r = c.random;
        if (depth <= 0 || r.nextInt(4) == 0) return leaf(c);
        int pick = r.nextInt(20);
        if (pick < 5) {
            String op = List.of("+", "-", "*", "+", "*").get(pick);
            return new Bin(op, real(c, depth - 1), real(c, depth - 1));
        }
        if (pick == 5) return new Bin("/", real(c, depth - 1), positive(c, depth - 1));
        if (pick == 6) return new Neg(real(c, depth - 1));
        if (pick == 7) return new Cond(condition(c, depth - 1), real(c, depth - 1), real(c, depth - 1));
        if (pick == 8 || pick == 9) {
            Expr call = call(c, depth);
            if (call != null) return call;
        }
        return function(c, depth);
    }

    private Expr call(Context c, int depth) {
        SplittableRandom r = c.random;
        List<Helper> usable = new ArrayList<>();
        for (Helper h : c.callable) {
            if ((h.kind().equals("double") && !h.name().startsWith("guardedLog") || h.kind().equals("varargs"))
                    && (c.instance || h.isStatic())) {
                usable.add(h);
            }
        }
        if (usable.isEmpty()) return null;
        Helper h = usable.get(r.nextInt(usable.size()));
        List<Expr> args = new ArrayList<>();
        if (h.kind().equals("varargs")) {
            List<String> arrays = new ArrayList<>();
            for (Map.Entry<String, Integer> a : c.arrays().entrySet()) if (a.getValue() > 0) arrays.add(a.getKey());
            if (!arrays.isEmpty() && r.nextInt(3) == 0) {
                args.add(new Arr(arrays.get(r.nextInt(arrays.size()))));
            } else {
                int n = 1 + r.nextInt(3);
                for (int i = 0; i < n; i++) args.add(real(c, depth - 1));
            }
        } else {
            for (int i = 0; i < h.params().size(); i++) args.add(real(c, depth - 1));
        }
        return new Call(h.name(), args);
    }

    private Expr function(Context c, int depth) {
        SplittableRandom r = c.random;
        int d = depth - 1;
        switch (r.nextInt(21)) {
            case 0: return fun("Math.exp", new Bin("*", new Num(0.5), real(c, d)));
            case 1: return fun("Math.log", positive(c, d));
            case 2: return fun("Math.log1p", fun("Fn.sigmoid", real(c, d)));
            case 3: return fun("Math.expm1", real(c, d));
            case 4: return fun("Math.sqrt", positive(c, d));
            case 5: return fun("Math.tanh", real(c, d));
            case 6: return fun("Math.abs", real(c, d));
            case 7: return new Fun("Math.max", List.of(real(c, d), real(c, d)));
            case 8: return new Fun("Math.min", List.of(real(c, d), real(c, d)));
            case 9: return new Fun("Math.pow", List.of(real(c, d), new Num(2 + r.nextInt(2))));
            case 10: return new Fun("Math.pow", List.of(positive(c, d), new Num(List.of(1.5, -0.5, 0.75).get(r.nextInt(3)))));
            case 11: return new Fun("Math.pow", List.of(new Num(List.of(1.5, 0.5, 2.0).get(r.nextInt(3))), real(c, d)));
            case 12: return new Fun("Math.pow", List.of(positive(c, d), fun("Math.tanh", real(c, d))));
            case 13: return fun("Fn.square", real(c, d));
            case 14: return fun("Fn.rsqrt", positive(c, d));
            case 15: return fun("Fn.sigmoid", real(c, d));
            case 16: return fun("Fn.softplus", real(c, d));
            case 17: return fun("Fn.erf", real(c, d));
            case 18: return fun("Fn.gelu", real(c, d));
            case 19: return fun("Fn.relu", real(c, d));
            default: return fun(r.nextBoolean() ? "StrictMath.exp" : "StrictMath.tanh", new Bin("*", new Num(0.25), real(c, d)));
        }
    }

    private static Expr fun(String name, Expr a) {
        return new Fun(name, List.of(a));
    }

    /** A real expression that is positive whatever its operand (and not small). */
    private Expr positive(Context c, int depth) {
        SplittableRandom r = c.random;
        Expr a = real(c, depth);
        return switch (r.nextInt(5)) {
            case 0 -> new Bin("+", new Num(1.0), fun("Fn.square", a));
            case 1 -> new Bin("+", new Num(0.5), fun("Fn.sigmoid", a));
            case 2 -> new Bin("+", fun("Fn.softplus", a), new Num(0.25));
            case 3 -> new Bin("+", new Num(2.0), fun("Math.tanh", a));
            default -> fun("Math.exp", fun("Math.tanh", a));
        };
    }

    private Expr leaf(Context c) {
        SplittableRandom r = c.random;
        while (true) {
            switch (r.nextInt(7)) {
                case 0 -> {
                    return new Num(List.of(0.5, -1.25, 2.0, 0.1, 3.0, -0.3, 1.0).get(r.nextInt(7)));
                }
                case 1, 2 -> {
                    List<String> doubles = c.doubles();
                    if (doubles.isEmpty()) continue;
                    return new Local(doubles.get(r.nextInt(doubles.size())));
                }
                case 3 -> {
                    if (!c.instance) continue;
                    return new Scalar(r.nextInt(shape.scalars()));
                }
                case 4 -> {
                    List<String> arrays = new ArrayList<>(c.arrays().keySet());
                    if (!c.instance) arrays.remove("v");
                    if (arrays.isEmpty()) continue;
                    String a = arrays.get(r.nextInt(arrays.size()));
                    Expr i = index(c, c.arrays().get(a));
                    return new Elem(a, i);
                }
                case 5 -> {
                    List<String> ms = new ArrayList<>(c.matrices().keySet());
                    if (!c.instance) ms.remove("m");
                    if (ms.isEmpty()) continue;
                    String a = ms.get(r.nextInt(ms.size()));
                    int[] s = c.matrices().get(a);
                    return new Elem2(a, index(c, s[0]), index(c, s[1]));
                }
                default -> {
                    Map<String, Integer> ints = c.ints();
                    if (ints.isEmpty()) continue;
                    List<String> names = new ArrayList<>(ints.keySet());
                    return new Bin("*", new Num(0.25), new IntToDouble(new IVar(names.get(r.nextInt(names.size())))));
                }
            }
        }
    }

    private Expr condition(Context c, int depth) {
        SplittableRandom r = c.random;
        int pick = r.nextInt(10);
        if (depth > 0 && pick == 0) return new And(condition(c, depth - 1), condition(c, depth - 1));
        if (depth > 0 && pick == 1) return new Or(condition(c, depth - 1), condition(c, depth - 1));
        if (pick == 2) return new Not(condition(c, 0));
        if (pick == 3) {
            Map<String, Integer> ints = c.ints();
            if (!ints.isEmpty()) {
                List<String> names = new ArrayList<>(ints.keySet());
                return new ICmp(List.of("==", "!=", "<", ">=").get(r.nextInt(4)),
                        new IVar(names.get(r.nextInt(names.size()))), new IVal(r.nextInt(3)));
            }
            if (c.example) return new ICmp(r.nextBoolean() ? "==" : "!=", new ILabel(), new IVal(1));
        }
        if (pick == 4 && c.example) {
            for (Helper h : c.callable) {
                if (!h.name().startsWith("guardedLog") || !(c.instance || h.isStatic())) continue;
                Expr z = new Elem("x", new IVal(r.nextInt(FEATURES)));
                Expr guarded = new Cmp(r.nextBoolean() ? ">" : "<", new Call(h.name(), List.of(real(c, 1), z)),
                        new Num(round(r.nextDouble(-0.5, 0.5), 10)));
                return r.nextBoolean() ? new And(new Cmp(">", z, new Num(0.0)), guarded)
                        : new Or(new Cmp("<=", z, new Num(0.0)), guarded);
            }
        }
        if (pick == 5) {
            for (Helper h : c.callable) {
                if (!h.kind().equals("boolean") || !(c.instance || h.isStatic())) continue;
                return new And(new Cmp(">", real(c, 1), new Num(-0.5)), new Call(h.name(), List.of(real(c, 1))));
            }
        }
        return new Cmp(List.of("<", "<=", ">", ">=").get(r.nextInt(4)), real(c, depth), real(c, Math.max(0, depth - 1)));
    }
}
