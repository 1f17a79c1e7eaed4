package org.jetsketch.processor.codegen;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jetsketch.processor.analysis.Exprs;
import org.jetsketch.processor.ir.Expr;
import org.jetsketch.processor.ir.Expr.BinaryOp;
import org.jetsketch.processor.ir.IrType;
import org.jetsketch.processor.ir.MethodIr;
import org.jetsketch.processor.ir.SourceRef;
import org.jetsketch.processor.ir.Stmt;

/**
 * Rewrites a method body into the form the adjoint writer reverses, without changing what it
 * computes:
 * <ul>
 *   <li>structured control flow only: {@code break}, {@code continue} and a {@code return}
 *       before the end become flags that guard the statements after them;
 *   <li>one active operation tree per statement: a call of a helper that has adjoint code, an
 *       active {@code ?:}, an array literal, and an index or passive operand with side effects
 *       each get a statement and a temporary of their own; compound assignments and
 *       {@code ++}/{@code --} of active values become plain assignments;
 *   <li>a non-void method ends with {@code return <variable>}.
 * </ul>
 */
final class Normalizer {
    private static final SourceRef NO_REF = SourceRef.NONE;

    private final Facts facts;
    private final Set<String> plain;
    private final MethodIr method;
    private String done;
    private String result;

    /** {@code plain}: keys of helpers without adjoint code, which may stay inside expressions. */
    Normalizer(Facts facts, Set<String> plain) {
        this.facts = facts;
        this.plain = plain;
        this.method = facts.method;
    }

    Stmt.Block normalize() {
        List<Stmt> body = new ArrayList<>(method.body().statements());
        Stmt tail = null;
        if (!body.isEmpty() && body.get(body.size() - 1) instanceof Stmt.Return r) {
            tail = r;
            body.remove(body.size() - 1);
        }
        boolean earlyReturn = body.stream().anyMatch(Normalizer::containsReturn);
        List<Stmt> out = new ArrayList<>();
        if (earlyReturn) {
            done = facts.temp("returned", IrType.BOOLEAN, false);
            out.add(new Stmt.LocalDecl(NO_REF, IrType.BOOLEAN, done, bool(false)));
            if (method.returnType().base() != IrType.Base.VOID) {
                result = facts.temp("result", method.returnType(), returnActive());
                // assigned on every path that returns, which javac cannot see through the flags
                out.add(new Stmt.LocalDecl(NO_REF, method.returnType(), result, defaultValue(method.returnType())));
            }
            List<Stmt> all = new ArrayList<>(body);
            if (tail != null) all.add(tail);
            out.addAll(statements(all, null));
            if (result != null) out.add(new Stmt.Return(NO_REF, local(result, method.returnType())));
        } else {
            out.addAll(statements(body, null));
            if (tail != null) finalReturn(out, (Stmt.Return) tail);
        }
        return new Stmt.Block(method.body().ref(), out);
    }

    private boolean returnActive() {
        return method.returnType().canBeActive() && facts.returnsActive(method);
    }

    private void finalReturn(List<Stmt> out, Stmt.Return r) {
        if (r.value() == null) {
            out.add(r);
            return;
        }
        Expr v = r.value();
        if (returnActive() || hasAdjointCall(v)) {
            if (!(v instanceof Expr.Local)) {
                String t = facts.temp("result", method.returnType(), returnActive());
                out.add(new Stmt.LocalDecl(NO_REF, method.returnType(), t, null));
                assign(out, local(t, method.returnType()), v);
                v = local(t, method.returnType());
            }
        } else {
            // a passive result can still be decided on active values, (u0 / u1 < u0) ? u1 : 0.1:
            // the compared operation needs a variable for the jet code to show it to the observer
            v = passive(out, v);
        }
        out.add(new Stmt.Return(r.ref(), v));
    }

    // ---------------------------------------------------------------- control flow

    /** The loop a break or continue refers to: its flags (null when it has none of that kind). */
    private record Loop(String broke, String continued) {}

    private static boolean containsReturn(Stmt s) { return contains(s, Stmt.Return.class, true); }

