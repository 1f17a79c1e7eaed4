package org.jetsketch.processor.codegen;

import com.squareup.javapoet.CodeBlock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jetsketch.processor.analysis.Activity;
import org.jetsketch.processor.analysis.Exprs;
import org.jetsketch.processor.ir.CircuitIr;
import org.jetsketch.processor.ir.Expr;
import org.jetsketch.processor.ir.Expr.BinaryOp;
import org.jetsketch.processor.ir.IrType;
import org.jetsketch.processor.ir.MethodIr;
import org.jetsketch.processor.ir.Primitive;
import org.jetsketch.processor.ir.SourceRef;
import org.jetsketch.processor.ir.Stmt;

/**
 * Writes one method body. Active values become tape slots and every operation on them a call of
 * the recording helper {@code Ops.<primitive>($t, ...)}; passive values stay plain Java. The same
 * text serves both tapes: the helpers are overloaded on the tape type.
 */
final class BodyWriter {
    private final CircuitIr circuit;
    private final Activity activity;
    private final MethodIr method;
    private final Set<Primitive> used;
    /** The circuit's branch sites: a decision on active values gets the index of its source here. */
    private final List<SourceRef> sites;
    private int temps;

    BodyWriter(CircuitIr circuit, Activity activity, MethodIr method, Set<Primitive> used, List<SourceRef> sites) {
        this.circuit = circuit;
        this.activity = activity;
        this.method = method;
        this.used = used;
        this.sites = sites;
    }

    /** The runtime class every decision on active values reports to (its hook: see {@link #decision}). */
    static final String MONITOR = "org.jetsketch.tape.BranchMonitor";

    /** Primitives that decide a branch by a real part: their helpers take the site id after the tape. */
    static final Set<Primitive> DECISIONS = EnumSet.of(Primitive.MAX, Primitive.MIN, Primitive.ABS, Primitive.RELU);

    /** A new branch site at {@code ref}; returns its id. */
    private int site(SourceRef ref) {
        sites.add(ref);
        return sites.size() - 1;
    }

    static Set<Primitive> newUsageSet() { return EnumSet.noneOf(Primitive.class); }

    CodeBlock body() {
        CodeBlock.Builder b = CodeBlock.builder();
        for (Stmt s : method.body().statements()) statement(b, s);
        return b.build();
    }

    private boolean active(Expr e) { return activity.isActive(method, e); }

    // ---------------------------------------------------------------- statements

    private void statement(CodeBlock.Builder b, Stmt s) {
        if (s instanceof Stmt.Block block) {
            b.add("{\n$>");
            for (Stmt x : block.statements()) statement(b, x);
            b.add("$<}\n");
        } else if (s instanceof Stmt.LocalDecl d) {
            b.addStatement("$L", declaration(d));
        } else if (s instanceof Stmt.ExprStmt e) {
            expressionStatement(b, e.expr());
        } else if (s instanceof Stmt.If i) {
            b.beginControlFlow("if ($L)", condition(i.condition()));
            bodyOf(b, i.then());
            Stmt other = i.otherwise();
            while (other instanceof Stmt.If elseIf) {
                b.nextControlFlow("else if ($L)", condition(elseIf.condition()));
                bodyOf(b, elseIf.then());
                other = elseIf.otherwise();
            }
            if (other != null) {
                b.nextControlFlow("else");
                bodyOf(b, other);
            }
            b.endControlFlow();
        } else if (s instanceof Stmt.For f) {
            b.beginControlFlow("for ($L; $L; $L)", forInit(f.init()),
                    f.condition() == null ? "" : condition(f.condition()), forUpdate(f.update()));
            bodyOf(b, f.body());
            b.endControlFlow();
        } else if (s instanceof Stmt.While w) {
            b.beginControlFlow("while ($L)", condition(w.condition()));
            bodyOf(b, w.body());
            b.endControlFlow();
        } else if (s instanceof Stmt.DoWhile d) {
            b.beginControlFlow("do");
            bodyOf(b, d.body());
            b.endControlFlow("while ($L)", condition(d.condition()));
        } else if (s instanceof Stmt.Break) {
            b.addStatement("break");
        } else if (s instanceof Stmt.Continue) {
            b.addStatement("continue");
        } else if (s instanceof Stmt.Return r) {
            if (r.value() == null) {
                b.addStatement("return");
            } else {
                b.addStatement("return $L", valueFor(r.value(), method.returnType(), activity.returnsActive(method)));
            }
        } else {
            throw new IllegalStateException("unknown statement " + s);
        }
    }

