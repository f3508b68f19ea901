package org.dpm4j.train;

import org.dpm4j.util.Check;

/**
 * The rows of one objective evaluation, as a {@link TimeSampler} draws them: row i pairs example[i] of the minibatch
 * with time step t[i], and its KL term enters the loss with the given weight (so the loss is an unbiased estimate of
 * the minibatch mean of sum_{t=2..T} KL_t, in nats per example).
 */
public record Rows(int[] example, int[] t, double weight) {
    public Rows {
        if (example == null || t == null || example.length != t.length || t.length == 0) {
            throw Check.bad("rows", example == null || t == null ? null : example.length + " examples, " + t.length + " steps",
                    "as many example indices as time steps, at least one");
        }
        if (!(weight > 0) || !Double.isFinite(weight)) throw Check.bad("weight", weight, "a finite number > 0");
    }

    /** t-major: rows (t - 2) * batch .. (t - 1) * batch - 1 hold step t, so consecutive rows share a readout. */
    public static Rows allT(int batch, int T) {
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

    /** Rows of the given sampler (kept for callers of the former enum switch). */
    static Rows of(TimeSampler sampler, int batch, int T, java.util.random.RandomGenerator rng) {
        return sampler.sample(batch, T, rng);
    }

    public int size() { return t.length; }
}
