package org.dpm4j.experiments;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.util.Check;

/**
 * The true reverse posterior q(x_{t-1} | x_t) of Gaussian diffusion (Eq. 2's Gaussian kernel) at one step t >= 2, for
 * data that is a {@link DiagonalMixture}, with x_0 marginalised. Component k pushed through the forward steps is
 * q(x_s | k) = N(sqrt(alphabar_s) m_k, S_s,k) with S_s,k = alphabar_s v_k + 1 - alphabar_s (per dimension), so
 * q(x_{t-1} | x_t) = sum_k r_k(x_t) N(mu_k(x_t), c_k) with
 * r_k ~ w_k N(x_t; sqrt(alphabar_t) m_k, S_t,k), 1/c_k = 1/S_{t-1,k} + alpha_t/beta_t and
 * mu_k = c_k (sqrt(alphabar_{t-1}) m_k / S_{t-1,k} + sqrt(alpha_t) x_t / beta_t): the same closed forms as the
 * posterior q(x_{t-1} | x_t, x_0) of Eq. 14, with x_0 replaced by a Gaussian component.
 *
 * <p>Components farther than {@value #CUTOFF} standard deviations (of the widest component at t) from x_t in the first
 * two coordinates are dropped, found through a grid over the means: their responsibilities are below e^-50 of a
 * component at x_t. That makes a curve resolved into 10^5 quadrature nodes cost a few hundred per query.
 */
public final class MixtureReverse {
    static final double CUTOFF = 10;
    private static final double LOG_2PI = Math.log(2 * Math.PI);
    private static final int INDEX_ABOVE = 256;   // mixtures this small are scanned whole

    private final DiagonalMixture mixture;
    private final int d;
    private final double rootAbT, rootAbPrev, alpha, beta;
    private final double[][] precisionT, varPrev;   // 1/S_t,k and S_{t-1},k per component and dimension
    private final double[] logNormaliser;           // log w_k - sum_j log(2 pi S_t,kj) / 2
    private final double cell;                // grid cell in data units (radius of the cutoff)
    private final Map<Long, int[]> grid;      // null: scan every component

    public MixtureReverse(DiagonalMixture mixture, BetaSchedule schedule, int t) {
        if (mixture == null) throw Check.bad("mixture", null, "a DiagonalMixture");
        if (schedule == null) throw Check.bad("schedule", null, "a BetaSchedule");
        Check.inRange("t", t, 2, schedule.T());
        this.mixture = mixture;
        this.d = mixture.dimensions();
        double abT = schedule.alphaBar(t), abPrev = schedule.alphaBar(t - 1);
        rootAbT = Math.sqrt(abT);
        rootAbPrev = Math.sqrt(abPrev);
        alpha = schedule.alpha(t);
        beta = schedule.beta(t);
        int K = mixture.size();
        precisionT = new double[K][d];
        varPrev = new double[K][d];
        logNormaliser = new double[K];
        for (int k = 0; k < K; k++) {
            logNormaliser[k] = Math.log(mixture.weights()[k]);
            for (int j = 0; j < d; j++) {
                double v = mixture.variances()[k][j], varT = abT * v + 1 - abT;
                precisionT[k][j] = 1 / varT;
                varPrev[k][j] = abPrev * v + 1 - abPrev;
                logNormaliser[k] -= 0.5 * (LOG_2PI + Math.log(varT));
            }
        }
        cell = CUTOFF * Math.sqrt(abT * mixture.maxVariance() + 1 - abT) / rootAbT;
        grid = K > INDEX_ABOVE ? buildGrid() : null;
    }

    /** Spread of the components at step t-1 in data units, sqrt((1 - alphabar_{t-1}) / alphabar_{t-1}): the resolution a curve needs. */
    public static double spread(BetaSchedule schedule, int t) {
        double abPrev = schedule.alphaBar(t - 1);
        return Math.sqrt((1 - abPrev) / abPrev);
    }

