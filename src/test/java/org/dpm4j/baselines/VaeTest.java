package org.dpm4j.baselines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.dpm4j.nn.Activation;
import org.dpm4j.nn.Params;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The VAE against its oracles: the hand-derived gradient of -ELBO against central differences (float parameters, so
 * h = 1e-2 and a tolerance of 3e-3 + 2% as the networks' own gradient test), and a linear-Gaussian VAE whose marginal
 * p(x) = N(b, W W^T + sigma^2 I) is known in closed form (computed here by a Cholesky factorisation of its own).
 */
class VaeTest {
    static final int D = 3, L = 2;
    // Orthogonal decoder columns, so the exact posterior N(S W^T (x - b) / sigma^2, S), S = (I + W^T W / sigma^2)^-1,
    // is diagonal and the encoder family contains it.
    static final double[][] W = {{0.8, 0.5}, {0.8, -0.5}, {0, 1.0}};
    static final double[] B = {0.3, -0.2, 0.1};
    static final double SIGMA2 = 0.3;

    @Test
    @DisplayName("gradient of -ELBO (Bernoulli and Gaussian decoders, reparameterised, closed-form KL) = central differences")
    void gradientMatchesCentralDifferences() {
        for (Vae.Decoder kind : Vae.Decoder.values()) {
            SplittableRandom rng = new SplittableRandom(5);
            Vae vae = new Vae(D, L, new int[] {5}, Activation.TANH, kind, 0.05, "bits", 1, rng);
            float[] p = vae.parameterValues();
            for (int i = 0; i < p.length; i++) p[i] = (float) (0.5 * rng.nextGaussian());   // off the zero output layers
            int n = 6;
            double[] x = new double[n * D], eps = new double[n * L];
            for (int i = 0; i < x.length; i++) x[i] = kind == Vae.Decoder.BERNOULLI ? rng.nextInt(2) : rng.nextGaussian();
            for (int i = 0; i < eps.length; i++) eps[i] = rng.nextGaussian();
            vae.zeroGradients();
            vae.loss(x, eps, true);
            float[] g = vae.parameterGradients().clone();
            double h = 1e-2;
            for (int i = 0; i < p.length; i++) {
                float old = p[i];
                p[i] = (float) (old + h);
                double up = vae.loss(x, eps, false);
                p[i] = (float) (old - h);
                double down = vae.loss(x, eps, false);
                p[i] = old;
                double fd = (up - down) / (2 * h);
                assertEquals(fd, g[i], 3e-3 + 2e-2 * Math.abs(fd), kind + " parameter " + i + " of " + p.length);
            }
        }
    }

    @Test
    @DisplayName("linear-Gaussian VAE with the exact posterior: every importance weight is p(x), so ELBO = IW = log p(x) exactly")
    void exactPosteriorGivesExactLikelihood() {
        Vae vae = linearGaussian(0, 0);
        double[] x = data(50, 3);
        double[] exact = exactLogLikelihood(x);
        LogLikelihood elbo = vae.elbo(x, 9), iw = vae.importanceWeighted(x, 20, 9);
        for (int i = 0; i < exact.length; i++) {
            assertEquals(exact[i], elbo.perExampleNats()[i], 1e-4, "ELBO of example " + i);
            assertEquals(exact[i], iw.perExampleNats()[i], 1e-4, "IW estimate of example " + i);
        }
        assertEquals(0, iw.monteCarloErrorNats(), 1e-4, "no importance-sampling noise when q is the posterior");
    }

    @Test
    @DisplayName("linear-Gaussian VAE, imperfect encoder: ELBO < log p(x), and the IW estimate rises to log p(x) as k grows")
    void importanceWeightedApproachesExactLikelihood() {
        Vae vae = linearGaussian(0.4, 0.8);   // encoder means off by 40% and log-variances by 0.8: a real gap
        double[] x = data(200, 4);
        double exact = mean(exactLogLikelihood(x));
        LogLikelihood elbo = vae.elbo(x, 1);
        double previousGap = Double.POSITIVE_INFINITY;
        for (int k : new int[] {1, 10, 100, 2000}) {
            LogLikelihood iw = vae.importanceWeighted(x, k, 17 + k);
            double gap = exact - iw.meanNats();
            // In expectation log p(x) - IW_k >= 0 and falls with k; the estimates are paired with exact on the same
            // examples, so only the importance sampling's error (mc) is noise here.
            // (k = 1 has no within-example error: its noise is in the spread over examples)
            double noise = k == 1 ? iw.standardErrorNats() : iw.monteCarloErrorNats();
            assertTrue(gap > -4 * noise, "IW_" + k + " above log p(x) by " + (-gap) + " nats (s.e. " + noise + ")");
            assertTrue(gap < previousGap, "gap at k = " + k + " is " + gap + ", not below " + previousGap);
            previousGap = gap;
        }
        assertTrue(exact - elbo.meanNats() > 0.05, "the ELBO's gap should be clearly positive, was " + (exact - elbo.meanNats()));
        assertTrue(previousGap < 0.02 && previousGap < 0.1 * (exact - elbo.meanNats()),
                "IW_2000 should be within 0.02 nats and a tenth of the ELBO's gap, gap " + previousGap);
    }

    /**
     * The VAE with decoder p(x | z) = N(W z + b, sigma^2 I) and encoder q(z | x) = the exact posterior with its mean
     * map scaled by (1 + meanError) and its log-variances shifted by logVarianceError.
     */
    static Vae linearGaussian(double meanError, double logVarianceError) {
        Vae vae = new Vae(D, L, new int[0], Activation.TANH, Vae.Decoder.GAUSSIAN, 0, "nats", 1, new SplittableRandom(1));
        Params ps = vae.params();
        float[] p = ps.values();
        java.util.Arrays.fill(p, 0f);   // every weight not set below (the log-variances' dependence on x or z) is 0
        Params.Slot encW = slot(ps, "encoder.out.W"), encB = slot(ps, "encoder.out.b"), decW = slot(ps, "decoder.out.W"), decB = slot(ps, "decoder.out.b");
        // decoder: rows 0..D-1 the mean W z + b, rows D..2D-1 the log-variance log sigma^2 (W stored [out, in])
        for (int i = 0; i < D; i++) {
            for (int j = 0; j < L; j++) p[decW.offset + i * L + j] = (float) W[i][j];
            p[decB.offset + i] = (float) B[i];
            p[decB.offset + D + i] = (float) Math.log(SIGMA2);
        }
        // encoder: S_jj = 1 / (1 + |w_j|^2 / sigma^2); mean_j = S_jj w_j^T (x - b) / sigma^2
        for (int j = 0; j < L; j++) {
            double norm2 = 0;
            for (int i = 0; i < D; i++) norm2 += W[i][j] * W[i][j];
            double s = 1 / (1 + norm2 / SIGMA2), bias = 0;
            for (int i = 0; i < D; i++) {
                double a = (1 + meanError) * s * W[i][j] / SIGMA2;
                p[encW.offset + j * D + i] = (float) a;
                bias -= a * B[i];
            }
            p[encB.offset + j] = (float) bias;
            p[encB.offset + L + j] = (float) (Math.log(s) + logVarianceError);
        }
        return vae;
    }

    static Params.Slot slot(Params ps, String name) {
        return ps.slots().stream().filter(s -> s.name.equals(name)).findFirst().orElseThrow();
    }

    /** Draws from the model's own marginal (z ~ N(0, I), x ~ N(W z + b, sigma^2 I)). */
    static double[] data(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[n * D];
        for (int k = 0; k < n; k++) {
            double[] z = {rng.nextGaussian(), rng.nextGaussian()};
            for (int i = 0; i < D; i++) x[k * D + i] = B[i] + W[i][0] * z[0] + W[i][1] * z[1] + Math.sqrt(SIGMA2) * rng.nextGaussian();
        }
        return x;
    }

    /** log N(x; b, W W^T + sigma^2 I) per example, nats, by Cholesky. */
    static double[] exactLogLikelihood(double[] x) {
        double[][] c = new double[D][D];
        for (int i = 0; i < D; i++) {
            for (int k = 0; k < D; k++) {
                for (int j = 0; j < L; j++) c[i][k] += W[i][j] * W[k][j];
                if (i == k) c[i][k] += SIGMA2;
            }
        }
        double[][] chol = new double[D][D];
        for (int i = 0; i < D; i++) {
            for (int k = 0; k <= i; k++) {
                double s = c[i][k];
                for (int j = 0; j < k; j++) s -= chol[i][j] * chol[k][j];
                chol[i][k] = i == k ? Math.sqrt(s) : s / chol[k][k];
            }
        }
        double logDet = 0;
        for (int i = 0; i < D; i++) logDet += 2 * Math.log(chol[i][i]);
        int n = x.length / D;
        double[] out = new double[n];
        for (int e = 0; e < n; e++) {
            double[] y = new double[D];
            double q = 0;
            for (int i = 0; i < D; i++) {
                double s = x[e * D + i] - B[i];
                for (int j = 0; j < i; j++) s -= chol[i][j] * y[j];
                y[i] = s / chol[i][i];
                q += y[i] * y[i];
            }
            out[e] = -0.5 * (D * Math.log(2 * Math.PI) + logDet + q);
        }
        return out;
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }
}
