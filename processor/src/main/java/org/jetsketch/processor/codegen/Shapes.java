package org.jetsketch.processor.codegen;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jetsketch.processor.analysis.Exprs;
import org.jetsketch.processor.ir.Expr;
import org.jetsketch.processor.ir.Expr.BinaryOp;
import org.jetsketch.processor.ir.IrType;
import org.jetsketch.processor.ir.MethodIr;
import org.jetsketch.processor.ir.Stmt;

/**
 * The shape of one normalized method body, a pass of its own: every statement's position (its
 * pre-order number) and the loops around it, which loops are canonical counted loops (the reverse
 * sweep runs them backwards without a trip count), how often and where each variable is
 * assigned, and which array variables only ever hold arrays the method made itself.
 *
 * <p>Positions order the reads and writes of the to-be-recorded analysis ({@link Recording}): a
 * statement at position {@code p} reads and writes at {@code 2p}; a statement's read of its own
 * result, kept in its target, is at {@code 2p + 1} (after the write). Immutable once built.
 */
final class Shapes {
    /** A canonical loop {@code for (int i = A; i < B; i++)} or one of its three siblings. */
    record CanonicalLoop(String variable, boolean up, BinaryOp comparison) {}

    /** The position of reads after every statement (those of the final return). */
    static final int END = Integer.MAX_VALUE;

    private final Map<Stmt, Integer> positions = new IdentityHashMap<>();
    private final List<Set<Integer>> loopsAround = new ArrayList<>();
    private final Map<String, Integer> assignments = new HashMap<>();
    private final Set<String> inLoop = new HashSet<>();
    private final Set<String> topLevel = new HashSet<>();
    private final Set<String> notFresh = new HashSet<>();
    private final Set<String> parameters = new HashSet<>();
    private final Map<Stmt.For, CanonicalLoop> canonical = new IdentityHashMap<>();
    private final Set<String> canonicalVars = new HashSet<>();
    /** The variable of each canonical loop, by the loop's position. */
    private final Map<Integer, String> loopVariables = new HashMap<>();
    /** The positions of the canonical loops that count up from the literal 0. */
    private final Set<Integer> fromZero = new HashSet<>();
    /** The positions of the statements that assign each local variable. */
    private final Map<String, List<Integer>> assignedAt = new HashMap<>();

    Shapes(MethodIr method, Stmt.Block body) {
        for (MethodIr.ParamIr p : method.params()) {
            assignments.merge(p.name(), 1, Integer::sum);
            topLevel.add(p.name());
            notFresh.add(p.name());
            parameters.add(p.name());
        }
        for (Stmt s : body.statements()) if (s instanceof Stmt.LocalDecl d) topLevel.add(d.name());
        count(body, false);
        number(body, new ArrayList<>());
    }

    /** The position of {@code s}, or -1 for a statement that is not part of the body. */
    int position(Stmt s) {
        Integer at = positions.get(s);
        return at == null ? -1 : at;
    }

    /** Number of statements (positions run from 0 to this, exclusive). */
    int size() { return loopsAround.size(); }

    /** The loops (by position) around a read or write at {@code at} (a doubled position, or {@link #END}). */
    Set<Integer> loops(int at) {
        return at == END ? Set.of() : loopsAround.get(at / 2);
    }

    /**
     * Whether a reverse-sweep read at one of {@code reads} may see a value that the write at
     * {@code at} overwrites: the read is at or before the write, or a loop runs around both.
     */
    boolean readBefore(Set<Integer> reads, int at) {
        if (reads == null) return false;
        Set<Integer> here = loops(at);
        for (int r : reads) {
            if (r <= at) return true;
            for (int l : loops(r)) if (here.contains(l)) return true;
        }
        return false;
    }

    /** Whether {@code name} may be overwritten while an older value is still wanted: assigned twice, or in a loop. */
    boolean multi(String name) { return inLoop.contains(name) || assignments.getOrDefault(name, 0) > 1; }

    boolean isTopLevel(String name) { return topLevel.contains(name); }

    /** Whether array variable {@code name} only ever holds arrays this method allocates. */
    boolean isFresh(String name) { return !notFresh.contains(name); }

    CanonicalLoop canonical(Stmt.For f) { return canonical.get(f); }

    boolean isCanonicalVariable(String name) { return canonicalVars.contains(name); }

    Set<String> canonicalVariables() { return Collections.unmodifiableSet(canonicalVars); }

