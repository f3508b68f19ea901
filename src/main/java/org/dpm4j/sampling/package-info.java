/**
 * Ancestral sampling of the reverse trajectory ({@link org.dpm4j.sampling.AncestralSampler}, seeded, optionally
 * capturing x_T..x_0) and conditioning by a function r(x) (Sec. 2.5): {@link org.dpm4j.sampling.Inpainting} (exact,
 * known pixels fixed at every step), {@link org.dpm4j.sampling.Denoising} (Gaussian r, closed-form product) and
 * {@link org.dpm4j.sampling.GradientConditioning} (general r, first-order form).
 */
package org.dpm4j.sampling;
