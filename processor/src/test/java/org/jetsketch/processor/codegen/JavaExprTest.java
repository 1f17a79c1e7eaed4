package org.jetsketch.processor.codegen;

import static com.google.common.truth.Truth.assertThat;

import java.util.Map;
import org.jetsketch.processor.codegen.JavaExpr.Precedence;
import org.junit.jupiter.api.Test;

/**
 * Where generated code puts parentheses around an expression it writes into more code: only where
 * Java needs them, by the precedence of the expression and of the place. Each case is compared as
 * text, and the printed arithmetic is checked against the value the grouping means.
 */
class JavaExprTest {
    private static final JavaExpr A = JavaExpr.name("a");
    private static final JavaExpr B = JavaExpr.name("b");
    private static final JavaExpr C = JavaExpr.name("c");
    private static final JavaExpr X = JavaExpr.name("x");
    private static final JavaExpr Y = JavaExpr.name("y");
    private static final JavaExpr ONE = JavaExpr.name("1");

    private static JavaExpr bin(JavaExpr l, String op, JavaExpr r) { return JavaExpr.binary(l, op, r); }

    @Test
    void theRightOperandOfAnOperatorOfEqualPrecedenceKeepsItsParentheses() {
        assertThat(bin(A, "-", bin(B, "-", C)).text()).isEqualTo("a - (b - c)");
        assertThat(bin(A, "/", bin(B, "*", C)).text()).isEqualTo("a / (b * c)");
        assertThat(bin(A, "+", bin(B, "+", C)).text()).isEqualTo("a + (b + c)");
        assertThat(bin(A, "*", bin(B, "*", C)).text()).isEqualTo("a * (b * c)");
    }

    @Test
    void theLeftOperandOfEqualPrecedenceNeedsNone() {
        assertThat(bin(bin(A, "-", B), "-", C).text()).isEqualTo("a - b - c");
        assertThat(bin(bin(A, "*", B), "/", C).text()).isEqualTo("a * b / c");
        assertThat(bin(bin(A, "+", B), "<", C).text()).isEqualTo("a + b < c");
    }

    @Test
    void aLooserOperandIsParenthesizedATighterOneIsNot() {
        assertThat(bin(bin(A, "+", B), "*", C).text()).isEqualTo("(a + b) * c");
        assertThat(bin(A, "*", bin(B, "+", C)).text()).isEqualTo("a * (b + c)");
        assertThat(bin(A, "+", bin(B, "*", C)).text()).isEqualTo("a + b * c");
        assertThat(bin(bin(A, "<", B), "&&", bin(X, ">=", Y)).text()).isEqualTo("a < b && x >= y");
        assertThat(bin(bin(A, "||", B), "&&", C).text()).isEqualTo("(a || b) && c");
        assertThat(bin(A, "||", bin(B, "&&", C)).text()).isEqualTo("a || b && c");
        assertThat(bin(bin(A, "&", B), "==", C).text()).isEqualTo("(a & b) == c");
    }

    @Test
    void prefixOperatorsAndCasts() {
        assertThat(JavaExpr.prefix("-", bin(A, "-", B)).text()).isEqualTo("-(a - b)");
        assertThat(JavaExpr.prefix("-", A).text()).isEqualTo("-a");
        assertThat(JavaExpr.prefix("-", JavaExpr.prefix("-", A)).text()).isEqualTo("-(-a)");
        assertThat(JavaExpr.prefix("+", JavaExpr.prefix("++", A)).text()).isEqualTo("+(++a)");
        assertThat(JavaExpr.prefix("-", JavaExpr.prefix("!", A)).text()).isEqualTo("-!a");
        assertThat(JavaExpr.prefix("!", bin(A, "<", B)).text()).isEqualTo("!(a < b)");
        assertThat(JavaExpr.cast("double", bin(A, "+", B)).text()).isEqualTo("(double) (a + b)");
        assertThat(JavaExpr.cast("double", JavaExpr.prefix("-", A)).text()).isEqualTo("(double) (-a)");
        assertThat(JavaExpr.cast("double", JavaExpr.element(A, bin(X, "+", ONE))).text()).isEqualTo("(double) a[x + 1]");
        // a cast binds more tightly than any binary operator: its operand is the cast's alone
        JavaExpr step = JavaExpr.cast("double", JavaExpr.name("step"));
        JavaExpr steps = JavaExpr.cast("double", JavaExpr.name("steps"));
        JavaExpr lr = bin(JavaExpr.name("0.01"), "*", bin(JavaExpr.name("1.0"), "-", bin(step, "/", steps)));
        assertThat(lr.text()).isEqualTo("0.01 * (1.0 - (double) step / (double) steps)");
        assertThat(JavaExpr.member(JavaExpr.cast("Foo", X), "bar").text()).isEqualTo("((Foo) x).bar");
    }

