package org.jetsketch.processor.codegen;

import static com.google.common.truth.Truth.assertThat;

import java.util.List;
import org.jetsketch.processor.primitives.Primitive;
import org.junit.jupiter.api.Test;

/** The parts of the primitive table's jet rule statements that the writer decides on. */
class RuleStatementTest {
    @Test
    void aScaledAddIntoTheOperandsAdjoint() {
        List<RuleStatement> add = RuleStatement.of(Primitive.SUB.jetAdjoint.get(1));
        assertThat(add).hasSize(1);
        RuleStatement s = add.get(0);
        assertThat(s.condition()).isNull();
        assertThat(s.kernel()).isEqualTo("addScaled");
        assertThat(s.arguments()).containsExactly("{gy}", "-1.0", "{gb}").inOrder();
        assertThat(s.addsScaledInto("gb")).isTrue();
        assertThat(s.addsScaledInto("ga")).isFalse();
        assertThat(s.addedJet()).isEqualTo("{gy}");
        assertThat(s.factor()).isEqualTo("-1.0");
    }

    @Test
    void aMultiplyAddOrAGuardedAddIsNotAScaledAdd() {
        assertThat(RuleStatement.of(Primitive.MUL.jetAdjoint.get(0)).get(0).addsScaledInto("ga")).isFalse();
        RuleStatement guarded = RuleStatement.of(Primitive.RELU.jetAdjoint.get(0)).get(0);
        assertThat(guarded.condition()).isEqualTo("{a.re} > 0.0");
        assertThat(guarded.negated()).isFalse();
        assertThat(guarded.statement()).isEqualTo("{j}.addScaled({gy}, 1.0, {ga});");
        assertThat(guarded.addsScaledInto("ga")).isFalse();
    }

    @Test
    void statementsSplitInOrderAndAPairIsTwoArguments() {
        List<RuleStatement> exp = RuleStatement.of(Primitive.EXP.jetAdjoint.get(0));
        assertThat(exp).hasSize(2);
        assertThat(exp.get(0).kernel()).isEqualTo("expPrime");
        assertThat(exp.get(0).arguments()).containsExactly("Jets.UNREAD", "0", "{y}", "{t0}").inOrder();
        assertThat(exp.get(1).kernel()).isEqualTo("mulAdd");
        assertThat(RuleStatement.of(Primitive.POW_CONST.jetAdjoint.get(0)).get(0).arguments())
                .containsExactly("{a}", "{k} - 1.0", "{t0}").inOrder();
    }

    @Test
    void theTwoSidesOfMaxAreOneIfElse() {
        Bindings v = new Bindings();
        v.put("a.re", "val[x]");
        v.put("b.re", "val[z]");
        v.put("j", "jets");
        v.put("gy", "adj, m");
        v.put("ga", "adj, x");
        v.put("gb", "adj, z");
        RuleStatement.Line first = RuleStatement.of(Primitive.MAX.jetAdjoint.get(0)).get(0).fill(v);
        RuleStatement.Line second = RuleStatement.of(Primitive.MAX.jetAdjoint.get(1)).get(0).fill(v);
        assertThat(second.negated()).isTrue();
        assertThat(second.condition()).isEqualTo("val[x] >= val[z]");
        assertThat(first.elseOf(second)).isTrue();
        assertThat(second.elseOf(first)).isFalse();
        assertThat(first.text()).isEqualTo("if (val[x] >= val[z]) jets.addScaled(adj, m, 1.0, adj, x);");
        assertThat(second.text()).isEqualTo("if (!(val[x] >= val[z])) jets.addScaled(adj, m, 1.0, adj, z);");
        // the sides of min are not those of max
        RuleStatement.Line min = RuleStatement.of(Primitive.MIN.jetAdjoint.get(1)).get(0).fill(v);
        assertThat(first.elseOf(min)).isFalse();
    }
}
