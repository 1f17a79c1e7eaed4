package org.jetsketch.cli;

/**
 * Bad input from the user (a file that cannot be read, characters outside the vocabulary, an
 * index outside the training range, ...): reported as one clear message, exit code 1.
 */
class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CliException(String message) {
        super(message);
    }

    CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
