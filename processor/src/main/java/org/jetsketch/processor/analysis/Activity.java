package org.jetsketch.processor.analysis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.jetsketch.processor.ir.CircuitIr;
import org.jetsketch.processor.ir.Diagnostic;
import org.jetsketch.processor.ir.Diagnostic.Problem;
import org.jetsketch.processor.ir.Expr;
import org.jetsketch.processor.ir.IrType;
import org.jetsketch.processor.ir.MethodIr;
import org.jetsketch.processor.ir.Stmt;
import org.jetsketch.processor.primitives.Functions;

/**
 * Activity analysis: which values depend on the parameters (and so become tape slots) and which
 * stay plain Java values (indices, counters, data). A monotone fixpoint over every compiled method:
 *
 * <ul>
 *   <li>parameters, and a training step's {@code @Params}, {@code @Grads} and {@code @State}
 *       arrays, are active;
 *   <li>a scalar variable is active if anything active is assigned to it; a call's argument makes
 *       the callee's parameter active, an active return value makes the call active;
 *   <li>arrays are references: two array variables that may alias (assigned to each other,
 *       passed as an argument, returned from a helper, stored as a row) are active together, in
 *       both directions. The loss's example is the exception: it is never active (a variable that
 *       may hold it and is active gets a copy of it as constants), which is sound because nothing
 *       may write to it.
 * </ul>
 * Alongside, a flow-insensitive "origins" analysis records which protected storage an array
 * variable may refer to: the example's data, a {@code @Param} field or another field of the
 * circuit. Then it checks what needs activity: an active value as an index or array size, in a
 * loop condition, converted to an integer, under an operator or function without a rule; and a
 * write through an array that may alias protected storage.
 */
public final class Activity {

    private final CircuitIr circuit;
    private final Set<String> active = new HashSet<>();
    private final Map<String, MethodIr> methods = new HashMap<>();
    /** Variables that are never active: the loss's example (see the class comment). */
    private final Set<String> passiveOnly = new HashSet<>();
    /** Protected storage each array variable may refer to: {@code example}, {@code param:w}, {@code field:f}. */
    private final Map<String, Set<String>> origins = new HashMap<>();
    private boolean changed;

    private Activity(CircuitIr circuit) {
        this.circuit = circuit;
        for (MethodIr m : circuit.methods()) methods.put(m.key(), m);
    }

    /** The analysis result: the activity facts, and the problems they reveal. */
    public record Result(Activity activity, List<Problem> problems) {}

    public static Result analyze(CircuitIr circuit) {
        Activity a = new Activity(circuit);
        for (MethodIr m : circuit.methods()) {
            for (MethodIr.ParamIr p : m.params()) {
                if (p.kind() == MethodIr.ParamKind.EXAMPLE) {
                    a.passiveOnly.add(var(m, p.name()));
                    if (p.type().isArray()) a.addOrigins(var(m, p.name()), Set.of(EXAMPLE));
                }
                if (p.kind() == MethodIr.ParamKind.PARAMS || p.kind() == MethodIr.ParamKind.GRADS
                        || p.kind() == MethodIr.ParamKind.STATE) {
                    a.active.add(var(m, p.name()));
                }
            }
        }
        do {
            a.changed = false;
            for (MethodIr m : circuit.methods()) a.propagate(m, m.body());
        } while (a.changed);
        List<Problem> problems = new ArrayList<>();
        for (MethodIr m : circuit.methods()) new Checker(a, m, problems).statement(m.body());
        return new Result(a, problems);
    }

    // ---------------------------------------------------------------- queries

    public boolean isActive(MethodIr m, String variable) { return active.contains(var(m, variable)); }

    public boolean paramActive(MethodIr m, int index) { return isActive(m, m.params().get(index).name()); }

    public boolean returnsActive(MethodIr m) { return active.contains(ret(m.key())); }

