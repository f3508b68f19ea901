package org.dpm4j.bound;

import org.dpm4j.util.Check;
import org.dpm4j.util.DataValues;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The closed-form baselines of Table 1's image rows: a Gaussian N(mu, Sigma) fitted to training data by maximum
 * likelihood (mu the sample mean, Sigma the sample covariance with divisor n), diagonal or full, plus a stated ridge
 * lambda I. Its mean log-likelihood on held-out data is the number a diffusion model's K must beat to say it learned
 * more than second-order statistics; both are computed on the same scaled, dequantised values (K per pixel and
 * these per pixel are in the same units).
 * <p>
 * Why a ridge: on 8-bit images some pixels are constant in the training set (MNIST's border is always 0), so their
 * fitted variance is only the dequantisation noise's, and a held-out image with ink there would score about
 * -1e7 nats. The ridge is added to every variance (to Sigma's diagonal for the full Gaussian); 0 is allowed when the
 * fitted covariance is positive definite.
 * <p>
 * log N(x; mu, Sigma) = -(d/2) log(2 pi) - (1/2) log det Sigma - (1/2) (x - mu)^T Sigma^{-1} (x - mu), in nats; with
 * Sigma = L L^T, the quadratic form is ||L^{-1}(x - mu)||^2. The Cholesky factor is hand-written (deliberately: one
 * O(d^3 / 3) loop run once, 0.1 s at d = 784, with an error that names the ridge when Sigma is not positive
 * definite); the O(n d^2) products go through ND4J's BLAS.
 */
public final class GaussianDensity {
    /** Which covariance was fitted. */
    public enum Covariance { DIAGONAL, FULL }

    private final Covariance covariance;
    private final double ridge;
    private final int d, trainExamples;
    private final double[] mean;
    /** DIAGONAL: the d variances; FULL: L^{-1}, row-major d x d lower triangular. */
    private final double[] precisionFactor;
    private final double logDetSigma;

    private GaussianDensity(Covariance covariance, double ridge, int trainExamples, double[] mean, double[] precisionFactor,
                            double logDetSigma) {
        this.covariance = covariance;
        this.ridge = ridge;
        this.d = mean.length;
        this.trainExamples = trainExamples;
        this.mean = mean;
        this.precisionFactor = precisionFactor;
        this.logDetSigma = logDetSigma;
    }

    /**
     * The maximum-likelihood Gaussian with diagonal covariance: per dimension the sample mean and the sample variance
     * (divisor n) plus ridge.
     *
     * @param train [n, d] training examples (rows), n >= 2
     * @param ridge added to every variance, >= 0 (in the squared units of the data)
     */
    public static GaussianDensity diagonal(INDArray train, double ridge) {
        INDArray x = checked(train, ridge);
        int n = (int) x.rows(), d = (int) x.columns();
        double[] mu = x.mean(0).data().asDouble();
        double[] var = x.var(false, 0).data().asDouble();
        double logDet = 0;
        for (int i = 0; i < d; i++) {
            var[i] += ridge;
            if (!(var[i] > 0)) throw Check.bad("ridge", ridge, "a ridge > 0: dimension " + i + " is constant in the training data (variance 0)");
            logDet += Math.log(var[i]);
        }
        return new GaussianDensity(Covariance.DIAGONAL, ridge, n, mu, var, logDet);
    }

    /**
     * The maximum-likelihood Gaussian with full covariance: the sample mean and the sample covariance (divisor n) plus
     * ridge on the diagonal.
     *
     * @param train [n, d] training examples (rows), n >= 2
     * @param ridge added to the covariance's diagonal, >= 0 (in the squared units of the data)
     */
    public static GaussianDensity full(INDArray train, double ridge) {
        INDArray x = checked(train, ridge);
        int n = (int) x.rows(), d = (int) x.columns();
        INDArray mu = x.mean(0).reshape(1, d);
        INDArray centred = x.subRowVector(mu);
        return full(n, mu.data().asDouble(), centred.transpose().mmul(centred).divi(n).data().asDouble(), ridge);
    }

    /**
     * The fit of the given kind whose ridge, from the candidates, gives the validation examples the highest mean
     * log-likelihood (the ridge chosen as Parzen's sigma is, on data that are neither training nor test data).
     */
    public static GaussianDensity selectRidge(Covariance kind, INDArray train, INDArray validation, double[] ridges) {
        if (kind == null) throw Check.bad("kind", null, "DIAGONAL or FULL");
        if (ridges == null || ridges.length == 0) throw Check.bad("ridges", ridges == null ? null : "[]", "at least one ridge >= 0");
        INDArray x = checked(train, ridges[0]);
        int n = (int) x.rows(), d = (int) x.columns();
        double[] mu = null, cov = null;
        if (kind == Covariance.FULL) {
            INDArray m = x.mean(0).reshape(1, d), centred = x.subRowVector(m);
            mu = m.data().asDouble();
            cov = centred.transpose().mmul(centred).divi(n).data().asDouble();
        }
        GaussianDensity best = null;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (double r : ridges) {
            if (!(r >= 0) || !Double.isFinite(r)) throw Check.bad("ridges", java.util.Arrays.toString(ridges), "finite ridges >= 0");
            GaussianDensity g;
            try {
                g = kind == Covariance.FULL ? full(n, mu, cov.clone(), r) : diagonal(x, r);
            } catch (IllegalArgumentException notPositiveDefinite) {
                continue;   // too small a ridge for this data: the other candidates decide
            }
            double v = g.evaluate(validation).meanNats();
            if (v > bestValue) {
                bestValue = v;
                best = g;
            }
        }
        if (best == null) throw Check.bad("ridges", java.util.Arrays.toString(ridges), "at least one ridge that makes the covariance positive definite");
        return best;
    }

    /** N(0, I) in d dimensions: the Gaussian diffusion's terminal distribution, whose held-out log-likelihood is L_null. */
    public static GaussianDensity standard(int d) {
        Check.positive("d", d);
        double[] identity = new double[d * d];
        for (int i = 0; i < d; i++) identity[i * d + i] = 1;
        return full(0, new double[d], identity, 0);
    }

    private static GaussianDensity full(int n, double[] mu, double[] sigma, double ridge) {
        int d = mu.length;
        for (int i = 0; i < d; i++) sigma[i * d + i] += ridge;
        double[] l = cholesky(sigma, d, ridge);
        double logDet = 0;
        for (int i = 0; i < d; i++) logDet += 2 * Math.log(l[i * d + i]);
        return new GaussianDensity(Covariance.FULL, ridge, n, mu, inverseLower(l, d), logDet);
    }

    public Covariance covariance() { return covariance; }

    public double ridge() { return ridge; }

    public int dimensions() { return d; }

    public int trainExamples() { return trainExamples; }

    public double[] mean() { return mean.clone(); }

    /** log det Sigma (nats), Sigma including the ridge. */
    public double logDetSigma() { return logDetSigma; }

    /** The fitted covariance Sigma (ridge included) as a d x d array: the diagonal's variances, or L L^T. */
    public double[][] covarianceMatrix() {
        if (covariance == Covariance.DIAGONAL) {
            double[][] s = new double[d][d];
            for (int i = 0; i < d; i++) s[i][i] = precisionFactor[i];
            return s;
        }
        // Sigma = L L^T with L the inverse of the stored lower-triangular factor L^-1: a triangular inverse (d^3 / 6
        // multiply-adds) and one BLAS product. ND4J's general matrixInverse op of (L^-1)^T L^-1 ran for over 9 minutes
        // of CPU at d = 3072 (CIFAR's Wiener baseline).
        INDArray l = Nd4j.createFromArray(inverseLower(precisionFactor, d)).reshape(d, d);
        return l.mmul(l.transpose()).toDoubleMatrix();
    }

    /** log N(x_i; mu, Sigma) for every row of x, nats per example. */
    public double[] logDensityNats(INDArray x) {
        if (x == null) throw Check.bad("x", null, "an [n, " + d + "] array of examples");
        DataValues.bounded("x", x);
        if (x.rank() != 2 || x.columns() != d) {
            throw Check.bad("x.shape", java.util.Arrays.toString(x.shape()), "[n, " + d + "] (the fitted dimension)");
        }
        int n = (int) x.rows();
        INDArray centred = x.castTo(DataType.DOUBLE).subRowVector(Nd4j.createFromArray(mean).reshape(1, d));
        double[] quad;
        if (covariance == Covariance.DIAGONAL) {
            INDArray prec = Nd4j.createFromArray(precisionFactor).reshape(1, d).rdivi(1.0);
            quad = centred.mul(centred).muliRowVector(prec).sum(1).data().asDouble();
        } else {
            // rows of (x - mu) L^{-T} are the whitened examples L^{-1}(x_i - mu)
            INDArray m = Nd4j.createFromArray(precisionFactor).reshape(d, d);
            INDArray w = centred.mmul(m.transpose());
            quad = w.mul(w).sum(1).data().asDouble();
        }
        double c = -0.5 * d * Math.log(2 * Math.PI) - 0.5 * logDetSigma;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = c - 0.5 * quad[i];
        return out;
    }

    /** The mean held-out log-likelihood with its standard error over the examples. */
    public HeldOutLikelihood evaluate(INDArray x) {
        return HeldOutLikelihood.of(covariance == Covariance.DIAGONAL ? "diagonal Gaussian" : "full-covariance Gaussian",
                logDensityNats(x), d);
    }

    private static INDArray checked(INDArray train, double ridge) {
        if (train == null) throw Check.bad("train", null, "an [n, d] array of training examples");
        if (train.rank() != 2 || train.rows() < 2 || train.columns() < 1) {
            throw Check.bad("train.shape", java.util.Arrays.toString(train.shape()), "[n, d] with n >= 2 examples and d >= 1");
        }
        if (!(ridge >= 0) || !Double.isFinite(ridge)) throw Check.bad("ridge", ridge, "a finite number >= 0");
        DataValues.bounded("train", train);
        return train.castTo(DataType.DOUBLE);
    }

    /** Lower-triangular L with L L^T = a (row-major d x d). */
    static double[] cholesky(double[] a, int d, double ridge) {
        double[] l = new double[d * d];
        for (int j = 0; j < d; j++) {
            double s = a[j * d + j];
            for (int k = 0; k < j; k++) s -= l[j * d + k] * l[j * d + k];
            if (!(s > 0)) {
                throw Check.bad("ridge", ridge, "a ridge large enough that the covariance is positive definite "
                        + "(pivot " + j + " is " + s + ")");
            }
            double ljj = Math.sqrt(s);
            l[j * d + j] = ljj;
            for (int i = j + 1; i < d; i++) {
                double t = a[i * d + j];
                for (int k = 0; k < j; k++) t -= l[i * d + k] * l[j * d + k];
                l[i * d + j] = t / ljj;
            }
        }
        return l;
    }

    /** L^{-1} of a lower-triangular L, by forward substitution column by column. */
    static double[] inverseLower(double[] l, int d) {
        double[] m = new double[d * d];
        for (int c = 0; c < d; c++) {
            m[c * d + c] = 1 / l[c * d + c];
            for (int i = c + 1; i < d; i++) {
                double s = 0;
                for (int k = c; k < i; k++) s -= l[i * d + k] * m[k * d + c];
                m[i * d + c] = s / l[i * d + i];
            }
        }
        return m;
    }
}
