package org.dpm4j.experiments;

import org.dpm4j.results.Run;

/**
 * An experiment that can learn its schedule with its kernel (Sec. 2.4.1: beta_2..beta_T by gradient ascent on K with
 * the noise frozen, beta_1 fixed), starting from the configuration's schedule. An ablation adds a "learned" arm for
 * such an experiment.
 *
 * @param <C> the experiment's configuration record
 */
public interface LearnsSchedule<C extends Record> {
    /** The configuration field a learned run adds to its settings: the schedule's learning rate. */
    String FIELD = "scheduleLearningRate";

    /** The schedule's learning rate the learned arm uses. */
    double scheduleLearningRate();

    /**
     * Trains, evaluates and samples as {@link Experiment#run} does, with the schedule learned from the settings' one;
     * the run's configuration is the settings plus {@link #FIELD}, and it keeps the learned betas as the series
     * {@link Run#BETAS}.
     */
    Run runLearningSchedule(C settings, Profile profile, long seed);
}
