package org.jetsketch.work;

/**
 * Where a batch of independent tasks reports that one more finished (the command line draws a
 * progress bar; a library caller may count, log or ignore). {@link #begin} is called once per
 * batch before its tasks start; {@link Batch#advance} from the worker threads, so it must be
 * thread-safe; {@link Batch#close} once when the batch is done or failed.
 */
@FunctionalInterface
public interface TaskProgress {

    /** A batch of {@code total} tasks called {@code label} ({@code unit}: what a task is, plural) starts. */
    Batch begin(String label, int total, String unit);

    /** One running batch. */
    interface Batch extends AutoCloseable {
        /** One more task finished. */
        void advance();

        @Override
        void close();
    }

    /** Reports nothing. */
    TaskProgress NONE = (label, total, unit) -> new Batch() {
        @Override
        public void advance() {}

        @Override
        public void close() {}
    };
}
