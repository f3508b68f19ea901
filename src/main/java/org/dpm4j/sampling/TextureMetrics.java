package org.dpm4j.sampling;

import java.util.Arrays;

import org.dpm4j.util.Check;

/**
 * How well a filled-in region continues a texture (Figure 5's number beside the pictures): second-order statistics
 * through the radially averaged power spectrum, first-order statistics through the grey-level distribution. Both
 * compare an inpainted region with the true region it replaced; neither needs a model.
 */
public final class TextureMetrics {
    private TextureMetrics() {}

    /**
     * A radially averaged power spectrum: {@code power[r - 1]} is the mean of |F(ky, kx)|^2 / (h w) over the
     * frequencies whose radius sqrt(ky^2 + kx^2), in cycles per image, rounds to r, for r = 1..min(h, w)/2;
     * {@code count[r - 1]} is how many frequencies that is. Units: squared image values (per frequency).
     */
    public record Spectrum(double[] radius, double[] power, int[] count) {}

    /**
     * The radially averaged power spectrum of one h x w image (row-major values): the image's own mean is removed (it
     * moves only the zero frequency, which no bin holds), F is the 2-D discrete Fourier transform
     * F(ky, kx) = sum_{y, x} v(y, x) exp(-2 pi i (ky y / h + kx x / w)), and |F|^2 / (h w) is the periodogram, whose
     * expectation for white noise of variance s^2 is s^2 at every frequency (Parseval: the sum over all frequencies is
     * the sum of squares). A direct separable transform, O(h w (h + w)): regions here are at most a few hundred pixels
     * a side.
     */
    public static Spectrum radialPowerSpectrum(double[] image, int h, int w) {
        check(image, h, w);
        int R = Math.min(h, w) / 2;
        if (R < 1) throw Check.bad("h, w", h + ", " + w, "both at least 2 (a spectrum needs one non-zero frequency)");
        double mean = Arrays.stream(image).average().orElseThrow();
        // rows first: G(y, kx) = sum_x v(y, x) e^{-2 pi i kx x / w}
        double[] gr = new double[h * w], gi = new double[h * w];
        for (int y = 0; y < h; y++)
            for (int kx = 0; kx < w; kx++) {
                double re = 0, im = 0;
                for (int x = 0; x < w; x++) {
                    double a = -2 * Math.PI * (long) kx * x / w, v = image[y * w + x] - mean;
                    re += v * Math.cos(a);
                    im += v * Math.sin(a);
                }
                gr[y * w + kx] = re;
                gi[y * w + kx] = im;
            }
        double[] power = new double[R];
        int[] count = new int[R];
        for (int ky = 0; ky < h; ky++)
            for (int kx = 0; kx < w; kx++) {
                int sy = ky <= h / 2 ? ky : ky - h, sx = kx <= w / 2 ? kx : kx - w;
                int r = (int) Math.round(Math.sqrt((double) sy * sy + (double) sx * sx));
                if (r < 1 || r > R) continue;
                double re = 0, im = 0;
                for (int y = 0; y < h; y++) {
                    double a = -2 * Math.PI * (long) ky * y / h, c = Math.cos(a), s = Math.sin(a);
                    double xr = gr[y * w + kx], xi = gi[y * w + kx];
                    re += xr * c - xi * s;
                    im += xr * s + xi * c;
                }
                power[r - 1] += (re * re + im * im) / ((double) h * w);
                count[r - 1]++;
            }
        double[] radius = new double[R];
        for (int r = 1; r <= R; r++) {
            radius[r - 1] = r;
            power[r - 1] /= count[r - 1];
        }
        return new Spectrum(radius, power, count);
    }

    /** The mean of the images' spectra (each row of {@code images} one h x w image), bin by bin. */
    public static Spectrum meanSpectrum(double[][] images, int h, int w) {
        if (images == null || images.length == 0) throw Check.bad("images", images == null ? null : "[]", "at least one image");
        Spectrum first = radialPowerSpectrum(images[0], h, w);
        double[] sum = first.power().clone();
        for (int i = 1; i < images.length; i++) {
            double[] p = radialPowerSpectrum(images[i], h, w).power();
            for (int r = 0; r < sum.length; r++) sum[r] += p[r];
        }
        for (int r = 0; r < sum.length; r++) sum[r] /= images.length;
        return new Spectrum(first.radius(), sum, first.count());
    }

