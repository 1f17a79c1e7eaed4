package org.jetsketch.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A quantity computed from the trained parameters: an instance method returning {@code double}.
 * Its arguments (any types, read only) are bound when the measurement is chosen; the generated
 * circuit gets a method of the same name and arguments returning a bound measurement.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.METHOD)
public @interface Measurement {}
