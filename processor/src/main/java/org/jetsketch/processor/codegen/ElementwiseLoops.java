package org.jetsketch.processor.codegen;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jetsketch.processor.codegen.Operations.Leaf;
import org.jetsketch.processor.codegen.Operations.Node;
import org.jetsketch.processor.codegen.Operations.Opnd;
import org.jetsketch.processor.ir.Expr;
import org.jetsketch.processor.ir.Expr.BinaryOp;
import org.jetsketch.processor.ir.IrType;
import org.jetsketch.processor.ir.Stmt;

/**
 * Finds the checked elementwise loops of ordinary code that may run in chunks with the unchecked
 * forms of their checked operations ({@link org.jetsketch.processor.primitives.Primitive#poisonedForward}),
 * and writes them so. A checked function ({@code RealMath.div}, {@code sqrt}, …) branches on its
 * domain for every element, which keeps the JIT from vectorising the loop; the unchecked form has no
 * branch and turns a domain violation into a result that is not finite. The chunked loop runs each
 * chunk unchecked, checks that the slice its body writes last is all finite, and otherwise restores
 * the chunk's written slices and runs it again checked: the same values bit for bit, the same
 * exception at the same element, the same arrays when it throws (the argument is in
 * {@code docs/design.md}, "Checked elementwise loops").
 *
 * <p>A loop qualifies when (all decided on the normalised IR, before any code is written):
 * <ul>
 *   <li>it is written without a reverse sweep on doubles (nothing is recorded), and is
 *       {@code for (int i = A; i < B; i++)} with bounds made of literals, int variables, lengths
 *       of array variables and +, −, × ({@code B} is then evaluated once);
 *   <li>its body is straight-line: declarations of scalars and assignments to them or to
 *       {@code a[i]} of a one-dimensional double array variable {@code a}; every array it reads is
 *       a one-dimensional array variable indexed by exactly {@code i}; no scalar declared outside
 *       the body is assigned in it;
 *   <li>nothing in the body can throw once its arrays cover the chunk: no call other than
 *       {@code Math} functions and primitive-table operations, no integer division or remainder,
 *       no conditional, comparison, field or helper;
 *   <li>every operation it applies has an unchecked form, and at least one is checked;
 *   <li>the result of every checked operation reaches the value of the body's last array store
 *       through operations that keep a non-finite operand non-finite ({@code Primitive#propagatesNonFinite},
 *       plain arithmetic) and body-local variables: a violation anywhere shows in that one slice,
 *       even when arrays alias (no later store can overwrite the element).
 * </ul>
 * Any other loop is written exactly as before.
 */
final class ElementwiseLoops {
    /** The runtime's helpers ({@code org.jetsketch.circuit.ElementwiseChunks}), as generated code names them. */
    static final String CHUNKS = Code.type(Names.ELEMENTWISE_CHUNKS);

    /**
     * A qualifying loop: its variable and bounds, the arrays it reads or writes (each is checked
     * to cover a chunk), those it writes (saved and restored), and the one it writes last
     * (checked for non-finite values).
     */
    record Loop(String variable, Expr from, Expr to, List<String> arrays, List<String> written, String verified) {}

    private ElementwiseLoops() {}

    /**
     * The loop {@code f} (canonical as {@code c}) as a chunked elementwise loop, or null when it
     * does not qualify. {@code facts} says what is active, {@code ops} builds the operation trees
     * the writer applies.
     */
    static Loop qualify(Stmt.For f, Shapes.CanonicalLoop c, Facts facts, Operations ops) {
        if (c == null || !c.up() || c.comparison() != BinaryOp.LT) return null;
        if (!(f.update().get(0) instanceof Stmt.ExprStmt u && u.expr() instanceof Expr.IncDec inc && inc.increment())) {
            return null;
        }
        Stmt.LocalDecl init = (Stmt.LocalDecl) f.init().get(0);
        Expr to = ((Expr.Binary) f.condition()).right();
        if (!bound(init.init()) || !bound(to)) return null;
        return new Analysis(c.variable(), facts, ops).run(flat(f.body()), init.init(), to);
    }

    private static List<Stmt> flat(Stmt s) {
        if (s instanceof Stmt.Block b) return b.statements();
        return List.of(s);
    }

