package org.jetsketch.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The extension hands every test of the run one cache under target/jetsketch-cache. */
@ExtendWith(SketchCacheExtension.class)
class SketchCacheExtensionTest {
    static SketchCache fromBeforeAll;

    @BeforeAll
    static void resolveInBeforeAll(SketchCache cache) {
        fromBeforeAll = cache;
    }

    @Test
    void theCacheLivesInTheBuildDirectory(SketchCache cache) {
        assertSame(fromBeforeAll, cache);
        assertEquals(Path.of(System.getProperty("user.dir"), "target", "jetsketch-cache").toAbsolutePath().normalize(),
                cache.root());
    }

    /** A real use: the outlier assertion from sketches kept across builds. */
    @Test
    void sketchedAssertionThroughTheCache(SketchCache cache) {
        ExactAssertionsTest.deletions().directions(64).cache(cache).sketched()
                .assertThatDeletingEach(LineOracle.OUTLIERS).changes(ExactAssertionsTest.LINE.slope()).byAtLeast(0.3);
    }
}
