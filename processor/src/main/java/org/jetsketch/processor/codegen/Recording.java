package org.jetsketch.processor.codegen;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jetsketch.processor.analysis.Exprs;
import org.jetsketch.processor.ir.Expr;
import org.jetsketch.processor.primitives.Primitive;
import org.jetsketch.processor.ir.IrType;
import org.jetsketch.processor.ir.MethodIr;
import org.jetsketch.processor.ir.Stmt;

/**
 * The to-be-recorded analysis, a data-flow pass over the normalized IR: for each writing of each
 * method (a method on doubles or on jets, or an adjoint variant), which variables its reverse
 * sweep reads and where, and which arrays' elements some reverse sweep reads. From these the
 * forward sweep decides what it pushes: a variable before it is overwritten while a read of an
 * older value may still come, an element when some reverse sweep reads its array's elements and
 * the write may destroy a value read later, and the variables the reverse sweep reads at its
 * start (the frame).
 *
 * <p>What a reverse sweep reads follows from the primitive table's read sets
 * ({@link Primitive#adjointReads}) for the mode in question, from the operations' shapes
 * ({@link Operations}) and from what the forward sweep saves, which in turn depends on the reads:
 * the analysis iterates until the read sets stop growing (they only grow, and are bounded by the
 * program's variables and positions). Each mode is analysed on its own, so a read of a jet rule is
 * never a push on the double path. The result is immutable; the emitters only ask it.
 */
final class Recording {
    /** One writing of a method: its method, whether it gets a reverse sweep, and the key of its facts. */
    record Writing(MethodIr method, boolean reversible, String key) {}

    /**
     * A read of array elements by a reverse sweep: the array's alias class, the local variable it
     * is read through (null: a field, a helper's result, passive data), the element's indices from
     * the outermost (null: any element, as when the array is passed to a helper), and where.
     */
    record ElementRead(String aliasClass, String root, List<Expr> indices, int position) {}

    private final Set<AdjointWriter.Mode> modes;
    private final Map<String, Reads> writings;
    private final Set<String> readClasses;

    private Recording(Set<AdjointWriter.Mode> modes, Map<String, Reads> writings, Set<String> readClasses) {
        this.modes = modes;
        this.writings = writings;
        this.readClasses = readClasses;
    }

    /** The facts of writing {@code key}. */
    Reads of(String key) {
        Reads r = writings.get(key);
        if (r == null) throw new IllegalArgumentException("no writing " + key + " in the " + modes + " analysis");
        return r;
    }

    /** Whether some reverse sweep of this mode reads elements of alias class {@code aliasClass}. */
    boolean readsElementsOf(String aliasClass) { return readClasses.contains(aliasClass); }

    /** The key of the facts of the adjoint variant of {@code m} (its writing is separate from the ordinary one). */
    static String variantKey(MethodIr m) { return "adjoint variant " + m.key(); }

    /** The writings of {@code mode}: every method, and on doubles the adjoint variants. */
    static List<Writing> writings(Plan plan, AdjointWriter.Mode mode) {
        List<Writing> out = new ArrayList<>();
        for (MethodIr m : plan.circuit.methods()) out.add(new Writing(m, plan.reversible.contains(m.key()), m.key()));
        // what code without a reverse sweep calls records nothing
        for (String key : plan.valueOnly) out.add(new Writing(plan.circuit.method(key), false, "value " + key));
        // the adjoint variants run on doubles only: the adjoint of training is real
        if (mode == AdjointWriter.Mode.REAL) {
            for (MethodIr m : plan.adjointVariants) out.add(new Writing(m, true, variantKey(m)));
        }
        return out;
    }

    /** Runs the analysis for {@code mode} to its fixed point. */
    static Recording analyse(Plan plan, AdjointWriter.Mode mode) { return analyse(plan, java.util.EnumSet.of(mode)); }

