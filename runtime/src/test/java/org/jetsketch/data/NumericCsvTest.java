package org.jetsketch.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CSV reader: what it reads (quoting, CRLF, blank lines, a byte-order mark, column order), and
 * for every rule it enforces, the error's file, line, column name and 1-based column position.
 */
class NumericCsvTest {

    @TempDir Path dir;

    private static final TableColumns COLUMNS = TableColumns.of(List.of("age", "income"), "churned").withId("id");

    private Path file(String content) throws IOException {
        Path f = dir.resolve("churn.csv");
        Files.writeString(f, content, StandardCharsets.UTF_8);
        return f;
    }

    /** Reading {@code content} fails at {@code line}, column {@code name} (#{@code index}), with {@code fragment}. */
    private TableDataException rejects(String content, TableColumns columns, int line, String name, int index,
            String fragment) throws IOException {
        Path f = file(content);
        TableDataException e = assertThrows(TableDataException.class, () -> NumericCsv.read(f, columns));
        assertEquals(f.toString(), e.source());
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(name, e.columnName(), e.getMessage());
        assertEquals(index, e.columnIndex(), e.getMessage());
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' not in: " + e.getMessage());
        if (line > 0) assertTrue(e.getMessage().contains("line " + line), e.getMessage());
        if (name != null) assertTrue(e.getMessage().contains("'" + name + "'"), e.getMessage());
        if (index > 0) assertTrue(e.getMessage().contains("#" + index), e.getMessage());
        return e;
    }

    @Test
    void readsSelectedColumnsInTheirOrderWithIdsLinesAndText() throws IOException {
        Path f = file("\uFEFFid, region ,income,age,churned\r\n"
                + "c1,north,52000.5,34,0\r\n"
                + "\r\n"
                + "\"c2, the second\",\"south\neast\",1e4,-2.5,1\r\n"
                + "c3,west,+.5,7.,0");
        NumericTable t = NumericCsv.read(f, COLUMNS);
        assertEquals(List.of("id", "region", "income", "age", "churned"), t.header());
        assertEquals(3, t.size());
        assertEquals(2, t.featureCount());
        assertArrayEquals(new double[] {34, 52000.5}, t.features(0));
        assertArrayEquals(new double[] {-2.5, 1e4}, t.features(1));
        assertArrayEquals(new double[] {7, 0.5}, t.features(2));
        assertEquals(1.0, t.label(1));
        assertEquals(0.0, t.label(2));
        // line 3 is blank; the second record spans lines 4 and 5
        assertEquals(2, t.line(0));
        assertEquals(4, t.line(1));
        assertEquals(6, t.line(2));
        assertEquals("c2, the second", t.displayName(1));
        assertEquals("c1", t.id(0).orElseThrow());
        assertEquals("south\neast", t.text(1, "region"));
        assertTrue(t.hasColumn("region"));
        assertFalse(t.hasColumn("city"));
        assertThrows(IllegalArgumentException.class, () -> t.text(0, "city"));
        assertThrows(IndexOutOfBoundsException.class, () -> t.features(3));
        // the accessors hand out copies
        t.features(0)[0] = 99;
        assertEquals(34, t.features(0)[0]);
    }

    @Test
    void withoutAnIdColumnExamplesAreNamedByTheirRowInTheFile() throws IOException {
        Path f = file("age,income,churned\n1,2,0\n\n3,4,1\n");
        NumericTable t = NumericCsv.read(f, TableColumns.of(List.of("age", "income"), "churned"));
        assertEquals("row 2", t.displayName(0));
        assertEquals("row 4", t.displayName(1));
        assertTrue(t.id(0).isEmpty());
    }

    @Test
    void badValue() throws IOException {
        rejects("id,age,income,churned\nc1,34,100,0\nc2,3 4,100,1\n", COLUMNS, 3, "age", 2, "'3 4' is not a number");
        rejects("id,age,income,churned\nc1,34,100,0\nc2,34,100,yes\n", COLUMNS, 3, "churned", 4, "'yes' is not a number");
        // Java's own parser would take these; a CSV file means something else by them
        rejects("id,age,income,churned\nc1,34,0x1p3,0\n", COLUMNS, 2, "income", 3, "'0x1p3' is not a number");
        rejects("id,age,income,churned\nc1,34d,1,0\n", COLUMNS, 2, "age", 2, "'34d' is not a number");
        rejects("id,age,income,churned\nc1,,1,0\n", COLUMNS, 2, "age", 2, "empty cell");
    }

    @Test
    void nonFiniteNumber() throws IOException {
        rejects("id,age,income,churned\nc1,NaN,1,0\n", COLUMNS, 2, "age", 2, "'NaN' is not a finite number");
        rejects("id,age,income,churned\nc1,1,-Infinity,0\n", COLUMNS, 2, "income", 3, "'-Infinity' is not a finite number");
        rejects("id,age,income,churned\nc1,1,2,0\nc2,1,1e999,1\n", COLUMNS, 3, "income", 3, "beyond the range of a double");
    }

