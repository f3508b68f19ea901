package org.dpm4j.data;

import org.dpm4j.util.Check;

/**
 * The shape of one image, channels x height x width. A flattened example has {@link #dimensions()} values in
 * channel-major order (channel, then row, then column), the layout of the CIFAR-10 binary batches and of the
 * reference code's [n, colours, width, width] tensors.
 */
public record ImageShape(int channels, int height, int width) {
    public ImageShape {
        Check.positive("channels", channels);
        Check.positive("height", height);
        Check.positive("width", width);
        long d = (long) channels * height * width;
        if (d > Integer.MAX_VALUE - 8) throw Check.bad("channels x height x width", channels + " x " + height + " x " + width
                + " = " + d, "at most " + (Integer.MAX_VALUE - 8) + " values per image (one Java array)");
    }

    public static ImageShape grey(int height, int width) { return new ImageShape(1, height, width); }

    public static ImageShape colour(int height, int width) { return new ImageShape(3, height, width); }

    /** Values per example: the "dimensions" of bits/dim. */
    public int dimensions() { return channels * height * width; }

    /** Pixel positions per example: the "pixels" of the paper's bits/pixel (a pixel holds all its channels). */
    public int pixels() { return height * width; }

    /** Index into a flattened example of (channel, row, column). */
    public int index(int channel, int row, int column) { return (channel * height + row) * width + column; }

    @Override
    public String toString() { return channels + "x" + height + "x" + width; }
}
