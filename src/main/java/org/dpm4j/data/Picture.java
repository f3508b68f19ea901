package org.dpm4j.data;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.dpm4j.util.Check;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One image file read into values in [0, 1], channel-major (see {@link ImageShape}): grey files give 1 channel,
 * colour files 3 (RGB, alpha dropped). 8-bit files give exact levels k/255.
 */
public record Picture(ImageShape shape, double[] values) {
    public Picture {
        if (shape == null) throw Check.bad("shape", null, "an ImageShape");
        if (values == null) throw Check.bad("values", null, "shape.dimensions() = " + shape.dimensions() + " values");
        if (values.length != shape.dimensions()) throw Check.bad("values.length", values.length, shape.dimensions() + " for " + shape);
    }

    /** Reads a PNG or JPEG with javax.imageio; an unreadable file is a {@link CorruptDataException}. */
    public static Picture read(Path file) {
        DataCache.requireFile(file, "image file");
        checkHeaderSize(file);
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (java.io.IOException | RuntimeException e) {
            throw new CorruptDataException(file, 0, "cannot decode the image: " + e.getMessage(), e);
        }
        if (img == null) throw new CorruptDataException(file, 0, "not an image format javax.imageio can read (PNG, JPEG)");
        int h = img.getHeight(), w = img.getWidth();
        Raster raster = img.getRaster();
        boolean grey = raster.getNumBands() == 1 && !(img.getColorModel() instanceof java.awt.image.IndexColorModel);
        if (grey) {
            double max = (1 << raster.getSampleModel().getSampleSize(0)) - 1;
            double[] v = new double[h * w];
            for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) v[y * w + x] = raster.getSample(x, y, 0) / max;
            return new Picture(ImageShape.grey(h, w), v);
        }
        ImageShape s = ImageShape.colour(h, w);
        double[] v = new double[s.dimensions()];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                v[s.index(0, y, x)] = ((rgb >> 16) & 0xff) / 255.0;
                v[s.index(1, y, x)] = ((rgb >> 8) & 0xff) / 255.0;
                v[s.index(2, y, x)] = (rgb & 0xff) / 255.0;
            }
        }
        return new Picture(s, v);
    }

    /**
     * Bytes held per pixel while a picture is read: up to 4 in the decoded image (32-bit ARGB) and 3 doubles of
     * values (colour). Why checked: the width and height come from the file's header, and javax.imageio allocates
     * the whole image before it finds that the compressed data does not hold it.
     */
    static final long BYTES_PER_PIXEL = 4 + 3 * Double.BYTES;

    /** Refuses a header whose width x height cannot be held (Java array range, this JVM's maximum heap). */
    private static void checkHeaderSize(Path file) {
        long w, h;
        try (javax.imageio.stream.ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) return; // not openable as an image stream: ImageIO.read reports it below
            java.util.Iterator<javax.imageio.ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) return;
            javax.imageio.ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                w = reader.getWidth(0);
                h = reader.getHeight(0);
            } finally {
                reader.dispose();
            }
        } catch (java.io.IOException | RuntimeException e) {
            throw new CorruptDataException(file, 0, "cannot read the image header: " + e.getMessage(), e);
        }
        long pixels = w * h, heap = Runtime.getRuntime().maxMemory();
        if (w < 1 || h < 1 || 3 * pixels > Integer.MAX_VALUE - 8) {
            throw new CorruptDataException(file, 0, "the image header gives width x height = " + w + " x " + h
                    + ", expected at least 1 x 1 and at most " + (Integer.MAX_VALUE - 8) / 3
                    + " pixels (3 values per pixel in one Java array)");
        }
        if (pixels * BYTES_PER_PIXEL > heap) {
            throw new CorruptDataException(file, 0, "the image header gives width x height = " + w + " x " + h
                    + ": reading it needs about " + pixels * BYTES_PER_PIXEL / (1 << 20) + " MB, more than this JVM's "
                    + "maximum heap of " + heap / (1 << 20) + " MB (-Xmx)");
        }
    }

    /** Averages factor x factor blocks (dropping edge remainders) and rounds back to the 8-bit levels k/255. */
    public Picture downscale(int factor) {
        Check.inRange("factor", factor, 1, Math.min(shape.height(), shape.width()));
        if (factor == 1) return this;
        ImageShape s = new ImageShape(shape.channels(), shape.height() / factor, shape.width() / factor);
        double[] v = new double[s.dimensions()];
        for (int c = 0; c < s.channels(); c++)
            for (int y = 0; y < s.height(); y++)
                for (int x = 0; x < s.width(); x++) {
                    double sum = 0;
                    for (int dy = 0; dy < factor; dy++)
                        for (int dx = 0; dx < factor; dx++) sum += values[shape.index(c, y * factor + dy, x * factor + dx)];
                    v[s.index(c, y, x)] = Math.rint(sum / (factor * factor) * 255) / 255;
                }
        return new Picture(s, v);
    }

    /** The size x size crop with top-left corner (row, column), channel-major. */
    public double[] crop(int row, int column, int size) {
        Check.inRange("size", size, 1, Math.min(shape.height(), shape.width()));
        Check.inRange("row", row, 0, shape.height() - size);
        Check.inRange("column", column, 0, shape.width() - size);
        ImageShape s = new ImageShape(shape.channels(), size, size);
        double[] v = new double[s.dimensions()];
        for (int c = 0; c < s.channels(); c++)
            for (int y = 0; y < size; y++)
                System.arraycopy(values, shape.index(c, row + y, column), v, s.index(c, y, 0), size);
        return v;
    }

    /** The whole picture as a DOUBLE [1, d] array. */
    public INDArray toRow() { return Pixels.unit(values.clone(), 1, values.length); }
}
