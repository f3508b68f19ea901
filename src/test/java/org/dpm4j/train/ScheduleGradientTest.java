package org.dpm4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.dpm4j.kernel.GaussianParameterisation;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.schedule.LearnableSchedule;
import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.kernel.ExactGaussianDataKernel;
import org.dpm4j.diffusion.GaussianStep;
import org.dpm4j.nn.NetworkGaussianKernel;
import org.dpm4j.schedule.Schedules;
import org.dpm4j.util.Logistic;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** dK/dbeta under frozen noise (Sec. 2.4.1): the analytic gradient against its oracles. */
class ScheduleGradientTest {

    /** K in nats per example with the rows and noise a fixed seed draws: a deterministic function of the schedule. */
    static ToDoubleFunction<BetaSchedule> frozenK(GaussianObjective objective, double[] x0, Estimator estimator, long seed) {
        return s -> objective.withSchedule(s).evaluate(x0, estimator, new SplittableRandom(seed), false).kNats();
    }

    @ParameterizedTest
    @EnumSource(GaussianParameterisation.class)
    @DisplayName("dK/dbeta_t with frozen noise equals central differences of the frozen-noise K, t = 1..T, all-T and sampled-t (random MLP, d = 2)")
    void analyticMatchesCentralDifferences(GaussianParameterisation par) {
        GaussianObjective objective = new GaussianObjective(ObjectiveTest.gaussianKernel(par));
        double[] x0 = ObjectiveTest.gaussianData().data().asDouble();
        double[] g = new double[ObjectiveTest.T];
        objective.evaluateWithScheduleGradient(x0, Estimator.ALL_T, new SplittableRandom(9), g);
        BetaSchedule s = objective.schedule();
        double[] fd = LearnableSchedule.numericalBetaGradient(s, frozenK(objective, x0, Estimator.ALL_T, 9), 1e-3);
        // FLOAT network outputs: h = 1e-3 keeps rounding of x_t below the differences' truncation error (both ~1e-4 here)
        for (int t = 2; t <= s.T(); t++) assertEquals(fd[t - 1], g[t - 1], 1e-3 + 1e-3 * Math.abs(fd[t - 1]), "t=" + t);
        // one t per example (weights (T - 1)/B): the same agreement
        objective.evaluateWithScheduleGradient(x0, Estimator.SAMPLED_T, new SplittableRandom(10), g);
        double[] fdSampled = LearnableSchedule.numericalBetaGradient(s, frozenK(objective, x0, Estimator.SAMPLED_T, 10), 1e-3);
        for (int t = 2; t <= s.T(); t++) assertEquals(fdSampled[t - 1], g[t - 1], 1e-3 + 1e-3 * Math.abs(fdSampled[t - 1]), "sampled t, t=" + t);
        objective.evaluateWithScheduleGradient(x0, Estimator.ALL_T, new SplittableRandom(9), g);
        double[] up = s.betas(), down = s.betas(), h = {0.1 * s.beta(1)};
        up[0] += h[0];
        down[0] -= h[0];
        var k = frozenK(objective, x0, Estimator.ALL_T, 9);
        double fd1 = (k.applyAsDouble(org.dpm4j.schedule.Schedules.explicit(up)) - k.applyAsDouble(org.dpm4j.schedule.Schedules.explicit(down))) / (2 * h[0]);
        assertEquals(fd1, g[0], 1e-3 + 1e-2 * Math.abs(fd1), "t=1 (fixed in training, but part of the gradient)");
    }

    @ParameterizedTest
    @EnumSource(Estimator.class)
    @DisplayName("the schedule-gradient evaluation draws the same rows and noise and gives the same K and parameter gradient as the plain one")
    void sameValueAndParameterGradient(Estimator estimator) {
        GaussianObjective objective = new GaussianObjective(ObjectiveTest.gaussianKernel(GaussianParameterisation.PAPER));
        double[] x0 = ObjectiveTest.gaussianData().data().asDouble();
        var params = objective.network().params();
        params.zeroGrad();
        Objective.Value plain = objective.evaluate(x0, estimator, new SplittableRandom(4), true);
        float[] g = params.grads().clone();
        params.zeroGrad();
        Objective.Value withSchedule = objective.evaluateWithScheduleGradient(x0, estimator, new SplittableRandom(4), new double[ObjectiveTest.T]);
        assertEquals(plain, withSchedule);
        org.junit.jupiter.api.Assertions.assertArrayEquals(g, params.grads());
    }

