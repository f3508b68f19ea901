package org.dpm4j.bound;

import org.dpm4j.util.Check;
import org.dpm4j.util.DataValues;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The Parzen-window log-likelihood of Goodfellow et al. 2014 (their parzen_ll.py), by which Table 2 of the paper
 * compares MNIST models: a Gaussian kernel of width sigma centred on each of N model samples s_j,
 * <pre>
 *   log p(x) = log (1/N) sum_j exp(-||x - s_j||^2 / (2 sigma^2)) - d log(sigma sqrt(2 pi))     (nats)
 * </pre>
 * the log-mean-exp taken with its maximum subtracted, over test examples in batches (theirs: 100); sigma is chosen
 * from a grid (theirs: logspace(-1, 0, 10), on pixels in [0, 1]) by the mean log-likelihood of validation images that
 * are neither training nor test images (theirs: 1,000, MNIST train[50000:51000]); the test set's mean is reported as
 * mean +- std/sqrt(N_test) (numpy's std, ddof = 0), the paper in bits (nats / ln 2). The squared distances come from
 * ||x||^2 + ||s||^2 - 2 x.s (one BLAS product per batch, in double precision).
 */
public final class ParzenWindow {
    /** Goodfellow et al.'s batch of test examples. */
    public static final int GOODFELLOW_BATCH = 100;

    private ParzenWindow() {}

    /** The sigma grid of the protocol: numpy.logspace(-1, 0, 10) = 10^(-1 + k/9), k = 0..9. */
    public static double[] goodfellowSigmas() {
        double[] s = new double[10];
        for (int k = 0; k < 10; k++) s[k] = Math.pow(10, -1 + k / 9.0);
        return s;
    }

    /**
     * log p(x_i) under the Parzen window of width sigma on the samples, for every row x_i of x, nats per example.
     *
     * @param samples [N, d] kernel centres (the model's samples, or training images for the "perfect model" row)
     * @param x       [n, d] examples to score
     * @param sigma   kernel width, in the units of the data
     * @param batch   examples scored per batch (memory: batch x N doubles)
     */
    public static double[] logLikelihoodNats(INDArray samples, INDArray x, double sigma, int batch) {
        INDArray s = checkedSamples(samples);
        INDArray xs = checkedExamples("x", x, (int) s.columns());
        if (!(sigma > 0) || !Double.isFinite(sigma)) throw Check.bad("sigma", sigma, "a finite kernel width > 0");
        Check.positive("batch", batch);
        int n = (int) xs.rows(), N = (int) s.rows(), d = (int) s.columns();
        double[] sNorm = s.mul(s).sum(1).data().asDouble();
        double logNorm = d * Math.log(sigma * Math.sqrt(2 * Math.PI)), logN = Math.log(N), inv2s2 = 1 / (2 * sigma * sigma);
        double[] out = new double[n];
        for (int from = 0; from < n; from += batch) {
            int to = Math.min(n, from + batch);
            INDArray xb = xs.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
            double[] xNorm = xb.mul(xb).sum(1).data().asDouble();
            double[] dot = xb.mmul(s.transpose()).dup('c').data().asDouble();
            double[] e = new double[N];
            for (int i = 0; i < to - from; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < N; j++) {
                    // ||x - s||^2 = ||x||^2 + ||s||^2 - 2 x.s, clamped at 0 against rounding
                    e[j] = -Math.max(0, xNorm[i] + sNorm[j] - 2 * dot[i * N + j]) * inv2s2;
                    max = Math.max(max, e[j]);
                }
                double sum = 0;
                for (int j = 0; j < N; j++) sum += Math.exp(e[j] - max);
                out[from + i] = max + Math.log(sum) - logN - logNorm;
            }
        }
        return out;
    }

    /** The mean log-likelihood of x for each sigma of the grid (nats per example), as the protocol's selection step. */
    public static double[] meanLogLikelihoodNats(INDArray samples, INDArray x, double[] sigmas, int batch) {
        checkSigmas(sigmas);
        double[] m = new double[sigmas.length];
        for (int k = 0; k < sigmas.length; k++) {
            double s = 0;
            double[] ll = logLikelihoodNats(samples, x, sigmas[k], batch);
            for (double v : ll) s += v;
            m[k] = s / ll.length;
        }
        return m;
    }

    /**
     * The whole protocol: sigma chosen from the grid by the validation images' mean log-likelihood, then the test
     * images' log-likelihoods at that sigma.
     *
     * @param samples    [N, d] kernel centres, pixels in [0, 1]
     * @param validation [n_v, d] images neither in the test set nor (for the perfect-model row) among the centres
     * @param test       [n, d] test images
     * @param sigmas     candidate widths ({@link #goodfellowSigmas()} for the protocol)
     * @param batch      examples per batch ({@link #GOODFELLOW_BATCH} for the protocol)
     */
    public static Result evaluate(INDArray samples, INDArray validation, INDArray test, double[] sigmas, int batch) {
        checkSigmas(sigmas);
        Check.positive("batch", batch);
        double[] v = meanLogLikelihoodNats(samples, validation, sigmas, batch);
        int best = 0;
        for (int k = 1; k < v.length; k++) if (v[k] > v[best]) best = k;
        double[] ll = logLikelihoodNats(samples, test, sigmas[best], batch);
        return new Result(sigmas.clone(), v, sigmas[best], (int) samples.rows(),
                HeldOutLikelihood.of("Parzen window", ll, (int) samples.columns()));
    }

    /**
     * The outcome of the protocol.
     *
     * @param sigmas              the grid
     * @param validationMeanNats  the validation images' mean log-likelihood per sigma, nats per image
     * @param sigma               the chosen width
     * @param centres             N, the number of kernel centres
     * @param test                the test images' log-likelihoods at sigma (nats per image; bits with
     *                            {@link HeldOutLikelihood#meanBitsPerExample()}, the paper's unit)
     */
    public record Result(double[] sigmas, double[] validationMeanNats, double sigma, int centres, HeldOutLikelihood test) {
        public Result {
            sigmas = sigmas.clone();
            validationMeanNats = validationMeanNats.clone();
        }

        @Override public double[] sigmas() { return sigmas.clone(); }

        @Override public double[] validationMeanNats() { return validationMeanNats.clone(); }

        /** The Table 2 number: mean test log-likelihood in bits per image. */
        public double meanBits() { return test.meanBitsPerExample(); }

        /** Its std / sqrt(N_test), bits per image. */
        public double standardErrorBits() { return test.standardErrorBitsPerExample(); }

        @Override public String toString() {
            return String.format("Parzen %.1f +- %.1f bits (sigma %.4f, %d centres, %d test images)", meanBits(),
                    standardErrorBits(), sigma, centres, test.examples());
        }
    }

    private static INDArray checkedSamples(INDArray samples) {
        if (samples == null) throw Check.bad("samples", null, "an [N, d] array of kernel centres");
        if (samples.rank() != 2 || samples.rows() < 1 || samples.columns() < 1) {
            throw Check.bad("samples", java.util.Arrays.toString(samples.shape()), "an [N, d] array with N >= 1 samples");
        }
        DataValues.bounded("samples", samples);
        return samples.castTo(DataType.DOUBLE);
    }

    private static INDArray checkedExamples(String name, INDArray x, int d) {
        if (x == null) throw Check.bad(name, null, "an [n, " + d + "] array of examples");
        if (x.rank() != 2 || x.rows() < 1 || x.columns() != d) {
            throw Check.bad(name, java.util.Arrays.toString(x.shape()), "an [n, " + d + "] array (the samples' dimension) with n >= 1");
        }
        DataValues.bounded(name, x);
        return x.castTo(DataType.DOUBLE);
    }

    private static void checkSigmas(double[] sigmas) {
        if (sigmas == null || sigmas.length == 0) throw Check.bad("sigmas", sigmas == null ? null : "[]", "at least one kernel width");
        for (double s : sigmas) {
            if (!(s > 0) || !Double.isFinite(s)) throw Check.bad("sigmas", java.util.Arrays.toString(sigmas), "finite widths > 0");
        }
    }
}