    /** Whether {@code e}, evaluated in method {@code m}, is an active value. */
    public boolean isActive(MethodIr m, Expr e) {
        if (e instanceof Expr.Literal) return false;
        if (e instanceof Expr.Local l) return isActive(m, l.name());
        if (e instanceof Expr.Field f) return f.kind() == Expr.FieldKind.PARAM;
        if (e instanceof Expr.ArrayAccess a) return isActive(m, a.array());
        if (e instanceof Expr.Length || e instanceof Expr.NewArray) return false;
        if (e instanceof Expr.ArrayLiteral a) return a.elements().stream().anyMatch(x -> isActive(m, x));
        if (e instanceof Expr.Unary u) {
            return (u.op() == Expr.UnaryOp.NEG || u.op() == Expr.UnaryOp.PLUS) && isActive(m, u.operand());
        }
        if (e instanceof Expr.Binary b) {
            return b.type().canBeActive() && (isActive(m, b.left()) || isActive(m, b.right()));
        }
        if (e instanceof Expr.Conditional c) {
            return c.type().canBeActive() && (isActive(m, c.ifTrue()) || isActive(m, c.ifFalse()));
        }
        if (e instanceof Expr.Cast c) return c.type().canBeActive() && isActive(m, c.operand());
        if (e instanceof Expr.CallHelper c) return active.contains(ret(c.methodKey()));
        if (e instanceof Expr.CallFunction f) {
            return f.type().canBeActive() && !isStopGradient(f) && f.args().stream().anyMatch(x -> isActive(m, x));
        }
        if (e instanceof Expr.Assign a) return isActive(m, a.target());
        if (e instanceof Expr.IncDec i) return isActive(m, i.target());
        return false; // PassiveCall, PassiveField
    }

    /**
     * Whether any scalar sub-expression of {@code e} is active (a comparison of active values
     * counts; an active array whose length is read does not).
     */
    public boolean mentionsActive(MethodIr m, Expr e) {
        boolean[] found = {false};
        Exprs.forEach(e, x -> found[0] |= !x.type().isArray() && isActive(m, x));
        return found[0];
    }

    // ---------------------------------------------------------------- propagation

    private static String var(MethodIr m, String name) { return m.key() + "#" + name; }

    private static String ret(String methodKey) { return "return:" + methodKey; }

    private void mark(String key) {
        if (passiveOnly.contains(key)) return;
        if (active.add(key)) changed = true;
    }

    /**
     * The variable an array-valued expression aliases, or null (fresh arrays, data, parameters).
     * The result of a helper returning an array is the variable {@code ret(helper)}, which aliases
     * what the helper returns.
     */
    private static String aliasRoot(MethodIr m, Expr e) {
        while (e instanceof Expr.ArrayAccess a) e = a.array();
        if (e instanceof Expr.CallHelper c && c.type().isArray()) return ret(c.methodKey());
        return e instanceof Expr.Local l ? var(m, l.name()) : null;
    }

    private void propagate(MethodIr m, Stmt s) {
        if (s == null) return;
        if (s instanceof Stmt.Block b) {
            for (Stmt x : b.statements()) propagate(m, x);
        } else if (s instanceof Stmt.LocalDecl d) {
            if (d.init() != null) {
                expressions(m, d.init());
                flow(m, var(m, d.name()), d.type(), d.init());
                if (d.type().isArray()) addOrigins(var(m, d.name()), originsOf(m, d.init()));
            }
        } else if (s instanceof Stmt.ExprStmt e) {
            expressions(m, e.expr());
        } else if (s instanceof Stmt.If i) {
            expressions(m, i.condition());
            propagate(m, i.then());
            propagate(m, i.otherwise());
        } else if (s instanceof Stmt.For f) {
            for (Stmt x : f.init()) propagate(m, x);
            if (f.condition() != null) expressions(m, f.condition());
            for (Stmt x : f.update()) propagate(m, x);
            propagate(m, f.body());
        } else if (s instanceof Stmt.While w) {
            expressions(m, w.condition());
            propagate(m, w.body());
        } else if (s instanceof Stmt.DoWhile d) {
            propagate(m, d.body());
            expressions(m, d.condition());
        } else if (s instanceof Stmt.Return r && r.value() != null) {
            expressions(m, r.value());
            if (isActive(m, r.value())) mark(ret(m.key()));
            if (m.returnType().isArray()) {
                addOrigins(ret(m.key()), originsOf(m, r.value()));
                if (m.returnType().canBeActive()) alias(m, ret(m.key()), r.value());
            }
        }
    }