    /** The variable of the canonical loop at position {@code loop}, or null (not a canonical loop). */
    String loopVariable(int loop) { return loopVariables.get(loop); }

    /** Whether the loop at position {@code loop} is canonical and counts up from 0: its first trip is the one with variable 0. */
    boolean countsUpFromZero(int loop) { return fromZero.contains(loop); }

    /** The position of the one statement that assigns local {@code name} (perhaps in a loop), or -1 (none, or several). */
    int onlyAssignment(String name) {
        List<Integer> at = assignedAt.get(name);
        return at != null && at.size() == 1 ? at.get(0) : -1;
    }

    /**
     * Whether the write of local {@code name} at {@code at} (a doubled position) is its first and
     * runs once: no loop around it, no earlier assignment, not a parameter. Nothing before it
     * reads the variable, so in the reverse sweep nothing after this write's adjoint touches the
     * variable's adjoint: the adjoint need not be cleared there.
     */
    boolean isFirstWriteOutsideLoops(String name, int at) {
        if (at == END || parameters.contains(name) || !loops(at).isEmpty()) return false;
        List<Integer> writes = assignedAt.get(name);
        return writes != null && Collections.min(writes) == at / 2;
    }

    /** Whether {@code name} is a parameter the body never assigns: it holds what the caller passed, throughout. */
    boolean isUnassignedParameter(String name) {
        return parameters.contains(name) && !assignedAt.containsKey(name);
    }

    // ---------------------------------------------------------------- building

    private void number(Stmt s, List<Integer> loops) {
        if (s == null) return;
        int at = loopsAround.size();
        positions.put(s, at);
        loopsAround.add(Set.copyOf(loops));
        if (s instanceof Stmt.For f && canonical.containsKey(f)) {
            loopVariables.put(at, canonical.get(f).variable());
            if (canonical.get(f).up() && f.init().get(0) instanceof Stmt.LocalDecl d
                    && d.init() instanceof Expr.Literal l && Integer.valueOf(0).equals(l.value())) {
                fromZero.add(at);
            }
        }
        if (s instanceof Stmt.LocalDecl d && d.init() != null) assignedAt.computeIfAbsent(d.name(), k -> new ArrayList<>()).add(at);
        Expr assigning = s instanceof Stmt.LocalDecl d ? d.init() : s instanceof Stmt.ExprStmt e ? e.expr() : null;
        Exprs.forEach(assigning, x -> {
            Expr target = x instanceof Expr.Assign a ? a.target() : x instanceof Expr.IncDec i ? i.target() : null;
            if (target instanceof Expr.Local l) assignedAt.computeIfAbsent(l.name(), k -> new ArrayList<>()).add(at);
        });
        boolean loop = s instanceof Stmt.For || s instanceof Stmt.While || s instanceof Stmt.DoWhile;
        List<Integer> inner = loops;
        if (loop) {
            inner = new ArrayList<>(loops);
            inner.add(at);
        }
        if (s instanceof Stmt.Block b) {
            for (Stmt x : b.statements()) number(x, loops);
        } else if (s instanceof Stmt.If i) {
            number(i.then(), loops);
            number(i.otherwise(), loops);
        } else if (s instanceof Stmt.For f) {
            for (Stmt x : f.init()) number(x, loops);
            for (Stmt x : f.update()) number(x, inner);
            number(f.body(), inner);
        } else if (s instanceof Stmt.While w) {
            number(w.body(), inner);
        } else if (s instanceof Stmt.DoWhile d) {
            number(d.body(), inner);
        }
    }

