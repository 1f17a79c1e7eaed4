package org.jetsketch.processor.codegen;

import java.util.HashMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.jetsketch.processor.analysis.Activity;
import org.jetsketch.processor.analysis.Exprs;
import org.jetsketch.processor.ir.CircuitIr;
import org.jetsketch.processor.ir.Expr;
import org.jetsketch.processor.ir.MethodIr;
import org.jetsketch.processor.ir.Stmt;
import org.jetsketch.processor.primitives.Primitive;

/**
 * What the adjoint writers of one circuit share: every method normalized, which methods get a
 * reverse sweep, which are plain Java, the alias classes, and which classes' elements some
 * reverse sweep reads (the to-be-recorded facts for array elements).
 */
final class Plan {
    final CircuitIr circuit;
    final Activity activity;
    final Map<String, Facts> facts = new HashMap<>();
    final Map<String, Stmt.Block> bodies = new HashMap<>();
    /** Each normalized body's statement positions, loops and assignment counts. */
    final Map<String, Shapes> shapes = new HashMap<>();
    /** Helpers with no active value at all: plain Java, callable anywhere, never reversed. */
    final Set<String> plain = new HashSet<>();
    /** The loss and every helper it reaches that is not plain: they get a reverse sweep. */
    final Set<String> reversible = new LinkedHashSet<>();
    /**
     * The adjoint variants of the training step and of each measurement: the same method written
     * once more on doubles as a reversible method named {@code <name>Adjoint} (its key is the
     * method's own), for the adjoint of training and the measurements' gradients. Their ordinary
     * writings stay forward only, so training and evaluation record nothing for them; the helpers
     * they call are reversible.
     */
    final List<MethodIr> adjointVariants = new ArrayList<>();
    /**
     * The methods with a reverse sweep that code without one calls (a measurement's or the
     * training step's ordinary writing, and transitively): each also gets a value-only writing,
     * so that such code records nothing.
     */
    final Set<String> valueOnly = new LinkedHashSet<>();
    final Aliases aliases;
    /**
     * For each helper, the active array parameters that every call of it passes as a
     * {@code @Param} field and that it never assigns: the caller names the field (and its adjoint
     * array) again when it calls the helper's reverse sweep, so the helper's forward sweep does
     * not push them and its reverse sweep takes them as parameters, in parameter order.
     */
    private final Map<String, List<String>> given = new HashMap<>();
    /**
     * The branch decisions of the jet code on active values, in order of their site ids (their
     * source expressions), for the branch-switch monitor; written afresh in every round.
     */
    final Map<Expr, Integer> sites = new java.util.IdentityHashMap<>();
    final java.util.List<Expr> siteList = new java.util.ArrayList<>();

    int site(Expr e) {
        return sites.computeIfAbsent(e, x -> {
            siteList.add(x);
            return siteList.size() - 1;
        });
    }

    /** The rows of the primitive table the generated code applies. */
    final Set<Primitive> used = new java.util.TreeSet<>(Primitive.ORDER);
    /** The most active scalar parameters any reversible helper takes. */
    final int scalarArguments;

