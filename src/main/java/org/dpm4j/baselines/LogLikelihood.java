package org.dpm4j.baselines;

import org.dpm4j.util.Check;

/**
 * A latent-variable model's log-likelihood estimated from k importance weights per example, w_j = p(x, z_j) / q(z_j | x)
 * with z_j ~ q(z | x): log (1/k) sum_j w_j (Burda, Grosse and Salakhutdinov 2016, Eq. 8). For k = 1 its expectation
 * is the ELBO; it rises with k towards log p(x) and is a lower bound on it in expectation for every k. Values in nats
 * per example (all of the example's values); {@link #bits} converts.
 *
 * @param k                    importance samples per example
 * @param perExampleNats       the estimate of each example
 * @param meanNats             their mean
 * @param standardErrorNats    standard error of the mean over examples (the spread of the per-example estimates, so
 *                             it includes the importance sampling's own noise)
 * @param monteCarloErrorNats  the part due to the importance sampling alone (examples held fixed): the delta-method
 *                             sd(w) / (sqrt(k) mean(w)) per example, combined over examples; NaN for k = 1
 */
public record LogLikelihood(int k, double[] perExampleNats, double meanNats, double standardErrorNats, double monteCarloErrorNats) {
    private static final double LN2 = Math.log(2);

    /** From log weights laid out example-major: logWeights[i * k + j] is sample j of example i. */
    static LogLikelihood fromLogWeights(double[] logWeights, int k) {
        Check.positive("k", k);
        if (logWeights.length == 0 || logWeights.length % k != 0) throw Check.bad("logWeights.length", logWeights.length, "a positive multiple of k = " + k);
        int n = logWeights.length / k;
        double[] ll = new double[n];
        double mcVar = 0;
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) max = Math.max(max, logWeights[i * k + j]);
            double s = 0, s2 = 0;
            for (int j = 0; j < k; j++) {
                double w = Math.exp(logWeights[i * k + j] - max);   // log-sum-exp: the weights span many orders
                s += w;
                s2 += w * w;
            }
            double mean = s / k;
            ll[i] = max + Math.log(mean);
            double var = k > 1 ? Math.max(s2 / k - mean * mean, 0) * k / (k - 1) : Double.NaN;
            mcVar += var / k / (mean * mean);
        }
        double m = 0;
        for (double v : ll) m += v / n;
        double ss = 0;
        for (double v : ll) ss += (v - m) * (v - m);
        double se = n > 1 ? Math.sqrt(ss / (n - 1) / n) : Double.NaN;
        return new LogLikelihood(k, ll, m, se, Math.sqrt(mcVar) / n);
    }

    /**
     * The mean in bits per reporting unit, an example holding {@code unitsPerExample} of them (1 for bits per example,
     * the pixel count for bits per pixel: {@link org.dpm4j.train.Objective#valuesPerUnit}'s convention).
     */
    public double bits(int unitsPerExample) { return meanNats / LN2 / Check.positive("unitsPerExample", unitsPerExample); }

    /** The standard error in the same unit as {@link #bits}. */
    public double standardErrorBits(int unitsPerExample) { return standardErrorNats / LN2 / Check.positive("unitsPerExample", unitsPerExample); }
}
