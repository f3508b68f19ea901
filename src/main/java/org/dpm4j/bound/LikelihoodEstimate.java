package org.dpm4j.bound;

/**
 * The model's log-likelihood estimated by importance sampling over forward trajectories (Eq. 9), per example and
 * averaged. Values in nats per example (summed over the d dimensions); convert with the methods.
 *
 * @param process                  "gaussian" or "binomial"
 * @param schedule                 the schedule's name
 * @param T                        number of diffusion steps
 * @param dimensions               d
 * @param trajectories             M, forward trajectories per example
 * @param seed                     seed of the SplittableRandom that drew the trajectories
 * @param logLikelihoodNats        per example: log((1/M) sum_j w_j), log-sum-exp stabilised
 * @param standardErrorNats        per example: delta-method standard error sd(w) / (sqrt(M) mean(w))
 * @param effectiveSampleSize      per example: (sum w)^2 / sum w^2, between 1 and M
 * @param meanNats                 mean of the per-example estimates
 * @param monteCarloErrorNats      standard error of meanNats from the importance sampling alone (examples fixed)
 * @param dataStandardErrorNats    standard error of meanNats over examples (spread of the per-example values)
 */
public record LikelihoodEstimate(String process, String schedule, int T, int dimensions, int trajectories, long seed,
                                 double[] logLikelihoodNats, double[] standardErrorNats, double[] effectiveSampleSize,
                                 double meanNats, double monteCarloErrorNats, double dataStandardErrorNats) {

    /** Mean log-likelihood in bits per the given unit. */
    public double meanBits(Per per) { return per(per).of(Units.natsToBits(meanNats), dimensions); }

    public double monteCarloErrorBits(Per per) { return per(per).of(Units.natsToBits(monteCarloErrorNats), dimensions); }

    /** Smallest effective sample size over the examples: near 1 means the estimate rests on one trajectory. */
    public double minEffectiveSampleSize() {
        double m = Double.POSITIVE_INFINITY;
        for (double e : effectiveSampleSize) m = Math.min(m, e);
        return m;
    }

    /** From log importance weights laid out example-major: logWeights[i * M + j] is trajectory j of example i. */
    static LikelihoodEstimate fromLogWeights(String process, String schedule, int T, int d, int M, long seed,
                                             double[] logWeights) {
        int n = logWeights.length / M;
        double[] ll = new double[n], se = new double[n], ess = new double[n];
        double sum = 0, mcVar = 0;
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < M; j++) max = Math.max(max, logWeights[i * M + j]);
            double s = 0, s2 = 0;
            for (int j = 0; j < M; j++) {
                double w = Math.exp(logWeights[i * M + j] - max);
                s += w;
                s2 += w * w;
            }
            double mean = s / M;
            double var = M > 1 ? Math.max(s2 / M - mean * mean, 0) * M / (M - 1) : Double.NaN;
            ll[i] = max + Math.log(mean);
            se[i] = Math.sqrt(var / M) / mean;
            ess[i] = s * s / s2;
            sum += ll[i];
            mcVar += se[i] * se[i];
        }
        double meanLl = sum / n, ss = 0;
        for (double v : ll) ss += (v - meanLl) * (v - meanLl);
        double dataSe = n > 1 ? Math.sqrt(ss / (n - 1) / n) : Double.NaN;
        return new LikelihoodEstimate(process, schedule, T, d, M, seed, ll, se, ess, meanLl, Math.sqrt(mcVar) / n, dataSe);
    }

    private static Per per(Per per) {
        if (per == null) throw org.dpm4j.util.Check.bad("per", null, "a unit: Per.dimension(), Per.pixel(channels) or Per.sequence(d)");
        return per;
    }
}
