package org.dpm4j.data;

import java.util.random.RandomGenerator;

import org.dpm4j.util.Check;
import org.dpm4j.util.DataValues;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The preprocessing between stored values x in [0, 1] and the values z the model sees, as in the reference code:
 * one scalar mean and standard deviation for the whole data set, z = (x - mean) / std, and on every draw uniform
 * dequantisation noise of total width {@link #noiseWidth()} (in z units) centred on z.
 *
 * <p>Units. The paper reports K in bits per pixel on z (a pixel holds all its channels: a CIFAR-10 pixel is 3
 * dimensions). {@link #nllBitsPerDim} turns that into the "bits/dim NLL on the 8-bit scale" of later papers.
 *
 * @param mean       mean of the stored values x over the training set
 * @param std        standard deviation of x over the training set (population, as the reference's np.mean form)
 * @param noiseWidth width of the uniform dequantisation noise in z units; 0 for continuous data
 * @param levels     number of quantisation levels of the stored data (256 for 8-bit images), 0 if continuous
 */
public record Scaling(double mean, double std, double noiseWidth, int levels) {
    public Scaling {
        Check.finite("mean", mean);
        Check.positive("std", std);
        if (!(noiseWidth >= 0) || !Double.isFinite(noiseWidth)) throw Check.bad("noiseWidth", noiseWidth, "a finite number >= 0");
        if (levels != 0 && levels < 2) throw Check.bad("levels", levels, "0 (continuous) or an integer >= 2");
    }

    /**
     * The reference code's choice for 8-bit data stored in [0, 1]: its multiplicative scale is scl = 1/std and its
     * noise width is (1/255)/scl = std/255 in z units. That is std^2 times one quantisation bin (one bin is
     * 1/(255 std) in z units), so its noise fills only part of each bin (about a tenth for MNIST).
     */
    public static Scaling reference8Bit(double mean, double std) {
        return new Scaling(mean, std, (1.0 / 255.0) * std, 256);
    }

    /** Noise exactly one 8-bit bin wide, (1/255)/std in z units: the dequantisation under which bits/dim is a bound. */
    public static Scaling fullBin8Bit(double mean, double std) {
        return new Scaling(mean, std, 1.0 / (255.0 * std), 256);
    }

    /** Continuous data (dead leaves with continuous grey levels, synthetic data): z-scoring only, no noise. */
    public static Scaling continuous(double mean, double std) { return new Scaling(mean, std, 0, 0); }

    /** Variances at most this times mean^2 are rounding in E[x^2] - mean^2, not spread: the data are constant. */
    static final double MIN_RELATIVE_VARIANCE = 1e-12;

    /** Scalar mean and population standard deviation of every value in x, as the reference code computes them. */
    public static double[] meanAndStd(INDArray x) {
        DataValues.bounded("x", x);
        if (x.length() < 1) throw Check.bad("x.length", x.length(), "at least one value to take the mean and std of");
        // mean of squares from the 2-norm: no copy of a data set that can be hundreds of MB
        double n = x.length(), mean = x.sumNumber().doubleValue() / n, norm = x.norm2Number().doubleValue();
        double var = Math.max(0, norm * norm / n - mean * mean);
        // E[x^2] - mean^2 cancels: on constant data it leaves rounding of order 1e-16 mean^2, not 0, and a z-scoring
        // by that std would blow the rounding up to values of order 1e8
        if (var <= MIN_RELATIVE_VARIANCE * mean * mean) throw Check.bad("x", "values all equal to " + mean
                + " (std " + Math.sqrt(var) + ")", "values that vary, with std > 1e-6 |mean|: z-scoring divides by the std");
        return new double[] {mean, Math.sqrt(var)};
    }

    /** Width of one quantisation bin in z units ((1/(levels - 1))/std); NaN for continuous data. */
    public double binWidth() { return levels == 0 ? Double.NaN : 1.0 / ((levels - 1) * std); }

    /** z = (x - mean) / std, a new array. */
    public INDArray toModel(INDArray x) {
        DataValues.bounded("x", x);
        // a tiny std can carry sane stored values beyond the magnitude the model's arithmetic stands
        return DataValues.bounded("z = (x - mean) / std (std = " + std + ")", x.sub(mean).divi(std));
    }

    /** x = z std + mean, a new array: back to the stored [0, 1] range (for display). */
    public INDArray toStored(INDArray z) { return z.mul(std).addi(mean); }

    /** z plus uniform noise on [-noiseWidth/2, noiseWidth/2] per value, a new DOUBLE array (one fresh draw). */
    public INDArray dequantise(INDArray z, RandomGenerator rng) {
        if (z == null) throw Check.bad("z", null, "an array of z-scored values");
        if (rng == null) throw Check.bad("rng", null, "a seeded RandomGenerator");
        double[] v = z.dup().data().asDouble();
        for (int i = 0; i < v.length; i++) v[i] += (rng.nextDouble() - 0.5) * noiseWidth;
        return Nd4j.create(v, z.shape(), 'c');
    }

    /**
     * Converts a lower bound K on the log-likelihood of dequantised z-scored data, in bits per pixel (the paper's
     * Table 1 unit), into an upper bound on the negative log-likelihood of the 8-bit data in bits per dimension:
     * NLL <= -K / channels - log2(noiseWidth). Why: a density p on z, integrated over a noise cell of width w inside one
     * quantisation bin, gives P(bin) >= w exp(E log p) by Jensen, and the change of variables z -> 8-bit level cancels
     * between the density and the bin, leaving only the noise width in z units. The bound is tightest when the noise
     * fills the whole bin ({@link #fullBin8Bit}); with {@link #reference8Bit}'s narrower noise it is looser by
     * log2(1/std^2) bits/dim.
     *
     * @param kBitsPerPixel K on z-scored data, bits per pixel (all channels of a pixel)
     * @param channels      channels per pixel (3 for CIFAR-10, 1 for MNIST)
     * @return upper bound on NLL of the 8-bit data, bits per dimension
     */
    public double nllBitsPerDim(double kBitsPerPixel, int channels) {
        Check.finite("kBitsPerPixel", kBitsPerPixel);
        Check.positive("channels", channels);
        if (levels == 0 || noiseWidth == 0) throw Check.bad("scaling.levels/noiseWidth", levels + "/" + noiseWidth,
                "quantised data with dequantisation noise (bits/dim NLL is defined for discrete data only)");
        if (noiseWidth > binWidth() * (1 + 1e-12)) throw Check.bad("noiseWidth", noiseWidth,
                "at most one quantisation bin, " + binWidth() + " in z units, for the bound to hold");
        return -kBitsPerPixel / channels - Math.log(noiseWidth) / Math.log(2);
    }
}
