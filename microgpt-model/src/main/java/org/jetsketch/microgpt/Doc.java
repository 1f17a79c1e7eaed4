package org.jetsketch.microgpt;

import java.util.Arrays;
import java.util.Objects;

/**
 * One training document, the example type of {@link MicroGpt}: its token ids
 * ({@code [BOS] + characters + [BOS]}, see {@link Vocabulary#encode}) and its text for display.
 *
 * <p>The circuit only reads {@link #tokens()}. The array is copied on construction; callers must
 * not modify the array {@link #tokens()} returns.
 *
 * @param text the document's text (for display only)
 * @param tokens the token ids, at least two (one position to predict)
 */
public record Doc(String text, int[] tokens) {

    public Doc {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(tokens, "tokens");
        if (tokens.length < 2) {
            throw new IllegalArgumentException(
                    "a document needs at least 2 tokens (one input and one target), got "
                            + tokens.length + " for \"" + text + "\"");
        }
        tokens = tokens.clone();
    }

    /** A document given by its tokens only; its text is the token list. */
    public static Doc ofTokens(int[] tokens) {
        return new Doc(Arrays.toString(tokens), tokens);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Doc other && text.equals(other.text) && Arrays.equals(tokens, other.tokens);
    }

    @Override
    public int hashCode() {
        return 31 * text.hashCode() + Arrays.hashCode(tokens);
    }

    @Override
    public String toString() {
        return "Doc[\"" + text + "\", " + Arrays.toString(tokens) + "]";
    }
}
