package org.jetsketch.study;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Finds the registered {@link Study} implementations with {@link ServiceLoader} in a class loader
 * (the command line's own, or one over the user's {@code --classpath}).
 */
public final class Studies {
    private Studies() {}

    /** The study the command line uses when none is named. */
    public static final String DEFAULT = "microgpt";

    /** Every study registered in {@code loader}, by name. */
    public static List<Study> all(ClassLoader loader) {
        List<Study> found = new ArrayList<>();
        for (Study s : ServiceLoader.load(Study.class, loader)) found.add(s);
        found.sort(Comparator.comparing(Study::name));
        return found;
    }

    /**
     * The study called {@code nameOrClass}: by {@link Study#name()}, or by the implementing class's
     * fully qualified name.
     *
     * @throws StudyException naming the registered studies if there is none, or if two share the name
     */
    public static Study find(String nameOrClass, ClassLoader loader) {
        List<Study> all = all(loader);
        List<Study> named = all.stream()
                .filter(s -> s.name().equals(nameOrClass) || s.getClass().getName().equals(nameOrClass)).toList();
        if (named.size() == 1) return named.get(0);
        if (named.isEmpty()) {
            throw new StudyException("--study " + nameOrClass + ": no such study; the registered studies are "
                    + (all.isEmpty() ? "none" : String.join(", ", all.stream().map(Study::name).toList()))
                    + " (a study of your own is a class implementing org.jetsketch.study.Study, registered with"
                    + " @AutoService(Study.class); put its jar or classes directory on --classpath)");
        }
        throw new StudyException("--study " + nameOrClass + ": " + named.size() + " registered studies have this name ("
                + String.join(", ", named.stream().map(s -> s.getClass().getName()).toList())
                + "); name one by its class");
    }
}
