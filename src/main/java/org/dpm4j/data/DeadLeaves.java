package org.dpm4j.data;

import java.util.random.RandomGenerator;

import org.dpm4j.util.Check;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The dead-leaves model of occlusion (Matheron; Lee, Mumford and Huang 2001; the data of Theis et al. 2012 used by
 * the paper's dead-leaves row): opaque discs fall on the plane, each hiding what lies beneath, until the image is
 * covered.
 * <ul>
 * <li>Radius law: density p(r) proportional to r^-3 on [rMin, rMax] pixels, the scale-invariant law of Lee, Mumford
 * and Huang (every octave of radius covers the same visible area).</li>
 * <li>Centres: uniform (a Poisson process) over the image extended by rMax on every side, so discs centred outside
 * the image still overlap it.</li>
 * <li>Grey levels: independent, uniform on [0, 1]; with {@code eightBit}, uniform on the 256 levels k/255 so the
 * data is 8-bit like the paper's other image sets.</li>
 * <li>Rendering: front to back (each new disc lies beneath all earlier ones and fills only pixels still uncovered,
 * tested at pixel centres), stopping when every pixel is covered: an exact draw from the stationary model, not a
 * truncated forward simulation.</li>
 * </ul>
 * Theis et al. do not state their radius range and image size in a form we could reuse exactly; {@link #DEFAULT}
 * (32 x 32 pixels, r in [1, 32], 8-bit) is this project's choice, recorded with every data set it makes.
 */
public record DeadLeaves(int size, double rMin, double rMax, boolean eightBit) {
    public static final DeadLeaves DEFAULT = new DeadLeaves(32, 1, 32, true);

    public DeadLeaves {
        Check.positive("size", size);
        if ((long) size * size > Integer.MAX_VALUE - 8)
            throw Check.bad("size", size, "at most 46340 (size x size values in one Java array)");
        Check.positive("rMin", rMin);
        if (!(rMax >= rMin) || !Double.isFinite(rMax)) throw Check.bad("rMax", rMax, "a finite number >= rMin = " + rMin);
    }

    public ImageShape shape() { return ImageShape.grey(size, size); }

    /** A radius from p(r) proportional to r^-3 on [rMin, rMax], by inverting its CDF F(r) = (rMin^-2 - r^-2)/(rMin^-2 - rMax^-2). */
    public double sampleRadius(RandomGenerator rng) {
        if (rng == null) throw Check.bad("rng", null, "a seeded RandomGenerator");
        double a = 1 / (rMin * rMin), b = 1 / (rMax * rMax);
        return 1 / Math.sqrt(a - rng.nextDouble() * (a - b));
    }

    /** CDF of the radius law, for tests and plots. */
    public double radiusCdf(double r) {
        if (r <= rMin) return 0;
        if (r >= rMax) return 1;
        double a = 1 / (rMin * rMin), b = 1 / (rMax * rMax);
        return (a - 1 / (r * r)) / (a - b);
    }

    /** One image, size x size values in [0, 1], row-major. */
    public double[] image(RandomGenerator rng) {
        int n = size * size, uncovered = n;
        double[] img = new double[n];
        boolean[] covered = new boolean[n];
        double span = size + 2 * rMax;
        while (uncovered > 0) {
            double r = sampleRadius(rng);
            double cx = -rMax + rng.nextDouble() * span, cy = -rMax + rng.nextDouble() * span;
            double grey = eightBit ? rng.nextInt(256) / 255.0 : rng.nextDouble();
            int x0 = Math.max(0, (int) Math.ceil(cx - r - 0.5)), x1 = Math.min(size - 1, (int) Math.floor(cx + r - 0.5));
            int y0 = Math.max(0, (int) Math.ceil(cy - r - 0.5)), y1 = Math.min(size - 1, (int) Math.floor(cy + r - 0.5));
            for (int y = y0; y <= y1; y++) {
                double dy = y + 0.5 - cy;
                for (int x = x0; x <= x1; x++) {
                    int i = y * size + x;
                    double dx = x + 0.5 - cx;
                    if (!covered[i] && dx * dx + dy * dy <= r * r) {
                        covered[i] = true;
                        img[i] = grey;
                        uncovered--;
                    }
                }
            }
        }
        return img;
    }

    /** n images as a DOUBLE [n, size * size] array of values in [0, 1]. */
    public INDArray images(int n, RandomGenerator rng) {
        Check.positive("n", n);
        if (rng == null) throw Check.bad("rng", null, "a seeded RandomGenerator");
        int d = size * size;
        if ((long) n * d > Integer.MAX_VALUE - 8)
            throw Check.bad("n", n, "at most " + (Integer.MAX_VALUE - 8) / d + " images of " + d + " values (one Java array)");
        double[] v = new double[n * d];
        for (int k = 0; k < n; k++) System.arraycopy(image(rng), 0, v, k * d, d);
        return Pixels.unit(v, n, d);
    }

    /** Independent training and held-out images, z-scored with the training set's scalar mean and std. */
    public DataSet dataSet(int nTrain, int nTest, RandomGenerator rng) {
        INDArray train = images(nTrain, rng), test = images(nTest, rng);
        return DataSet.fromStored("dead-leaves-" + size, "Dead leaves (synthetic: " + this + ", radius density ~ r^-3)",
                false, shape(), train, test, new int[0], new int[0], eightBit);
    }
}
