package org.dpm4j.data;

import java.nio.file.Path;
import java.util.List;
import java.util.random.RandomGenerator;

import org.dpm4j.util.Check;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Labelled stand-ins for the paper's data that cannot be had offline, cut from the sample images of Debian's
 * python3-skimage (installed into DataCache.root()/skimage by environment/fetch-data.sh). Every data set made here
 * has {@code standIn() == true} and a description that starts "Stand-in data:"; show it wherever a number computed
 * on it is shown. Training crops come from the top three quarters of each image and held-out crops from the bottom
 * quarter, so no held-out pixel is ever trained on.
 */
public final class StandIns {
    /** Colour photographs (motorcycle_right is left out: it is the stereo twin of motorcycle_left). */
    public static final List<String> PHOTOS = List.of("astronaut.png", "chelsea.png", "coffee.png", "rocket.jpg", "motorcycle_left.png");
    /** Grey texture photographs. */
    public static final List<String> TEXTURES = List.of("brick.png", "grass.png", "gravel.png");
    private static final double TRAIN_FRACTION = 0.75;

    private StandIns() {}

    /** 32 x 32 colour patches of the photographs halved in size, from the data cache. */
    public static DataSet photoPatches(int nTrain, int nTest, RandomGenerator rng) {
        return photoPatches(DataCache.root().resolve("skimage"), 32, 2, nTrain, nTest, rng);
    }

    /**
     * size x size colour patches at uniformly random positions of uniformly chosen photographs, each photograph first
     * averaged down by {@code downscale} (so a patch shows more of a scene).
     */
    public static DataSet photoPatches(Path dir, int size, int downscale, int nTrain, int nTest, RandomGenerator rng) {
        return crops(dir, PHOTOS, size, downscale, nTrain, nTest, rng, "photo-patches-" + size,
                "Stand-in data: " + size + "x" + size + " colour patches of scikit-image sample photographs "
                        + String.join(", ", PHOTOS) + " (downscaled " + downscale + "x), not the paper's data set");
    }

    /** 64 x 64 grey patches of the three textures, from the data cache. */
    public static DataSet textures(int nTrain, int nTest, RandomGenerator rng) {
        return textures(DataCache.root().resolve("skimage"), 64, nTrain, nTest, rng);
    }

    public static DataSet textures(Path dir, int size, int nTrain, int nTest, RandomGenerator rng) {
        return crops(dir, TEXTURES, size, 1, nTrain, nTest, rng, "texture-patches-" + size,
                "Stand-in data: " + size + "x" + size + " grey patches of scikit-image textures "
                        + String.join(", ", TEXTURES) + ", not the paper's texture set (Lazebnik et al.)");
    }

    /** One packaged image, whole (e.g. a texture for an inpainting demo). */
    public static Picture image(String fileName) { return Picture.read(DataCache.root().resolve("skimage").resolve(fileName)); }

    private static DataSet crops(Path dir, List<String> files, int size, int downscale, int nTrain, int nTest,
                                 RandomGenerator rng, String name, String description) {
        if (dir == null) throw Check.bad("dir", null, "the directory of the scikit-image sample images");
        if (rng == null) throw Check.bad("rng", null, "a seeded RandomGenerator");
        Check.positive("size", size);
        Check.positive("nTrain", nTrain);
        Check.positive("nTest", nTest);
        Picture[] pics = new Picture[files.size()];
        for (int i = 0; i < pics.length; i++) {
            pics[i] = Picture.read(dir.resolve(files.get(i))).downscale(downscale);
            if (pics[i].shape().channels() != pics[0].shape().channels())
                throw new CorruptDataException(dir.resolve(files.get(i)), 0, pics[i].shape().channels() + " channels, expected "
                        + pics[0].shape().channels() + " like " + files.get(0));
            int testRows = pics[i].shape().height() - (int) (pics[i].shape().height() * TRAIN_FRACTION);
            if (testRows < size || pics[i].shape().width() < size)
                throw Check.bad("size", size, "at most " + Math.min(testRows, pics[i].shape().width())
                        + " so a patch fits the held-out quarter of " + files.get(i) + " (" + pics[i].shape() + ")");
        }
        ImageShape shape = new ImageShape(pics[0].shape().channels(), size, size);
        INDArray train = sample(pics, size, nTrain, true, rng), test = sample(pics, size, nTest, false, rng);
        return DataSet.fromStored(name, description, true, shape, train, test, new int[0], new int[0], true);
    }

    private static INDArray sample(Picture[] pics, int size, int n, boolean training, RandomGenerator rng) {
        int d = pics[0].shape().channels() * size * size;
        double[] v = new double[n * d];
        for (int k = 0; k < n; k++) {
            Picture p = pics[rng.nextInt(pics.length)];
            int h = p.shape().height(), split = (int) (h * TRAIN_FRACTION);
            int lo = training ? 0 : split, hi = training ? split - size : h - size;
            int row = lo + rng.nextInt(hi - lo + 1), col = rng.nextInt(p.shape().width() - size + 1);
            System.arraycopy(p.crop(row, col, size), 0, v, k * d, d);
        }
        return Pixels.unit(v, n, d);
    }
}