    /**
     * Runs the analysis to its fixed point for the writings of {@code modes} together: a method's
     * writings in these modes share one set of facts (each pushes what any of them reads).
     */
    static Recording analyse(Plan plan, Set<AdjointWriter.Mode> modes) {
        List<Map.Entry<Writing, AdjointWriter.Mode>> all = new ArrayList<>();
        Set<Writing> distinct = new java.util.LinkedHashSet<>();
        for (AdjointWriter.Mode mode : modes) {
            for (Writing w : writings(plan, mode)) {
                all.add(Map.entry(w, mode));
                distinct.add(w);
            }
        }
        Map<String, Map<String, Set<Integer>>> needed = new HashMap<>();
        Map<String, Map<String, Set<Integer>>> classes = new HashMap<>();
        for (Writing w : distinct) {
            needed.put(w.key(), new HashMap<>());
            classes.put(w.key(), new HashMap<>());
        }
        Map<String, Set<ElementRead>> elements = new HashMap<>();
        Map<String, Set<String>> adjoints = new HashMap<>();
        Map<String, Set<String>> values = new HashMap<>();
        for (Writing w : distinct) {
            elements.put(w.key(), new HashSet<>());
            adjoints.put(w.key(), new HashSet<>());
            values.put(w.key(), new HashSet<>());
        }
        Set<String> readClasses = new HashSet<>();
        while (true) {
            boolean changed = false;
            Set<String> read = new HashSet<>();
            for (Map.Entry<Writing, AdjointWriter.Mode> e : all) {
                Writing w = e.getKey();
                Reads facts = new Reads(plan, w, copy(needed.get(w.key())), copy(classes.get(w.key())),
                        Set.copyOf(elements.get(w.key())), Set.copyOf(values.get(w.key())),
                        Set.copyOf(adjoints.get(w.key())), Set.copyOf(readClasses));
                Walker walk = new Walker(plan, w, e.getValue(), facts);
                walk.run();
                changed |= merge(needed.get(w.key()), walk.variables);
                changed |= merge(classes.get(w.key()), walk.classPositions);
                changed |= elements.get(w.key()).addAll(walk.elements);
                changed |= adjoints.get(w.key()).addAll(walk.adjoints);
                changed |= values.get(w.key()).addAll(walk.values);
                read.addAll(walk.classes);
            }
            changed |= readClasses.addAll(read);
            if (!changed) break;
        }
        Set<String> frozenClasses = Set.copyOf(readClasses);
        Map<String, Reads> out = new HashMap<>();
        for (Writing w : distinct) {
            out.put(w.key(), new Reads(plan, w, copy(needed.get(w.key())), copy(classes.get(w.key())),
                    Set.copyOf(elements.get(w.key())), Set.copyOf(values.get(w.key())),
                    Set.copyOf(adjoints.get(w.key())), frozenClasses));
        }
        return new Recording(Set.copyOf(modes), Collections.unmodifiableMap(out), frozenClasses);
    }

    private static Map<String, Set<Integer>> copy(Map<String, Set<Integer>> m) {
        Map<String, Set<Integer>> out = new TreeMap<>();
        for (Map.Entry<String, Set<Integer>> e : m.entrySet()) {
            out.put(e.getKey(), Collections.unmodifiableSet(new TreeSet<>(e.getValue())));
        }
        return Collections.unmodifiableMap(out);
    }

    private static boolean merge(Map<String, Set<Integer>> into, Map<String, Set<Integer>> more) {
        boolean changed = false;
        for (Map.Entry<String, Set<Integer>> e : more.entrySet()) {
            changed |= into.computeIfAbsent(e.getKey(), k -> new TreeSet<>()).addAll(e.getValue());
        }
        return changed;
    }

    // ---------------------------------------------------------------- the facts of one writing

    /**
     * What the reverse sweep of one writing reads, and the decisions that follow: which writes
     * the forward sweep saves, which variables it pushes at its end (the frame), which it
     * declares before their block (hoisted, for the frame push). Positions are those of
     * {@link Shapes}.
     */
    static final class Reads {
        private final Plan plan;
        private final MethodIr method;
        private final boolean reversible;
        private final Shapes shapes;
        /** Variables the reverse sweep reads, with the positions of the statements that read them. */
        private final Map<String, Set<Integer>> variables;
        /** Alias classes whose elements this reverse sweep reads (or a callee's, at the call), with positions. */
        private final Map<String, Set<Integer>> classPositions;
        private final Set<ElementRead> elements;
        /** Variables whose value the reverse sweep reads, and array variables whose adjoint array it names. */
        private final Set<String> valueReads;
        private final Set<String> adjoints;
        private final Set<String> readClasses;

