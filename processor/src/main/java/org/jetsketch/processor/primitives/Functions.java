package org.jetsketch.processor.primitives;

import java.util.Set;
import java.util.TreeSet;

/**
 * The library functions a circuit may apply to values that depend on the parameters: the DSL's
 * vocabulary, which the frontend resolves calls against and the activity analysis checks. It is
 * read off the registry ({@link Primitive#values()}), never listed here: a function has a rule
 * exactly when a row implements it.
 *
 * <p>Owners are named by a key: {@code "Math"} for {@code java.lang.Math} (and
 * {@code StrictMath}, whose functions the rows compute as {@code Math} does), {@code "Fn"} for
 * {@code org.jetsketch.dsl.Fn}, and the fully qualified class name for a class that a provided
 * row draws functions from.
 */
public final class Functions {
    private Functions() {}

    private static final String DSL_FN = "org.jetsketch.dsl.Fn";

    /** {@code "Math.exp"}-style names of every function with a rule. */
    public static Set<String> names() {
        Set<String> out = new TreeSet<>();
        for (Primitive p : Primitive.values()) out.addAll(p.functions);
        return out;
    }

    /** Whether a call of {@code owner.name} with an active argument can be compiled. */
    public static boolean hasRule(String owner, String name) {
        return Primitive.forFunction(owner, name) != null;
    }

    /**
     * The owner key of the class {@code qualifiedName} if circuits may call its static functions
     * ({@code "Math"}, {@code "Fn"}, or a provided row's class), else null.
     */
    public static String ownerKey(String qualifiedName) {
        switch (qualifiedName) {
            case "java.lang.Math", "java.lang.StrictMath":
                return "Math";
            case DSL_FN:
                return "Fn";
            default:
                for (Primitive p : Primitive.values()) {
                    for (String f : p.functions) {
                        if (f.startsWith(qualifiedName + ".") && f.indexOf('.', qualifiedName.length() + 1) < 0) {
                            return qualifiedName;
                        }
                    }
                }
                return null;
        }
    }

    /** The class an owner key names, as generated code spells it. */
    public static String ownerClass(String ownerKey) {
        return switch (ownerKey) {
            case "Math" -> "Math";
            case "Fn" -> DSL_FN;
            default -> ownerKey;
        };
    }
}
