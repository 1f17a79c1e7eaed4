package org.jetsketch.sketch;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * A grouping of the n training examples into G groups known before training (scheme §9): example
 * i belongs to group g(i) ∈ [0, G), and the deletion weights are tied within groups,
 * w_i = v_{g(i)}. A grouped sketch draws its direction ψ ∈ C^G on the unit sphere and gives
 * example i the component ψ_{g(i)}; deletion sets are then unions of groups. With every example in
 * a group of its own ({@link #singletons(int)}) the grouped scheme is the per-example one exactly.
 *
 * <p>Every group is non-empty and has a distinct, non-empty name. The {@link #digest()} is a
 * SHA-256 over n, G, the mapping and the names (in a fixed byte layout, see {@link #digest()}),
 * so two groupings agree exactly when their digests do. Immutable.
 */
public final class Groups {

    private final int[] groupOf;
    private final String[] names;
    private final int[][] members;
    private final Map<String, Integer> byName;
    private final byte[] digest;

    private Groups(int[] groupOf, String[] names) {
        this.groupOf = groupOf;
        this.names = names;
        int g = names.length;
        int[] size = new int[g];
        for (int id : groupOf) size[id]++;
        this.members = new int[g][];
        for (int q = 0; q < g; q++) members[q] = new int[size[q]];
        int[] fill = new int[g];
        for (int i = 0; i < groupOf.length; i++) members[groupOf[i]][fill[groupOf[i]]++] = i;
        this.byName = new HashMap<>();
        for (int q = 0; q < g; q++) byName.put(names[q], q);
        this.digest = computeDigest(groupOf, names);
    }

    /**
     * The grouping {@code groupOf[i]} = group of example i, with group q named {@code names.get(q)}.
     *
     * @throws IllegalArgumentException if an id is outside [0, G), a group has no example, or a
     *         name is null, empty or repeated
     */
    public static Groups of(int[] groupOf, List<String> names) {
        if (groupOf == null) throw new IllegalArgumentException("group mapping is null");
        if (names == null) throw new IllegalArgumentException("group names are null");
        if (groupOf.length < 1) throw new IllegalArgumentException("a grouping needs at least one example");
        int g = names.size();
        if (g < 1) throw new IllegalArgumentException("a grouping needs at least one group");
        String[] n = new String[g];
        Map<String, Integer> seen = new HashMap<>();
        for (int q = 0; q < g; q++) {
            String name = names.get(q);
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("group " + q + " has " + (name == null ? "no" : "an empty") + " name");
            }
            Integer before = seen.put(name, q);
            if (before != null) {
                throw new IllegalArgumentException("group name '" + name + "' is used by groups " + before + " and " + q);
            }
            n[q] = name;
        }
        int[] map = groupOf.clone();
        boolean[] used = new boolean[g];
        for (int i = 0; i < map.length; i++) {
            if (map[i] < 0 || map[i] >= g) {
                throw new IllegalArgumentException("example " + i + " is in group " + map[i] + ", outside [0, G = " + g + ")");
            }
            used[map[i]] = true;
        }
        for (int q = 0; q < g; q++) {
            if (!used[q]) throw new IllegalArgumentException("group " + q + " ('" + n[q] + "') has no example");
        }
        return new Groups(map, n);
    }

    /** The grouping {@code groupOf} with groups named by their ids "0", "1", …. */
    public static Groups of(int[] groupOf) {
        if (groupOf == null) throw new IllegalArgumentException("group mapping is null");
        int g = 0;
        for (int id : groupOf) g = Math.max(g, id + 1);
        List<String> names = new ArrayList<>(g);
        for (int q = 0; q < g; q++) names.add(Integer.toString(q));
        return of(groupOf, names);
    }

    /**
     * The grouping of n examples by a key: examples with equal keys share a group, groups are
     * named by their key and numbered in ascending (String) order of the keys.
     *
     * @throws IllegalArgumentException if a key is null or empty (naming the example)
     */
    public static Groups byKey(int n, IntFunction<String> keyOfExample) {
        return byKey(n, keyOfExample, Comparator.naturalOrder());
    }

    /** {@link #byKey(int, IntFunction)} with the groups numbered in the given order of their keys. */
    public static Groups byKey(int n, IntFunction<String> keyOfExample, Comparator<String> order) {
        if (n < 1) throw new IllegalArgumentException("a grouping needs at least one example, got n = " + n);
        String[] keys = new String[n];
        TreeMap<String, Integer> ids = new TreeMap<>(order);
        for (int i = 0; i < n; i++) {
            String key = keyOfExample.apply(i);
            if (key == null || key.isEmpty()) {
                throw new IllegalArgumentException("example " + i + " has " + (key == null ? "no" : "an empty") + " group key");
            }
            keys[i] = key;
            ids.put(key, 0);
        }
        List<String> names = new ArrayList<>(ids.keySet());
        for (int q = 0; q < names.size(); q++) ids.put(names.get(q), q);
        int[] map = new int[n];
        for (int i = 0; i < n; i++) map[i] = ids.get(keys[i]);
        return of(map, names);
    }

    /** {@link #byKey(int, IntFunction)} over a list of examples. */
    public static <E> Groups byKey(List<E> examples, Function<? super E, String> key) {
        if (examples == null) throw new IllegalArgumentException("examples are null");
        return byKey(examples.size(), i -> key.apply(examples.get(i)));
    }

    /** Every example in a group of its own, group i named "i": the per-example scheme. */
    public static Groups singletons(int n) {
        if (n < 1) throw new IllegalArgumentException("a grouping needs at least one example, got n = " + n);
        int[] map = new int[n];
        for (int i = 0; i < n; i++) map[i] = i;
        return of(map);
    }

    /** n. */
    public int examples() { return groupOf.length; }

    /** G. */
    public int count() { return names.length; }

    /** Whether every example is a group of its own (G = n). */
    public boolean isSingletons() { return names.length == groupOf.length; }

    /** g(i). */
    public int groupOf(int example) {
        if (example < 0 || example >= groupOf.length) {
            throw new IllegalArgumentException("example index must be in [0, " + groupOf.length + "), got " + example);
        }
        return groupOf[example];
    }

    /** The name of group q. */
    public String name(int group) { return names[checkGroup(group)]; }

    /** A copy of the names, in group order. */
    public List<String> names() { return List.of(names); }

    /** The group named {@code name}. */
    public int indexOf(String name) {
        Integer q = byName.get(name);
        if (q == null) {
            throw new IllegalArgumentException("no group is named '" + name + "' (" + names.length + " groups: "
                    + preview() + ")");
        }
        return q;
    }

    /** The examples of group q, ascending (a copy). */
    public int[] members(int group) { return members[checkGroup(group)].clone(); }

    /** The number of examples in group q. */
    public int size(int group) { return members[checkGroup(group)].length; }

    /** The examples of a union of groups, ascending, each once. */
    public int[] examplesOf(int[] groupSet) {
        int[] s = checkGroupSet(groupSet);
        int total = 0;
        for (int q : s) total += members[q].length;
        int[] out = new int[total];
        int at = 0;
        for (int q : s) {
            System.arraycopy(members[q], 0, out, at, members[q].length);
            at += members[q].length;
        }
        Arrays.sort(out);
        return out;
    }

    /**
     * The groups whose union is the deletion set D (ascending).
     *
     * @throws IllegalArgumentException if D cuts a group — holds some of its examples but not
     *         all — naming the first such group and how much of it D holds; or if an index is
     *         outside [0, n) or repeated
     */
    public int[] groupsOf(int[] deletionSet) {
        if (deletionSet == null) throw new IllegalArgumentException("deletion set is null");
        int[] held = new int[names.length];
        boolean[] seen = new boolean[groupOf.length];
        for (int i : deletionSet) {
            if (i < 0 || i >= groupOf.length) {
                throw new IllegalArgumentException("deletion set index " + i + " is outside [0, " + groupOf.length + ")");
            }
            if (seen[i]) throw new IllegalArgumentException("deletion set index " + i + " is repeated");
            seen[i] = true;
            held[groupOf[i]]++;
        }
        int count = 0;
        for (int q = 0; q < names.length; q++) {
            if (held[q] == 0) continue;
            if (held[q] != members[q].length) {
                int missing = firstMissing(q, seen);
                throw new IllegalArgumentException("the deletion set cuts group '" + names[q] + "': it holds "
                        + held[q] + " of its " + members[q].length + " examples (example " + missing
                        + " is not in it); with grouped sketches a deletion set must be a union of whole groups");
            }
            count++;
        }
        int[] out = new int[count];
        int at = 0;
        for (int q = 0; q < names.length; q++) if (held[q] != 0) out[at++] = q;
        return out;
    }

    private int firstMissing(int group, boolean[] inSet) {
        for (int i : members[group]) if (!inSet[i]) return i;
        throw new IllegalStateException("group " + group + " is wholly in the set");
    }

    /** Example weights w_i = v_{g(i)} from group weights v (G values). */
    public double[] exampleWeights(double[] groupWeights) {
        if (groupWeights == null || groupWeights.length != names.length) {
            throw new IllegalArgumentException("group weights must have G = " + names.length + " values, got "
                    + (groupWeights == null ? "null" : groupWeights.length));
        }
        double[] w = new double[groupOf.length];
        for (int i = 0; i < w.length; i++) w[i] = groupWeights[groupOf[i]];
        return w;
    }

    /**
     * Writes the example components of a grouped direction: {@code re[offset + i] = ψ_{g(i)}} real
     * part and {@code im[offset + i]} imaginary part, from ψ ∈ C^G interleaved (2G doubles).
     */
    public void expand(double[] psiReIm, double[] re, double[] im, int offset) {
        if (psiReIm.length < 2 * names.length) {
            throw new IllegalArgumentException("direction has " + psiReIm.length / 2 + " components, expected G = "
                    + names.length);
        }
        for (int i = 0; i < groupOf.length; i++) {
            int q = groupOf[i];
            re[offset + i] = psiReIm[2 * q];
            im[offset + i] = psiReIm[2 * q + 1];
        }
    }

    /**
     * SHA-256 over: n and G (big-endian ints), g(0..n−1) (ints), then for each group the UTF-8
     * length (int) and bytes of its name.
     */
    public byte[] digest() { return digest.clone(); }

    /** The digest as 64 lower-case hex digits. */
    public String digestHex() {
        StringBuilder sb = new StringBuilder(64);
        for (byte b : digest) sb.append(String.format("%02x", b & 0xff));
        return sb.toString();
    }

    private static byte[] computeDigest(int[] groupOf, String[] names) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
        ByteBuffer b = ByteBuffer.allocate(8 + 4 * groupOf.length);
        b.putInt(groupOf.length).putInt(names.length);
        for (int id : groupOf) b.putInt(id);
        sha.update(b.array());
        for (String name : names) {
            byte[] u = name.getBytes(StandardCharsets.UTF_8);
            sha.update(ByteBuffer.allocate(4).putInt(u.length).array());
            sha.update(u);
        }
        return sha.digest();
    }

    private String preview() {
        int shown = Math.min(names.length, 8);
        String s = String.join(", ", Arrays.copyOf(names, shown));
        return names.length > shown ? s + ", ..." : s;
    }

    private int checkGroup(int group) {
        if (group < 0 || group >= names.length) {
            throw new IllegalArgumentException("group must be in [0, G = " + names.length + "), got " + group);
        }
        return group;
    }

    private int[] checkGroupSet(int[] groupSet) {
        if (groupSet == null) throw new IllegalArgumentException("group set is null");
        int[] s = groupSet.clone();
        Arrays.sort(s);
        for (int t = 0; t < s.length; t++) {
            checkGroup(s[t]);
            if (t > 0 && s[t] == s[t - 1]) throw new IllegalArgumentException("group " + s[t] + " is repeated");
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Groups other && Arrays.equals(digest, other.digest)
                && Arrays.equals(groupOf, other.groupOf) && Arrays.equals(names, other.names);
    }

    @Override
    public int hashCode() { return Arrays.hashCode(digest); }

    @Override
    public String toString() {
        return "Groups[n=" + groupOf.length + ", G=" + names.length + ": " + preview() + "]";
    }
}
