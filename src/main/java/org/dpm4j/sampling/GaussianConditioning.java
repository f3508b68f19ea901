package org.dpm4j.sampling;

import org.dpm4j.diffusion.GaussianStep;

/**
 * Sec. 2.5: multiplying the model by a function r(x) turns each reverse step p(x_{t-1} | x_t) into
 * p~(x_{t-1} | x_t) proportional to p(x_{t-1} | x_t) r(x_{t-1}). An implementation maps the unconditioned step to
 * the conditioned one.
 */
@FunctionalInterface
public interface GaussianConditioning {
    /**
     * @param p the unconditioned distribution of x_{t-1} ([n, d] mean and variance)
     * @param t the step being taken, 1..T; t = T + 1 for the terminal distribution of x_T
     * @return the conditioned distribution of x_{t-1}
     */
    GaussianStep condition(GaussianStep p, int t);

    /** No conditioning. */
    static GaussianConditioning none() { return (p, t) -> p; }
}
