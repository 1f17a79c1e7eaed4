package org.jetsketch.examples;

/** A classification example: features {@code x} and a class label {@code 0..classes-1}. */
public record LabeledPoint(double[] x, int label) {}
