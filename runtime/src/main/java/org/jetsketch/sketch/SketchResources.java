package org.jetsketch.sketch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Whether a sketch run fits the machine, checked before anything is written: the heap its jet
 * passes need ({@link Sketcher#passBytes} times the passes running at once, against a fraction
 * of the free heap) and the disk space of the sketches still missing in a store directory. A
 * caller words the refusal; the command line's {@code sketch} refuses with the largest pass
 * that fits, or with the space needed.
 */
public final class SketchResources {
    private SketchResources() {}

    /**
     * The fraction of the free heap the jet passes may take by {@link Sketcher#passBytes}: the
     * rest is for what that estimate leaves out (the recorded forward sweeps, about a tenth for
     * microgpt), the coefficient arrays in flight and the JVM itself.
     */
    public static final double HEAP_FRACTION_FOR_PASSES = 0.75;

    /**
     * The heap a sketcher's passes need.
     *
     * @param directionsPerPass B, the directions of one pass
     * @param concurrentPasses how many passes run at once
     * @param passBytes what one pass of B directions holds
     * @param freeBytes the free heap
     * @param budgetBytes the part of it the passes may take
     * @param largestFitting the largest B whose concurrent passes fit the budget (0: not even one)
     */
    public record Heap(int directionsPerPass, int concurrentPasses, long passBytes, long freeBytes, long budgetBytes,
            int largestFitting) {

        /** All concurrent passes together. */
        public long neededBytes() {
            return passBytes * concurrentPasses;
        }

        /** Whether each of the concurrent passes fits its share of the budget. */
        public boolean fits() {
            return passBytes <= budgetBytes / concurrentPasses;
        }
    }

    /** The heap check of {@code sketcher} against {@code freeBytes} of free heap. */
    public static Heap heap(Sketcher<?> sketcher, long freeBytes) {
        if (freeBytes < 0) throw new IllegalArgumentException("free heap must be >= 0, got " + freeBytes);
        long budget = (long) (freeBytes * HEAP_FRACTION_FOR_PASSES);
        int b = sketcher.directionsPerPass();
        int concurrent = sketcher.concurrentPasses();
        return new Heap(b, concurrent, sketcher.passBytes(b), freeBytes, budget,
                sketcher.largestPassFitting(budget, concurrent));
    }

    /** The heap this JVM can still allocate: its maximum less what is in use. */
    public static long freeHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    /**
     * The disk a store directory needs for its missing sketches.
     *
     * @param missingSketches sketches 0..m−1 not yet in the directory
     * @param bytesPerSketch the size of one sketch file of this header
     * @param neededBytes the missing sketches, and for a new store its header and run record
     * @param usableBytes the usable space of the file system the directory is (or will be) on
     */
    public record Disk(long missingSketches, long bytesPerSketch, long neededBytes, long usableBytes) {

        /** Whether the space is there. */
        public boolean fits() {
            return neededBytes <= usableBytes;
        }
    }

    /**
     * The disk check of sketching {@code directions} directions of {@code header} into {@code dir}
     * (which may not exist yet: its nearest existing ancestor's file system is asked), or null when
     * nothing is missing or no ancestor exists. A new store's header (θ_0: 8 bytes per parameter)
     * and run record (the initial parameters as JSON text, about 22 bytes each) are counted as 32
     * bytes per parameter.
     */
    public static Disk disk(StoreHeader header, Path dir, int directions) throws IOException {
        long perSketch = SketchFormat.sketchFileBytes(header, BranchSwitch.NONE);
        long missing = directions;
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                missing -= files.map(p -> SketchStore.sketchIndexOf(p.getFileName().toString()))
                        .filter(j -> j >= 0 && j < directions).count();
            }
        }
        Path existing = dir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null || missing <= 0) return null;
        long usable = Files.getFileStore(existing).getUsableSpace();
        boolean fresh = !Files.exists(dir.resolve(SketchStore.HEADER_FILE));
        return new Disk(missing, perSketch, missing * perSketch + (fresh ? 32L * header.parameters() : 0), usable);
    }
}
