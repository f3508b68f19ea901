package org.dpm4j.diffusion;

import static org.dpm4j.testing.BadInput.assertRejected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The one home of the Gaussian KL against its closed forms, Monte Carlo and central differences. */
class GaussianKLTest {
    /** (m_q, v_q, m_p, v_p) cases: unit-scale, wide, narrow, far apart, q wider than p. */
    static final double[][] CASES = {{0.3, 0.5, -0.2, 1.7}, {2.0, 4.0, 1.0, 0.5}, {-1.0, 1e-3, -1.01, 2e-3}, {5.0, 1.0, -5.0, 1.0}, {0.0, 3.0, 0.1, 0.2}};

    @Test
    @DisplayName("special cases in closed form: KL(q || q) = 0; equal variances give (m_q - m_p)^2 / (2 v); equal means give (r - 1 - log r)/2, r = v_q / v_p")
    void closedForms() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int k = 0; k < 20; k++) {
            double m = 3 * rng.nextGaussian(), v = Math.exp(rng.nextGaussian()), m2 = 3 * rng.nextGaussian(), v2 = Math.exp(rng.nextGaussian());
            assertEquals(0, GaussianKL.nats(m, v, m, v), 1e-15, "KL(q || q)");
            assertEquals((m - m2) * (m - m2) / (2 * v), GaussianKL.nats(m, v, m2, v), 1e-12 * (1 + (m - m2) * (m - m2) / v), "equal variances");
            double r = v / v2;
            assertEquals(0.5 * (r - 1 - Math.log(r)), GaussianKL.nats(m, v, m, v2), 1e-12 * (1 + r), "equal means");
        }
    }

    @Test
    @DisplayName("KL equals E_q[log q(x) - log p(x)] by Monte Carlo (n = 200000 draws from q, within 4 standard errors)")
    void matchesMonteCarlo() {
        SplittableRandom rng = new SplittableRandom(2);
        int n = 200_000;
        for (double[] c : CASES) {
            double mq = c[0], vq = c[1], mp = c[2], vp = c[3], sum = 0, sum2 = 0;
            for (int i = 0; i < n; i++) {
                double x = mq + Math.sqrt(vq) * rng.nextGaussian();
                double v = logNormal(x, mq, vq) - logNormal(x, mp, vp);
                sum += v;
                sum2 += v * v;
            }
            double mean = sum / n, se = Math.sqrt((sum2 / n - mean * mean) / n);
            assertEquals(GaussianKL.nats(mq, vq, mp, vp), mean, 4 * se, "case " + java.util.Arrays.toString(c));
        }
    }

    private static double logNormal(double x, double m, double v) {
        return -0.5 * Math.log(2 * Math.PI * v) - (x - m) * (x - m) / (2 * v);
    }

    @Test
    @DisplayName("partials in m_p, log v_p, v_p, m_q, v_q equal central differences (relative step 1e-6, tolerance 1e-6 relative + 1e-8), and the value equals the plain form")
    void partialsMatchCentralDifferences() {
        double[] g = new double[GaussianKL.PARTIALS];
        for (double[] c : CASES) {
            double mq = c[0], vq = c[1], mp = c[2], vp = c[3];
            assertEquals(GaussianKL.nats(mq, vq, mp, vp), GaussianKL.nats(mq, vq, mp, vp, g), 0, "the same value with partials");
            double h = 1e-6;
            check(g[GaussianKL.D_MEAN_P], (GaussianKL.nats(mq, vq, mp + h, vp) - GaussianKL.nats(mq, vq, mp - h, vp)) / (2 * h), "dKL/dm_p");
            check(g[GaussianKL.D_MEAN_Q], (GaussianKL.nats(mq + h, vq, mp, vp) - GaussianKL.nats(mq - h, vq, mp, vp)) / (2 * h), "dKL/dm_q");
            double hv = h * vp, hq = h * vq;
            check(g[GaussianKL.D_VARIANCE_P], (GaussianKL.nats(mq, vq, mp, vp + hv) - GaussianKL.nats(mq, vq, mp, vp - hv)) / (2 * hv), "dKL/dv_p");
            check(g[GaussianKL.D_VARIANCE_Q], (GaussianKL.nats(mq, vq + hq, mp, vp) - GaussianKL.nats(mq, vq - hq, mp, vp)) / (2 * hq), "dKL/dv_q");
            check(g[GaussianKL.D_LOG_VARIANCE_P], (GaussianKL.nats(mq, vq, mp, vp * Math.exp(h)) - GaussianKL.nats(mq, vq, mp, vp * Math.exp(-h))) / (2 * h), "dKL/dlog v_p");
        }
    }

    private static void check(double analytic, double numeric, String what) {
        assertEquals(numeric, analytic, 1e-6 * Math.abs(numeric) + 1e-8, what);
    }

    @Test
    @DisplayName("the array form is the scalar form elementwise; mismatched lengths are refused naming the array")
    void arrays() {
        double[] mq = new double[CASES.length], vq = mq.clone(), mp = mq.clone(), vp = mq.clone(), expected = mq.clone();
        for (int i = 0; i < CASES.length; i++) {
            mq[i] = CASES[i][0];
            vq[i] = CASES[i][1];
            mp[i] = CASES[i][2];
            vp[i] = CASES[i][3];
            expected[i] = GaussianKL.nats(mq[i], vq[i], mp[i], vp[i]);
        }
        assertArrayEquals(expected, GaussianKL.nats(mq, vq, mp, vp), 0);
        assertRejected(() -> GaussianKL.nats(mq, vq, new double[2], vp), "meanP.length", "2");
    }
}
