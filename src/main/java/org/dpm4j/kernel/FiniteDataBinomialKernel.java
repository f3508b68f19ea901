package org.dpm4j.kernel;

import org.dpm4j.diffusion.BinomialDiffusion;
import org.dpm4j.util.Matrices;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.util.Check;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The best factorised reverse kernel of binomial diffusion for data drawn from a finite set of binary vectors (the
 * support) with known probabilities: the oracle of the paper's kernel family B(f_b(x_t, t)).
 *
 * <p>The true reverse q(x_{t-1} | x_t) = sum_k q(x_0 = s_k | x_t) q(x_{t-1} | x_t, x_0 = s_k) is a mixture of
 * factorised posteriors, so it is not itself factorised. Among factorised kernels p, the one that minimises
 * E_{q(x_t)} KL(q(x_{t-1} | x_t) || p(x_{t-1} | x_t)) (and so maximises K, Eq. 14) matches the mixture's per-bit
 * marginals: p_j(x_t) = sum_k w_k(x_t) q(x_{t-1,j} = 1 | x_{t,j}, s_kj), with w_k(x_t) = q(x_0 = s_k | x_t) by Bayes'
 * rule. No network can give a larger expected K than this kernel; the true log-likelihood is an upper bound on both.
 */
public final class FiniteDataBinomialKernel implements BinomialReverseKernel {
    private final BetaSchedule schedule;
    private final BinomialDiffusion diffusion;
    private final double baseRate;
    private final double[][] support;
    private final double[] logPrior;

    /**
     * @param schedule      the forward schedule
     * @param baseRate      the terminal rate r of B(r)
     * @param support       the data's possible vectors, [m][d] with entries in {0, 1}
     * @param probabilities their probabilities, m positive numbers summing to 1
     */
    public FiniteDataBinomialKernel(BetaSchedule schedule, double baseRate, double[][] support, double[] probabilities) {
        if (schedule == null) throw Check.bad("schedule", null, "a BetaSchedule");
        Check.openUnit("baseRate", baseRate);
        if (support == null || support.length == 0) throw Check.bad("support", support, "at least one binary vector");
        if (probabilities == null || probabilities.length != support.length) {
            throw Check.bad("probabilities.length", probabilities == null ? null : probabilities.length,
                    "one probability per support vector (" + support.length + ")");
        }
        int d = support[0].length;
        double total = 0;
        this.support = new double[support.length][];
        this.logPrior = new double[support.length];
        for (int k = 0; k < support.length; k++) {
            if (support[k].length != d) throw Check.bad("support[" + k + "].length", support[k].length, "d = " + d);
            for (int j = 0; j < d; j++) {
                if (support[k][j] != 0 && support[k][j] != 1) throw Check.bad("support[" + k + "][" + j + "]", support[k][j], "0 or 1");
            }
            if (!(probabilities[k] > 0)) throw Check.bad("probabilities[" + k + "]", probabilities[k], "a positive number");
            this.support[k] = support[k].clone();
            logPrior[k] = Math.log(probabilities[k]);
            total += probabilities[k];
        }
        if (Math.abs(total - 1) > 1e-9) throw Check.bad("sum of probabilities", total, "1");
        this.schedule = schedule;
        this.baseRate = baseRate;
        this.diffusion = new BinomialDiffusion(schedule, baseRate);
    }

    @Override public java.util.OptionalInt steps() { return java.util.OptionalInt.of(schedule.T()); }

    /** The kernel for data uniform over the given vectors. */
    public static FiniteDataBinomialKernel uniform(BetaSchedule schedule, double baseRate, double[][] support) {
        double[] p = new double[support == null ? 0 : support.length];
        java.util.Arrays.fill(p, 1.0 / Math.max(1, p.length));
        return new FiniteDataBinomialKernel(schedule, baseRate, support, p);
    }

    public int dimensions() { return support[0].length; }

    @Override public INDArray probabilityOfOne(INDArray xt, int t) {
        Matrices.binary("xt", xt);
        Check.inRange("t", t, 1, schedule.T());
        int d = dimensions(), m = support.length;
        if (xt.size(1) != d) throw Check.bad("xt.size(1)", xt.size(1), "d = " + d);
        double r = baseRate, abT = schedule.alphaBar(t);
        double[] onesT = {r * (1 - abT), abT + r * (1 - abT)};   // q(x_t = 1 | x_0 = v), v in {0, 1}
        double[] table = diffusion.posteriorTable(t);             // q(x_{t-1} = 1 | x_t = x, x_0 = v) at [2 v + x]
        double[][] logLike = new double[2][2];   // log q(x_t = x | x_0 = v)
        for (int v = 0; v < 2; v++) for (int x = 0; x < 2; x++) logLike[v][x] = Math.log(like(onesT[v], x));

        int n = (int) xt.rows();
        double[] x = xt.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').data().asDouble();
        double[] out = new double[n * d];
        double[] logW = new double[m];
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < m; k++) {
                double s = logPrior[k];
                for (int j = 0; j < d; j++) s += logLike[(int) support[k][j]][(int) x[i * d + j]];
                logW[k] = s;
                max = Math.max(max, s);
            }
            double norm = 0;
            for (int k = 0; k < m; k++) norm += logW[k] = Math.exp(logW[k] - max);
            for (int k = 0; k < m; k++) {
                double w = logW[k] / norm;
                for (int j = 0; j < d; j++) out[i * d + j] += w * table[2 * (int) support[k][j] + (int) x[i * d + j]];
            }
        }
        // strictly inside (0, 1), as the interface promises (posteriors at t = 1 can be exactly 0 or 1)
        for (int i = 0; i < out.length; i++) out[i] = Math.min(1 - 1e-12, Math.max(1e-12, out[i]));
        return Nd4j.createFromArray(out).reshape(n, d);
    }

    private static double like(double probabilityOfOne, int x) { return x == 1 ? probabilityOfOne : 1 - probabilityOfOne; }
}