        Reads(Plan plan, Writing w, Map<String, Set<Integer>> variables, Map<String, Set<Integer>> classPositions,
                Set<ElementRead> elements, Set<String> valueReads, Set<String> adjoints, Set<String> readClasses) {
            this.plan = plan;
            this.method = w.method();
            this.reversible = w.reversible();
            this.shapes = plan.shapes.get(w.method().key());
            this.variables = variables;
            this.classPositions = classPositions;
            this.elements = elements;
            this.valueReads = valueReads;
            this.adjoints = adjoints;
            this.readClasses = readClasses;
        }

        boolean reversible() { return reversible; }

        Shapes shapes() { return shapes; }

        /**
         * Whether the reverse sweep names array variable {@code name}'s array ({@code value}) or
         * its adjoint array: only a part it names is carried by the frame, and saved before a
         * write overwrites the variable (and restored).
         */
        boolean framesArray(String name, boolean value) {
            return value ? valueReads.contains(name) : adjoints.contains(name);
        }

        /** Whether the reverse sweep reads variable {@code name} at all. */
        boolean reads(String name) { return reversible && variables.containsKey(name); }

        /** The positions at which the reverse sweep reads {@code name} (empty if it does not). */
        Set<Integer> readPositions(String name) { return variables.getOrDefault(name, Set.of()); }

        /**
         * Whether the forward sweep saves variable {@code name} before the write at {@code at}
         * overwrites it: it may be overwritten while an older value is wanted, and a read of it
         * may come (earlier, or in a loop around both).
         */
        boolean saves(String name, int at) {
            return reversible && shapes.multi(name) && shapes.readBefore(variables.get(name), at);
        }

        /**
         * The variable of the loop whose first trip the save before the write of {@code name} at
         * {@code at} skips, or null (every trip saves). The first trip would save, and its
         * reverse restore, the value from before the loop, and nothing reads that value when
         * the write is the variable's only one, in a canonical loop from 0 that no loop encloses,
         * and the reverse sweep reads the variable only in that loop, after the write (a trip's
         * reads want its own value; the last trip's comes from the frame).
         */
        String firstTripSkipped(String name, int at) {
            if (!saves(name, at)) return null;
            Set<Integer> around = shapes.loops(at);
            if (around.size() != 1) return null;
            int loop = around.iterator().next();
            if (!shapes.countsUpFromZero(loop) || shapes.onlyAssignment(name) != at / 2) return null;
            for (int r : variables.get(name)) {
                if (r <= at || !shapes.loops(r).contains(loop)) return null;
            }
            return shapes.loopVariable(loop);
        }

        /**
         * Whether the forward sweep saves element {@code target} before the write at {@code at}
         * destroys its old value: some reverse sweep reads elements of its alias class, and a read
         * may want the old value. An array the method made itself is decided per array: reads
         * through other arrays it made are of other storage; a read after the write wants the
         * new value, unless a loop around the write (and not around the array's allocation)
         * brings the write again over an element read, which a write to the loop's own element
         * ({@code a[i]} in the loop over {@code i}) never does for a read of that same element.
         */
        boolean savesElement(Expr.ArrayAccess target, int at) {
            if (!reversible) return false;
            String c = plan.aliases.classOf(method, target.array());
            if (c == null || !readClasses.contains(c)) return false;
            Expr root = target.array();
            while (root instanceof Expr.ArrayAccess a) root = a.array();
            if (!(root instanceof Expr.Local l) || !shapes.isFresh(l.name())) return true;
            int allocation = shapes.onlyAssignment(l.name());
            if (allocation < 0) return shapes.readBefore(classPositions.get(c), at);
            Set<Integer> own = new HashSet<>(shapes.loops(at));
            own.removeAll(shapes.loops(2 * allocation));
            List<Expr> written = indices(target);
            boolean ownElement = ownElement(written, own);
            for (ElementRead r : elements) {
                if (!r.aliasClass().equals(c)) continue;
                // another array this method made, or one its caller passed, is other storage
                if (r.root() != null && !r.root().equals(l.name())
                        && (shapes.isFresh(r.root()) || shapes.isUnassignedParameter(r.root()))) {
                    continue;
                }
                if (r.position() <= at) return true;
                boolean again = false;
                for (int loop : shapes.loops(r.position())) again |= own.contains(loop);
                if (!again) continue;
                if (ownElement && l.name().equals(r.root()) && r.indices() != null
                        && Operations.sameCode(r.indices(), written)) {
                    continue;
                }
                return true;
            }
            return false;
        }

