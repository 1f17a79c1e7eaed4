package org.jetsketch.circuits;

/** A labelled feature vector: the example type of the test circuits. */
public record Sample(double[] x, int label) {}