    /** A loop bound evaluated once: it reads nothing the body could change and cannot throw but for a null array. */
    private static boolean bound(Expr e) {
        if (e instanceof Expr.Literal l) return l.value() instanceof Integer;
        if (e instanceof Expr.Local l) return l.type().equals(IrType.INT);
        if (e instanceof Expr.Length l) return l.array() instanceof Expr.Local a && a.type().dims() == 1;
        if (e instanceof Expr.Binary b) {
            return (b.op() == BinaryOp.ADD || b.op() == BinaryOp.SUB || b.op() == BinaryOp.MUL)
                    && bound(b.left()) && bound(b.right());
        }
        return false;
    }

    /** One pass over the body: what it touches, whether it is safe, where each checked result flows. */
    private static final class Analysis {
        private final String variable;
        private final Facts facts;
        private final Operations ops;
        private final Set<String> locals = new HashSet<>();
        /** Per body-local scalar: the checked operations whose non-finite result would reach it. */
        private final Map<String, Set<Integer>> reaching = new HashMap<>();
        private final Set<String> arrays = new LinkedHashSet<>();
        private final Set<String> written = new LinkedHashSet<>();
        private final Set<Integer> checked = new HashSet<>();
        private String lastStored;
        private Set<Integer> lastStoreReaches = Set.of();
        private boolean ok = true;

        Analysis(String variable, Facts facts, Operations ops) {
            this.variable = variable;
            this.facts = facts;
            this.ops = ops;
        }

        Loop run(List<Stmt> body, Expr from, Expr to) {
            for (Stmt s : body) {
                statement(s);
                if (!ok) return null;
            }
            if (checked.isEmpty() || lastStored == null || !lastStoreReaches.containsAll(checked)) return null;
            return new Loop(variable, from, to, List.copyOf(arrays), List.copyOf(written), lastStored);
        }

        private void statement(Stmt s) {
            if (s instanceof Stmt.LocalDecl d) {
                if (d.type().isArray() || !(d.type().base() == IrType.Base.DOUBLE || d.type().base() == IrType.Base.INT)) {
                    ok = false;
                    return;
                }
                locals.add(d.name());
                reaching.put(d.name(), d.init() == null ? Set.of() : value(d.init()));
            } else if (s instanceof Stmt.ExprStmt e && e.expr() instanceof Expr.Assign a) {
                assignment(a);
            } else {
                ok = false;
            }
        }

        private void assignment(Expr.Assign a) {
            if (a.op() != null && !(a.op().isArithmetic() && (a.op() != BinaryOp.DIV || a.type().base() == IrType.Base.DOUBLE))) {
                ok = false;
                return;
            }
            Set<Integer> reaches = new HashSet<>(value(a.value()));
            if (a.target() instanceof Expr.Local l && locals.contains(l.name())) {
                if (a.op() != null) reaches.addAll(reaching.getOrDefault(l.name(), Set.of()));
                reaching.put(l.name(), reaches);
            } else if (a.target() instanceof Expr.ArrayAccess acc && element(acc)
                    && acc.type().base() == IrType.Base.DOUBLE) {
                String array = ((Expr.Local) acc.array()).name();
                written.add(array);
                // an element's old value carries no checked result (element reads are not followed)
                lastStored = array;
                lastStoreReaches = reaches;
            } else {
                ok = false;
            }
        }

        /** Whether {@code a} is {@code arr[i]} of a one-dimensional array variable; notes the array. */
        private boolean element(Expr.ArrayAccess a) {
            if (!(a.array() instanceof Expr.Local arr) || arr.type().dims() != 1) return false;
            if (!(a.index() instanceof Expr.Local i) || !i.name().equals(variable)) return false;
            IrType.Base base = arr.type().base();
            if (base != IrType.Base.DOUBLE && base != IrType.Base.INT) return false;
            arrays.add(arr.name());
            return true;
        }

        /**
         * Checks that evaluating {@code e} cannot throw once the arrays cover the chunk, and
         * returns the checked operations whose non-finite result would reach its value.
         */
        private Set<Integer> value(Expr e) {
            if (!safe(e)) {
                ok = false;
                return Set.of();
            }
            if (!facts.isActive(e)) return Set.of();
            return reaches(ops.build(e));
        }

