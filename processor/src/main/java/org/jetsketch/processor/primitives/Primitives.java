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
 * with one name, or two rows claiming one function, are an error naming both).
 */
final class Primitives {
    private Primitives() {}

    private static final class Loaded {
        static final List<Primitive> ALL;
        static final Map<String, Primitive> BY_FUNCTION = new HashMap<>();

        static {
            List<Primitive> all = new ArrayList<>(Primitive.BUILT_IN);
            Map<String, String> origin = new HashMap<>();
            for (Primitive p : Primitive.BUILT_IN) origin.put(p.name(), "the built-in table");
            try {
                for (PrimitiveProvider provider : ServiceLoader.load(PrimitiveProvider.class,
                        PrimitiveProvider.class.getClassLoader())) {
                    String from = provider.getClass().getName();
                    for (Primitive p : provider.primitives()) {
                        String clash = origin.putIfAbsent(p.name(), from);
                        if (clash != null) {
                            throw new IllegalStateException("primitive " + p.name() + " of " + from
                                    + " clashes with the row of that name in " + clash);
                        }
                        all.add(p);
                    }
                }
            } catch (ServiceConfigurationError e) {
                throw new IllegalStateException("cannot load a PrimitiveProvider: " + e.getMessage(), e);
            }
            for (Primitive p : all) {
                for (String f : p.functions) {
                    Primitive other = BY_FUNCTION.putIfAbsent(f, p);
                    if (other != null) {
                        throw new IllegalStateException("function " + f + " is implemented by both " + other.name()
                                + " and " + p.name());
                    }
                }
            }
            ALL = List.copyOf(all);
        }
    }

    static List<Primitive> all() {
        return Loaded.ALL;
    }

    /** The row implementing {@code owner.name}, or null. */
    static Primitive forFunction(String qualified) {
        return Loaded.BY_FUNCTION.get(qualified);
    }
}
