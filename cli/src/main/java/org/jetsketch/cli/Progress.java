package org.jetsketch.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.jetsketch.sketch.SketchProgress;

/**
 * A progress bar with an ETA on stderr. On a terminal it redraws one line twice a second; when
 * stderr is a file or a pipe it prints a line at every tenth of the work (at most one every two
 * seconds) and at the end. Units are counted with {@link #advance()} or reported by the sketcher
 * ({@link SketchProgress}); before the first unit the ETA comes from an estimate, if one was given.
 */
final class Progress implements SketchProgress, AutoCloseable {
    private static final int WIDTH = 28;

    private final PrintWriter err;
    private final String label;
    private final String unit;
    private final boolean terminal;
    private final long started = System.nanoTime();
    private final Thread ticker;
    private volatile int total;
    private volatile int done;
    private volatile int doneAtStart = -1;
    private volatile double eta = Double.NaN;
    private volatile double estimateSeconds = Double.NaN;
    private long lastPrinted;
    private int lastTenth = -1;
    private boolean closed;

    Progress(PrintWriter err, String label, int total, String unit) {
        this(err, label, total, unit, Double.NaN);
    }

    /** With an a-priori estimate of the whole run's duration, used until the first unit finishes. */
    Progress(PrintWriter err, String label, int total, String unit, double estimateSeconds) {
        this.estimateSeconds = estimateSeconds;
        this.err = err;
        this.label = label;
        this.total = total;
        this.unit = unit;
        this.terminal = System.console() != null && System.getenv("JETSKETCH_NO_BAR") == null;
        if (terminal) {
            ticker = new Thread(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        draw(false);
                        Thread.sleep(500);
                    }
                } catch (InterruptedException e) {
                    // done
                }
            }, "jetsketch-progress");
            ticker.setDaemon(true);
            ticker.start();
        } else {
            ticker = null;
            draw(false);
        }
    }

    /** One more unit done. */
    synchronized void advance() {
        done++;
        eta = Double.NaN;
        if (!terminal && done < total) draw(false);
    }

    @Override
    public synchronized void update(int done, int total, double perSecond, double etaSeconds) {
        if (doneAtStart < 0) doneAtStart = Math.max(0, done - 1);
        this.done = done;
        this.total = total;
        this.eta = etaSeconds;
        if (!terminal && done < total) draw(false);
    }

    @Override
    public void recomputing(int index, String problem) {
        note(Text.printable(problem) + "\n  -> computing sketch " + index + " again");
    }

    @Override
    public void phase(String description) {
        note(label + ": " + description + "...");
    }

    /** A line of its own on stderr (clearing a redrawn bar first). */
    synchronized void note(String line) {
        if (closed) return;
        if (terminal) err.print("\r\u001b[K");
        err.println(line);
        err.flush();
    }

    private double elapsed() {
        return (System.nanoTime() - started) / 1e9;
    }

    private String etaText() {
        double e = eta;
        int base = Math.max(doneAtStart, 0);
        if (!Double.isFinite(e) && done > base) {
            double rate = (done - base) / Math.max(elapsed(), 1e-9);
            e = (total - done) / rate;
        }
        if (Double.isFinite(e)) return "ETA " + clock(e);
        if (Double.isFinite(estimateSeconds)) return "ETA ~" + clock(Math.max(0, estimateSeconds - elapsed()));
        return "ETA --:--";
    }

    static String clock(double seconds) {
        long s = Math.round(Math.max(0, seconds));
        if (s >= 3600) return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    private synchronized void draw(boolean last) {
        if (closed) return;
        int t = Math.max(total, 1);
        int d = Math.min(done, t);
        if (!terminal && !last) {
            int tenth = (int) (10L * d / t);
            long now = System.nanoTime();
            boolean first = lastTenth < 0;
            if (!first && (tenth == lastTenth || now - lastPrinted < 2_000_000_000L)) return;
            lastTenth = tenth;
            lastPrinted = now;
        }
        int filled = (int) ((long) WIDTH * d / t);
        String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
        String line = String.format(Locale.ROOT, "%s [%s] %d/%d %s  %s  (elapsed %s)", label, bar, d, total, unit,
                last ? "done" : etaText(), clock(elapsed()));
        if (terminal) {
            err.print("\r" + line + "\u001b[K");
            if (last) err.println();
        } else {
            err.println(line);
        }
        err.flush();
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.interrupt();
            try {
                ticker.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            if (!closed) {
                draw(true);
                closed = true;
            }
        }
    }

    /** Progress bars on {@code err}, one per batch of tasks the library runs. */
    static org.jetsketch.work.TaskProgress bars(PrintWriter err) {
        return (label, total, unit) -> {
            Progress bar = new Progress(err, label, total, unit);
            return new org.jetsketch.work.TaskProgress.Batch() {
                @Override
                public void advance() {
                    bar.advance();
                }

                @Override
                public void close() {
                    bar.close();
                }
            };
        };
    }
}
