package org.dpm4j.kernel;

import org.dpm4j.diffusion.GaussianStep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.schedule.Schedules;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The full-covariance Gaussian mathematics against 2 x 2 closed forms written out here. */
class FullGaussianTest {
    /** A random lower-triangular 2 x 2 factor with positive diagonal, row-major. */
    static double[] randomFactor(SplittableRandom rng) {
        return new double[] {0.3 + rng.nextDouble(), 0, rng.nextGaussian(), 0.3 + rng.nextDouble()};
    }

    /** KL(N(mq, diag vq) || N(mu, S)) for 2-D, with S = L L^T inverted by the 2 x 2 formula. */
    static double kl2(double[] mq, double[] vq, double[] mu, double[] l) {
        double s11 = l[0] * l[0], s12 = l[0] * l[2], s22 = l[2] * l[2] + l[3] * l[3], det = s11 * s22 - s12 * s12;
        double i11 = s22 / det, i12 = -s12 / det, i22 = s11 / det, a = mq[0] - mu[0], b = mq[1] - mu[1];
        double trace = i11 * vq[0] + i22 * vq[1], quad = i11 * a * a + 2 * i12 * a * b + i22 * b * b;
        return 0.5 * (trace + quad - 2 + Math.log(det) - Math.log(vq[0] * vq[1]));
    }

    @Test
    @DisplayName("KL(diagonal q || full p) equals the 2 x 2 closed form, and its gradients in mu and L equal central differences")
    void klAndGradients() {
        SplittableRandom rng = new SplittableRandom(11);
        for (int trial = 0; trial < 20; trial++) {
            double[] mq = {rng.nextGaussian(), rng.nextGaussian()}, vq = {0.2 + rng.nextDouble(), 0.2 + rng.nextDouble()};
            double[] mu = {rng.nextGaussian(), rng.nextGaussian()}, l = randomFactor(rng), gMu = new double[2], gL = new double[4];
            double kl = Cholesky.klFromDiagonal(mq, vq, mu, l, 0, 2, gMu, gL);
            assertEquals(kl2(mq, vq, mu, l), kl, 1e-12);
            assertEquals(0, gL[1], 0, "no gradient above the diagonal");
            double h = 1e-6;
            for (int i = 0; i < 2; i++) {
                double[] up = mu.clone(), down = mu.clone();
                up[i] += h;
                down[i] -= h;
                assertEquals((kl2(mq, vq, up, l) - kl2(mq, vq, down, l)) / (2 * h), gMu[i], 1e-6, "dKL/dmu_" + i);
            }
            for (int k : new int[] {0, 2, 3}) {
                double[] up = l.clone(), down = l.clone();
                up[k] += h;
                down[k] -= h;
                assertEquals((kl2(mq, vq, mu, up) - kl2(mq, vq, mu, down)) / (2 * h), gL[k], 1e-6, "dKL/dL entry " + k);
            }
        }
    }

    @Test
    @DisplayName("KL is zero for identical Gaussians and positive otherwise")
    void klZeroOnlyAtEquality() {
        double[] l = {0.5, 0, 0, 0.8};
        assertEquals(0, Cholesky.klFromDiagonal(new double[] {1, 2}, new double[] {0.25, 0.64}, new double[] {1, 2}, l, 0, 2, null, null), 1e-14);
        assertTrue(Cholesky.klFromDiagonal(new double[] {1, 2}, new double[] {0.25, 0.64}, new double[] {1, 2}, new double[] {0.5, 0, 0.1, 0.8}, 0, 2, null, null) > 0);
    }

