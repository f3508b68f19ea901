package org.dpm4j.train;

import java.util.random.RandomGenerator;
import org.dpm4j.schedule.BetaSchedule;

/**
 * An objective of Gaussian diffusion whose schedule beta_2..beta_T can be learned jointly with the model (Sec. 2.4.1):
 * it gives dK/dbeta under the minibatch's own frozen noise, and continues under a new schedule with the same T.
 */
public interface ScheduleLearningObjective extends Objective {
    /** The schedule the objective currently uses. */
    BetaSchedule schedule();

    /**
     * As {@link #evaluate} with the gradient, and also dK/dbeta_t (index t - 1) under the rows' frozen noise added to
     * {@code dKdBeta} (length T).
     */
    Value evaluateWithScheduleGradient(double[] x0, TimeSampler sampler, RandomGenerator rng, double[] dKdBeta);

    /** The same model under schedule s (same T): a new objective, or this one after switching. */
    ScheduleLearningObjective withSchedule(BetaSchedule s);
}
