package org.jetsketch.spark;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.jetsketch.sketch.SketchProgress;

/**
 * Reports a sketching job's progress on the driver: each task's directions count once, when its
 * first attempt succeeds (a speculative duplicate does not count twice).
 */
final class TaskProgress extends SparkListener implements AutoCloseable {
    private static final String PROPERTY = "jetsketch.sketch.run";

    private final JavaSparkContext sc;
    private final String run = UUID.randomUUID().toString();
    private final int[] sizes;
    private final boolean[] finished;
    private final Set<Integer> stages = new HashSet<>();
    private final int total;
    private final SketchProgress progress;
    private final int alreadyStored;
    private final long started = System.nanoTime();
    private int done;

    TaskProgress(JavaSparkContext sc, List<SparkSketcher.TaskRange> ranges, int alreadyStored, int total,
            SketchProgress progress) {
        this.sc = sc;
        this.sizes = ranges.stream().mapToInt(SparkSketcher.TaskRange::directions).toArray();
        this.finished = new boolean[sizes.length];
        this.alreadyStored = alreadyStored;
        this.done = alreadyStored;
        this.total = total;
        this.progress = progress;
        sc.setLocalProperty(PROPERTY, run);
        sc.sc().addSparkListener(this);
    }

    @Override
    public synchronized void onJobStart(SparkListenerJobStart jobStart) {
        if (jobStart.properties() != null && run.equals(jobStart.properties().getProperty(PROPERTY))) {
            for (Object id : scala.jdk.javaapi.CollectionConverters.asJava(jobStart.stageIds())) stages.add((Integer) id);
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        int d;
        synchronized (this) {
            int i = taskEnd.taskInfo().index();
            if (!stages.contains(taskEnd.stageId()) || !taskEnd.taskInfo().successful() || i >= sizes.length
                    || finished[i]) {
                return;
            }
            finished[i] = true;
            done += sizes[i];
            d = done;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double rate = (d - alreadyStored) / Math.max(seconds, 1e-9);
        progress.update(d, total, rate, (total - d) / rate);
    }

    @Override
    public void close() {
        sc.sc().removeSparkListener(this);
        sc.setLocalProperty(PROPERTY, null);
    }
}