    @Test
    @DisplayName("log-density equals the 2 x 2 closed form; a diagonal step seen as full keeps GaussianDiffusion.logDensity")
    void logDensity() {
        SplittableRandom rng = new SplittableRandom(12);
        double[] l = randomFactor(rng), mu = {0.3, -0.2}, x = {1.1, 0.4};
        double s11 = l[0] * l[0], s12 = l[0] * l[2], s22 = l[2] * l[2] + l[3] * l[3], det = s11 * s22 - s12 * s12;
        double a = x[0] - mu[0], b = x[1] - mu[1], quad = (s22 * a * a - 2 * s12 * a * b + s11 * b * b) / det;
        assertEquals(-0.5 * (quad + Math.log(det)) - Math.log(2 * Math.PI), Cholesky.logDensity(x, mu, l, 0, 2), 1e-12);

        GaussianStep diag = new GaussianStep(Nd4j.createFromArray(new double[][] {{0.1, 0.2}, {-1, 3}}),
                Nd4j.createFromArray(new double[][] {{0.5, 2}, {0.01, 1}}));
        INDArray at = Nd4j.createFromArray(new double[][] {{0.4, -0.3}, {-0.9, 2.5}});
        double[] full = FullGaussianStep.of(diag).logDensity(at), expected = GaussianDiffusion.logDensity(at, diag).sum(1).toDoubleVector();
        for (int i = 0; i < 2; i++) assertEquals(expected[i], full[i], 1e-12);
        double[] kl = FullGaussianStep.of(diag).klFrom(new GaussianStep(at, Nd4j.createFromArray(new double[][] {{0.3, 0.3}, {0.3, 0.3}})));
        double[] klDiag = GaussianDiffusion.kl(new GaussianStep(at, Nd4j.createFromArray(new double[][] {{0.3, 0.3}, {0.3, 0.3}})), diag).sum(1).toDoubleVector();
        for (int i = 0; i < 2; i++) assertEquals(klDiag[i], kl[i], 1e-12);
    }

    @Test
    @DisplayName("draws have mean mu and covariance L L^T (40000 draws, 5 standard errors)")
    void samplesHaveTheCovariance() {
        int n = 40000;
        double[] l = {0.7, 0, -0.5, 0.3}, mean = new double[n * 2], chol = new double[n * 4];
        for (int i = 0; i < n; i++) {
            mean[2 * i] = 1;
            mean[2 * i + 1] = -2;
            System.arraycopy(l, 0, chol, 4 * i, 4);
        }
        double[] x = FullGaussianStep.of(mean, chol, n, 2).sample(new SplittableRandom(13)).data().asDouble();
        double m0 = 0, m1 = 0, c00 = 0, c01 = 0, c11 = 0;
        for (int i = 0; i < n; i++) {
            m0 += x[2 * i] / n;
            m1 += x[2 * i + 1] / n;
        }
        for (int i = 0; i < n; i++) {
            double a = x[2 * i] - m0, b = x[2 * i + 1] - m1;
            c00 += a * a / n;
            c01 += a * b / n;
            c11 += b * b / n;
        }
        double s00 = 0.49, s01 = -0.35, s11 = 0.34;
        assertEquals(1, m0, 5 * Math.sqrt(s00 / n));
        assertEquals(-2, m1, 5 * Math.sqrt(s11 / n));
        assertEquals(s00, c00, 5 * s00 * Math.sqrt(2.0 / n));
        assertEquals(s11, c11, 5 * s11 * Math.sqrt(2.0 / n));
        assertEquals(s01, c01, 5 * Math.sqrt((s00 * s11 + s01 * s01) / n));
    }

    @Test
    @DisplayName("readout: zero off-diagonal outputs give the diagonal parameterisation's mean and variance; outputs(d) inverts")
    void readoutStartsDiagonal() {
        var step = GaussianParameterisation.Step.of(Schedules.referenceGaussian(10), 5);
        for (GaussianParameterisation p : GaussianParameterisation.values()) {
            CholeskyReadout r = new CholeskyReadout(p, 2);
            float[] z = {0.2f, -0.4f, 0.7f, -0.1f, 0f};
            r.read(new double[] {0.3, -1.2}, 0, z, 0, step);
            double[] o = new double[5];
            p.map(0.3, z[0], z[2], step, o);
            assertEquals(o[0], r.mean[0], 1e-12);
            assertEquals(Math.sqrt(o[1]), r.cholesky[0], 1e-12);
            p.map(-1.2, z[1], z[3], step, o);
            assertEquals(o[0], r.mean[1], 1e-12);
            assertEquals(Math.sqrt(o[1]), r.cholesky[3], 1e-12);
            assertEquals(0, r.cholesky[1], 0);
            assertEquals(0, r.cholesky[2], 0);
        }
        for (int d = 1; d <= 6; d++) assertEquals(d, CholeskyReadout.dimension(CholeskyReadout.outputs(d)));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CholeskyReadout.dimension(4)).getMessage().startsWith("outputs = 4"));
    }

    @Test
    @DisplayName("bad shapes: a Cholesky factor that is not [n, d, d] is refused, naming the parameter")
    void badShape() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new FullGaussianStep(Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 3, 2),
                        Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 3, 2)));
        assertTrue(e.getMessage().startsWith("cholesky"), e.getMessage());
    }
}
