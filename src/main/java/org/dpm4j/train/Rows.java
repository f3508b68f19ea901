package org.dpm4j.train;

import java.util.random.RandomGenerator;

/**
 * The rows of one objective evaluation: row i pairs example[i] of the minibatch with time step t[i], and its KL term
 * enters the loss with the given weight (so the loss is the minibatch mean of sum_{t=2..T} KL_t, in nats).
 */
record Rows(int[] example, int[] t, double weight) {
    static Rows of(Estimator estimator, int batch, int T, RandomGenerator rng) {
        if (estimator == Estimator.SAMPLED_T) {
            int[] ex = new int[batch], t = new int[batch];
            for (int i = 0; i < batch; i++) {
                ex[i] = i;
                t[i] = 2 + rng.nextInt(T - 1);
            }
            return new Rows(ex, t, (T - 1) / (double) batch);
        }
        if (estimator == Estimator.STRATIFIED_T) {
            int[] ex = new int[batch], t = new int[batch];
            int offset = rng.nextInt(T - 1);
            for (int i = 0; i < batch; i++) {
                ex[i] = i;
                t[i] = 2 + (offset + i) % (T - 1);
            }
            return new Rows(ex, t, (T - 1) / (double) batch);
        }
        return allT(batch, T);
    }

    /** t-major: rows (t - 2) * batch .. (t - 1) * batch - 1 hold step t, so consecutive rows share a readout. */
    static Rows allT(int batch, int T) {
        int n = batch * (T - 1);
        int[] ex = new int[n], t = new int[n];
        for (int s = 2, i = 0; s <= T; s++) {
            for (int b = 0; b < batch; b++, i++) {
                ex[i] = b;
                t[i] = s;
            }
        }
        return new Rows(ex, t, 1.0 / batch);
    }

    int size() { return t.length; }
}