    /** Whether {@code s} contains a statement of {@code kind}; loops are entered only if {@code deep}. */
    private static boolean contains(Stmt s, Class<? extends Stmt> kind, boolean deep) {
        if (s == null) return false;
        if (kind.isInstance(s)) return true;
        if (s instanceof Stmt.Block b) return b.statements().stream().anyMatch(x -> contains(x, kind, deep));
        if (s instanceof Stmt.If i) return contains(i.then(), kind, deep) || contains(i.otherwise(), kind, deep);
        if (!deep) return false;
        if (s instanceof Stmt.For f) return contains(f.body(), kind, true);
        if (s instanceof Stmt.While w) return contains(w.body(), kind, true);
        if (s instanceof Stmt.DoWhile d) return contains(d.body(), kind, true);
        return false;
    }

    /** The flags {@code s} may set that make the rest of its block skip. */
    private List<String> exits(Stmt s, Loop loop) {
        List<String> flags = new ArrayList<>();
        if (loop != null && loop.broke() != null && contains(s, Stmt.Break.class, false)) flags.add(loop.broke());
        if (loop != null && loop.continued() != null && contains(s, Stmt.Continue.class, false)) {
            flags.add(loop.continued());
        }
        if (done != null && containsReturn(s)) flags.add(done);
        return flags;
    }