        /**
         * Whether indices {@code written} are the variables of the canonical loops {@code own},
         * each once: every run of the write, within one allocation, writes another element.
         */
        private boolean ownElement(List<Expr> written, Set<Integer> own) {
            if (written.size() != own.size()) return false;
            Set<String> variables = new HashSet<>();
            for (int loop : own) {
                String v = shapes.loopVariable(loop);
                if (v == null) return false;
                variables.add(v);
            }
            Set<String> used = new HashSet<>();
            for (Expr index : written) {
                if (!(index instanceof Expr.Local v) || !variables.contains(v.name()) || !used.add(v.name())) return false;
            }
            return true;
        }

        /** Whether a variable the frame push reads is declared in a nested block: its declaration moves to the top. */
        boolean hoisted(String name) {
            return reads(name) && !shapes.isTopLevel(name) && !shapes.isCanonicalVariable(name);
        }

        /**
         * The variables pushed at the end of the forward sweep and popped at the start of the
         * reverse sweep, in name order: what the reverse sweep reads of the method's own variables.
         */
        List<String> frame(Map<String, IrType> types) {
            List<String> out = new ArrayList<>();
            if (!reversible) return out;
            for (String v : variables.keySet()) {
                if (!types.containsKey(v) || shapes.isCanonicalVariable(v)) continue;
                // the caller gives them to the reverse sweep again
                if (plan.isGiven(method.key(), v)) continue;
                out.add(v);
            }
            return out;
        }

        /** The indices of an element, from the outermost array's. */
        static List<Expr> indices(Expr.ArrayAccess element) {
            List<Expr> out = new ArrayList<>();
            for (Expr x = element; x instanceof Expr.ArrayAccess a; x = a.array()) out.add(0, a.index());
            return out;
        }

        /** The local variable an array expression is read through, or null. */
        static String root(Expr array) {
            Expr x = array;
            while (x instanceof Expr.ArrayAccess a) x = a.array();
            return x instanceof Expr.Local l ? l.name() : null;
        }

        /** Every variable the reverse sweep reads, in name order (for tests and reports). */
        Set<String> variables() { return variables.keySet(); }
    }

    // ---------------------------------------------------------------- one round over one writing

    /**
     * Walks one writing in the order the emitters write it and notes what each statement's
     * adjoint reads, given the previous round's decisions. Mirrors the emitters' reverse code
     * statement by statement; returns for each statement whether it has reverse code at all (a
     * loop without any is not replayed, and its bounds are not read).
     */
    private static final class Walker {
        private final Plan plan;
        private final MethodIr method;
        private final Facts facts;
        private final Shapes shapes;
        private final Operations ops;
        private final boolean jet;
        private final boolean reversible;
        private final Reads decided;

        final Map<String, Set<Integer>> variables = new HashMap<>();
        final Map<String, Set<Integer>> classPositions = new HashMap<>();
        final Set<String> classes = new HashSet<>();
        final Set<ElementRead> elements = new HashSet<>();
        final Set<String> adjoints = new HashSet<>();
        final Set<String> values = new HashSet<>();
        private int at = Shapes.END;

        Walker(Plan plan, Writing w, AdjointWriter.Mode mode, Reads decided) {
            this.plan = plan;
            this.method = w.method();
            this.facts = plan.facts.get(w.method().key());
            this.shapes = plan.shapes.get(w.method().key());
            this.ops = new Operations(facts);
            this.jet = mode == AdjointWriter.Mode.JET;
            this.reversible = w.reversible();
            this.decided = decided;
        }

        void run() {
            List<Stmt> statements = plan.bodies.get(method.key()).statements();
            if (!statements.isEmpty() && statements.get(statements.size() - 1) instanceof Stmt.Return) {
                statements = statements.subList(0, statements.size() - 1);
            }
            block(statements);
        }

        // ------------------------------------------------------------ reads

        private void variable(String name, int position) {
            if (!shapes.isCanonicalVariable(name)) variables.computeIfAbsent(name, k -> new TreeSet<>()).add(position);
        }

