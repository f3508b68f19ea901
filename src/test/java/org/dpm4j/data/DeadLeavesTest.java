package org.dpm4j.data;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DeadLeavesTest {

    @Test
    @DisplayName("radii follow p(r) ~ r^-3 on [rMin, rMax]: Kolmogorov-Smirnov distance below the 1% critical value (20k draws)")
    void radiusLaw() {
        DeadLeaves m = new DeadLeaves(32, 1, 32, true);
        SplittableRandom rng = new SplittableRandom(11);
        int n = 20_000;
        double[] r = new double[n];
        for (int i = 0; i < n; i++) r[i] = m.sampleRadius(rng);
        Arrays.sort(r);
        assertTrue(r[0] >= 1 && r[n - 1] <= 32);
        double ks = 0;
        for (int i = 0; i < n; i++) {
            double f = m.radiusCdf(r[i]);
            ks = Math.max(ks, Math.max(Math.abs(f - (double) i / n), Math.abs(f - (double) (i + 1) / n)));
        }
        assertTrue(ks < 1.63 / Math.sqrt(n), "KS distance " + ks);
        // the law's median: F(r) = 1/2 at r = (rMin^-2 - (rMin^-2 - rMax^-2)/2)^-1/2
        assertEquals(1 / Math.sqrt(1 - (1 - 1.0 / 1024) / 2), r[n / 2], 0.02);
    }

    @Test
    @DisplayName("constant radius R: P(two points d apart lie in the same leaf) = lens/union area (Monte Carlo, 400 images, 0.03)")
    void sameLeafProbability() {
        double radius = 4, d = 3;
        DeadLeaves m = new DeadLeaves(24, radius, radius, false);
        SplittableRandom rng = new SplittableRandom(5);
        long same = 0, pairs = 0;
        for (int k = 0; k < 400; k++) {
            double[] img = m.image(rng);
            for (int y = 0; y < 24; y++)
                for (int x = 0; x + 3 < 24; x++) {
                    if (img[y * 24 + x] == img[y * 24 + x + 3]) same++; // continuous grey levels: equal means same disc
                    pairs++;
                }
        }
        double lens = 2 * radius * radius * Math.acos(d / (2 * radius)) - (d / 2) * Math.sqrt(4 * radius * radius - d * d);
        double expected = lens / (2 * Math.PI * radius * radius - lens);
        assertEquals(expected, (double) same / pairs, 0.03);
    }

    @Test
    @DisplayName("every pixel is covered with an 8-bit level in [0, 1], and the same seed gives the same image")
    void coveredQuantisedSeeded() {
        DeadLeaves m = DeadLeaves.DEFAULT;
        double[] a = m.image(new SplittableRandom(3)), b = m.image(new SplittableRandom(3)), c = m.image(new SplittableRandom(4));
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
        assertEquals(32 * 32, a.length);
        for (double v : a) {
            assertTrue(v >= 0 && v <= 1);
            assertEquals(Math.rint(v * 255), v * 255, 1e-9);
        }
        assertTrue(Arrays.stream(a).distinct().count() > 3, "an image shows several leaves");
    }

    @Test
    @DisplayName("grey levels are uniform: mean 1/2 and variance ~ 1/12 over many images (0.02)")
    void greyLevelsUniform() {
        DataSet ds = DeadLeaves.DEFAULT.dataSet(200, 10, new SplittableRandom(9));
        assertEquals(0.5, ds.scaling().mean(), 0.02);
        assertEquals(Math.sqrt((256.0 * 256 - 1) / 12) / 255, ds.scaling().std(), 0.02);
        assertEquals(0, Scaling.meanAndStd(ds.train())[0], 1e-9);
        assertTrue(ds.description().contains("r^-3"));
        assertFalse(ds.standIn());
    }

    @Test
    @DisplayName("bad configurations are refused naming the parameter")
    void badConfig() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new DeadLeaves(32, 4, 2, true)).getMessage().startsWith("rMax = 2.0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new DeadLeaves(0, 1, 2, true)).getMessage().startsWith("size = 0"));
    }
}
