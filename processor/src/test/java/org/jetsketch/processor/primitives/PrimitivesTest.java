package org.jetsketch.processor.primitives;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The registry's assembly: providers' rows follow the built-in ones, and a clash of names or of
 * functions, or a provider that throws, is a problem stated by name that every use reports
 * (never a failing class initializer).
 */
class PrimitivesTest {
    private static Primitive row(String name, String function) {
        return Primitive.row(name, 1).implementing(function).real("3.0 * {a}").realAdjoint("3.0 * {gy}")
                .jet("{j}.scale({a}, 3.0, {y});").jetAdjoint("{j}.addScaled({gy}, 3.0, {ga});").build();
    }

    private static final class Rows implements PrimitiveProvider {
        private final List<Primitive> rows;

        Rows(Primitive... rows) {
            this.rows = List.of(rows);
        }

        @Override
        public List<Primitive> primitives() {
            return rows;
        }
    }

    @Test
    void providedRowsFollowTheBuiltInOnes() {
        Primitive triple = row("TRIPLE", "com.example.Scale.triple");
        Primitives.Registry r = Primitives.assemble(List.of(new Rows(triple))).checked();
        assertThat(r.all().subList(0, Primitive.builtIns().size())).isEqualTo(Primitive.builtIns());
        assertThat(r.all().get(r.all().size() - 1)).isSameInstanceAs(triple);
        assertThat(r.byFunction().get("com.example.Scale.triple")).isSameInstanceAs(triple);
        assertThat(r.byFunction().get("Math.exp")).isSameInstanceAs(Primitive.EXP);
    }

    @Test
    void aNameClashIsAProblemNamingBothSides() {
        Primitives.Registry r = Primitives.assemble(List.of(new Rows(row("EXP", "com.example.Scale.triple"))));
        IllegalStateException e = assertThrows(IllegalStateException.class, r::checked);
        assertThat(e).hasMessageThat().isEqualTo("primitive EXP of " + Rows.class.getName()
                + " clashes with the row of that name in the built-in table");
    }

    @Test
    void aFunctionClaimedTwiceIsAProblemNamingBothRows() {
        Primitives.Registry r = Primitives.assemble(List.of(new Rows(row("MY_EXP", "Math.exp"))));
        IllegalStateException e = assertThrows(IllegalStateException.class, r::checked);
        assertThat(e).hasMessageThat().isEqualTo("function Math.exp is implemented by both primitive EXP"
                + " (the built-in table) and MY_EXP (" + Rows.class.getName() + ")");
    }

    @Test
    void aProviderThatThrowsIsAProblemNamingIt() {
        PrimitiveProvider broken = () -> {
            throw new IllegalStateException("primitive BAD: no jet forward rule");
        };
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Primitives.assemble(List.of(broken)).checked());
        assertThat(e).hasMessageThat().contains("failed: java.lang.IllegalStateException: primitive BAD: no jet forward rule");
    }
}
