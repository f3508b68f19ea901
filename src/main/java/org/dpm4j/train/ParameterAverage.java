package org.dpm4j.train;

import org.dpm4j.util.Check;

/**
 * An exponential moving average of the parameters over a run (Polyak averaging with exponential weights, as DDPM's
 * decay 0.9999): the model evaluated and sampled with the averaged parameters, whose iterate noise (Adam's steps at the
 * last learning rates) is averaged away, rather than with the last iterate.
 * <p>
 * With p_k the parameters after step k (k = 1..n; a step skipped as non-finite contributes the unchanged parameters),
 * the loop keeps the sum m_n = d m_{n-1} + (1 - d) p_n from m_0 = 0, in double precision, and the average is that sum
 * with the bias of its zero start removed (as Adam's moments):
 * <pre>
 *   a_n = m_n / (1 - d^n) = sum_{k=1..n} (1 - d) d^(n-k) p_k / (1 - d^n),
 * </pre>
 * a weighted mean of the iterates (weights sum to one) from the first step on, so the initial parameters never enter
 * it and a short run is not pulled back towards them; the weights' half-life is ln 2 / -ln d steps (693 at d = 0.999).
 * Decay 0 gives a_n = p_n, the last parameters. A checkpoint holds m_n, so a resumed run's average is bit-identical to
 * the uninterrupted run's.
 *
 * @param decay d in [0, 1)
 */
public record ParameterAverage(double decay) {
    public ParameterAverage {
        if (!(decay >= 0 && decay < 1)) throw Check.bad("decay", decay, "a number in [0, 1) (DDPM: 0.9999)");
    }

    /** The running sum after one more step: m = d m + (1 - d) p, in place. */
    void accumulate(double[] m, float[] p) {
        if (m.length != p.length) throw Check.bad("parameters.length", p.length, m.length + " (the average's length)");
        double w = 1 - decay;
        for (int i = 0; i < m.length; i++) m[i] = decay * m[i] + w * p[i];
    }

    /**
     * The average a_n = m_n / (1 - d^n) after n steps, as float parameters; after no step, the parameters
     * {@code current} themselves.
     */
    float[] average(double[] m, int n, float[] current) {
        if (n == 0) return current.clone();
        double norm = 1 - Math.pow(decay, n);
        float[] a = new float[m.length];
        for (int i = 0; i < m.length; i++) a[i] = (float) (m[i] / norm);
        return a;
    }

    @Override public String toString() { return "exponential, decay " + decay; }
}
