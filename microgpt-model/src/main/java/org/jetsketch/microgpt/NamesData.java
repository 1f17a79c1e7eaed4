package org.jetsketch.microgpt;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * The names microgpt trains on: a list of documents, one per line.
 *
 * <p><b>File format.</b> UTF-8 text, one name per line. Each line is stripped of leading and
 * trailing white space ({@link String#strip()}), and lines that are then empty are skipped; a
 * leading byte-order mark is ignored. A name with a control or format character inside (a TAB,
 * a NUL, an ESC, ...) is rejected, naming every such line and character. Nothing else is changed (no lower-casing, no
 * de-duplication: the bundled list has repeated names and keeps them).
 *
 * <p><b>Bundled data.</b> {@link #bundled()} is the paper's list ({@value #BUNDLED_RESOURCE}
 * next to this class): 32,033 lower-case names over the 26 letters a..z.
 *
 * <p><b>Training order.</b> The paper shuffles the names once with a seeded RNG and trains step
 * {@code s} on name {@code s}; with {@code num_steps} steps the training documents are the first
 * {@code num_steps} shuffled names. Here the shuffle is
 * {@code Collections.shuffle(names, new java.util.Random(seed))} with default seed
 * {@value #DEFAULT_SEED}. (This is deterministic and portable across JVMs, but it is not the same
 * permutation as the paper's Python {@code random.seed(42); random.shuffle(docs)}.)
 *
 * <p>Immutable.
 */
public final class NamesData {

    /** The bundled names file, as a class-path resource relative to this class. */
    public static final String BUNDLED_RESOURCE = "names.txt";

    /** The default seed of the one-time shuffle. */
    public static final long DEFAULT_SEED = 42L;

    /** The paper's number of training steps, one document per step. */
    public static final int DEFAULT_NUM_STEPS = 1000;

    private final String source;
    private final List<String> names;

    private NamesData(String source, List<String> names) {
        this.source = source;
        this.names = List.copyOf(names);
    }

    /**
     * The bundled names (the paper's list, in file order).
     *
     * @throws IllegalStateException if the resource is missing from the class path
     */
    public static NamesData bundled() {
        String where = "class-path resource " + NamesData.class.getPackageName().replace('.', '/')
                + "/" + BUNDLED_RESOURCE;
        try (InputStream in = NamesData.class.getResourceAsStream(BUNDLED_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the bundled names are missing: no " + where);
            }
            return parse(where, in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled names (" + where + "): " + e, e);
        }
    }

    /**
     * Loads names from a file (format: see the class comment).
     *
     * @throws UncheckedIOException naming the file if it does not exist, is not a regular file, or
     *     cannot be read or decoded as UTF-8
     * @throws IllegalArgumentException naming the file if it holds no names
     */
    public static NamesData load(Path file) {
        Objects.requireNonNull(file, "file");
        String where = "names file " + file.toAbsolutePath();
        if (!Files.exists(file)) {
            throw new UncheckedIOException(
                    "cannot read " + where + ": no such file", new NoSuchFileException(file.toString()));
        }
        if (!Files.isRegularFile(file)) {
            throw new UncheckedIOException(
                    "cannot read " + where + ": not a regular file", new IOException(file.toString()));
        }
        try (InputStream in = Files.newInputStream(file)) {
            return parse(where, in);
        } catch (CharacterCodingException e) {
            throw new UncheckedIOException("cannot read " + where + ": it is not valid UTF-8", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + where + ": " + e, e);
        }
    }

    /**
     * Names given directly (each stripped; empty ones skipped, as for a file).
     *
     * @throws IllegalArgumentException if none is left
     */
    public static NamesData of(String source, List<String> lines) {
        List<String> kept = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        int number = 0;
        for (String line : lines) {
            number++;
            String name = line.strip();
            if (!name.isEmpty()) {
                controlCharacters(name, number, bad);
                kept.add(name);
            }
        }
        rejectControlCharacters(source, bad);
        return checked(source, kept);
    }

    /**
     * Adds "line N: U+XXXX" for each control or format character in {@code name} (a TAB, NUL or
     * ESC inside a name would enter the vocabulary and reach the terminal raw).
     */
    private static void controlCharacters(String name, int line, List<String> bad) {
        name.codePoints().distinct().forEach(c -> {
            int type = Character.getType(c);
            if (Character.isISOControl(c) || type == Character.FORMAT || type == Character.SURROGATE
                    || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR) {
                bad.add("line " + line + ": " + String.format(java.util.Locale.ROOT, "U+%04X", c)
                        + (Character.getName(c) != null ? " (" + Character.getName(c) + ")" : ""));
            }
        });
    }

    private static void rejectControlCharacters(String where, List<String> bad) {
        if (bad.isEmpty()) return;
        String shown = String.join("; ", bad.subList(0, Math.min(10, bad.size())));
        throw new IllegalArgumentException(where + " has control characters inside names (" + shown
                + (bad.size() > 10 ? "; and " + (bad.size() - 10) + " more" : "") + "): names are one per line and"
                + " may not contain tabs, NULs, escape sequences or other invisible characters; remove them");
    }

    private static NamesData parse(String where, InputStream in) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in,
                StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)));
        List<String> kept = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        String line;
        boolean first = true;
        int number = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            if (first && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            first = false;
            String name = line.strip();
            if (!name.isEmpty()) {
                controlCharacters(name, number, bad);
                kept.add(name);
            }
        }
        rejectControlCharacters(where, bad);
        return checked(where, kept);
    }

    private static NamesData checked(String where, List<String> kept) {
        if (kept.isEmpty()) {
            throw new IllegalArgumentException(
                    "no names in " + where + ": it is empty or has only blank lines");
        }
        return new NamesData(where, kept);
    }

    /** Where the names came from (for messages). */
    public String source() {
        return source;
    }

    /** The names, in the current order (unmodifiable). */
    public List<String> names() {
        return names;
    }

    /** The number of names. */
    public int size() {
        return names.size();
    }

    /**
     * The same names shuffled once: {@code Collections.shuffle(names, new Random(seed))}.
     * Deterministic for a given seed.
     */
    public NamesData shuffled(long seed) {
        List<String> copy = new ArrayList<>(names);
        Collections.shuffle(copy, new Random(seed));
        return new NamesData(source + " shuffled with seed " + seed, copy);
    }

    /** {@link #shuffled(long)} with the default seed {@value #DEFAULT_SEED}. */
    public NamesData shuffled() {
        return shuffled(DEFAULT_SEED);
    }

    /**
     * The first {@code count} names in the current order: after {@link #shuffled}, the training
     * documents of a {@code count}-step run (step {@code s} trains on name {@code s}).
     *
     * @throws IllegalArgumentException if {@code count} is negative or exceeds {@link #size()}
     */
    public List<String> first(int count) {
        if (count < 0 || count > names.size()) {
            throw new IllegalArgumentException(
                    "asked for the first " + count + " names, but " + source + " has " + names.size());
        }
        return names.subList(0, count);
    }

    /** The vocabulary of all names (not only a prefix), as the paper builds it. */
    public Vocabulary vocabulary() {
        return Vocabulary.of(names);
    }

    @Override
    public String toString() {
        return "NamesData[" + names.size() + " names from " + source + "]";
    }
}