    Plan(CircuitIr circuit, Activity activity) {
        this.circuit = circuit;
        this.activity = activity;
        findPlain();
        for (MethodIr m : circuit.methods()) {
            Facts f = new Facts(circuit, activity, m);
            facts.put(m.key(), f);
        }
        for (MethodIr m : circuit.methods()) {
            Stmt.Block body = new Normalizer(facts.get(m.key()), plain).normalize();
            bodies.put(m.key(), body);
            shapes.put(m.key(), new Shapes(m, body));
        }
        reach(circuit.loss());
        List<MethodIr> roots = new ArrayList<>();
        roots.add(circuit.step());
        roots.addAll(circuit.measurements());
        Set<String> taken = new HashSet<>();
        for (MethodIr m : circuit.methods()) taken.add(AdjointWriter.base(m));
        for (MethodIr root : roots) {
            forEachCall(bodies.get(root.key()), key -> reach(circuit.method(key)));
            String emitted = variantName(root.emittedName() + "Adjoint", taken);
            taken.add(unprefixed(emitted));
            adjointVariants.add(new MethodIr(root.key(), root.name(), emitted, root.role(),
                    root.isStatic(), root.params(), root.returnType(), root.body(), root.ref()));
        }
        for (MethodIr m : circuit.methods()) {
            if (!reversible.contains(m.key()) && !plain.contains(m.key())) {
                forEachCall(bodies.get(m.key()), this::valueOnly);
            }
        }
        aliases = Aliases.of(circuit, bodies);
        findGiven();
        int most = 0;
        for (String key : reversible) {
            MethodIr m = circuit.method(key);
            int n = 0;
            for (int i = 0; i < m.params().size(); i++) {
                if (!m.params().get(i).type().isArray() && facts.get(key).paramActive(m, i)) n++;
            }
            most = Math.max(most, n);
        }
        scalarArguments = most;
    }

    /**
     * The emitted name of an adjoint variant: {@code wanted} ({@code $sgdAdjoint}), or with a
     * {@code $} appended until none of the methods it is written as ({@code <base>Forward},
     * {@code <base>Reverse}) can be one a circuit method is written as ({@code <base>},
     * {@code <base>Forward}, {@code <base>Reverse}): a user helper may well be called
     * {@code sgdAdjoint}.
     */
    private static String variantName(String wanted, Set<String> taken) {
        String name = wanted;
        while (true) {
            String base = unprefixed(name);
            if (!taken.contains(base) && !taken.contains(base + "Forward") && !taken.contains(base + "Reverse")) {
                return name;
            }
            name += "$";
        }
    }

    /** An emitted name as the generated methods use it (see {@link AdjointWriter#base}). */
    private static String unprefixed(String emitted) {
        return emitted.startsWith("$") ? emitted.substring(1) : emitted;
    }

    /** The adjoint variant of the training step or measurement {@code key}. */
    MethodIr adjointVariant(String key) {
        for (MethodIr m : adjointVariants) if (m.key().equals(key)) return m;
        throw new IllegalArgumentException("no adjoint variant of " + key);
    }

    private void valueOnly(String key) {
        if (plain.contains(key) || !reversible.contains(key) || !valueOnly.add(key)) return;
        forEachCall(bodies.get(key), this::valueOnly);
    }

    private void reach(MethodIr m) {
        if (plain.contains(m.key()) || !reversible.add(m.key())) return;
        forEachCall(bodies.get(m.key()), key -> reach(circuit.method(key)));
    }

    /**
     * The array parameters of helper {@code key} its reverse sweep is given by the caller (see
     * {@link #given}), in parameter order; empty for every other method.
     */
    List<String> givenArrays(String key) { return given.getOrDefault(key, List.of()); }

    /** Whether the reverse sweep of {@code key} is given array parameter {@code name} by its callers. */
    boolean isGiven(String key, String name) { return givenArrays(key).contains(name); }

    private void findGiven() {
        Map<String, Set<Integer>> candidates = new HashMap<>();
        for (String key : reversible) {
            MethodIr m = circuit.method(key);
            if (m.role() != MethodIr.Role.HELPER) continue;
            Set<Integer> indices = new java.util.TreeSet<>();
            for (int i = 0; i < m.params().size(); i++) {
                MethodIr.ParamIr p = m.params().get(i);
                if (p.type().isArray() && facts.get(key).paramActive(m, i)
                        && shapes.get(key).isUnassignedParameter(p.name())) {
                    indices.add(i);
                }
            }
            if (!indices.isEmpty()) candidates.put(key, indices);
        }
        for (MethodIr m : circuit.methods()) {
            forEachExpr(bodies.get(m.key()), e -> {
                if (!(e instanceof Expr.CallHelper c) || !candidates.containsKey(c.methodKey())) return;
                candidates.get(c.methodKey()).removeIf(i -> !(c.args().get(i) instanceof Expr.Field f
                        && f.kind() == Expr.FieldKind.PARAM));
            });
        }
        for (Map.Entry<String, Set<Integer>> e : candidates.entrySet()) {
            MethodIr m = circuit.method(e.getKey());
            List<String> names = new ArrayList<>();
            for (int i : e.getValue()) names.add(m.params().get(i).name());
            if (!names.isEmpty()) given.put(e.getKey(), List.copyOf(names));
        }
    }

