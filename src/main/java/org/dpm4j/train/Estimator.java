package org.dpm4j.train;

import java.util.random.RandomGenerator;

/**
 * The built-in {@link TimeSampler}s: how a minibatch estimates the gradient of K (Eq. 14) = -sum_{t=2..T} E KL_t +
 * constants. All are unbiased; they differ in variance and in how many rows one step pushes through the network.
 */
public enum Estimator implements TimeSampler {
    /** One t uniform on 2..T per example, its KL weighted by T - 1. B rows per step. */
    SAMPLED_T {
        @Override public Rows sample(int batch, int T, RandomGenerator rng) {
            int[] ex = new int[batch], t = new int[batch];
            for (int i = 0; i < batch; i++) {
                ex[i] = i;
                t[i] = 2 + rng.nextInt(T - 1);
            }
            return new Rows(ex, t, (T - 1) / (double) batch);
        }
    },
    /** Every term t = 2..T for every example, each with its own draw of x_t: B (T - 1) rows in one pass. */
    ALL_T {
        @Override public Rows sample(int batch, int T, RandomGenerator rng) { return Rows.allT(batch, T); }
    },
    /**
     * One t per example as in SAMPLED_T, but stratified: example i gets t = 2 + (offset + i) mod (T - 1) for a random
     * offset, so a minibatch of B >= T - 1 examples covers every term and each example is a fresh draw of x_0.
     */
    STRATIFIED_T {
        @Override public Rows sample(int batch, int T, RandomGenerator rng) {
            int[] ex = new int[batch], t = new int[batch];
            int offset = rng.nextInt(T - 1);
            for (int i = 0; i < batch; i++) {
                ex[i] = i;
                t[i] = 2 + (offset + i) % (T - 1);
            }
            return new Rows(ex, t, (T - 1) / (double) batch);
        }
    },
    /**
     * One t uniform on 2..T shared by the whole minibatch, weighted by T - 1: the authors' reference code (its
     * Theano graph takes one t per batch). B rows per step, all at one time step.
     */
    ONE_T_PER_BATCH {
        @Override public Rows sample(int batch, int T, RandomGenerator rng) {
            int[] ex = new int[batch], t = new int[batch];
            int s = 2 + rng.nextInt(T - 1);
            for (int i = 0; i < batch; i++) {
                ex[i] = i;
                t[i] = s;
            }
            return new Rows(ex, t, (T - 1) / (double) batch);
        }
    }
}
