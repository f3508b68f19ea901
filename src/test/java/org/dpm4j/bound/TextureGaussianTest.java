package org.dpm4j.bound;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.SplittableRandom;

import org.dpm4j.data.ImageShape;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TextureGaussianTest {
    @Test
    @DisplayName("a 2 x 2 image by hand: mu = 2.5, k(0,0) = 1.25, k(0,1) = 0.375, k(1,0) = -0.375, k(1,1) = -0.5625, k(1,-1) = -0.0625 (plus the ridge 0.5 at k(0,0)), symmetric")
    void byHand() {
        var g = TextureGaussian.fit(List.<double[][]>of(new double[][] {{1, 2}, {3, 4}}), ImageShape.grey(2, 2), 0.5);
        assertEquals(2.5, g.mean(), 1e-15);
        assertEquals(1.25 + 0.5, g.autocovariance(0, 0), 1e-15);
        assertEquals(0.375, g.autocovariance(0, 1), 1e-15);
        assertEquals(0.375, g.autocovariance(0, -1), 1e-15);
        assertEquals(-0.375, g.autocovariance(1, 0), 1e-15);
        assertEquals(-0.5625, g.autocovariance(1, 1), 1e-15);
        assertEquals(-0.0625, g.autocovariance(1, -1), 1e-15);
        assertEquals(-0.0625, g.autocovariance(-1, 1), 1e-15);
        assertEquals(1.25 + 0.5, g.covarianceMatrix()[0][0], 1e-15);
    }

    @Test
    @DisplayName("positive definite where the crop-averaged fit is not (a periodic texture, 24 x 24 from a 40 x 64 image), and white noise gives k(0,0) = its variance, k elsewhere ~ 0 (within 5 s.e.)")
    void positiveDefinite() {
        SplittableRandom rng = new SplittableRandom(2);
        int h = 40, w = 64;
        double[][] stripes = new double[h][w], noise = new double[200][200];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) stripes[y][x] = Math.sin(0.9 * x + 0.3 * y) + 0.05 * rng.nextGaussian();
        var g = TextureGaussian.fit(List.<double[][]>of(stripes), ImageShape.grey(24, 24), 0);   // the constructor's Cholesky succeeds
        assertTrue(Double.isFinite(g.logDetSigma()));
        for (double[] row : noise) for (int x = 0; x < row.length; x++) row[x] = 3 * rng.nextGaussian();
        var n = TextureGaussian.fit(List.<double[][]>of(noise), ImageShape.grey(5, 5), 0);
        double se = 9 / Math.sqrt(200 * 200);
        assertEquals(9, n.autocovariance(0, 0), 5 * 9 * Math.sqrt(2.0 / (200 * 200)));
        assertEquals(0, n.autocovariance(1, 2), 5 * se);
        assertEquals(0, n.autocovariance(4, -3), 5 * se);
    }

    @Test
    @DisplayName("bad input is refused naming the parameter")
    void refusals() {
        org.dpm4j.testing.BadInput.assertRejected(() -> TextureGaussian.fit(List.<double[][]>of(new double[3][3]), ImageShape.grey(4, 4), 0), "images[0] size", "3 x 3");
        org.dpm4j.testing.BadInput.assertRejected(() -> TextureGaussian.fit(List.<double[][]>of(), ImageShape.grey(4, 4), 0), "images", "[]");
    }
}
