package org.jetsketch.sketch;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A sketch store on disk is unusable: a file is truncated, has trailing bytes, a wrong magic
 * number, an unsupported version, a checksum mismatch, or belongs to another circuit or another
 * store. It is an {@link IOException} (checked) because it is a fact about the files, not a
 * programming error: the caller that opens a store already handles I/O failure, and the remedy is
 * the same (delete or regenerate the file). Programming errors — a coefficient array of the wrong
 * length, a negative index — are {@link IllegalArgumentException}s instead.
 *
 * <p>The message always reads {@code "<file>, section '<section>': <problem>"}.
 */
public final class SketchStoreException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String section;
    private final String problem;

    public SketchStoreException(Path file, String section, String problem) {
        super(file + ", section '" + section + "': " + problem);
        this.file = file;
        this.section = section;
        this.problem = problem;
    }

    public SketchStoreException(Path file, String section, String problem, Throwable cause) {
        this(file, section, problem);
        initCause(cause);
    }

    /** The file at fault (the store directory itself for problems with the directory). */
    public Path file() { return file; }

    /** The section of the file at fault, as named in docs/sketch-format.md. */
    public String section() { return section; }

    /** The problem without the file and section. */
    public String problem() { return problem; }
}
