package org.jetsketch.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.microgpt.MicroGpt_Circuit;
import org.jetsketch.microgpt.Vocabulary;
import org.jetsketch.predict.CoefficientTable;
import org.jetsketch.predict.SketchTables;
import org.jetsketch.sketch.SketchStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The table built on Spark is the local SketchTables' (the oracle), number for number. */
class SparkSketchTablesTest {
    @TempDir Path dir;

    /** The loss on one name, rebuilt from the training recipe. */
    record LossOn(TestSpark.MicroRecipe run, String name) implements MeasurementRecipe {
        @Override
        public BoundMeasurement rebuild() {
            MicroGpt_Circuit circuit = (MicroGpt_Circuit) run.rebuild().circuit();
            return circuit.lossOn(Vocabulary.of(run.names).doc(name));
        }
    }

    @Test
    void tableEqualsTheLocalOneExactly() throws Exception {
        SketchStore store = SparkSketcherTest.local(9, 1).run(dir.resolve("s"));
        LossOn m = new LossOn(TestSpark.recipe(), "emma");
        CoefficientTable local = SketchTables.table(store, m.rebuild(), 2);
        CoefficientTable spark = SparkSketchTables.table(TestSpark.context(), dir.resolve("s").toUri().toString(), m);
        assertArrayEquals(local.directionIndices(), spark.directionIndices());
        assertArrayEquals(local.coefficients(), spark.coefficients(), 0.0);
        assertEquals(local.f0(), spark.f0(), 0.0);
        CoefficientTable head = SparkSketchTables.table(TestSpark.context(), dir.resolve("s").toUri().toString(), m, 4);
        assertArrayEquals(SketchTables.table(store, m.rebuild(), 1, 4).coefficients(), head.coefficients(), 0.0);
        CoefficientTable copies = SparkSketchTables.table(TestSpark.context(), StoreFiles.at(dir.resolve("s").toUri()
                .toString(), TestSpark.context().hadoopConfiguration(), true), m, 0);
        assertArrayEquals(local.coefficients(), copies.coefficients(), 0.0, "reading local copies, as from HDFS");
    }

    @Test
    void aDamagedSketchIsReportedByName() throws Exception {
        SparkSketcherTest.local(3, 1).run(dir.resolve("s"));
        Path victim = dir.resolve("s").resolve(SketchStore.sketchFileName(1));
        byte[] bytes = Files.readAllBytes(victim);
        bytes[bytes.length - 9] ^= 1; // a coefficient byte
        Files.write(victim, bytes);
        IOException e = assertThrows(IOException.class, () -> SparkSketchTables.table(TestSpark.context(),
                dir.resolve("s").toUri().toString(), new LossOn(TestSpark.recipe(), "emma")));
        assertTrue(e.getMessage().contains("sketch-000001.jss, section 'coefficients': checksum mismatch"),
                e.getMessage());
    }

    @Test
    void aStoreOfAnotherCircuitIsRefusedBeforeAnyJob() throws Exception {
        SparkSketcherTest.local(2, 1).run(dir.resolve("s"));
        TestSpark.MicroRecipe other = new TestSpark.MicroRecipe(TestSpark.NAMES.subList(0, 6), 7);
        int jobs = TestSpark.jobsStarted();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkSketchTables.table(
                TestSpark.context(), dir.resolve("s").toUri().toString(), new LossOn(other, "emma")));
        assertTrue(e.getMessage().contains("different"), e.getMessage());
        assertEquals(jobs, TestSpark.jobsStarted());
    }
}