    /**
     * E[K] in nats per example for data N(m, diag s2) when every reverse step t >= 2 is the exact q(x_{t-1} | x_t):
     * E KL_t = (1/2) log(condVar_t / postVar_t) per dimension, because the posterior means' spread around the exact
     * kernel's mean is condVar_t - postVar_t (total variance). Eq. 14's entropy terms complete it.
     */
    static double exactKernelK(BetaSchedule s, double[] m, double[] s2) {
        ExactGaussianDataKernel exact = new ExactGaussianDataKernel(s, m, s2);
        GaussianDiffusion diffusion = new GaussianDiffusion(s);
        double k = m.length * diffusion.entropyTermsPerDimension();
        for (int t = 2; t <= s.T(); t++) {
            double[] condVar = exact.step(Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 1, m.length), t).variance().toDoubleVector();
            for (double v : condVar) k -= 0.5 * Math.log(v / diffusion.posteriorCoefficients(t).variance());
        }
        return k;
    }

    /** An affine network set to the exact reverse kernel of N(m, diag s2) under s, in the REFERENCE parameterisation. */
    static NetworkGaussianKernel exactAffineKernel(BetaSchedule s, double[] m, double[] s2) {
        int d = m.length;
        AffinePerStep net = new AffinePerStep(d, s.T());
        ExactGaussianDataKernel exact = new ExactGaussianDataKernel(s, m, s2);
        for (int t = 1; t <= s.T(); t++) {
            GaussianStep at0 = exact.step(Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 1, d), t), at1 = exact.step(Nd4j.ones(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 1, d), t);
            double b = s.beta(t);
            for (int j = 0; j < d; j++) {
                double offset = at0.mean().getDouble(0, j), gain = at1.mean().getDouble(0, j) - offset, v = at0.variance().getDouble(0, j);
                net.set(net.w, t, j, (gain - Math.sqrt(1 - b)) / Math.sqrt(b));   // mean = x sqrt(1 - b) + z_mu sqrt(b)
                net.set(net.a, t, j, offset / Math.sqrt(b));
                net.set(net.c, t, j, Math.sqrt(s.T()) * (Logistic.logit(v) - Logistic.logit(b)));
            }
        }
        return new NetworkGaussianKernel(net, s, org.dpm4j.kernel.GaussianParameterisation.REFERENCE);
    }

    static double[] gaussianRows(int n, double[] m, double[] s2, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[n * m.length];
        for (int i = 0; i < n; i++) for (int j = 0; j < m.length; j++) x[i * m.length + j] = m[j] + Math.sqrt(s2[j]) * rng.nextGaussian();
        return x;
    }

    /** Mean and standard error over 200 minibatches of 100 examples of the frozen-noise gradient, per t. */
    static double[][] meanGradient(GaussianObjective objective, double[] m, double[] s2) {
        int batches = 200, T = objective.T();
        double[] sum = new double[T], sq = new double[T], g = new double[T];
        for (int b = 0; b < batches; b++) {
            objective.evaluateWithScheduleGradient(gaussianRows(100, m, s2, 1000 + b), Estimator.ALL_T, new SplittableRandom(b), g);
            for (int t = 0; t < T; t++) {
                sum[t] += g[t];
                sq[t] += g[t] * g[t];
            }
        }
        double[][] r = new double[2][T];
        for (int t = 0; t < T; t++) {
            r[0][t] = sum[t] / batches;
            r[1][t] = Math.sqrt(Math.max(0, sq[t] / batches - r[0][t] * r[0][t]) / (batches - 1));
        }
        return r;
    }

    @Test
    @DisplayName("exact kernel of N(0, I) data: E[K] is the data log-likelihood for every schedule, so the mean frozen-noise dK/dbeta is 0 within 4 standard errors")
    void standardNormalDataGradientVanishes() {
        double[] m = {0, 0}, s2 = {1, 1};
        double logLik = -Math.log(2 * Math.PI * Math.E);   // 2 dimensions of N(0, 1), nats
        assertEquals(logLik, exactKernelK(Schedules.referenceGaussian(8), m, s2), 1e-9);
        assertEquals(logLik, exactKernelK(Schedules.constant(8, 0.2), m, s2), 1e-9);
        BetaSchedule s = Schedules.referenceGaussian(8);
        double[][] g = meanGradient(new GaussianObjective(exactAffineKernel(s, m, s2)), m, s2);
        for (int t = 2; t <= s.T(); t++) assertEquals(0, g[0][t - 1], 4 * g[1][t - 1] + 1e-9, "t=" + t + " (SE " + g[1][t - 1] + ")");
    }

    @Test
    @DisplayName("exact kernel of N(m, s2) data (network held at it): mean frozen-noise dK/dbeta equals the derivative of the closed-form E[K] within 4 standard errors (envelope theorem)")
    void gaussianDataGradientMatchesClosedForm() {
        double[] m = {2.0, -1.0}, s2 = {0.05, 5.0};
        BetaSchedule s = Schedules.explicit(0.01, 0.1, 0.2, 0.3, 0.4, 0.5);
        double[][] g = meanGradient(new GaussianObjective(exactAffineKernel(s, m, s2)), m, s2);
        double[] oracle = LearnableSchedule.numericalBetaGradient(s, x -> exactKernelK(x, m, s2), 1e-6);
        int far = 0;
        for (int t = 2; t <= s.T(); t++) {
            assertEquals(oracle[t - 1], g[0][t - 1], 4 * g[1][t - 1] + 1e-3 * Math.abs(oracle[t - 1]), "t=" + t + " (SE " + g[1][t - 1] + ")");
            if (Math.abs(oracle[t - 1]) > 10 * g[1][t - 1]) far++;
        }
        assertTrue(far >= 3, "the oracle should be far from 0 in units of the MC error at several t (" + far + ")");
    }
}
