package org.jetsketch.processor.ir;

import java.util.Set;

/**
 * The library functions a circuit may apply to values that depend on the parameters: the DSL's
 * vocabulary, which the activity analysis checks calls against. The code generator's primitive
 * table gives each its rules ({@code PrimitiveTableTest} keeps the two in step).
 */
public final class Functions {
    private Functions() {}

    /** {@code "Math.exp"}-style names of the unary functions with a rule. */
    public static final Set<String> UNARY = Set.of("Math.exp", "Math.log", "Math.log1p", "Math.expm1", "Math.sqrt",
            "Math.tanh", "Math.abs", "Fn.square", "Fn.rsqrt", "Fn.sigmoid", "Fn.softplus", "Fn.erf", "Fn.gelu",
            "Fn.relu");

    /** Functions of two arguments with a rule: {@code Math.pow}, {@code Math.max}, {@code Math.min}. */
    public static final Set<String> BINARY = Set.of("Math.pow", "Math.max", "Math.min");

    public static boolean hasRule(String owner, String name) {
        String key = owner + "." + name;
        return UNARY.contains(key) || BINARY.contains(key);
    }
}