        private void element(Expr.ArrayAccess element, int position) {
            String c = plan.aliases.classOf(method, element.array());
            if (c == null) return;
            classes.add(c);
            classPositions.computeIfAbsent(c, k -> new TreeSet<>()).add(position);
            elements.add(new ElementRead(c, Reads.root(element), Reads.indices(element), position));
        }

        /** The reverse sweep evaluates {@code e} (or a reference to it) at {@code position}. */
        private void reads(Expr e, int position) {
            Exprs.forEach(e, x -> {
                if (x instanceof Expr.Local l) {
                    variable(l.name(), position);
                    values.add(l.name());
                }
                if (x instanceof Expr.ArrayAccess a && !a.type().isArray()) element(a, position);
            });
        }

        private void reads(Expr e) { reads(e, at); }

        /** The reverse sweep names the adjoint of {@code e}: its array and indices, not its value. */
        private void readsAdjointOf(Expr e) {
            if (!(e instanceof Expr.ArrayAccess a)) return;
            Expr x = a;
            while (x instanceof Expr.ArrayAccess acc) {
                reads(acc.index());
                x = acc.array();
            }
            if (x instanceof Expr.Local l) {
                variable(l.name(), at);
                adjoints.add(l.name());
            }
        }

        // ------------------------------------------------------------ statements

        private boolean block(List<Stmt> statements) {
            boolean any = false;
            for (Stmt s : statements) any |= statement(s);
            return any;
        }

        private static List<Stmt> flat(Stmt s) {
            if (s == null) return List.of();
            if (s instanceof Stmt.Block b) return b.statements();
            return List.of(s);
        }

        private boolean statement(Stmt s) {
            int outer = at;
            int position = shapes.position(s);
            at = position < 0 ? outer : 2 * position;
            boolean reverse = statementAt(s);
            at = outer;
            return reverse;
        }

        private boolean statementAt(Stmt s) {
            if (s instanceof Stmt.Block b) return block(b.statements());
            if (s instanceof Stmt.LocalDecl d) return declaration(d);
            if (s instanceof Stmt.ExprStmt e) return expressionStatement(e.expr());
            if (s instanceof Stmt.If i) {
                boolean then = block(flat(i.then()));
                boolean other = block(flat(i.otherwise()));
                return reversible && (then || other);
            }
            if (s instanceof Stmt.For f) {
                Shapes.CanonicalLoop c = shapes.canonical(f);
                if (c != null) {
                    boolean body = block(flat(f.body()));
                    if (!reversible || !body) return false;
                    // the reverse loop's header evaluates the bounds again
                    reads(((Stmt.LocalDecl) f.init().get(0)).init());
                    reads(((Expr.Binary) f.condition()).right());
                    return true;
                }
                boolean init = block(f.init());
                boolean update = block(f.update());
                boolean body = block(flat(f.body()));
                return reversible && (update || body) || init;
            }
            if (s instanceof Stmt.While w) return block(flat(w.body())) && reversible;
            if (s instanceof Stmt.DoWhile d) return block(flat(d.body())) && reversible;
            throw new IllegalStateException("unexpected statement " + s + " in " + method.name());
        }

        private boolean declaration(Stmt.LocalDecl d) {
            String v = d.name();
            Expr.Local target = new Expr.Local(d.ref(), d.type(), v);
            boolean callWithAdjoint = d.init() instanceof Expr.CallHelper c && !plan.plain.contains(c.methodKey());
            if (decided.hoisted(v)) {
                if (callWithAdjoint) return call(target, (Expr.CallHelper) d.init());
                if (d.init() == null) return false;
                boolean side = sideEffects(d.init());
                return decided.saves(v, at) || side;
            }
            if (activeVariable(v)) return false;
            boolean side = d.init() != null && sideEffects(d.init());
            if (callWithAdjoint) return call(target, (Expr.CallHelper) d.init()) || side;
            return side;
        }

        private boolean activeVariable(String name) {
            IrType t = facts.types.get(name);
            return t != null && t.canBeActive() && facts.isActive(name);
        }