    /** A loop or branch body without a doubled pair of braces. */
    private void bodyOf(CodeBlock.Builder b, Stmt s) {
        if (s instanceof Stmt.Block block) {
            for (Stmt x : block.statements()) statement(b, x);
        } else {
            statement(b, s);
        }
    }

    private String declaration(Stmt.LocalDecl d) {
        boolean isActive = d.type().canBeActive() && activity.isActive(method, d.name());
        String type = Names.typeName(d.type(), isActive).toString();
        if (d.init() == null) return type + " " + d.name();
        return type + " " + d.name() + " = " + valueFor(d.init(), d.type(), isActive);
    }

    private String forInit(List<Stmt> init) {
        if (init.isEmpty()) return "";
        if (init.get(0) instanceof Stmt.LocalDecl first) {
            StringBuilder sb = new StringBuilder(declaration(first));
            for (Stmt s : init.subList(1, init.size())) {
                String decl = declaration((Stmt.LocalDecl) s);
                sb.append(", ").append(decl.substring(decl.indexOf(' ') + 1));
            }
            return sb.toString();
        }
        List<String> parts = new ArrayList<>();
        for (Stmt s : init) parts.add(statementExpression(((Stmt.ExprStmt) s).expr()));
        return String.join(", ", parts);
    }

    private String forUpdate(List<Stmt> update) {
        List<String> parts = new ArrayList<>();
        for (Stmt s : update) parts.add(statementExpression(((Stmt.ExprStmt) s).expr()));
        return String.join(", ", parts);
    }

    private void expressionStatement(CodeBlock.Builder b, Expr e) {
        b.addStatement("$L", statementExpression(hoistTargetIndices(b, e)));
    }

    /**
     * An update of an active element ({@code a[i++] += x}, {@code a[f()]++}) is written as a read
     * and a write of the element; an index with side effects is evaluated once, into a
     * temporary, as Java does. (In a for-loop header there is no room for temporaries: the
     * analysis rejects the pattern there.)
     */
    private Expr hoistTargetIndices(CodeBlock.Builder b, Expr e) {
        Expr target;
        if (e instanceof Expr.Assign a && a.op() != null && active(a.target())) {
            target = a.target();
        } else if (e instanceof Expr.IncDec i && active(i.target())) {
            target = i.target();
        } else {
            return e;
        }
        if (!Exprs.hasIndexWithSideEffects(target)) return e;
        Expr hoisted = hoist(b, target);
        if (e instanceof Expr.Assign a) return new Expr.Assign(a.ref(), a.type(), hoisted, a.op(), a.value());
        Expr.IncDec i = (Expr.IncDec) e;
        return new Expr.IncDec(i.ref(), i.type(), hoisted, i.increment(), i.prefix());
    }

    /** The element access {@code e} with every index a fresh temporary, assigned in evaluation order. */
    private Expr hoist(CodeBlock.Builder b, Expr e) {
        if (!(e instanceof Expr.ArrayAccess a)) return e;
        Expr array = hoist(b, a.array());
        String name = temp();
        b.addStatement("final int $L = $L", name, passive(a.index()));
        return new Expr.ArrayAccess(a.ref(), a.type(), array, new Expr.Local(a.index().ref(), IrType.INT, name));
    }

