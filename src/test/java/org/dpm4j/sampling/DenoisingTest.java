package org.dpm4j.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.diffusion.GaussianStep;
import org.dpm4j.kernel.ExactGaussianDataKernel;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.schedule.Schedules;
import org.dpm4j.util.Matrices;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Sec. 2.5's denoising: each reverse step N(mu, v) times r(x) = N(y; x, s^2) (the reference code's diffusion_step with
 * denoise_sigma = s). Oracles: numerical integration of the product for one step; for Gaussian data with the exact
 * reverse kernel, the whole conditioned chain is linear-Gaussian, so the law of its x_0 follows by propagating a mean
 * and a variance through the T steps.
 */
class DenoisingTest {
    @Test
    @DisplayName("one step: the conditioned mean and variance equal those of N(x; mu, v) N(y; x, s^2) integrated on a grid")
    void oneStepIsTheNormalisedProduct() {
        double[] mu = {0.4, -1.2}, v = {0.05, 0.8}, y = {1.0, 0.3};
        double s2 = 1.0;
        GaussianStep p = new GaussianStep(Nd4j.createFromArray(new double[][] {mu}), Nd4j.createFromArray(new double[][] {v}));
        GaussianStep c = new Denoising(Nd4j.createFromArray(new double[][] {y}), s2).condition(p, 7);
        for (int j = 0; j < 2; j++) {
            double z = 0, m1 = 0, m2 = 0, h = 1e-4;
            for (double x = -10; x <= 10; x += h) {
                double w = Math.exp(-(x - mu[j]) * (x - mu[j]) / (2 * v[j]) - (y[j] - x) * (y[j] - x) / (2 * s2));
                z += w;
                m1 += w * x;
                m2 += w * x * x;
            }
            double mean = m1 / z, var = m2 / z - mean * mean;
            assertEquals(mean, c.mean().getDouble(0, j), 1e-7, "mean, dim " + j);
            assertEquals(var, c.variance().getDouble(0, j), 1e-7, "variance, dim " + j);
        }
    }

