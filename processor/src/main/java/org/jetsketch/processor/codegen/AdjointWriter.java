package org.jetsketch.processor.codegen;

import com.squareup.javapoet.MethodSpec;
import com.squareup.javapoet.TypeName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import javax.lang.model.element.Modifier;
import org.jetsketch.processor.analysis.Exprs;
import org.jetsketch.processor.ir.Expr;
import org.jetsketch.processor.ir.Expr.BinaryOp;
import org.jetsketch.processor.ir.IrType;
import org.jetsketch.processor.ir.MethodIr;
import org.jetsketch.processor.ir.Stmt;
import org.jetsketch.processor.codegen.Operations.Leaf;
import org.jetsketch.processor.codegen.Operations.Node;
import org.jetsketch.processor.codegen.Operations.Opnd;

/**
 * Writes the forward sweep and the reverse sweep of one method, on doubles ({@link Mode#REAL}) or
 * on jets ({@link Mode#JET}), from its normalized body.
 *
 * <p>The forward sweep is the method itself plus pushes; the reverse sweep runs the statements
 * backwards, each replaced by its adjoint: an assignment's adjoint applies the primitive table's
 * adjoint rules from the result down to the operands. What a rule reads is reread when it is
 * still there (passive data, a variable not overwritten since) and pushed otherwise: a variable
 * the reverse sweep reads is pushed before it is overwritten (when it is assigned more than once
 * or in a loop), an array element before it is overwritten when some reverse sweep reads elements
 * of its alias class, an intermediate result when a rule reads it. The variables the reverse
 * sweep reads are pushed at the end of the forward sweep (the method's frame) and popped at the
 * start of the reverse sweep. Branches push the branch taken; loops with passive bounds the body
 * does not change run backwards without a push, other loops push their trip count.
 *
 * <p>What to save is decided before writing, by the to-be-recorded analysis ({@link Recording})
 * over the statement positions and loop shapes of {@link Shapes}; the writer only asks it, so
 * writing a method twice gives the same text.
 */
final class AdjointWriter implements EmitContext {
    enum Mode { REAL, JET }

    private final Plan plan;
    private final MethodIr method;
    private final Facts facts;
    private final boolean reversible;
    /** The to-be-recorded facts of this writing: what to save, what the frame holds. */
    private final Recording.Reads recorded;
    /** The facts of every writing of this mode: what a callee's reverse sweep is given. */
    private final Recording recording;
    private final Shapes shapes;
    private final Operations ops;
    /** The mode's statement text. */
    private final ModeEmitter emit;

    /** The position of the statement being written (see {@link Shapes}); the return's reads are after everything. */
    private int current = Shapes.END;
    private final Set<String> generated = new HashSet<>();
    private final Map<String, String> bars = new HashMap<>();
    private int temps;
    /** Whether the code being written is reverse-sweep code (see {@link #inReverse}). */
    private boolean writingReverse;
    /**
     * Whether the code being written is the unchecked copy of an elementwise loop's body: the
     * operations take their unchecked forms ({@link ElementwiseLoops}).
     */
    private boolean unchecked;
    /** The code of this writing's expressions. */
    private final ExprWriter exprs;

    /** The workspace parameter of every generated method. */
    private final String ws;

    /**
     * The workspace locals and frame-slot offsets each sweep's code names, registered by the code
     * that writes the name ({@link #named}); {@link #infrastructure} declares exactly these. Code
     * written for the reverse sweep, wherever it is built, is written {@link #inReverse}.
     */
    private final Set<String> forwardNames = new HashSet<>();
    private final Set<String> reverseNames = new HashSet<>();
    private Set<String> naming = forwardNames;

    /**
     * {@code recording}: the mode's to-be-recorded facts of every writing (a call's reverse passes
     * what its callee's reverse sweep is given); {@code recorded}: those of this writing, which also say whether it gets a
     * reverse sweep (the adjoint variants of the training step and of the measurements are
     * reversible writings of methods whose ordinary writing is not).
     */
    AdjointWriter(Plan plan, MethodIr method, Mode mode, Recording recording, Recording.Reads recorded) {
        this.plan = plan;
        this.recording = recording;
        this.method = method;
        this.facts = plan.facts.get(method.key()).copy();
        this.reversible = recorded.reversible();
        this.recorded = recorded;
        this.shapes = recorded.shapes();
        this.ops = new Operations(plan.facts.get(method.key()));
        this.ws = reserve("ws");
        // the jet workspace's locals are reserved in both modes, so that both give user names the same fresh names
        String jets = reserve("jets");
        String stride = reserve("S");
        String val = reserve("val");
        String adj = reserve("adj");
        String scratch = reserve("scratch");
        this.emit = mode == Mode.JET ? new JetEmitter(this, jets, stride, val, adj, scratch) : new RealEmitter(this);
        this.exprs = new ExprWriter(this, plan, facts, ws, emit);
    }

    @Override
    public String ws() { return ws; }

    @Override
    public boolean unchecked() { return unchecked; }

    @Override
    public boolean reversible() { return reversible; }

    private String reserve(String base) {
        String name = facts.unused(base);
        facts.types.put(name, IrType.VOID);
        generated.add(name);
        return name;
    }

    /** A fresh name for generated code (never a user's). */
    @Override
    public String fresh(String base) {
        String name;
        do {
            name = base + (++temps);
        } while (facts.types.containsKey(name));
        facts.types.put(name, IrType.VOID);
        generated.add(name);
        return name;
    }

    // ---------------------------------------------------------------- workspace locals

    /** {@code local}, noted as named by the sweep being written. */
    @Override
    public String named(String local) {
        naming.add(local);
        return local;
    }

    /**
     * {@code code} written for the reverse sweep: the workspace locals it names are the reverse
     * sweep's, and a comparison of active values is decided on the real parts without showing it to
     * the branch monitor (the forward sweep did).
     */
    @Override
    public <T> T inReverse(Supplier<T> code) {
        boolean was = writingReverse;
        writingReverse = true;
        try {
            return namingInto(reverseNames, code);
        } finally {
            writingReverse = was;
        }
    }

    /** {@code code} with the workspace locals it names noted in {@code names}. */
    /** Whether the code being written is reverse-sweep code (see {@link #inReverse}). */
    boolean writingReverse() { return writingReverse; }

    @Override
    public <T> T namingInto(Set<String> names, Supplier<T> code) {
        Set<String> was = naming;
        naming = names;
        try {
            return code.get();
        } finally {
            naming = was;
        }
    }

    /** Notes {@code names} as named by the sweep being written (names noted aside by {@link #namingInto}). */
    @Override
    public void noteNamed(Set<String> names) { naming.addAll(names); }

    /** {@code code} run as reverse-sweep writing (see {@link #inReverse}). */
    private void writingInReverse(Runnable code) {
        inReverse(() -> {
            code.run();
            return null;
        });
    }

    // ---------------------------------------------------------------- facts about variables

