package org.dpm4j.diffusion;

import org.dpm4j.util.Matrices;
import static org.dpm4j.testing.BadInput.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.dpm4j.kernel.GaussianReverseKernel;
import org.dpm4j.diffusion.GaussianStep;
import org.dpm4j.schedule.Schedules;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GaussianDiffusionTest {
    static final GaussianDiffusion DIFF = new GaussianDiffusion(Schedules.referenceGaussian(50));

    static INDArray column(double... v) { return Nd4j.create(v, new long[] {v.length, 1}, DataType.DOUBLE); }

    static double[] meanVar(double[] v) {
        double m = 0, s = 0;
        for (double x : v) m += x;
        m /= v.length;
        for (double x : v) s += (x - m) * (x - m);
        return new double[] {m, s / (v.length - 1)};
    }

    @Test
    @DisplayName("q(x_t|x_0) in closed form matches t repeated one-step draws (MC, n = 20000, 4 standard errors)")
    void marginalMatchesRepeatedSteps() {
        int n = 20000, t = 30;
        INDArray x0 = Matrices.full(n, 2, 0);
        x0.getColumn(0).assign(1.5);
        x0.getColumn(1).assign(-3);
        SplittableRandom rng = new SplittableRandom(11);
        INDArray x = x0;
        for (int s = 1; s <= t; s++) x = DIFF.sampleStep(x, s, rng);
        GaussianStep q = DIFF.marginal(x0, t);
        for (int j = 0; j < 2; j++) {
            double[] mv = meanVar(x.getColumn(j).dup().data().asDouble());
            double m = q.mean().getDouble(0, j), v = q.variance().getDouble(0, j);
            assertEquals(m, mv[0], 4 * Math.sqrt(v / n), "mean, dim " + j);
            assertEquals(v, mv[1], 4 * v * Math.sqrt(2.0 / n), "variance, dim " + j);
        }
    }

    @Test
    @DisplayName("sampleQ draws from q(x_t|x_0): sample mean and variance within 4 standard errors")
    void sampleQMatchesMarginal() {
        int n = 20000, t = 10;
        INDArray x0 = Matrices.full(n, 1, 2.0);
        double[] mv = meanVar(DIFF.sampleQ(x0, t, new SplittableRandom(2)).data().asDouble());
        double ab = DIFF.schedule().alphaBar(t);
        assertEquals(2 * Math.sqrt(ab), mv[0], 4 * Math.sqrt((1 - ab) / n));
        assertEquals(1 - ab, mv[1], 4 * (1 - ab) * Math.sqrt(2.0 / n));
        assertEquals(x0, DIFF.sampleQ(x0, 0, new SplittableRandom(2)), "t = 0 returns x_0");
    }

    @Test
    @DisplayName("the posterior q(x_{t-1}|x_t,x_0) equals Bayes' rule computed numerically on a grid (1e-6)")
    void posteriorMatchesNumericalBayes() {
        for (int t : new int[] {2, 10, 50}) {
            double x0 = 0.7, xt = -0.4;
            double ab = DIFF.schedule().alphaBar(t - 1), b = DIFF.schedule().beta(t);
            // unnormalised log of q(x_t | x_{t-1}) q(x_{t-1} | x_0) on a fine grid
            int K = 200001;
            double lo = -8, hi = 8, h = (hi - lo) / (K - 1), z = 0, m = 0, m2 = 0, max = Double.NEGATIVE_INFINITY;
            double[] lw = new double[K];
            for (int k = 0; k < K; k++) {
                double x = lo + k * h;
                lw[k] = -Math.pow(xt - Math.sqrt(1 - b) * x, 2) / (2 * b) - Math.pow(x - Math.sqrt(ab) * x0, 2) / (2 * (1 - ab));
                max = Math.max(max, lw[k]);
            }
            for (int k = 0; k < K; k++) {
                double x = lo + k * h, w = Math.exp(lw[k] - max);
                z += w;
                m += w * x;
                m2 += w * x * x;
            }
            m /= z;
            double v = m2 / z - m * m;
            GaussianStep post = DIFF.posterior(column(x0), column(xt), t);
            assertEquals(m, post.mean().getDouble(0, 0), 1e-6, "mean at t=" + t);
            assertEquals(v, post.variance().getDouble(0, 0), 1e-6 * Math.max(v, 1e-3), "variance at t=" + t);
        }
    }

    @Test
    @DisplayName("impliedX0 inverts the posterior mean: the x_0 implied by q(x_{t-1}|x_t,x_0)'s mean is x_0 (1e-12), every t; shapes must agree")
    void impliedX0InvertsThePosteriorMean() {
        SplittableRandom rng = new SplittableRandom(5);
        INDArray x0 = Matrices.gaussian(3, 4, rng), xt = Matrices.gaussian(3, 4, rng);
        for (int t = 2; t <= DIFF.T(); t++) {
            INDArray back = DIFF.impliedX0(DIFF.posterior(x0, xt, t).mean(), xt, t);
            for (int i = 0; i < 12; i++) assertEquals(x0.getDouble(i), back.getDouble(i), 1e-12, "t = " + t);
        }
        assertRejected(() -> DIFF.impliedX0(x0, Matrices.gaussian(3, 5, rng), 2), "xt.shape", "[3, 5]");
        assertRejected(() -> DIFF.impliedX0(x0, xt, 1), "t", "1");
    }

    @Test
    @DisplayName("the per-step tables: sqrt(alphabar_t) and sqrt(1 - alphabar_t) of the schedule (t = 0..T), their squares sum to 1, the marginal reads them; the table's posterior coefficients are the closed form in (alphabar_{t-1}, beta_t)")
    void tables() {
        var s = DIFF.schedule();
        double[] m = DIFF.sqrtAlphaBars(), sd = DIFF.sqrtOneMinusAlphaBars();
        assertEquals(s.T() + 1, m.length);
        assertEquals(1, m[0], 0);
        assertEquals(0, sd[0], 0);
        for (int t = 1; t <= s.T(); t++) {
            assertEquals(Math.sqrt(s.alphaBar(t)), m[t], 0, "sqrt(alphabar_" + t + ")");
            assertEquals(Math.sqrt(1 - s.alphaBar(t)), DIFF.sqrtOneMinusAlphaBar(t), 0, "sqrt(1 - alphabar_" + t + ")");
            assertEquals(1, m[t] * m[t] + sd[t] * sd[t], 1e-15);
            GaussianStep q = DIFF.marginal(column(2.0), t);
            assertEquals(2 * m[t], q.mean().getDouble(0, 0), 1e-15);
            assertEquals(sd[t] * sd[t], q.variance().getDouble(0, 0), 1e-15);
            if (t < 2) continue;
            GaussianDiffusion.PosteriorCoefficients c = DIFF.posteriorCoefficients(t), f = GaussianDiffusion.posteriorCoefficients(s.alphaBar(t - 1), s.beta(t));
            assertEquals(f, c, "posterior coefficients at t = " + t);
            // the posterior mean is unbiased for x_t's mean: x0 + xt sqrt(alphabar_t) = sqrt(alphabar_{t-1}) (Eq. 2's Gaussian product)
            assertEquals(Math.sqrt(s.alphaBar(t - 1)), c.x0() + c.xt() * m[t], 1e-12, "E[x_{t-1} | x_0] at t = " + t);
        }
        m[1] = 7;
        assertEquals(Math.sqrt(s.alphaBar(1)), DIFF.sqrtAlphaBar(1), 0, "the table is returned as a copy");
        assertRejected(() -> DIFF.sqrtAlphaBar(s.T() + 1), "t", String.valueOf(s.T() + 1));
        assertRejected(() -> GaussianDiffusion.posteriorCoefficients(1.0, 0.1), "alphaBarPrevious", "1.0");
    }

    @Test
    @DisplayName("analytic KL between diagonal Gaussians matches E_q[log q - log p] by Monte Carlo (n = 200000, 4 SE)")
    void klMatchesMonteCarlo() {
        GaussianStep q = new GaussianStep(column(0.3), column(0.5));
        GaussianStep p = new GaussianStep(column(-0.2), column(1.7));
        double exact = GaussianDiffusion.kl(q, p).getDouble(0, 0);
        int n = 200000;
        INDArray x = Matrices.gaussian(n, 1, new SplittableRandom(4)).muli(Math.sqrt(0.5)).addi(0.3);
        GaussianStep qn = new GaussianStep(Matrices.full(n, 1, 0.3), Matrices.full(n, 1, 0.5));
        GaussianStep pn = new GaussianStep(Matrices.full(n, 1, -0.2), Matrices.full(n, 1, 1.7));
        double[] mv = meanVar(GaussianDiffusion.logDensity(x, qn).sub(GaussianDiffusion.logDensity(x, pn)).data().asDouble());
        assertEquals(exact, mv[0], 4 * Math.sqrt(mv[1] / n));
        assertEquals(0, GaussianDiffusion.kl(q, q).getDouble(0, 0), 1e-15, "KL(q || q) = 0");
    }

    @Test
    @DisplayName("the Gaussian entropy (1 + ln 2 pi)/2 + (ln v)/2 matches -E[log N(x; 0, v)] by Monte Carlo (4 SE)")
    void entropyMatchesMonteCarlo() {
        double v = 0.37;
        int n = 200000;
        INDArray x = Matrices.gaussian(n, 1, new SplittableRandom(6)).muli(Math.sqrt(v));
        GaussianStep g = new GaussianStep(Matrices.full(n, 1, 0), Matrices.full(n, 1, v));
        double[] mv = meanVar(GaussianDiffusion.logDensity(x, g).neg().data().asDouble());
        assertEquals(GaussianDiffusion.entropyPerDimension(v), mv[0], 4 * Math.sqrt(mv[1] / n));
        int T = DIFF.T();
        assertEquals(GaussianDiffusion.entropyPerDimension(1 - DIFF.schedule().alphaBar(T)), DIFF.forwardEntropyPerDimension(T), 0);
        assertEquals(0.5 * Math.log((1 - DIFF.schedule().alphaBar(T)) / DIFF.schedule().beta(1)) - DIFF.terminalEntropyPerDimension(),
                DIFF.entropyTermsPerDimension(), 1e-12, "Eq. 14's entropy terms");
    }

    @Test
    @DisplayName("a step with zero variance returns exactly its mean; the fixed first reverse step is N(x_1 sqrt(1-beta_1), beta_1)")
    void zeroVarianceAndFixedFirstStep() {
        INDArray mean = column(0.1, 0.2, 0.3);
        assertEquals(mean, GaussianDiffusion.sample(new GaussianStep(mean, Matrices.full(3, 1, 0)), new SplittableRandom(1)));
        GaussianReverseKernel dummy = (xt, t) -> new GaussianStep(xt.mul(0), xt.mul(0).addi(7));
        GaussianReverseKernel model = GaussianReverseKernel.withFixedFirstStep(DIFF, dummy);
        double b1 = DIFF.schedule().beta(1);
        GaussianStep first = model.step(column(2.0), 1);
        assertEquals(2 * Math.sqrt(1 - b1), first.mean().getDouble(0, 0), 1e-15);
        assertEquals(b1, first.variance().getDouble(0, 0), 0);
        assertEquals(7, model.step(column(2.0), 2).variance().getDouble(0, 0), 0, "t >= 2 uses the given kernel");
    }

    @Test
    @DisplayName("bad input: t out of range, mismatched shapes, NaN, wrong rank or type -> message names parameter and value")
    void badInput() {
        INDArray x = column(1, 2);
        SplittableRandom rng = new SplittableRandom(0);
        assertRejected(() -> DIFF.sampleQ(x, 51, rng), "t", "51");
        assertRejected(() -> DIFF.sampleStep(x, 0, rng), "t", "0");
        assertRejected(() -> DIFF.posterior(x, x, 1), "t", "1");
        assertRejected(() -> DIFF.posterior(x, column(1, 2, 3), 5), "xt.shape", "[3, 1]");
        assertRejected(() -> DIFF.sampleQ(column(1, Double.NaN), 3, rng), "x0[1, 0]", "NaN");
        assertRejected(() -> DIFF.sampleQ(Nd4j.create(new double[] {1, 2}, new long[] {2}, DataType.DOUBLE), 3, rng), "x0.shape", "[2]");
        assertRejected(() -> DIFF.sampleQ(x.castTo(DataType.FLOAT), 3, rng), "x0.dataType", "FLOAT");
        assertRejected(() -> GaussianDiffusion.kl(new GaussianStep(x, x), new GaussianStep(x, x.neg())), "p.variance min", "-2");
    }

    @Test
    @DisplayName("posterior-coefficient partials equal central differences: in beta_t through beta_t alone, in alphabar_{t-1} through beta_1 (dalphabar_{t-1} = -alphabar_{t-1} dbeta_1 / (1 - beta_1))")
    void posteriorPartialsMatchCentralDifferences() {
        double[] b = {0.01, 0.05, 0.1, 0.2, 0.3};
        double h = 1e-7;
        for (int t = 3; t <= 5; t++) {
            GaussianDiffusion.PosteriorPartials p = new GaussianDiffusion(Schedules.explicit(b)).posteriorPartials(t);
            double[][] dBeta = differences(b, t - 1, h, t), dBeta1 = differences(b, 0, h, t);
            double dAdBeta1 = -new GaussianDiffusion(Schedules.explicit(b)).schedule().alphaBar(t - 1) / (1 - b[0]);
            double[] byB = {p.x0dB(), p.xtdB(), p.variancedB()}, byA = {p.x0dA(), p.xtdA(), p.variancedA()};
            for (int k = 0; k < 3; k++) {
                assertEquals(dBeta[k][0], byB[k], 1e-6 * Math.abs(dBeta[k][0]) + 1e-8, "t=" + t + " d/dbeta_t of coefficient " + k);
                assertEquals(dBeta1[k][0], byA[k] * dAdBeta1, 1e-6 * Math.abs(dBeta1[k][0]) + 1e-8, "t=" + t + " d/dalphabar_{t-1} of coefficient " + k);
            }
        }
        assertRejected(() -> new GaussianDiffusion(Schedules.explicit(b)).posteriorPartials(1), "t", "1");
    }

    /** Central differences of (x0, xt, variance) of the posterior at t in beta[index]. */
    private static double[][] differences(double[] b, int index, double h, int t) {
        double[] up = b.clone(), down = b.clone();
        up[index] += h;
        down[index] -= h;
        var u = new GaussianDiffusion(Schedules.explicit(up)).posteriorCoefficients(t);
        var d = new GaussianDiffusion(Schedules.explicit(down)).posteriorCoefficients(t);
        return new double[][] {{(u.x0() - d.x0()) / (2 * h)}, {(u.xt() - d.xt()) / (2 * h)}, {(u.variance() - d.variance()) / (2 * h)}};
    }

    @Test
    @DisplayName("boundScheduleGradient with a zero loss is the gradient of the ceiling d * entropyTermsPerDimension (central differences, every beta_s)")
    void boundScheduleGradientOfTheCeiling() {
        double[] b = {0.01, 0.05, 0.1, 0.2, 0.3};
        int d = 3;
        double[] g = new GaussianDiffusion(Schedules.explicit(b)).boundScheduleGradient(new double[6], new double[6], d);
        for (int s = 0; s < b.length; s++) {
            double h = 1e-7, up[] = b.clone(), down[] = b.clone();
            up[s] += h;
            down[s] -= h;
            double fd = d * (new GaussianDiffusion(Schedules.explicit(up)).entropyTermsPerDimension()
                    - new GaussianDiffusion(Schedules.explicit(down)).entropyTermsPerDimension()) / (2 * h);
            assertEquals(fd, g[s], 1e-6 * Math.abs(fd) + 1e-7, "dK/dbeta_" + (s + 1));
        }
        assertRejected(() -> new GaussianDiffusion(Schedules.explicit(b)).boundScheduleGradient(new double[5], new double[6], d), "dLossdAlphaBar.length", "5");
    }
}
