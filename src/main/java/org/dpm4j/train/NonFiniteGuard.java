package org.dpm4j.train;

import org.dpm4j.util.Check;

/**
 * The non-finite guard every trainer shares (as the reference code does): a step whose loss or gradient is not finite
 * is skipped and counted; {@code limit} of them in a row stop training with a {@link NonFiniteTrainingException}
 * naming the step, so the last good checkpoint stays the last one written.
 */
public final class NonFiniteGuard {
    private final int limit;
    private int skipped, consecutive;

    /** @param limit consecutive non-finite steps tolerated; @param skipped those already skipped (a resumed run) */
    public NonFiniteGuard(int limit, int skipped) {
        this.limit = Check.positive("limit", limit);
        this.skipped = Check.inRange("skipped", skipped, 0, Integer.MAX_VALUE);
    }

    /** Records the outcome of step {@code step}; throws once the run of non-finite steps reaches the limit. */
    public void record(boolean finite, int step, ProgressBar bar) {
        if (finite) {
            consecutive = 0;
            return;
        }
        skipped++;
        if (++consecutive >= limit) {
            if (bar != null) bar.finish();
            throw new NonFiniteTrainingException(step, consecutive);
        }
    }

    /** Steps skipped so far. */
    public int skipped() { return skipped; }

    /** Whether the last step recorded was finite (a checkpoint is only written then). */
    public boolean clean() { return consecutive == 0; }
}