    /** The site number of the comparison or call {@code e}, for the branch monitor. */
    @Override
    public int site(Expr e) { return plan.site(e); }

    /** Whether the forward sweep saves {@code name} before the statement being written assigns it. */
    private boolean saves(String name) { return recorded.saves(name, current); }

    /** Whether the forward sweep saves element {@code target} before the statement being written overwrites it. */
    private boolean savesElement(Expr.ArrayAccess target) { return recorded.savesElement(target, current); }

    private boolean hoisted(String name) { return recorded.hoisted(name); }

    static boolean pure(Expr e) { return Shapes.pure(e); }

    @Override
    public boolean active(Expr e) { return facts.isActive(e); }

    private boolean activeArray(Expr e) { return facts.isActiveArray(e); }

    @Override
    public boolean activeVar(String name) {
        IrType t = facts.types.get(name);
        return t != null && t.canBeActive() && facts.isActive(name);
    }

    // ---------------------------------------------------------------- the sweeps

    /** The forward sweep's body and the reverse sweep's body (without their prologues). */
    record Sweeps(Code forward, Code reverse, List<String> frame) {}

    Sweeps write() {
        Stmt.Block body = plan.bodies.get(method.key());
        Code fwd = new Code();
        Code rev = new Code();
        List<Stmt> statements = body.statements();
        Stmt.Return ret = null;
        if (!statements.isEmpty() && statements.get(statements.size() - 1) instanceof Stmt.Return r) {
            ret = r;
            statements = statements.subList(0, statements.size() - 1);
        }
        // hoisted declarations: variables of nested blocks that the frame push at the end reads
        Code hoist = new Code();
        for (String v : recorded.variables()) {
            if (hoisted(v) && facts.types.containsKey(v) && facts.types.get(v) != IrType.VOID) {
                declareDefault(hoist, v);
            }
        }
        fwd.append(hoist);
        block(statements, fwd, rev);
        List<String> frame = recorded.frame(facts.types);
        Code revStart = new Code();
        if (reversible) {
            for (String v : frame) pushFrameVariable(fwd, v);
            for (int i = frame.size() - 1; i >= 0; i--) popFrameVariable(revStart, frame.get(i));
        }
        if (ret != null) returnStatement(ret, fwd, revStart);
        Code reverse = new Code().append(revStart).append(rev);
        // The prologue of forwardMethod copies every active scalar parameter into its slot (jets),
        // even one the body never reads; the frame is sized from the slots known now, so take them
        // now (after the body's, in parameter order: the indices the prologue would give them).
        for (int i = 0; i < method.params().size(); i++) {
            MethodIr.ParamIr p = method.params().get(i);
            if (!p.type().isArray() && facts.paramActive(method, i) && !plan.plain.contains(method.key())) {
                emit.reserveParameterSlot(p.name());
            }
        }
        return new Sweeps(fwd, reverse, frame);
    }

    private void declareDefault(Code c, String v) {
        IrType t = facts.types.get(v);
        if (activeVar(v) && !t.isArray()) {
            emit.declareScalarDefault(c, v);
            return;
        }
        String type = Names.typeName(t.javaName()).toString();
        c.line(type + " " + v + " = " + defaultValue(t) + ";");
        if (activeVar(v) && t.isArray()) c.line(type + " " + bar(v) + " = null;");
    }

    private static String defaultValue(IrType t) {
        if (t.isArray() || t.base() == IrType.Base.OBJECT) return "null";
        return switch (t.base()) {
            case DOUBLE -> "0.0";
            case BOOLEAN -> "false";
            case LONG -> "0L";
            case CHAR -> "'\\u0000'";
            default -> "0";
        };
    }

    // ---------------------------------------------------------------- stacks

    /**
     * Saves variable {@code v} before the statement at hand overwrites it, and restores it in
     * the reverse sweep; not in its loop's first trip where nothing reads the value from before
     * the loop ({@link #firstTripGuard}).
     */
    private void saveVariable(Code fwd, Code rev, String v) {
        Code push = new Code();
        pushVariable(push, v);
        Code pop = new Code();
        popVariable(pop, v);
        String guard = firstTripGuard(v);
        fwd.guarded(guard, push);
        rev.guarded(guard, pop);
    }

    /**
     * The condition that skips the save of {@code v} at the statement at hand in its loop's first
     * trip ({@link Recording.Reads#firstTripSkipped}), or null: it saves in every trip.
     */
    private String firstTripGuard(String v) {
        String loop = recorded.firstTripSkipped(v, current);
        return loop == null ? null : loop + " != 0";
    }

    /** Pushes the current value of variable {@code v} (and its adjoint array). */
    private void pushVariable(Code c, String v) {
        IrType t = facts.types.get(v);
        if (activeVar(v) && !t.isArray()) {
            c.line(emit.push(emit.variable(v)));
        } else if (activeVar(v)) {
            if (recorded.framesArray(v, true)) c.line(ws + ".pushRef(" + v + ");");
            if (recorded.framesArray(v, false)) c.line(ws + ".pushRef(" + bar(v) + ");");
        } else {
            c.line(pushPassive(t, v));
        }
    }

    private String pushPassive(IrType t, String code) {
        if (t.isArray() || t.base() == IrType.Base.OBJECT || t.base() == IrType.Base.LONG) {
            return ws + ".pushRef(" + code + ");";
        }
        return switch (t.base()) {
            case DOUBLE -> ws + ".push(" + code + ");";
            case BOOLEAN -> ws + ".pushBranch(" + code + ");";
            default -> ws + ".pushInt(" + code + ");";
        };
    }

    private String popPassive(IrType t) {
        if (t.isArray() || t.base() == IrType.Base.OBJECT || t.base() == IrType.Base.LONG) {
            String type = t.base() == IrType.Base.LONG && !t.isArray() ? "Long" : Names.typeName(t.javaName()).toString();
            return "(" + type + ") " + ws + ".popRef()";
        }
        return switch (t.base()) {
            case DOUBLE -> ws + ".pop()";
            case BOOLEAN -> ws + ".popBranch()";
            case INT -> ws + ".popInt()";
            default -> "(" + t.javaName() + ") " + ws + ".popInt()";
        };
    }

    /** Restores variable {@code v} from the stacks (the reverse of {@link #pushVariable}); reverse-sweep code. */
    private void popVariable(Code c, String v) {
        writingInReverse(() -> popVariableLines(c, v));
    }

    private void popVariableLines(Code c, String v) {
        IrType t = facts.types.get(v);
        if (activeVar(v) && !t.isArray()) {
            c.line(emit.pop(emit.variable(v)));
        } else if (activeVar(v)) {
            String type = Names.typeName(t.javaName()).toString();
            if (recorded.framesArray(v, false)) c.line(bar(v) + " = (" + type + ") " + ws + ".popRef();");
            if (recorded.framesArray(v, true)) c.line(v + " = (" + type + ") " + ws + ".popRef();");
        } else {
            c.line(v + " = " + popPassive(t) + ";");
        }
    }

