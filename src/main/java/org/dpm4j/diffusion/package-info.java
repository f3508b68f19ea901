/**
 * The forward processes and their closed forms (Sec. 2.1-2.2): {@link org.dpm4j.diffusion.GaussianDiffusion} and
 * {@link org.dpm4j.diffusion.BinomialDiffusion} each give q(x_t | x_{t-1}), q(x_t | x_0), the posterior
 * q(x_{t-1} | x_t, x_0), the KL and entropies of Eq. 14, the per-step KL term, and the paper's fixed first reverse
 * step. {@link org.dpm4j.util.Matrices} checks [n, d] DOUBLE arrays and draws seeded noise into them.
 * Densities, KLs and entropies are in nats.
 */
package org.dpm4j.diffusion;
