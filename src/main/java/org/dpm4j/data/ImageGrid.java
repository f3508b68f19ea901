package org.dpm4j.data;

import java.awt.image.BufferedImage;

import org.dpm4j.util.Check;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A batch of flattened images ([n, d], d = shape.dimensions(), channel-major) as one picture for a notebook:
 * tiles in rows of {@code columns}, a 1-pixel gap between tiles, values mapped linearly from [lo, hi] to 0..255
 * (clipped), each image pixel drawn as zoom x zoom screen pixels. Grey images give TYPE_BYTE_GRAY, colour
 * (3-channel) images TYPE_INT_RGB.
 */
public final class ImageGrid {
    private static final int GAP = 1;
    private static final int GAP_LEVEL = 128;

    private ImageGrid() {}

    /** Values in [lo, hi] (e.g. 0 and 1 for stored data), zoom 1. */
    public static BufferedImage of(INDArray batch, ImageShape shape, int columns, double lo, double hi) {
        return of(batch, shape, columns, lo, hi, 1);
    }

    /** Range taken from the batch's own minimum and maximum (for z-scored data or samples). */
    public static BufferedImage autoRange(INDArray batch, ImageShape shape, int columns, int zoom) {
        if (batch == null) throw Check.bad("batch", null, "a [n, d] array of images");
        double lo = batch.minNumber().doubleValue(), hi = batch.maxNumber().doubleValue();
        return of(batch, shape, columns, lo, hi > lo ? hi : lo + 1, zoom);
    }

    public static BufferedImage of(INDArray batch, ImageShape shape, int columns, double lo, double hi, int zoom) {
        if (batch == null) throw Check.bad("batch", null, "a [n, d] array of images");
        if (shape == null) throw Check.bad("shape", null, "an ImageShape");
        if (batch.rank() != 2 || batch.columns() != shape.dimensions())
            throw Check.bad("batch", java.util.Arrays.toString(batch.shape()), "[n, " + shape.dimensions() + "] for images of " + shape);
        if (shape.channels() != 1 && shape.channels() != 3)
            throw Check.bad("shape.channels", shape.channels(), "1 (grey) or 3 (RGB)");
        Check.positive("columns", columns);
        Check.inRange("zoom", zoom, 1, 64);
        Check.finite("lo", lo);
        if (!(hi > lo) || !Double.isFinite(hi)) throw Check.bad("hi", hi, "a finite number > lo = " + lo);
        int n = (int) batch.rows();
        if (n == 0) throw Check.bad("batch.rows", 0, "at least one image");
        int cols = Math.min(columns, n), rows = (n + cols - 1) / cols;
        int tw = shape.width() * zoom, th = shape.height() * zoom;
        int w = cols * tw + (cols - 1) * GAP, h = rows * th + (rows - 1) * GAP;
        boolean grey = shape.channels() == 1;
        BufferedImage img = new BufferedImage(w, h, grey ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        int gap = grey ? GAP_LEVEL : (GAP_LEVEL << 16) | (GAP_LEVEL << 8) | GAP_LEVEL;
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) setPixel(img, x, y, grey, gap);
        double[] v = batch.dup('c').data().asDouble();
        int d = shape.dimensions();
        for (int k = 0; k < n; k++) {
            int x0 = (k % cols) * (tw + GAP), y0 = (k / cols) * (th + GAP);
            for (int r = 0; r < shape.height(); r++) {
                for (int c = 0; c < shape.width(); c++) {
                    int value;
                    if (grey) {
                        value = level(v[k * d + shape.index(0, r, c)], lo, hi);
                    } else {
                        value = (level(v[k * d + shape.index(0, r, c)], lo, hi) << 16)
                                | (level(v[k * d + shape.index(1, r, c)], lo, hi) << 8)
                                | level(v[k * d + shape.index(2, r, c)], lo, hi);
                    }
                    for (int dy = 0; dy < zoom; dy++)
                        for (int dx = 0; dx < zoom; dx++) setPixel(img, x0 + c * zoom + dx, y0 + r * zoom + dy, grey, value);
                }
            }
        }
        return img;
    }

    /** Linear map of [lo, hi] onto 0..255, rounded and clipped. */
    static int level(double x, double lo, double hi) {
        double t = (x - lo) / (hi - lo);
        if (!(t > 0)) return 0;
        if (t >= 1) return 255;
        return (int) Math.round(t * 255);
    }

    private static void setPixel(BufferedImage img, int x, int y, boolean grey, int value) {
        if (grey) img.getRaster().setSample(x, y, 0, value);
        else img.setRGB(x, y, value);
    }
}
