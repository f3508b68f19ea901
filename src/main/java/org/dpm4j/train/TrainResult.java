package org.dpm4j.train;

import org.dpm4j.schedule.BetaSchedule;
import tech.tablesaw.api.Table;

/**
 * A finished (or stopped) training run with the configuration that produced it.
 *
 * @param kernel        the trained reverse kernel (its network holds the final parameters; its schedule is
 *                      {@code schedule})
 * @param history       one row per step; see {@link History#table}
 * @param config        the run's configuration
 * @param steps         updates attempted (including skipped ones)
 * @param skipped       non-finite updates skipped
 * @param seconds       wall seconds of training (all sessions of a resumed run)
 * @param evalKBits     K on the evaluation set at the end, bits per example
 * @param reachedTarget whether the evaluated K reached {@link TrainConfig#targetBits}
 * @param schedule      the final schedule: the kernel's own, or the learned one when the configuration learns it
 */
public record TrainResult<K>(K kernel, History history, TrainConfig config, int steps, int skipped, double seconds,
                             double evalKBits, boolean reachedTarget, BetaSchedule schedule) {
    /** The history as a Tablesaw table, ready for plotting. */
    public Table table() { return history.table("training history (K in bits per example)"); }

    public double stepsPerSecond() { return steps / Math.max(seconds, 1e-9); }
}