    /** An expression used as a statement: assignments to active targets become slot assignments. */
    private String statementExpression(Expr e) {
        if (e instanceof Expr.Assign a && active(a.target())) {
            Expr value = a.value();
            if (a.op() != null) {
                value = new Expr.Binary(a.ref(), a.target().type(), a.op(), a.target(), a.value());
            }
            return target(a.target()) + " = " + valueFor(value, a.target().type(), true);
        }
        if (e instanceof Expr.IncDec i && active(i.target())) {
            return target(i.target()) + " = " + helper(Primitive.ADD_CONST, slot(i.target()),
                    i.increment() ? "1.0" : "-1.0");
        }
        String code = passive(e);
        return code.startsWith("(") && code.endsWith(")") && isAssignment(e) ? code.substring(1, code.length() - 1) : code;
    }

    private static boolean isAssignment(Expr e) { return e instanceof Expr.Assign || e instanceof Expr.IncDec; }

    /** The left-hand side of an assignment to an active variable or element. */
    private String target(Expr t) {
        if (t instanceof Expr.Local l) return l.name();
        if (t instanceof Expr.ArrayAccess a) return array(a.array(), true) + "[" + passive(a.index()) + "]";
        throw new IllegalStateException("cannot assign to " + t);
    }

    /** {@code e} converted to the generated representation of a value of {@code type}. */
    private String valueFor(Expr e, IrType type, boolean activeWanted) {
        if (type.isArray()) return array(e, activeWanted);
        if (activeWanted && type.canBeActive()) return slot(e);
        return passive(e);
    }

    private String condition(Expr e) { return passive(e); }

    // ---------------------------------------------------------------- active scalars

    /** Code for the slot of a scalar double expression (a passive one becomes a constant slot). */
    String slot(Expr e) {
        if (!active(e)) {
            if (e instanceof Expr.Literal l && l.value() instanceof Number n && n.doubleValue() == 0.0
                    && 1.0 / n.doubleValue() > 0) {
                return "0"; // slot 0 is the constant 0 on both tapes
            }
            return Names.TAPE + ".constant(" + passive(e) + ")";
        }
        if (e instanceof Expr.Local l) return l.name();
        if (e instanceof Expr.Field f) return "this." + f.name();
        if (e instanceof Expr.ArrayAccess a) return array(a.array(), true) + "[" + passive(a.index()) + "]";
        if (e instanceof Expr.Unary u) {
            return u.op() == Expr.UnaryOp.NEG ? helper(Primitive.NEG, slot(u.operand())) : slot(u.operand());
        }
        if (e instanceof Expr.Binary b) return binary(b);
        if (e instanceof Expr.Conditional c) {
            return "(" + condition(c.condition()) + " ? " + slot(c.ifTrue()) + " : " + slot(c.ifFalse()) + ")";
        }
        if (e instanceof Expr.Cast c) return slot(c.operand());
        if (e instanceof Expr.CallHelper c) return call(c);
        if (e instanceof Expr.CallFunction f) return function(f);
        throw new IllegalStateException("no active form for " + e);
    }

    private String binary(Expr.Binary b) {
        Expr l = b.left();
        Expr r = b.right();
        boolean la = active(l);
        boolean ra = active(r);
        switch (b.op()) {
            case ADD: {
                if (la && isProduct(r)) return fused(l, (Expr.Binary) r);
                if (ra && isProduct(l)) return fused(r, (Expr.Binary) l);
                if (la && ra) return helper(Primitive.ADD, slot(l), slot(r));
                return la ? helper(Primitive.ADD_CONST, slot(l), real(r)) : helper(Primitive.ADD_CONST, slot(r), real(l));
            }
            case SUB:
                if (la && ra) return helper(Primitive.SUB, slot(l), slot(r));
                return la ? helper(Primitive.ADD_CONST, slot(l), "-" + real(r)) : helper(Primitive.CONST_SUB, slot(r), real(l));
            case MUL:
                if (la && ra) {
                    if (l instanceof Expr.Local x && r instanceof Expr.Local y && x.name().equals(y.name())) {
                        return helper(Primitive.SQUARE, slot(l));
                    }
                    return helper(Primitive.MUL, slot(l), slot(r));
                }
                return la ? helper(Primitive.MUL_CONST, slot(l), real(r)) : helper(Primitive.MUL_CONST, slot(r), real(l));
            case DIV:
                if (la && ra) return helper(Primitive.DIV, slot(l), slot(r));
                return la ? helper(Primitive.DIV_CONST, slot(l), real(r)) : helper(Primitive.CONST_DIV, slot(r), real(l));
            default:
                throw new IllegalStateException("operator " + b.op() + " on active values");
        }
    }

