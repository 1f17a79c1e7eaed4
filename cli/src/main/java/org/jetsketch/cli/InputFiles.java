package org.jetsketch.cli;

import java.nio.file.Path;
import org.jetsketch.study.StudyException;
import org.jetsketch.study.StudyFiles;

/**
 * Reading the text files the options name (--data, --docs, --init, --delete-file, --group-by
 * file:F), with one wording for every file that cannot be read:
 * {@code <option> <file>: cannot read the file: <reason>}, the reason in words ("no such file or
 * directory", "it is a directory", "permission denied", "not UTF-8 text: line 3, byte 0xE9 at
 * offset 12"), never a Java class or a decoder's "Input length = 1".
 */
final class InputFiles {
    private InputFiles() {}

    /**
     * The whole file as strict UTF-8 text, without a leading byte-order mark.
     *
     * @throws CliException in the wording above
     */
    static String readText(Path file, String option) {
        try {
            return StudyFiles.readText(file, option);
        } catch (StudyException e) {
            throw new CliException(e.getMessage(), e);
        }
    }

    /** The one message for a file that cannot be read. */
    static CliException cannotRead(Path file, String option, String reason) {
        return new CliException(option + " " + file + ": cannot read the file: " + reason);
    }
}
