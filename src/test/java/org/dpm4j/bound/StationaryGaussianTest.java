package org.dpm4j.bound;

import static org.dpm4j.testing.BadInput.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.dpm4j.data.ImageShape;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The stationary Gaussian against closed forms: a separable AR(1) field, whose covariance rho^|dr| rho^|dc| is the
 * Kronecker product of two AR(1) correlation matrices (det R_n = (1 - rho^2)^(n - 1)); a brute-force pooled
 * autocovariance; the bivariate normal; and the full-covariance fit on the same stationary data.
 */
class StationaryGaussianTest {
    private static final int H = 6, W = 5;
    private static final ImageShape SHAPE = ImageShape.grey(H, W);
    private static final double RHO = 0.7, MU = 0.4;

    /**
     * n images of the stationary separable AR(1) field with mean MU: each row an AR(1) chain started in its stationary
     * law, then the same filter down each column; covariance rho^|dr| rho^|dc|, unit variance.
     */
    static INDArray ar1Field(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double s = Math.sqrt(1 - RHO * RHO);
        double[][] x = new double[n][H * W];
        for (int i = 0; i < n; i++) {
            double[][] z = new double[H][W];
            for (int r = 0; r < H; r++)
                for (int c = 0; c < W; c++) z[r][c] = c == 0 ? rng.nextGaussian() : RHO * z[r][c - 1] + s * rng.nextGaussian();
            for (int c = 0; c < W; c++)
                for (int r = 1; r < H; r++) z[r][c] = RHO * z[r - 1][c] + s * z[r][c];
            for (int r = 0; r < H; r++) for (int c = 0; c < W; c++) x[i][r * W + c] = MU + z[r][c];
        }
        return Nd4j.createFromArray(x);
    }

    static double[][] ar1Autocovariance() {
        double[][] k = new double[2 * H - 1][2 * W - 1];
        for (int dr = -(H - 1); dr < H; dr++)
            for (int dc = -(W - 1); dc < W; dc++) k[dr + H - 1][dc + W - 1] = Math.pow(RHO, Math.abs(dr) + Math.abs(dc));
        return k;
    }

    /** E log N(x; mu, Sigma) under x ~ N(mu, Sigma): -(d log 2 pi + log det Sigma + d) / 2, nats per image. */
    static double ar1ExpectedLogLikelihood() {
        int d = H * W;
        double logDet = (W * (H - 1) + H * (W - 1)) * Math.log(1 - RHO * RHO);
        return -0.5 * (d * Math.log(2 * Math.PI) + logDet + d);
    }

    @Test
    @DisplayName("the known AR(1) field: covariance is the Kronecker product, log det is W(H-1) + H(W-1) times log(1 - rho^2)")
    void knownFieldClosedForm() {
        StationaryGaussian g = StationaryGaussian.of(SHAPE, MU, ar1Autocovariance());
        double[][] s = g.covarianceMatrix();
        for (int p = 0; p < H * W; p++)
            for (int q = 0; q < H * W; q++)
                assertEquals(Math.pow(RHO, Math.abs(p / W - q / W)) * Math.pow(RHO, Math.abs(p % W - q % W)), s[p][q], 1e-15);
        assertEquals((W * (H - 1) + H * (W - 1)) * Math.log(1 - RHO * RHO), g.logDetSigma(), 1e-10);
    }

    @Test
    @DisplayName("a 1 x 2 image is the bivariate normal: log density by its closed form (1e-12)")
    void bivariateNormal() {
        double k0 = 2.0, k1 = 0.8, mu = -0.3, a = 0.3, b = -1.1;
        StationaryGaussian g = StationaryGaussian.of(ImageShape.grey(1, 2), mu, new double[][] {{k1, k0, k1}});
        double det = k0 * k0 - k1 * k1, u = a - mu, v = b - mu;
        double expected = -Math.log(2 * Math.PI) - 0.5 * Math.log(det) - 0.5 * (k0 * u * u - 2 * k1 * u * v + k0 * v * v) / det;
        assertEquals(expected, g.logDensityNats(Nd4j.createFromArray(new double[][] {{a, b}}))[0], 1e-12);
    }

