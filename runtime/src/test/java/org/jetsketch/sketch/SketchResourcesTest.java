package org.jetsketch.sketch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SketchResources#disk}: the missing sketches counted from the files present, their size
 * from the format, a new store's header and run record added, the usable space of the nearest
 * existing directory. (The heap check needs a circuit: StudyLibraryTest in circuit-tests.)
 */
class SketchResourcesTest {
    @TempDir Path tmp;

    static final StoreHeader HEADER = new StoreHeader("Toy", 1L, 50, 7, 3, 42L, 2L, 3L, "full batch");

    @Test
    void aNewStoreNeedsEverySketchAndItsHeader() throws Exception {
        Path dir = tmp.resolve("not/yet/there");
        SketchResources.Disk d = SketchResources.disk(HEADER, dir, 10);
        long perSketch = SketchFormat.sketchFileBytes(HEADER, BranchSwitch.NONE);
        assertTrue(perSketch >= 2L * 3 * 7 * Double.BYTES, "2kP doubles at least: " + perSketch);
        assertEquals(10, d.missingSketches());
        assertEquals(perSketch, d.bytesPerSketch());
        assertEquals(10 * perSketch + 32L * 7, d.neededBytes());
        assertEquals(Files.getFileStore(tmp).getUsableSpace(), d.usableBytes(), 1e6 * 64,
                "the usable space of the nearest existing directory");
        assertTrue(d.fits());
        assertFalse(new SketchResources.Disk(1, 10, 11, 10).fits());
    }

    @Test
    void sketchesPresentAreNotCountedAndAFullStoreNeedsNothing() throws Exception {
        Path dir = tmp.resolve("store");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(SketchStore.HEADER_FILE), "x");
        for (int j : new int[] {0, 3, 12}) Files.writeString(dir.resolve(SketchStore.sketchFileName(j)), "x");
        Files.writeString(dir.resolve("notes.txt"), "not a sketch");
        SketchResources.Disk d = SketchResources.disk(HEADER, dir, 5);
        assertEquals(3, d.missingSketches(), "0 and 3 are there, 12 is beyond m = 5");
        assertEquals(3 * d.bytesPerSketch(), d.neededBytes(), "an existing header: no header or record to add");
        assertNull(SketchResources.disk(HEADER, dir, 1), "sketch 0 is there: nothing missing");
    }
}
