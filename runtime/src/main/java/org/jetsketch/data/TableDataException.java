package org.jetsketch.data;

/**
 * A data file that cannot be read as the table asked for. The message names the file and, where
 * the problem has one, the line (1-based, the line the record starts on) and the column (its header
 * name and 1-based position), e.g. {@code churn.csv line 17, column 'tenure' (#3): 'abc' is not a
 * number}; the same facts are available as fields for programs. The file is named as the user gave it (or as
 * {@code churn.csv (bundled with study churn)} for data a study ships).
 */
public final class TableDataException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final String columnName;
    private final int columnIndex;

    TableDataException(String source, int line, String columnName, int columnIndex, String problem, Throwable cause) {
        super(where(source, line, columnName, columnIndex) + ": " + problem, cause);
        this.source = source;
        this.line = line;
        this.columnName = columnName;
        this.columnIndex = columnIndex;
    }

    TableDataException(String source, int line, String columnName, int columnIndex, String problem) {
        this(source, line, columnName, columnIndex, problem, null);
    }

    private static String where(String source, int line, String columnName, int columnIndex) {
        StringBuilder b = new StringBuilder(source);
        if (line > 0) b.append(" line ").append(line);
        if (columnName != null || columnIndex > 0) {
            b.append(line > 0 ? ", column " : " column ");
            if (columnName != null) b.append('\'').append(columnName).append('\'');
            if (columnIndex > 0) b.append(columnName != null ? " (#" : "#").append(columnIndex).append(columnName != null ? ")" : "");
        }
        return b.toString();
    }

    /** The file that was read (its path, or the name of a bundled resource). */
    public String source() { return source; }

    /** The 1-based line the offending record starts on, or 0 if the problem is the whole file. */
    public int line() { return line; }

    /** The header name of the offending column, or null if the problem has no column or it has no name. */
    public String columnName() { return columnName; }

    /** The 1-based position of the offending column in the header, or 0 if there is none (a column not found). */
    public int columnIndex() { return columnIndex; }
}