    /** The frame push of variable {@code v}: an active array with its adjoint array, each only if the reverse sweep names it. */
    private void pushFrameVariable(Code c, String v) {
        IrType t = facts.types.get(v);
        if (activeVar(v) && t.isArray()) {
            if (recorded.framesArray(v, true)) c.line(ws + ".pushRef(" + v + ");");
            if (recorded.framesArray(v, false)) c.line(ws + ".pushRef(" + bar(v) + ");");
        } else {
            pushVariable(c, v);
        }
    }

    /** The reverse sweep's first pops: declares the frame variables. */
    private void popFrameVariable(Code c, String v) {
        writingInReverse(() -> popFrameVariableLines(c, v));
    }

    private void popFrameVariableLines(Code c, String v) {
        IrType t = facts.types.get(v);
        if (activeVar(v) && !t.isArray()) {
            c.line(emit.popDeclaring(v));
        } else if (activeVar(v)) {
            String type = Names.typeName(t.javaName()).toString();
            if (recorded.framesArray(v, false)) c.line(type + " " + bar(v) + " = (" + type + ") " + ws + ".popRef();");
            if (recorded.framesArray(v, true)) c.line(type + " " + v + " = (" + type + ") " + ws + ".popRef();");
        } else {
            c.line(Names.typeName(t.javaName()) + " " + v + " = " + popPassive(t) + ";");
        }
    }

    // ---------------------------------------------------------------- statements

    private void block(List<Stmt> statements, Code fwd, Code rev) {
        List<Code> revs = new ArrayList<>();
        for (Stmt s : statements) {
            Code r = new Code();
            statement(s, fwd, r);
            revs.add(r);
        }
        for (int i = revs.size() - 1; i >= 0; i--) rev.append(revs.get(i));
    }

    private List<Stmt> flat(Stmt s) {
        if (s == null) return List.of();
        if (s instanceof Stmt.Block b) return b.statements();
        return List.of(s);
    }

    private void statement(Stmt s, Code fwd, Code rev) {
        int outer = current;
        int at = shapes.position(s);
        current = at < 0 ? outer : 2 * at;
        statementAt(s, fwd, rev);
        current = outer;
    }

    private void statementAt(Stmt s, Code fwd, Code rev) {
        if (s instanceof Stmt.Block b) {
            block(b.statements(), fwd, rev);
        } else if (s instanceof Stmt.LocalDecl d) {
            declaration(d, fwd, rev);
        } else if (s instanceof Stmt.ExprStmt e) {
            expressionStatement(e.expr(), fwd, rev);
        } else if (s instanceof Stmt.If i) {
            ifStatement(i, fwd, rev);
        } else if (s instanceof Stmt.For f) {
            forLoop(f, fwd, rev);
        } else if (s instanceof Stmt.While w) {
            Code body = new Code();
            Code bodyRev = new Code();
            block(flat(w.body()), body, bodyRev);
            countedLoop("while (" + expr(w.condition()) + ")", null, body, bodyRev, fwd, rev);
        } else if (s instanceof Stmt.DoWhile d) {
            Code body = new Code();
            Code bodyRev = new Code();
            block(flat(d.body()), body, bodyRev);
            countedLoop("do", " while (" + expr(d.condition()) + ");", body, bodyRev, fwd, rev);
        } else if (s instanceof Stmt.Return r) {
            throw new IllegalStateException("return before the end of " + method.name() + " after normalization: " + r);
        } else {
            throw new IllegalStateException("unexpected statement " + s);
        }
    }

    private void declaration(Stmt.LocalDecl d, Code fwd, Code rev) {
        String v = d.name();
        boolean isActive = activeVar(v);
        if (hoisted(v)) {
            if (d.init() instanceof Expr.CallHelper c && !plan.plain.contains(c.methodKey())) {
                callAssignment(new Expr.Local(d.ref(), d.type(), v), c, fwd, rev);
            } else if (d.init() != null) {
                Code side = new Code();
                saveSideEffects(d.init(), fwd, side);
                if (saves(v)) saveVariable(fwd, rev, v);
                rev.append(side);
                fwd.line(v + " = " + expr(d.init()) + ";");
            }
            return;
        }
        boolean initialized = d.init() != null || recorded.reads(v);
        if (isActive && !d.type().isArray()) {
            emit.declareScalar(fwd, v, initialized);
            return;
        }
        String type = Names.typeName(d.type().javaName()).toString();
        if (isActive) {
            fwd.declare(type, v, initialized ? "null" : null, Set.of());
            if (reversible) fwd.declare(type, bar(v), initialized ? "null" : null, Set.of());
            return;
        }
        String init = d.init() != null ? expr(d.init()) : recorded.reads(v) ? defaultValue(d.type()) : null;
        if (d.init() != null) saveSideEffects(d.init(), fwd, rev);
        if (d.init() instanceof Expr.CallHelper c && !plan.plain.contains(c.methodKey())) {
            fwd.declare(type, v, recorded.reads(v) ? defaultValue(d.type()) : null, Set.of());
            callAssignment(new Expr.Local(d.ref(), d.type(), v), c, fwd, rev);
            return;
        }
        fwd.declare(type, v, init, d.init() == null ? Set.of() : readsOf(List.of(d.init())));
    }

    /** {@code target = value;}, a statement of the code model when the target is a variable; {@code read}: what value reads. */
    @Override
    public void assign(Code c, Expr target, String targetCode, String value, List<Expr> read) {
        if (target instanceof Expr.Local) {
            c.assign(targetCode, value, readsOf(read));
        } else {
            c.line(targetCode + " = " + value + ";");
        }
    }

    /** The variables, and adjoint arrays, that code evaluating {@code expressions} may read. */
    @Override
    public Set<String> readsOf(List<Expr> expressions) {
        Set<String> out = new HashSet<>();
        for (Expr e : expressions) {
            Exprs.forEach(e, x -> {
                if (!(x instanceof Expr.Local l)) return;
                out.add(l.name());
                if (l.type().isArray() && activeVar(l.name())) out.add(bar(l.name()));
            });
        }
        return out;
    }

    private void expressionStatement(Expr e, Code fwd, Code rev) {
        if (e instanceof Expr.Assign a && a.op() == null && a.target().type().isArray()) {
            arrayAssignment(a.target(), a.value(), fwd, rev);
        } else if (e instanceof Expr.Assign a && a.op() == null && a.value() instanceof Expr.CallHelper c
                && !plan.plain.contains(c.methodKey())) {
            callAssignment(a.target(), c, fwd, rev);
        } else if (e instanceof Expr.Assign a && a.op() == null && active(a.target())) {
            scalarAssignment(a.target(), a.value(), fwd, rev);
        } else if (e instanceof Expr.CallHelper c && !plan.plain.contains(c.methodKey())) {
            callAssignment(null, c, fwd, rev);
        } else {
            passiveStatement(e, fwd, rev);
        }
    }

    private boolean activeArrayTarget(Expr target) {
        if (target instanceof Expr.Local l) return activeVar(l.name());
        return activeArray(target);
    }