    /** An active product, the one pattern the fused multiply-add rules serve. */
    private boolean isProduct(Expr e) {
        return e instanceof Expr.Binary b && b.op() == BinaryOp.MUL && active(e);
    }

    /** {@code acc + p * q} as one recorded operation. */
    private String fused(Expr acc, Expr.Binary product) {
        boolean pa = active(product.left());
        boolean qa = active(product.right());
        if (pa && qa) return helper(Primitive.FMA, slot(acc), slot(product.left()), slot(product.right()));
        return pa ? helper(Primitive.FMA_CONST, slot(acc), slot(product.left()), real(product.right()))
                : helper(Primitive.FMA_CONST, slot(acc), slot(product.right()), real(product.left()));
    }

    private String function(Expr.CallFunction f) {
        List<Expr> args = f.args();
        String name = f.function();
        if (f.owner().equals("Math") && name.equals("pow")) {
            Expr base = args.get(0);
            Expr exponent = args.get(1);
            if (!active(exponent)) {
                if (exponent instanceof Expr.Literal lit && lit.value() instanceof Number n && n.doubleValue() == 2.0) {
                    return helper(Primitive.SQUARE, slot(base));
                }
                return helper(Primitive.POW_CONST, slot(base), real(exponent));
            }
            // a^b = exp(b log a): the jet of a power with an active exponent
            String log = active(base) ? helper(Primitive.LOG, slot(base))
                    : Names.TAPE + ".constant(" + Names.REAL_MATH.canonicalName() + ".log(" + real(base) + "))";
            return helper(Primitive.EXP, helper(Primitive.MUL, slot(exponent), log));
        }
        if (f.owner().equals("Math") && (name.equals("max") || name.equals("min"))) {
            return helper(name.equals("max") ? Primitive.MAX : Primitive.MIN, String.valueOf(site(f.ref())),
                    slot(args.get(0)), slot(args.get(1)));
        }
        Primitive p = Primitive.forFunction(f.owner(), name);
        if (p == null || p.arity != 1) throw new IllegalStateException("no rule for " + f.owner() + "." + name);
        if (DECISIONS.contains(p)) return helper(p, String.valueOf(site(f.ref())), slot(args.get(0)));
        return helper(p, slot(args.get(0)));
    }

    private String helper(Primitive p, String... args) {
        used.add(p);
        return "Ops." + p.helperName() + "(" + Names.TAPE + ", " + String.join(", ", args) + ")";
    }

    /** A passive numeric expression as a double. */
    private String real(Expr e) {
        String code = passive(e);
        return e.type().base() == IrType.Base.DOUBLE ? code : "(double) " + code;
    }

    // ---------------------------------------------------------------- arrays