    /**
     * The root-mean-square over radius bins of log10(p / q): how far apart two spectra are in decades of power,
     * every octave of frequency weighted by its bins (0 for identical spectra; 1 if one is ten times the other
     * everywhere). Bins where both are 0 are skipped; a bin where only one is 0 is infinitely far.
     */
    public static double logSpectrumDistance(Spectrum p, Spectrum q) {
        if (p == null || q == null) throw Check.bad("spectra", null, "two spectra");
        if (p.power().length != q.power().length) throw Check.bad("spectrum lengths", p.power().length + " vs " + q.power().length, "equal (the same region size)");
        double sum = 0;
        int n = 0;
        for (int r = 0; r < p.power().length; r++) {
            double a = p.power()[r], b = q.power()[r];
            if (a == 0 && b == 0) continue;
            double l = Math.log10(a / b);
            sum += l * l;
            n++;
        }
        return n == 0 ? 0 : Math.sqrt(sum / n);
    }

    /**
     * The fraction of values in each of {@code bins} equal bins over [lo, hi] (values outside go to the end bins,
     * so the fractions sum to 1).
     */
    public static double[] histogram(double[] values, double lo, double hi, int bins) {
        if (values == null || values.length == 0) throw Check.bad("values", values == null ? null : "[]", "at least one value");
        Check.allFinite("values", values);
        Check.positive("bins", bins);
        if (!(hi > lo) || !Double.isFinite(lo) || !Double.isFinite(hi)) throw Check.bad("hi", hi, "a finite number > lo = " + lo);
        double[] f = new double[bins];
        for (double v : values) {
            int b = (int) Math.floor((v - lo) / (hi - lo) * bins);
            f[Math.max(0, Math.min(bins - 1, b))] += 1.0 / values.length;
        }
        return f;
    }

    /** Total-variation distance (1/2) sum |p_i - q_i| between two histograms: 0 if identical, 1 if disjoint. */
    public static double totalVariation(double[] p, double[] q) {
        if (p == null || q == null || p.length != q.length) throw Check.bad("histogram lengths",
                (p == null ? null : p.length) + " vs " + (q == null ? null : q.length), "two histograms of equal length");
        double s = 0;
        for (int i = 0; i < p.length; i++) s += Math.abs(p[i] - q[i]);
        return s / 2;
    }

    /**
     * The earth mover's (Wasserstein-1) distance between the empirical distributions of two samples, the integral of
     * |F_a(v) - F_b(v)| dv over their distribution functions, in the values' units: 0 for the same values in any
     * order, c for a sample shifted by c. Binning-free, unlike {@link #totalVariation}.
     */
    public static double wasserstein1(double[] a, double[] b) {
        if (a == null || a.length == 0) throw Check.bad("a", a == null ? null : "[]", "at least one value");
        if (b == null || b.length == 0) throw Check.bad("b", b == null ? null : "[]", "at least one value");
        Check.allFinite("a", a);
        Check.allFinite("b", b);
        double[] x = a.clone(), y = b.clone();
        Arrays.sort(x);
        Arrays.sort(y);
        int i = 0, j = 0;
        double prev = Math.min(x[0], y[0]), dist = 0;
        while (i < x.length || j < y.length) {
            double next = j >= y.length || (i < x.length && x[i] <= y[j]) ? x[i] : y[j];
            dist += Math.abs((double) i / x.length - (double) j / y.length) * (next - prev);
            prev = next;
            while (i < x.length && x[i] == next) i++;
            while (j < y.length && y[j] == next) j++;
        }
        return dist;
    }

    private static void check(double[] image, int h, int w) {
        Check.positive("h", h);
        Check.positive("w", w);
        if (image == null || image.length != h * w) throw Check.bad("image length", image == null ? null : image.length, "h w = " + h * w);
        Check.allFinite("image", image);
    }
}
