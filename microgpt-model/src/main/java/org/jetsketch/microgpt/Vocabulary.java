package org.jetsketch.microgpt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The character vocabulary of microgpt: the sorted set of characters (Unicode code points) that
 * occur in the documents get ids {@code 0 .. V-2}, and the beginning/end-of-sequence token BOS is
 * {@code V-1}. For the bundled names these are the 26 letters {@code a..z} (ids 0..25), BOS = 26,
 * V = 27.
 *
 * <p>A document is encoded as {@code [BOS] + its characters + [BOS]}. Immutable.
 */
public final class Vocabulary {

    /** The characters with ids 0..V-2, ascending. */
    private final int[] codePoints;

    private Vocabulary(int[] sortedCodePoints) {
        this.codePoints = sortedCodePoints;
    }

    /**
     * The vocabulary of {@code documents}: every character that occurs in any of them, sorted.
     *
     * @throws IllegalArgumentException if the documents contain no character at all
     */
    public static Vocabulary of(List<String> documents) {
        Objects.requireNonNull(documents, "documents");
        TreeSet<Integer> set = new TreeSet<>();
        for (String doc : documents) {
            Objects.requireNonNull(doc, "a document is null");
            doc.codePoints().forEach(set::add);
        }
        if (set.isEmpty()) {
            throw new IllegalArgumentException(
                    "cannot build a vocabulary: the " + documents.size()
                            + " document(s) contain no characters");
        }
        return new Vocabulary(set.stream().mapToInt(Integer::intValue).toArray());
    }

    /** V: the number of token ids, the characters plus BOS. */
    public int size() {
        return codePoints.length + 1;
    }

    /** The id of the BOS token, {@code V - 1}. */
    public int bos() {
        return codePoints.length;
    }

    /** Whether the character (code point) has an id. */
    public boolean contains(int codePoint) {
        return Arrays.binarySearch(codePoints, codePoint) >= 0;
    }

    /**
     * The id of a character.
     *
     * @throws IllegalArgumentException if it is not in the vocabulary
     */
    public int id(int codePoint) {
        int i = Arrays.binarySearch(codePoints, codePoint);
        if (i < 0) {
            throw new IllegalArgumentException(
                    "character " + describe(codePoint) + " is not in the vocabulary");
        }
        return i;
    }

    /**
     * The character (code point) with this id.
     *
     * @throws IllegalArgumentException for BOS or an id outside {@code 0 .. V-1}
     */
    public int codePoint(int id) {
        if (id < 0 || id >= codePoints.length) {
            throw new IllegalArgumentException(
                    "token id " + id + " is not a character id (characters are 0.."
                            + (codePoints.length - 1) + ", BOS is " + bos() + ")");
        }
        return codePoints[id];
    }

    /** The characters in id order, as a string. */
    public String characters() {
        return new String(codePoints, 0, codePoints.length);
    }

    /**
     * Encodes a document as {@code [BOS] + chars + [BOS]}.
     *
     * @throws IllegalArgumentException listing every character of the document that is outside
     *     the vocabulary, and the document
     */
    public int[] encode(String document) {
        Objects.requireNonNull(document, "document");
        String problem = outside(document);
        if (problem != null) {
            throw new IllegalArgumentException(
                    "document \"" + document + "\" has characters outside the vocabulary: "
                            + problem + " (vocabulary: \"" + characters() + "\")");
        }
        return encodeChecked(document);
    }

    /** {@link #encode} with the text kept, as the circuit's example type. */
    public Doc doc(String document) {
        return new Doc(document, encode(document));
    }

    /**
     * Encodes every document; the error for characters outside the vocabulary lists every
     * offending document with its 1-based line (position in the list) and every offending
     * character in it.
     *
     * @throws IllegalArgumentException as described
     */
    public List<Doc> docs(List<String> documents) {
        Objects.requireNonNull(documents, "documents");
        StringBuilder problems = new StringBuilder();
        int bad = 0;
        for (int i = 0; i < documents.size(); i++) {
            String doc = Objects.requireNonNull(documents.get(i), "document " + (i + 1) + " is null");
            String problem = outside(doc);
            if (problem != null) {
                bad++;
                problems.append(System.lineSeparator())
                        .append("  line ").append(i + 1).append(" \"").append(doc).append("\": ")
                        .append(problem);
            }
        }
        if (bad > 0) {
            throw new IllegalArgumentException(
                    bad + " document(s) have characters outside the vocabulary \"" + characters()
                            + "\":" + problems);
        }
        List<Doc> out = new ArrayList<>(documents.size());
        for (String doc : documents) {
            out.add(new Doc(doc, encodeChecked(doc)));
        }
        return List.copyOf(out);
    }

    /**
     * Decodes token ids to text; BOS tokens are skipped.
     *
     * @throws IllegalArgumentException for an id outside {@code 0 .. V-1}
     */
    public String decode(int[] tokens) {
        StringBuilder sb = new StringBuilder();
        for (int t : tokens) {
            if (t == bos()) {
                continue;
            }
            sb.appendCodePoint(codePoint(t));
        }
        return sb.toString();
    }

    private int[] encodeChecked(String document) {
        int[] chars = document.codePoints().toArray();
        int[] tokens = new int[chars.length + 2];
        tokens[0] = bos();
        for (int i = 0; i < chars.length; i++) {
            tokens[i + 1] = Arrays.binarySearch(codePoints, chars[i]);
        }
        tokens[chars.length + 1] = bos();
        return tokens;
    }

    /** Every distinct character outside the vocabulary, described, or null if there is none. */
    private String outside(String document) {
        TreeSet<Integer> bad = new TreeSet<>();
        document.codePoints().filter(c -> !contains(c)).forEach(bad::add);
        if (bad.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (int c : bad) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(describe(c));
        }
        return sb.toString();
    }

    private static String describe(int codePoint) {
        String shown = Character.isISOControl(codePoint) || Character.isWhitespace(codePoint)
                ? "" : "'" + new String(Character.toChars(codePoint)) + "' ";
        return shown + String.format("(U+%04X)", codePoint);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vocabulary other && Arrays.equals(codePoints, other.codePoints);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(codePoints);
    }

    @Override
    public String toString() {
        return "Vocabulary[V=" + size() + ", chars=\"" + characters() + "\", BOS=" + bos() + "]";
    }
}
