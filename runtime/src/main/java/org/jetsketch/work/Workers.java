package org.jetsketch.work;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The one way jetsketch runs independent tasks in parallel (sketching passes, coefficient tables,
 * the command line's trainings): a pool of daemon threads, the results in task order, and a
 * task's failure rethrown as itself — an {@link IOException}, a {@link RuntimeException} or an
 * {@link Error} as thrown, any other checked exception wrapped in an IOException — after which
 * the tasks still running are interrupted. Nothing is retried.
 */
public final class Workers {
    private Workers() {}

    /**
     * Runs {@code tasks} on at most {@code threads} threads named {@code threadName}.
     *
     * @throws InterruptedException if the calling thread is interrupted while waiting (the tasks
     *                              are interrupted too); the caller says what was kept
     */
    public static <T> List<T> runAll(List<? extends Callable<T>> tasks, int threads, String threadName)
            throws IOException, InterruptedException {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        if (tasks.isEmpty()) return List.of();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, tasks.size()), r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<T>> futures = new ArrayList<>(tasks.size());
            for (Callable<T> task : tasks) futures.add(pool.submit(task));
            List<T> out = new ArrayList<>(tasks.size());
            for (Future<T> f : futures) out.add(f.get());
            return out;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) throw io;
            if (cause instanceof RuntimeException re) throw re;
            if (cause instanceof Error err) throw err;
            throw new IOException(cause);
        } finally {
            pool.shutdownNow();
        }
    }
}
