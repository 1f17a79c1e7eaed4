package org.jetsketch.cli;

/**
 * A malformed option value (a negative count, a --t that is not a list of numbers, an empty
 * range, an index that is not a number, a degree above the maximum): reported with the command's
 * usage, exit code 2, like the errors picocli finds itself.
 */
final class UsageException extends CliException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
