package org.jetsketch.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.jetsketch.microgpt.Doc;
import org.jetsketch.microgpt.MicroGpt;
import org.jetsketch.microgpt.MicroGpt_Circuit;
import org.jetsketch.microgpt.Vocabulary;
import org.jetsketch.train.Dataset;
import org.jetsketch.train.Schedule;

/** One local Spark context for every test of the module (starting one takes seconds). */
final class TestSpark {
    private TestSpark() {}

    /** Two executor threads; a task may fail once and is retried (local[N,F]: F attempts per task). */
    static final String MASTER = "local[2,2]";

    private static JavaSparkContext context;
    static final AtomicInteger JOBS = new AtomicInteger();

    static synchronized JavaSparkContext context() {
        if (context == null) {
            context = SparkContexts.start(MASTER, "jetsketch-spark-tests");
            context.sc().addSparkListener(new SparkListener() {
                @Override
                public void onJobStart(SparkListenerJobStart jobStart) {
                    JOBS.incrementAndGet();
                }
            });
            JavaSparkContext sc = context;
            Runtime.getRuntime().addShutdownHook(new Thread(sc::stop));
        }
        return context;
    }

    /** Jobs started so far (listener events arrive asynchronously: waits for the bus to drain). */
    static int jobsStarted() throws InterruptedException {
        Thread.sleep(200);
        return JOBS.get();
    }

    static final List<String> NAMES = List.of("emma", "olivia", "ava", "isabella", "sophia", "mia", "amelia",
            "harper", "evelyn", "abigail", "ella", "liam");

    /** A small microgpt run (8-wide embedding, 12 names, one per step): what executors rebuild. */
    static final class MicroRecipe implements TrainingRecipe<Doc> {
        private static final long serialVersionUID = 1L;
        final ArrayList<String> names;
        final long seed;

        MicroRecipe(List<String> names, long seed) {
            this.names = new ArrayList<>(names);
            this.seed = seed;
        }

        @Override
        public Training<Doc> rebuild() {
            Vocabulary vocabulary = Vocabulary.of(names);
            MicroGpt model = new MicroGpt(vocabulary.size(), 8, 8, 2, seed);
            List<Doc> docs = vocabulary.docs(names);
            return new Training<>(new MicroGpt_Circuit(model), Dataset.of(docs), Schedule.sequential(docs.size(),
                    docs.size()));
        }
    }

    static MicroRecipe recipe() {
        return new MicroRecipe(NAMES, 7);
    }
}
