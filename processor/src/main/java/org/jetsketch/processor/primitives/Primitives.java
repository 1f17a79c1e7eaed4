package org.jetsketch.processor.primitives;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The registry: the built-in rows of {@link Primitive} and the rows of every
 * {@link PrimitiveProvider} on the processor path, loaded once and checked for clashes (two rows
 * with one name, or two rows claiming one function, are an error naming both). A registry that
 * cannot be assembled is remembered as its problem, and every use throws an
 * {@link IllegalStateException} stating it, which the processor reports on the circuit being
 * compiled (a failing static initializer would instead take javac down).
 */
final class Primitives {
    private Primitives() {}

    /** The rows in order and by function, or the problem that kept them from being assembled. */
    record Registry(List<Primitive> all, Map<String, Primitive> byFunction, String problem) {
        Registry checked() {
            if (problem != null) throw new IllegalStateException(problem);
            return this;
        }
    }

    private static final class Loaded {
        static final Registry REGISTRY = load();
    }

    private static Registry load() {
        List<PrimitiveProvider> providers = new ArrayList<>();
        try {
            ServiceLoader.load(PrimitiveProvider.class, PrimitiveProvider.class.getClassLoader()).forEach(providers::add);
        } catch (ServiceConfigurationError e) {
            return new Registry(List.of(), Map.of(), "cannot load a PrimitiveProvider: " + e.getMessage());
        }
        return assemble(providers);
    }

    /** The built-in rows followed by {@code providers}' rows, or the clash that forbids them. */
    static Registry assemble(List<PrimitiveProvider> providers) {
        List<Primitive> all = new ArrayList<>(Primitive.BUILT_IN);
        Map<String, String> origin = new HashMap<>();
        for (Primitive p : Primitive.BUILT_IN) origin.put(p.name(), "the built-in table");
        for (PrimitiveProvider provider : providers) {
            String from = provider.getClass().getName();
            List<Primitive> rows;
            try {
                rows = provider.primitives();
            } catch (RuntimeException e) {
                return new Registry(List.of(), Map.of(), "PrimitiveProvider " + from + " failed: " + e);
            }
            for (Primitive p : rows) {
                String clash = origin.putIfAbsent(p.name(), from);
                if (clash != null) {
                    return new Registry(List.of(), Map.of(), "primitive " + p.name() + " of " + from
                            + " clashes with the row of that name in " + clash);
                }
                all.add(p);
            }
        }
        Map<String, Primitive> byFunction = new HashMap<>();
        for (Primitive p : all) {
            for (String f : p.functions) {
                Primitive other = byFunction.putIfAbsent(f, p);
                if (other != null) {
                    return new Registry(List.of(), Map.of(), "function " + f + " is implemented by both primitive "
                            + other.name() + " (" + origin.get(other.name()) + ") and " + p.name() + " ("
                            + origin.get(p.name()) + ")");
                }
            }
        }
        return new Registry(List.copyOf(all), Map.copyOf(byFunction), null);
    }

    static List<Primitive> all() {
        return Loaded.REGISTRY.checked().all();
    }

    /** The row implementing {@code owner.name}, or null. */
    static Primitive forFunction(String qualified) {
        return Loaded.REGISTRY.checked().byFunction().get(qualified);
    }
}