        private boolean expressionStatement(Expr e) {
            if (e instanceof Expr.Assign a && a.op() == null && a.target().type().isArray()) {
                return arrayAssignment(a.target(), a.value());
            }
            if (e instanceof Expr.Assign a && a.op() == null && a.value() instanceof Expr.CallHelper c
                    && !plan.plain.contains(c.methodKey())) {
                return call(a.target(), c);
            }
            if (e instanceof Expr.Assign a && a.op() == null && facts.isActive(a.target())) {
                return scalarAssignment(a.target(), a.value());
            }
            if (e instanceof Expr.CallHelper c && !plan.plain.contains(c.methodKey())) return call(null, c);
            return passiveStatement(e);
        }

        /** Saves of what assignments nested in a passive expression overwrite; their restores read the targets. */
        private boolean sideEffects(Expr e) {
            boolean[] any = {false};
            Exprs.forEach(e, x -> {
                Expr target = x instanceof Expr.Assign a ? a.target() : x instanceof Expr.IncDec i ? i.target() : null;
                if (target != null) any[0] |= save(target, true);
            });
            return any[0];
        }

        private boolean save(Expr target, boolean skipSideEffectIndices) {
            if (target instanceof Expr.Local l) return decided.saves(l.name(), at);
            if (target instanceof Expr.ArrayAccess acc && decided.savesElement(acc, at)
                    && !(skipSideEffectIndices && Exprs.hasIndexWithSideEffects(target))) {
                reads(target);
                return true;
            }
            return false;
        }

        private boolean passiveStatement(Expr e) {
            Expr target = e instanceof Expr.Assign a ? a.target() : e instanceof Expr.IncDec i ? i.target() : null;
            Expr value = e instanceof Expr.Assign a ? a.value() : e instanceof Expr.IncDec ? null : e;
            boolean side = value != null && sideEffects(value);
            return save(target, false) || side;
        }

        private boolean scalarAssignment(Expr target, Expr value) {
            Operations.Opnd root = ops.build(value);
            boolean saveTarget = target instanceof Expr.Local l ? decided.saves(l.name(), at)
                    : target instanceof Expr.ArrayAccess acc && decided.savesElement(acc, at);
            boolean accumulate = root instanceof Operations.Node n && accumulates(n, target);
            if (jet && reversible && root instanceof Operations.Node n) {
                // passive operands a jet rule reads are made again as constant jets in the reverse sweep
                for (Operations.Opnd a : n.args) forward(a);
                if (accumulate) {
                    constantOperand(n.args.get(1), n.p.adjointReads("b", true));
                    if (n.p == Primitive.FMA) constantOperand(n.args.get(2), true);
                } else {
                    operands(n);
                }
            }
            if (saveTarget) reads(target);
            if (!reversible) return false;
            readsAdjointOf(target);
            if (root instanceof Operations.Leaf leaf) {
                boolean same = sameVariable(leaf.e, target);
                if (leaf.active && !same) readsAdjointOf(leaf.e);
                // a passive value's adjoint code only clears the target's adjoint, unless nothing reads it after
                boolean consumes = target instanceof Expr.Local l && shapes.isFirstWriteOutsideLoops(l.name(), at);
                return leaf.active && !same || !same && !consumes || saveTarget;
            }
            Operations.Node n = (Operations.Node) root;
            boolean resultInTarget = keeps(n, false) && !saveTarget && !accumulate;
            if (resultInTarget) reads(target, at + 1);
            adjoint(n, accumulate);
            return true;
        }

        private boolean keeps(Operations.Node n, boolean readByParent) {
            return readByParent || n.p.adjointReads("y", jet);
        }

        private void forward(Operations.Opnd o) {
            if (!(o instanceof Operations.Node n)) return;
            for (Operations.Opnd a : n.args) forward(a);
            operands(n);
        }

        private void operands(Operations.Node n) {
            for (int i = 0; i < n.args.size(); i++) constantOperand(n.args.get(i), Operations.readsOperand(n, i, true));
        }

        private void constantOperand(Operations.Opnd o, boolean readByRule) {
            if (o instanceof Operations.Leaf leaf && !leaf.active && readByRule && Shapes.pure(leaf.e)) reads(leaf.e);
        }