    @Test
    void conditionals() {
        JavaExpr choice = JavaExpr.conditional(C, X, Y);
        assertThat(choice.text()).isEqualTo("c ? x : y");
        assertThat(bin(choice, "+", ONE).text()).isEqualTo("(c ? x : y) + 1");
        assertThat(bin(JavaExpr.name("i"), ">=", choice).text()).isEqualTo("i >= (c ? x : y)");
        assertThat(JavaExpr.conditional(bin(A, "<", B), bin(X, "+", ONE), bin(Y, "*", C)).text())
                .isEqualTo("a < b ? x + 1 : y * c");
        assertThat(JavaExpr.conditional(choice, A, B).text()).isEqualTo("(c ? x : y) ? a : b");
        assertThat(JavaExpr.conditional(A, choice, B).text()).isEqualTo("a ? (c ? x : y) : b");
        assertThat(JavaExpr.conditional(A, B, choice).text()).isEqualTo("a ? b : c ? x : y");
        assertThat(JavaExpr.conditional(A, B, JavaExpr.assignment(X, "=", Y)).text()).isEqualTo("a ? b : (x = y)");
    }

    @Test
    void assignmentsAndPostfix() {
        JavaExpr assign = JavaExpr.assignment(X, "=", bin(A, "+", B));
        assertThat(assign.text()).isEqualTo("x = a + b");
        assertThat(bin(assign, "!=", ONE).text()).isEqualTo("(x = a + b) != 1");
        assertThat(JavaExpr.assignment(X, "=", JavaExpr.assignment(Y, "=", A)).text()).isEqualTo("x = y = a");
        assertThat(JavaExpr.postfix(JavaExpr.element(A, X), "++").text()).isEqualTo("a[x]++");
        assertThat(JavaExpr.element(JavaExpr.call(JavaExpr.name("ws"), "doubles", "n + 1"), ONE).text())
                .isEqualTo("ws.doubles(n + 1)[1]");
    }

    @Test
    void precedenceIsReadFromText() {
        assertThat(JavaExpr.precedenceOf("a")).isEqualTo(Precedence.POSTFIX);
        assertThat(JavaExpr.precedenceOf("ws.w[i + 1].length")).isEqualTo(Precedence.POSTFIX);
        assertThat(JavaExpr.precedenceOf("Math.max(a - b, c)")).isEqualTo(Precedence.POSTFIX);
        assertThat(JavaExpr.precedenceOf("(a - b)")).isEqualTo(Precedence.POSTFIX);
        assertThat(JavaExpr.precedenceOf("(a) - b")).isEqualTo(Precedence.ADDITIVE);
        assertThat(JavaExpr.precedenceOf("-1.0")).isEqualTo(Precedence.UNARY);
        assertThat(JavaExpr.precedenceOf("(double) step")).isEqualTo(Precedence.UNARY);
        assertThat(JavaExpr.precedenceOf("(double) -x")).isEqualTo(Precedence.UNARY);
        assertThat(JavaExpr.precedenceOf("(double) step / steps")).isEqualTo(Precedence.MULTIPLICATIVE);
        assertThat(JavaExpr.precedenceOf("1.0e-5 * a")).isEqualTo(Precedence.MULTIPLICATIVE);
        assertThat(JavaExpr.precedenceOf("a * -b + c")).isEqualTo(Precedence.ADDITIVE);
        assertThat(JavaExpr.precedenceOf("a < b ? a : b")).isEqualTo(Precedence.CONDITIONAL);
        assertThat(JavaExpr.precedenceOf("\"a - b\" + x")).isEqualTo(Precedence.ADDITIVE);
        assertThat(JavaExpr.precedenceOf("val, t4")).isEqualTo(Precedence.SEQUENCE);
        assertThat(JavaExpr.precedenceOf("x = y")).isEqualTo(Precedence.ASSIGNMENT);
        assertThat(JavaExpr.precedenceOf("i++")).isEqualTo(Precedence.POSTFIX);
        assertThat(JavaExpr.precedenceOf("new double[n]")).isEqualTo(Precedence.UNARY);
    }

