package org.jetsketch.study;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.circuit.CompiledCircuit;

/**
 * The {@code @Measurement} methods of a generated circuit, named by a spec string:
 * {@code method:arguments}, the arguments separated by ';', the elements of an array argument by
 * ',' ({@code prediction:1.5,1,0} calls {@code prediction(new double[] {1.5, 1, 0})};
 * {@code probability:1,2;1} calls {@code probability(new double[] {1, 2}, 1)}). Parameter types
 * {@code double}, {@code int}, {@code long}, {@code double[]} and {@code int[]} are accepted; a
 * method with other parameter types cannot be named. Found by reflection over the generated class
 * (its public methods returning {@link BoundMeasurement}), so a study gets them without code.
 */
public final class CircuitMeasurements {
    private CircuitMeasurements() {}

    /** The circuit's measurement methods a spec can name, by name. */
    public static List<Method> methods(CompiledCircuit<?> circuit) {
        List<Method> found = new ArrayList<>();
        for (Method m : circuit.getClass().getMethods()) {
            if (m.getReturnType() == BoundMeasurement.class && !Modifier.isStatic(m.getModifiers())
                    && Arrays.stream(m.getParameterTypes()).allMatch(CircuitMeasurements::accepted)) {
                found.add(m);
            }
        }
        found.sort(Comparator.comparing(Method::getName).thenComparing(Method::getParameterCount));
        return found;
    }

    /** The forms {@link #parse} accepts for this circuit, one line each ("prediction:<double,...>"). */
    public static List<String> forms(CompiledCircuit<?> circuit) {
        List<String> forms = new ArrayList<>();
        for (Method m : methods(circuit)) {
            StringBuilder sb = new StringBuilder(m.getName()).append(':');
            Class<?>[] types = m.getParameterTypes();
            for (int a = 0; a < types.length; a++) {
                sb.append(a == 0 ? "" : ";").append('<').append(m.getParameters()[a].isNamePresent()
                        ? m.getParameters()[a].getName() + " " : "").append(typeName(types[a])).append('>');
            }
            forms.add(sb.toString());
        }
        return forms;
    }

    /**
     * The measurement {@code spec} names, or null if its kind (the text before the first ':') is
     * not one of the circuit's measurement methods (so a study can try its own kinds first or
     * after).
     *
     * @throws StudyException if the kind is a measurement method but the arguments do not fit it
     */
    public static StudyMeasurement parseOrNull(CompiledCircuit<?> circuit, String spec) {
        int colon = spec.indexOf(':');
        String kind = colon < 0 ? spec : spec.substring(0, colon);
        String rest = colon < 0 ? "" : spec.substring(colon + 1);
        List<Method> named = methods(circuit).stream().filter(m -> m.getName().equals(kind)).toList();
        if (named.isEmpty()) return null;
        String[] parts = rest.isEmpty() ? new String[0] : rest.split(";", -1);
        Method chosen = null;
        for (Method m : named) if (m.getParameterCount() == parts.length) chosen = m;
        if (chosen == null) {
            throw StudyException.malformed("--measure " + spec + ": " + kind + " takes "
                    + named.stream().map(m -> Integer.toString(m.getParameterCount())).distinct()
                            .reduce((a, b) -> a + " or " + b).orElseThrow()
                    + " argument(s) separated by ';', got " + parts.length + "; expected "
                    + String.join(" or ", forms(circuit).stream().filter(f -> f.startsWith(kind + ":")).toList()));
        }
        Object[] args = new Object[parts.length];
        Class<?>[] types = chosen.getParameterTypes();
        for (int a = 0; a < parts.length; a++) args[a] = argument(spec, kind, a, types[a], parts[a]);
        BoundMeasurement bound;
        try {
            bound = (BoundMeasurement) chosen.invoke(circuit, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw new StudyException("--measure " + spec + ": " + kind + " refused its arguments: " + cause.getMessage(), cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("measurement method " + chosen + " is not accessible", e);
        }
        return new StudyMeasurement(spec, bound.description(), bound);
    }

    /** {@link #parseOrNull}, with an error listing the accepted forms when the kind is unknown. */
    public static StudyMeasurement parse(CompiledCircuit<?> circuit, String spec) {
        StudyMeasurement m = parseOrNull(circuit, spec);
        if (m == null) {
            int colon = spec.indexOf(':');
            String kind = colon < 0 ? spec : spec.substring(0, colon);
            throw StudyException.malformed("--measure " + spec + ": unknown kind '" + kind + "'; expected "
                    + String.join(", ", forms(circuit)));
        }
        return m;
    }

    private static Object argument(String spec, String kind, int index, Class<?> type, String text) {
        String where = "--measure " + spec + ": argument " + (index + 1) + " of " + kind + " ('" + text + "')";
        String[] elements = text.split(",", -1);
        try {
            if (type == double.class || type == int.class || type == long.class) {
                if (elements.length != 1) throw StudyException.malformed(where + ": one " + typeName(type) + " expected");
                return type == double.class ? (Object) number(where, text)
                        : type == int.class ? (Object) Integer.parseInt(text.strip()) : (Object) Long.parseLong(text.strip());
            }
            if (type == double[].class) {
                double[] v = new double[elements.length];
                for (int i = 0; i < v.length; i++) v[i] = number(where + " element " + (i + 1), elements[i]);
                return v;
            }
            int[] v = new int[elements.length];
            for (int i = 0; i < v.length; i++) v[i] = Integer.parseInt(elements[i].strip());
            return v;
        } catch (NumberFormatException e) {
            throw StudyException.malformed(where + ": not " + (type == double.class || type == double[].class
                    ? "a number" : "an integer") + (elements.length > 1 ? " list" : ""));
        }
    }

    private static double number(String where, String text) {
        double v;
        try {
            v = Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw StudyException.malformed(where + ": '" + text + "' is not a number");
        }
        if (!Double.isFinite(v)) throw StudyException.malformed(where + ": '" + text + "' is not finite");
        return v;
    }

    private static boolean accepted(Class<?> t) {
        return t == double.class || t == int.class || t == long.class || t == double[].class || t == int[].class;
    }

    private static String typeName(Class<?> t) {
        return t == double[].class ? "double,..." : t == int[].class ? "int,..." : t.getSimpleName();
    }
}