    /** Saves what assignments and increments nested in a passive expression overwrite. */
    private void saveSideEffects(Expr e, Code fwd, Code rev) {
        List<Expr> targets = new ArrayList<>();
        Exprs.forEach(e, x -> {
            if (x instanceof Expr.Assign a) targets.add(a.target());
            if (x instanceof Expr.IncDec i) targets.add(i.target());
        });
        List<Code> restores = new ArrayList<>();
        for (Expr target : targets) {
            Code r = new Code();
            save(target, fwd, r);
            restores.add(r);
        }
        for (int i = restores.size() - 1; i >= 0; i--) rev.append(restores.get(i));
    }

    /** Pushes a passive variable or element a statement overwrites; the restore goes to {@code rev} (reversed). */
    private void save(Expr target, Code fwd, Code rev) {
        if (target instanceof Expr.Local l && saves(l.name())) {
            saveVariable(fwd, rev, l.name());
        } else if (target instanceof Expr.ArrayAccess acc && !Exprs.hasIndexWithSideEffects(target) && savesElement(acc)) {
            fwd.line(pushPassive(target.type(), expr(target)));
            rev.line(reverseExpr(target) + " = " + popPassive(target.type()) + ";");
        }
    }

    /** A passive statement: the forward sweep runs it; the reverse sweep restores what it overwrote. */
    private void passiveStatement(Expr e, Code fwd, Code rev) {
        Expr top = e instanceof Expr.Assign a ? a.target() : e instanceof Expr.IncDec i ? i.target() : null;
        Expr valuePart = e instanceof Expr.Assign a ? a.value() : e instanceof Expr.IncDec ? null : e;
        Code side = new Code();
        if (valuePart != null) saveSideEffects(valuePart, fwd, side);
        Expr target = top;
        if (target instanceof Expr.Local l && saves(l.name())) {
            saveVariable(fwd, rev, l.name());
        } else if (target instanceof Expr.ArrayAccess acc && savesElement(acc)) {
            if (Exprs.hasIndexWithSideEffects(target)) {
                throw new IllegalStateException("element with side-effect index saved: " + e);
            }
            String code = expr(target);
            fwd.line(pushPassive(target.type(), code));
            rev.line(reverseExpr(target) + " = " + popPassive(target.type()) + ";");
        }
        fwd.line(statementCode(e) + ";");
        rev.append(side);
    }

    // ---------------------------------------------------------------- control flow

    private void ifStatement(Stmt.If i, Code fwd, Code rev) {
        Code then = new Code();
        Code thenRev = new Code();
        block(flat(i.then()), then, thenRev);
        Code other = new Code();
        Code otherRev = new Code();
        block(flat(i.otherwise()), other, otherRev);
        boolean replay = reversible && !(thenRev.isEmpty() && otherRev.isEmpty());
        if (replay) {
            then.line(ws + ".pushBranch(true);");
            other.line(ws + ".pushBranch(false);");
        }
        fwd.open("if (" + expr(i.condition()) + ")").append(then);
        if (!other.isEmpty()) fwd.next("else").append(other);
        fwd.close();
        if (!replay) return;
        rev.open("if (" + ws + ".popBranch())").append(thenRev);
        if (!otherRev.isEmpty()) rev.next("else").append(otherRev);
        rev.close();
    }

    private void forLoop(Stmt.For f, Code fwd, Code rev) {
        Shapes.CanonicalLoop c = shapes.canonical(f);
        Code body = new Code();
        Code bodyRev = new Code();
        block(flat(f.body()), body, bodyRev);
        if (c != null) {
            Stmt.LocalDecl d = (Stmt.LocalDecl) f.init().get(0);
            ElementwiseLoops.Loop elementwise = emit.chunksElementwiseLoops() && !reversible
                    ? ElementwiseLoops.qualify(f, c, facts, ops) : null;
            if (elementwise != null) {
                Code uncheckedBody = new Code();
                unchecked = true;
                block(flat(f.body()), uncheckedBody, new Code());
                unchecked = false;
                ElementwiseLoops.write(elementwise, expr(d.init()), expr(((Expr.Binary) f.condition()).right()), body,
                        uncheckedBody, this::fresh, ws, fwd);
                return;
            }
            String header = "for (int " + c.variable() + " = " + expr(d.init()) + "; " + expr(f.condition()) + "; "
                    + updateCode(f.update().get(0)) + ")";
            fwd.open(header).append(body).close();
            if (!reversible || bodyRev.isEmpty()) return;
            JavaExpr from = reverseJava(d.init());
            JavaExpr to = reverseJava(((Expr.Binary) f.condition()).right());
            JavaExpr i = JavaExpr.name(c.variable());
            JavaExpr one = JavaExpr.name("1");
            String reverse;
            if (c.up()) {
                JavaExpr last = c.comparison() == BinaryOp.LT ? JavaExpr.binary(to, "-", one) : to;
                reverse = "for (int " + i.text() + " = " + last.text() + "; " + JavaExpr.binary(i, ">=", from).text()
                        + "; " + i.text() + "--)";
            } else {
                JavaExpr last = c.comparison() == BinaryOp.GT ? JavaExpr.binary(to, "+", one) : to;
                reverse = "for (int " + i.text() + " = " + last.text() + "; " + JavaExpr.binary(i, "<=", from).text()
                        + "; " + i.text() + "++)";
            }
            rev.open(reverse).append(bodyRev).close();
            return;
        }
        // a for loop the normalizer kept whole but that is not canonical: count its trips
        Code init = new Code();
        Code initRev = new Code();
        block(f.init(), init, initRev);
        Code update = new Code();
        Code updateRev = new Code();
        block(f.update(), update, updateRev);
        fwd.append(init);
        body.append(update);
        Code all = new Code().append(updateRev).append(bodyRev);
        countedLoop("while (" + (f.condition() == null ? "true" : expr(f.condition())) + ")", null, body, all, fwd, rev);
        rev.append(initRev);
    }

    private String updateCode(Stmt s) { return statementCode(((Stmt.ExprStmt) s).expr()); }

    /** A loop the reverse sweep replays by its pushed trip count. */
    private void countedLoop(String header, String tail, Code body, Code bodyRev, Code fwd, Code rev) {
        if (!reversible || bodyRev.isEmpty()) {
            fwd.open(header).append(body);
            if (tail == null) fwd.close(); else fwd.close(tail);
            return;
        }
        String trips = fresh("trips");
        fwd.line("int " + trips + " = 0;");
        fwd.open(header).append(body).line(trips + "++;");
        if (tail == null) fwd.close(); else fwd.close(tail);
        fwd.line(ws + ".pushInt(" + trips + ");");
        rev.open("for (int " + trips + " = " + ws + ".popInt(); " + trips + " > 0; " + trips + "--)")
                .append(bodyRev).close();
    }

    // ---------------------------------------------------------------- return

