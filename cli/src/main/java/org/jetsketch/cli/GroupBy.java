package org.jetsketch.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jetsketch.sketch.Groups;

/** The --group-by specifications: how the training names are grouped for grouped sketches. */
final class GroupBy {
    private GroupBy() {}

    static final String HELP = "Group the training names (scheme §9): first-letter, last-letter, length, or file:F"
            + " (F: one group name per training name, in training order).";

    /** Groups of setup's training names by {@code spec}. */
    static Groups resolve(String spec, Setup setup, String option) {
        if (spec == null || spec.isBlank()) throw new CliException(option + ": empty grouping");
        List<String> names = setup.names;
        try {
            switch (spec) {
                case "first-letter":
                    return Groups.byKey(names.size(), i -> names.get(i).substring(0, 1));
                case "last-letter":
                    return Groups.byKey(names.size(), i -> names.get(i).substring(names.get(i).length() - 1));
                case "length":
                    return Groups.byKey(names.size(), i -> Integer.toString(names.get(i).length()),
                            Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder()));
                default:
                    break;
            }
        } catch (IllegalArgumentException e) {
            throw new CliException(option + " " + spec + ": " + e.getMessage(), e);
        }
        if (!spec.startsWith("file:")) {
            throw new CliException(option + " " + spec + ": not a grouping; use first-letter, last-letter, length or"
                    + " file:F");
        }
        Path file = Path.of(spec.substring("file:".length()));
        List<String> lines;
        try {
            lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CliException(option + " " + spec + ": cannot read " + file + ": " + e.getMessage(), e);
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) lines.remove(lines.size() - 1);
        if (lines.size() != names.size()) {
            throw new CliException(option + " " + spec + ": " + file + " has " + lines.size() + " group names, the run has "
                    + names.size() + " training names (one line per training name, in training order)");
        }
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().isEmpty()) {
                throw new CliException(option + " " + spec + ": line " + (i + 1) + " of " + file + " (training name "
                        + names.get(i) + ") is empty");
            }
        }
        return Groups.byKey(lines.size(), i -> lines.get(i).strip());
    }

    /** The group ids named in a comma-separated list (or "all"). */
    static int[] parseGroupList(String list, Groups groups, String option) {
        if (list.strip().equals("all")) {
            int[] all = new int[groups.count()];
            for (int q = 0; q < all.length; q++) all[q] = q;
            return all;
        }
        List<Integer> ids = new ArrayList<>();
        for (String token : list.split(",")) {
            String name = token.strip();
            if (name.isEmpty()) continue;
            int q;
            try {
                q = groups.indexOf(name);
            } catch (IllegalArgumentException e) {
                throw new CliException(option + ": " + e.getMessage(), e);
            }
            if (ids.contains(q)) throw new CliException(option + ": group '" + name + "' is named twice");
            ids.add(q);
        }
        if (ids.isEmpty()) throw new CliException(option + ": no group named");
        return ids.stream().mapToInt(Integer::intValue).sorted().toArray();
    }
}
