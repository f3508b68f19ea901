package org.dpm4j.bound;

import static org.dpm4j.testing.BadInput.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The closed-form Gaussian baselines against exact values. */
class GaussianDensityTest {
    /** A known 3-D Gaussian: mean m, covariance A A^T with A lower triangular. */
    private static final double[] M = {1.0, -2.0, 0.5};
    private static final double[][] A = {{1.0, 0, 0}, {0.6, 0.8, 0}, {-0.3, 0.5, 0.4}};

    private static INDArray draw(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] x = new double[n][3];
        for (int i = 0; i < n; i++) {
            double[] e = {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()};
            for (int r = 0; r < 3; r++) {
                x[i][r] = M[r];
                for (int c = 0; c <= r; c++) x[i][r] += A[r][c] * e[c];
            }
        }
        return Nd4j.createFromArray(x);
    }

    private static double[][] sigma() {
        double[][] s = new double[3][3];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 3; k++) s[i][j] += A[i][k] * A[j][k];
        return s;
    }

    private static double det3(double[][] s) {
        return s[0][0] * (s[1][1] * s[2][2] - s[1][2] * s[2][1]) - s[0][1] * (s[1][0] * s[2][2] - s[1][2] * s[2][0])
                + s[0][2] * (s[1][0] * s[2][1] - s[1][1] * s[2][0]);
    }

    /** The sample mean and the divisor-n sample covariance, by plain loops (the maximum-likelihood fit). */
    private static double[][] sampleCovariance(double[][] x, double[] mean) {
        int n = x.length, d = x[0].length;
        for (double[] row : x) for (int j = 0; j < d; j++) mean[j] += row[j] / n;
        double[][] s = new double[d][d];
        for (double[] row : x) for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) s[i][j] += (row[i] - mean[i]) * (row[j] - mean[j]) / n;
        return s;
    }

    @Test
    void fullFitIsTheSampleMeanAndCovariancePlusRidge() {
        INDArray x = draw(500, 1);
        double[] mean = new double[3];
        double[][] s = sampleCovariance(x.toDoubleMatrix(), mean);
        double ridge = 0.01;
        GaussianDensity g = GaussianDensity.full(x, ridge);
        double[][] fitted = g.covarianceMatrix();
        for (int i = 0; i < 3; i++) {
            assertEquals(mean[i], g.mean()[i], 1e-12);
            for (int j = 0; j < 3; j++) assertEquals(s[i][j] + (i == j ? ridge : 0), fitted[i][j], 1e-9);
        }
        assertEquals(Math.log(det3(fitted)), g.logDetSigma(), 1e-10);
    }

    /**
     * A maximum-likelihood Gaussian (no ridge) scores its own training data at exactly
     * -(d/2) log(2 pi) - (1/2) log det Sigma_hat - d/2, since the mean quadratic form is trace(Sigma_hat^-1 Sigma_hat) = d.
     */
    @Test
    void trainingLogLikelihoodOfTheMaximumLikelihoodFitIsExact() {
        INDArray x = draw(300, 2);
        for (GaussianDensity g : new GaussianDensity[] {GaussianDensity.full(x, 0), GaussianDensity.diagonal(x, 0)}) {
            double expected = -1.5 * Math.log(2 * Math.PI) - 0.5 * g.logDetSigma() - 1.5;
            assertEquals(expected, g.evaluate(x).meanNats(), 1e-10, g.covariance().toString());
        }
    }

    /** log N(x; mu, Sigma) at single points against the 3 x 3 formula with the explicit inverse (cofactors). */
    @Test
    void logDensityMatchesTheExplicitFormula() {
        INDArray x = draw(200, 3);
        GaussianDensity g = GaussianDensity.full(x, 0.05);
        double[][] s = g.covarianceMatrix();
        double det = det3(s);
        double[][] inv = new double[3][3];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) {
            int r0 = (j + 1) % 3, r1 = (j + 2) % 3, c0 = (i + 1) % 3, c1 = (i + 2) % 3;
            inv[i][j] = (s[r0][c0] * s[r1][c1] - s[r0][c1] * s[r1][c0]) / det;
        }
        double[][] pts = {{0, 0, 0}, {1, -2, 0.5}, {3, 1, -2}};
        double[] got = g.logDensityNats(Nd4j.createFromArray(pts));
        double[] mu = g.mean();
        for (int p = 0; p < pts.length; p++) {
            double q = 0;
            for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) q += (pts[p][i] - mu[i]) * inv[i][j] * (pts[p][j] - mu[j]);
            assertEquals(-1.5 * Math.log(2 * Math.PI) - 0.5 * Math.log(det) - 0.5 * q, got[p], 1e-9);
        }
        // the diagonal Gaussian is a product of 1-D normals
        GaussianDensity diag = GaussianDensity.diagonal(x, 0.05);
        double[] gd = diag.logDensityNats(Nd4j.createFromArray(pts));
        double[][] sd = diag.covarianceMatrix();
        for (int p = 0; p < pts.length; p++) {
            double e = 0;
            for (int i = 0; i < 3; i++) {
                double v = sd[i][i], r = pts[p][i] - diag.mean()[i];
                e += -0.5 * Math.log(2 * Math.PI * v) - r * r / (2 * v);
            }
            assertEquals(e, gd[p], 1e-10);
        }
    }

    /**
     * Held-out data from the known Gaussian: the full fit's mean log-likelihood is the negative entropy
     * -(d/2) log(2 pi e) - (1/2) log det Sigma, within 4 standard errors plus the fit's O(d^2 / n) optimism; the
     * diagonal fit loses exactly the multi-information (1/2) (sum log Sigma_ii - log det Sigma) in expectation.
     */
    @Test
    void heldOutLogLikelihoodApproachesMinusTheEntropy() {
        INDArray train = draw(50_000, 4), test = draw(50_000, 5);
        double[][] s = sigma();
        double negEntropy = -1.5 * Math.log(2 * Math.PI * Math.E) - 0.5 * Math.log(det3(s));
        HeldOutLikelihood full = GaussianDensity.full(train, 0).evaluate(test);
        assertEquals(negEntropy, full.meanNats(), 4 * full.standardErrorNats() + 1e-3);
        double multiInfo = 0.5 * (Math.log(s[0][0] * s[1][1] * s[2][2]) - Math.log(det3(s)));
        HeldOutLikelihood diag = GaussianDensity.diagonal(train, 0).evaluate(test);
        assertEquals(negEntropy - multiInfo, diag.meanNats(), 4 * diag.standardErrorNats() + 1e-3);
        assertTrue(multiInfo > 0.1, "the test's covariance should be far from diagonal");
    }

    /** The selected ridge is the grid's argmax of the validation log-likelihood, and its fit equals a direct fit. */
    @Test
    void selectRidgeTakesTheValidationArgmax() {
        INDArray train = draw(40, 8), validation = draw(200, 9);
        double[] ridges = {0, 0.01, 0.3, 3.0};
        for (GaussianDensity.Covariance kind : GaussianDensity.Covariance.values()) {
            int best = 0;
            double[] v = new double[ridges.length];
            for (int k = 0; k < ridges.length; k++) {
                GaussianDensity g = kind == GaussianDensity.Covariance.FULL ? GaussianDensity.full(train, ridges[k]) : GaussianDensity.diagonal(train, ridges[k]);
                v[k] = g.evaluate(validation).meanNats();
                if (v[k] > v[best]) best = k;
            }
            GaussianDensity chosen = GaussianDensity.selectRidge(kind, train, validation, ridges);
            assertEquals(ridges[best], chosen.ridge(), kind.toString());
            assertEquals(v[best], chosen.evaluate(validation).meanNats(), 1e-9);
        }
        assertRejected(() -> GaussianDensity.selectRidge(GaussianDensity.Covariance.FULL, train, validation, new double[0]), "ridges", "[]");
    }

    @Test
    void unitsPerPixelAndPerExample() {
        INDArray x = draw(100, 6);
        HeldOutLikelihood h = GaussianDensity.full(x, 0.1).evaluate(x);
        assertEquals(h.meanNats() / Math.log(2), h.meanBitsPerExample(), 1e-12);
        assertEquals(h.meanNats() / Math.log(2) / 3, h.meanBits(Per.pixel(1)), 1e-12);
        double[] v = h.perExampleNats();
        double m = h.meanNats(), ss = 0;
        for (double e : v) ss += (e - m) * (e - m);
        assertEquals(Math.sqrt(ss / v.length) / Math.sqrt(v.length), h.standardErrorNats(), 1e-12);
    }

    @Test
    void refusesBadInputNamingTheParameter() {
        INDArray x = draw(10, 7);
        assertRejected(() -> GaussianDensity.full(x, -1), "ridge", "-1");
        assertRejected(() -> GaussianDensity.diagonal(x, Double.NaN), "ridge", "NaN");
        assertRejected(() -> GaussianDensity.full(Nd4j.zeros(1, 3), 0), "train.shape", "[1, 3]");
        // a constant dimension has variance 0: the fit needs a ridge
        INDArray constant = Nd4j.hstack(x, Nd4j.ones(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 10, 1));
        assertRejected(() -> GaussianDensity.diagonal(constant, 0), "ridge", "0");
        assertRejected(() -> GaussianDensity.full(constant, 0), "ridge", "0");
        assertRejected(() -> GaussianDensity.full(x, 0).logDensityNats(Nd4j.zeros(2, 4)), "x.shape", "[2, 4]");
    }

    @org.junit.jupiter.api.Test
    @org.junit.jupiter.api.DisplayName("standard(d) is N(0, I): log density -d/2 log(2 pi) - |x|^2/2 at every point, L_null per dimension -log2(2 pi e)/2 on unit-variance data in expectation")
    void standardNormal() {
        GaussianDensity g = GaussianDensity.standard(2);
        double[][] x = {{0, 0}, {1, -2}, {0.5, 3}};
        double[] ln = g.logDensityNats(org.nd4j.linalg.factory.Nd4j.createFromArray(x));
        for (int i = 0; i < x.length; i++) {
            double sq = x[i][0] * x[i][0] + x[i][1] * x[i][1];
            org.junit.jupiter.api.Assertions.assertEquals(-Math.log(2 * Math.PI) - sq / 2, ln[i], 1e-12, "point " + i);
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> GaussianDensity.standard(0));
    }
}
