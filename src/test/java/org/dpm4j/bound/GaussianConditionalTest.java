package org.dpm4j.bound;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GaussianConditionalTest {
    @Test
    @DisplayName("two coordinates, the closed form: E[x2 | x1] = mu2 + s12 / s11 (x1 - mu1), Var = s22 - s12^2 / s11; draws agree within 4 s.e.")
    void bivariate() {
        var g = new GaussianConditional(new double[] {1, 2}, new double[][] {{2, 0.6}, {0.6, 1}}, new boolean[] {true, false});
        INDArray m = g.mean(Nd4j.createFromArray(new double[][] {{3, 99}, {-1, 0}}));
        assertEquals(3, m.getDouble(0, 0), 0);
        assertEquals(2 + 0.3 * 2, m.getDouble(0, 1), 1e-12);
        assertEquals(2 + 0.3 * -2, m.getDouble(1, 1), 1e-12);
        assertEquals(1 - 0.36 / 2, g.conditionalCovariance()[0][0], 1e-12);
        int n = 20_000;
        INDArray s = g.sample(Nd4j.createFromArray(new double[][] {{3, 0}}), n, new SplittableRandom(4));
        double v = 1 - 0.36 / 2;
        assertEquals(2.6, s.getColumn(1).meanNumber().doubleValue(), 4 * Math.sqrt(v / n));
        assertEquals(v, s.getColumn(1).varNumber().doubleValue(), 4 * v * Math.sqrt(2.0 / n));
        for (int i = 0; i < n; i++) assertEquals(3.0, s.getDouble(i, 0), 0);
    }

    @Test
    @DisplayName("five coordinates, two known: the mean equals mu_m + Sigma_mk Sigma_kk^-1 (x_k - mu_k) by explicit inversion; known values bit-identical")
    void againstInverse() {
        SplittableRandom rng = new SplittableRandom(7);
        int d = 5;
        double[][] b = new double[d][d];
        for (double[] row : b) for (int j = 0; j < d; j++) row[j] = rng.nextGaussian();
        INDArray bm = Nd4j.createFromArray(b);
        double[][] sigma = bm.mmul(bm.transpose()).addi(Nd4j.eye(d).muli(0.5)).toDoubleMatrix();
        double[] mu = {0.1, -0.2, 0.3, 0.4, -0.5};
        boolean[] known = {false, true, false, true, false};
        int[] k = {1, 3}, m = {0, 2, 4};
        double[] x = {Math.PI, 1.0 / 3, Math.E, -0.7, 5};
        INDArray got = new GaussianConditional(mu, sigma, known).mean(Nd4j.createFromArray(new double[][] {x}));
        var dbl = org.nd4j.linalg.api.buffer.DataType.DOUBLE;
        INDArray skk = Nd4j.create(dbl, 2, 2), smk = Nd4j.create(dbl, 3, 2), dk = Nd4j.create(dbl, 2, 1);
        for (int i = 0; i < 2; i++) {
            dk.putScalar(i, 0, x[k[i]] - mu[k[i]]);
            for (int j = 0; j < 2; j++) skk.putScalar(i, j, sigma[k[i]][k[j]]);
        }
        for (int i = 0; i < 3; i++) for (int j = 0; j < 2; j++) smk.putScalar(i, j, sigma[m[i]][k[j]]);
        INDArray expected = smk.mmul(org.nd4j.linalg.inverse.InvertMatrix.invert(skk, false)).mmul(dk);
        for (int i = 0; i < 3; i++) assertEquals(mu[m[i]] + expected.getDouble(i, 0), got.getDouble(0, m[i]), 1e-10);
        for (int i : k) assertEquals(Double.doubleToRawLongBits(x[i]), Double.doubleToRawLongBits(got.getDouble(0, i)));
    }

    @Test
    @DisplayName("bad input is refused naming the parameter")
    void refusals() {
        org.dpm4j.testing.BadInput.assertRejected(() -> new GaussianConditional(new double[] {0, 0}, new double[][] {{1, 0}, {0, 1}},
                new boolean[] {true, true}), "known", "2 of 2");
        org.dpm4j.testing.BadInput.assertRejected(() -> new GaussianConditional(new double[] {0, 0}, new double[][] {{1, 0}},
                new boolean[] {true, false}), "sigma rows", "1");
    }
}
