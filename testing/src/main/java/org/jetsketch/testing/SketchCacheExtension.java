package org.jetsketch.testing;

import java.nio.file.Paths;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that hands tests a {@link SketchCache} under {@code target/jetsketch-cache/}
 * (or the directory of the configuration parameter / system property
 * {@value SketchCache#DIRECTORY_PROPERTY}): one cache for the whole test run, shared by every
 * test class, including classes run in parallel.
 *
 * <pre>{@code
 * @ExtendWith(SketchCacheExtension.class)
 * class OutlierTest {
 *     @Test
 *     void noSingleExampleMovesTheProbe(SketchCache cache) {
 *         Deletions.of(circuit, data, schedule).cache(cache).sketched()...
 *     }
 * }
 * }</pre>
 *
 * After each class it publishes a report entry {@code jetsketch-cache} with the directory and how
 * many stores were reused and computed so far.
 */
public final class SketchCacheExtension implements ParameterResolver, AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SketchCacheExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SketchCache.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return cache(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        SketchCache cache = context.getRoot().getStore(NAMESPACE).get(SketchCache.class, SketchCache.class);
        if (cache != null) {
            context.publishReportEntry("jetsketch-cache", cache.root() + ": reused " + cache.reused() + ", computed "
                    + cache.computed());
        }
    }

    /** The run's cache: created once, in the root context, so every class and thread shares it. */
    static SketchCache cache(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(SketchCache.class, type ->
                context.getConfigurationParameter(SketchCache.DIRECTORY_PROPERTY)
                        .filter(s -> !s.isBlank())
                        .map(s -> SketchCache.at(Paths.get(s)))
                        .orElseGet(SketchCache::inBuildDirectory), SketchCache.class);
    }
}