    /** Assignments and calls anywhere inside {@code e}. */
    private void expressions(MethodIr m, Expr e) {
        Exprs.forEach(e, x -> {
            if (x instanceof Expr.Assign a) {
                String root = aliasRoot(m, a.target());
                boolean valueActive = isActive(m, a.value()) || (a.op() != null && isActive(m, a.target()));
                if (root != null && valueActive && a.target().type().canBeActive()) mark(root);
                if (a.op() == null && a.target().type().isArray()) {
                    if (a.target().type().canBeActive()) alias(m, root, a.value());
                    if (root != null) addOrigins(root, originsOf(m, a.value()));
                }
            } else if (x instanceof Expr.CallHelper c) {
                MethodIr callee = methods.get(c.methodKey());
                for (int i = 0; i < c.args().size(); i++) {
                    Expr arg = c.args().get(i);
                    MethodIr.ParamIr p = callee.params().get(i);
                    if (p.type().isArray()) addOrigins(var(callee, p.name()), originsOf(m, arg));
                    if (!p.type().canBeActive()) continue;
                    String param = var(callee, p.name());
                    if (isActive(m, arg)) mark(param);
                    if (p.type().isArray()) alias(m, param, arg);
                }
            }
        });
    }

    /** A scalar or array variable {@code target} gets {@code value}. */
    private void flow(MethodIr m, String target, IrType type, Expr value) {
        if (!type.canBeActive()) return;
        if (isActive(m, value)) mark(target);
        if (type.isArray()) alias(m, target, value);
    }

    /** Array aliasing: {@code target} (a variable key, may be null) and the array {@code value}. */
    private void alias(MethodIr m, String target, Expr value) {
        if (value instanceof Expr.Conditional c) {
            // double[] b = c ? a1 : a2: b may be either, so a write through b makes both active
            alias(m, target, c.ifTrue());
            alias(m, target, c.ifFalse());
            return;
        }
        String root = aliasRoot(m, value);
        if (target == null || root == null) return;
        if (active.contains(target)) mark(root);
        if (active.contains(root)) mark(target);
    }

    // ---------------------------------------------------------------- origins

    private static final String EXAMPLE = "example";

    private void addOrigins(String key, Set<String> more) {
        if (more.isEmpty()) return;
        if (origins.computeIfAbsent(key, k -> new TreeSet<>()).addAll(more)) changed = true;
    }

    /** The protected storage the array value {@code e} may refer to (empty for fresh arrays). */
    Set<String> originsOf(MethodIr m, Expr e) {
        if (e instanceof Expr.Local l) return origins.getOrDefault(var(m, l.name()), Set.of());
        if (e instanceof Expr.Field f) {
            if (!f.type().isArray()) return Set.of();
            return Set.of((f.kind() == Expr.FieldKind.PARAM ? "param:" : "field:") + f.name());
        }
        if (e instanceof Expr.ArrayAccess a) return originsOf(m, a.array());
        if (e instanceof Expr.Conditional c) {
            Set<String> both = new TreeSet<>(originsOf(m, c.ifTrue()));
            both.addAll(originsOf(m, c.ifFalse()));
            return both;
        }
        if (e instanceof Expr.CallHelper c) return origins.getOrDefault(ret(c.methodKey()), Set.of());
        if (e instanceof Expr.PassiveCall || e instanceof Expr.PassiveField) return e.type().isArray() ? Set.of(EXAMPLE) : Set.of();
        if (e instanceof Expr.Assign a) return originsOf(m, a.value());
        return Set.of();
    }

    // ---------------------------------------------------------------- checks

    /** Walks a method once more and reports what activity makes illegal. */
    private static final class Checker {
        private final Activity a;
        private final MethodIr m;
        private final List<Problem> problems;

        Checker(Activity a, MethodIr m, List<Problem> problems) {
            this.a = a;
            this.m = m;
            this.problems = problems;
        }