        private Set<Integer> reaches(Opnd o) {
            if (o instanceof Leaf leaf) {
                if (leaf.active && leaf.e instanceof Expr.Local l && locals.contains(l.name())) {
                    return reaching.getOrDefault(l.name(), Set.of());
                }
                return Set.of();
            }
            Node n = (Node) o;
            if (n.p.poisonedForward == null) {
                ok = false;
                return Set.of();
            }
            Set<Integer> out = new HashSet<>();
            for (Opnd a : n.args) {
                Set<Integer> r = reaches(a);
                if (n.p.propagatesNonFinite) out.addAll(r);
            }
            if (n.p.isChecked()) {
                int id = checked.size();
                checked.add(id);
                out.add(id);
            }
            return out;
        }

        /** Whether {@code e} is made only of what cannot throw once the arrays cover the chunk. */
        private boolean safe(Expr e) {
            if (e instanceof Expr.Literal) return true;
            if (e instanceof Expr.Local l) return !l.type().isArray();
            if (e instanceof Expr.ArrayAccess a) return element(a);
            if (e instanceof Expr.Unary u) {
                return (u.op() == Expr.UnaryOp.NEG || u.op() == Expr.UnaryOp.PLUS) && safe(u.operand());
            }
            if (e instanceof Expr.Binary b) {
                boolean arithmetic = b.op() == BinaryOp.ADD || b.op() == BinaryOp.SUB || b.op() == BinaryOp.MUL
                        || b.op() == BinaryOp.DIV && b.type().base() == IrType.Base.DOUBLE;
                return arithmetic && safe(b.left()) && safe(b.right());
            }
            if (e instanceof Expr.Cast c) return c.type().isNumeric() && !c.type().isArray() && safe(c.operand());
            if (e instanceof Expr.CallFunction f) {
                if (!facts.isActive(e) && !f.owner().equals("Math")) return false;
                for (Expr a : f.args()) if (!safe(a)) return false;
                return true;
            }
            return false;
        }
    }

    // ---------------------------------------------------------------- writing

    /**
     * Writes {@code loop} into {@code out}: {@code fromCode}, {@code toCode} its bounds,
     * {@code checkedBody} its body as always, {@code uncheckedBody} the same body with the checked
     * operations in their unchecked forms; {@code fresh} names generated locals, {@code ws} is the
     * workspace whose chunk buffers (one slot per written array) save a chunk's slices.
     */
    static void write(Loop loop, String fromCode, String toCode, Code checkedBody, Code uncheckedBody,
            Function<String, String> fresh, String ws, Code out) {
        String first = fresh.apply("first");
        String end = fresh.apply("end");
        String from = fresh.apply("from");
        String until = fresh.apply("until");
        String rerun = fresh.apply("rerun");
        List<String> saved = new ArrayList<>();
        for (String a : loop.written()) saved.add(fresh.apply(a + "Saved"));
        String i = loop.variable();
        out.line("// elementwise: each chunk runs unchecked, then checked again if its last written slice is not finite");
        out.line("final int " + first + " = " + fromCode + ";");
        out.line("final int " + end + " = " + toCode + ";");
        for (int k = 0; k < saved.size(); k++) out.line("final double[] " + saved.get(k) + " = " + ws + ".chunkBuffer(" + k + ");");
        List<String> covers = new ArrayList<>();
        for (String a : loop.arrays()) covers.add(CHUNKS + ".covers(" + a + ", " + from + ", " + until + ")");
        out.open("for (int " + from + " = " + first + ", " + until + "; " + from + " < " + end + "; " + from + " = "
                + until + ")");
        out.line(until + " = " + CHUNKS + ".until(" + from + ", " + end + ");");
        out.line("boolean " + rerun + " = true;");
        out.open("if (" + String.join(" && ", covers) + ")");
        for (int k = 0; k < saved.size(); k++) {
            out.line("System.arraycopy(" + loop.written().get(k) + ", " + from + ", " + saved.get(k) + ", 0, " + until
                    + " - " + from + ");");
        }
        out.open("for (int " + i + " = " + from + "; " + i + " < " + until + "; " + i + "++)").append(uncheckedBody).close();
        out.line(rerun + " = !" + CHUNKS + ".allFinite(" + loop.verified() + ", " + from + ", " + until + ");");
        out.open("if (" + rerun + ")");
        for (int k = 0; k < saved.size(); k++) {
            out.line("System.arraycopy(" + saved.get(k) + ", 0, " + loop.written().get(k) + ", " + from + ", " + until
                    + " - " + from + ");");
        }
        out.close();
        out.close();
        out.open("if (" + rerun + ")");
        out.open("for (int " + i + " = " + from + "; " + i + " < " + until + "; " + i + "++)").append(checkedBody).close();
        out.close();
        out.close();
    }
}
