package org.dpm4j.bound;

import java.util.List;

import org.dpm4j.data.ImageShape;
import org.dpm4j.util.Check;

/**
 * The stationary Gaussian of a texture estimated from whole images rather than crops: one scalar mean mu over every
 * pixel, and the biased (divisor N) autocovariance pooled over every pixel pair inside each image,
 * k(dr, dc) = sum_images sum_{p, p + (dr, dc) inside} (x_p - mu)(x_{p + (dr, dc)} - mu) / sum_images (pixels).
 * <p>
 * Why this estimator and not {@link StationaryGaussian#fit}'s: averaged over a few hundred overlapping crops, the
 * unbiased estimate at long offsets rests on few pairs and the covariance it builds need not be positive definite (at
 * 48 x 48 from a textured photograph it was not, even with a ridge of 0.1). Each image's biased sum is the
 * autocorrelation of its zero-padded centred values, whose Fourier transform is its periodogram (>= 0), so k is a
 * positive semi-definite function and every covariance matrix built from it is too (Wiener-Khinchin). Its cost is a
 * taper by (1 - |dr|/h)(1 - |dc|/w) at an image of h x w, mild when the images are several times the model's shape.
 * Units: those of the values given.
 */
public final class TextureGaussian {
    private TextureGaussian() {}

    /**
     * @param images one or more images, each double[h][w] with h, w at least the shape's sides
     * @param shape  the shape of the Gaussian's images (one grey channel)
     * @param ridge  added to k(0, 0), >= 0
     */
    public static StationaryGaussian fit(List<double[][]> images, ImageShape shape, double ridge) {
        if (shape == null) throw Check.bad("shape", null, "an ImageShape");
        if (shape.channels() != 1) throw Check.bad("shape.channels", shape.channels(), "1 (grey images)");
        if (images == null || images.isEmpty()) throw Check.bad("images", images == null ? null : "[]", "at least one image");
        if (!(ridge >= 0) || !Double.isFinite(ridge)) throw Check.bad("ridge", ridge, "a finite number >= 0");
        int H = shape.height(), W = shape.width();
        double sum = 0;
        long pixels = 0;
        for (int i = 0; i < images.size(); i++) {
            double[][] im = images.get(i);
            if (im == null || im.length < H || im[0].length < W) throw Check.bad("images[" + i + "] size",
                    im == null ? null : im.length + " x " + (im.length == 0 ? 0 : im[0].length), "at least " + H + " x " + W + " (the shape " + shape + ")");
            for (double[] row : im) {
                if (row.length != im[0].length) throw Check.bad("images[" + i + "] row length", row.length, im[0].length + " (rectangular)");
                Check.allFinite("images[" + i + "]", row);
                for (double v : row) sum += v;
                pixels += row.length;
            }
        }
        double mu = sum / pixels;
        double[][] k = new double[2 * H - 1][2 * W - 1];
        for (double[][] im : images) {
            int h = im.length, w = im[0].length;
            for (int dr = 0; dr < H; dr++)
                for (int dc = -(W - 1); dc < W; dc++) {
                    if (dr == 0 && dc < 0) continue;   // the other half by symmetry
                    double s = 0;
                    for (int r = 0; r + dr < h; r++) {
                        double[] a = im[r], b = im[r + dr];
                        for (int c = Math.max(0, -dc); c < w && c + dc < w; c++) s += (a[c] - mu) * (b[c + dc] - mu);
                    }
                    k[dr + H - 1][dc + W - 1] += s;
                }
        }
        for (int dr = 0; dr < H; dr++)
            for (int dc = -(W - 1); dc < W; dc++) {
                if (dr == 0 && dc < 0) continue;
                double v = k[dr + H - 1][dc + W - 1] / pixels;
                k[dr + H - 1][dc + W - 1] = v;
                k[-dr + H - 1][-dc + W - 1] = v;
            }
        k[H - 1][W - 1] += ridge;
        return StationaryGaussian.of(shape, mu, k);
    }
}
