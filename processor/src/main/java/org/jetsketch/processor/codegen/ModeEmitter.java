package org.jetsketch.processor.codegen;

import com.squareup.javapoet.MethodSpec;
import com.squareup.javapoet.TypeName;
import org.jetsketch.processor.ir.Expr;
import org.jetsketch.processor.primitives.Primitive;

import java.util.List;
import java.util.Set;

/**
 * The mode-specific text of the statements {@link AdjointWriter} writes: one implementation per
 * mode ({@link RealEmitter} on doubles, {@link JetEmitter} on jets), so that the writer's walk
 * over the statements asks the emitter instead of branching on the mode.
 *
 * <p>An active scalar's value or adjoint is a <em>reference</em>: on doubles an lvalue
 * ({@code x}, {@code xBar}, {@code zBar[i]}), on jets an {@code array, offset} pair
 * ({@code val, x}, {@code adj, x}, {@code zBar, i * S}). The emitters only write text; what to
 * save, and where, is decided before ({@link Recording}).
 */
interface ModeEmitter {
    /** The parameter of a helper's sweeps carrying its active scalar result's adjoint (and on jets, its jet). */
    String RESULT = "result";

    /** The offset parameter that comes with {@link #RESULT} on jets. */
    String RESULT_AT = "resultAt";

    /** The value reference of the active scalar variable {@code v} (its slot is allocated where it is written). */
    String variable(String v);

    /** Pushes the active scalar value at {@code ref}. */
    String push(String ref);

    /** Pops into the active scalar value at {@code ref} (the reverse of {@link #push}). */
    String pop(String ref);

    /** The reverse sweep's first pop of the frame's active scalar variable {@code v}, declaring it where that is Java's. */
    String popDeclaring(String v);

    /** Clears the adjoint at {@code bar}. */
    String zeroAdjoint(String bar);

    /** Adds the adjoint at {@code from} into the adjoint at {@code into}. */
    String addAdjoint(String from, String into);

    /**
     * Declares the active scalar variable {@code v} in {@code c} where it is a Java local (doubles;
     * on jets it lives in its frame slot), with a zero default if {@code initialized}.
     */
    void declareScalar(Code c, String v, boolean initialized);

    /**
     * Declares the active scalar variable {@code v} with a zero default as a plain line, which the
     * cleanup pass leaves alone (doubles; nothing on jets).
     */
    void declareScalarDefault(Code c, String v);

    // ---------------------------------------------------------------- references

    /** The value reference of active scalar variable {@code v}, allocating its frame slot (jets). */
    String value(String v);

    /** The adjoint reference of active scalar variable {@code v}. */
    String adjoint(String v);

    /** The reference of the active scalar state field (a value or its adjoint) read as {@code field}. */
    String state(String field);

    /** The reference of element {@code index} of the active array {@code array} (values or adjoints). */
    String element(String array, Expr index);

    /** The real part of active scalar variable {@code v}, for a comparison. */
    JavaExpr realOfValue(String v);

    /** The real part of the active scalar state field {@code field}. */
    JavaExpr realOfState(String field);

    /** The real part of element {@code index} of the active array {@code array}. */
    String realOfElement(String array, Expr index);

    /** The length, in scalars, of the active one-dimensional array {@code array}. */
    JavaExpr activeLength(JavaExpr array);

    /** The workspace's allocator of active arrays: {@code doubles} or {@code jets}. */
    String arrays();

    /** The active array of constants holding the passive array {@code passive} (itself on doubles). */
    String constants(String passive);

    /** A passive array {@code a} passed where the callee takes an active array: itself on doubles, converted (once, in {@code fwd}) on jets. */
    String passiveArgument(Expr a, Code fwd);

    // ---------------------------------------------------------------- calls

    /**
     * The trailing arguments of a helper's forward call whose active scalar result nobody reads:
     * none on doubles (the value is returned and dropped), the scratch jet it is written to on jets.
     */
    String discardedResult();

    /** The seed argument of the reverse call of a helper whose result nobody reads: a zero adjoint, cleared in {@code r} if it must be. */
    String zeroSeed(Code r);

    /**
     * The forward call {@code call} (lacking its closing parenthesis) of a helper whose active
     * scalar result goes to {@code targetCode}: assigned on doubles, written into the target's jet
     * by the callee on jets.
     */
    void callInto(String call, Expr target, String targetCode, List<Expr> args, Code fwd);

    /**
     * {@link #callInto}, for a target that {@code push} saves after the call, because the callee
     * reads it ({@code a[i] = h(a)}): the result is held aside (a local on doubles, the scratch
     * jet on jets) while the old value is pushed.
     */
    void callHoldingResult(String call, String push, String targetCode, Code fwd);

    /**
     * The forward call {@code call} of a helper with an active scalar result, as a value for a
     * passive target: the returned double on doubles; on jets the result is a jet, and activity
     * analysis makes every target of one active, so this is an internal error there.
     */
    String activeResultAsPassive(String call);

    /**
     * Moves the adjoint at {@code bar} into the seed of a helper's reverse call (clearing
     * {@code bar}, which the callee may add into) and returns the seed argument.
     */
    String takeSeed(String bar, Code r);

    /** The argument for a helper's active scalar parameter: {@code leaf}'s value (on jets, a passive one as a constant jet). */
    String scalarArgument(Operations.Leaf leaf, Code fwd, List<String> pops);

    /**
     * The statement adding the adjoint a helper's reverse sweep left for its {@code k}-th active
     * scalar argument (the workspace's argument-adjoint registers) into the adjoint at {@code bar}.
     */
    String addArgumentAdjoint(int k, String bar);