        private void adjoint(Operations.Node n, boolean accumulate) {
            for (int i = 0; i < n.args.size(); i++) {
                if (!Operations.readsOperand(n, i, jet)) continue;
                if (!(n.args.get(i) instanceof Operations.Leaf leaf)) continue;
                if (leaf.active) {
                    reads(leaf.e);
                } else if (!jet && Shapes.pure(leaf.e)) {
                    // an impure passive operand was pushed (REAL); a pure one is evaluated again
                    reads(leaf.e);
                }
            }
            if (n.p.hasImmediate && n.p.adjointReads("k", jet) && Shapes.pure(n.imm)) reads(n.imm);
            for (int i = 0; i < n.args.size(); i++) {
                if (accumulate && i == 0) continue;
                Operations.Opnd a = n.args.get(i);
                if (a instanceof Operations.Leaf leaf && leaf.active) readsAdjointOf(leaf.e);
            }
            for (Operations.Opnd a : n.args) if (a instanceof Operations.Node child) adjoint(child, false);
        }

        private boolean call(Expr target, Expr.CallHelper c) {
            MethodIr callee = plan.circuit.method(c.methodKey());
            arguments(callee, c.args());
            boolean activeResult = target != null && facts.isActive(target) && !callee.returnType().isArray();
            boolean saveTarget = target instanceof Expr.Local l ? decided.saves(l.name(), at)
                    : target instanceof Expr.ArrayAccess acc && decided.savesElement(acc, at);
            boolean saveAfterCall = saveTarget && target instanceof Expr.ArrayAccess && takesArray(callee)
                    && (activeResult || !facts.isActive(target));
            if (!reversible) return false;
            if (saveAfterCall) reads(target);
            boolean calleeReverses = plan.reversible.contains(callee.key());
            if (calleeReverses) {
                if (activeResult) readsAdjointOf(target);
                argumentAdjoints(callee, c.args());
            }
            if (saveTarget && !saveAfterCall) reads(target);
            return calleeReverses || saveTarget;
        }

        /** A callee's reverse sweep reads the elements of the arrays passed to it: at the call. */
        private void arguments(MethodIr callee, List<Expr> args) {
            if (!reversible) return;
            for (int i = 0; i < args.size(); i++) {
                if (!callee.params().get(i).type().isArray()) continue;
                String c = plan.aliases.classOf(method, args.get(i));
                if (c == null) continue;
                classPositions.computeIfAbsent(c, k -> new TreeSet<>()).add(at);
                elements.add(new ElementRead(c, Reads.root(args.get(i)), null, at));
            }
        }

        private void argumentAdjoints(MethodIr callee, List<Expr> args) {
            for (int i = 0; i < args.size(); i++) {
                if (AdjointWriter.scalarArgumentIndex(plan, callee, i) >= 0 && facts.isActive(args.get(i))) {
                    readsAdjointOf(args.get(i));
                }
            }
        }

        private boolean arrayAssignment(Expr target, Expr value) {
            boolean save = target instanceof Expr.Local l ? decided.saves(l.name(), at)
                    : target instanceof Expr.ArrayAccess acc && decided.savesElement(acc, at);
            boolean any = false;
            if (value instanceof Expr.CallHelper c && !plan.plain.contains(c.methodKey())) {
                MethodIr callee = plan.circuit.method(c.methodKey());
                arguments(callee, c.args());
                if (reversible && plan.reversible.contains(callee.key())) {
                    argumentAdjoints(callee, c.args());
                    any = true;
                }
            }
            if (save && reversible) {
                // a row's restore assigns the row and its adjoint row through the array and its
                // index, which it reads; a variable's restore assigns only the parts (array,
                // adjoint array) the reverse sweep names, and reads nothing
                if (target instanceof Expr.ArrayAccess) {
                    reads(target);
                    String root = Reads.root(target);
                    if (root != null) adjoints.add(root);
                }
                any = true;
            }
            return any;
        }

        // ------------------------------------------------------------ shapes of assignments

        private static boolean sameVariable(Expr a, Expr b) {
            return a instanceof Expr.Local x && b instanceof Expr.Local y && x.name().equals(y.name());
        }

        private boolean accumulates(Operations.Node n, Expr target) {
            return Operations.accumulates(n, target);
        }

        private static boolean takesArray(MethodIr callee) {
            return callee.params().stream().anyMatch(p -> p.type().isArray());
        }
    }
}