    @Test
    void missingColumn() throws IOException {
        TableDataException e = rejects("id,age,salary,churned\nc1,1,2,0\n", COLUMNS, 1, "income", 0,
                "no feature column 'income'");
        assertTrue(e.getMessage().contains("it has: id, age, salary, churned"), e.getMessage());
        rejects("id,age,income\nc1,1,2\n", COLUMNS, 1, "churned", 0, "no label column 'churned'");
        rejects("name,age,income,churned\nc1,1,2,0\n", COLUMNS, 1, "id", 0, "no id column 'id'");
    }

    @Test
    void raggedRow() throws IOException {
        rejects("id,age,income,churned\nc1,1,2,0\nc2,1,2\n", COLUMNS, 3, "churned", 4,
                "missing: the row has 3 cells, the header 4");
        rejects("id,age,income,churned\nc1,1,2,0,7\n", COLUMNS, 2, null, 5, "extra cell '7': the row has 5 cells");
        // a lone value on a line is a ragged row too, not a blank line
        rejects("id,age,income,churned\nc1,1,2,0\nx\n", COLUMNS, 3, "age", 2, "the row has 1 cell,");
    }

    @Test
    void emptyFileAndHeaderOnly() throws IOException {
        TableDataException e = rejects("", COLUMNS, 0, null, 0, "the file is empty");
        assertTrue(e.getMessage().contains("(id, age, income, churned)"), e.getMessage());
        rejects("\n\n", COLUMNS, 0, null, 0, "the file is empty");
        rejects("id,age,income,churned\n\n", COLUMNS, 1, null, 0, "no data rows");
    }

    @Test
    void badHeader() throws IOException {
        rejects("id,age,,income,churned\nc1,1,9,2,0\n", COLUMNS, 1, null, 3, "empty column name");
        rejects("id,age,income,age,churned\nc1,1,2,3,0\n", COLUMNS, 1, "age", 4, "names column 'age' twice (also #2)");
    }

    @Test
    void badIds() throws IOException {
        rejects("id,age,income,churned\nc1,1,2,0\n,1,2,0\n", COLUMNS, 3, "id", 1, "empty id");
        rejects("id,age,income,churned\nc1,1,2,0\nc2,1,2,0\nc1,1,2,1\n", COLUMNS, 4, "id", 1,
                "id 'c1' is also on line 2");
    }

    @Test
    void malformedCsvAndBadBytes() throws IOException {
        TableDataException e = rejects("id,age,income,churned\nc1,1,2,0\nc2,\"1,2,0\n", COLUMNS, 3, null, 0, "malformed CSV");
        assertTrue(e.getMessage().contains("EOF reached before encapsulated token finished"), e.getMessage());
        Path f = dir.resolve("latin1.csv");
        Files.write(f, "id,age,income,churned\nG\u00f6teborg,1,2,0\n".getBytes(StandardCharsets.ISO_8859_1));
        TableDataException b = assertThrows(TableDataException.class, () -> NumericCsv.read(f, COLUMNS));
        assertTrue(b.getMessage().contains("not UTF-8 text: byte 0xF6 at offset 23"), b.getMessage());
        assertEquals(2, b.line());
        Path none = dir.resolve("absent.csv");
        TableDataException n = assertThrows(TableDataException.class, () -> NumericCsv.read(none, COLUMNS));
        assertEquals(none + ": no such file", n.getMessage());
        assertNull(n.columnName());
    }

    @Test
    void theFirstProblemIsReportedAndNothingIsReturned() throws IOException {
        // two problems: the earlier line wins, so fixing errors top to bottom converges
        rejects("id,age,income,churned\nc1,1,2,0\nc2,x,2,0\nc3,1,2,0,9\n", COLUMNS, 3, "age", 2, "'x'");
    }

    @Test
    void columnsAreCheckedWhenNamed() {
        assertThrows(IllegalArgumentException.class, () -> TableColumns.of(List.of(), "y"));
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> TableColumns.of(List.of("a", "a"), "y"));
        assertTrue(twice.getMessage().contains("'a' is named twice"));
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                () -> TableColumns.of(List.of("a", "y"), "y"));
        assertTrue(both.getMessage().contains("both a feature and the label"));
        assertThrows(IllegalArgumentException.class, () -> TableColumns.of(List.of("a"), " "));
        IllegalArgumentException id = assertThrows(IllegalArgumentException.class,
                () -> TableColumns.of(List.of("a"), "y").withId("a"));
        assertTrue(id.getMessage().contains("id column and also a feature"));
    }
}