        void statement(Stmt s) {
            if (s == null) return;
            if (s instanceof Stmt.Block b) {
                b.statements().forEach(this::statement);
            } else if (s instanceof Stmt.LocalDecl d) {
                if (d.init() != null) expression(d.init(), false);
            } else if (s instanceof Stmt.ExprStmt e) {
                expression(e.expr(), true);
            } else if (s instanceof Stmt.If i) {
                expression(i.condition(), false);
                statement(i.then());
                statement(i.otherwise());
            } else if (s instanceof Stmt.For f) {
                f.init().forEach(this::statement);
                f.init().forEach(this::headerUpdate);
                loopCondition(f.condition());
                f.update().forEach(this::statement);
                f.update().forEach(this::headerUpdate);
                statement(f.body());
            } else if (s instanceof Stmt.While w) {
                loopCondition(w.condition());
                statement(w.body());
            } else if (s instanceof Stmt.DoWhile d) {
                statement(d.body());
                loopCondition(d.condition());
            } else if (s instanceof Stmt.Return r && r.value() != null) {
                expression(r.value(), false);
            }
        }

        /**
         * An update of an active element at an index with side effects ({@code a[i++] += x}) is
         * generated as a read and a write of the element with the index evaluated once, before;
         * a for-loop header has no room for that.
         */
        private void headerUpdate(Stmt s) {
            if (!(s instanceof Stmt.ExprStmt e)) return;
            Expr target = e.expr() instanceof Expr.Assign x && x.op() != null ? x.target()
                    : e.expr() instanceof Expr.IncDec x ? x.target() : null;
            if (target != null && a.isActive(m, target) && Exprs.hasIndexWithSideEffects(target)) {
                problems.add(Problem.of(Diagnostic.UNSUPPORTED_STATEMENT, e.ref(),
                        "updating an element that depends on the parameters at an index with side effects, in a "
                                + "for-loop header,", "move the update into the loop body"));
            }
        }

        private void loopCondition(Expr condition) {
            if (condition == null) return;
            if (a.mentionsActive(m, condition)) {
                problems.add(Problem.of(Diagnostic.ACTIVE_LOOP_BOUND, condition.ref()));
            } else {
                expression(condition, false);
            }
        }

        private void expression(Expr root, boolean statementLevel) {
            // the nodes of an index or size already reported: one error per index
            Set<Expr> covered = Collections.newSetFromMap(new IdentityHashMap<>());
            Consumer<Expr> check = e -> {
                if (covered.contains(e)) return;
                if ((e instanceof Expr.Assign || e instanceof Expr.IncDec)) writeThroughAlias(e);
                if ((e instanceof Expr.Assign || e instanceof Expr.IncDec) && !(statementLevel && e == root)) {
                    sideEffectIndex(e);
                }
                if (e instanceof Expr.ArrayAccess x && dependsOnParameters(x.index())) {
                    problems.add(Problem.of(Diagnostic.ACTIVE_INDEX, x.index().ref(), "this index"));
                    Exprs.forEach(x.index(), covered::add);
                } else if (e instanceof Expr.NewArray n) {
                    for (Expr d : n.dims()) {
                        if (dependsOnParameters(d)) {
                            problems.add(Problem.of(Diagnostic.ACTIVE_INDEX, d.ref(), "this size"));
                            Exprs.forEach(d, covered::add);
                        }
                    }
                } else if (e instanceof Expr.Cast c && !c.type().canBeActive() && a.isActive(m, c.operand())) {
                    problems.add(Problem.of(Diagnostic.ACTIVE_TO_INTEGER, c.ref(), "this value", c.type()));
                } else if (e instanceof Expr.Binary b && !b.op().isArithmetic() && !b.op().isComparison()
                        && (a.isActive(m, b.left()) || a.isActive(m, b.right()))) {
                    problems.add(Problem.of(Diagnostic.ACTIVE_OPERATOR, b.ref(), b.op().symbol));
                } else if (e instanceof Expr.Assign x) {
                    boolean targetActive = a.isActive(m, x.target());
                    if (x.op() != null && !x.target().type().canBeActive() && a.isActive(m, x.value())) {
                        problems.add(Problem.of(Diagnostic.ACTIVE_TO_INTEGER, x.ref(), "the right-hand side",
                                x.target().type()));
                    } else if (x.op() != null && targetActive && !x.op().isArithmetic()) {
                        problems.add(Problem.of(Diagnostic.ACTIVE_OPERATOR, x.ref(), x.op().symbol + "="));
                    } else if (targetActive && !(statementLevel && e == root)) {
                        problems.add(Problem.of(Diagnostic.ASSIGNMENT_IN_EXPRESSION, x.ref(), "this variable"));
                    }
                } else if (e instanceof Expr.IncDec x && a.isActive(m, x.target()) && !(statementLevel && e == root)) {
                    problems.add(Problem.of(Diagnostic.ASSIGNMENT_IN_EXPRESSION, x.ref(), "this variable"));
                } else if (e instanceof Expr.CallFunction f && f.args().stream().anyMatch(x -> a.isActive(m, x))) {
                    if (!hasRule(f)) {
                        problems.add(Problem.of(Diagnostic.NO_RULE, f.ref(), f.owner() + "." + f.function()));
                    }
                }
            };
            Exprs.forEach(root, check);
        }

