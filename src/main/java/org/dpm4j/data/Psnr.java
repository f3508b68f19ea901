package org.dpm4j.data;

import org.dpm4j.util.Check;
import org.dpm4j.util.DataValues;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Peak signal-to-noise ratio of an estimate of an image against the image: PSNR = 10 log10(peak^2 / MSE) decibels,
 * MSE the mean squared difference over every value of the image (all channels). Per image, then averaged over images
 * (the usual convention of denoising papers), for Figure 3's denoising quality. Units: decibels; values and peak in
 * the same units (stored [0, 1] values and peak 1 here).
 */
public final class Psnr {
    private Psnr() {}

    /**
     * PSNR of each row of {@code estimate} against the same row of {@code clean}, dB; +Infinity for an exact copy.
     *
     * @param clean    [n, d] the images
     * @param estimate [n, d] their estimates
     * @param peak     the largest possible value (1 for images in [0, 1], 255 for 8-bit levels)
     */
    public static double[] perImage(INDArray clean, INDArray estimate, double peak) {
        if (clean == null) throw Check.bad("clean", null, "an [n, d] array of images");
        if (estimate == null) throw Check.bad("estimate", null, "an [n, d] array of estimates");
        if (clean.rank() != 2 || clean.rows() < 1 || clean.columns() < 1) throw Check.bad("clean.shape",
                java.util.Arrays.toString(clean.shape()), "[n, d] with n, d >= 1");
        if (!java.util.Arrays.equals(clean.shape(), estimate.shape())) throw Check.bad("estimate.shape",
                java.util.Arrays.toString(estimate.shape()), "clean's shape " + java.util.Arrays.toString(clean.shape()));
        Check.positive("peak", peak);
        DataValues.bounded("clean", clean);
        DataValues.bounded("estimate", estimate);
        int n = (int) clean.rows(), d = (int) clean.columns();
        double[] a = clean.dup().data().asDouble(), b = estimate.dup().data().asDouble(), out = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = i * d; j < (i + 1) * d; j++) s += (a[j] - b[j]) * (a[j] - b[j]);
            out[i] = 10 * Math.log10(peak * peak / (s / d));
        }
        return out;
    }

    /** The mean of per-image PSNRs, dB. */
    public static double mean(double[] psnr) {
        check(psnr, 1);
        double s = 0;
        for (double v : psnr) s += v;
        return s / psnr.length;
    }

    /** The standard error of that mean over the images (sample standard deviation / sqrt(n)), dB; NaN for one image. */
    public static double standardError(double[] psnr) {
        check(psnr, 1);
        int n = psnr.length;
        if (n < 2) return Double.NaN;
        double m = mean(psnr), s = 0;
        for (double v : psnr) s += (v - m) * (v - m);
        return Math.sqrt(s / (n - 1) / n);
    }

    private static void check(double[] psnr, int min) {
        if (psnr == null || psnr.length < min) throw Check.bad("psnr", psnr == null ? null : psnr.length + " values", "at least " + min + " PSNR values");
        for (double v : psnr) if (Double.isNaN(v)) throw Check.bad("psnr", "NaN", "PSNR values in dB (+Infinity allowed for an exact copy)");
    }
}
