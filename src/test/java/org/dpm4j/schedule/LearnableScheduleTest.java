package org.dpm4j.schedule;

import static org.dpm4j.testing.BadInput.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LearnableScheduleTest {

    @Test
    @DisplayName("any parameters give beta_1 as fixed and beta_2..beta_T non-decreasing in (0, 1)")
    void monotoneForRandomParameters() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int trial = 0; trial < 20; trial++) {
            double[] theta = new double[49];
            for (int i = 0; i < theta.length; i++) theta[i] = 4 * rng.nextGaussian();
            BetaSchedule s = new LearnableSchedule(1e-3, theta).schedule();
            assertEquals(1e-3, s.beta(1), 0);
            for (int t = 3; t <= s.T(); t++) assertTrue(s.beta(t) >= s.beta(t - 1), "t=" + t);
        }
    }

    @Test
    @DisplayName("startingFrom reproduces an increasing schedule (linearHo) to 1e-12")
    void startingFromRoundTrip() {
        BetaSchedule s = Schedules.linearHo(100);
        BetaSchedule r = LearnableSchedule.startingFrom(s).schedule();
        for (int t = 1; t <= 100; t++) assertEquals(s.beta(t), r.beta(t), 1e-12, "t=" + t);
    }

    @Test
    @DisplayName("the chain-rule gradient dK/dtheta matches central differences of a smooth function of the betas")
    void gradientMatchesFiniteDifferences() {
        double[] w = new double[40];
        SplittableRandom rng = new SplittableRandom(5);
        for (int i = 0; i < w.length; i++) w[i] = rng.nextGaussian();
        ToDoubleFunction<BetaSchedule> f = s -> {
            double v = 0;
            for (int t = 1; t <= s.T(); t++) v += w[t - 1] * Math.log(s.beta(t)) + Math.log(s.alphaBar(t));
            return v;
        };
        LearnableSchedule ls = LearnableSchedule.startingFrom(Schedules.linearHo(40));
        BetaSchedule s = ls.schedule();
        double[] dBeta = LearnableSchedule.numericalBetaGradient(s, f, 1e-7);
        double[] g = ls.gradient(dBeta);
        double[] theta = ls.parameters();
        for (int i = 0; i < theta.length; i++) {
            double[] up = theta.clone(), down = theta.clone();
            up[i] += 1e-5;
            down[i] -= 1e-5;
            double fd = (f.applyAsDouble(new LearnableSchedule(s.beta(1), up).schedule())
                    - f.applyAsDouble(new LearnableSchedule(s.beta(1), down).schedule())) / 2e-5;
            assertEquals(fd, g[i], 1e-4 * Math.max(1, Math.abs(fd)), "theta_" + i);
        }
    }

    @Test
    @DisplayName("Sec. 2.4.1: gradient ascent on K with frozen noise (fixed seed) and the exact Gaussian-data kernel raises K, beta_1 fixed")
    void ascentOnKRaisesK() {
        double[] m = {0.5}, s2 = {0.6};
        org.nd4j.linalg.api.ndarray.INDArray x0 = org.dpm4j.bound.GaussianOracleTest.gaussianData(400, m, s2, 2);
        ToDoubleFunction<BetaSchedule> k = s -> org.dpm4j.bound.BoundK.gaussian(new org.dpm4j.diffusion.GaussianDiffusion(s),
                new org.dpm4j.kernel.ExactGaussianDataKernel(s, m, s2), x0, 77).kNats();
        LearnableSchedule ls = LearnableSchedule.startingFrom(Schedules.referenceGaussian(8));
        double before = k.applyAsDouble(ls.schedule()), previous = before;
        for (int step = 0; step < 5; step++) {
            ls = ls.ascend(LearnableSchedule.numericalBetaGradient(ls.schedule(), k, 1e-6), 1.0);
            double now = k.applyAsDouble(ls.schedule());
            assertTrue(now > previous, "step " + step + ": " + now + " after " + previous);
            previous = now;
        }
        assertEquals(Schedules.referenceGaussian(8).beta(1), ls.schedule().beta(1), 0);
        assertTrue(previous - before > 1e-3, "K rose by " + (previous - before) + " nats");
    }

    @Test
    @DisplayName("bad input: beta1 outside (0, 1), non-finite theta, gradient of the wrong length")
    void badInput() {
        assertRejected(() -> new LearnableSchedule(0, new double[] {0}), "beta1", "0");
        assertRejected(() -> new LearnableSchedule(0.01, new double[] {0, Double.NaN}), "theta[1]", "NaN");
        LearnableSchedule ls = new LearnableSchedule(0.01, new double[] {0, 0});
        assertRejected(() -> ls.gradient(new double[2]), "dKdBeta.length", "2");
    }
}
