package org.jetsketch.processor.extension;

import java.util.List;
import org.jetsketch.processor.primitives.Primitive;
import org.jetsketch.processor.primitives.Primitive.Input;
import org.jetsketch.processor.primitives.PrimitiveProvider;

/**
 * Adds HYPOT for {@link Plane#hypot}, a function of two operands, as a second provider next to
 * {@link HyperbolicPrimitives}. Its adjoints are quotients, ga += (gy·a)/y, in both modes, so its
 * jet adjoint needs no kernel of its own.
 */
public final class PlanePrimitives implements PrimitiveProvider {
    static final Primitive HYPOT = Primitive.row("HYPOT", 2)
            .implementing("org.jetsketch.processor.extension.Plane.hypot")
            .real("org.jetsketch.processor.extension.PlaneKernels.hypot({a}, {b})")
            .realAdjoint("{gy} * {a} / {y}", "{gy} * {b} / {y}").realReads(Input.A, Input.B, Input.Y)
            .jet("org.jetsketch.processor.extension.PlaneKernels.hypot({j}, {a}, {b}, {t0}, {t1}, {y});")
            .jetAdjoint("{j}.mul({gy}, {a}, {t0}); {j}.div({t0}, {y}, {t0}); {j}.addScaled({t0}, 1.0, {ga});",
                    "{j}.mul({gy}, {b}, {t0}); {j}.div({t0}, {y}, {t0}); {j}.addScaled({t0}, 1.0, {gb});")
            .jetReads(Input.A, Input.B, Input.Y)
            .build();

    @Override
    public List<Primitive> primitives() {
        return List.of(HYPOT);
    }
}
