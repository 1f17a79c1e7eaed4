package org.jetsketch.processor.codegen;

import static com.google.common.truth.Truth.assertThat;

import org.junit.jupiter.api.Test;

/** Where generated code puts parentheses around an expression it writes into more code: from its form. */
class JavaExprTest {
    @Test
    void aNameOrACallWithoutArgumentsIsAnOperandAsItIs() {
        JavaExpr n = JavaExpr.name("n");
        assertThat(n.operand()).isEqualTo("n");
        assertThat(JavaExpr.member(n, "length").operand()).isEqualTo("n.length");
        assertThat(JavaExpr.call(JavaExpr.name("list"), "size", "").operand()).isEqualTo("list.size()");
        assertThat(JavaExpr.parenthesized("(n - k)").operand()).isEqualTo("(n - k)");
    }

    @Test
    void anElementOrACallWithArgumentsIsParenthesized() {
        assertThat(JavaExpr.other("a[i]").operand()).isEqualTo("(a[i])");
        assertThat(JavaExpr.call(JavaExpr.name("Math"), "max", "a, b").operand()).isEqualTo("(Math.max(a, b))");
        // a member of anything but a name is no longer a name
        assertThat(JavaExpr.member(JavaExpr.other("a[i]"), "length").operand()).isEqualTo("(a[i].length)");
        assertThat(JavaExpr.call(JavaExpr.call(JavaExpr.name("x"), "f", ""), "g", "").operand())
                .isEqualTo("(x.f().g())");
    }

    @Test
    void aFactorIsParenthesizedUnlessAName() {
        assertThat(JavaExpr.name("i").factor()).isEqualTo("i");
        assertThat(JavaExpr.parenthesized("(i - 1)").factor()).isEqualTo("((i - 1))");
        assertThat(JavaExpr.call(JavaExpr.name("list"), "size", "").factor()).isEqualTo("(list.size())");
    }
}
