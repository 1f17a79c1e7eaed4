package org.jetsketch.processor.codegen;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.jetsketch.processor.ir.Expr;

/**
 * What a {@link ModeEmitter} may ask of the writing it emits for ({@link AdjointWriter}): the
 * facts and names of the method being written and the mode-independent code of its expressions.
 * The emitters see the writer only through this interface.
 */
interface EmitContext {
    // ---------------------------------------------------------------- the writing

    /** The workspace parameter of every generated method. */
    String ws();

    /** Whether this writing has a reverse sweep (what a rule reads is then saved or reread). */
    boolean reversible();

    /**
     * Whether the code being written is the unchecked copy of an elementwise loop's body, where
     * the operations take their unchecked forms ({@link ElementwiseLoops}).
     */
    boolean unchecked();

    /** Whether {@code e} is active (it carries derivatives). */
    boolean active(Expr e);

    /** Whether {@code name} is an active variable. */
    boolean activeVar(String name);

    /** The site number of the comparison or call {@code e}, for the branch monitor. */
    int site(Expr e);

    // ---------------------------------------------------------------- names

    /** A fresh name for generated code (never a user's). */
    String fresh(String base);

    /** The adjoint of variable {@code v}: a local of the reverse sweep, or the adjoint array. */
    String bar(String v);

    /** {@code local} (a workspace local or a frame offset), noted as named by the sweep being written. */
    String named(String local);

    /**
     * {@code code} written for the reverse sweep: the locals it names are the reverse sweep's,
     * and a comparison of active values is not shown to the branch monitor.
     */
    <T> T inReverse(Supplier<T> code);

    /** {@code code} with the locals it names noted in {@code names} instead (written aside). */
    <T> T namingInto(Set<String> names, Supplier<T> code);

    /** Notes {@code names}, noted aside by {@link #namingInto}, as named by the sweep being written. */
    void noteNamed(Set<String> names);

    // ---------------------------------------------------------------- expressions

    /** Plain Java for a passive expression, bare: for a place that takes any expression (an argument, a condition). */
    String expr(Expr e);

    /** {@link #expr} with its Java precedence, which says where it needs parentheses. */
    JavaExpr java(Expr e);

    /** A passive numeric expression as a double, bare (as {@link #expr}). */
    String real(Expr e);

    /** A comparison (or other binary operation) on the values as they are, with nothing monitored. */
    JavaExpr passiveBinary(Expr.Binary b);

    /** The value reference of an active scalar variable, element or state field. */
    String valueRef(Expr e);

    /** The real part of an active value. */
    JavaExpr realPart(Expr e);

    /** The immediate {@code k} of {@code n}, pushed (and its pop added to {@code pops}) when a rule reads it and it cannot be evaluated again. */
    String immediate(Operations.Node n, Code fwd, List<String> pops);

    /** The variables, and adjoint arrays, that code evaluating {@code expressions} may read (for the code model). */
    Set<String> readsOf(List<Expr> expressions);

    // ---------------------------------------------------------------- statements

    /** {@code target = value;}, a statement of the code model when the target is a variable; {@code read}: what value reads. */
    void assign(Code c, Expr target, String targetCode, String value, List<Expr> read);

    /**
     * {@code final type held = call); push; target = held;}: a call whose result is held aside while
     * {@code push} saves the target it then overwrites ({@code call} lacks its closing parenthesis).
     */
    void callHoldingResult(String type, String call, String push, String targetCode, Code fwd);

    /**
     * The passive array {@code a} converted once, in {@code fwd}, into a local active array of
     * constants, which later references to {@code a} name instead.
     */
    String convertedConstants(Expr a, Code fwd);
}
