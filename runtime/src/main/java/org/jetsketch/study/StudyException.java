package org.jetsketch.study;

/**
 * A study's input or a spec string is wrong: the message names what is wrong and where (the file,
 * line and column; the option; the part of a measurement spec) and says what was expected.
 * {@link #malformed()} tells a caller whether the text itself could not be parsed (the command
 * line treats that as a usage error, exit code 2) or was well formed but names something the
 * problem does not have (a bad input, exit code 1).
 */
public class StudyException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final boolean malformed;

    /** A well-formed input the problem cannot use (a missing file, an unknown example name). */
    public StudyException(String message) {
        this(message, false, null);
    }

    public StudyException(String message, Throwable cause) {
        this(message, false, cause);
    }

    private StudyException(String message, boolean malformed, Throwable cause) {
        super(message, cause);
        this.malformed = malformed;
    }

    /** Text that could not be parsed (a spec without its ':', a number that is not a number). */
    public static StudyException malformed(String message) {
        return new StudyException(message, true, null);
    }

    /** True if the text could not be parsed; false if it names something the problem lacks. */
    public boolean malformed() {
        return malformed;
    }
}
