package org.jetsketch.processor.ir;

/**
 * An opaque handle to the source sub-expression or statement an IR node came from. The frontend
 * maps it back to a javac tree so that a diagnostic lands on the offending code; the IR and the
 * analyses never see javac types.
 */
public record SourceRef(int id) {
    public static final SourceRef NONE = new SourceRef(-1);
}
