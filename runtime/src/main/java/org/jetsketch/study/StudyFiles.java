package org.jetsketch.study;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.jetsketch.io.AtomicFiles;
import org.jetsketch.io.Utf8Text;

/**
 * Reading the text files a study or a command is given (--data, --docs, --init, --delete-file,
 * --group-by file:F), with one wording for every file that cannot be read:
 * {@code <option> <file>: cannot read the file: <reason>}, the reason in words ("no such file or
 * directory", "it is a directory", "permission denied", "not UTF-8 text: line 3, byte 0xE9 at
 * offset 12"), never a Java class or a decoder's "Input length = 1".
 */
public final class StudyFiles {
    private StudyFiles() {}

    /**
     * The whole file as strict UTF-8 text, without a leading byte-order mark.
     *
     * @throws StudyException in the wording above
     */
    public static String readText(Path file, String option) {
        byte[] bytes;
        if (Files.isDirectory(file)) throw cannotRead(file, option, "it is a directory");
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw cannotRead(file, option, AtomicFiles.reason(e));
        }
        String text = Utf8Text.decode(bytes, bad -> cannotRead(file, option, String.format(Locale.ROOT,
                "not UTF-8 text: line %d, byte 0x%02X at offset %d (save the file as UTF-8)", bad.line(), bad.value(),
                bad.offset())));
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** The one message for a file that cannot be read. */
    public static StudyException cannotRead(Path file, String option, String reason) {
        return new StudyException(option + " " + file + ": cannot read the file: " + reason);
    }
}
