/**
 * Where K is computed. {@link org.dpm4j.bound.BoundK}: the lower bound K of Eq. 14 with its per-step terms, L_null
 * and the exact-ELBO edge terms, as a {@link org.dpm4j.bound.BoundResult}.
 * {@link org.dpm4j.bound.ImportanceSampledLikelihood}: the model's log-likelihood by Eq. 9, with standard error and
 * effective sample size ({@link org.dpm4j.bound.LikelihoodEstimate}). {@link org.dpm4j.bound.Units} and
 * {@link org.dpm4j.bound.Per}: nats/bits and per dimension / per pixel / per sequence.
 */
package org.dpm4j.bound;