        /**
         * Whether an (integer) index or size depends on the parameters: it converts an active value
         * to an integer, by a cast or a library function. An index chosen by comparing active values
         * ({@code a[s > 0 ? 1 : 0]}) follows the real part, like a branch, and is allowed.
         */
        private boolean dependsOnParameters(Expr index) {
            boolean[] found = {false};
            Exprs.forEach(index, x -> {
                if (x instanceof Expr.Cast c && !c.type().canBeActive() && a.isActive(m, c.operand())) found[0] = true;
                if (x instanceof Expr.CallFunction f && !f.type().canBeActive()
                        && f.args().stream().anyMatch(y -> a.isActive(m, y))) {
                    found[0] = true;
                }
            });
            return found[0];
        }

        /**
         * A passive write used as a value, into an element at an index with side effects
         * ({@code s += (mask[j++] = 0.5) * w[0]}): when a reverse sweep reads the array, the
         * element must be saved before the write and restored after, at the same index, which
         * only a statement of its own can give (its index then goes into a temporary first).
         * An active one is already an assignment in an expression.
         */
        private void sideEffectIndex(Expr e) {
            Expr target = e instanceof Expr.Assign x ? x.target() : ((Expr.IncDec) e).target();
            if (!a.isActive(m, target) && Exprs.hasIndexWithSideEffects(target)) {
                problems.add(Problem.of(Diagnostic.SIDE_EFFECT_INDEX, e.ref(), "this assignment"));
            }
        }

        /** A write into an array that may alias the example, a @Param field or another field. */
        private void writeThroughAlias(Expr e) {
            Expr target = e instanceof Expr.Assign x ? x.target() : ((Expr.IncDec) e).target();
            if (!(target instanceof Expr.ArrayAccess access)) return;
            Set<String> from = a.originsOf(m, access.array());
            if (from.isEmpty()) return;
            String what = "this assignment (through an alias)";
            String param = from.stream().filter(o -> o.startsWith("param:")).findFirst().orElse(null);
            if (param != null) {
                problems.add(Problem.of(Diagnostic.PARAM_WRITE, e.ref(), what, param.substring("param:".length())));
            } else if (from.contains(EXAMPLE)) {
                problems.add(Problem.of(Diagnostic.EXAMPLE_WRITE, e.ref(), what));
            } else {
                String field = from.iterator().next();
                problems.add(Problem.of(Diagnostic.FIELD_WRITE, e.ref(), what, field.substring("field:".length())));
            }
        }
    }

    /** {@code Fn.stopGradient(x)}: x's real value as a constant, never active. */
    public static boolean isStopGradient(Expr.CallFunction f) {
        return f.owner().equals("Fn") && f.function().equals("stopGradient");
    }

    /** Whether a library call with an active argument can be compiled: see {@link Functions}. */
    static boolean hasRule(Expr.CallFunction f) {
        if (!f.type().isScalarDouble()) return false;
        if (isStopGradient(f)) return true;
        return Functions.hasRule(f.owner(), f.function());
    }

    public CircuitIr circuit() { return circuit; }
}