    /** q(x_{t-1} | x_t) at the given x_t (length d), as the mixture of its non-negligible components. */
    public Posterior at(double[] xt) {
        if (xt == null || xt.length != d) throw Check.bad("xt.length", xt == null ? null : xt.length, "d = " + d);
        int[] candidates = candidates(xt);
        int n = candidates.length;
        double[] logR = new double[n];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            int k = candidates[i];
            double s = 0;
            for (int j = 0; j < d; j++) {
                double z = xt[j] - rootAbT * mixture.means()[k][j];
                s += z * z * precisionT[k][j];
            }
            logR[i] = logNormaliser[k] - 0.5 * s;
            max = Math.max(max, logR[i]);
        }
        // responsibilities below e^-50 of the largest are dropped: they change nothing at double precision that matters
        int kept = 0;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            if (logR[i] < max - 50) continue;
            candidates[kept] = candidates[i];
            sum += (logR[kept] = Math.exp(logR[i] - max));
            kept++;
        }
        double[] r = new double[kept];
        double[][] mu = new double[kept][d], c = new double[kept][d];
        double lambda = alpha / beta, rootAlpha = Math.sqrt(alpha);
        for (int i = 0; i < kept; i++) {
            int k = candidates[i];
            r[i] = logR[i] / sum;
            for (int j = 0; j < d; j++) {
                double precision = 1 / varPrev[k][j] + lambda;
                c[i][j] = 1 / precision;
                mu[i][j] = (rootAbPrev * mixture.means()[k][j] / varPrev[k][j] + rootAlpha * xt[j] / beta) / precision;
            }
        }
        return new Posterior(r, mu, c);
    }

    private int[] candidates(double[] xt) {
        if (grid == null) return all();
        long cx = (long) Math.floor(xt[0] / rootAbT / cell), cy = d > 1 ? (long) Math.floor(xt[1] / rootAbT / cell) : 0;
        List<int[]> found = new ArrayList<>(9);
        int count = 0;
        for (long i = cx - 1; i <= cx + 1; i++) {
            for (long j = d > 1 ? cy - 1 : 0; j <= (d > 1 ? cy + 1 : 0); j++) {
                int[] in = grid.get(key(i, j));
                if (in != null) {
                    found.add(in);
                    count += in.length;
                }
            }
        }
        if (count == 0) return all();   // x_t far from every component: keep them all
        int[] out = new int[count];
        int at = 0;
        for (int[] in : found) {
            System.arraycopy(in, 0, out, at, in.length);
            at += in.length;
        }
        return out;
    }

    private int[] all() {
        int[] out = new int[mixture.size()];
        for (int k = 0; k < out.length; k++) out[k] = k;
        return out;
    }

    private Map<Long, int[]> buildGrid() {
        Map<Long, List<Integer>> lists = new HashMap<>();
        for (int k = 0; k < mixture.size(); k++) {
            double[] m = mixture.means()[k];
            long key = key((long) Math.floor(m[0] / cell), d > 1 ? (long) Math.floor(m[1] / cell) : 0);
            lists.computeIfAbsent(key, x -> new ArrayList<>()).add(k);
        }
        Map<Long, int[]> out = new HashMap<>();
        lists.forEach((key, list) -> out.put(key, list.stream().mapToInt(Integer::intValue).toArray()));
        return out;
    }

    private static long key(long i, long j) { return i * 0x1_0000_0001L + j; }

    /**
     * q(x_{t-1} | x_t) = sum_i r_i N(mu_i, diag c_i) over the kept components.
     *
     * @param responsibility r_i, summing to 1
     * @param mean           mu_i, [n][d]
     * @param variance       c_i per dimension, [n][d]
     */
    public record Posterior(double[] responsibility, double[][] mean, double[][] variance) {
        public int dimensions() { return mean[0].length; }

        /** The mean of the mixture. */
        public double[] firstMoment() {
            int d = dimensions();
            double[] m = new double[d];
            for (int i = 0; i < responsibility.length; i++) for (int j = 0; j < d; j++) m[j] += responsibility[i] * mean[i][j];
            return m;
        }

        /** The covariance of the mixture, [d][d]: sum_i r_i (diag c_i + (mu_i - m)(mu_i - m)^T), centred for accuracy. */
        public double[][] covariance() {
            int d = dimensions();
            double[] m = firstMoment();
            double[][] s = new double[d][d];
            double[] z = new double[d];
            for (int i = 0; i < responsibility.length; i++) {
                double r = responsibility[i];
                for (int j = 0; j < d; j++) z[j] = mean[i][j] - m[j];
                for (int a = 0; a < d; a++) {
                    s[a][a] += r * variance[i][a];
                    for (int b = 0; b < d; b++) s[a][b] += r * z[a] * z[b];
                }
            }
            return s;
        }

        /** log q(y | x_t) in nats. */
        public double logDensity(double[] y) {
            int d = dimensions();
            double[] terms = new double[responsibility.length];
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < terms.length; i++) {
                double s = 0, logDet = 0;
                for (int j = 0; j < d; j++) {
                    double z = y[j] - mean[i][j];
                    s += z * z / variance[i][j];
                    logDet += Math.log(variance[i][j]);
                }
                terms[i] = Math.log(responsibility[i]) - 0.5 * (d * LOG_2PI + logDet + s);
                max = Math.max(max, terms[i]);
            }
            double sum = 0;
            for (double s : terms) sum += Math.exp(s - max);
            return max + Math.log(sum);
        }

        /** One draw y ~ q(x_{t-1} | x_t). */
        public double[] sample(RandomGenerator rng) {
            double u = rng.nextDouble(), acc = 0;
            int i = 0;
            while (i < responsibility.length - 1 && (acc += responsibility[i]) < u) i++;
            double[] y = new double[dimensions()];
            for (int j = 0; j < y.length; j++) y[j] = mean[i][j] + Math.sqrt(variance[i][j]) * rng.nextGaussian();
            return y;
        }
    }
}
