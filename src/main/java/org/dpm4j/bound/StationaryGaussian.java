package org.dpm4j.bound;

import org.dpm4j.data.ImageShape;
import org.dpm4j.util.Check;
import org.dpm4j.util.DataValues;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The best stationary Gaussian for images whose statistics do not depend on position (dead leaves, textures): one
 * scalar mean mu for every pixel and a covariance that depends only on the offset between two pixels,
 * Sigma[(r, c), (r', c')] = k(r' - r, c' - c) + ridge [same pixel], a power-spectrum model (k is the inverse Fourier
 * transform of the power spectrum, Wiener-Khinchin) without a periodic boundary.
 * <p>
 * The fit: k(dr, dc) is the pooled autocovariance of the training images, the mean of (x_p - mu)(x_q - mu) over every
 * training image and every pixel pair q - p = (dr, dc) inside the image; equivalently the full sample covariance
 * (divisor n) averaged along each offset. For a stationary process this is the covariance the full-covariance fit
 * ({@link GaussianDensity#full}) estimates, from (2H - 1)(2W - 1)/2 numbers instead of d(d + 1)/2, so it needs far
 * fewer training images; on stationary data the Gaussian that maximises the expected log-likelihood is itself
 * stationary (it is the data's own covariance), so no Gaussian baseline does better in expectation.
 * <p>
 * Why not a circulant (periodic) covariance, whose maximum-likelihood fit is the averaged periodogram in closed form
 * and whose likelihood needs only FFTs: it treats the image as a torus, coupling the left edge to the right edge and
 * the top to the bottom, which dead-leaves images do not do (discs at opposite edges are independent); the
 * non-periodic (block-Toeplitz) covariance keeps the right statistics at the borders and, at d = 1024, its exact
 * likelihood by Cholesky costs well under a second.
 * <p>
 * log N(x; mu 1, Sigma) = -(d/2) log(2 pi) - (1/2) log det Sigma - (1/2) (x - mu 1)^T Sigma^{-1} (x - mu 1), nats per
 * image, through {@link GaussianDensity}'s Cholesky factor and whitening. The averaged covariance of finite data need
 * not be positive definite; a stated ridge is then added (0 is allowed when it is), and the error names it.
 */
public final class StationaryGaussian {
    private final ImageShape shape;
    private final double ridge, mean, logDetSigma;
    private final int d, trainExamples;
    private final double[][] autocovariance;   // [2H - 1][2W - 1], index (dr + H - 1, dc + W - 1)
    private final double[] whitening;          // L^{-1}, row-major d x d lower triangular

    private StationaryGaussian(ImageShape shape, double ridge, int trainExamples, double mean, double[][] autocovariance) {
        this.shape = shape;
        this.ridge = ridge;
        this.d = shape.dimensions();
        this.trainExamples = trainExamples;
        this.mean = mean;
        this.autocovariance = autocovariance;
        double[] sigma = covariance(shape, autocovariance, ridge);
        double[] l = GaussianDensity.cholesky(sigma, d, ridge);
        double logDet = 0;
        for (int i = 0; i < d; i++) logDet += 2 * Math.log(l[i * d + i]);
        this.logDetSigma = logDet;
        this.whitening = GaussianDensity.inverseLower(l, d);
    }

    /**
     * Fits the stationary Gaussian to training images (see the class comment): mu the mean of every value, k the
     * pooled autocovariance at every offset.
     *
     * @param train [n, d] training images, n >= 2, one grey channel, flattened row-major as {@code shape}
     * @param shape the images' shape (one channel: stationarity across colour channels is not modelled)
     * @param ridge added to k(0, 0), >= 0 (squared units of the data)
     */
    public static StationaryGaussian fit(INDArray train, ImageShape shape, double ridge) {
        if (shape == null) throw Check.bad("shape", null, "an ImageShape");
        if (shape.channels() != 1) throw Check.bad("shape.channels", shape.channels(), "1 (grey images)");
        if (train == null) throw Check.bad("train", null, "an [n, " + shape.dimensions() + "] array of training images");
        if (train.rank() != 2 || train.rows() < 2 || train.columns() != shape.dimensions()) {
            throw Check.bad("train.shape", java.util.Arrays.toString(train.shape()), "[n, " + shape.dimensions()
                    + "] with n >= 2 images of " + shape);
        }
        if (!(ridge >= 0) || !Double.isFinite(ridge)) throw Check.bad("ridge", ridge, "a finite number >= 0");
        DataValues.bounded("train", train);
        INDArray x = train.castTo(DataType.DOUBLE);
        int n = (int) x.rows(), d = shape.dimensions(), H = shape.height(), W = shape.width();
        double mu = x.meanNumber().doubleValue();
        INDArray centred = x.sub(mu);
        // the sample second moments of every pixel pair, one BLAS product; then averaged along each offset
        double[] s = centred.transpose().mmul(centred).divi(n).data().asDouble();
        double[][] sum = new double[2 * H - 1][2 * W - 1];
        for (int p = 0; p < d; p++) {
            int r = p / W, c = p % W;
            for (int q = 0; q < d; q++) sum[q / W - r + H - 1][q % W - c + W - 1] += s[p * d + q];
        }
        for (int dr = -(H - 1); dr < H; dr++)
            for (int dc = -(W - 1); dc < W; dc++) sum[dr + H - 1][dc + W - 1] /= (double) (H - Math.abs(dr)) * (W - Math.abs(dc));
        return new StationaryGaussian(shape, ridge, n, mu, sum);
    }

    /**
     * The stationary Gaussian with a given mean and autocovariance k(dr, dc) (no fit), e.g. a known process.
     *
     * @param autocovariance [2H - 1][2W - 1], entry [dr + H - 1][dc + W - 1] = k(dr, dc), symmetric: k(-dr, -dc) = k(dr, dc)
     */
    public static StationaryGaussian of(ImageShape shape, double mean, double[][] autocovariance) {
        if (shape == null) throw Check.bad("shape", null, "an ImageShape");
        if (shape.channels() != 1) throw Check.bad("shape.channels", shape.channels(), "1 (grey images)");
        Check.finite("mean", mean);
        int H = shape.height(), W = shape.width();
        if (autocovariance == null || autocovariance.length != 2 * H - 1) {
            throw Check.bad("autocovariance rows", autocovariance == null ? null : autocovariance.length, (2 * H - 1) + " (2H - 1 offsets)");
        }
        double[][] k = new double[2 * H - 1][];
        for (int i = 0; i < k.length; i++) {
            if (autocovariance[i] == null || autocovariance[i].length != 2 * W - 1) {
                throw Check.bad("autocovariance[" + i + "].length", autocovariance[i] == null ? null : autocovariance[i].length, (2 * W - 1) + " (2W - 1 offsets)");
            }
            Check.allFinite("autocovariance[" + i + "]", autocovariance[i]);
            k[i] = autocovariance[i].clone();
        }
        for (int i = 0; i < k.length; i++)
            for (int j = 0; j < k[i].length; j++) {
                if (k[i][j] != k[k.length - 1 - i][k[i].length - 1 - j]) {
                    throw Check.bad("autocovariance", "k(" + (i - H + 1) + ", " + (j - W + 1) + ") = " + k[i][j],
                            "k(-dr, -dc) = k(dr, dc) (a covariance is symmetric)");
                }
            }
        return new StationaryGaussian(shape, 0, 0, mean, k);
    }

    public ImageShape shape() { return shape; }

    public int dimensions() { return d; }

    public double ridge() { return ridge; }

    public double mean() { return mean; }

    /** Training images of the fit (0 for a given process). */
    public int trainExamples() { return trainExamples; }

    /** k(dr, dc), the fitted autocovariance at offset (dr, dc) (rows down, columns right), without the ridge. */
    public double autocovariance(int dr, int dc) {
        Check.inRange("dr", dr, -(shape.height() - 1), shape.height() - 1);
        Check.inRange("dc", dc, -(shape.width() - 1), shape.width() - 1);
        return autocovariance[dr + shape.height() - 1][dc + shape.width() - 1];
    }

    /** log det Sigma (nats), ridge included. */
    public double logDetSigma() { return logDetSigma; }

    /** Sigma (ridge included), d x d. */
    public double[][] covarianceMatrix() {
        double[] s = covariance(shape, autocovariance, ridge);
        double[][] out = new double[d][];
        for (int i = 0; i < d; i++) out[i] = java.util.Arrays.copyOfRange(s, i * d, (i + 1) * d);
        return out;
    }

    /** log N(x_i; mu 1, Sigma) for every row of x, nats per image. */
    public double[] logDensityNats(INDArray x) {
        if (x == null) throw Check.bad("x", null, "an [n, " + d + "] array of images");
        DataValues.bounded("x", x);
        if (x.rank() != 2 || x.columns() != d) {
            throw Check.bad("x.shape", java.util.Arrays.toString(x.shape()), "[n, " + d + "] (images of " + shape + ")");
        }
        int n = (int) x.rows();
        INDArray w = x.castTo(DataType.DOUBLE).sub(mean).mmul(Nd4j.createFromArray(whitening).reshape(d, d).transpose());
        double[] quad = w.mul(w).sum(1).data().asDouble();
        double c = -0.5 * d * Math.log(2 * Math.PI) - 0.5 * logDetSigma;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = c - 0.5 * quad[i];
        return out;
    }

    /** The mean held-out log-likelihood with its standard error over the images. */
    public HeldOutLikelihood evaluate(INDArray x) {
        return HeldOutLikelihood.of("stationary Gaussian", logDensityNats(x), d);
    }

    /** Sigma[(r, c), (r', c')] = k(r' - r, c' - c), plus ridge on the diagonal, row-major d x d. */
    private static double[] covariance(ImageShape shape, double[][] k, double ridge) {
        int H = shape.height(), W = shape.width(), d = shape.dimensions();
        double[] s = new double[d * d];
        for (int p = 0; p < d; p++) {
            int r = p / W, c = p % W;
            for (int q = 0; q < d; q++) s[p * d + q] = k[q / W - r + H - 1][q % W - c + W - 1];
            s[p * d + p] += ridge;
        }
        return s;
    }
}