    /** Code for an array expression: an array of slots when {@code activeWanted}, else plain. */
    private String array(Expr e, boolean activeWanted) {
        boolean isActive = active(e) || (e instanceof Expr.Field f && f.kind() == Expr.FieldKind.PARAM);
        if (e instanceof Expr.NewArray n) {
            StringBuilder sb = new StringBuilder("new ");
            sb.append(activeWanted ? "int" : baseName(n.type()));
            for (Expr d : n.dims()) sb.append('[').append(passive(d)).append(']');
            sb.append("[]".repeat(n.type().dims() - n.dims().size()));
            return sb.toString();
        }
        if (e instanceof Expr.ArrayLiteral a) {
            StringBuilder sb = new StringBuilder("new ");
            sb.append(activeWanted ? Names.typeName(a.type(), true).toString() : a.type().javaName()).append(" {");
            for (int i = 0; i < a.elements().size(); i++) {
                if (i > 0) sb.append(", ");
                Expr x = a.elements().get(i);
                String elementCode = x instanceof Expr.ArrayLiteral ? array(x, activeWanted)
                        : valueFor(x, a.type().element(), activeWanted);
                sb.append(elementCode.startsWith("new ") && x instanceof Expr.ArrayLiteral
                        ? elementCode.substring(elementCode.indexOf('{')) : elementCode);
            }
            return sb.append('}').toString();
        }
        if (activeWanted && !isActive) {
            return Names.TAPE + ".constants(" + passive(e) + ")";
        }
        if (!activeWanted && isActive) {
            throw new IllegalStateException("active array where a passive one is needed: " + e);
        }
        if (e instanceof Expr.Local l) return l.name();
        if (e instanceof Expr.Field f) {
            return f.kind() == Expr.FieldKind.PARAM ? "this." + f.name() : field(f);
        }
        if (e instanceof Expr.ArrayAccess a) return array(a.array(), activeWanted) + "[" + passive(a.index()) + "]";
        if (e instanceof Expr.Conditional c) {
            return "(" + condition(c.condition()) + " ? " + array(c.ifTrue(), activeWanted) + " : "
                    + array(c.ifFalse(), activeWanted) + ")";
        }
        if (e instanceof Expr.CallHelper c) return call(c);
        return passive(e);
    }

    private static String baseName(IrType t) {
        return t.javaName().substring(0, t.javaName().length() - 2 * t.dims());
    }

    // ---------------------------------------------------------------- passive

    /** Plain Java for a passive expression; active operands of comparisons read their real part. */
    String passive(Expr e) {
        if (e instanceof Expr.Literal l) return literal(l);
        if (e instanceof Expr.Local l) return l.name();
        if (e instanceof Expr.Field f) return f.kind() == Expr.FieldKind.PARAM ? "this." + f.name() : field(f);
        if (e instanceof Expr.Length l) return array(l.array(), arrayIsActive(l.array())) + ".length";
        if (e instanceof Expr.ArrayAccess a) {
            if (a.type().isArray()) return array(e, arrayIsActive(e));
            return array(a.array(), false) + "[" + passive(a.index()) + "]";
        }
        if (e instanceof Expr.NewArray || e instanceof Expr.ArrayLiteral) return array(e, false);
        if (e instanceof Expr.Unary u) {
            String op = switch (u.op()) {
                case NEG -> "-";
                case PLUS -> "+";
                case NOT -> "!";
                case BIT_NOT -> "~";
            };
            return "(" + op + passive(u.operand()) + ")";
        }
        if (e instanceof Expr.Binary b) {
            if (b.op().isComparison() && (active(b.left()) || active(b.right()))) return decision(b);
            return "(" + passive(b.left()) + " " + b.op().symbol + " " + passive(b.right()) + ")";
        }
        if (e instanceof Expr.Conditional c) {
            return "(" + condition(c.condition()) + " ? " + passive(c.ifTrue()) + " : " + passive(c.ifFalse()) + ")";
        }
        if (e instanceof Expr.Cast c) return "((" + c.type().javaName() + ") " + passive(c.operand()) + ")";
        if (e instanceof Expr.CallHelper c) return call(c);
        if (e instanceof Expr.CallFunction f) {
            if (Activity.isStopGradient(f) && active(f.args().get(0))) {
                return Names.TAPE + ".re(" + slot(f.args().get(0)) + ")"; // the value, without its jet
            }
            String owner = f.owner().equals("Fn") ? "org.jetsketch.dsl.Fn" : "Math";
            return owner + "." + f.function() + "(" + join(f.args()) + ")";
        }
        if (e instanceof Expr.PassiveCall c) return passive(c.receiver()) + "." + c.method() + "(" + join(c.args()) + ")";
        if (e instanceof Expr.PassiveField f) return passive(f.receiver()) + "." + f.name();
        if (e instanceof Expr.Assign a) {
            String op = a.op() == null ? "=" : a.op().symbol + "=";
            return "(" + passive(a.target()) + " " + op + " " + passive(a.value()) + ")";
        }
        if (e instanceof Expr.IncDec i) {
            String op = i.increment() ? "++" : "--";
            return i.prefix() ? op + passive(i.target()) : passive(i.target()) + op;
        }
        throw new IllegalStateException("no passive form for " + e);
    }