    private void count(Stmt s, boolean loop) {
        if (s == null) return;
        if (s instanceof Stmt.Block b) {
            b.statements().forEach(x -> count(x, loop));
        } else if (s instanceof Stmt.LocalDecl d) {
            if (d.init() != null) {
                assigned(d.name(), loop);
                arrayAssigned(new Expr.Local(d.ref(), d.type(), d.name()), d.init());
                Exprs.forEach(d.init(), x -> {
                    if (x instanceof Expr.Assign a && a.target() instanceof Expr.Local l) assigned(l.name(), loop);
                    if (x instanceof Expr.IncDec i && i.target() instanceof Expr.Local l) assigned(l.name(), loop);
                });
            } else if (loop) {
                inLoop.add(d.name());
            }
        } else if (s instanceof Stmt.ExprStmt e) {
            Exprs.forEach(e.expr(), x -> {
                if (x instanceof Expr.Assign a) arrayAssigned(a.target(), a.value());
                if (x instanceof Expr.Assign a && a.target() instanceof Expr.Local l) assigned(l.name(), loop);
                if (x instanceof Expr.IncDec i && i.target() instanceof Expr.Local l) assigned(l.name(), loop);
            });
        } else if (s instanceof Stmt.If i) {
            count(i.then(), loop);
            count(i.otherwise(), loop);
        } else if (s instanceof Stmt.For f) {
            CanonicalLoop c = canonicalLoop(f);
            if (c != null) {
                canonical.put(f, c);
                canonicalVars.add(c.variable());
            } else {
                f.init().forEach(x -> count(x, loop));
                f.update().forEach(x -> count(x, true));
            }
            count(f.body(), true);
        } else if (s instanceof Stmt.While w) {
            count(w.body(), true);
        } else if (s instanceof Stmt.DoWhile d) {
            count(d.body(), true);
        }
    }

    private void arrayAssigned(Expr target, Expr value) {
        if (target instanceof Expr.Local l && target.type().isArray() && !(value instanceof Expr.NewArray)) {
            notFresh.add(l.name());
        }
    }

    private void assigned(String name, boolean loop) {
        assignments.merge(name, 1, Integer::sum);
        if (loop) inLoop.add(name);
    }

    /**
     * {@code for (int i = A; i < B; i++)} and its three siblings, with A and B free of side effects
     * and of variables the body assigns; null for any other loop.
     */
    private static CanonicalLoop canonicalLoop(Stmt.For f) {
        if (f.init().size() != 1 || f.update().size() != 1 || f.condition() == null) return null;
        if (!(f.init().get(0) instanceof Stmt.LocalDecl d) || d.init() == null) return null;
        if (d.type().base() != IrType.Base.INT || d.type().isArray()) return null;
        String i = d.name();
        if (!(f.condition() instanceof Expr.Binary c) || !(c.left() instanceof Expr.Local l) || !l.name().equals(i)) {
            return null;
        }
        int step = step(f.update().get(0), i);
        if (step == 0) return null;
        boolean up = step > 0;
        BinaryOp op = c.op();
        if (up ? op != BinaryOp.LT && op != BinaryOp.LE : op != BinaryOp.GT && op != BinaryOp.GE) return null;
        Expr from = d.init();
        Expr to = c.right();
        if (!pure(from) || !pure(to)) return null;
        Set<String> bounds = new HashSet<>();
        bounds.add(i);
        Exprs.forEach(from, x -> {
            if (x instanceof Expr.Local v) bounds.add(v.name());
        });
        Exprs.forEach(to, x -> {
            if (x instanceof Expr.Local v) bounds.add(v.name());
        });
        boolean[] written = {false};
        Plan.forEachExpr(f.body(), x -> {
            if (x instanceof Expr.Assign a && a.target() instanceof Expr.Local v && bounds.contains(v.name())) {
                written[0] = true;
            }
            if (x instanceof Expr.IncDec n && n.target() instanceof Expr.Local v && bounds.contains(v.name())) {
                written[0] = true;
            }
        });
        Plan.forEachDecl(f.body(), x -> written[0] |= bounds.contains(x.name()));
        if (written[0]) return null;
        return new CanonicalLoop(i, up, op);
    }

    private static int step(Stmt update, String i) {
        if (!(update instanceof Stmt.ExprStmt e)) return 0;
        if (e.expr() instanceof Expr.IncDec n && n.target() instanceof Expr.Local l && l.name().equals(i)) {
            return n.increment() ? 1 : -1;
        }
        if (e.expr() instanceof Expr.Assign a && a.target() instanceof Expr.Local l && l.name().equals(i)
                && a.value() instanceof Expr.Literal lit && lit.value() instanceof Integer one && one == 1) {
            if (a.op() == BinaryOp.ADD) return 1;
            if (a.op() == BinaryOp.SUB) return -1;
        }
        return 0;
    }

    /** An expression the reverse sweep may evaluate again: no side effects, no helper calls. */
    static boolean pure(Expr e) {
        boolean[] bad = {false};
        Exprs.forEach(e, x -> bad[0] |= x instanceof Expr.Assign || x instanceof Expr.IncDec
                || x instanceof Expr.CallHelper || x instanceof Expr.NewArray || x instanceof Expr.ArrayLiteral);
        return !bad[0];
    }
}