    private boolean activeScalarReturn() {
        return !method.returnType().isArray() && method.returnType().canBeActive() && facts.returnsActive(method);
    }

    private boolean activeArrayReturn() {
        return method.returnType().isArray() && method.returnType().canBeActive() && facts.returnsActive(method);
    }

    private void returnStatement(Stmt.Return r, Code fwd, Code revStart) {
        if (r.value() == null) return;
        Expr v = r.value();
        if (activeScalarReturn()) {
            emit.returnScalar(v, fwd, revStart);
            return;
        }
        if (activeArrayReturn() && reversible) {
            String bar = v instanceof Expr.Local l ? bar(l.name()) : arrayBar(v);
            String register = v.type().dims() == 1 ? "resultAdjoint" : "resultAdjoint2";
            fwd.line(ws + "." + register + " = " + bar + ";");
        }
        fwd.line("return " + expr(v) + ";");
    }

    // ---------------------------------------------------------------- names

    /** The adjoint of variable {@code v}: a local of the reverse sweep, or the adjoint array. */
    @Override
    public String bar(String v) {
        return bars.computeIfAbsent(v, x -> {
            String name = facts.unused(x + "Bar");
            facts.types.put(name, IrType.VOID);
            generated.add(name);
            return name;
        });
    }


    // ---------------------------------------------------------------- operands

    /** The operation tree of an active value; the rows it applies are noted for the class comment. */
    Opnd build(Expr e) {
        Opnd root = ops.build(e);
        Operations.forEachNode(root, n -> plan.used.add(n.p));
        return root;
    }

    private static String letter(int i) { return Operations.letter(i); }

    // ---------------------------------------------------------------- scalar assignments

    private void scalarAssignment(Expr target, Expr value, Code fwd, Code rev) {
        Opnd root = build(value);
        markKeep(root, false);
        List<String> pops = new ArrayList<>();
        if (root instanceof Node n) {
            // the temporaries of the value read what the value reads (declarations may move past them)
            Code temporaries = new Code();
            for (Opnd a : n.args) forward(a, temporaries, pops);
            emit.appendTemporaries(fwd, temporaries, value);
        }
        String targetCode = valueRef(target);
        boolean saveTarget = target instanceof Expr.Local l ? saves(l.name())
                : target instanceof Expr.ArrayAccess acc && savesElement(acc);
        boolean accumulate = root instanceof Node n && Operations.accumulates(n, target);
        // a rule that reads the result reads it from the target, which keeps it until the reverse sweep
        boolean resultInTarget = root instanceof Node n && n.keep && !saveTarget && !accumulate;
        if (resultInTarget) ((Node) root).keep = false;
        if (saveTarget) {
            fwd.line(emit.push(targetCode));
            pops.add(inReverse(() -> emit.pop(valueRef(target))));
        }
        if (root instanceof Node n) {
            emit.root(n, target, value, targetCode, accumulate, fwd, pops);
        } else {
            Leaf leaf = (Leaf) root;
            emit.copy(leaf, target, targetCode, value, fwd, pops);
        }
        if (!reversible) return;
        // reverse: pop what the forward sweep pushed, restore the target, then the adjoint rules
        Code r = new Code();
        writingInReverse(() -> scalarAdjoint(target, root, pops, accumulate, resultInTarget, r));
        rev.append(r);
    }

    /** The reverse of {@code target = root}: the pops in {@code pops}, the target's restore, the adjoint rules. */
    private void scalarAdjoint(Expr target, Opnd root, List<String> pops, boolean accumulate, boolean resultInTarget,
            Code r) {
        for (int i = pops.size() - 1; i >= 0; i--) r.line(pops.get(i));
        String targetBar = barRef(target);
        // the first write of a variable, outside loops, consumes its adjoint: nothing reads it after
        boolean consumes = target instanceof Expr.Local l && shapes.isFirstWriteOutsideLoops(l.name(), current);
        if (root instanceof Leaf leaf) {
            if (leaf.active && !sameVariable(leaf.e, target)) {
                r.line(emit.addAdjoint(targetBar, barRef(leaf.e)));
                if (!consumes) r.line(emit.zeroAdjoint(targetBar));
            } else if (!sameVariable(leaf.e, target) && !consumes) {
                r.line(emit.zeroAdjoint(targetBar));
            }
        } else {
            Node n = (Node) root;
            String gy;
            if (accumulate || consumes) {
                gy = targetBar;
            } else {
                gy = emit.takeAdjoint(targetBar, n.name, r);
            }
            // an element's adjoint may be another array's (aliases): the operations' adjoints are copies of it
            adjoint(n, gy, !(target instanceof Expr.ArrayAccess), accumulate, resultInTarget ? target : null, r);
        }
    }

    private boolean sameVariable(Expr a, Expr b) {
        return a instanceof Expr.Local x && b instanceof Expr.Local y && x.name().equals(y.name());
    }

    /** Marks the operations whose results an adjoint rule reads (they are pushed). */
    private void markKeep(Opnd o, boolean readByParent) {
        if (!(o instanceof Node n)) return;
        n.keep = readByParent || emit.ruleReads(n.p, "y");
        n.name = fresh("t");
        for (int i = 0; i < n.args.size(); i++) markKeep(n.args.get(i), emit.ruleReads(n.p, letter(i)));
    }

    /** The forward code of an operand that is not the root: operations into temporaries. */
    private void forward(Opnd o, Code fwd, List<String> pops) {
        if (!(o instanceof Node n)) return;
        for (Opnd a : n.args) forward(a, fwd, pops);
        emit.temporary(n, fwd, pops);
    }

    /** The immediate k of {@code n}; pushed when a rule reads it and it cannot be evaluated again. */
    @Override
    public String immediate(Node n, Code fwd, List<String> pops) {
        String code = immediateCode(n);
        if (!pure(n.imm) && reversible && emit.ruleReads(n.p, "k")) {
            String name = fresh("k");
            fwd.line("final double " + name + " = " + ws + ".push(" + code + ");");
            pops.add("final double " + name + " = " + ws + ".pop();");
            n.immName = name;
            return name;
        }
        return code;
    }

    /** The code of the immediate k of {@code n}, negated if {@code n} subtracts it. */
    private String immediateCode(Node n) {
        JavaExpr k = exprs.realJava(n.imm);
        return (n.negate ? JavaExpr.prefix("-", k) : k).text();
    }

