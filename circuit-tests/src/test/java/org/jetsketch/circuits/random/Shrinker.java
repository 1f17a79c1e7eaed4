package org.jetsketch.circuits.random;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jetsketch.circuits.random.Ast.*;
import org.jetsketch.circuits.random.Checks.Failure;

/**
 * Shrinks a failing program to a minimal one that fails the same check. One round lists every
 * one-step reduction (drop a statement or a helper, replace an {@code if} or a loop by its body, an
 * expression by one of its operands or by 1.0, a condition by one side of its {@code &&}/{@code ||},
 * the optimizer by SGD and the schedule by two full-batch steps), keeps those the oracle accepts,
 * compiles them in batches of {@link #CHUNK} and moves to the shortest that still fails; it stops
 * when no reduction fails or after {@link #ROUNDS} rounds.
 */
public final class Shrinker {
    static final int CHUNK = 40;
    static final int ROUNDS = 40;
    /** Components that are data, not syntax: never reduced. */
    private static final Set<String> FIXED = Set.of("name", "init", "xs", "labels", "params", "kind", "scalars",
            "vecLen", "rows", "cols", "steps");

    private Shrinker() {}

    /**
     * What identifies a failure while shrinking, so that a reduction cannot drift to another
     * defect: a known defect by its name, any other by its check and the exception it names.
     */
    public static String signature(Failure f) {
        RandomCircuits.KnownDefect d = RandomCircuits.KnownDefect.of(f);
        if (d != null) return d.name();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("[\\w.]+(Exception|Error)").matcher(f.detail());
        return f.check() + (m.find() ? "|" + m.group() : "");
    }

    /** Whether {@code failures} include one with {@code signature}. */
    public static boolean failsSame(List<Failure> failures, String signature) {
        for (Failure f : failures) if (signature(f).equals(signature)) return true;
        return false;
    }

    /** The smallest program reachable from {@code p} by reductions that still fail with {@code signature}. */
    public static Program shrink(Program p, String signature) {
        Program current = p;
        for (int round = 0; round < ROUNDS; round++) {
            List<Program> candidates = new ArrayList<>();
            for (Object o : variants(current)) {
                Program c = (Program) o;
                if (acceptable(c)) candidates.add(c);
            }
            candidates.sort(Comparator.comparingInt(c -> JavaPrinter.source(c).length()));
            Program next = null;
            for (int from = 0; from < candidates.size() && next == null; from += CHUNK) {
                Map<String, Program> named = new LinkedHashMap<>();
                Map<String, String> sources = new LinkedHashMap<>();
                for (int i = from; i < Math.min(candidates.size(), from + CHUNK); i++) {
                    Program c = candidates.get(i).withName(p.name() + "s" + round + "c" + i);
                    named.put(JavaPrinter.qualifiedName(c), c);
                    sources.put(JavaPrinter.qualifiedName(c), JavaPrinter.source(c));
                }
                BatchCompiler.Result result = BatchCompiler.compile(sources);
                for (Map.Entry<String, Program> e : named.entrySet()) {
                    if (failsSame(RandomCircuits.check(e.getValue(), e.getKey(), result, new Checks.Counts()), signature)) {
                        next = e.getValue();
                        break;
                    }
                }
            }
            if (next == null) break;
            current = next;
        }
        return current.withName(p.name() + "Min");
    }

    private static boolean acceptable(Program c) {
        try {
            return ProgramGenerator.acceptable(c);
        } catch (RuntimeException e) {
            return false; // a reduction that leaves a variable undeclared or mixes kinds
        }
    }

    // ------------------------------------------------------------ one-step reductions, generically over the records

    static List<Object> variants(Object node) {
        List<Object> out = new ArrayList<>();
        if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                Object element = list.get(i);
                if (element instanceof Stmt || element instanceof Helper) {
                    List<Object> without = new ArrayList<>(list);
                    without.remove(i);
                    out.add(List.copyOf(without));
                }
                for (List<Stmt> inner : bodies(element)) {
                    List<Object> spliced = new ArrayList<>(list.subList(0, i));
                    spliced.addAll(inner);
                    spliced.addAll(list.subList(i + 1, list.size()));
                    out.add(List.copyOf(spliced));
                }
                for (Object v : variants(element)) {
                    List<Object> replaced = new ArrayList<>(list);
                    replaced.set(i, v);
                    out.add(List.copyOf(replaced));
                }
            }
            return out;
        }
        if (!(node instanceof Record record)) return out;
        if (node instanceof Program p) {
            if (!p.optimizer().equals("sgd")) out.add(with(p, "optimizer", "sgd"));
            if (!p.schedule().equals("full") || p.steps() != 2) {
                out.add(with(with(p, "schedule", "full"), "steps", 2));
            }
            if (!(p.measurement() instanceof Scalar)) out.add(with(p, "measurement", new Scalar(0)));
        }
        if (node instanceof Bin || node instanceof Neg || node instanceof Fun || node instanceof Cond
                || node instanceof Call) {
            for (RecordComponent rc : record.getClass().getRecordComponents()) {
                Object value = get(record, rc);
                if (value instanceof Expr e && isReal(e)) out.add(e);
                if (value instanceof List<?> l) for (Object o : l) if (o instanceof Expr e && isReal(e)) out.add(e);
            }
            out.add(new Num(1.0));
        }
        if (node instanceof For f && !(f.bound() instanceof IVal)) out.add(new For(f.var(), new IVal(1), f.body()));
        if (node instanceof While w && !(w.bound() instanceof IVal)) out.add(new While(w.var(), new IVal(1), w.body()));
        if (node instanceof Do d && !(d.bound() instanceof IVal)) out.add(new Do(d.var(), new IVal(1), d.body()));
        if (node instanceof And a) {
            out.add(a.a());
            out.add(a.b());
        }
        if (node instanceof Or o) {
            out.add(o.a());
            out.add(o.b());
        }
        for (RecordComponent rc : record.getClass().getRecordComponents()) {
            if (FIXED.contains(rc.getName())) continue;
            Object value = get(record, rc);
            if (value instanceof Record || value instanceof List) {
                for (Object v : variants(value)) out.add(with(record, rc.getName(), v));
            }
        }
        return out;
    }

    private static boolean isReal(Expr e) {
        return !(e instanceof Cmp || e instanceof ICmp || e instanceof And || e instanceof Or || e instanceof Not
                || e instanceof IVal || e instanceof IVar || e instanceof IMod || e instanceof ILen || e instanceof ILabel
                || e instanceof Arr || e instanceof Row);
    }

    private static List<List<Stmt>> bodies(Object s) {
        if (s instanceof If f) return List.of(f.then(), f.otherwise());
        return List.of();
    }

    private static Object get(Record r, RecordComponent rc) {
        try {
            return rc.getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <R extends Record> R with(R r, String component, Object value) {
        RecordComponent[] rcs = r.getClass().getRecordComponents();
        Object[] args = new Object[rcs.length];
        Class<?>[] types = new Class<?>[rcs.length];
        for (int i = 0; i < rcs.length; i++) {
            types[i] = rcs[i].getType();
            args[i] = rcs[i].getName().equals(component) ? value : get(r, rcs[i]);
        }
        try {
            Constructor<?> c = r.getClass().getDeclaredConstructor(types);
            return (R) c.newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