    private List<Stmt> statements(List<Stmt> in, Loop loop) {
        List<Stmt> out = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            Stmt s = in.get(i);
            statement(out, s, loop);
            List<String> flags = exits(s, loop);
            if (!flags.isEmpty() && i + 1 < in.size()) {
                List<Stmt> rest = statements(in.subList(i + 1, in.size()), loop);
                if (!rest.isEmpty()) out.add(new Stmt.If(NO_REF, noneOf(flags), new Stmt.Block(NO_REF, rest), null));
                break;
            }
        }
        return out;
    }

    private Stmt.Block block(Stmt s, Loop loop) {
        List<Stmt> out = new ArrayList<>();
        if (s instanceof Stmt.Block b) out.addAll(statements(b.statements(), loop));
        else if (s != null) out.addAll(statements(List.of(s), loop));
        return new Stmt.Block(s == null ? NO_REF : s.ref(), out);
    }

    private void statement(List<Stmt> out, Stmt s, Loop loop) {
        if (s instanceof Stmt.Block b) {
            out.add(new Stmt.Block(b.ref(), statements(b.statements(), loop)));
        } else if (s instanceof Stmt.LocalDecl d) {
            declaration(out, d);
        } else if (s instanceof Stmt.ExprStmt e) {
            expressionStatement(out, e);
        } else if (s instanceof Stmt.If i) {
            Expr c = passive(out, i.condition());
            out.add(new Stmt.If(i.ref(), c, block(i.then(), loop), i.otherwise() == null ? null : block(i.otherwise(), loop)));
        } else if (s instanceof Stmt.For f) {
            forLoop(out, f);
        } else if (s instanceof Stmt.While w) {
            Loop inner = loopFlags(out, w.body());
            List<Stmt> body = loopBody(w.body(), inner);
            out.add(new Stmt.While(w.ref(), guard(inner, w.condition()), new Stmt.Block(w.ref(), body)));
        } else if (s instanceof Stmt.DoWhile d) {
            Loop inner = loopFlags(out, d.body());
            List<Stmt> body = loopBody(d.body(), inner);
            out.add(new Stmt.DoWhile(d.ref(), new Stmt.Block(d.ref(), body), guard(inner, d.condition())));
        } else if (s instanceof Stmt.Break) {
            out.add(set(loop.broke()));
        } else if (s instanceof Stmt.Continue) {
            out.add(set(loop.continued()));
        } else if (s instanceof Stmt.Return r) {
            if (r.value() != null) assign(out, local(result, method.returnType()), r.value());
            out.add(set(done));
        } else {
            throw new IllegalStateException("unknown statement " + s);
        }
    }

    private void forLoop(List<Stmt> out, Stmt.For f) {
        Loop inner = loopFlags(out, f.body());
        boolean flagged = inner.broke() != null || inner.continued() != null || (done != null && containsReturn(f.body()));
        if (!flagged) {
            List<Stmt> init = new ArrayList<>();
            for (Stmt x : f.init()) statement(init, x, null);
            List<Stmt> update = new ArrayList<>();
            for (Stmt x : f.update()) statement(update, x, null);
            boolean simple = init.size() == f.init().size() && update.size() == f.update().size();
            if (simple) {
                out.add(new Stmt.For(f.ref(), init, f.condition(), update, block(f.body(), inner)));
                return;
            }
        }
        // { init; while (guard && condition) { body; update; } }
        List<Stmt> loop = new ArrayList<>();
        for (Stmt x : f.init()) statement(loop, x, null);
        List<Stmt> body = loopBody(f.body(), inner);
        for (Stmt x : f.update()) statement(body, x, null);
        Expr condition = f.condition() == null ? bool(true) : f.condition();
        loop.add(new Stmt.While(f.ref(), guard(inner, condition), new Stmt.Block(f.ref(), body)));
        out.add(new Stmt.Block(f.ref(), loop));
    }

    /** Declares and clears the flags of a loop whose body breaks or continues. */
    private Loop loopFlags(List<Stmt> out, Stmt body) {
        String broke = null;
        String continued = null;
        if (contains(body, Stmt.Break.class, false)) {
            broke = facts.temp("broke", IrType.BOOLEAN, false);
            out.add(new Stmt.LocalDecl(NO_REF, IrType.BOOLEAN, broke, bool(false)));
        }
        if (contains(body, Stmt.Continue.class, false)) {
            continued = facts.temp("continued", IrType.BOOLEAN, false);
            out.add(new Stmt.LocalDecl(NO_REF, IrType.BOOLEAN, continued, bool(false)));
        }
        return new Loop(broke, continued);
    }

    private List<Stmt> loopBody(Stmt body, Loop loop) {
        List<Stmt> out = new ArrayList<>();
        if (loop.continued() != null) out.add(assignFlag(loop.continued(), false));
        out.addAll(block(body, loop).statements());
        return out;
    }

    /** {@code !broke && !returned && condition}. */
    private Expr guard(Loop loop, Expr condition) {
        List<String> flags = new ArrayList<>();
        if (loop.broke() != null) flags.add(loop.broke());
        if (done != null) flags.add(done);
        if (flags.isEmpty()) return condition;
        return new Expr.Binary(NO_REF, IrType.BOOLEAN, BinaryOp.AND, noneOf(flags), condition);
    }

    private static Expr noneOf(List<String> flags) {
        Expr e = null;
        for (String f : flags) {
            Expr not = new Expr.Unary(NO_REF, IrType.BOOLEAN, Expr.UnaryOp.NOT, local(f, IrType.BOOLEAN));
            e = e == null ? not : new Expr.Binary(NO_REF, IrType.BOOLEAN, BinaryOp.AND, e, not);
        }
        return e;
    }

    private static Stmt set(String flag) { return assignFlag(flag, true); }

    private static Stmt assignFlag(String flag, boolean value) {
        return new Stmt.ExprStmt(NO_REF, new Expr.Assign(NO_REF, IrType.BOOLEAN, local(flag, IrType.BOOLEAN), null,
                bool(value)));
    }

    // ---------------------------------------------------------------- statements with values

    private void declaration(List<Stmt> out, Stmt.LocalDecl d) {
        if (d.init() == null) {
            out.add(d);
            return;
        }
        if (d.type().canBeActive() && facts.isActive(d.name())) {
            out.add(new Stmt.LocalDecl(d.ref(), d.type(), d.name(), null));
            assign(out, local(d.name(), d.type()), d.init());
        } else {
            out.add(new Stmt.LocalDecl(d.ref(), d.type(), d.name(), passive(out, d.init())));
        }
    }

    private void expressionStatement(List<Stmt> out, Stmt.ExprStmt s) {
        Expr e = s.expr();
        if (e instanceof Expr.Assign a && facts.isActive(a.target())) {
            Expr target = hoistIndices(out, a.target());
            Expr value = a.op() == null ? a.value() : new Expr.Binary(a.ref(), target.type(), a.op(), target, a.value());
            assign(out, target, value);
        } else if (e instanceof Expr.IncDec i && facts.isActive(i.target())) {
            Expr target = hoistIndices(out, i.target());
            Expr one = new Expr.Literal(NO_REF, IrType.DOUBLE, 1.0);
            assign(out, target, new Expr.Binary(i.ref(), IrType.DOUBLE, i.increment() ? BinaryOp.ADD : BinaryOp.SUB,
                    target, one));
        } else if (e instanceof Expr.CallHelper c && !plain.contains(c.methodKey())) {
            out.add(new Stmt.ExprStmt(s.ref(), call(out, c)));
        } else if (e instanceof Expr.Assign a && Exprs.hasIndexWithSideEffects(a.target())) {
            // the element may have to be saved before it is overwritten and restored by the
            // reverse sweep, which can evaluate an index only once: mask[j++] = 0.5 becomes
            // int index = j++; mask[index] = 0.5
            Expr target = hoistIndices(out, a.target());
            out.add(new Stmt.ExprStmt(s.ref(), passive(out, new Expr.Assign(a.ref(), a.type(), target, a.op(), a.value()))));
        } else if (e instanceof Expr.IncDec i && Exprs.hasIndexWithSideEffects(i.target())) {
            Expr target = hoistIndices(out, i.target());
            out.add(new Stmt.ExprStmt(s.ref(), new Expr.IncDec(i.ref(), i.type(), target, i.increment(), i.prefix())));
        } else {
            out.add(new Stmt.ExprStmt(s.ref(), passive(out, e)));
        }
    }

    /** {@code target = value} for an active or array-typed target, normalized. */
    private void assign(List<Stmt> out, Expr target, Expr value) {
        Expr v;
        if (target.type().isArray()) {
            v = array(out, value, true);
        } else if (target.type().canBeActive() && facts.isActive(target)) {
            v = scalar(out, value, true);
        } else {
            v = passive(out, value);
        }
        out.add(new Stmt.ExprStmt(NO_REF, new Expr.Assign(NO_REF, target.type(), target, null, v)));
    }

    /** An element target whose indices have side effects, with each index evaluated once into a temporary. */
    private Expr hoistIndices(List<Stmt> out, Expr target) {
        if (!(target instanceof Expr.ArrayAccess a)) return target;
        Expr array = hoistIndices(out, a.array());
        Expr index = a.index();
        if (Exprs.hasSideEffects(index)) index = hoist(out, "index", passive(out, index), false);
        return new Expr.ArrayAccess(a.ref(), a.type(), array, index);
    }

    /** A new temporary holding {@code value}. */
    private Expr hoist(List<Stmt> out, String base, Expr value, boolean active) {
        String t = facts.temp(base, value.type(), active);
        Expr target = local(t, value.type());
        if (active || value instanceof Expr.CallHelper) {
            out.add(new Stmt.LocalDecl(NO_REF, value.type(), t, null));
            out.add(new Stmt.ExprStmt(NO_REF, new Expr.Assign(NO_REF, value.type(), target, null, value)));
        } else {
            out.add(new Stmt.LocalDecl(NO_REF, value.type(), t, value));
        }
        return target;
    }

    /**
     * {@code c ? x : y} as statements: a new temporary of {@code type}, assigned in the branch of
     * an {@code if} on the condition, so that each operand's statements run only on its branch.
     */
    private Expr choice(List<Stmt> out, Expr.Conditional c, IrType type, boolean active) {
        String t = facts.temp("choice", type, active);
        out.add(new Stmt.LocalDecl(NO_REF, type, t, null));
        Expr condition = passive(out, c.condition());
        List<Stmt> yes = new ArrayList<>();
        assign(yes, local(t, type), c.ifTrue());
        List<Stmt> no = new ArrayList<>();
        assign(no, local(t, type), c.ifFalse());
        out.add(new Stmt.If(c.ref(), condition, new Stmt.Block(NO_REF, yes), new Stmt.Block(NO_REF, no)));
        return local(t, type);
    }

    /**
     * An active scalar expression as one operation tree: helper calls, active {@code ?:} and
     * side effects move to statements before it. {@code top}: the right-hand side itself, which
     * may be a helper call.
     */
    private Expr scalar(List<Stmt> out, Expr e, boolean top) {
        if (!facts.isActive(e)) {
            if (Exprs.hasSideEffects(e) || hasAdjointCall(e)) return hoist(out, "value", passive(out, e), false);
            return passive(out, e);
        }
        if (e instanceof Expr.Local || e instanceof Expr.Field || e instanceof Expr.Literal) return e;
        if (e instanceof Expr.ArrayAccess a) {
            Expr array = array(out, a.array(), false);
            Expr index = Exprs.hasSideEffects(a.index()) || hasAdjointCall(a.index())
                    ? hoist(out, "index", passive(out, a.index()), false) : a.index();
            return new Expr.ArrayAccess(a.ref(), a.type(), array, index);
        }
        if (e instanceof Expr.Unary u) {
            Expr x = scalar(out, u.operand(), false);
            return u.op() == Expr.UnaryOp.PLUS ? x : new Expr.Unary(u.ref(), u.type(), u.op(), x);
        }
        if (e instanceof Expr.Binary b) {
            return new Expr.Binary(b.ref(), b.type(), b.op(), scalar(out, b.left(), false), scalar(out, b.right(), false));
        }
        if (e instanceof Expr.Cast c) return scalar(out, c.operand(), top);
        if (e instanceof Expr.CallFunction f) {
            List<Expr> args = new ArrayList<>();
            for (Expr a : f.args()) args.add(scalar(out, a, false));
            return new Expr.CallFunction(f.ref(), f.type(), f.owner(), f.function(), args);
        }
        if (e instanceof Expr.Conditional c) return choice(out, c, IrType.DOUBLE, true);
        if (e instanceof Expr.CallHelper c) {
            Expr.CallHelper call = call(out, c);
            return top ? call : hoist(out, "value", call, true);
        }
        throw new IllegalStateException("no active form for " + e);
    }

    /**
     * An array-typed expression: a variable, a field, a row, a new array, or (when {@code top})
     * a helper call; anything else moves into a temporary first.
     */
    private Expr array(List<Stmt> out, Expr e, boolean top) {
        if (e instanceof Expr.Local || e instanceof Expr.Field) return e;
        if (e instanceof Expr.ArrayAccess a) {
            Expr index = Exprs.hasSideEffects(a.index()) || hasAdjointCall(a.index())
                    ? hoist(out, "index", passive(out, a.index()), false) : a.index();
            return new Expr.ArrayAccess(a.ref(), a.type(), array(out, a.array(), false), index);
        }
        boolean active = facts.isActiveArray(e) || (e instanceof Expr.ArrayLiteral) && e.type().canBeActive();
        if (e instanceof Expr.NewArray n) {
            if (top) return n;
            return hoist(out, "array", n, false);
        }
        if (e instanceof Expr.ArrayLiteral lit) {
            String t = facts.temp("array", lit.type(), active || e.type().canBeActive());
            out.add(new Stmt.LocalDecl(NO_REF, lit.type(), t, null));
            Expr target = local(t, lit.type());
            List<Expr> dims = List.of(new Expr.Literal(NO_REF, IrType.INT, lit.elements().size()));
            out.add(new Stmt.ExprStmt(NO_REF, new Expr.Assign(NO_REF, lit.type(), target, null,
                    new Expr.NewArray(NO_REF, lit.type(), dims))));
            for (int i = 0; i < lit.elements().size(); i++) {
                Expr at = new Expr.ArrayAccess(NO_REF, lit.type().element(), target,
                        new Expr.Literal(NO_REF, IrType.INT, i));
                Expr x = lit.elements().get(i);
                if (at.type().isArray() || (at.type().canBeActive() && facts.isActive(target))) {
                    assign(out, at, x);
                } else {
                    out.add(new Stmt.ExprStmt(NO_REF, new Expr.Assign(NO_REF, at.type(), at, null, passive(out, x))));
                }
            }
            return target;
        }
        if (e instanceof Expr.Conditional c) return choice(out, c, c.type(), active);
        if (e instanceof Expr.CallHelper c) {
            if (plain.contains(c.methodKey())) return passive(out, c);
            Expr.CallHelper call = call(out, c);
            return top ? call : hoist(out, "value", call, facts.isActive(c));
        }
        return hoist(out, "data", passive(out, e), false);
    }

    /** A call of a helper with adjoint code, its arguments simple values. */
    private Expr.CallHelper call(List<Stmt> out, Expr.CallHelper c) {
        MethodIr callee = facts.circuit.method(c.methodKey());
        List<Expr> args = new ArrayList<>();
        for (int i = 0; i < c.args().size(); i++) {
            Expr a = c.args().get(i);
            IrType type = callee.params().get(i).type();
            if (type.isArray()) {
                args.add(array(out, a, false));
            } else if (facts.paramActive(callee, i) && facts.isActive(a)) {
                Expr x = scalar(out, a, false);
                args.add(x instanceof Expr.Local ? x : hoist(out, "argument", x, true));
            } else {
                Expr x = passive(out, a);
                args.add(Exprs.hasSideEffects(x) ? hoist(out, "argument", x, false) : x);
            }
        }
        return new Expr.CallHelper(c.ref(), c.type(), c.methodKey(), args);
    }

    /**
     * A passive expression; calls of helpers with adjoint code move out of it, and so does an
     * active operation compared at its top (not behind {@code &&}, {@code ||} or {@code ?:}),
     * so that the jet code can show the compared jets to the branch observer.
     */
    private Expr passive(List<Stmt> out, Expr e) {
        if (e == null) return null;
        Expr x = needsStatements(e) ? shortCircuits(out, e) : e;
        x = hasAdjointCall(x) ? replaceCalls(out, x) : x;
        return comparedOperations(out, x);
    }

    /**
     * Whether {@code e} holds something that must become a statement of its own: a call of a
     * helper with adjoint code, or an active operation under a comparison (the jet code shows the
     * compared jets to the branch observer, so they need a variable).
     */
    private boolean needsStatements(Expr e) {
        boolean[] found = {false};
        Exprs.forEach(e, x -> found[0] |= x instanceof Expr.CallHelper c && !plain.contains(c.methodKey())
                || x instanceof Expr.Binary b && b.op().isComparison()
                        && (comparedOperation(b.left()) || comparedOperation(b.right())));
        return found[0];
    }

    /** An active operand of a comparison that is an operation, not a variable or an element. */
    private boolean comparedOperation(Expr operand) {
        Expr x = operand;
        while (x instanceof Expr.Cast c) x = c.operand();
        return facts.isActive(x) && !(x instanceof Expr.Local || x instanceof Expr.Field || x instanceof Expr.ArrayAccess);
    }

    /**
     * {@code e} with every {@code &&}, {@code ||} and {@code ?:} whose later operands need
     * statements ({@link #needsStatements}) turned into an {@code if} that assigns a temporary,
     * so that those statements run only when Java would evaluate the operand: {@code a && b}
     * becomes {@code t = a; if (t) t = b;}, {@code a || b} becomes {@code t = a; if (!t) t = b;},
     * {@code c ? x : y} becomes {@code if (c) t = x; else t = y;}. Hoisting them in front of the
     * whole expression instead would run a helper (or a comparison the observer records) that the
     * program skips, and could throw where the program does not.
     */
    private Expr shortCircuits(List<Stmt> out, Expr e) {
        if (e instanceof Expr.Binary b && (b.op() == BinaryOp.AND || b.op() == BinaryOp.OR) && needsStatements(b.right())) {
            String t = facts.temp("condition", IrType.BOOLEAN, false);
            out.add(new Stmt.LocalDecl(NO_REF, IrType.BOOLEAN, t, passive(out, b.left())));
            List<Stmt> later = new ArrayList<>();
            Expr right = passive(later, b.right());
            later.add(new Stmt.ExprStmt(NO_REF, new Expr.Assign(NO_REF, IrType.BOOLEAN, local(t, IrType.BOOLEAN), null, right)));
            Expr when = b.op() == BinaryOp.AND ? local(t, IrType.BOOLEAN)
                    : new Expr.Unary(NO_REF, IrType.BOOLEAN, Expr.UnaryOp.NOT, local(t, IrType.BOOLEAN));
            out.add(new Stmt.If(b.ref(), when, new Stmt.Block(NO_REF, later), null));
            return local(t, IrType.BOOLEAN);
        }
        if (e instanceof Expr.Conditional c && !facts.isActive(c) && (needsStatements(c.ifTrue()) || needsStatements(c.ifFalse()))) {
            return choice(out, c, c.type(), false);
        }
        if (e instanceof Expr.Binary b) {
            return new Expr.Binary(b.ref(), b.type(), b.op(), shortCircuits(out, b.left()), shortCircuits(out, b.right()));
        }
        if (e instanceof Expr.Unary u) return new Expr.Unary(u.ref(), u.type(), u.op(), shortCircuits(out, u.operand()));
        if (e instanceof Expr.Cast c) return new Expr.Cast(c.ref(), c.type(), shortCircuits(out, c.operand()));
        if (e instanceof Expr.Conditional c) {
            return new Expr.Conditional(c.ref(), c.type(), shortCircuits(out, c.condition()), c.ifTrue(), c.ifFalse());
        }
        // a function evaluates all its arguments, but an argument's own && and ?: still guard
        // their later operands: Fn.square(x > 0 && log(x) > c ? a : b) must not call log first
        if (e instanceof Expr.CallFunction f) {
            List<Expr> args = new ArrayList<>();
            for (Expr x : f.args()) args.add(shortCircuits(out, x));
            return new Expr.CallFunction(f.ref(), f.type(), f.owner(), f.function(), args);
        }
        if (e instanceof Expr.ArrayAccess a) {
            return new Expr.ArrayAccess(a.ref(), a.type(), shortCircuits(out, a.array()), shortCircuits(out, a.index()));
        }
        if (e instanceof Expr.Assign a && !Exprs.hasIndexWithSideEffects(a.target())) {
            return new Expr.Assign(a.ref(), a.type(), a.target(), a.op(), shortCircuits(out, a.value()));
        }
        return e;
    }

    private Expr comparedOperations(List<Stmt> out, Expr e) {
        if (e instanceof Expr.Binary b && b.op().isComparison()) {
            return new Expr.Binary(b.ref(), b.type(), b.op(), comparedValue(out, b.left()), comparedValue(out, b.right()));
        }
        if (e instanceof Expr.Binary b && b.op() != BinaryOp.AND && b.op() != BinaryOp.OR) {
            return new Expr.Binary(b.ref(), b.type(), b.op(), comparedOperations(out, b.left()),
                    comparedOperations(out, b.right()));
        }
        if (e instanceof Expr.Binary b) {
            return new Expr.Binary(b.ref(), b.type(), b.op(), comparedOperations(out, b.left()), b.right());
        }
        if (e instanceof Expr.Unary u) return new Expr.Unary(u.ref(), u.type(), u.op(), comparedOperations(out, u.operand()));
        if (e instanceof Expr.Conditional c) {
            return new Expr.Conditional(c.ref(), c.type(), comparedOperations(out, c.condition()), c.ifTrue(), c.ifFalse());
        }
        if (e instanceof Expr.Cast c) return new Expr.Cast(c.ref(), c.type(), comparedOperations(out, c.operand()));
        if (e instanceof Expr.Assign a && !Exprs.hasIndexWithSideEffects(a.target())) {
            // a passive target given a value decided on an active operation, g[i] = (h >= g[1][i]) ? 1.0 : 3.0
            return new Expr.Assign(a.ref(), a.type(), a.target(), a.op(), comparedOperations(out, a.value()));
        }
        return e;
    }

    private Expr comparedValue(List<Stmt> out, Expr operand) {
        if (!comparedOperation(operand)) return operand;
        Expr x = operand;
        while (x instanceof Expr.Cast c) x = c.operand();
        return hoist(out, "compared", scalar(out, x, false), true);
    }

    private boolean hasAdjointCall(Expr e) {
        boolean[] found = {false};
        Exprs.forEach(e, x -> found[0] |= x instanceof Expr.CallHelper c && !plain.contains(c.methodKey()));
        return found[0];
    }

    private Expr replaceCalls(List<Stmt> out, Expr e) {
        if (e instanceof Expr.CallHelper c && !plain.contains(c.methodKey())) {
            Expr.CallHelper call = call(out, c);
            return call.type().base() == IrType.Base.VOID ? call : hoist(out, "value", call, facts.isActive(c));
        }
        if (e instanceof Expr.CallHelper c) {
            // a helper without adjoint code stays in the expression, but a call with adjoint code
            // among its arguments (h2(1.0, h0(p1, 0.5)), the variable-arity array included) moves out
            List<Expr> args = new ArrayList<>();
            for (Expr x : c.args()) args.add(replaceCalls(out, x));
            return new Expr.CallHelper(c.ref(), c.type(), c.methodKey(), args);
        }
        if (e instanceof Expr.Binary b) {
            return new Expr.Binary(b.ref(), b.type(), b.op(), replaceCalls(out, b.left()), replaceCalls(out, b.right()));
        }
        if (e instanceof Expr.Unary u) return new Expr.Unary(u.ref(), u.type(), u.op(), replaceCalls(out, u.operand()));
        if (e instanceof Expr.Cast c) return new Expr.Cast(c.ref(), c.type(), replaceCalls(out, c.operand()));
        if (e instanceof Expr.ArrayAccess a) {
            return new Expr.ArrayAccess(a.ref(), a.type(), replaceCalls(out, a.array()), replaceCalls(out, a.index()));
        }
        if (e instanceof Expr.Conditional c) {
            return new Expr.Conditional(c.ref(), c.type(), replaceCalls(out, c.condition()), replaceCalls(out, c.ifTrue()),
                    replaceCalls(out, c.ifFalse()));
        }
        if (e instanceof Expr.Assign a) {
            return new Expr.Assign(a.ref(), a.type(), a.target(), a.op(), replaceCalls(out, a.value()));
        }
        if (e instanceof Expr.CallFunction f) {
            List<Expr> args = new ArrayList<>();
            for (Expr x : f.args()) args.add(replaceCalls(out, x));
            return new Expr.CallFunction(f.ref(), f.type(), f.owner(), f.function(), args);
        }
        if (e instanceof Expr.Length l) return new Expr.Length(l.ref(), replaceCalls(out, l.array()));
        if (e instanceof Expr.ArrayLiteral lit) {
            // a passive initializer, {0.1, h(w)}: its calls move out in order like any operand's
            List<Expr> elements = new ArrayList<>();
            for (Expr x : lit.elements()) elements.add(replaceCalls(out, x));
            return new Expr.ArrayLiteral(lit.ref(), lit.type(), elements);
        }
        if (e instanceof Expr.NewArray n) {
            List<Expr> dims = new ArrayList<>();
            for (Expr x : n.dims()) dims.add(replaceCalls(out, x));
            return new Expr.NewArray(n.ref(), n.type(), dims);
        }
        return e;
    }

    private static Expr defaultValue(IrType t) {
        Object v = t.isArray() || t.base() == IrType.Base.OBJECT ? null
                : switch (t.base()) {
                    case DOUBLE -> 0.0;
                    case BOOLEAN -> false;
                    case LONG -> 0L;
                    case CHAR -> '\0';
                    default -> 0;
                };
        return new Expr.Literal(NO_REF, t, v);
    }

    private static Expr local(String name, IrType type) { return new Expr.Local(NO_REF, type, name); }

    private static Expr bool(boolean b) { return new Expr.Literal(NO_REF, IrType.BOOLEAN, b); }
}
