package org.jetsketch.examples;

/** A regression example: features {@code x} and a real target {@code y}. */
public record RegressionPoint(double[] x, double y) {}
