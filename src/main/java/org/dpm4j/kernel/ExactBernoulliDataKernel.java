package org.dpm4j.kernel;

import org.dpm4j.diffusion.BinomialDiffusion;
import org.dpm4j.util.Matrices;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.util.Check;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The exact reverse kernel p(x_{t-1} | x_t) = q(x_{t-1} | x_t) for data with independent bits, x_0j ~ B(rho_j),
 * under binomial diffusion: q(x_t) stays a product of Bernoullis with rate rho_j alphabar_t + r (1 - alphabar_t), so
 * the reverse kernel factorises over bits and Bayes' rule gives it per bit. The binomial counterpart of
 * {@link ExactGaussianDataKernel}: the model it defines has a closed-form log-likelihood.
 */
public final class ExactBernoulliDataKernel implements BinomialReverseKernel {
    private final BetaSchedule schedule;
    private final double baseRate;
    private final double[] rate;
    // per step t (index t): p(x_{t-1} = 1 | x_t = 1) and p(x_{t-1} = 1 | x_t = 0), per bit
    private final double[][] givenOne, givenZero;

    public ExactBernoulliDataKernel(BetaSchedule schedule, double baseRate, double[] rate) {
        if (schedule == null) throw Check.bad("schedule", null, "a BetaSchedule");
        Check.openUnit("baseRate", baseRate);
        Check.allFinite("rate", rate);
        for (int j = 0; j < rate.length; j++) Check.openUnit("rate[" + j + "]", rate[j]);
        this.schedule = schedule;
        this.baseRate = baseRate;
        this.rate = rate.clone();
        int T = schedule.T(), d = rate.length;
        givenOne = new double[T + 1][d];
        givenZero = new double[T + 1][d];
        for (int t = 1; t <= T; t++) {
            double b = schedule.beta(t), stay1 = 1 - b + baseRate * b, flip1 = baseRate * b;
            for (int j = 0; j < d; j++) {
                double prev = marginalProbabilityOfOne(t - 1, j);
                double one = stay1 * prev, zero = flip1 * (1 - prev);          // P(x_t = 1, x_{t-1})
                givenOne[t][j] = one / (one + zero);
                double oneC = (1 - stay1) * prev, zeroC = (1 - flip1) * (1 - prev);  // P(x_t = 0, x_{t-1})
                givenZero[t][j] = oneC / (oneC + zeroC);
            }
        }
    }

    @Override public java.util.OptionalInt steps() { return java.util.OptionalInt.of(schedule.T()); }

    /** q(x_t = 1) for bit j: rho_j alphabar_t + r (1 - alphabar_t), t in 0..T. */
    public double marginalProbabilityOfOne(int t, int j) {
        double ab = schedule.alphaBar(t);
        return rate[j] * ab + baseRate * (1 - ab);
    }

    @Override public INDArray probabilityOfOne(INDArray xt, int t) {
        Matrices.binary("xt", xt);
        Check.inRange("t", t, 1, schedule.T());
        if (xt.size(1) != rate.length) throw Check.bad("xt.size(1)", xt.size(1), "d = " + rate.length);
        INDArray one = Matrices.row(givenOne[t]), zero = Matrices.row(givenZero[t]);
        // x_t * givenOne + (1 - x_t) * givenZero
        return xt.mulRowVector(one.sub(zero)).addiRowVector(zero);
    }

    /** log B(x_0; rho) per example, nats summed over bits: the data's exact log-likelihood. */
    public double[] dataLogLikelihood(INDArray x0) { return logBernoulli(x0, rate); }

    /**
     * The exact log-likelihood per example (nats) of the model this kernel defines: x_T ~ B(r), this kernel for
     * t = T..2, then the paper's fixed first step. Each bit is a two-state chain, so p(x_0) is a product of
     * Bernoullis whose rates follow by propagation.
     */
    public double[] modelLogLikelihood(INDArray x0) { return logBernoulli(x0, modelProbabilityOfOne()); }

    /** p(x_0 = 1) per bit under the model (see {@link #modelLogLikelihood}). */
    public double[] modelProbabilityOfOne() {
        int d = rate.length;
        double[] p = new double[d];
        java.util.Arrays.fill(p, baseRate);
        for (int t = schedule.T(); t >= 2; t--) {
            for (int j = 0; j < d; j++) p[j] = p[j] * givenOne[t][j] + (1 - p[j]) * givenZero[t][j];
        }
        double b1 = schedule.beta(1);
        for (int j = 0; j < d; j++) p[j] = p[j] * (1 - b1) + baseRate * b1;
        return p;
    }

    private static double[] logBernoulli(INDArray x0, double[] p) {
        Matrices.binary("x0", x0);
        if (x0.size(1) != p.length) throw Check.bad("x0.size(1)", x0.size(1), "d = " + p.length);
                return Matrices.rowSums(BinomialDiffusion.logProbability(x0, Matrices.tile(p, x0.size(0))));
    }
}
