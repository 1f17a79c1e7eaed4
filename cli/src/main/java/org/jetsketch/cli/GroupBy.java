package org.jetsketch.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jetsketch.sketch.Groups;
import org.jetsketch.study.StudyException;

/** The --group-by specifications: how the training names are grouped for grouped sketches. */
final class GroupBy {
    private GroupBy() {}

    static final String HELP = "Group the training examples (scheme §9) by one of the study's groupings (microgpt:"
            + " first-letter, last-letter, length; linear, logistic, mlp: tens; the classifiers also label), or file:F"
            + " (F: one group name per training example, in training order; a group name may not contain a comma, a"
            + " control character or be 'all', so that --delete-groups can name it).";

    /** The word --delete-groups and --group-sets take for every group. */
    static final String ALL = "all";

    /** Groups of setup's training names by {@code spec}. */
    static Groups resolve(String spec, Setup setup, String option) {
        if (spec == null || spec.isBlank()) throw new UsageException(option + ": empty grouping");
        Groups groups;
        if (spec.startsWith("file:")) {
            groups = fromFile(spec, setup, option);
        } else {
            try {
                groups = setup.problem.groups(spec);
            } catch (StudyException e) {
                throw Setup.cli(e);
            } catch (IllegalArgumentException e) {
                throw new CliException(option + " " + spec + ": " + Text.inline(e.getMessage()), e);
            }
        }
        for (int q = 0; q < groups.count(); q++) {
            String problem = nameProblem(groups.name(q));
            if (problem != null) {
                throw new CliException(option + " " + Text.inline(spec) + ": group '" + Text.inline(groups.name(q)) + "' "
                        + problem + ", so --delete-groups could not name it" + (spec.startsWith("file:") ? ""
                        : "; group with file:F instead"));
            }
        }
        return groups;
    }

    private static Groups fromFile(String spec, Setup setup, String option) {
        List<String> names = setup.names;
        String fileName = spec.substring("file:".length());
        if (fileName.isBlank()) throw new UsageException(option + " file:F: no file F named");
        Path file = Main.pathOption(option + " file:", fileName);
        List<String> lines = new ArrayList<>(InputFiles.readText(file, option + " file:").lines().toList());
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) lines.remove(lines.size() - 1);
        String where = option + " " + Text.inline(spec);
        if (lines.size() != names.size()) {
            throw new CliException(where + ": " + file + " has " + lines.size() + " group names, the run has "
                    + names.size() + " training " + setup.nouns() + " (one line per training " + setup.noun()
                    + ", in training order)");
        }
        for (int i = 0; i < lines.size(); i++) {
            String name = lines.get(i).strip();
            String problem = name.isEmpty() ? "is empty" : nameProblem(name);
            if (problem != null) {
                throw new CliException(where + ": line " + (i + 1) + " of " + file + " (training " + setup.noun() + " " + names.get(i)
                        + "): the group name '" + Text.inline(name) + "' " + problem + (name.isEmpty() ? ""
                        : ", so --delete-groups could not name it"));
            }
        }
        return Groups.byKey(lines.size(), i -> lines.get(i).strip());
    }

    /**
     * Why --delete-groups (a comma-separated list, each name stripped, {@value #ALL} for every
     * group) could not name a group called {@code name}, or null if it can.
     */
    static String nameProblem(String name) {
        if (name.contains(",")) return "contains a comma (--delete-groups separates names with commas)";
        if (!Text.inline(name).equals(name)) return "contains a control character (" + Text.inline(name) + ")";
        if (!name.strip().equals(name)) return "begins or ends with white space";
        if (name.equals(ALL)) return "is '" + ALL + "', which --delete-groups reads as every group";
        return null;
    }

    /** The group ids named in a comma-separated list (or "all"). */
    static int[] parseGroupList(String list, Groups groups, String option) {
        if (list.strip().equals(ALL)) {
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
                throw new CliException(option + ": no group is named '" + Text.inline(name) + "' (" + groups.count()
                        + " groups: " + preview(groups) + ")", e);
            }
            if (ids.contains(q)) throw new CliException(option + ": group '" + name + "' is named twice");
            ids.add(q);
        }
        if (ids.isEmpty()) throw new CliException(option + ": no group named");
        return ids.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /** The first group names, for messages. */
    static String preview(Groups groups) {
        List<String> shown = groups.names().subList(0, Math.min(12, groups.count()));
        return Text.inline(String.join(", ", shown)) + (groups.count() > shown.size() ? ", ..." : "");
    }
}
