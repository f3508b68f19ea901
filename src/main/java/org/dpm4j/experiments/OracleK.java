package org.dpm4j.experiments;

import org.dpm4j.results.Run;

/**
 * An experiment whose data's reverse process is known well enough to say, without training, the best K (Eq. 14)
 * a configuration's schedule allows its kernel family: the oracle of that schedule (Gaussian data: the exact reverse
 * kernel; data on a curve: {@link KernelCeiling}; a finite data set: the best factorised binomial kernel). An
 * ablation compares each trained arm with the oracle of its schedule, so a user sees how much of a gap is the
 * schedule and how much is training, and can rank many schedules by oracle K alone.
 *
 * @param <C> the experiment's configuration record
 */
public interface OracleK<C extends Record> {
    /** The model name an oracle run's rows carry (a trained run's is "diffusion"). */
    String MODEL = "oracle";

    /**
     * The oracle's K for these settings from this root seed (no training; the training settings are ignored), as a run
     * of model {@link #MODEL} with the metric K (and its standard error) in the experiment's unit and the series
     * {@link Run#K_PER_EXAMPLE} and {@link Run#BOUND_LOST_PER_STEP}; the profile is recorded as given.
     */
    Run oracle(C settings, Profile profile, long seed);

    /** One line: which oracle this is (for listings and tables). */
    String oracleDescription();
}