    /**
     * The adjoint rules of {@code n} and its operands, top down, with its adjoint {@code gy}.
     * {@code stable}: whether {@code gy} stays as it is while the rules add into the operands'
     * adjoints (a variable's adjoint, a temporary's), so that an operation whose adjoint is a copy
     * of it may use it directly; {@code resultIn}: the target that holds {@code n}'s result, or
     * null for its temporary.
     */
    private void adjoint(Node n, String gy, boolean stable, boolean accumulate, Expr resultIn, Code r) {
        Bindings v = new Bindings();
        for (int i = 0; i < n.args.size(); i++) {
            if (!emit.ruleReads(n.p, letter(i))) continue;
            Opnd a = n.args.get(i);
            v.put(letter(i), emit.ruleOperand(a));
        }
        if (n.p.hasImmediate && emit.ruleReads(n.p, "k")) {
            v.put("k", n.immName != null ? n.immName : immediateCode(n));
        }
        if (n.aux != null) v.put("x", n.aux);
        v.put("gy", gy);
        emit.bindAdjointRule(n, v, resultIn, r);
        List<Node> children = new ArrayList<>();
        List<String> childBars = new ArrayList<>();
        List<Boolean> childStable = new ArrayList<>();
        List<RuleStatement.Line> rules = new ArrayList<>();
        for (int i = 0; i < n.args.size(); i++) {
            if (accumulate && i == 0) continue;
            Opnd a = n.args.get(i);
            boolean activeOperand = a instanceof Node || ((Leaf) a).active;
            if (!activeOperand) continue;
            if (a instanceof Node child) {
                // an operation's result has this one contribution: it is assigned, not added to a cleared adjoint
                String g = emit.operationAdjoint(n.p, i, v, gy, stable, child.name, rules, r);
                children.add(child);
                childBars.add(g);
                childStable.add(stable || !g.equals(gy));
            } else {
                rules.addAll(emit.operandAdjoint(n.p, i, v, barRef(((Leaf) a).e)));
            }
        }
        guarded(rules, r);
        for (int i = 0; i < children.size(); i++) {
            adjoint(children.get(i), childBars.get(i), childStable.get(i), false, null, r);
        }
    }

    /**
     * Writes rule statements; a rule guarded {@code if (c) s} followed by one guarded
     * {@code if (!(c)) t} (the two operands of max and min) becomes one if/else.
     */
    private static void guarded(List<RuleStatement.Line> rules, Code r) {
        for (int i = 0; i < rules.size(); i++) {
            RuleStatement.Line rule = rules.get(i);
            if (i + 1 < rules.size() && rule.elseOf(rules.get(i + 1))) {
                r.open("if (" + rule.condition() + ")").line(rule.statement()).next("else")
                        .line(rules.get(i + 1).statement()).close();
                i++;
            } else {
                r.line(rule.text());
            }
        }
    }

    // ---------------------------------------------------------------- calls

    /** Index among a callee's active scalar parameters, or -1. */
    static int scalarArgumentIndex(Plan plan, MethodIr callee, int param) {
        Facts cf = plan.facts.get(callee.key());
        int n = 0;
        for (int i = 0; i < callee.params().size(); i++) {
            boolean activeScalar = !callee.params().get(i).type().isArray() && cf.paramActive(callee, i);
            if (i == param) return activeScalar ? n : -1;
            if (activeScalar) n++;
        }
        return -1;
    }

    /** {@code target = f(args)} or {@code f(args);} for a helper with adjoint code. */
    private void callAssignment(Expr target, Expr.CallHelper c, Code fwd, Code rev) {
        MethodIr callee = plan.circuit.method(c.methodKey());
        List<String> pops = new ArrayList<>();
        String args = arguments(callee, c.args(), fwd, pops);
        String name = forwardName(callee);
        boolean activeResult = target != null && active(target) && !callee.returnType().isArray();
        boolean saveTarget = target instanceof Expr.Local l ? saves(l.name())
                : target instanceof Expr.ArrayAccess acc && savesElement(acc);
        // a passive result (a helper's boolean, int or passive double) is a plain Java variable or
        // element in both codes: it never names a jet slot
        String targetCode = target == null ? null : activeResult ? valueRef(target) : expr(target);
        String push = !saveTarget ? null : activeResult
                ? emit.push(targetCode)
                : pushPassive(target.type(), targetCode);
        // a[i] = h(a): h's reverse reads a as h saw it, so the element is saved after the call (its
        // result held aside) and restored before h's reverse runs
        boolean saveAfterCall = saveTarget && target instanceof Expr.ArrayAccess && takesArray(callee)
                && (activeResult || !active(target));
        String call = "this." + name + "(" + ws + args;
        if (saveAfterCall) {
            if (activeResult) {
                emit.callHoldingResult(call, push, targetCode, fwd);
            } else {
                callHoldingResult(target.type().javaName(), call, push, targetCode, fwd);
            }
        } else if (saveTarget) {
            fwd.line(push);
        }
        if (saveAfterCall) {
            // the call is written above
        } else if (target == null) {
            fwd.line(call + (activeCallee(callee) ? emit.discardedResult() : "") + ");");
        } else if (activeResult) {
            emit.callInto(call, target, targetCode, c.args(), fwd);
        } else if (!active(target) && activeCallee(callee)) {
            assign(fwd, target, targetCode, emit.activeResultAsPassive(call + ")"), c.args());
        } else {
            assign(fwd, target, targetCode, call + ")", c.args());
        }
        if (!reversible) return;
        Code r = new Code();
        writingInReverse(() -> callAdjoint(target, c, callee, pops, activeResult, saveTarget, saveAfterCall, r));
        rev.append(r);
    }

    /** The reverse of {@code target = c} (or of {@code c;}): the callee's reverse sweep, the pops in {@code pops}, the target's restore. */
    private void callAdjoint(Expr target, Expr.CallHelper c, MethodIr callee, List<String> pops, boolean activeResult,
            boolean saveTarget, boolean saveAfterCall, Code r) {
        if (saveAfterCall) restoreTarget(r, target, activeResult);
        if (plan.reversible.contains(callee.key())) {
            String reverse = reverseName(callee);
            String given = givenArguments(callee, c.args());
            if (activeResult && target instanceof Expr.ArrayAccess && takesArray(callee)) {
                // the callee's reverse adds into its array arguments' adjoints, which may hold this
                // very element (a[i] = h(a)): the element's adjoint is taken out before it runs
                String seed = emit.takeSeed(barRef(target), r);
                r.line("this." + reverse + "(" + ws + ", " + seed + given + ");");
            } else if (activeResult) {
                String g = barRef(target);
                r.line("this." + reverse + "(" + ws + ", " + g + given + ");");
                // the first write of a variable, outside loops, consumes its adjoint: nothing reads it after
                boolean consumes = target instanceof Expr.Local l && shapes.isFirstWriteOutsideLoops(l.name(), current);
                if (!consumes) r.line(emit.zeroAdjoint(g));
            } else if (activeCallee(callee)) {
                String seed = emit.zeroSeed(r);
                r.line("this." + reverse + "(" + ws + ", " + seed + given + ");");
            } else {
                r.line("this." + reverse + "(" + ws + given + ");");
            }
            addArgumentAdjoints(r, callee, c.args());
        }
        for (int i = pops.size() - 1; i >= 0; i--) r.line(pops.get(i));
        if (saveTarget && !saveAfterCall) restoreTarget(r, target, activeResult);
    }