    @Test
    void aTemplatePlaceholderIsParenthesizedByItsNeighbours() {
        Map<String, String> v = Map.of("a", "p + q", "b", "r * s", "k", "-0.5", "gy", "g", "c", "u ? v : w",
                "n", "m", "j", "val, t4");
        assertThat(JavaExpr.fill("{a} * {b}", v::get)).isEqualTo("(p + q) * (r * s)");
        assertThat(JavaExpr.fill("{b} * {a}", v::get)).isEqualTo("r * s * (p + q)");
        assertThat(JavaExpr.fill("{n} / {b}", v::get)).isEqualTo("m / (r * s)");
        assertThat(JavaExpr.fill("{a} + {b} * {k}", v::get)).isEqualTo("p + q + r * s * -0.5");
        assertThat(JavaExpr.fill("{n} - {a}", v::get)).isEqualTo("m - (p + q)");
        assertThat(JavaExpr.fill("-{gy} / {b}", v::get)).isEqualTo("-g / (r * s)");
        assertThat(JavaExpr.fill("-{k}", v::get)).isEqualTo("-(-0.5)");
        assertThat(JavaExpr.fill("-{a}", v::get)).isEqualTo("-(p + q)");
        assertThat(JavaExpr.fill("Math.exp({a} * RealMath.log({b}))", v::get)).isEqualTo("Math.exp((p + q) * RealMath.log(r * s))");
        assertThat(JavaExpr.fill("({a} > 0.0 ? {a} : 0.0)", v::get)).isEqualTo("(p + q > 0.0 ? p + q : 0.0)");
        assertThat(JavaExpr.fill("{c} > 0.0 ? {c} : {c}", v::get)).isEqualTo("(u ? v : w) > 0.0 ? (u ? v : w) : u ? v : w");
        assertThat(JavaExpr.fill("{n}Bar += {a}", v::get)).isEqualTo("mBar += p + q");
        assertThat(JavaExpr.fill("jets.exp({j}, {n})", v::get)).isEqualTo("jets.exp(val, t4, m)");
        assertThat(JavaExpr.fill("{a}.length", v::get)).isEqualTo("(p + q).length");
    }

    /**
     * Printed arithmetic evaluates as the tree it was printed from: each tree over a, b, c is
     * printed, the text is evaluated by a small evaluator that knows Java's precedence and left
     * associativity (parentheses, unary minus, * / + -), and the value is compared bit for bit
     * with the tree's own.
     */
    @Test
    void printedArithmeticKeepsItsValue() {
        double a = 0.1;
        double b = 0.7;
        double c = 3.3;
        String[] ops = {"+", "-", "*", "/"};
        int checked = 0;
        for (String o1 : ops) {
            for (String o2 : ops) {
                Object[][] trees = {
                    {bin(A, o1, bin(B, o2, C)), apply(o1, a, apply(o2, b, c))},
                    {bin(bin(A, o1, B), o2, C), apply(o2, apply(o1, a, b), c)},
                    {JavaExpr.prefix("-", bin(A, o1, B)), -apply(o1, a, b)},
                    {bin(JavaExpr.prefix("-", A), o1, bin(C, o2, JavaExpr.prefix("-", B))), apply(o1, -a, apply(o2, c, -b))},
                };
                for (Object[] t : trees) {
                    String text = ((JavaExpr) t[0]).text();
                    double printed = new Arithmetic(text, Map.of("a", a, "b", b, "c", c)).parse();
                    assertThat(Double.doubleToRawLongBits(printed)).isEqualTo(Double.doubleToRawLongBits((double) t[1]));
                    checked++;
                }
            }
        }
        assertThat(checked).isEqualTo(64);
    }

    private static double apply(String op, double x, double y) {
        return switch (op) {
            case "+" -> x + y;
            case "-" -> x - y;
            case "*" -> x * y;
            default -> x / y;
        };
    }

    /** A recursive-descent evaluator of Java arithmetic on named doubles (the oracle of the printed text). */
    private static final class Arithmetic {
        private final String s;
        private final Map<String, Double> names;
        private int i;

        Arithmetic(String s, Map<String, Double> names) {
            this.s = s.replace(" ", "");
            this.names = names;
        }

        double parse() {
            double v = additive();
            if (i != s.length()) throw new IllegalStateException("unread text at " + i + ": " + s);
            return v;
        }

        private double additive() {
            double v = multiplicative();
            while (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                char op = s.charAt(i++);
                double r = multiplicative();
                v = op == '+' ? v + r : v - r;
            }
            return v;
        }

        private double multiplicative() {
            double v = unary();
            while (i < s.length() && (s.charAt(i) == '*' || s.charAt(i) == '/')) {
                char op = s.charAt(i++);
                double r = unary();
                v = op == '*' ? v * r : v / r;
            }
            return v;
        }

        private double unary() {
            if (s.charAt(i) == '-') {
                i++;
                return -unary();
            }
            if (s.charAt(i) == '(') {
                i++;
                double v = additive();
                if (s.charAt(i++) != ')') throw new IllegalStateException("no ) at " + (i - 1) + ": " + s);
                return v;
            }
            return names.get(String.valueOf(s.charAt(i++)));
        }
    }
}
