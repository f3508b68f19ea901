package org.dpm4j.baselines;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The Gaussian baseline against closed forms: N(0, I) at the origin, and a fitted Gaussian's mean log density = -entropy. */
class FullCovarianceGaussianTest {
    @Test
    @DisplayName("log N(0; 0, I_2) = -log 2 pi")
    void standardAtOrigin() {
        assertEquals(-Math.log(2 * Math.PI), FullCovarianceGaussian.standard(2).logDensityNats(new double[] {0, 0})[0], 1e-12);
    }

    @Test
    @DisplayName("fitted to draws of N(m, S), its mean log density on fresh draws = -(d/2)(1 + log 2 pi) - log det S / 2 (within 4 s.e.)")
    void fittedMatchesNegativeEntropy() {
        double a = 1.5, b = 0.6, c = 0.4;   // x = (a u, b u + c v): S = [[a^2, a b], [a b, b^2 + c^2]], det S = a^2 c^2
        SplittableRandom rng = new SplittableRandom(2);
        double[] train = draws(50_000, rng, a, b, c), test = draws(50_000, rng, a, b, c);
        FullCovarianceGaussian g = FullCovarianceGaussian.fit(train, 2);
        double[] bits = g.meanBits(test);
        double expected = (-(1 + Math.log(2 * Math.PI)) - 0.5 * Math.log(a * a * c * c)) / Math.log(2);
        assertEquals(expected, bits[0], 4 * bits[1] + 1e-3);
    }

    private static double[] draws(int n, SplittableRandom rng, double a, double b, double c) {
        double[] x = new double[2 * n];
        for (int i = 0; i < n; i++) {
            double u = rng.nextGaussian(), v = rng.nextGaussian();
            x[2 * i] = 1 + a * u;
            x[2 * i + 1] = -2 + b * u + c * v;
        }
        return x;
    }
}
