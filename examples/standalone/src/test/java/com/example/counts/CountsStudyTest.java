package com.example.counts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jetsketch.study.Problem;
import org.jetsketch.study.Studies;
import org.jetsketch.study.StudyException;
import org.jetsketch.study.StudyInput;
import org.jetsketch.train.Schedule;
import org.jetsketch.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The study the command line finds: registered, and the same model from the CSV as from Java. */
class CountsStudyTest {

    @TempDir Path dir;

    /** PoissonRegressionTest's data as the CSV a user would have. */
    Path csv() throws IOException {
        StringBuilder b = new StringBuilder("record,source,x0,x1,events\n");
        List<Count> data = PoissonRegressionTest.data();
        for (int i = 0; i < data.size(); i++) {
            Count c = data.get(i);
            b.append(String.format(Locale.ROOT, "r%02d,%s,%s,%s,%d\n", i, i < 60 ? "regular" : "burst",
                    Double.toString(c.x()[0]), Double.toString(c.x()[1]), c.events()));
        }
        Path f = dir.resolve("counts.csv");
        Files.writeString(f, b.toString());
        return f;
    }

    @Test
    void registeredAndTrainsTheSameModelAsTheJavaPath() throws IOException {
        Problem<?> loaded = Studies.find("counts", getClass().getClassLoader()).load(StudyInput.of(csv(), 1, null, Map.of()));
        assertEquals(63, loaded.examples());
        assertEquals("r60", loaded.exampleName(60));
        assertEquals(List.of("burst", "regular"), loaded.groups("column:source").names());
        @SuppressWarnings("unchecked")
        Problem<Count> problem = (Problem<Count>) loaded;
        double[] fromCsv = new Trainer<>(problem.circuit(), problem.data(), problem.schedule())
                .train(problem.initialParameters(), null);
        List<Count> data = PoissonRegressionTest.data();
        PoissonRegression_Circuit circuit = new PoissonRegression_Circuit(new PoissonRegression(2));
        double[] fromJava = new Trainer<>(circuit, org.jetsketch.train.Dataset.of(data), Schedule.fullBatch(63, 150))
                .train(circuit.initialParameters(), null);
        assertArrayEquals(fromJava, fromCsv, 0.0);
        assertTrue(problem.measurement("expectedCount:0,0").description().contains("expectedCount"));
    }

    @Test
    void aCountThatIsNotACountIsReportedByLineAndColumn() throws IOException {
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, "record,x0,x1,events\na,0.1,0.2,3\nb,0.3,0.1,2.5\n");
        StudyException e = assertThrows(StudyException.class, () -> new CountsStudy().load(StudyInput.of(f, 1, null,
                Map.of())));
        assertEquals("--data: " + f + " line 3, column 'events' (#4): study counts refused the record: a count must be"
                + " a whole number >= 0, got 2.5", e.getMessage());
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
    }
}
