package org.jetsketch.processor.codegen;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A rule template's placeholder values. A value may be given as code that writes it when a
 * template reads the placeholder, so that the workspace locals it names are named only by
 * the rules that use them (a rule that does not read y does not name y's slot). A value is put in
 * parentheses where the template's operators around it need them ({@link JavaExpr#fill}).
 */
final class Bindings {
    private final Map<String, Supplier<String>> values = new HashMap<>();

    void put(String key, String value) { values.put(key, () -> value); }

    void lazy(String key, Supplier<String> value) { values.put(key, value); }

    String get(String key) {
        Supplier<String> value = values.get(key);
        return value == null ? null : value.get();
    }

    boolean has(String key) { return values.containsKey(key); }

    /** {@code template}, a rule template of the primitive table, filled with these values. */
    String fill(String template) { return JavaExpr.fill(Code.typesMarked(template), this::get); }
}
