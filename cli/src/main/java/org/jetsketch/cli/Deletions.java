package org.jetsketch.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Resolves the deletion options to a set D of training steps. */
final class Deletions {
    private Deletions() {}

    /** D (ascending, no repeats) and how it was chosen. */
    record Deletion(int[] indices, String description) {
        int size() {
            return indices.length;
        }
    }

    /**
     * The union of the deletion options, or D = the names containing {@code defaultContaining} if
     * none is given (null: one is required).
     */
    static Deletion resolve(Options.Deletion o, Setup setup, String defaultContaining) {
        String containing = o.containing;
        if (!o.given()) {
            if (defaultContaining == null) {
                throw new CliException("no deletion set: give --delete-containing STR, --delete-indices LIST or"
                        + " --delete-file FILE");
            }
            containing = defaultContaining;
        }
        int n = setup.n();
        TreeSet<Integer> d = new TreeSet<>();
        List<String> parts = new ArrayList<>();
        if (containing != null) {
            if (containing.isEmpty()) throw new CliException("--delete-containing: the string is empty");
            int before = d.size();
            for (int i = 0; i < n; i++) {
                if (setup.names.get(i).contains(containing)) d.add(i);
            }
            if (d.size() == before) {
                throw new CliException("--delete-containing " + Text.inline(containing) + ": none of the " + n
                        + " training " + setup.nouns() + " contains \"" + Text.inline(containing) + "\"");
            }
            parts.add("training " + setup.nouns() + " containing \"" + containing + "\"");
        }
        if (o.indices != null) {
            d.addAll(parseIndices(o.indices, n, "--delete-indices", indexUnit(setup)));
            parts.add(indexUnit(setup) + " " + Text.inline(o.indices));
        }
        if (o.file != null) {
            String text = InputFiles.readText(o.file, "--delete-file");
            StringBuilder stripped = new StringBuilder();
            for (String line : text.split("\\R", -1)) {
                int hash = line.indexOf('#');
                stripped.append(hash >= 0 ? line.substring(0, hash) : line).append(' ');
            }
            List<Integer> fromFile = parseIndices(stripped.toString(), n, "--delete-file " + o.file,
                    indexUnit(setup));
            if (fromFile.isEmpty()) throw new CliException("--delete-file " + o.file + ": the file lists no indices");
            d.addAll(fromFile);
            parts.add(indexUnit(setup) + " in " + o.file);
        }
        int[] indices = d.stream().mapToInt(Integer::intValue).toArray();
        return new Deletion(indices, String.join(" + ", parts));
    }

    /** A malformed option value is a usage error; malformed file content is bad input. */
    private static CliException bad(String where, String message) {
        return where.startsWith("--delete-file") ? new CliException(message) : new UsageException(message);
    }

    /** Indices separated by commas or white space; ranges a-b; each in [0, n). */
    /** What an index counts: microgpt "steps" (step s trains on name s), another study its examples' noun. */
    static String indexUnit(Setup setup) {
        return setup.isMicroGpt() ? "steps" : setup.nouns();
    }

    static List<Integer> parseIndices(String text, int n, String where, String unit) {
        List<Integer> out = new ArrayList<>();
        List<String> outside = new ArrayList<>();
        for (String token : text.trim().split("[,\\s]+")) {
            if (token.isEmpty()) continue;
            int from;
            int to;
            try {
                int dash = token.indexOf('-', 1);
                if (dash > 0) {
                    from = Integer.parseInt(token.substring(0, dash));
                    to = Integer.parseInt(token.substring(dash + 1));
                    if (to < from) throw bad(where, where + ": the range " + Text.inline(token) + " is empty (end below start)");
                } else {
                    from = to = Integer.parseInt(token);
                }
            } catch (NumberFormatException e) {
                throw bad(where, where + ": \"" + Text.inline(token) + "\" is not an index or a range a-b of indices");
            }
            if (from < 0 || to >= n) {
                outside.add(Text.inline(token));
                continue;
            }
            for (int i = from; i <= to; i++) out.add(i);
        }
        if (!outside.isEmpty()) {
            throw new CliException(where + ": " + String.join(", ", outside) + (outside.size() == 1 ? " is" : " are")
                    + " outside the training range 0.." + (n - 1) + " (" + n + " training " + unit + ")");
        }
        if (out.isEmpty() && !where.startsWith("--delete-file")) {
            throw new UsageException(where + ": no indices given");
        }
        return out;
    }
}
