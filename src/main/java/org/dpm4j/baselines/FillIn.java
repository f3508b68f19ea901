package org.dpm4j.baselines;

import java.util.random.RandomGenerator;
import org.dpm4j.util.Check;

/**
 * Scoring a fill-in of missing binary values: the log-likelihood the true missing values get under per-value
 * probabilities of a 1, sum over the missing values of x log2 p + (1 - x) log2 (1 - p), bits per example (the negative
 * cross-entropy). Probabilities are clipped to [1e-9, 1 - 1e-9] so one confident miss costs about 30 bits rather than
 * infinity. The same score serves the denoising autoencoder (its reconstruction) and the diffusion model (the share of
 * its inpainting draws with a 1, {@link #fromDraws}), so the two are compared per value on the same masks.
 */
public final class FillIn {
    private static final double CLIP = 1e-9, LN2 = Math.log(2);

    private FillIn() {}

    /** Known-value masks [n, d] (row-major): 1 known, 0 missing; per row a contiguous block of {@code width} missing values at a uniform offset. */
    public static double[] blockMask(int n, int d, int width, RandomGenerator rng) {
        Check.positive("n", n);
        Check.positive("d", d);
        Check.inRange("width", width, 1, d);
        if (rng == null) throw Check.bad("rng", null, "a seeded generator");
        double[] known = new double[n * d];
        java.util.Arrays.fill(known, 1);
        for (int i = 0; i < n; i++) {
            int start = rng.nextInt(d - width + 1);
            for (int j = start; j < start + width; j++) known[i * d + j] = 0;
        }
        return known;
    }

    /**
     * Known-value masks for n images of height x width (row-major pixels, one channel): 1 known, 0 missing; the same
     * side x side square hidden in every image, centred (for an odd margin the extra row and column go below and right).
     */
    public static double[] centredBlockMask(int n, int height, int width, int side) {
        Check.positive("n", n);
        Check.positive("height", height);
        Check.positive("width", width);
        Check.inRange("side", side, 1, Math.min(height, width));
        int top = (height - side) / 2, left = (width - side) / 2, d = height * width;
        double[] known = new double[n * d];
        java.util.Arrays.fill(known, 1);
        for (int i = 0; i < n; i++) {
            for (int r = top; r < top + side; r++) for (int c = left; c < left + side; c++) known[i * d + r * width + c] = 0;
        }
        return known;
    }

