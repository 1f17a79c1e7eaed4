package com.example.counts;

/** One observation: features and an event count. */
public record Count(double[] x, int events) {}