    /**
     * The arrays the reverse sweep of {@code callee} is given ({@link Plan#givenArrays}): the
     * {@code @Param} fields this call passes, and their adjoint arrays, each as the callee's
     * reverse sweep names it.
     */
    private String givenArguments(MethodIr callee, List<Expr> args) {
        StringBuilder sb = new StringBuilder();
        Recording.Reads calleeReads = recording.of(callee.key());
        for (int i = 0; i < callee.params().size(); i++) {
            String name = callee.params().get(i).name();
            if (!plan.isGiven(callee.key(), name)) continue;
            if (calleeReads.framesArray(name, true)) sb.append(", ").append(arrayRef(args.get(i)));
            if (calleeReads.framesArray(name, false)) sb.append(", ").append(arrayBar(args.get(i)));
        }
        return sb.toString();
    }

    /**
     * {@code final type held = call); push; target = held;}: a call whose result is held aside while
     * {@code push} saves the target it then overwrites ({@code call} lacks its closing parenthesis).
     */
    @Override
    public void callHoldingResult(String type, String call, String push, String targetCode, Code fwd) {
        String held = fresh("result");
        fwd.line("final " + type + " " + held + " = " + call + ");");
        fwd.line(push);
        fwd.line(targetCode + " = " + held + ";");
    }

    private void restoreTarget(Code r, Expr target, boolean activeResult) {
        String t = activeResult ? valueRef(target) : expr(target);
        r.line(activeResult ? emit.pop(t) : t + " = " + popPassive(target.type()) + ";");
    }

    /**
     * After a helper's reverse sweep: adds the adjoints it left for its active scalar arguments
     * (the workspace's argument-adjoint registers) into the adjoints of the caller's expressions.
     */
    private void addArgumentAdjoints(Code r, MethodIr callee, List<Expr> args) {
        for (int i = 0; i < args.size(); i++) {
            int k = scalarArgumentIndex(plan, callee, i);
            Expr a = args.get(i);
            if (k < 0 || !active(a)) continue;
            r.line(emit.addArgumentAdjoint(k, barRef(a)));
        }
    }

    private static boolean takesArray(MethodIr callee) {
        return callee.params().stream().anyMatch(p -> p.type().isArray());
    }

    private boolean activeCallee(MethodIr callee) {
        return !callee.returnType().isArray() && callee.returnType().canBeActive() && facts.returnsActive(callee);
    }

    /**
     * The method a call of {@code m} from this writing calls: plain Java; else, from a writing that
     * records (it has a reverse sweep), {@code m}'s forward sweep; from one that does not, {@code m}'s
     * value-only writing, which records nothing that no reverse sweep would pop.
     */
    String forwardName(MethodIr m) {
        if (plan.plain.contains(m.key())) return base(m);
        if (!reversible) return base(m);
        return base(m) + "Forward";
    }

    /** Whether this is the value-only writing of a method that also has a forward and a reverse sweep. */
    private boolean valueOnly() { return !reversible && plan.reversible.contains(method.key()); }

    /** The name of this writing's forward method. */
    private String ownName() {
        return valueOnly() || plan.plain.contains(method.key()) ? base(method) : base(method) + "Forward";
    }

    static String reverseName(MethodIr m) { return base(m) + "Reverse"; }

    static String base(MethodIr m) {
        String e = m.emittedName();
        return e.startsWith("$") ? e.substring(1) : e;
    }

    /** The arguments of a forward call, each with a leading ", ". */
    private String arguments(MethodIr callee, List<Expr> args, Code fwd, List<String> pops) {
        StringBuilder sb = new StringBuilder();
        Facts cf = plan.facts.get(callee.key());
        for (int i = 0; i < args.size(); i++) {
            Expr a = args.get(i);
            MethodIr.ParamIr p = callee.params().get(i);
            boolean activeParam = cf.paramActive(callee, i);
            if (p.type().isArray() && activeParam && !plan.plain.contains(callee.key())) {
                sb.append(", ").append(arrayValue(a, fwd));
                if (reversible) sb.append(", ").append(arrayBarFor(a, fwd));
            } else if (!p.type().isArray() && activeParam && !plan.plain.contains(callee.key())) {
                sb.append(", ").append(emit.scalarArgument(new Leaf(a, active(a)), fwd, pops));
            } else {
                sb.append(", ").append(expr(a));
            }
        }
        return sb.toString();
    }

    private final Map<Expr, String> converted = new IdentityHashMap<>();

    /** An array argument's value; a passive array for an active parameter is converted (jets) once. */
    private String arrayValue(Expr a, Code fwd) {
        if (activeArray(a)) return arrayRef(a);
        return emit.passiveArgument(a, fwd);
    }

    /**
     * The passive array {@code a} converted once into a local active array of constants, which
     * later references to {@code a} name instead (jets).
     */
    @Override
    public String convertedConstants(Expr a, Code fwd) {
        String t = fresh("constants");
        String type = Names.typeName(a.type().javaName()).toString();
        fwd.line("final " + type + " " + t + " = " + emit.constants(expr(a)) + ";");
        converted.put(a, t);
        return t;
    }

    private String arrayBarFor(Expr a, Code fwd) {
        if (activeArray(a)) return arrayBar(a);
        String value = converted.getOrDefault(a, expr(a));
        return ws + ".zerosLike(" + value + ")";
    }

    // ---------------------------------------------------------------- array assignments

    private void arrayAssignment(Expr target, Expr value, Code fwd, Code rev) {
        boolean activeTarget = activeArrayTarget(target);
        String t = target instanceof Expr.Local l ? l.name() : arrayRef(target);
        boolean save = target instanceof Expr.Local l ? saves(l.name())
                : target instanceof Expr.ArrayAccess acc && savesElement(acc);
        // a variable saves only the parts its reverse sweep names; a row both
        String variable = target instanceof Expr.Local l ? l.name() : null;
        boolean saveValue = save && (variable == null || recorded.framesArray(variable, true));
        boolean saveAdjoint = save && activeTarget && (variable == null || recorded.framesArray(variable, false));
        String guard = save && variable != null ? firstTripGuard(variable) : null;
        Code push = new Code();
        if (saveValue) push.line(ws + ".pushRef(" + t + ");");
        if (saveAdjoint) push.line(ws + ".pushRef(" + arrayBar(target) + ");");
        fwd.guarded(guard, push);
        Code r = new Code();
        if (value instanceof Expr.CallHelper c && !plan.plain.contains(c.methodKey())) {
            MethodIr callee = plan.circuit.method(c.methodKey());
            List<String> pops = new ArrayList<>();
            String args = arguments(callee, c.args(), fwd, pops);
            assign(fwd, target, t, "this." + forwardName(callee) + "(" + ws + args + ")", c.args());
            if (activeTarget && reversible) {
                String register = target.type().dims() == 1 ? "resultAdjoint" : "resultAdjoint2";
                assign(fwd, target, arrayBar(target), ws + "." + register, List.of());
            }
            if (reversible) {
                writingInReverse(() -> {
                    if (plan.reversible.contains(callee.key())) {
                        r.line("this." + reverseName(callee) + "(" + ws + givenArguments(callee, c.args()) + ");");
                        addArgumentAdjoints(r, callee, c.args());
                    }
                    for (int i = pops.size() - 1; i >= 0; i--) r.line(pops.get(i));
                });
            }
        } else if (value instanceof Expr.NewArray n && activeTarget) {
            String alloc = allocation(n);
            assign(fwd, target, t, alloc, n.dims());
            if (reversible) assign(fwd, target, arrayBar(target), alloc, n.dims());
        } else if (activeTarget && activeArray(value)) {
            fwd.line(t + " = " + arrayRef(value) + ";");
            if (reversible) fwd.line(arrayBar(target) + " = " + arrayBar(value) + ";");
        } else if (activeTarget) {
            // a passive array where an active one is expected: constants, and an adjoint nobody reads
            fwd.line(t + " = " + emit.constants(expr(value)) + ";");
            if (reversible) fwd.line(arrayBar(target) + " = " + ws + ".zerosLike(" + t + ");");
        } else {
            fwd.line(t + " = " + expr(value) + ";");
        }
        if (save && reversible) {
            String type = Names.typeName(target.type().javaName()).toString();
            writingInReverse(() -> {
                Code pop = new Code();
                if (saveAdjoint) pop.line(arrayBar(target) + " = (" + type + ") " + ws + ".popRef();");
                if (saveValue) pop.line(arrayRef(target) + " = (" + type + ") " + ws + ".popRef();");
                r.guarded(guard, pop);
            });
        }
        rev.append(r);
    }

