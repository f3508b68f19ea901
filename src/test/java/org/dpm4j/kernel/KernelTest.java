package org.dpm4j.kernel;

import org.dpm4j.diffusion.GaussianStep;
import static org.dpm4j.testing.BadInput.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.dpm4j.diffusion.BinomialDiffusion;
import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.util.Matrices;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.schedule.Schedules;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;

class KernelTest {
    static INDArray row(double... v) { return Matrices.row(v); }

    static double sigmoid(double z) { return 1 / (1 + Math.exp(-z)); }

    static double logit(double p) { return Math.log(p / (1 - p)); }

    /** A step carrying only beta_t and T, all the published parameterisations read (the posterior fields are NaN). */
    static GaussianParameterisation.Step betaOnly(double beta, int T) {
        return new GaussianParameterisation.Step(beta, Double.NaN, T, Double.NaN, Double.NaN, Double.NaN);
    }

    @Test
    @DisplayName("paper Eqs. 64-65: Sigma = sigmoid(z_Sigma + logit beta), mu = (x - z_mu)(1 - Sigma) + z_mu; z = 0 gives variance beta, mean x (1 - beta)")
    void paperParameterisation() {
        double x = 0.8, zMu = -0.3, zS = 1.2, beta = 0.05;
        GaussianStep s = GaussianParameterisation.PAPER.step(row(x), new Readout(row(zMu), row(zS)), betaOnly(beta, 100));
        double sigma = sigmoid(zS + logit(beta));
        assertEquals(sigma, s.variance().getDouble(0, 0), 1e-15);
        assertEquals((x - zMu) * (1 - sigma) + zMu, s.mean().getDouble(0, 0), 1e-15);
        GaussianStep zero = GaussianParameterisation.PAPER.step(row(x), new Readout(row(0), row(0)), betaOnly(beta, 100));
        assertEquals(beta, zero.variance().getDouble(0, 0), 1e-15);
        assertEquals(x * (1 - beta), zero.mean().getDouble(0, 0), 1e-15);
    }

    @Test
    @DisplayName("reference code: mu = x sqrt(1 - beta) + z_mu sqrt(beta), Sigma = sigmoid(z_Sigma / sqrt(T) + logit beta); z = 0 is the stationary reverse step")
    void referenceParameterisation() {
        double x = 0.8, zMu = -0.3, zS = 1.2, beta = 0.05;
        int T = 400;
        GaussianStep s = GaussianParameterisation.REFERENCE.step(row(x), new Readout(row(zMu), row(zS)), betaOnly(beta, T));
        assertEquals(sigmoid(zS / Math.sqrt(T) + logit(beta)), s.variance().getDouble(0, 0), 1e-15);
        assertEquals(x * Math.sqrt(1 - beta) + zMu * Math.sqrt(beta), s.mean().getDouble(0, 0), 1e-15);
        BetaSchedule sch = Schedules.referenceGaussian(T);
        GaussianDiffusion diff = new GaussianDiffusion(sch);
        GaussianReverseKernel k = GaussianParameterisation.REFERENCE.kernel((xt, t) -> new Readout(xt.mul(0), xt.mul(0)), sch);
        GaussianStep a = k.step(row(x, -x), 7), b = diff.forwardStep(row(x, -x), 7);
        assertEquals(b.mean(), a.mean());
        assertEquals(b.variance().getDouble(0, 0), a.variance().getDouble(0, 0), 1e-15);
    }

    @ParameterizedTest
    @EnumSource(value = GaussianParameterisation.class, names = {"POSTERIOR_X0", "POSTERIOR_V"})
    @DisplayName("posterior forms: z_mu = 0 gives the exact reverse mean of unit-variance Gaussian data; z_Sigma = -1/2, 1/2 give the posterior variance and beta_t, 0 their geometric mean, 3/2 beta_t^2 / posterior variance")
    void posteriorAtZero(GaussianParameterisation par) {
        BetaSchedule s = Schedules.referenceGaussian(20);
        ExactGaussianDataKernel exact = new ExactGaussianDataKernel(s, new double[] {0}, new double[] {1});
        GaussianDiffusion diff = new GaussianDiffusion(s);
        for (int t : new int[] {2, 9, 20}) {
            var step = GaussianParameterisation.Step.of(s, t);
            GaussianStep zero = par.step(row(0.7), new Readout(row(0), row(0)), step);
            assertEquals(exact.step(row(0.7), t).mean().getDouble(0, 0), zero.mean().getDouble(0, 0), 1e-12, "t = " + t);
            double low = diff.posteriorCoefficients(t).variance(), high = s.beta(t);
            assertEquals(Math.sqrt(low * high), zero.variance().getDouble(0, 0), 1e-12 * high);
            assertEquals(low, par.step(row(0.7), new Readout(row(0), row(-0.5)), step).variance().getDouble(0, 0), 1e-12 * low);
            assertEquals(high, par.step(row(0.7), new Readout(row(0), row(0.5)), step).variance().getDouble(0, 0), 1e-12 * high);
            assertEquals(high * high / low, par.step(row(0.7), new Readout(row(0), row(1.5)), step).variance().getDouble(0, 0), 1e-12 * high * high / low);
        }
    }

