package org.dpm4j.data;

import static org.dpm4j.testing.BadInput.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PsnrTest {
    private static INDArray random(int n, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n * d];
        for (int i = 0; i < v.length; i++) v[i] = r.nextDouble();
        return Nd4j.create(v, new long[] {n, d}, 'c');
    }

    @Test
    @DisplayName("an estimate off by delta everywhere has MSE delta^2, so PSNR = 20 log10(peak / delta), each image on its own")
    void constantOffset() {
        INDArray clean = random(3, 48, 1);
        double[] delta = {0.1, 0.02, 0.5};
        INDArray est = clean.dup();
        for (int i = 0; i < 3; i++) est.getRow(i).addi(i % 2 == 0 ? delta[i] : -delta[i]);
        double[] p = Psnr.perImage(clean, est, 1.0);
        for (int i = 0; i < 3; i++) assertEquals(20 * Math.log10(1.0 / delta[i]), p[i], 1e-9, "image " + i);
        double[] p255 = Psnr.perImage(clean.mul(255), est.mul(255), 255);
        for (int i = 0; i < 3; i++) assertEquals(p[i], p255[i], 1e-9, "the same images on the 8-bit scale, image " + i);
    }

    @Test
    @DisplayName("PSNR of random errors is 10 log10(peak^2 / mean squared error) computed directly; an exact copy is +Infinity")
    void randomErrors() {
        INDArray clean = random(2, 100, 2), est = random(2, 100, 3);
        double[] p = Psnr.perImage(clean, est, 2.0);
        for (int i = 0; i < 2; i++) {
            double s = 0;
            for (int j = 0; j < 100; j++) s += Math.pow(clean.getDouble(i, j) - est.getDouble(i, j), 2);
            assertEquals(10 * Math.log10(4.0 / (s / 100)), p[i], 1e-9);
        }
        assertEquals(Double.POSITIVE_INFINITY, Psnr.perImage(clean, clean.dup(), 1)[0]);
    }

    @Test
    @DisplayName("mean and standard error over images: for two values a, b they are (a + b)/2 and |a - b|/2")
    void meanAndStandardError() {
        assertEquals(15.0, Psnr.mean(new double[] {10, 20}), 1e-12);
        assertEquals(5.0, Psnr.standardError(new double[] {10, 20}), 1e-12);
        assertEquals(Double.NaN, Psnr.standardError(new double[] {10}));
    }

    @Test
    @DisplayName("bad input names the parameter")
    void badInput() {
        INDArray a = random(2, 4, 1);
        assertRejected(() -> Psnr.perImage(a, random(2, 5, 1), 1), "estimate.shape", "[2, 5]");
        assertRejected(() -> Psnr.perImage(a, a, 0), "peak", "0");
        assertRejected(() -> Psnr.mean(new double[0]), "psnr", "0 values");
    }
}
