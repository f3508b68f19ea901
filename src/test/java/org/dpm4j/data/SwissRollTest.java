package org.dpm4j.data;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class SwissRollTest {
    private final SwissRoll roll = SwissRoll.get();

    @Test
    @DisplayName("samples have zero mean and unit variance per coordinate (n = 20000, within 4 standard errors)")
    void unitVariance() {
        INDArray x = roll.sample(20_000, new SplittableRandom(7));
        assertArrayEquals(new long[] {20_000, 2}, x.shape());
        double se = 1 / Math.sqrt(20_000);
        for (int j = 0; j < 2; j++) {
            double[] c = x.getColumn(j).toDoubleVector();
            double mean = 0, var = 0;
            for (double v : c) mean += v / c.length;
            for (double v : c) var += (v - mean) * (v - mean) / (c.length - 1);
            assertEquals(0, mean, 4 * se, "mean of coordinate " + j);
            // var of x^2 for this bimodal-ish marginal is below 2, so 4 * sqrt(2) * se bounds 4 standard errors
            assertEquals(1, var, 4 * Math.sqrt(2) * se, "variance of coordinate " + j);
        }
    }

    @Test
    @DisplayName("speed(s) equals |dc/ds| by central finite differences")
    void speedIsTangentNorm() {
        for (double s = SwissRoll.S_MIN + 0.1; s < SwissRoll.S_MAX; s += 0.7) {
            double h = 1e-6;
            double[] p = roll.point(s + h), m = roll.point(s - h);
            double fd = Math.hypot(p[0] - m[0], p[1] - m[1]) / (2 * h);
            assertEquals(fd, roll.speed(s), 1e-6 * fd, "at s = " + s);
        }
    }

    @Test
    @DisplayName("the same seed gives the same sample, a different seed a different one")
    void seeded() {
        assertEquals(roll.sample(50, new SplittableRandom(3)), roll.sample(50, new SplittableRandom(3)));
        assertNotEquals(roll.sample(50, new SplittableRandom(3)), roll.sample(50, new SplittableRandom(4)));
    }

    @Test
    @DisplayName("every sample lies on the scaled curve (inverting the scaling gives r = s with s in [1.5 pi, 4.5 pi])")
    void onTheCurve() {
        double[] k = roll.scaling();
        for (double[] p : roll.sample(200, new SplittableRandom(11)).toDoubleMatrix()) {
            double x = p[0] * k[2] + k[0], y = p[1] * k[3] + k[1];
            double r = Math.hypot(x, y);
            assertTrue(r >= SwissRoll.S_MIN - 1e-9 && r <= SwissRoll.S_MAX + 1e-9, "radius " + r);
            double[] q = roll.point(r);
            assertEquals(p[0], q[0], 1e-9);
            assertEquals(p[1], q[1], 1e-9);
        }
    }
}
