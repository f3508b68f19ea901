package org.dpm4j.train;

/**
 * How a minibatch estimates the gradient of K (Eq. 14) = -sum_{t=2..T} E KL_t + constants.
 * Both are unbiased; they differ in variance and in how many rows one step pushes through the network.
 */
public enum Estimator {
    /** One t uniform on 2..T per example, its KL weighted by T - 1 (the reference code). B rows per step. */
    SAMPLED_T,
    /** Every term t = 2..T for every example, each with its own draw of x_t: B (T - 1) rows in one pass. */
    ALL_T,
    /**
     * One t per example as in SAMPLED_T, but stratified: example i gets t = 2 + (offset + i) mod (T - 1) for a random
     * offset, so a minibatch of B >= T - 1 examples covers every term and each example is a fresh draw of x_0.
     */
    STRATIFIED_T
}
