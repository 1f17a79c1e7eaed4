package org.jetsketch.processor.primitives;

import java.util.List;

/**
 * The extension point of the primitive table: a library that brings its own function adds rows
 * without touching the compiler. An implementation is found with {@link java.util.ServiceLoader}
 * on the annotation processor path (list it in
 * {@code META-INF/services/org.jetsketch.processor.primitives.PrimitiveProvider}). A provided row
 * is built with {@link Primitive#row} like the built-in ones; its functions are named by the
 * fully qualified class that declares them ({@code "com.example.Hyperbolic.sinh"}), and its rules
 * call that library's own real and jet kernels by fully qualified name, so the circuits' class
 * path must hold them too. Circuits may then call those functions on active values; the
 * generated code applies the row.
 */
public interface PrimitiveProvider {
    /** The rows this library adds; their names and functions must not clash with any other row. */
    List<Primitive> primitives();
}
