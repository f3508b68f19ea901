package org.dpm4j.bound;

import static org.dpm4j.testing.BadInput.assertRejected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.dpm4j.diffusion.BinomialDiffusion;
import org.dpm4j.schedule.Schedules;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class UnitsTest {

    @Test
    @DisplayName("Table 1's L_null arithmetic: -2.047 bits/dim for unit variance, Swiss roll -4.094, CIFAR-10 pixel -6.141, heartbeat -14.439")
    void table1LNull() {
        assertEquals(-2.047, Units.natsToBits(Units.gaussianUnitVarianceLNullNats(1)), 5e-4);
        assertEquals(-4.094, Units.natsToBits(Units.gaussianUnitVarianceLNullNats(2)), 5e-4);
        double perDim = Units.natsToBits(Units.gaussianUnitVarianceLNullNats(3072)) / 3072;
        assertEquals(-6.141, Per.pixel(3).of(perDim * 3072, 3072), 5e-4);
        double[] heartbeat = new double[20];
        for (int i = 0; i < 20; i += 5) heartbeat[i] = 1;
        double lNull = new BinomialDiffusion(Schedules.binomialPaper(10), 0.2).logTerminal(org.dpm4j.util.Matrices.row(heartbeat))[0];
        assertEquals(-14.439, Units.natsToBits(lNull), 5e-4);
        // Table 1's K - L_null column: 2.35 - (-4.094) = 6.44 ~ 6.45 (Swiss roll), -2.414 + 14.439 = 12.025 (heartbeat)
        assertEquals(12.024, -2.414 - Units.natsToBits(lNull), 2e-3);
    }

    @Test
    @DisplayName("bits and nats round-trip; per-unit conversion scales by dimensions per unit / d")
    void conversions() {
        assertEquals(1.0, Units.natsToBits(Math.log(2)), 1e-15);
        assertEquals(7.3, Units.natsToBits(Units.bitsToNats(7.3)), 1e-14);
        assertEquals(1.5, Per.dimension().of(30, 20), 1e-15);
        assertEquals(1.5, Per.pixel(3).of(30, 60), 1e-15, "30 over 60 dims = 0.5 per dim = 1.5 per 3-channel pixel");
        assertEquals(30, Per.sequence(20).of(30, 20), 1e-15);
        assertRejected(() -> Per.pixel(3).of(1, 20), "d", "20");
    }

    @Test
    @DisplayName("8-bit NLL: a model uniform over the dequantised 8-bit cube scores exactly 8 bits/dim; agrees with data.Scaling; inverts")
    void eightBitScale() {
        double std = 0.25;
        // u = pixel/255 dequantised is uniform on [0, 256/255); z = (u - mean)/std has density (255/256) std
        double logLikBitsPerDim = Math.log(255.0 / 256 * std) / Math.log(2);
        assertEquals(8.0, Units.zScoredLogLikelihoodToNllBitsPerDimension8Bit(logLikBitsPerDim, std), 1e-12);
        assertEquals(logLikBitsPerDim, Units.nllBitsPerDimension8BitToZScoredLogLikelihood(8.0, std), 1e-12);
        assertEquals(org.dpm4j.data.Scaling.fullBin8Bit(0.4, std).nllBitsPerDim(3 * logLikBitsPerDim, 3),
                Units.zScoredLogLikelihoodToNllBitsPerDimension8Bit(logLikBitsPerDim, std), 1e-12);
        assertRejected(() -> Units.zScoredLogLikelihoodToNllBitsPerDimension8Bit(1, 0), "std", "0");
    }

    @Test
    @DisplayName("BoundResult reports K per dimension, per pixel and per sequence from one per-example value")
    void boundResultUnits() {
        double ln2 = Math.log(2);
        double[] steps = {9 * ln2, -1 * ln2, -2 * ln2};   // t = 1: entropy terms; t = 2, 3: minus the KLs
        BoundResult r = new BoundResult("gaussian", "test", 3, 6, 1, 0, steps, 6 * Math.log(2), 0, -6 * Math.log(2),
                new double[] {6 * Math.log(2)}, 0);
        assertEquals(1.0, r.kBits(Per.dimension()), 1e-15);
        assertEquals(3.0, r.kBits(Per.pixel(3)), 1e-15);
        assertEquals(6.0, r.kBits(Per.sequence(6)), 1e-15);
        assertEquals(2.0, r.kMinusLNullBits(Per.dimension()), 1e-15);
        assertArrayEquals(new double[] {0, 1.0 / 6, 2.0 / 6}, r.klBits(Per.dimension()), 1e-15);
        assertArrayEquals(new double[] {9, -1, -2}, r.stepBits(Per.sequence(6)), 1e-15);
    }
}
