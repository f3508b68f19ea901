package org.dpm4j.train;

import java.util.random.RandomGenerator;

/**
 * Which time steps a minibatch's terms of K (Eq. 14) are estimated at, and with what weights: an object handed to
 * the training loop (after improved-diffusion's {@code ScheduleSampler}), so a new way to pick t is one class, not a
 * switch in every trainer. The built-in samplers are the constants of {@link Estimator}. Every sampler must be
 * unbiased: E[sum over rows of weight * KL_{t(row)}] = mean over the minibatch of sum_{t=2..T} KL_t.
 */
public interface TimeSampler {
    /**
     * The rows of one evaluation of a minibatch of {@code batch} examples under a diffusion of T steps, drawing from
     * {@code rng} only (so a step's rows are a function of the step's generator).
     */
    Rows sample(int batch, int T, RandomGenerator rng);

    /** A stable name, recorded in a run's fingerprint and result rows. */
    String name();
}
