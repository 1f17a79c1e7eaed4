package org.jetsketch.circuits.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jetsketch.circuits.random.Ast.Program;
import org.jetsketch.circuits.random.Checks.Failure;
import org.jetsketch.jet.Simd;
import org.junit.jupiter.api.Test;

/**
 * The compiler under random programs (issue 21): circuits drawn by {@link ProgramGenerator}, many
 * per javac invocation, each checked by {@link Checks} against DerivativeStructure, finite
 * differences and retraining. A failure is shrunk ({@link Shrinker}) and printed as Java source
 * with its seed. {@code -Djetsketch.programs=N -Djetsketch.seed=S} for a longer run (default: a
 * few hundred programs with a fixed seed, what {@code mvn verify} runs; docs/random-programs.md).
 */
class RandomCircuitTest {
    static final int PROGRAMS = Integer.getInteger("jetsketch.programs", 200);
    static final long SEED = Long.getLong("jetsketch.seed", 21L);
    /** Programs per javac invocation. */
    static final int BATCH = Integer.getInteger("jetsketch.batch", 60);
    /** How many failing programs are shrunk (shrinking recompiles: about a minute each). */
    static final int SHRINK = Integer.getInteger("jetsketch.shrink", 4);

    @Test
    void generatedCircuitsAgreeWithTheirOracles() {
        long start = System.nanoTime();
        // helpers returning boolean fail on the jet path (issue 22): only on demand
        ProgramGenerator generator = new ProgramGenerator(Boolean.getBoolean("jetsketch.booleanHelpers"));
        List<Program> all = new ArrayList<>();
        List<Program> programs = all;
        for (int i = 0; i < PROGRAMS; i++) all.add(generator.program(SEED, i));
        String only = System.getProperty("jetsketch.indices"); // e.g. "5,14": just these programs of the run
        if (only != null) {
            List<Program> chosen = new ArrayList<>();
            for (String i : only.split(",")) chosen.add(programs.get(Integer.parseInt(i.trim())));
            programs = chosen;
        }
        List<Program> selected = programs;
        RandomCircuits.Run run = RandomCircuits.run(selected, BATCH);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("random circuits: %d programs (seed %d), %d compiled and checked, %d failing; %.1f s "
                        + "(javac %.1f s), %.2f programs/s; %s; kernels: %s%n",
                selected.size(), SEED, run.checked, run.failures.size(), seconds, run.compileNanos / 1e9, selected.size() / seconds,
                run.counts, Simd.describe());
        run.known.forEach((d, n) -> System.out.printf("  known defect %s: %d programs (first: %s)%n", d, n,
                run.firstKnown.get(d)));
        List<String> reports = new ArrayList<>();
        Set<String> shrunk = new HashSet<>();
        for (Map.Entry<String, List<Failure>> e : run.failures.entrySet()) {
            for (Failure f : e.getValue()) System.out.println("  " + f);
            String signature = Shrinker.signature(e.getValue().get(0));
            if (shrunk.add(signature) && reports.size() < SHRINK) {
                Program failing = selected.stream().filter(p -> p.name().equals(e.getKey())).findFirst().orElseThrow();
                int index = Integer.parseInt(failing.name().substring(failing.name().lastIndexOf('x') + 1));
                Program minimal = Shrinker.shrink(failing, signature);
                reports.add(RandomCircuits.describe(minimal, signature, SEED, index, e.getValue()));
                System.out.println(reports.get(reports.size() - 1));
            }
        }
        assertTrue(run.failures.isEmpty(), () -> run.failures.size() + " failing programs:\n" + String.join("\n", reports));
        assertEquals(selected.size(), run.checked + run.knownUncompiled, "every program compiled and checked, "
                + "or kept from compiling by a known defect");
    }
}
