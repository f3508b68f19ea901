package org.dpm4j.data;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ScalingTest {

    @Test
    @DisplayName("meanAndStd is the scalar mean and population std of all values (closed form on 0..7)")
    void meanAndStdClosedForm() {
        INDArray x = Nd4j.create(new double[] {0, 1, 2, 3, 4, 5, 6, 7}, new long[] {2, 4}, 'c');
        double[] ms = Scaling.meanAndStd(x);
        assertEquals(3.5, ms[0], 1e-12);
        assertEquals(Math.sqrt(5.25), ms[1], 1e-12); // (n^2 - 1)/12 for n = 8
    }

    @Test
    @DisplayName("z-scored training data has mean 0 and std 1, and toStored inverts toModel")
    void zScoreRoundTrip() {
        SplittableRandom rng = new SplittableRandom(1);
        double[] v = new double[600];
        for (int i = 0; i < v.length; i++) v[i] = rng.nextInt(256) / 255.0;
        INDArray x = Nd4j.create(v, new long[] {20, 30}, 'c');
        double[] ms = Scaling.meanAndStd(x);
        Scaling s = Scaling.reference8Bit(ms[0], ms[1]);
        INDArray z = s.toModel(x);
        double[] zs = Scaling.meanAndStd(z);
        assertEquals(0, zs[0], 1e-12);
        assertEquals(1, zs[1], 1e-12);
        assertEquals(0, s.toStored(z).sub(x).amaxNumber().doubleValue(), 1e-12);
    }

    @Test
    @DisplayName("reference noise width is std/255 ((1/255)/scl with scl = 1/std), the full-bin width 1/(255 std)")
    void noiseWidths() {
        assertEquals(0.3 / 255, Scaling.reference8Bit(0.1, 0.3).noiseWidth(), 1e-15);
        assertEquals(1 / (255 * 0.3), Scaling.fullBin8Bit(0.1, 0.3).noiseWidth(), 1e-15);
        assertEquals(Scaling.fullBin8Bit(0.1, 0.3).noiseWidth(), Scaling.fullBin8Bit(0.1, 0.3).binWidth(), 1e-15);
    }

    @Test
    @DisplayName("dequantisation noise is uniform on [-w/2, w/2]: bounded, mean 0, variance w^2/12 (200k draws, 2%)")
    void dequantiseMoments() {
        Scaling s = Scaling.fullBin8Bit(0.5, 0.25);
        double w = s.noiseWidth();
        INDArray z = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 400, 500);
        double[] u = s.dequantise(z, new SplittableRandom(7)).data().asDouble();
        double sum = 0, sq = 0;
        for (double x : u) {
            assertTrue(Math.abs(x) <= w / 2);
            sum += x;
            sq += x * x;
        }
        double mean = sum / u.length, var = sq / u.length - mean * mean;
        assertEquals(0, mean, 4 * w / Math.sqrt(12 * u.length));
        assertEquals(w * w / 12, var, 0.02 * w * w / 12);
    }

    @Test
    @DisplayName("bits/dim conversion is exact for a model uniform over the 8-bit range: 8 bits/dim for 1 and 3 channels")
    void uniformModelGivesEightBits() {
        Scaling s = Scaling.fullBin8Bit(0.47, 0.29);
        double kPerDim = -Math.log(256 * s.binWidth()) / Math.log(2); // log2 of the uniform density on 256 bins
        assertEquals(8.0, s.nllBitsPerDim(kPerDim, 1), 1e-12);
        assertEquals(8.0, s.nllBitsPerDim(3 * kPerDim, 3), 1e-12);
    }

    @Test
    @DisplayName("bits/dim NLL bound >= exact discrete NLL of a Gaussian model, tight (< 0.01 bit) for full-bin noise")
    void gaussianModelBoundHolds() {
        double mean = 0.5, std = 0.25;
        for (Scaling s : new Scaling[] {Scaling.fullBin8Bit(mean, std), Scaling.reference8Bit(mean, std)}) {
            double b = s.binWidth(), w = s.noiseWidth();
            double[] mass = new double[256];
            double total = 0;
            for (int k = 0; k < 256; k++) {
                double z = (k / 255.0 - mean) / std;
                mass[k] = b * meanOverCell(z, b, false); // model's probability of level k under N(0, 1) on z
                total += mass[k];
            }
            double exactNll = 0, kBits = 0;
            for (int k = 0; k < 256; k++) {
                double q = mass[k] / total, z = (k / 255.0 - mean) / std; // data: the model's own levels, renormalised
                exactNll -= q * Math.log(mass[k]) / Math.log(2);
                kBits += q * meanOverCell(z, w, true) / Math.log(2); // E_u log2 N(z + u; 0, 1)
            }
            double bound = s.nllBitsPerDim(kBits, 1);
            assertTrue(bound >= exactNll - 1e-9, "bound " + bound + " below exact " + exactNll);
            if (s.noiseWidth() == s.binWidth()) assertEquals(exactNll, bound, 0.01);
            else assertEquals(Math.log(1 / (std * std)) / Math.log(2), bound - exactNll, 0.01); // looser by log2(1/std^2)
        }
    }

    @Test
    @DisplayName("bits/dim conversion refuses continuous data and noise wider than one bin, naming the parameter")
    void conversionRefusesBadScalings() {
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class,
                () -> Scaling.continuous(0, 1).nllBitsPerDim(1, 1));
        assertTrue(a.getMessage().contains("levels"));
        IllegalArgumentException b = assertThrows(IllegalArgumentException.class,
                () -> new Scaling(0.5, 0.25, 1.0, 256).nllBitsPerDim(1, 1));
        assertTrue(b.getMessage().startsWith("noiseWidth = 1.0"));
        assertThrows(IllegalArgumentException.class, () -> new Scaling(0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Scaling(0, 1, -1, 0));
    }

    /** Mean of N(y; 0, 1) (or of its log) over y uniform on [z - w/2, z + w/2], by a 256-point midpoint rule. */
    private static double meanOverCell(double z, double w, boolean log) {
        double sum = 0;
        for (int j = 0; j < 256; j++) {
            double y = z + ((j + 0.5) / 256 - 0.5) * w, logp = -0.5 * y * y - 0.5 * Math.log(2 * Math.PI);
            sum += log ? logp : Math.exp(logp);
        }
        return sum / 256;
    }
}