    @ParameterizedTest
    @EnumSource(value = GaussianParameterisation.class, names = {"POSTERIOR_X0", "POSTERIOR_V"})
    @DisplayName("posterior forms: the readout that predicts x_0 exactly gives the mean of q(x_{t-1} | x_t, x_0)")
    void posteriorAtTrueX0(GaussianParameterisation par) {
        BetaSchedule s = Schedules.referenceGaussian(20);
        GaussianDiffusion diff = new GaussianDiffusion(s);
        double x0 = -1.1, xt = 0.4;
        for (int t : new int[] {2, 9, 20}) {
            double ab = s.alphaBar(t), cOut = par == GaussianParameterisation.POSTERIOR_X0 ? 1 : Math.sqrt(1 - ab);
            double zMu = (x0 - Math.sqrt(ab) * xt) / cOut;
            GaussianStep p = par.step(row(xt), new Readout(row(zMu), row(0.3)), GaussianParameterisation.Step.of(s, t));
            assertEquals(diff.posterior(row(x0), row(xt), t).mean().getDouble(0, 0), p.mean().getDouble(0, 0), 1e-12, "t = " + t);
            assertEquals(cOut, par.x0ReadoutScale(GaussianParameterisation.Step.of(s, t)), 1e-15, "the scale of z_mu a graph reads, t = " + t);
        }
        assertEquals(true, par.predictsX0());
    }

    @ParameterizedTest
    @EnumSource(value = GaussianParameterisation.class, names = {"PAPER", "REFERENCE"})
    @DisplayName("the published forms predict no x_0: x0ReadoutScale is refused naming the parameterisation")
    void publishedFormsPredictNoX0(GaussianParameterisation par) {
        assertEquals(false, par.predictsX0());
        assertRejected(() -> par.x0ReadoutScale(GaussianParameterisation.Step.of(Schedules.referenceGaussian(5), 3)), "parameterisation", par.name());
    }

    @ParameterizedTest
    @EnumSource(GaussianParameterisation.class)
    @DisplayName("KlTerm: the KL of map's p against the step's posterior; w dKL/dz_mu, dz_Sigma, dx_t, dalphabar_{t-1}, dbeta_t equal central differences (tolerance 1e-5 relative + 1e-7)")
    void klTermDerivatives(GaussianParameterisation par) {
        BetaSchedule s = Schedules.referenceGaussian(20);
        GaussianDiffusion diff = new GaussianDiffusion(s);
        GaussianParameterisation.KlTerm k = new GaussianParameterisation.KlTerm();
        double x0 = -0.9, x = 0.6, zMu = -0.4, zS = 0.3, w = 1.7;
        for (int t : new int[] {2, 11, 20}) {
            var step = GaussianParameterisation.Step.of(s, t);
            GaussianStep p = par.step(row(x), new Readout(row(zMu), row(zS)), step);
            GaussianStep q = diff.posterior(row(x0), row(x), t);
            double value = k.nats(par, x0, x, zMu, zS, step);
            assertEquals(GaussianDiffusion.kl(q, p).getDouble(0, 0), value, 1e-12 * (1 + value), "KL(q || p), t = " + t);
            k.readoutGradient(w);
            k.scheduleGradient(par, x0, x, zMu, zS, step, diff.posteriorPartials(t), w);
            double h = 1e-6, a = s.alphaBar(t - 1), b = s.beta(t), ha = 1e-6 * Math.min(a, 1 - a), hb = 1e-6 * Math.min(b, 1 - b);
            GaussianParameterisation.KlTerm f = new GaussianParameterisation.KlTerm();
            near(w * (f.nats(par, x0, x, zMu + h, zS, step) - f.nats(par, x0, x, zMu - h, zS, step)) / (2 * h), k.dZMu, "dz_mu, t = " + t);
            near(w * (f.nats(par, x0, x, zMu, zS + h, step) - f.nats(par, x0, x, zMu, zS - h, step)) / (2 * h), k.dZSigma, "dz_Sigma, t = " + t);
            near(w * (f.nats(par, x0, x + h, zMu, zS, step) - f.nats(par, x0, x - h, zMu, zS, step)) / (2 * h), k.dXt, "dx_t, t = " + t);
            near(w * (f.nats(par, x0, x, zMu, zS, GaussianParameterisation.Step.of(a + ha, b, 20))
                    - f.nats(par, x0, x, zMu, zS, GaussianParameterisation.Step.of(a - ha, b, 20))) / (2 * ha), k.dAlphaBarPrevious, "dalphabar_{t-1}, t = " + t);
            near(w * (f.nats(par, x0, x, zMu, zS, GaussianParameterisation.Step.of(a, b + hb, 20))
                    - f.nats(par, x0, x, zMu, zS, GaussianParameterisation.Step.of(a, b - hb, 20))) / (2 * hb), k.dBeta, "dbeta_t, t = " + t);
        }
    }

