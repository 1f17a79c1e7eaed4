package org.jetsketch.jet;

/**
 * Thrown by a jet kernel ({@link Jets}) or a checked real helper ({@link RealMath}) when the
 * constant (real) term of an argument lies outside the operation's domain: {@code log},
 * {@code sqrt}, {@code rsqrt} or {@code pow} with a non-integer exponent of a non-positive value,
 * {@code log1p} of a value ≤ −1, {@code reciprocal}/{@code div} by 0, a non-finite argument to
 * any of these, or a non-real constant term where a real one is required.
 *
 * <p>These kernels never return a silent NaN or infinity instead. The message names the
 * operation and the offending value, e.g. {@code log: constant term must be > 0, got -0.5};
 * {@link #operation()} and {@link #value()} give the same two facts to code.
 */
public class JetDomainException extends ArithmeticException {
    private static final long serialVersionUID = 1L;

    private final String operation;
    private final double value;

    /**
     * @param operation   the kernel's name, e.g. {@code "log"}
     * @param requirement what the argument must satisfy, e.g. {@code "constant term must be > 0"}
     * @param value       the offending value
     */
    public JetDomainException(String operation, String requirement, double value) {
        super(operation + ": " + requirement + ", got " + value);
        this.operation = operation;
        this.value = value;
    }

    /** The operation that rejected its argument, e.g. {@code "log"}. */
    public String operation() { return operation; }

    /** The offending value (the constant term, divisor or exponent). */
    public double value() { return value; }
}
