package org.jetsketch.processor.ir;

/**
 * The type of a value in a circuit body. {@code base} is the element type, {@code dims} the array
 * rank (0 for scalars, at most 2). Only {@code DOUBLE}-based values can be active (depend on the
 * parameters); everything else is passive and is emitted with its source spelling
 * {@code javaName}, e.g. {@code "int"}, {@code "double[][]"}, {@code "java.lang.String"}.
 */
public record IrType(Base base, int dims, String javaName) {

    public enum Base { DOUBLE, INT, LONG, BOOLEAN, CHAR, OBJECT, VOID }

    public static final IrType DOUBLE = new IrType(Base.DOUBLE, 0, "double");
    public static final IrType INT = new IrType(Base.INT, 0, "int");
    public static final IrType LONG = new IrType(Base.LONG, 0, "long");
    public static final IrType BOOLEAN = new IrType(Base.BOOLEAN, 0, "boolean");
    public static final IrType CHAR = new IrType(Base.CHAR, 0, "char");
    public static final IrType VOID = new IrType(Base.VOID, 0, "void");

    public static IrType doubleArray(int dims) {
        return new IrType(Base.DOUBLE, dims, "double" + "[]".repeat(dims));
    }

    /** True for double, double[] and double[][]: the types whose values may be active. */
    public boolean canBeActive() { return base == Base.DOUBLE; }

    public boolean isArray() { return dims > 0; }

    public boolean isScalarDouble() { return base == Base.DOUBLE && dims == 0; }

    /** The element type of an array type. */
    public IrType element() {
        if (dims == 0) throw new IllegalStateException("not an array: " + javaName);
        return new IrType(base, dims - 1, javaName.substring(0, javaName.length() - 2));
    }

    public boolean isNumeric() {
        return dims == 0 && (base == Base.DOUBLE || base == Base.INT || base == Base.LONG || base == Base.CHAR);
    }

    @Override
    public String toString() { return javaName; }
}
