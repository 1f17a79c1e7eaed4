package org.jetsketch.circuits.random;

import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Locale;

/**
 * The syntax of the random circuits: a small immutable tree that {@link ProgramGenerator} builds,
 * {@link JavaPrinter} prints as a {@code @Circuit} class, {@link DsEvaluator} runs over Commons
 * Math {@code DerivativeStructure} (the independent oracle) and {@link Shrinker} reduces. Three
 * kinds of expression: real ({@code double}, possibly active), passive integer, and condition.
 * Every node is a record, so a program prints itself as the Java expression that rebuilds it
 * ({@link #literal}), which is how shrunk failures are kept as regression cases.
 */
public final class Ast {
    private Ast() {}

    /** Any expression; which kind it is follows from its record type. */
    public sealed interface Expr permits Num, Local, Scalar, Elem, Elem2, Bin, Neg, Fun, Call, Cond, IntToDouble,
            IVal, IVar, IMod, ILen, ILabel, Cmp, ICmp, And, Or, Not, Arr, Row {}

    // ------------------------------------------------------------ real expressions
    public record Num(double value) implements Expr {}
    /** A double local or a helper's double parameter. */
    public record Local(String name) implements Expr {}
    /** The scalar parameter p{index}. */
    public record Scalar(int index) implements Expr {}
    /** {@code array[index]} of a 1-D array (the parameter v, the example's x, locals, varargs). */
    public record Elem(String array, Expr index) implements Expr {}
    public record Elem2(String array, Expr row, Expr column) implements Expr {}
    /** {@code a op b} for op in + - * /. */
    public record Bin(String op, Expr a, Expr b) implements Expr {}
    public record Neg(Expr a) implements Expr {}
    /** A function of the primitive table: "Math.exp", "Fn.gelu", "Math.pow", ... */
    public record Fun(String function, List<Expr> args) implements Expr {}
    /** A helper of the circuit; arguments are real expressions or arrays ({@link Arr}). */
    public record Call(String helper, List<Expr> args) implements Expr {}
    /** {@code c ? a : b} (also for arrays when a and b are). */
    public record Cond(Expr condition, Expr a, Expr b) implements Expr {}
    /** A passive integer used as a real: {@code 0.25 * i}. */
    public record IntToDouble(Expr value) implements Expr {}

    // ------------------------------------------------------------ passive integers
    public record IVal(int value) implements Expr {}
    public record IVar(String name) implements Expr {}
    /** {@code (a) % modulus}, a ≥ 0. */
    public record IMod(Expr a, int modulus) implements Expr {}
    public record ILen(String array) implements Expr {}
    /** {@code s.label()}. */
    public record ILabel() implements Expr {}

    // ------------------------------------------------------------ conditions
    /** A comparison of two reals, active or passive. */
    public record Cmp(String op, Expr a, Expr b) implements Expr {}
    public record ICmp(String op, Expr a, Expr b) implements Expr {}
    public record And(Expr a, Expr b) implements Expr {}
    public record Or(Expr a, Expr b) implements Expr {}
    public record Not(Expr a) implements Expr {}

    // ------------------------------------------------------------ arrays (as values)
    /** A 1-D or 2-D array variable used as a value (an argument, an alias). */
    public record Arr(String name) implements Expr {}
    /** Row {@code i} of a 2-D array, a 1-D array that aliases it. */
    public record Row(String array, Expr index) implements Expr {}

    // ------------------------------------------------------------ statements
    public sealed interface Stmt permits DeclD, Set, Inc, DeclArr, DeclArrInit, Alias, Decl2, SetElem, SetElem2, If,
            For, While, Do, Break, Continue {}

