package org.jetsketch.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.jetsketch.bench.InfluenceBenchmark;
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

    @Override
    int execute() throws Exception {
        positive("--repeats", repeats);
        for (int b : budgets) positive("--budgets", b);
        Setup setup = Setup.resolve(data, steps);
        Measures.Measure m = Measures.parse(measure.spec, setup);
        List<InfluenceBenchmark.Subject> subjects;
        try {
            subjects = InfluenceBenchmark.run(setup.problem, m.bound(), repeats, budgets, setup.nouns());
        } catch (InfluenceBenchmark.BudgetTooSmall e) {
            throw new CliException("--budgets " + e.budgetMiB() + ": " + e.getMessage(), e);
        } catch (IllegalStateException e) {
            throw new CliException(e.getMessage(), e);
        }
        InfluenceBenchmark.Subject forward = subjects.get(1);
        ObjectNode r = Json.object();
        r.put("command", "influence-bench");
        r.put("steps", setup.steps());
        r.put("examples", setup.n());
        r.put("parameters", setup.parameters());
        r.put("measure", m.spec());
        r.put("repeats", repeats);
        ArrayNode a = r.putArray("subjects");
        for (InfluenceBenchmark.Subject s : subjects) {
            ObjectNode o = a.addObject();
            o.put("name", s.name());
            Json.put(o, "medianSeconds", s.medianSeconds());
            Json.put(o, "ordinaryTrainings", s.ordinaryTrainings());
            if (s.plan() != null) {
                o.put("trajectoryBytes", s.plan().bytes());
                o.put("recomputes", s.plan().recomputes());
                o.put("checkpointInterval", s.plan().interval());
                o.put("heapPeakBytes", s.heapPeakBytes());
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
        for (InfluenceBenchmark.Subject s : subjects) {
            o.printf(Locale.ROOT, "  %-48s %9.3fs %18.2f %14s %14s%n", s.name(), s.medianSeconds(),
                    s.ordinaryTrainings(), s.plan() == null ? "" : ExactInfluenceReport.mib(s.plan().bytes())
                            + (s.plan().recomputes() ? " (k=" + s.plan().interval() + ")" : ""),
                    s.plan() == null ? "" : ExactInfluenceReport.mib(s.heapPeakBytes()));
        }
        o.printf(Locale.ROOT, "  one exact first-order influence by forward mode costs one degree-1 jet training: all %d"
                + " names would take %.0f s that way%n", setup.n(), setup.n() * forward.medianSeconds());
        return 0;
    }
}
