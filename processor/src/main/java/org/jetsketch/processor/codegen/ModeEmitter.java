package org.jetsketch.processor.codegen;

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
}