    private static void near(double numeric, double analytic, String what) {
        assertEquals(numeric, analytic, 1e-5 * Math.abs(numeric) + 1e-7, what);
    }

    @ParameterizedTest
    @EnumSource(GaussianParameterisation.class)
    @DisplayName("every parameterisation: its derivatives d mean/d z_mu, d mean/d z_Sigma, d log variance/d z_Sigma equal central finite differences")
    void parameterisationDerivatives(GaussianParameterisation par) {
        BetaSchedule s = Schedules.referenceGaussian(20);
        double[] o = new double[5], up = new double[5], down = new double[5];
        double h = 1e-6;
        for (int t : new int[] {2, 11, 20}) {
            var step = GaussianParameterisation.Step.of(s, t);
            double x = 0.6, zMu = -0.4, zS = 0.8;
            par.map(x, zMu, zS, step, o);
            par.map(x, zMu + h, zS, step, up);
            par.map(x, zMu - h, zS, step, down);
            assertEquals((up[0] - down[0]) / (2 * h), o[2], 1e-6 * (1 + Math.abs(o[2])), "d mean / d z_mu, t = " + t);
            par.map(x, zMu, zS + h, step, up);
            par.map(x, zMu, zS - h, step, down);
            assertEquals((up[0] - down[0]) / (2 * h), o[3], 1e-6 * (1 + Math.abs(o[3])), "d mean / d z_Sigma, t = " + t);
            assertEquals((Math.log(up[1]) - Math.log(down[1])) / (2 * h), o[4], 1e-6 * (1 + Math.abs(o[4])), "d log var / d z_Sigma, t = " + t);
        }
    }

    @Test
    @DisplayName("binomial readouts: FORWARD_LOGIT at z = 0 is the forward kernel x(1 - beta) + r beta; PLAIN is sigmoid(z)")
    void binomialParameterisations() {
        BetaSchedule s = Schedules.binomialPaper(50);
        BinomialDiffusion diff = new BinomialDiffusion(s, 0.2);
        BinomialReverseKernel k = BinomialParameterisation.FORWARD_LOGIT.kernel((xt, t) -> xt.mul(0), diff);
        INDArray x = row(0, 1, 1);
        INDArray a = k.probabilityOfOne(x, 10), b = diff.forwardProbabilityOfOne(x, 10);
        for (int j = 0; j < 3; j++) assertEquals(b.getDouble(0, j), a.getDouble(0, j), 1e-14);
        double z = 0.7, fwd = 1 - s.beta(10) + 0.2 * s.beta(10);
        assertEquals(sigmoid(z + logit(fwd)), BinomialParameterisation.FORWARD_LOGIT.probabilityOfOne(row(1), row(z), diff, 10).getDouble(0, 0), 1e-14);
        assertEquals(sigmoid(z), BinomialParameterisation.PLAIN.probabilityOfOne(row(1), row(z), diff, 10).getDouble(0, 0), 1e-15);
    }

    @Test
    @DisplayName("binomial POSTERIOR_X0: a confident x0hat gives the core's posterior q(x_{t-1} | x_t, x_0); x0hat mixes the two linearly")
    void binomialPosteriorParameterisation() {
        BetaSchedule s = Schedules.binomialPaper(50);
        BinomialDiffusion diff = new BinomialDiffusion(s, 0.2);
        INDArray xt = row(0, 1, 0, 1), x0 = row(0, 0, 1, 1);
        for (int t : new int[] {2, 25, 50}) {
            INDArray q = diff.posteriorProbabilityOfOne(x0, xt, t);
            INDArray confident = x0.mul(2).subi(1).muli(40);   // z = +-40: x0hat = 1 - 4e-18 or 4e-18
            INDArray p = BinomialParameterisation.POSTERIOR_X0.probabilityOfOne(xt, confident, diff, t);
            for (int j = 0; j < 4; j++) assertEquals(q.getDouble(0, j), p.getDouble(0, j), 1e-15, "t = " + t + ", bit " + j);
            double w = 0.3;
            INDArray mixed = BinomialParameterisation.POSTERIOR_X0.probabilityOfOne(row(1), row(logit(w)), diff, t);
            double one = diff.posteriorProbabilityOfOne(row(1), row(1), t).getDouble(0, 0);
            double zero = diff.posteriorProbabilityOfOne(row(0), row(1), t).getDouble(0, 0);
            assertEquals(w * one + (1 - w) * zero, mixed.getDouble(0, 0), 1e-15, "t = " + t);
        }
    }

