package org.jetsketch.circuit;

/**
 * Sees every branch decision that generated jet code takes on active values: a comparison, and
 * {@code max}, {@code min}, {@code abs}, {@code relu}. Jet code decides them by the real parts;
 * just before, it hands the observer the jets whose difference's sign is decided, so that the
 * observer can bound how far along the directions the decision stays the same (the branch-switch
 * monitor). Jets are {@code (array, offset)} pairs in the layout of {@code Jets}.
 */
public interface BranchObserver {

    /** The decision at {@code site} on the sign of a − b. */
    void difference(int site, double[] a, int ao, double[] b, int bo);

    /** The decision at {@code site} on the sign of a − c for a real constant c. */
    void differenceConst(int site, double[] a, int ao, double c);
}
