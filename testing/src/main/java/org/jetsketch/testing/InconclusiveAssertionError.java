package org.jetsketch.testing;

import org.opentest4j.AssertionFailedError;

/**
 * A statistical deletion assertion that the sketches could not decide: a confidence interval
 * contains a boundary of the bound. Distinct from {@link DeletionAssertionError} (which means the
 * bound is violated): the remedy is more directions, and {@link #directionsNeeded()} says how many.
 */
public final class InconclusiveAssertionError extends AssertionFailedError {
    private static final long serialVersionUID = 1L;

    private final long directionsNeeded;

    InconclusiveAssertionError(String message, long directionsNeeded) {
        super(message);
        this.directionsNeeded = directionsNeeded;
    }

    /**
     * The number of directions m at which, by the 1/√m scaling of the standard error, every
     * undecided interval would shrink enough to decide; −1 if an estimate sits exactly on a
     * boundary (no m decides it) or the standard error is unavailable.
     */
    public long directionsNeeded() { return directionsNeeded; }
}
