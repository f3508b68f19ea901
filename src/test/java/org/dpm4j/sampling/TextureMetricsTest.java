package org.dpm4j.sampling;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TextureMetricsTest {
    @Test
    @DisplayName("power spectrum of a pure cosine: all power in its radius bin, total A^2 N^2 / 2 (the two peaks of A N^2 / 2 each, squared over N^2); a constant added changes nothing")
    void cosine() {
        int n = 32, k0 = 5;
        double amp = 1.7;
        double[] v = new double[n * n];
        for (int y = 0; y < n; y++) for (int x = 0; x < n; x++) v[y * n + x] = 3 + amp * Math.cos(2 * Math.PI * k0 * x / n + 0.4);
        var s = TextureMetrics.radialPowerSpectrum(v, n, n);
        assertEquals(n / 2, s.power().length);
        for (int r = 1; r <= n / 2; r++) {
            if (r == k0) assertEquals(amp * amp * n * n / 2, s.power()[r - 1] * s.count()[r - 1], 1e-8);
            else assertEquals(0, s.power()[r - 1], 1e-9, "bin " + r);
        }
        // bin 1 holds (0, +-1), (+-1, 0) and the four diagonals at radius sqrt 2
        assertEquals(8, s.count()[0]);
    }

    @Test
    @DisplayName("power spectrum of white noise of variance s^2: every bin's expectation is s^2 (Monte Carlo over 200 images, within 4 standard errors)")
    void whiteNoise() {
        int h = 16, w = 24, images = 200;
        double sd = 0.7;
        SplittableRandom rng = new SplittableRandom(3);
        double[][] x = new double[images][h * w];
        for (double[] im : x) for (int i = 0; i < im.length; i++) im[i] = sd * rng.nextGaussian();
        var s = TextureMetrics.meanSpectrum(x, h, w);
        assertEquals(h / 2, s.power().length);
        for (int r = 0; r < s.power().length; r++) {
            // each periodogram value is s^2 times an exponential(1) (chi^2_2 / 2); about count / 2 independent ones per bin
            double se = sd * sd / Math.sqrt(images * Math.max(1, s.count()[r] / 2.0));
            assertEquals(sd * sd, s.power()[r], 4 * se, "bin " + (r + 1));
        }
        assertEquals(0, TextureMetrics.logSpectrumDistance(s, s), 0);
        var scaled = new TextureMetrics.Spectrum(s.radius(), java.util.Arrays.stream(s.power()).map(p -> 10 * p).toArray(), s.count());
        assertEquals(1, TextureMetrics.logSpectrumDistance(scaled, s), 1e-12);
    }

    @Test
    @DisplayName("histograms: fractions sum to 1, values outside go to the end bins; total variation 0 for identical, 1 for disjoint")
    void histograms() {
        double[] a = {0.05, 0.15, 0.15, 0.95, -3, 7};
        double[] h = TextureMetrics.histogram(a, 0, 1, 10);
        assertArrayEquals(new double[] {2 / 6.0, 2 / 6.0, 0, 0, 0, 0, 0, 0, 0, 2 / 6.0}, h, 1e-12);
        assertEquals(0, TextureMetrics.totalVariation(h, h), 0);
        assertEquals(1, TextureMetrics.totalVariation(TextureMetrics.histogram(new double[] {0.1}, 0, 1, 4),
                TextureMetrics.histogram(new double[] {0.9}, 0, 1, 4)), 1e-12);
    }

    @Test
    @DisplayName("Wasserstein-1: 0 for the same values in another order, c for a shift by c, 1/2 between {0, 1} and {0}")
    void wasserstein() {
        SplittableRandom rng = new SplittableRandom(1);
        double[] a = new double[300];
        for (int i = 0; i < a.length; i++) a[i] = rng.nextDouble();
        double[] reversed = new double[a.length];
        for (int i = 0; i < a.length; i++) reversed[i] = a[a.length - 1 - i];
        assertEquals(0, TextureMetrics.wasserstein1(a, reversed), 0);
        double[] shifted = java.util.Arrays.stream(a).map(v -> v + 0.25).toArray();
        assertEquals(0.25, TextureMetrics.wasserstein1(a, shifted), 1e-12);
        assertEquals(0.5, TextureMetrics.wasserstein1(new double[] {0, 1}, new double[] {0}), 1e-12);
    }

    @Test
    @DisplayName("bad input is refused naming the parameter")
    void refusals() {
        org.dpm4j.testing.BadInput.assertRejected(() -> TextureMetrics.radialPowerSpectrum(new double[5], 2, 3), "image length", "5");
        org.dpm4j.testing.BadInput.assertRejected(() -> TextureMetrics.histogram(new double[] {1}, 1, 0, 4), "hi", "0.0");
        org.dpm4j.testing.BadInput.assertRejected(() -> TextureMetrics.wasserstein1(new double[0], new double[] {1}), "a", "[]");
    }
}
