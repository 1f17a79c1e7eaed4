package org.jetsketch.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The optimizer: a {@code void} method (static or instance) over the flattened parameter vector.
 * Every parameter carries one of {@link Params} (exactly one, {@code double[]}, updated in place),
 * {@link Grads} (exactly one, {@code double[]}, read only), {@link State} (any number of
 * {@code double[]} of the same length, zero at the start of training, updated in place),
 * {@link Step} and {@link Steps} (optional {@code int}s: the 0-based step and the step count).
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.METHOD)
public @interface TrainingStep {}