    public record DeclD(String name, Expr init) implements Stmt {}
    /** {@code name op value;} with op in = += -= *= /=. */
    public record Set(String name, String op, Expr value) implements Stmt {}
    /** {@code name++} or {@code name--} on a double local. */
    public record Inc(String name, boolean up) implements Stmt {}
    public record DeclArr(String name, int length) implements Stmt {}
    public record DeclArrInit(String name, List<Expr> elements) implements Stmt {}
    /** {@code double[] name = value;} where value is an array expression (alias, row, helper result, ?:). */
    public record Alias(String name, Expr value) implements Stmt {}
    public record Decl2(String name, int rows, int columns) implements Stmt {}
    public record SetElem(String array, Expr index, String op, Expr value) implements Stmt {}
    public record SetElem2(String array, Expr row, Expr column, String op, Expr value) implements Stmt {}
    public record If(Expr condition, List<Stmt> then, List<Stmt> otherwise) implements Stmt {}
    /** {@code for (int var = 0; var < bound; var++)}. */
    public record For(String var, Expr bound, List<Stmt> body) implements Stmt {}
    /** {@code int var = 0; while (var < bound) { body; var++; }}. */
    public record While(String var, Expr bound, List<Stmt> body) implements Stmt {}
    /** {@code int var = 0; do { body; var++; } while (var < bound);}. */
    public record Do(String var, Expr bound, List<Stmt> body) implements Stmt {}
    /** {@code if (condition) break;}. */
    public record Break(Expr condition) implements Stmt {}
    /** {@code if (condition) continue;} (only in {@code for} loops). */
    public record Continue(Expr condition) implements Stmt {}

    // ------------------------------------------------------------ declarations

    /**
     * A helper method. Kinds: {@code "double"} (double parameters {@code params}),
     * {@code "varargs"} ({@code double... xs}), {@code "array"} (a {@code double[] src}
     * parameter, returns a fresh {@code double[]} named {@code out}), {@code "boolean"} (double
     * parameters, returns the condition {@code result}). Instance helpers may read the parameters.
     */
    public record Helper(String kind, String name, boolean isStatic, List<String> params, List<Stmt> body,
            Expr result) {}

    /**
     * A whole circuit: scalar parameters p0..p{scalars-1}, a vector parameter v (length vecLen,
     * 0: none) and a matrix parameter m (rows x cols, 0: none), their initial values in layout
     * order, the loss body over the example {@code Sample s} (with {@code double[] x = s.x()}),
     * helpers, a measurement, an optimizer and a schedule, and the data set.
     */
    public record Program(String name, int scalars, int vecLen, int rows, int cols, List<Double> init,
            List<Stmt> body, Expr result, List<Helper> helpers, Expr measurement, String optimizer,
            String schedule, int steps, List<List<Double>> xs, List<Integer> labels) {
        public int paramCount() {
            return scalars + vecLen + rows * cols;
        }

        public Program withName(String newName) {
            return new Program(newName, scalars, vecLen, rows, cols, init, body, result, helpers, measurement,
                    optimizer, schedule, steps, xs, labels);
        }
    }

    // ------------------------------------------------------------ the literal printer

    /** Java source that rebuilds {@code value} (records, lists, strings, numbers, booleans). */
    public static String literal(Object value) {
        StringBuilder out = new StringBuilder();
        literal(value, out);
        return out.toString();
    }

    private static void literal(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            out.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        } else if (value instanceof Double d) {
            out.append(doubleLiteral(d));
        } else if (value instanceof Integer || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof List<?> list) {
            out.append("List.of(");
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) out.append(", ");
                literal(list.get(i), out);
            }
            out.append(')');
        } else if (value instanceof Record r) {
            out.append("new Ast.").append(r.getClass().getSimpleName()).append('(');
            RecordComponent[] components = r.getClass().getRecordComponents();
            for (int i = 0; i < components.length; i++) {
                if (i > 0) out.append(", ");
                try {
                    literal(components[i].getAccessor().invoke(r), out);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            out.append(')');
        } else {
            throw new IllegalArgumentException("no literal for " + value.getClass());
        }
    }

    /** A double as Java source that reads back as the same bits. */
    public static String doubleLiteral(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) throw new IllegalArgumentException("not finite: " + d);
        String s = Double.toString(d);
        return s.toLowerCase(Locale.ROOT).contains("e") || s.contains(".") ? s : s + ".0";
    }
}
