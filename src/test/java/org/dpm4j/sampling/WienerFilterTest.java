package org.dpm4j.sampling;

import static org.dpm4j.testing.BadInput.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.inverse.InvertMatrix;

class WienerFilterTest {
    @Test
    @DisplayName("one dimension: mean mu + S/(S + s^2)(y - mu), variance S s^2/(S + s^2)")
    void scalar() {
        double mu = 0.3, S = 0.7, s2 = 1.3;
        WienerFilter w = WienerFilter.of(new double[] {mu}, new double[][] {{S}}, s2);
        INDArray y = Nd4j.createFromArray(new double[][] {{-1.0}, {2.5}});
        INDArray m = w.posteriorMean(y);
        for (int i = 0; i < 2; i++) assertEquals(mu + S / (S + s2) * (y.getDouble(i, 0) - mu), m.getDouble(i, 0), 1e-12);
        assertEquals(S * s2 / (S + s2), w.posteriorCovariance().getDouble(0, 0), 1e-12);
    }

    @Test
    @DisplayName("correlated 5-D prior: the covariance form equals Bayes' precision form (Sigma^-1 + I/s^2)^-1 (Sigma^-1 mu + y/s^2)")
    void precisionForm() {
        int d = 5;
        SplittableRandom r = new SplittableRandom(4);
        double[][] a = new double[d][d];
        for (double[] row : a) for (int j = 0; j < d; j++) row[j] = r.nextGaussian();
        INDArray A = Nd4j.createFromArray(a);
        INDArray sigma = A.mmul(A.transpose()).addi(Nd4j.eye(d).castTo(A.dataType()).muli(0.1));
        double[] mu = {0.5, -1, 0, 2, 0.1};
        double s2 = 0.6;
        WienerFilter w = WienerFilter.of(mu, sigma.toDoubleMatrix(), s2);
        INDArray y = Nd4j.createFromArray(new double[][] {{1, 2, 3, 4, 5}, {-1, 0, 0.5, 0, 2}});
        INDArray prec = InvertMatrix.invert(sigma, false).addi(Nd4j.eye(d).castTo(A.dataType()).divi(s2));
        INDArray cov = InvertMatrix.invert(prec, false);
        INDArray muRow = Nd4j.createFromArray(mu).reshape(1, d);
        INDArray expected = InvertMatrix.invert(sigma, false).mmul(muRow.transpose()).transpose().addRowVector(Nd4j.zeros(1, d))
                .repeat(0, 2).addi(y.div(s2)).mmul(cov);   // rows (Sigma^-1 mu + y/s^2)^T cov (cov symmetric)
        INDArray got = w.posteriorMean(y);
        for (int i = 0; i < 2; i++) for (int j = 0; j < d; j++) assertEquals(expected.getDouble(i, j), got.getDouble(i, j), 1e-8);
        INDArray pc = w.posteriorCovariance();
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) assertEquals(cov.getDouble(i, j), pc.getDouble(i, j), 1e-8);
    }

    @Test
    @DisplayName("the blocked SPD inverse (d = 301, two levels of 2 x 2 blocks): A^-1 A = I to 1e-9; the filter then satisfies Cov[x|y] (Sigma + s^2 I) = s^2 Sigma")
    void blockedInverse() {
        int d = 301;
        org.junit.jupiter.api.Assertions.assertTrue(d / 2 > WienerFilter.BLOCK && d / 4 <= WienerFilter.BLOCK, "two levels of recursion");
        SplittableRandom r = new SplittableRandom(9);
        double[][] x = new double[2 * d][d];
        for (double[] row : x) for (int j = 0; j < d; j++) row[j] = r.nextGaussian() + (j % 7) * row[Math.max(0, j - 1)] * 0.3;
        INDArray X = Nd4j.createFromArray(x);
        INDArray sigma = X.transpose().mmul(X).divi(2 * d);
        sigma = sigma.add(sigma.transpose()).muli(0.5);
        double s2 = 0.4;
        INDArray a = sigma.add(Nd4j.eye(d).castTo(sigma.dataType()).muli(s2));
        INDArray residual = WienerFilter.inverseSpd(a).mmul(a).subi(Nd4j.eye(d).castTo(sigma.dataType()));
        assertEquals(0, residual.amaxNumber().doubleValue(), 1e-9, "max |A^-1 A - I|");
        WienerFilter w = WienerFilter.of(new double[d], sigma.toDoubleMatrix(), s2);
        INDArray lhs = w.posteriorCovariance().mmul(a), rhs = sigma.mul(s2);
        assertEquals(0, lhs.subi(rhs).amaxNumber().doubleValue(), 1e-9 * rhs.amaxNumber().doubleValue() + 1e-12, "max |Cov (Sigma + s^2 I) - s^2 Sigma|");
    }

    @Test
    @DisplayName("Monte Carlo: on x ~ N(mu, Sigma), y = x + noise, the filter's squared error averages trace of the posterior covariance (n = 20000, 5%)")
    void meanSquaredError() {
        double[][] sigma = {{1.0, 0.8}, {0.8, 1.0}};
        double s2 = 0.5;
        WienerFilter w = WienerFilter.of(new double[] {0, 0}, sigma, s2);
        SplittableRandom r = new SplittableRandom(8);
        int n = 20000;
        double[][] x = new double[n][2], y = new double[n][2];
        for (int i = 0; i < n; i++) {
            double g1 = r.nextGaussian(), g2 = r.nextGaussian();
            x[i][0] = g1;
            x[i][1] = 0.8 * g1 + 0.6 * g2;     // Cholesky of sigma
            for (int j = 0; j < 2; j++) y[i][j] = x[i][j] + Math.sqrt(s2) * r.nextGaussian();
        }
        INDArray m = w.posteriorMean(Nd4j.createFromArray(y));
        double err = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < 2; j++) err += Math.pow(m.getDouble(i, j) - x[i][j], 2);
        double trace = w.posteriorCovariance().getDouble(0, 0) + w.posteriorCovariance().getDouble(1, 1);
        assertEquals(trace, err / n, 0.05 * trace);
    }

    @Test
    @DisplayName("bad input names the parameter")
    void badInput() {
        assertRejected(() -> WienerFilter.of(new double[] {0, 0}, new double[][] {{1, 0.5}, {0.2, 1}}, 1), "covariance[1][0]", "0.2");
        assertRejected(() -> WienerFilter.of(new double[] {0}, new double[][] {{1}}, 0), "noiseVariance", "0");
        assertRejected(() -> WienerFilter.of(new double[] {0}, new double[][] {{1}}, 1).posteriorMean(Nd4j.zeros(2, 3)), "observed.shape", "[2, 3]");
    }
}
