package org.jetsketch.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class as a learning algorithm that jetsketch compiles. The class declares its learnable
 * parameters as {@link Param} fields, exactly one {@link Loss} method, exactly one
 * {@link TrainingStep} method and any number of {@link Measurement} methods. The annotation
 * processor generates {@code <SimpleName>_Circuit} in the same package: the ordinary and the jet
 * (Taylor-over-reverse) code for the loss, the step and the measurements.
 *
 * <p>The class itself stays plain Java: its methods can be called directly on doubles.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.TYPE)
public @interface Circuit {}
