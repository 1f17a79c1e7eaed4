package org.jetsketch.data;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A data file read completely and checked: n rows, each with its feature vector, its label, the
 * line it starts on, an optional id, and the text of every column of the file (for groupings).
 * Immutable; the accessors return copies of arrays.
 */
public final class NumericTable {
    private final String source;
    private final TableColumns columns;
    private final List<String> header;
    private final int rows;
    /** Row-major: row r's feature j at {@code r * features + j}. */
    private final double[] features;
    private final double[] labels;
    private final int[] lines;
    /** {@code text[c][r]}: column c (header order) of row r, trimmed. */
    private final String[][] text;
    private final int idColumn;

    NumericTable(String source, TableColumns columns, List<String> header, int rows, double[] features, double[] labels,
            int[] lines, String[][] text, int idColumn) {
        this.source = source;
        this.columns = columns;
        this.header = List.copyOf(header);
        this.rows = rows;
        this.features = features;
        this.labels = labels;
        this.lines = lines;
        this.text = text;
        this.idColumn = idColumn;
    }

    /** The file this table was read from, as errors name it. */
    public String source() { return source; }

    /** The columns that were asked for. */
    public TableColumns columns() { return columns; }

    /** Every column name of the file's header, in file order. */
    public List<String> header() { return header; }

    /** The number of data rows n. */
    public int size() { return rows; }

    /** The number of feature columns. */
    public int featureCount() { return columns.features().size(); }

    /** A copy of row {@code row}'s feature vector, in {@link TableColumns#features()} order. */
    public double[] features(int row) {
        checkRow(row);
        int f = featureCount();
        return Arrays.copyOfRange(features, row * f, row * f + f);
    }

    /** Row {@code row}'s label. */
    public double label(int row) {
        checkRow(row);
        return labels[row];
    }

    /** The 1-based line of the file row {@code row} starts on. */
    public int line(int row) {
        checkRow(row);
        return lines[row];
    }

    /** Row {@code row}'s id, if the table has an id column. */
    public Optional<String> id(int row) {
        checkRow(row);
        return idColumn < 0 ? Optional.empty() : Optional.of(text[idColumn][row]);
    }

    /**
     * What a person calls row {@code row}: its id, or {@code "row L"} with L its line in the file
     * (a spreadsheet shows the same number: the header is row 1).
     */
    public String displayName(int row) {
        checkRow(row);
        return idColumn < 0 ? "row " + lines[row] : text[idColumn][row];
    }

    /**
     * The text of column {@code name} in row {@code row}, as the file has it (trimmed).
     *
     * @throws IllegalArgumentException if the file has no such column
     */
    public String text(int row, String name) {
        checkRow(row);
        return text[columnIndex(name)][row];
    }

    /**
     * An error about row {@code row}'s cell in column {@code name}, located as the reader's own
     * errors are ({@code loans.csv line 7, column 'defaulted' (#5): ...}): for a check the reader
     * cannot make, such as a label outside the classes a circuit knows.
     */
    public TableDataException errorAt(int row, String name, String problem) {
        checkRow(row);
        int c = columnIndex(name);
        return new TableDataException(source, lines[row], name, c + 1, problem);
    }

    /** Whether the file's header has a column {@code name}. */
    public boolean hasColumn(String name) { return header.contains(name); }

    private int columnIndex(String name) {
        int c = header.indexOf(name);
        if (c < 0) throw new IllegalArgumentException(source + " has no column '" + name + "' (columns: " + String.join(", ", header) + ")");
        return c;
    }

    private void checkRow(int row) {
        if (row < 0 || row >= rows) throw new IndexOutOfBoundsException("row " + row + " outside [0, " + rows + ")");
    }
}
