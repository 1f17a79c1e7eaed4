package org.jetsketch.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One example's loss: an instance method returning {@code double} with exactly one parameter,
 * the example (any type, read only). Training weights it by {@code (1 - w_i) / batchSize}; the
 * weight never appears in user code.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.METHOD)
public @interface Loss {}