    /**
     * Grey values thresholded at 1/2 (1 where v >= 1/2): pixels as the binary values this score takes. Values a
     * rounding error outside [0, 1] (a z-scored 0 scaled back) are accepted; others are refused.
     */
    public static double[] threshold(double[] values) {
        double[] b = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            if (!(values[i] >= -1e-9 && values[i] <= 1 + 1e-9)) throw Check.bad("values[" + i + "]", values[i], "a value in [0, 1]");
            b[i] = values[i] >= 0.5 ? 1 : 0;
        }
        return b;
    }

    /**
     * The mean over the missing values of (prediction - truth)^2, in the values' squared unit: a score that needs no
     * probabilities (a fill-in's grey values, or the mean of a model's draws).
     */
    public static double meanSquaredError(double[] prediction, double[] truth, double[] known) {
        if (prediction == null || truth == null || known == null || prediction.length != truth.length || known.length != truth.length) {
            throw Check.bad("lengths", prediction == null ? null : prediction.length, "prediction, truth and known of one length");
        }
        double s = 0;
        int m = 0;
        for (int i = 0; i < truth.length; i++) {
            if (known[i] == 1) continue;
            s += (prediction[i] - truth[i]) * (prediction[i] - truth[i]);
            m++;
        }
        if (m == 0) throw Check.bad("known", "no missing value", "at least one missing value (a 0)");
        return s / m;
    }

    /** Per-value means of m draws per example (draws row-major [n * m, d], example i's in rows i * m .. i * m + m - 1): [n, d]. */
    public static double[] meanOfDraws(double[] draws, int m, int d) {
        Check.positive("m", m);
        Check.positive("d", d);
        if (draws == null || draws.length == 0 || draws.length % (m * d) != 0) throw Check.bad("draws.length", draws == null ? null : draws.length, "a positive multiple of m * d = " + m * d);
        int n = draws.length / (m * d);
        double[] mean = new double[n * d];
        for (int i = 0; i < n; i++) for (int k = 0; k < m; k++) for (int j = 0; j < d; j++) mean[i * d + j] += draws[(i * m + k) * d + j] / m;
        return mean;
    }

    /** The known values of x with the missing ones taken from fill (for pictures of a fill-in): x known + fill (1 - known). */
    public static double[] composite(double[] x, double[] known, double[] fill) {
        if (x == null || known == null || fill == null || known.length != x.length || fill.length != x.length) {
            throw Check.bad("lengths", x == null ? null : x.length, "x, known and fill of one length");
        }
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = known[i] == 1 ? x[i] : fill[i];
        return out;
    }

    /** The first of each example's m draws (draws row-major [n * m, d] as {@link #fromDraws} takes them): [n, d]. */
    public static double[] firstDraws(double[] draws, int m, int d) {
        Check.positive("m", m);
        Check.positive("d", d);
        if (draws == null || draws.length == 0 || draws.length % (m * d) != 0) throw Check.bad("draws.length", draws == null ? null : draws.length, "a positive multiple of m * d = " + m * d);
        int n = draws.length / (m * d);
        double[] out = new double[n * d];
        for (int i = 0; i < n; i++) System.arraycopy(draws, i * m * d, out, i * d, d);
        return out;
    }

    /** Mean over examples of the log-likelihood of the missing values, bits per example (0 is perfect). */
    public static double logLikelihoodBits(double[] probabilityOfOne, double[] truth, double[] known, int d) {
        return perExampleBits(probabilityOfOne, truth, known, d).mean();
    }

    /** Per-example log-likelihood of the missing values (bits), with its mean and standard error. */
    public static Score perExampleBits(double[] probabilityOfOne, double[] truth, double[] known, int d) {
        if (probabilityOfOne == null || truth == null || known == null || probabilityOfOne.length != truth.length || known.length != truth.length) {
            throw Check.bad("lengths", probabilityOfOne == null ? null : probabilityOfOne.length, "probabilityOfOne, truth and known of one length");
        }
        Check.positive("d", d);
        if (truth.length == 0 || truth.length % d != 0) throw Check.bad("truth.length", truth.length, "a positive multiple of d = " + d);
        int n = truth.length / d;
        double[] ll = new double[n];
        for (int i = 0; i < truth.length; i++) {
            if (known[i] == 1) continue;
            if (truth[i] != 0 && truth[i] != 1) throw Check.bad("truth[" + i + "]", truth[i], "0 or 1");
            double p = Math.min(1 - CLIP, Math.max(CLIP, probabilityOfOne[i]));
            ll[i / d] += (truth[i] == 1 ? Math.log(p) : Math.log(1 - p)) / LN2;
        }
        return Score.of(ll);
    }

    /**
     * Per-value probability of a 1 from m draws per example (draws row-major [n * m, d], the m draws of example i in rows
     * i * m .. i * m + m - 1): (ones + 1/2) / (m + 1), the Krichevsky-Trofimov estimate, so a value never drawn keeps
     * a probability of 1 / (2 m + 2) rather than 0.
     */
    public static double[] fromDraws(double[] draws, int m, int d) {
        Check.positive("m", m);
        Check.positive("d", d);
        if (draws == null || draws.length == 0 || draws.length % (m * d) != 0) throw Check.bad("draws.length", draws == null ? null : draws.length, "a positive multiple of m * d = " + m * d);
        int n = draws.length / (m * d);
        double[] p = new double[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double ones = 0;
                for (int k = 0; k < m; k++) ones += draws[(i * m + k) * d + j];
                p[i * d + j] = (ones + 0.5) / (m + 1);
            }
        }
        return p;
    }

    /**
     * The best score {@link #fromDraws} allows with m draws: a fill-in whose every draw is right still gives each of
     * the {@code missing} values probability (m + 1/2) / (m + 1), so -missing log2((m + 1) / (m + 1/2)) bits per example.
     */
    public static double floorBits(int missing, int m) {
        Check.positive("missing", missing);
        Check.positive("m", m);
        return -missing * Math.log((m + 1) / (m + 0.5)) / LN2;
    }

    /**
     * The fraction of examples whose every missing value is on the right side of 1/2 (the fill-in, rounded, is exact):
     * a score with no floor from the number of draws.
     */
    public static double exactFraction(double[] probabilityOfOne, double[] truth, double[] known, int d) {
        perExampleBits(probabilityOfOne, truth, known, d);   // the same checks
        int n = truth.length / d, exact = 0;
        for (int i = 0; i < n; i++) {
            boolean ok = true;
            for (int j = i * d; j < (i + 1) * d && ok; j++) ok = known[j] == 1 || (probabilityOfOne[j] > 0.5) == (truth[j] == 1);
            if (ok) exact++;
        }
        return exact / (double) n;
    }

    /** A per-example score and its mean with the standard error of the mean, bits per example. */
    public record Score(double[] perExample, double mean, double standardError) {
        static Score of(double[] v) {
            double m = 0;
            for (double x : v) m += x / v.length;
            double ss = 0;
            for (double x : v) ss += (x - m) * (x - m);
            return new Score(v, m, v.length > 1 ? Math.sqrt(ss / (v.length - 1) / v.length) : Double.NaN);
        }
    }
}
