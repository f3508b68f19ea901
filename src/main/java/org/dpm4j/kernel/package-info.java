/**
 * Reverse kernels p(x_{t-1} | x_t): the interfaces {@link org.dpm4j.kernel.GaussianReverseKernel} (mean and diagonal
 * variance) and {@link org.dpm4j.kernel.BinomialReverseKernel} (probabilities of one); the published ways to turn a
 * network's readouts into them ({@link org.dpm4j.kernel.GaussianParameterisation}: the paper's Eqs. 64-65 and the
 * reference code's form; {@link org.dpm4j.kernel.BinomialParameterisation}); and the exact kernels for Gaussian and
 * independent-Bernoulli data ({@link org.dpm4j.kernel.ExactGaussianDataKernel},
 * {@link org.dpm4j.kernel.ExactBernoulliDataKernel}), the oracles against which K and Eq. 9 are tested.
 */
package org.dpm4j.kernel;
