package org.jetsketch.circuits.random;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jetsketch.circuits.random.Ast.Program;
import org.jetsketch.circuits.random.Checks.Failure;

/** Compiles programs in batches and checks each: what the random-program tests share. */
public final class RandomCircuits {
    private RandomCircuits() {}

    /** {@code -Djetsketch.strict=true}: known defects fail too (and are shrunk), as if unknown. */
    static final boolean STRICT = Boolean.getBoolean("jetsketch.strict");

    /**
     * Defects the generator found that are not fixed yet. A failure that matches one is counted
     * and reported, not failed: the regression cases in {@link RandomCircuitRegressionTest} assert
     * that each still fails, so that its fix flips them.
     */
    public enum KnownDefect {
        // None at present. The real parts of jets used to differ from the ordinary values in the
        // last bits (REAL_PART_OF_LOSS_JET_…, REAL_PARTS_OF_ADJOINT_JETS_…, REAL_PART_OF_JET_TRAINING_…
        // DIFFER_IN_LAST_BITS); since every primitive row computes a jet's real part with the real
        // rule's operations they are equal bit for bit, and Checks now fails any difference.
        ;

        /** The end of the failed check's name, and two texts its detail contains. */
        final String check;
        final String detail;
        final String also;

        KnownDefect(String check, String detail, String also) {
            this.check = check;
            this.detail = detail;
            this.also = also;
        }

        /** The known defect {@code f} is an instance of, or null. */
        public static KnownDefect of(Failure f) {
            for (KnownDefect d : values()) {
                if (f.check().endsWith(d.check) && f.detail().contains(d.detail) && f.detail().contains(d.also)) return d;
            }
            return null;
        }
    }

    /** What a run found. */
    public static final class Run {
        public final Checks.Counts counts = new Checks.Counts();
        /** Failures of each failing program, by program name (known defects excluded). */
        public final Map<String, List<Failure>> failures = new LinkedHashMap<>();
        /** How many programs showed each known defect. */
        public final Map<KnownDefect, Integer> known = new java.util.EnumMap<>(KnownDefect.class);
        /** Every failure of each failing program, known defects included, by program name. */
        public final Map<String, List<Failure>> all = new LinkedHashMap<>();
        /** The known defects each program showed, by program name. */
        public final Map<String, java.util.Set<KnownDefect>> knownByProgram = new LinkedHashMap<>();
        /** The first program that showed each known defect. */
        public final Map<KnownDefect, String> firstKnown = new java.util.EnumMap<>(KnownDefect.class);
        public int checked;
        /** Programs that did not compile because of a known defect. */
        public int knownUncompiled;
        public long compileNanos;
    }

    /** The failures of {@code p}, compiled (or not) in {@code result} under {@code qualifiedName}. */
    public static List<Failure> check(Program p, String qualifiedName, BatchCompiler.Result result, Checks.Counts counts) {
        if (result.faults().containsKey(qualifiedName)) {
            return List.of(new Failure(p.name(), "compiler fault", String.join("\n", result.faults().get(qualifiedName))));
        }
        if (result.rejected().containsKey(qualifiedName)) {
            return List.of(new Failure(p.name(), "rejected", String.join("\n", result.rejected().get(qualifiedName))));
        }
        return Checks.run(p, result.loader(), counts);
    }

    /** Compiles {@code programs}, {@code batch} per javac invocation, and checks each. */
    public static Run run(List<Program> programs, int batch) {
        Run run = new Run();
        for (int from = 0; from < programs.size(); from += batch) {
            Map<String, Program> named = new LinkedHashMap<>();
            Map<String, String> sources = new LinkedHashMap<>();
            for (Program p : programs.subList(from, Math.min(programs.size(), from + batch))) {
                named.put(JavaPrinter.qualifiedName(p), p);
                sources.put(JavaPrinter.qualifiedName(p), JavaPrinter.source(p));
            }
            long t0 = System.nanoTime();
            BatchCompiler.Result result = BatchCompiler.compile(sources);
            run.compileNanos += System.nanoTime() - t0;
            for (Map.Entry<String, Program> e : named.entrySet()) {
                List<Failure> found = check(e.getValue(), e.getKey(), result, run.counts);
                boolean compiled = !result.faults().containsKey(e.getKey()) && !result.rejected().containsKey(e.getKey());
                if (compiled) run.checked++;
                if (!found.isEmpty()) run.all.put(e.getValue().name(), new ArrayList<>(found));
                List<Failure> unknown = new ArrayList<>();
                java.util.Set<KnownDefect> seen = java.util.EnumSet.noneOf(KnownDefect.class);
                for (Failure f : found) {
                    KnownDefect d = STRICT ? null : KnownDefect.of(f);
                    if (d == null) unknown.add(f);
                    else seen.add(d);
                }
                if (!seen.isEmpty()) run.knownByProgram.put(e.getValue().name(), seen);
                for (KnownDefect d : seen) {
                    run.known.merge(d, 1, Integer::sum);
                    run.firstKnown.putIfAbsent(d, e.getValue().name());
                }
                if (!unknown.isEmpty()) run.failures.put(e.getValue().name(), unknown);
                else if (!compiled) run.knownUncompiled++;
            }
        }
        return run;
    }

    /** A shrunk failure as it is reported: the check, the seed, the Java source and the literal that rebuilds it. */
    public static String describe(Program minimal, String signature, long seed, int index, List<Failure> failures) {
        StringBuilder b = new StringBuilder();
        b.append("=== [").append(signature).append("] program ").append(index).append(" of seed ").append(seed)
                .append(", shrunk to ").append(minimal.name()).append('\n');
        for (Failure f : failures) if (Shrinker.signature(f).equals(signature)) b.append("  ").append(f).append('\n');
        b.append(JavaPrinter.source(minimal));
        b.append("--- as a regression case:\n").append(Ast.literal(minimal)).append('\n');
        return b.toString();
    }
}
