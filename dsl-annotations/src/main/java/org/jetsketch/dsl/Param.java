package org.jetsketch.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A learnable parameter: a non-private field of type {@code double}, {@code double[]} or
 * (rectangular) {@code double[][]}. Shapes and initial values are read from the instance the
 * generated circuit is built from. The flat parameter vector lists the {@code @Param} fields in
 * declaration order, each row-major.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.FIELD)
public @interface Param {}