    @Test
    @DisplayName("exact Gaussian-data kernel = regression of x_{t-1} on x_t over simulated pairs (slope, intercept, residual variance; n = 100000)")
    void exactGaussianKernelMatchesSimulatedPairs() {
        BetaSchedule s = Schedules.referenceGaussian(20);
        GaussianDiffusion diff = new GaussianDiffusion(s);
        double m = 1.3, s2 = 0.25;
        ExactGaussianDataKernel k = new ExactGaussianDataKernel(s, new double[] {m}, new double[] {s2});
        int n = 100000, t = 5;
        SplittableRandom rng = new SplittableRandom(31);
        INDArray x0 = Matrices.gaussian(n, 1, rng).muli(Math.sqrt(s2)).addi(m);
        INDArray prev = diff.sampleQ(x0, t - 1, rng), xt = diff.sampleStep(prev, t, rng);
        double[] a = Matrices.values(xt), b = Matrices.values(prev);
        double ma = 0, mb = 0;
        for (int i = 0; i < n; i++) { ma += a[i]; mb += b[i]; }
        ma /= n;
        mb /= n;
        double cab = 0, caa = 0;
        for (int i = 0; i < n; i++) { cab += (a[i] - ma) * (b[i] - mb); caa += (a[i] - ma) * (a[i] - ma); }
        double slope = cab / caa, intercept = mb - slope * ma, res = 0;
        for (int i = 0; i < n; i++) res += Math.pow(b[i] - intercept - slope * a[i], 2);
        res /= n - 2;
        GaussianStep at0 = k.step(row(0), t), at1 = k.step(row(1), t);
        double kSlope = at1.mean().getDouble(0, 0) - at0.mean().getDouble(0, 0);
        assertEquals(kSlope, slope, 0.01, "slope");
        assertEquals(at0.mean().getDouble(0, 0), intercept, 0.01, "intercept");
        assertEquals(at0.variance().getDouble(0, 0), res, 0.02 * res, "residual variance");
        assertEquals(Math.sqrt(s.alphaBar(t)) * m, k.marginalMean(t, 0), 1e-15);
    }

    @Test
    @DisplayName("exact Bernoulli-data kernel = conditional frequencies of simulated (x_{t-1}, x_t) pairs (n = 100000, 4 SE)")
    void exactBernoulliKernelMatchesSimulatedPairs() {
        BetaSchedule s = Schedules.binomialPaper(20);
        BinomialDiffusion diff = new BinomialDiffusion(s, 0.3);
        ExactBernoulliDataKernel k = new ExactBernoulliDataKernel(s, 0.3, new double[] {0.9});
        int n = 100000, t = 6;
        SplittableRandom rng = new SplittableRandom(41);
        INDArray x0 = Matrices.bernoulli(Matrices.full(n, 1, 0.9), rng);
        double[] prev = Matrices.values(diff.sampleQ(x0, t - 1, rng));
        double[] xt = Matrices.values(diff.sampleStep(Matrices.fromValues(prev, n, 1), t, rng));
        for (int v = 0; v <= 1; v++) {
            int count = 0, ones = 0;
            for (int i = 0; i < n; i++) if (xt[i] == v) { count++; ones += (int) prev[i]; }
            double p = k.probabilityOfOne(row(v), t).getDouble(0, 0);
            assertEquals(p, (double) ones / count, 4 * Math.sqrt(p * (1 - p) / count), "x_t = " + v);
        }
    }

    @Test
    @DisplayName("bad input: mismatched dimensions, non-positive data variance, readouts of the wrong shape")
    void badInput() {
        BetaSchedule s = Schedules.referenceGaussian(10);
        assertRejected(() -> new ExactGaussianDataKernel(s, new double[] {0, 1}, new double[] {1}), "variance.length", "1");
        assertRejected(() -> new ExactGaussianDataKernel(s, new double[] {0}, new double[] {0}), "variance[0]", "0");
        ExactGaussianDataKernel k = new ExactGaussianDataKernel(s, new double[] {0}, new double[] {1});
        assertRejected(() -> k.step(row(1, 2), 3), "xt.size(1)", "2");
        assertRejected(() -> k.step(row(1), 11), "t", "11");
        GaussianReverseKernel bad = GaussianParameterisation.PAPER.kernel((xt, t) -> new Readout(row(0, 0, 0), xt), s);
        assertRejected(() -> bad.step(row(1, 2), 3), "zMu.shape", "[1, 3]");
        assertRejected(() -> new ExactBernoulliDataKernel(s, 0.5, new double[] {1.0}), "rate[0]", "1.0");
    }
}
