package org.jetsketch.processor.ir;

/**
 * Every message the compiler shows a user, with its stable code. A message always says what is
 * not supported and what to write instead. {@code docs/diagnostics.md} has one section per code.
 */
public enum Diagnostic {
    NO_LOSS("JetNoLoss", "@Circuit class %s has no @Loss method; add one: double loss(Example e)"),
    DUPLICATE_ROLE("JetDuplicate", "@Circuit class %s has more than one %s method; keep exactly one"),
    NO_STEP("JetNoTrainingStep", "@Circuit class %s has no @TrainingStep method; add one, e.g. "
            + "static void sgd(@Params double[] p, @Grads double[] g)"),
    BAD_PARAM("JetBadParam", "@Param field %s has type %s; a parameter must be a double, double[] or "
            + "double[][] field that is neither private nor static"),
    /** The same code as {@link #BAD_PARAM}: a parameter field of a right type that is private or static. */
    BAD_PARAM_MODIFIER("JetBadParam", "@Param field %s is %s; a parameter must be a double, double[] or "
            + "double[][] field that is neither private nor static"),
    /** The same code as {@link #BAD_PARAM}: a circuit without parameters. */
    NO_PARAM("JetBadParam", "@Circuit class %s declares no @Param field; declare its parameters as non-private "
            + "double, double[] or double[][] fields annotated @Param"),
    BAD_SIGNATURE("JetBadSignature", "%s"),
    BAD_STEP("JetBadTrainingStep", "%s"),
    NOT_IN_CIRCUIT("JetNotInCircuit", "@%s %s %s is not in a @Circuit class; annotate the class with @Circuit"),
    UNSUPPORTED_CALL("JetUnsupportedCall", "call to %s is not supported in a circuit; call a helper method "
            + "of the circuit class, java.lang.Math or org.jetsketch.dsl.Fn"),
    NO_RULE("JetNoRule", "%s has no jet rule and its argument depends on the parameters; use a function "
            + "with a rule (exp, log, log1p, expm1, sqrt, pow, tanh, abs, max, min, Fn.*)"),
    UNSUPPORTED_EXPRESSION("JetUnsupportedExpression", "%s is not supported in a circuit; %s"),
    UNSUPPORTED_STATEMENT("JetUnsupportedStatement", "%s is not supported in a circuit; %s"),
    UNSUPPORTED_TYPE("JetUnsupportedType", "type %s is not supported in a circuit; use double, int, long, "
            + "boolean or arrays of them (at most two dimensions)"),
    RECURSION("JetRecursion", "recursive call to %s: a circuit is unrolled at run time and cannot recurse; "
            + "write it as a loop"),
    EXAMPLE_WRITE("JetExampleWrite", "%s writes to the example; the example is read-only, copy it into a "
            + "local array first"),
    PARAM_WRITE("JetParamWrite", "%s writes to @Param field %s; parameters change only in the @TrainingStep"),
    FIELD_WRITE("JetFieldWrite", "%s writes to field %s; a circuit keeps no state outside @Param fields"),
    PRIVATE_FIELD("JetPrivateField", "%s is private; the generated %s reads it, make it package-private"),
    ACTIVE_INDEX("JetActiveIndex", "%s depends on the parameters and is used as an array index or size; "
            + "indices must not depend on the parameters"),
    ACTIVE_LOOP_BOUND("JetActiveLoopBound", "the condition of this loop depends on the parameters; the number "
            + "of iterations must not depend on them (compare passive values only)"),
    ACTIVE_TO_INTEGER("JetActiveToInteger", "%s depends on the parameters and is converted to %s; a value that "
            + "depends on the parameters stays double"),
    ACTIVE_OPERATOR("JetActiveOperator", "operator %s has no rule for values that depend on the parameters; "
            + "use +, -, *, / or a function with a rule"),
    ASSIGNMENT_IN_EXPRESSION("JetAssignmentInExpression", "an assignment to %s, which depends on the parameters, "
            + "is used as a value; make it a statement of its own"),
    SIDE_EFFECT_INDEX("JetSideEffectIndex", "%s writes an array element at an index with side effects inside a "
            + "larger expression; the reverse sweep may have to restore that element and cannot evaluate the index "
            + "again: make the write a statement of its own (a[j++] = v;) or compute the index first (int k = j++;)"),
    INTERNAL("JetInternal", "internal error in the circuit compiler: %s (please report it)");

    public final String code;
    private final String format;

    Diagnostic(String code, String format) {
        this.code = code;
        this.format = format;
    }

    /** The full message: {@code [Code] text}. */
    public String message(Object... args) { return "[" + code + "] " + String.format(format, args); }

    /** A diagnostic located at an IR node. */
    public record Problem(Diagnostic diagnostic, SourceRef ref, String message) {
        public static Problem of(Diagnostic d, SourceRef ref, Object... args) {
            return new Problem(d, ref, d.message(args));
        }
    }
}
