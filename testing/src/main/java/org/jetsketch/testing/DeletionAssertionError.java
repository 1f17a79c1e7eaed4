package org.jetsketch.testing;

import org.opentest4j.AssertionFailedError;

/** A deletion assertion that failed: the message says what was asked, what was found and what to change. */
public final class DeletionAssertionError extends AssertionFailedError {
    private static final long serialVersionUID = 1L;

    DeletionAssertionError(String message) {
        super(message);
    }
}