    /** {mean, variance} of the x_0 the conditioned chain draws: x_T ~ pi r, then each step's product with r, t = T..1. */
    static double[] chainLaw(BetaSchedule s, ExactGaussianDataKernel k, double y, double s2) {
        double P = 1 / (1 + 1 / s2), M = P * y / s2;                      // N(0, 1) N(y; x, s^2), normalised
        for (int t = s.T(); t >= 1; t--) {
            double gain, offset, v;
            if (t == 1) {                                                 // the model's fixed first step
                gain = Math.sqrt(1 - s.beta(1));
                offset = 0;
                v = s.beta(1);
            } else {                                                      // the exact kernel, read off at x_t = 0 and 1
                GaussianStep at0 = k.step(Nd4j.zeros(1, 1).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE), t);
                GaussianStep at1 = k.step(Nd4j.ones(1, 1).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE), t);
                offset = at0.mean().getDouble(0, 0);
                gain = at1.mean().getDouble(0, 0) - offset;
                v = at0.variance().getDouble(0, 0);
            }
            double vc = 1 / (1 / v + 1 / s2);                            // the product with r
            double c = vc * gain / v, e = vc * (offset / v + y / s2);
            M = c * M + e;
            P = c * c * P + vc;
        }
        return new double[] {M, P};
    }

    private static double[] moments(INDArray x) {
        double[] v = Matrices.values(x.dup());
        double m = 0, s = 0;
        for (double a : v) m += a;
        m /= v.length;
        for (double a : v) s += (a - m) * (a - m);
        return new double[] {m, s / (v.length - 1)};
    }

    @Test
    @DisplayName("the conditioned chain with the exact kernel draws x_0 with the linear-Gaussian propagation's mean and variance (n = 20000, 4 SE)")
    void chainMatchesPropagation() {
        BetaSchedule s = Schedules.referenceGaussian(100);
        double m = 0.5, S = 0.3, y = -0.4, s2 = 1.0;
        ExactGaussianDataKernel k = new ExactGaussianDataKernel(s, new double[] {m}, new double[] {S});
        int n = 20000;
        INDArray x = AncestralSampler.gaussian(new GaussianDiffusion(s), k, n, 1, 3, false,
                new Denoising(Matrices.full(n, 1, y), s2)).x0();
        double[] got = moments(x), law = chainLaw(s, k, y, s2);
        assertEquals(law[0], got[0], 4 * Math.sqrt(law[1] / n), "mean");
        assertEquals(law[1], got[1], 4 * law[1] * Math.sqrt(2.0 / n), "variance");
    }

    /**
     * What Sec. 2.5's per-step product samples is not the posterior p(x_0 | y): the normaliser of each conditioned
     * step, about r(x_t), is dropped, so the observation counts again at every step. For unit-variance data the exact
     * kernel is x_{t-1} = sqrt(1 - beta) x_t + N(0, beta) (the data law is stationary), and with small beta the chain
     * settles at precision 1 + 2/s^2 (var' c^2 + beta(1 - beta)..., i.e. (1 - 3 beta) P + beta = P): it draws from
     * p(x) r(x)^2, not p(x) r(x). The exact posterior (the Wiener filter) has precision 1 + 1/s^2.
     */
    @Test
    @DisplayName("Sec. 2.5 on unit-variance Gaussian data, T = 1000: x_0 ~ p(x) r(x)^2 = N(2y/3, 1/3) at s^2 = 1, not the posterior N(y/2, 1/2) (n = 20000, 4 SE)")
    void perStepProductCountsTheObservationTwice() {
        BetaSchedule s = Schedules.referenceGaussian(1000);
        double y = 1.5, s2 = 1.0;
        ExactGaussianDataKernel k = new ExactGaussianDataKernel(s, new double[] {0}, new double[] {1});
        int n = 20000;
        INDArray x = AncestralSampler.gaussian(new GaussianDiffusion(s), k, n, 1, 11, false,
                new Denoising(Matrices.full(n, 1, y), s2)).x0();
        double[] got = moments(x);
        double precisionSquared = 1 + 2 / s2, meanSquared = (2 * y / s2) / precisionSquared;
        assertEquals(meanSquared, got[0], 4 * Math.sqrt(1 / precisionSquared / n), "mean of p(x) r(x)^2");
        assertEquals(1 / precisionSquared, got[1], 4 / precisionSquared * Math.sqrt(2.0 / n), "variance of p(x) r(x)^2");
        double[] law = chainLaw(s, k, y, s2);
        assertEquals(meanSquared, law[0], 0.002, "the propagation agrees with the small-beta limit");
        WienerFilter exact = WienerFilter.of(new double[] {0}, new double[][] {{1}}, s2);
        double postMean = exact.posteriorMean(Nd4j.createFromArray(new double[][] {{y}})).getDouble(0, 0);
        double postVar = exact.posteriorCovariance().getDouble(0, 0);
        assertTrue(Math.abs(got[0] - postMean) > 20 * Math.sqrt(postVar / n), "far from the posterior mean y/2: " + got[0]);
        assertTrue(got[1] < 0.8 * postVar, "narrower than the posterior: " + got[1] + " vs " + postVar);
    }

    @Test
    @DisplayName("starting the unconditioned reverse process at sqrt(alphabar_t*) y draws the exact posterior of Gaussian data (n = 20000, 4 SE + O(beta_1))")
    void diffusedObservationIsTheExactPosterior() {
        BetaSchedule s = Schedules.referenceGaussian(1000);
        GaussianDiffusion diffusion = new GaussianDiffusion(s);
        double m = 0.5, S = 0.3, y = -0.4, s2 = 1.0;
        ExactGaussianDataKernel k = new ExactGaussianDataKernel(s, new double[] {m}, new double[] {S});
        int n = 20000, start = Denoising.startStep(diffusion, s2);
        double ab = s.alphaBar(start);
        assertTrue(ab <= 1 / (1 + s2) && s.alphaBar(start - 1) > 1 / (1 + s2), "t* is the first step at least as noisy as y");
        INDArray x = Denoising.posteriorFromDiffusedObservation(diffusion, k, Matrices.full(n, 1, y), s2, 5);
        double[] got = moments(x);
        // x_{t*} / sqrt(ab) = x_0 + N(0, s'^2) with s'^2 = (1 - ab) / ab >= s^2, given y: Wiener at s'^2, plus the spread
        // of the extra noise (variance s'^2 - s^2) passed through the filter's gain
        double sp2 = (1 - ab) / ab, gain = S / (S + sp2);
        double mean = m + gain * (y - m), var = S * sp2 / (S + sp2) + gain * gain * (sp2 - s2);
        double slack = s.beta(1);   // the model's fixed first step differs from the exact one by O(beta_1) (0.002 here)
        assertEquals(mean, got[0], 4 * Math.sqrt(var / n) + slack, "mean");
        assertEquals(var, got[1], 4 * var * Math.sqrt(2.0 / n) + slack, "variance");
        WienerFilter exact = WienerFilter.of(new double[] {m}, new double[][] {{S}}, s2);
        assertEquals(exact.posteriorMean(Matrices.full(1, 1, y)).getDouble(0, 0), got[0], 4 * Math.sqrt(var / n) + slack,
                "the Bayes posterior mean at s^2 itself");
        assertEquals(exact.posteriorCovariance().getDouble(0, 0), got[1], 4 * var * Math.sqrt(2.0 / n) + slack,
                "the Bayes posterior variance at s^2 itself");
    }
    @Test
    @DisplayName("the one-pass posterior mean read off the exact kernel at x_t* = sqrt(alphabar_t*) y is the Wiener mean at t*'s noise (1e-9), and near the one at s^2")
    void oneStepPosteriorMeanIsTweedie() {
        BetaSchedule s = Schedules.referenceGaussian(1000);
        GaussianDiffusion diffusion = new GaussianDiffusion(s);
        double[] m = {0.5, -1.0}, S = {0.3, 2.0};
        double s2 = 1.0;
        ExactGaussianDataKernel k = new ExactGaussianDataKernel(s, m, S);
        INDArray y = Nd4j.createFromArray(new double[][] {{-0.4, 1.7}, {2.0, 0.1}, {0.0, -3.0}});
        INDArray got = Denoising.posteriorMeanFromDiffusedObservation(diffusion, k, y, s2);
        double ab = s.alphaBar(Denoising.startStep(diffusion, s2)), sp2 = (1 - ab) / ab;
        WienerFilter atTStar = WienerFilter.of(m, new double[][] {{S[0], 0}, {0, S[1]}}, sp2);
        WienerFilter atS2 = WienerFilter.of(m, new double[][] {{S[0], 0}, {0, S[1]}}, s2);
        INDArray want = atTStar.posteriorMean(y), near = atS2.posteriorMean(y);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
                assertEquals(want.getDouble(i, j), got.getDouble(i, j), 1e-9, "Wiener at (1 - ab)/ab = " + sp2 + ", row " + i + " dim " + j);
                // the grid's rounding of t*: sp2 - s2 is a few beta_t*, so the gain moves by about that much
                assertEquals(near.getDouble(i, j), got.getDouble(i, j), 10 * (sp2 - s2) * (1 + Math.abs(y.getDouble(i, j))),
                        "Wiener at s^2, row " + i + " dim " + j);
            }
        }
        assertTrue(sp2 >= s2 && sp2 - s2 < 0.02, "t* rounds s^2 = 1 up by a little: " + sp2);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Denoising.posteriorMeanFromDiffusedObservation(diffusion, null, y, s2), "a null kernel");
    }
}