    private boolean arrayIsActive(Expr arrayExpr) {
        return active(arrayExpr) || (arrayExpr instanceof Expr.Field f && f.kind() == Expr.FieldKind.PARAM)
                || (arrayExpr instanceof Expr.ArrayAccess a && arrayIsActive(a.array()));
    }

    /**
     * A comparison with an active operand. It is decided by real parts (scheme §3), as Java would
     * decide it on the values, by the runtime monitor's {@code compare} (both active),
     * {@code compareConst} (active op passive) or {@code constCompare} (passive op active), which on
     * a jet tape first report the compared difference and this site: the hook of the branch-switch
     * monitor. Operands are evaluated once, left to right.
     */
    private String decision(Expr.Binary b) {
        String op = MONITOR + "." + switch (b.op()) {
            case LT -> "LT";
            case LE -> "LE";
            case GT -> "GT";
            case GE -> "GE";
            case EQ -> "EQ";
            default -> "NE";
        };
        int id = site(b.ref());
        boolean la = active(b.left());
        boolean ra = active(b.right());
        String call = la && ra ? "compare" : la ? "compareConst" : "constCompare";
        String left = la ? slot(b.left()) : real(b.left());
        String right = ra ? slot(b.right()) : real(b.right());
        return MONITOR + "." + call + "(" + Names.TAPE + ", " + id + ", " + op + ", " + left + ", " + right + ")";
    }

    private String field(Expr.Field f) {
        return f.kind() == Expr.FieldKind.STATIC ? f.owner() + "." + f.name() : "this." + Names.SELF + "." + f.name();
    }

    private String join(List<Expr> args) {
        List<String> parts = new ArrayList<>();
        for (Expr a : args) parts.add(passive(a));
        return String.join(", ", parts);
    }

    private String call(Expr.CallHelper c) {
        MethodIr callee = circuit.method(c.methodKey());
        List<String> args = new ArrayList<>();
        args.add(Names.TAPE);
        for (int i = 0; i < c.args().size(); i++) {
            MethodIr.ParamIr p = callee.params().get(i);
            boolean paramActive = p.type().canBeActive() && activity.paramActive(callee, i);
            args.add(valueFor(c.args().get(i), p.type(), paramActive));
        }
        return "this." + callee.emittedName() + "(" + String.join(", ", args) + ")";
    }

    /** A literal as code; a negative number is parenthesized so that {@code "-" + literal} stays valid. */
    static String literal(Expr.Literal l) {
        String code = literalText(l);
        return code.startsWith("-") ? "(" + code + ")" : code;
    }

    private static String literalText(Expr.Literal l) {
        Object v = l.value();
        if (v instanceof Double d) {
            if (d.isNaN()) return "Double.NaN";
            if (d.isInfinite()) return d > 0 ? "Double.POSITIVE_INFINITY" : "Double.NEGATIVE_INFINITY";
            return d.toString();
        }
        if (v instanceof Long x) return x + "L";
        if (v instanceof Character ch) return String.format("'\\u%04x'", (int) ch);
        if (v instanceof String s) return CodeBlock.of("$S", s).toString();
        if (l.type().base() == IrType.Base.DOUBLE && v instanceof Number n) return Double.toString(n.doubleValue());
        return String.valueOf(v);
    }

    /** A fresh local name for hoisted values. */
    String temp() { return "$tmp" + (temps++); }

}
