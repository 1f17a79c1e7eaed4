package org.jetsketch.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Studies}: lookup by name and by class name through {@link java.util.ServiceLoader}, and
 * the errors for an unknown name (listing what is registered) and for a name two studies share.
 * Each test registers its studies in a services file of its own directory, on a class loader over
 * that directory alone, so what is registered is exactly what the test wrote.
 */
class StudiesTest {
    @TempDir Path dir;

    /** A study that only has a name: lookup never loads a problem. */
    public abstract static class NamedStudy implements Study {
        private final String name;

        NamedStudy(String name) { this.name = name; }

        @Override public String name() { return name; }

        @Override public String summary() { return "test study " + name; }

        @Override public List<String> usage() { return List.of(); }

        @Override public Problem<?> load(StudyInput input) {
            throw new StudyException("test study " + name + " loads nothing");
        }
    }

    public static final class Alpha extends NamedStudy {
        public Alpha() { super("alpha"); }
    }

    public static final class Beta extends NamedStudy {
        public Beta() { super("beta"); }
    }

    /** A second study called "alpha". */
    public static final class OtherAlpha extends NamedStudy {
        public OtherAlpha() { super("alpha"); }
    }

    private ClassLoader registering(Class<?>... studies) throws Exception {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        StringBuilder lines = new StringBuilder();
        for (Class<?> c : studies) lines.append(c.getName()).append('\n');
        Files.writeString(services.resolve(Study.class.getName()), lines.toString());
        // the parent (the test class path) registers no study, so the services files seen are this one
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
    }

    @Test
    void findsByNameAndByClassNameInNameOrder() throws Exception {
        ClassLoader loader = registering(Beta.class, Alpha.class);
        assertEquals(List.of("alpha", "beta"), Studies.all(loader).stream().map(Study::name).toList());
        assertSame(Beta.class, Studies.find("beta", loader).getClass());
        assertSame(Alpha.class, Studies.find(Alpha.class.getName(), loader).getClass());
    }

    @Test
    void unknownNameListsTheRegisteredStudies() throws Exception {
        ClassLoader loader = registering(Alpha.class, Beta.class);
        StudyException e = assertThrows(StudyException.class, () -> Studies.find("gamma", loader));
        assertTrue(e.getMessage().startsWith("--study gamma: no such study; the registered studies are alpha, beta"),
                e.getMessage());
        assertTrue(e.getMessage().contains("@AutoService(Study.class)"), e.getMessage());
    }

    @Test
    void noStudyRegisteredSaysNone() throws Exception {
        ClassLoader loader = registering();
        StudyException e = assertThrows(StudyException.class, () -> Studies.find("alpha", loader));
        assertTrue(e.getMessage().contains("the registered studies are none"), e.getMessage());
    }

    @Test
    void aSharedNameIsRefusedAndEachClassStillChoosable() throws Exception {
        ClassLoader loader = registering(Alpha.class, OtherAlpha.class);
        StudyException e = assertThrows(StudyException.class, () -> Studies.find("alpha", loader));
        assertTrue(e.getMessage().startsWith("--study alpha: 2 registered studies have this name"), e.getMessage());
        assertTrue(e.getMessage().contains(Alpha.class.getName()) && e.getMessage().contains(OtherAlpha.class.getName()),
                e.getMessage());
        assertSame(OtherAlpha.class, Studies.find(OtherAlpha.class.getName(), loader).getClass());
    }
}