    /** A helper is plain if nothing in it, or in what it calls, is active. */
    private void findPlain() {
        Set<String> candidates = new HashSet<>();
        for (MethodIr m : circuit.methods()) {
            if (m.role() != MethodIr.Role.HELPER || activity.returnsActive(m)) continue;
            boolean any = false;
            for (MethodIr.ParamIr p : m.params()) any |= p.type().canBeActive() && activity.isActive(m, p.name());
            boolean[] found = {any};
            forEachExpr(m.body(), e -> found[0] |= e instanceof Expr.Field f && f.kind() == Expr.FieldKind.PARAM
                    || activity.isActive(m, e));
            forEachDecl(m.body(), d -> found[0] |= d.type().canBeActive() && activity.isActive(m, d.name()));
            if (!found[0]) candidates.add(m.key());
        }
        boolean changed;
        do {
            changed = false;
            for (String key : new HashSet<>(candidates)) {
                boolean[] bad = {false};
                forEachCall(circuit.method(key).body(), c -> bad[0] |= !candidates.contains(c));
                if (bad[0]) {
                    candidates.remove(key);
                    changed = true;
                }
            }
        } while (changed);
        plain.addAll(candidates);
    }

    static void forEachCall(Stmt s, java.util.function.Consumer<String> visitor) {
        forEachExpr(s, e -> {
            if (e instanceof Expr.CallHelper c) visitor.accept(c.methodKey());
        });
    }

    static void forEachDecl(Stmt s, java.util.function.Consumer<Stmt.LocalDecl> visitor) {
        walk(s, x -> {
            if (x instanceof Stmt.LocalDecl d) visitor.accept(d);
        }, e -> { });
    }

    static void forEachExpr(Stmt s, java.util.function.Consumer<Expr> visitor) {
        walk(s, x -> { }, e -> Exprs.forEach(e, visitor));
    }

    static void walk(Stmt s, java.util.function.Consumer<Stmt> stmts, java.util.function.Consumer<Expr> exprs) {
        if (s == null) return;
        stmts.accept(s);
        if (s instanceof Stmt.Block b) {
            b.statements().forEach(x -> walk(x, stmts, exprs));
        } else if (s instanceof Stmt.LocalDecl d) {
            if (d.init() != null) exprs.accept(d.init());
        } else if (s instanceof Stmt.ExprStmt e) {
            exprs.accept(e.expr());
        } else if (s instanceof Stmt.If i) {
            exprs.accept(i.condition());
            walk(i.then(), stmts, exprs);
            walk(i.otherwise(), stmts, exprs);
        } else if (s instanceof Stmt.For f) {
            f.init().forEach(x -> walk(x, stmts, exprs));
            if (f.condition() != null) exprs.accept(f.condition());
            f.update().forEach(x -> walk(x, stmts, exprs));
            walk(f.body(), stmts, exprs);
        } else if (s instanceof Stmt.While w) {
            exprs.accept(w.condition());
            walk(w.body(), stmts, exprs);
        } else if (s instanceof Stmt.DoWhile d) {
            walk(d.body(), stmts, exprs);
            exprs.accept(d.condition());
        } else if (s instanceof Stmt.Return r) {
            if (r.value() != null) exprs.accept(r.value());
        }
    }
}
