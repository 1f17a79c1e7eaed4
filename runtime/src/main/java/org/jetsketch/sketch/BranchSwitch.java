package org.jetsketch.sketch;

import org.jetsketch.circuit.CompiledCircuit;
import org.jetsketch.circuit.BranchMonitor;

/**
 * What a sketch records about the branch decisions met during its jet training: the smallest
 * |t| at which a comparison on active values (a max, an abs, a relu, an if on a jet's value) could
 * change its outcome along the sketch's direction, and where in the source that comparison is.
 * Past {@code t}, the sketch's Taylor series describes a different branch of the computation.
 *
 * @param t    the bound, &gt;= 0; {@code +Infinity} when no such comparison was met (or none was measured)
 * @param site the comparison's source position, e.g. {@code "Huber.java:42"}; empty when none (UTF-8,
 *             at most {@link #MAX_SITE_BYTES} bytes)
 */
public record BranchSwitch(double t, String site) {

    /** The longest site, in UTF-8 bytes. */
    public static final int MAX_SITE_BYTES = 4096;

    /** No branch decision recorded. */
    public static final BranchSwitch NONE = new BranchSwitch(Double.POSITIVE_INFINITY, "");

    public BranchSwitch {
        if (Double.isNaN(t) || t < 0) throw new IllegalArgumentException("branch-switch bound must be >= 0, got " + t);
        if (site == null) throw new IllegalArgumentException("site is null");
        int bytes = StoreHeader.utf8("site", site).length;
        if (bytes > MAX_SITE_BYTES) {
            throw new IllegalArgumentException("site is " + bytes + " UTF-8 bytes, more than " + MAX_SITE_BYTES);
        }
    }

    /**
     * What {@code monitor} recorded along direction {@code b} (a jet trainer's
     * {@code branches()}), with the site's source position from {@code circuit}.
     */
    public static BranchSwitch of(CompiledCircuit<?> circuit, BranchMonitor monitor, int b) {
        int site = monitor.site(b);
        return site < 0 ? NONE : new BranchSwitch(monitor.radius(b), circuit.branchSite(site));
    }

    /** True if a branch decision was recorded (the bound is finite). */
    public boolean recorded() {
        return Double.isFinite(t);
    }
}
