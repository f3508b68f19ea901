package org.dpm4j.experiments;

import org.dpm4j.data.SwissRoll;
import org.dpm4j.data.Curve;
import static org.dpm4j.testing.BadInput.assertRejected;
import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.dpm4j.bound.BoundK;
import org.dpm4j.bound.BoundResult;
import org.dpm4j.bound.Per;
import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.kernel.ExactGaussianDataKernel;
import org.dpm4j.experiments.Profile;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.schedule.Schedules;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class KernelCeilingTest {
    private static final double LN2 = Math.log(2);
    private static final BetaSchedule SHORT = Schedules.explicit(1e-3, 0.01, 0.03, 0.1, 0.2, 0.3, 0.4, 0.5);

    /** A straight segment through the origin at 45 degrees, s uniform on [-1, 1], unit speed. */
    private record Diagonal() implements Curve {
        @Override public double sMin() { return -1; }
        @Override public double sMax() { return 1; }
        @Override public double[] point(double s) { return new double[] {s / Math.sqrt(2), s / Math.sqrt(2)}; }
        @Override public double speed(double s) { return 1; }
    }

    /** H(X_s) for Gaussian data N(m, diag v), nats: sum_j log(2 pi e (alphabar_s v_j + 1 - alphabar_s)) / 2. */
    private static double gaussianEntropy(BetaSchedule s, int t, double[] v) {
        double h = 0, ab = s.alphaBar(t);
        for (double vj : v) h += 0.5 * Math.log(2 * Math.PI * Math.E * (ab * vj + 1 - ab));
        return h;
    }

    @Test
    @DisplayName("Gaussian data: K_diagonal = K_full = H(X_T) - H(X_1) - H_p(X_T) (closed form) to 1e-9 bits; exact-reverse K agrees within 4 SE")
    void gaussianDataClosedForm() {
        double[] m = {0.3, -1}, v = {0.5, 2};
        var r = KernelCeiling.compute(MixtureData.of(DiagonalMixture.gaussian(m, v)), SHORT, 400, new SplittableRandom(3));
        double closed = (gaussianEntropy(SHORT, SHORT.T(), v) - gaussianEntropy(SHORT, 1, v) - Math.log(2 * Math.PI * Math.E)) / LN2;
        assertEquals(closed, r.kDiagonal().mean(), 1e-9, r.toString());
        assertEquals(closed, r.kFull().mean(), 1e-9, r.toString());
        assertEquals(0, r.diagonalDeficit().mean(), 1e-12);
        assertEquals(closed, r.kExact().mean(), 4 * r.kExact().standardError() + 1e-9, r.toString());
    }

    @Test
    @DisplayName("Gaussian data: the oracle K equals BoundK's K (Eq. 14) of the exact Gaussian-data kernel within 4 SE (n = 4000, seeds 5, 6)")
    void gaussianDataMatchesBoundK() {
        double[] m = {0.3, -1}, v = {0.5, 2};
        var oracle = KernelCeiling.compute(MixtureData.of(DiagonalMixture.gaussian(m, v)), SHORT, 10, new SplittableRandom(5));
        MixtureData data = MixtureData.of(DiagonalMixture.gaussian(m, v));
        SplittableRandom rng = new SplittableRandom(6);
        double[][] x0 = new double[4000][];
        for (int i = 0; i < x0.length; i++) x0[i] = data.sample(rng);
        BoundResult bound = BoundK.gaussian(new GaussianDiffusion(SHORT), new ExactGaussianDataKernel(SHORT, m, v),
                Nd4j.createFromArray(x0), 7);
        Per per = Per.sequence(2);
        assertEquals(oracle.kDiagonal().mean(), bound.kBits(per), 4 * bound.kStandardErrorBits(per), bound.toString());
    }

    @Test
    @DisplayName("straight line at 45 degrees: q(x_{t-1}|x_t) at its centre has variances beta_t/alpha_t along it and 1/(1/S_{t-1} + alpha_t/beta_t) across")
    void lineCovariance() {
        BetaSchedule s = Schedules.explicit(1e-4, 1e-4, 1e-4);
        int t = 3;
        double sPrev = 1 - s.alphaBar(t - 1), along = s.beta(t) / s.alpha(t), across = 1 / (1 / sPrev + s.alpha(t) / s.beta(t));
        DiagonalMixture nodes = MixtureData.onCurve(new Diagonal(), 1).resolved(MixtureReverse.spread(s, t));
        double[][] c = new MixtureReverse(nodes, s, t).at(new double[] {0, 0}).covariance();
        double mean = (along + across) / 2, off = (along - across) / 2;   // rotated by 45 degrees
        assertEquals(mean, c[0][0], 1e-6 * mean);
        assertEquals(mean, c[1][1], 1e-6 * mean);
        assertEquals(off, c[0][1], 1e-6 * mean);
    }

    @Test
    @DisplayName("two components on a diagonal: full >= diagonal for every draw (Hadamard), strictly on average; exact >= full within 4 SE")
    void fullBeatsDiagonal() {
        DiagonalMixture two = new DiagonalMixture(new double[] {0.5, 0.5}, new double[][] {{-0.8, -0.8}, {0.8, 0.8}},
                new double[][] {{0.1, 0.1}, {0.1, 0.1}});
        var r = KernelCeiling.compute(MixtureData.of(two), SHORT, 500, new SplittableRandom(8));
        for (int t = 2; t <= SHORT.T(); t++) {
            assertTrue(r.lossDiagonal()[t - 1].mean() - r.lossFull()[t - 1].mean() >= -1e-12, "t = " + t);
        }
        assertTrue(r.diagonalDeficit().mean() > 10 * r.diagonalDeficit().standardError(), r.toString());
        assertTrue(r.kExact().mean() - r.kFull().mean() > -4 * r.kExact().standardError(), r.toString());
    }

    @Test
    @DisplayName("Swiss roll, beta_1 = 1e-3: K_diagonal < K_full <= ceiling + 3 SE, and the exact-reverse K equals the blur ceiling within 4 SE + 0.02 bits")
    void swissRollBelowCeiling() {
        BetaSchedule s = SwissRollExperiment.schedule(SwissRollExperiment.Config.of(Profile.QUICK).withBeta1(1e-3));
        var r = KernelCeiling.compute(MixtureData.onCurve(SwissRoll.get(), 4), s, 400, new SplittableRandom(9));
        double ceiling = BlurCeiling.bits(SwissRoll.get(), 1e-3);
        assertTrue(r.diagonalDeficit().mean() > 5 * r.diagonalDeficit().standardError(), r.toString());
        assertTrue(r.kFull().mean() <= ceiling + 3 * r.kFull().standardError(), r + " ceiling " + ceiling);
        assertEquals(ceiling, r.kExact().mean(), 4 * r.kExact().standardError() + 0.02, r.toString());
    }

    @Test
    @DisplayName("Swiss roll, beta_1 = 1e-5: halving the quadrature panels changes K_diagonal and K_full by < 2e-3 bits (same draws)")
    void swissRollResolution() {
        BetaSchedule s = SwissRollExperiment.schedule(SwissRollExperiment.Config.of(Profile.QUICK));
        var coarse = KernelCeiling.compute(MixtureData.onCurve(SwissRoll.get(), 4), s, 60, new SplittableRandom(10));
        var fine = KernelCeiling.compute(MixtureData.onCurve(SwissRoll.get(), 2), s, 60, new SplittableRandom(10));
        assertEquals(fine.kDiagonal().mean(), coarse.kDiagonal().mean(), 2e-3);
        assertEquals(fine.kFull().mean(), coarse.kFull().mean(), 2e-3);
    }

    @Test
    @DisplayName("Swiss roll, beta_1 = 1e-5, t = 2..8 (locally a line): the diagonal family loses the straight-line model's bits within 10% + 4 SE, the full family < 0.003 bits")
    void swissRollMatchesLineModel() {
        BetaSchedule s = SwissRollExperiment.schedule(SwissRollExperiment.Config.of(Profile.QUICK));
        var r = KernelCeiling.compute(MixtureData.onCurve(SwissRoll.get(), 4), s, 100, new SplittableRandom(11));
        for (int t = 2; t <= 8; t++) {
            double line = KernelCeiling.lineLossBits(s, t);
            Estimate lost = r.lossDiagonal()[t - 1];
            assertEquals(line, lost.mean(), 0.1 * line + 4 * lost.standardError(), "t = " + t);
            assertEquals(0, r.lossFull()[t - 1].mean(), 0.003, "t = " + t);
        }
    }

    @Test
    @DisplayName("line model: 2 ln cosh(Delta lambda / 4) nats per step at high SNR, Delta lambda the step's fall in log-SNR")
    void lineLossClosedForm() {
        BetaSchedule s = SwissRollExperiment.schedule(SwissRollExperiment.Config.of(Profile.QUICK));
        for (int t = 2; t <= 6; t++) {
            double fall = Math.log(s.snr(t - 1) / s.snr(t));
            assertEquals(2 * Math.log(Math.cosh(fall / 4)) / LN2, KernelCeiling.lineLossBits(s, t), 1e-4, "t = " + t);
        }
    }

    @Test
    @DisplayName("warped log-SNR schedule with power 1 is SwissRollExperiment's schedule; the two-piece one passes through lambdaMid at t = 1 + stepsToMid")
    void oracleSchedules() {
        var c = SwissRollExperiment.Config.of(Profile.QUICK);
        assertArrayEquals(SwissRollExperiment.schedule(c).betas(), OracleSchedules.warpedLogSnr(c.T(), c.beta1(), c.schedule().number("snrT"), 1).betas(), 1e-12);
        BetaSchedule two = OracleSchedules.twoPieceLogSnr(40, 1e-5, 0.5, 30, 1e-2);
        assertEquals(0.5, Math.log(two.snr(31)), 1e-9);
        assertEquals(Math.log(1e-2), Math.log(two.snr(40)), 1e-9);
        assertEquals(1e-5, two.beta(1));
        assertRejected(() -> OracleSchedules.twoPieceLogSnr(40, 1e-5, 20, 30, 1e-2), "lambdaMid", "20");
    }

    @Test
    @DisplayName("bad input: weights not summing to 1, negative variances, zero examples and t = 1 are rejected with the parameter named")
    void badInput() {
        assertRejected(() -> new DiagonalMixture(new double[] {0.5, 0.6}, new double[][] {{0}, {1}}, new double[][] {{1}, {1}}),
                "sum of weights", "1.1");
        assertRejected(() -> DiagonalMixture.gaussian(new double[] {0}, new double[] {-1}), "variances[0][0]", "-1");
        MixtureData g = MixtureData.of(DiagonalMixture.gaussian(new double[] {0}, new double[] {1}));
        assertRejected(() -> KernelCeiling.compute(g, SHORT, 0, new SplittableRandom(1)), "examples", "0");
        assertRejected(() -> new MixtureReverse(g.resolved(1), SHORT, 1), "t", "1");
        assertRejected(() -> MixtureData.onCurve(new Diagonal(), 0), "panelWidth", "0");
    }
}