    private String allocation(Expr.NewArray n) {
        List<String> dims = new ArrayList<>();
        for (Expr d : n.dims()) dims.add(expr(d));
        String kind = emit.arrays();
        if (n.type().dims() == 1) return ws + "." + kind + "(" + dims.get(0) + ")";
        if (dims.size() == 1) return ws + ".rows(" + dims.get(0) + ")";
        return ws + "." + kind + "(" + dims.get(0) + ", " + dims.get(1) + ")";
    }

    // ---------------------------------------------------------------- expressions (ExprWriter)

    @Override
    public String valueRef(Expr e) { return exprs.valueRef(e); }

    private String barRef(Expr e) { return exprs.barRef(e); }

    private String arrayRef(Expr e) { return exprs.arrayRef(e); }

    private String arrayBar(Expr e) { return exprs.arrayBar(e); }

    @Override
    public String expr(Expr e) { return exprs.expr(e); }

    @Override
    public JavaExpr java(Expr e) { return exprs.java(e); }

    @Override
    public String real(Expr e) { return exprs.real(e); }

    @Override
    public JavaExpr passiveBinary(Expr.Binary b) { return exprs.passiveBinary(b); }

    @Override
    public JavaExpr realPart(Expr e) { return exprs.realPart(e); }

    private String statementCode(Expr e) { return exprs.statementCode(e); }

    /** {@link #expr} as the reverse sweep evaluates it again (comparisons not shown to the monitor). */
    private String reverseExpr(Expr e) { return reverseJava(e).text(); }

    private JavaExpr reverseJava(Expr e) { return inReverse(() -> java(e)); }

    // ---------------------------------------------------------------- methods

    String methodKey() { return method.key(); }

    /** The number of jets in this writing's frame (none on doubles). */
    int frameSize() { return emit.frameSize(); }

    /** Places this writing's frame at jet {@code base} of the workspace's {@code val}/{@code adj}. */
    void placeFrame(int base) { emit.placeFrame(base); }

    MethodSpec forwardMethod(Sweeps s, TypeName state) {
        MethodSpec.Builder b = MethodSpec.methodBuilder(ownName()).addModifiers(Modifier.PRIVATE)
                .addParameter(state, ws);
        Code prologue = new Code();
        for (int i = 0; i < method.params().size(); i++) {
            MethodIr.ParamIr p = method.params().get(i);
            boolean activeParam = facts.paramActive(method, i) && !plan.plain.contains(method.key());
            TypeName type = Names.typeName(p.type().javaName());
            if (activeParam && p.type().isArray()) {
                b.addParameter(type, p.name());
                // an array's adjoint comes along only where a reverse sweep adds into it
                if (reversible) b.addParameter(type, bar(p.name()));
            } else if (activeParam) {
                emit.activeScalarParameter(b, prologue, p.name(), type);
            } else {
                b.addParameter(type, p.name());
            }
        }
        TypeName declared = Names.typeName(method.returnType().javaName());
        if (activeScalarReturn()) emit.activeScalarResult(b, declared);
        else b.returns(declared);
        Code body = new Code().append(prologue).append(s.forward()).cleanedUp();
        if (valueOnly()) {
            b.addJavadoc("The value of {@code $L}, recording nothing: for code without a reverse sweep.\n", method.name());
        } else {
            b.addJavadoc("Forward sweep of {@code $L}$L.\n", method.name(),
                    reversible ? ": pushes what {@code " + reverseName(method) + "} reads" : "");
        }
        return b.addCode(infrastructure(false).block()).addCode(body.block()).build();
    }

    MethodSpec reverseMethod(Sweeps s, TypeName state) {
        MethodSpec.Builder b = MethodSpec.methodBuilder(reverseName(method)).addModifiers(Modifier.PRIVATE)
                .addParameter(state, ws);
        if (activeScalarReturn()) emit.resultAdjointParameter(b);
        for (MethodIr.ParamIr p : method.params()) {
            if (!plan.isGiven(method.key(), p.name())) continue;
            TypeName type = Names.typeName(p.type().javaName());
            if (recorded.framesArray(p.name(), true)) b.addParameter(type, p.name());
            if (recorded.framesArray(p.name(), false)) b.addParameter(type, bar(p.name()));
        }
        Code body = new Code().append(s.reverse());
        writingInReverse(() -> argumentAdjoints(body));
        Code prologue = new Code();
        emit.declareScalarAdjoints(prologue);
        Code all = new Code().append(prologue).append(body);
        b.addJavadoc("Reverse sweep of {@code $L}: adds its adjoints, popping what {@code $L} pushed.\n",
                method.name(), ownName());
        return b.addCode(infrastructure(true).block()).addCode(all.block()).build();
    }

    /** The reverse sweep's last lines: the adjoints of the active scalar parameters, to the caller. */
    private void argumentAdjoints(Code body) {
        int k = 0;
        for (int i = 0; i < method.params().size(); i++) {
            MethodIr.ParamIr p = method.params().get(i);
            if (p.type().isArray() || !facts.paramActive(method, i)) continue;
            emit.argumentAdjoint(body, p.name(), k);
            k++;
        }
    }

    /**
     * Declarations of the workspace's locals and the frame offsets that the forward or the reverse
     * sweep names (registered while its code was written, {@link #named}), and the reverse sweep's
     * clearing of the frame's adjoints.
     */
    private Code infrastructure(boolean reverse) {
        return emit.workspaceLocals(reverse ? reverseNames : forwardNames, reverse);
    }
}
