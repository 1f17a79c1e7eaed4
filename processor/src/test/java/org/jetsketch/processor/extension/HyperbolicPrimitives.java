package org.jetsketch.processor.extension;

import java.util.List;
import org.jetsketch.processor.primitives.Primitive;
import org.jetsketch.processor.primitives.Primitive.Input;
import org.jetsketch.processor.primitives.PrimitiveProvider;

/**
 * Adds the primitive SINH for {@link Hyperbolic#sinh} through the registry's extension point
 * (listed in {@code META-INF/services} of the test resources): the row and the kernels, nothing
 * else. PrimitiveExtensionTest compiles and runs a circuit that calls it; PrimitiveTableTest
 * checks its rules with every other row's.
 */
public final class HyperbolicPrimitives implements PrimitiveProvider {
    private static final String KERNELS = "org.jetsketch.processor.extension.HyperbolicKernels";

    static final Primitive SINH = Primitive.row("SINH", 1)
            .implementing("org.jetsketch.processor.extension.Hyperbolic.sinh")
            .real("org.jetsketch.processor.extension.Hyperbolic.sinh({a})")
            .realAdjoint("{gy} * " + KERNELS + ".sinhPrime({a})").realReads(Input.A)
            .jet(KERNELS + ".sinh({j}, {a}, {t0}, {t1}, {y});")
            .jetAdjoint(KERNELS + ".sinhPrime({j}, {a}, {t1}, {t2}, {t0}); {j}.mulAdd({gy}, {t0}, {ga});")
            .jetReads(Input.A)
            .build();

    @Override
    public List<Primitive> primitives() {
        return List.of(SINH);
    }
}
