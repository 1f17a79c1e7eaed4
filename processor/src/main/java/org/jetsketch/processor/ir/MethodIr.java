package org.jetsketch.processor.ir;

import java.util.List;

/**
 * A method of the circuit class that is compiled: the loss, the training step, a measurement, or a
 * helper one of them calls. {@code key} is unique in the circuit (name plus parameter types);
 * {@code emittedName} is the name the generated method gets.
 */
public record MethodIr(
        String key,
        String name,
        String emittedName,
        Role role,
        boolean isStatic,
        List<ParamIr> params,
        IrType returnType,
        Stmt.Block body,
        SourceRef ref) {

    public enum Role { LOSS, TRAINING_STEP, MEASUREMENT, HELPER }

    /** A method parameter; {@code kind} says what a training step's parameter is. */
    public record ParamIr(String name, IrType type, ParamKind kind) {}

    public enum ParamKind { PLAIN, EXAMPLE, PARAMS, GRADS, STATE, STEP, STEPS }
}
