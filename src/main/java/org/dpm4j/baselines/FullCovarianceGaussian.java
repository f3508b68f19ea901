package org.dpm4j.baselines;

import org.dpm4j.util.Check;

/**
 * The simplest density baseline for continuous data: one Gaussian N(mean, covariance) with full covariance, fitted by
 * maximum likelihood (the sample mean and the sample covariance with divisor n), and its log density through a
 * Cholesky factor (hand-written: d is 2 for the Swiss roll, and the factor is a dozen lines). {@link #standard} is the
 * diffusion's terminal distribution N(0, I), whose held-out log-likelihood is L_null.
 */
public final class FullCovarianceGaussian {
    private static final double LN2 = Math.log(2), LOG_2PI = Math.log(2 * Math.PI);
    private final int d;
    private final double[] mean;
    private final double[][] cholesky;
    private final double logDet;

    private FullCovarianceGaussian(double[] mean, double[][] covariance) {
        this.d = mean.length;
        this.mean = mean.clone();
        this.cholesky = new double[d][d];
        double ld = 0;
        for (int i = 0; i < d; i++) {
            for (int k = 0; k <= i; k++) {
                double s = covariance[i][k];
                for (int j = 0; j < k; j++) s -= cholesky[i][j] * cholesky[k][j];
                if (i == k) {
                    if (!(s > 0)) throw Check.bad("covariance", "pivot " + s + " at " + i, "a positive-definite matrix (more examples than dimensions, no constant column)");
                    cholesky[i][i] = Math.sqrt(s);
                    ld += 2 * Math.log(cholesky[i][i]);
                } else {
                    cholesky[i][k] = s / cholesky[k][k];
                }
            }
        }
        this.logDet = ld;
    }

    /** N(0, I) in d dimensions. */
    public static FullCovarianceGaussian standard(int d) {
        Check.positive("d", d);
        double[][] eye = new double[d][d];
        for (int i = 0; i < d; i++) eye[i][i] = 1;
        return new FullCovarianceGaussian(new double[d], eye);
    }

    /** The maximum-likelihood Gaussian of examples x [n, d] (row-major). */
    public static FullCovarianceGaussian fit(double[] x, int d) {
        Check.positive("d", d);
        if (x == null || x.length == 0 || x.length % d != 0) throw Check.bad("x.length", x == null ? null : x.length, "a positive multiple of d = " + d);
        int n = x.length / d;
        double[] m = new double[d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) m[j] += x[i * d + j] / n;
        double[][] c = new double[d][d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++)
                for (int k = 0; k <= j; k++) c[j][k] += (x[i * d + j] - m[j]) * (x[i * d + k] - m[k]) / n;
        for (int j = 0; j < d; j++) for (int k = 0; k < j; k++) c[k][j] = c[j][k];
        return new FullCovarianceGaussian(m, c);
    }

    /** log N(x_i; mean, covariance) for each example of x [n, d], nats. */
    public double[] logDensityNats(double[] x) {
        if (x == null || x.length == 0 || x.length % d != 0) throw Check.bad("x.length", x == null ? null : x.length, "a positive multiple of d = " + d);
        int n = x.length / d;
        double[] out = new double[n], y = new double[d];
        for (int e = 0; e < n; e++) {
            double q = 0;
            for (int i = 0; i < d; i++) {
                double s = x[e * d + i] - mean[i];
                for (int j = 0; j < i; j++) s -= cholesky[i][j] * y[j];
                y[i] = s / cholesky[i][i];
                q += y[i] * y[i];
            }
            out[e] = -0.5 * (d * LOG_2PI + logDet + q);
        }
        return out;
    }

    /** The mean log density of x in bits per example, with its standard error: {mean, standard error}. */
    public double[] meanBits(double[] x) {
        double[] v = logDensityNats(x);
        FillIn.Score s = FillIn.Score.of(v);
        return new double[] {s.mean() / LN2, s.standardError() / LN2};
    }
}