    @Test
    @DisplayName("the fit is the pooled autocovariance: brute force over images and pixel pairs at each offset (1e-12)")
    void fitIsThePooledAutocovariance() {
        int h = 3, w = 4, n = 7;
        SplittableRandom rng = new SplittableRandom(2);
        double[][] x = new double[n][h * w];
        double mu = 0;
        for (double[] row : x) for (int j = 0; j < row.length; j++) mu += (row[j] = rng.nextGaussian() * 2 + 1) / (n * h * w);
        StationaryGaussian g = StationaryGaussian.fit(Nd4j.createFromArray(x), ImageShape.grey(h, w), 0.1);
        assertEquals(mu, g.mean(), 1e-12);
        for (int dr = -(h - 1); dr < h; dr++)
            for (int dc = -(w - 1); dc < w; dc++) {
                double sum = 0;
                int pairs = 0;
                for (double[] img : x)
                    for (int r = 0; r < h; r++)
                        for (int c = 0; c < w; c++) {
                            int r2 = r + dr, c2 = c + dc;
                            if (r2 < 0 || r2 >= h || c2 < 0 || c2 >= w) continue;
                            sum += (img[r * w + c] - mu) * (img[r2 * w + c2] - mu);
                            pairs++;
                        }
                assertEquals(sum / pairs, g.autocovariance(dr, dc), 1e-12, "k(" + dr + ", " + dc + ")");
            }
        assertEquals(g.autocovariance(0, 0) + 0.1, g.covarianceMatrix()[5][5], 1e-12);
    }

    @Test
    @DisplayName("fitted on 4000 AR(1) fields: k within 0.03 of rho^(|dr|+|dc|); held-out mean log-likelihood within 4 s.e. + 0.02 of the closed form")
    void fitRecoversTheKnownField() {
        StationaryGaussian g = StationaryGaussian.fit(ar1Field(4000, 3), SHAPE, 0);
        assertEquals(MU, g.mean(), 0.05);
        for (int dr = 0; dr <= 2; dr++)
            for (int dc = -2; dc <= 2; dc++) assertEquals(Math.pow(RHO, Math.abs(dr) + Math.abs(dc)), g.autocovariance(dr, dc), 0.03);
        HeldOutLikelihood ll = g.evaluate(ar1Field(4000, 4));
        double expected = ar1ExpectedLogLikelihood();
        assertEquals(expected, ll.meanNats(), 4 * ll.standardErrorNats() + 0.02,
                "held-out " + ll.meanNats() + " +- " + ll.standardErrorNats() + " vs closed form " + expected);
    }

    @Test
    @DisplayName("on stationary data it agrees with the full-covariance fit given many images, and beats it given few")
    void againstTheFullCovarianceGaussian() {
        INDArray heldOut = ar1Field(3000, 5);
        INDArray many = ar1Field(8000, 6);
        StationaryGaussian s = StationaryGaussian.fit(many, SHAPE, 0);
        GaussianDensity f = GaussianDensity.full(many, 0);
        double[][] cs = s.covarianceMatrix(), cf = f.covarianceMatrix();
        for (int p = 0; p < H * W; p++) for (int q = 0; q < H * W; q++) assertEquals(cf[p][q], cs[p][q], 0.06, "Sigma[" + p + "][" + q + "]");
        double ls = s.evaluate(heldOut).meanNats(), lf = f.evaluate(heldOut).meanNats();
        // 8000 images: the full fit's d(d + 3)/2 = 495 parameters cost about 495 / (2 * 8000) = 0.03 nats per image
        assertEquals(ls, lf, 0.1);
        assertTrue(ls >= lf - 0.01, "stationary " + ls + " vs full " + lf);
        // 60 images, d = 30: the full fit overfits by about d(d + 3)/(4n) = 4 nats per image; the stationary one barely
        INDArray few = ar1Field(60, 7);
        double fewS = StationaryGaussian.fit(few, SHAPE, 0).evaluate(heldOut).meanNats();
        double fewF = GaussianDensity.full(few, 0).evaluate(heldOut).meanNats();
        assertTrue(fewS > fewF + 2, "stationary " + fewS + " vs full " + fewF + " from 60 images");
        assertEquals(ar1ExpectedLogLikelihood(), fewS, 1.0);
    }

    @Test
    @DisplayName("bad input is refused naming the parameter")
    void refusals() {
        INDArray x = ar1Field(10, 1);
        assertRejected(() -> StationaryGaussian.fit(null, SHAPE, 0), "train", "null");
        assertRejected(() -> StationaryGaussian.fit(x, ImageShape.grey(5, 6 + 1), 0), "train.shape", "[10, 30]");
        assertRejected(() -> StationaryGaussian.fit(x, ImageShape.colour(2, 5), 0), "shape.channels", "3");
        assertRejected(() -> StationaryGaussian.fit(x, SHAPE, -1), "ridge", "-1");
        double[][] asym = ar1Autocovariance();
        asym[0][0] += 0.1;
        assertRejected(() -> StationaryGaussian.of(SHAPE, 0, asym), "autocovariance", "k(-5, -4)");
        // k(0) = 1, k(1) = 2: not a covariance of two pixels
        assertRejected(() -> StationaryGaussian.of(ImageShape.grey(1, 2), 0, new double[][] {{2, 1, 2}}), "ridge", "0");
        assertRejected(() -> StationaryGaussian.of(SHAPE, MU, ar1Autocovariance()).logDensityNats(Nd4j.zeros(2, 7)), "x.shape", "[2, 7]");
    }
}
