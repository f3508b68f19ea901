package org.dpm4j.kernel;

import org.dpm4j.diffusion.GaussianStep;
import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.util.Matrices;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.util.Check;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The exact reverse kernel p(x_{t-1} | x_t) = q(x_{t-1} | x_t) for data x_0 ~ N(m, diag s^2) under Gaussian
 * diffusion: every marginal q(x_t) = N(sqrt(alphabar_t) m, alphabar_t s^2 + 1 - alphabar_t) is Gaussian, so the
 * reverse kernel is the Gaussian conditional of the pair (x_{t-1}, x_t). It is the oracle for K and Eq. 9: the model
 * it defines (with p(x_T) = N(0, I) and the paper's fixed first step) is a linear-Gaussian chain whose log-likelihood
 * {@link #modelLogLikelihood} is known in closed form.
 */
public final class ExactGaussianDataKernel implements GaussianReverseKernel {
    private final BetaSchedule schedule;
    private final double[] mean, variance;
    // per step t (index t): x_{t-1} | x_t ~ N(gain_t x_t + offset_t, condVar_t), per dimension
    private final double[][] gain, offset, condVar;

    /**
     * @param schedule the forward schedule
     * @param mean     m, the data mean per dimension
     * @param variance s^2, the data variance per dimension, each > 0
     */
    public ExactGaussianDataKernel(BetaSchedule schedule, double[] mean, double[] variance) {
        if (schedule == null) throw Check.bad("schedule", null, "a BetaSchedule");
        Check.allFinite("mean", mean);
        Check.allFinite("variance", variance);
        if (variance.length != mean.length) throw Check.bad("variance.length", variance.length, "mean.length = " + mean.length);
        for (int j = 0; j < variance.length; j++) Check.positive("variance[" + j + "]", variance[j]);
        this.schedule = schedule;
        this.mean = mean.clone();
        this.variance = variance.clone();
        int T = schedule.T(), d = mean.length;
        gain = new double[T + 1][d];
        offset = new double[T + 1][d];
        condVar = new double[T + 1][d];
        for (int t = 1; t <= T; t++) {
            double a = schedule.alpha(t), b = schedule.beta(t);
            for (int j = 0; j < d; j++) {
                double mPrev = marginalMean(t - 1, j), vPrev = marginalVariance(t - 1, j);
                double precision = 1 / vPrev + a / b;
                condVar[t][j] = 1 / precision;
                gain[t][j] = Math.sqrt(a) / b / precision;
                offset[t][j] = mPrev / vPrev / precision;
            }
        }
    }

    @Override public java.util.OptionalInt steps() { return java.util.OptionalInt.of(schedule.T()); }

    public int dimensions() { return mean.length; }

    /** Mean of q(x_t) in dimension j: sqrt(alphabar_t) m_j, t in 0..T. */
    public double marginalMean(int t, int j) { return Math.sqrt(schedule.alphaBar(t)) * mean[j]; }

    /** Variance of q(x_t) in dimension j: alphabar_t s_j^2 + 1 - alphabar_t, t in 0..T. */
    public double marginalVariance(int t, int j) {
        double ab = schedule.alphaBar(t);
        return ab * variance[j] + 1 - ab;
    }

    /** q(x_{t-1} | x_t) for t in 1..T (at t = 1 the exact data posterior, which the paper's model replaces). */
    @Override public GaussianStep step(INDArray xt, int t) {
        Matrices.matrix("xt", xt);
        Check.inRange("t", t, 1, schedule.T());
        if (xt.size(1) != mean.length) throw Check.bad("xt.size(1)", xt.size(1), "d = " + mean.length);
        INDArray g = Matrices.row(gain[t]), o = Matrices.row(offset[t]);
        INDArray m = xt.mulRowVector(g).addiRowVector(o);
        INDArray v = Matrices.tile(condVar[t], xt.size(0));
        return new GaussianStep(m, v);
    }

    /** log N(x_0; m, diag s^2) per example, nats summed over dimensions: the data's exact log-likelihood. */
    public double[] dataLogLikelihood(INDArray x0) {
        return logNormal(x0, mean, variance);
    }

    /**
     * The exact log-likelihood per example (nats) of the model this kernel defines: x_T ~ N(0, I), this kernel for
     * t = T..2, then the paper's fixed first step N(x_1 sqrt(1 - beta_1), beta_1). Every step is linear-Gaussian, so
     * the model's p(x_0) is Gaussian and its moments follow by propagation. This is what K and Eq. 9 estimate.
     */
    public double[] modelLogLikelihood(INDArray x0) {
        double[][] mv = modelMarginal();
        return logNormal(x0, mv[0], mv[1]);
    }

    /** {mean, variance} per dimension of the model's p(x_0) (see {@link #modelLogLikelihood}). */
    public double[][] modelMarginal() {
        int d = mean.length, T = schedule.T();
        double[] m = new double[d], v = new double[d];
        java.util.Arrays.fill(v, 1);
        for (int t = T; t >= 2; t--) {
            for (int j = 0; j < d; j++) {
                m[j] = gain[t][j] * m[j] + offset[t][j];
                v[j] = gain[t][j] * gain[t][j] * v[j] + condVar[t][j];
            }
        }
        double a1 = schedule.alpha(1), b1 = schedule.beta(1);
        for (int j = 0; j < d; j++) {
            m[j] = Math.sqrt(a1) * m[j];
            v[j] = a1 * v[j] + b1;
        }
        return new double[][] {m, v};
    }

    private static double[] logNormal(INDArray x0, double[] m, double[] v) {
        Matrices.matrix("x0", x0);
        if (x0.size(1) != m.length) throw Check.bad("x0.size(1)", x0.size(1), "d = " + m.length);
        GaussianStep g = new GaussianStep(Matrices.tile(m, x0.size(0)), Matrices.tile(v, x0.size(0)));
        return Matrices.rowSums(GaussianDiffusion.logDensity(x0, g));
    }
}
