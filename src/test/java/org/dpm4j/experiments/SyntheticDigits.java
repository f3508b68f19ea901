package org.dpm4j.experiments;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.dpm4j.data.Idx;

/**
 * Synthetic 8-bit "digits" in MNIST's IDX files for the baselines' tests (no data cache needed): class c lights a
 * 6 x 6 block at a class-specific place, plus sparse noise; so a class is learnable from the pixels and a block of a
 * digit is predictable from the rest.
 */
final class SyntheticDigits {
    private SyntheticDigits() {}

    /** Writes {split}-images-idx3-ubyte and {split}-labels-idx1-ubyte with n images into dir; returns {images, labels}. */
    static byte[][] write(Path dir, String split, int n, long seed) throws Exception {
        SplittableRandom rng = new SplittableRandom(seed);
        byte[] v = new byte[n * 784], y = new byte[n];
        for (int i = 0; i < n; i++) {
            int c = i % 10, r0 = 2 + 6 * (c / 4), c0 = 2 + 6 * (c % 4);
            y[i] = (byte) c;
            for (int r = 0; r < 6; r++) for (int k = 0; k < 6; k++) v[i * 784 + (r0 + r) * 28 + c0 + k] = (byte) (200 + rng.nextInt(56));
            for (int k = 0; k < 20; k++) v[i * 784 + rng.nextInt(784)] = (byte) rng.nextInt(256);
        }
        Idx.write(dir.resolve(split + "-images-idx3-ubyte"), new int[] {n, 28, 28}, v);
        Idx.write(dir.resolve(split + "-labels-idx1-ubyte"), new int[] {n}, y);
        return new byte[][] {v, y};
    }

    /** Train and test files in dir, and MnistExperiment's quick settings shrunk to them (T = 10, a tiny network). */
    static MnistExperiment.Config setUp(Path dir, int train, int test) throws Exception {
        write(dir, "train", train, 1);
        write(dir, "t10k", test, 2);
        return Settings.change(MnistExperiment.Config.of(Profile.QUICK), "dataset", "idx", "idxPath", dir.toString(),
                "T", 10, "denseLayers", 2, "denseHidden", 16, "upperHidden", 8, "temporalBasis", 3, "steps", 20, "batch", 16,
                "validation", 20, "heldOut", 30, "eq9Examples", 3, "eq9Trajectories", 3, "samples", 40, "parzenTest", 30,
                "trajectories", 2, "evalExamples", 5, "classifierEpochs", 3);
    }
}
