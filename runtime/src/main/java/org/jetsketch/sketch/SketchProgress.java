package org.jetsketch.sketch;

/** Progress of a long run, reported after every finished unit of work (from worker threads). */
@FunctionalInterface
public interface SketchProgress {

    /**
     * @param done units finished so far (including those found already stored when resuming)
     * @param total units in the run
     * @param perSecond finishing rate of this run so far
     * @param etaSeconds estimated seconds to go (NaN before the first unit of this run)
     */
    void update(int done, int total, double perSecond, double etaSeconds);

    /**
     * A sketch file already in the store failed verification ({@code problem} names the file and
     * the check) and is being computed again. Called before the computing starts.
     */
    default void recomputing(int index, String problem) {}

    /** A phase of the run that reports no units starts (training θ_0, verifying stored files). */
    default void phase(String description) {}

    SketchProgress NONE = (done, total, perSecond, eta) -> { };
}
