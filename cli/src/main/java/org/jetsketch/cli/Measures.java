package org.jetsketch.cli;

import org.jetsketch.circuit.BoundMeasurement;
import org.jetsketch.microgpt.Vocabulary;

/** Parses --measure: loss:NAME, prob:PREFIX:NEXT and logit:PREFIX:NEXT. */
final class Measures {
    private Measures() {}

    static final String DEFAULT = "loss:max";

    /** A parsed measurement: the text the user gave, a readable description and the bound circuit method. */
    record Measure(String spec, String description, BoundMeasurement bound) {}

    static Measure parse(String spec, Setup setup) {
        String text = spec == null ? DEFAULT : spec;
        Vocabulary vocabulary = setup.vocabulary;
        int colon = text.indexOf(':');
        if (colon < 0) throw usage(text, "missing ':'");
        String kind = text.substring(0, colon);
        String rest = text.substring(colon + 1);
        switch (kind) {
            case "loss" -> {
                checkCharacters(text, "the name", rest, vocabulary);
                int length = rest.codePointCount(0, rest.length());
                int max = setup.model.blockSize() - 1;
                if (length > max) {
                    throw new CliException("--measure " + Text.inline(text) + ": the name has " + length + " characters, at most " + max
                            + " fit the context (block_size " + setup.model.blockSize() + " positions: the " + length
                            + " characters and the end of the name); a longer name's loss would silently leave out"
                            + " its end");
                }
                return new Measure(text, "loss on \"" + rest + "\"", setup.circuit.lossOn(vocabulary.doc(rest)));
            }
            case "prob", "logit" -> {
                int last = rest.lastIndexOf(':');
                if (last < 0) throw usage(text, kind + " needs a prefix and a next character: " + kind + ":<prefix>:<next-char>");
                String prefix = rest.substring(0, last);
                String next = rest.substring(last + 1);
                checkCharacters(text, "the prefix", prefix, vocabulary);
                int[] all = vocabulary.encode(prefix);
                int[] prefixTokens = java.util.Arrays.copyOfRange(all, 1, all.length - 1);
                int max = setup.model.blockSize() - 1;
                if (prefixTokens.length > max) {
                    throw new CliException("--measure " + Text.inline(text) + ": the prefix has " + prefixTokens.length
                            + " characters, at most " + max + " fit the context (block_size " + setup.model.blockSize() + ")");
                }
                int target;
                String targetText;
                if (next.equals("end")) {
                    target = vocabulary.bos();
                    targetText = "the end of the name";
                } else if (next.codePointCount(0, next.length()) == 1) {
                    checkCharacters(text, "the next character", next, vocabulary);
                    target = vocabulary.id(next.codePointAt(0));
                    targetText = "'" + next + "'";
                } else {
                    throw usage(text, "the next character must be one character or 'end', got \"" + Text.inline(next) + "\"");
                }
                BoundMeasurement bound = kind.equals("prob")
                        ? setup.circuit.nextCharProbability(prefixTokens, target)
                        : setup.circuit.logit(prefixTokens, target);
                String what = kind.equals("prob") ? "probability of " : "logit of ";
                return new Measure(text, what + targetText + " after \"" + prefix + "\"", bound);
            }
            default -> throw usage(text, "unknown kind '" + Text.inline(kind) + "'");
        }
    }

    private static void checkCharacters(String spec, String what, String s, Vocabulary vocabulary) {
        StringBuilder bad = new StringBuilder();
        s.codePoints().distinct().filter(c -> !vocabulary.contains(c)).forEach(c -> {
            if (bad.length() > 0) bad.append(", ");
            bad.append(Character.isWhitespace(c) || Character.isISOControl(c) ? "" : "'" + Character.toString(c) + "' ")
                    .append(String.format("(U+%04X)", c));
        });
        if (bad.length() > 0) {
            throw new CliException("--measure " + Text.inline(spec) + ": " + what + " has characters outside the vocabulary: " + bad
                    + " (vocabulary: \"" + vocabulary.characters() + "\")");
        }
    }

    private static CliException usage(String spec, String problem) {
        return new UsageException("--measure " + Text.inline(spec) + ": " + problem
                + "; expected loss:<name>, prob:<prefix>:<next-char> or logit:<prefix>:<next-char>");
    }
}
