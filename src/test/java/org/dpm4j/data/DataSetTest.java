package org.dpm4j.data;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

import org.dpm4j.testing.BadInput;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DataSetTest {
    private static INDArray levels(int n, int d, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[n * d];
        for (int i = 0; i < v.length; i++) v[i] = rng.nextInt(256) / 255.0;
        return Nd4j.create(v, new long[] {n, d}, 'c');
    }

    @Test
    @DisplayName("fromStored z-scores both splits with the training set's scalar mean and std (reference noise width)")
    void fromStored() {
        ImageShape s = ImageShape.colour(2, 2);
        INDArray train = levels(30, 12, 1), test = levels(10, 12, 2);
        DataSet ds = DataSet.fromStored("t", "test data", false, s, train, test, new int[0], new int[0], true);
        double[] ms = Scaling.meanAndStd(train);
        assertEquals(ms[0], ds.scaling().mean(), 1e-12);
        assertEquals(ms[1] / 255, ds.scaling().noiseWidth(), 1e-15);
        assertEquals(0, ds.test().sub(test.sub(ms[0]).div(ms[1])).amaxNumber().doubleValue(), 1e-12);
        assertEquals(12, ds.dimensions());
        assertEquals(4, ds.pixels());
        assertEquals(2.0, ds.perDimension(6.0), 1e-15);
    }

    @Test
    @DisplayName("withScaling re-z-scores the same stored values; nllBitsPerDim uses the channel count")
    void withScaling() {
        ImageShape s = ImageShape.colour(2, 2);
        INDArray train = levels(30, 12, 3);
        DataSet ds = DataSet.fromStored("t", "test data", false, s, train, levels(5, 12, 4), new int[0], new int[0], true);
        DataSet full = ds.withScaling(Scaling.fullBin8Bit(0.5, 0.25));
        assertEquals(0, full.scaling().toStored(full.train()).sub(train).amaxNumber().doubleValue(), 1e-12);
        assertEquals(-5.4 / 3 + Math.log(255 * 0.25) / Math.log(2), full.nllBitsPerDim(5.4), 1e-12);
    }

    @Test
    @DisplayName("arrays that are not DOUBLE [n, d] or label arrays of the wrong length are refused naming them")
    void badArrays() {
        ImageShape s = ImageShape.grey(2, 2);
        INDArray ok = levels(3, 4, 5);
        BadInput.assertRejected(() -> new DataSet("t", "d", false, s, Scaling.continuous(0, 1), ok.castTo(DataType.FLOAT), ok,
                new int[0], new int[0]), "train", "FLOAT");
        BadInput.assertRejected(() -> new DataSet("t", "d", false, s, Scaling.continuous(0, 1), ok, levels(3, 5, 6),
                new int[0], new int[0]), "test", "[3, 5]");
        BadInput.assertRejected(() -> new DataSet("t", "d", false, s, Scaling.continuous(0, 1), ok, ok,
                new int[2], new int[0]), "trainLabels.length", "2");
    }

    @Test
    @DisplayName("testGrid shows the first held-out images mapped back to [0, 1]")
    void testGrid() {
        ImageShape s = ImageShape.grey(2, 2);
        INDArray test = levels(6, 4, 7);
        DataSet ds = DataSet.fromStored("t", "d", false, s, levels(20, 4, 8), test, new int[0], new int[0], true);
        BufferedImage img = ds.testGrid(4, 2);
        assertEquals(2 * 2 + 1, img.getWidth());
        assertEquals(Math.round(test.getDouble(3, 3) * 255), img.getRaster().getSample(4, 4, 0));
    }
}