    // ---------------------------------------------------------------- methods

    /**
     * Adds to a forward method the parameter(s) of its active scalar parameter {@code p}, declared
     * {@code type}: the double itself, or an array and offset whose jet {@code prologue} copies into
     * {@code p}'s slot.
     */
    void activeScalarParameter(MethodSpec.Builder b, Code prologue, String p, TypeName type);

    /** Makes a forward method return its active scalar result: as {@code declared}, or into a result array and offset. */
    void activeScalarResult(MethodSpec.Builder b, TypeName declared);

    /** Adds to a reverse method the parameter(s) carrying its active scalar result's adjoint. */
    void resultAdjointParameter(MethodSpec.Builder b);

    /** Declares, in a reverse method's {@code prologue}, the adjoints that are Java locals (doubles). */
    void declareScalarAdjoints(Code prologue);

    /** The reverse sweep's line handing active scalar parameter {@code p}'s adjoint, the {@code k}-th, to the caller. */
    void argumentAdjoint(Code body, String p, int k);

    /**
     * Declarations of the workspace's locals and the frame offsets that a sweep names
     * ({@code names}), and the reverse sweep's clearing of the frame's adjoints: none on doubles.
     */
    Code workspaceLocals(Set<String> names, boolean reverse);

    /**
     * The forward code returning the active scalar {@code v} (a return value, or a copy into the
     * result jet), and in {@code revStart} the reverse sweep's adding of the result's adjoint into
     * {@code v}'s where {@code v} is an active variable.
     */
    void returnScalar(Expr v, Code fwd, Code revStart);

    /**
     * A comparison in the forward sweep with an active operand: plain on doubles, monitored on jets
     * (the branch monitor learns how close the operands' series come to switching it).
     */
    JavaExpr forwardComparison(Expr.Binary b);

    // ---------------------------------------------------------------- scalar assignments

    /**
     * Appends to {@code fwd} the {@code temporaries} computing the operations below the root of
     * {@code value}; on doubles as computations reading what {@code value} reads, so that the
     * cleanup pass may move a declaration past them.
     */
    void appendTemporaries(Code fwd, Code temporaries, Expr value);

    /**
     * The forward code of the operation {@code n} below a root: its result into its temporary,
     * pushed if an adjoint rule reads it, with the matching pop added to {@code pops}.
     */
    void temporary(Operations.Node n, Code fwd, List<String> pops);

    /**
     * The forward code of {@code target = value} where {@code value} is the operation {@code n}
     * (the root of its tree, whose operands are already computed): the result into
     * {@code targetCode}, in place when the target {@code accumulate}s ({@code v = v + e}), pushed
     * if an adjoint rule reads it, with the matching pop added to {@code pops}.
     */
    void root(Operations.Node n, Expr target, Expr value, String targetCode, boolean accumulate, Code fwd,
            List<String> pops);

    /** The forward code of {@code target = value} where {@code value} is the single operand {@code leaf}. */
    void copy(Operations.Leaf leaf, Expr target, String targetCode, Expr value, Code fwd, List<String> pops);

    /**
     * Moves the adjoint at {@code bar} into a temporary for the rules of the operation
     * {@code node} (clearing {@code bar}) and returns the temporary's reference.
     */
    String takeAdjoint(String bar, String node, Code r);

    // ---------------------------------------------------------------- rules

    /** Takes the frame slot of active scalar parameter {@code p}, which the forward prologue fills (jets). */
    void reserveParameterSlot(String p);

    /**
     * Binds in {@code v} the result {@code y} of operation {@code n} for its adjoint rules (the
     * value of the target {@code resultIn}, if given, else the operation's temporary) and this
     * mode's placeholders, and writes in {@code r} the rule's prelude, if this mode's rule has one.
     */
    void bindAdjointRule(Operations.Node n, Bindings v, Expr resultIn, Code r);

    /** The reference an adjoint rule reads for operand {@code a} in the reverse sweep. */
    String ruleOperand(Operations.Opnd a);

    /**
     * The statements of {@code p}'s adjoint rule adding operand {@code i}'s contribution, bound by
     * {@code v}, into the adjoint {@code g} of a variable or element.
     */
    List<RuleStatement.Line> operandAdjoint(Primitive p, int i, Bindings v, String g);

    /**
     * The adjoint of the operation {@code child}, operand {@code i} of {@code p} whose adjoint is
     * {@code gy}, bound by {@code v}: that operand's contribution is the operation's whole adjoint,
     * so it is assigned (added to {@code rules}), not added into a cleared adjoint; {@code gy}
     * itself when it is the same value and {@code stable} (it does not change while the rules run).
     * Returns the adjoint's reference.
     */
    String operationAdjoint(Primitive p, int i, Bindings v, String gy, boolean stable, String child,
            List<RuleStatement.Line> rules, Code r);

    /** The number of jets in the writing's frame: its active scalars and temporaries (none on doubles). */
    int frameSize();

    /** Places the frame at jet {@code base} of the workspace's frame arrays (set once every writing's size is known). */
    void placeFrame(int base);

    /**
     * Whether a checked elementwise loop of a writing without a reverse sweep runs in chunks of
     * unchecked code verified by their results ({@link ElementwiseLoops}): on doubles; on jets
     * every loop runs as written.
     */
    boolean chunksElementwiseLoops();

    /** Whether this mode's adjoint rule of {@code p} reads {@code name} ("a", "b", "c", "y", "k", "x"). */
    boolean ruleReads(Primitive p, String name);
}
