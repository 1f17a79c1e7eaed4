package org.jetsketch.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import org.jetsketch.bench.StepBenchmark;
import org.jetsketch.train.ExactInfluence;
import org.jetsketch.train.JetTrainer;
import org.jetsketch.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "influence-bench", mixinStandardHelpOptions = true,
        header = "Benchmark: the exact influence of every name against one training, and its memory.", sortOptions = false,
        description = {"Times, in one JVM and interleaved, one ordinary training of microgpt, one jet training along "
            + "one direction at degree 1 (forward mode: one example's first-order influence), and the exact "
            + "first-order influence of every training name (reverse mode through training) at each --budgets "
            + "memory budget (the default, 64 MiB, checkpoints microgpt's 1000 steps; 512 MiB keeps them whole). "
            + "Medians over --repeats after one warm-up round; the heap's peak during each influence run and the "
            + "trajectory it kept; every run must give the same bits."})
final class InfluenceBenchCommand extends BaseCommand {

    @Option(names = "--steps", paramLabel = "N", description = "Training steps = training names. Default: 1000.")
    Integer steps;

    @Option(names = "--repeats", paramLabel = "R", defaultValue = "3",
            description = "Timed rounds; the median is reported. Default: ${DEFAULT-VALUE}.")
    int repeats;

    @Option(names = "--budgets", paramLabel = "LIST", defaultValue = "64,512", split = ",",
            description = "Memory budgets of the influence runs, in MiB. Default: ${DEFAULT-VALUE}.")
    int[] budgets;

    @Mixin Options.Data data;
    @Mixin Options.Measure measure;
    @Mixin Options.JsonOutput json;

    /** One timed subject: its wall times and, for the influence runs, heap peaks and the plan. */
    private static final class Subject {
        final String name;
        final double[] seconds;
        final long[] heapPeak;
        ExactInfluence.Plan plan;

        Subject(String name, int repeats) {
            this.name = name;
            this.seconds = new double[repeats];
            this.heapPeak = new long[repeats];
        }

        double median() { return StepBenchmark.median(seconds); }
    }

    @Override
    int execute() throws Exception {
        positive("--repeats", repeats);
        Setup setup = Setup.resolve(data, steps);
        Measures.Measure m = Measures.parse(measure.spec, setup);
        Trainer<Object> trainer = new Trainer<>(setup.circuit, setup.data, setup.schedule);
        JetTrainer<Object> jet = new JetTrainer<>(setup.circuit, setup.data, setup.schedule, 1, 1);
        double[] direction = setup.weights(new int[] {0}, 1.0);
        double[] zeros = new double[setup.n()];
        Subject ordinary = new Subject("ordinary training", repeats);
        Subject forward = new Subject("jet training, degree 1, one direction", repeats);
        Subject[] subjects = new Subject[2 + budgets.length];
        subjects[0] = ordinary;
        subjects[1] = forward;
        for (int b = 0; b < budgets.length; b++) {
            positive("--budgets", budgets[b]);
            subjects[2 + b] = new Subject("exact influence, all names, " + budgets[b] + " MiB budget", repeats);
        }
        Supplier<ExactInfluence<Object>> influence = () ->
                new ExactInfluence<>(setup.circuit, setup.data, setup.schedule).initial(setup.init);
        double[] firstRun = null;
        for (int round = -1; round < repeats; round++) { // round -1 warms the JIT up
            int at = Math.max(round, 0);
            time(ordinary, at, () -> trainer.train(setup.init, null));
            time(forward, at, () -> jet.train(setup.init, null, direction, zeros));
            ExactInfluence.Influence[] result = new ExactInfluence.Influence[1];
            for (int b = 0; b < budgets.length; b++) {
                long bytes = budgets[b] * (1L << 20);
                Subject s = subjects[2 + b];
                try {
                    time(s, at, () -> result[0] = influence.get().memoryBudget(bytes).run(m.bound()));
                } catch (IllegalArgumentException e) {
                    throw new CliException("--budgets " + budgets[b] + ": " + e.getMessage(), e);
                }
                s.plan = result[0].plan();
                if (firstRun != null && !Arrays.equals(firstRun, result[0].derivative(0))) {
                    throw new CliException("two runs of the exact influence differ (budget " + budgets[b] + " MiB): the"
                            + " sweep is not reproducible bit for bit");
                }
                firstRun = result[0].derivative(0);
            }
        }

        double base = ordinary.median();
        ObjectNode r = Json.object();
        r.put("command", "influence-bench");
        r.put("steps", setup.steps());
        r.put("examples", setup.n());
        r.put("parameters", setup.parameters());
        r.put("measure", m.spec());
        r.put("repeats", repeats);
        ArrayNode a = r.putArray("subjects");
        for (Subject s : subjects) {
            ObjectNode o = a.addObject();
            o.put("name", s.name);
            Json.put(o, "medianSeconds", s.median());
            Json.put(o, "ordinaryTrainings", s.median() / base);
            if (s.plan != null) {
                o.put("trajectoryBytes", s.plan.bytes());
                o.put("recomputes", s.plan.recomputes());
                o.put("checkpointInterval", s.plan.interval());
                o.put("heapPeakBytes", median(s.heapPeak));
            }
        }
        if (json.json) {
            printJson(r);
            return 0;
        }
        PrintWriter o = out();
        o.printf(Locale.ROOT, "microgpt: %d steps, P = %d, measurement %s; medians of %d rounds after a warm-up%n",
                setup.n(), setup.parameters(), m.description(), repeats);
        o.printf(Locale.ROOT, "  %-48s %10s %18s %14s %14s%n", "subject", "median", "ordinary trainings",
                "trajectory", "heap peak");
        for (Subject s : subjects) {
            o.printf(Locale.ROOT, "  %-48s %9.3fs %18.2f %14s %14s%n", s.name, s.median(), s.median() / base,
                    s.plan == null ? "" : ExactInfluenceReport.mib(s.plan.bytes())
                            + (s.plan.recomputes() ? " (k=" + s.plan.interval() + ")" : ""),
                    s.plan == null ? "" : ExactInfluenceReport.mib(median(s.heapPeak)));
        }
        o.printf(Locale.ROOT, "  one exact first-order influence by forward mode costs one degree-1 jet training: all %d"
                + " names would take %.0f s that way%n", setup.n(), setup.n() * forward.median());
        return 0;
    }

    /** Runs {@code work} after a full GC with the heap pools' peaks reset; records its time and heap peak. */
    private static void time(Subject s, int at, Runnable work) {
        System.gc();
        long before = heapUsed();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) pool.resetPeakUsage();
        }
        long t0 = System.nanoTime();
        work.run();
        s.seconds[at] = (System.nanoTime() - t0) / 1e9;
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) peak += pool.getPeakUsage().getUsed();
        }
        s.heapPeak[at] = Math.max(0, peak - before);
    }

    private static long heapUsed() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) used += pool.getUsage().getUsed();
        }
        return used;
    }

    static long median(long[] xs) {
        long[] s = xs.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
