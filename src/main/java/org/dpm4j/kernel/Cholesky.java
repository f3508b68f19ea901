package org.dpm4j.kernel;

/**
 * Small dense algebra on lower-triangular Cholesky factors, row-major d x d in a double[] at an offset: the one home
 * of the full-covariance Gaussian mathematics (KL from a diagonal Gaussian, log-density, draws), used by
 * {@link FullGaussianStep} and by the training objective. d is small (the 2-D Swiss roll), so plain loops.
 */
public final class Cholesky {
    private Cholesky() {}

    /** log det(L L^T) = 2 sum_i log L_ii. */
    public static double logDet(double[] l, int off, int d) {
        double s = 0;
        for (int i = 0; i < d; i++) s += Math.log(l[off + i * d + i]);
        return 2 * s;
    }

    /** y = L^{-1} b by forward substitution (y and b may be the same array). */
    public static void solveLower(double[] l, int off, int d, double[] b, double[] y) {
        for (int i = 0; i < d; i++) {
            double s = b[i];
            for (int j = 0; j < i; j++) s -= l[off + i * d + j] * y[j];
            y[i] = s / l[off + i * d + i];
        }
    }

    /** M = L^{-1}, lower triangular, row-major d x d. */
    public static double[] inverseLower(double[] l, int off, int d) {
        double[] m = new double[d * d], e = new double[d], col = new double[d];
        for (int c = 0; c < d; c++) {
            java.util.Arrays.fill(e, 0);
            e[c] = 1;
            solveLower(l, off, d, e, col);
            for (int r = 0; r < d; r++) m[r * d + c] = col[r];
        }
        return m;
    }

    /**
     * KL(N(mq, diag vq) || N(mu, L L^T)) in nats, for one example:
     * (tr(Sigma^{-1} A) - d + log det Sigma - sum log vq) / 2 with A = diag vq + (mq - mu)(mq - mu)^T.
     * With gMu and gL not null, writes dKL/dmu (= Sigma^{-1} (mu - mq)) into gMu[0..d) and dKL/dL (lower triangle of
     * 2 dKL/dSigma L = L^{-T} (I - L^{-1} A L^{-T}); zeros above) into gL[0..d*d).
     */
    public static double klFromDiagonal(double[] mq, double[] vq, double[] mu, double[] l, int off, int d,
                                        double[] gMu, double[] gL) {
        double[] m = inverseLower(l, off, d), delta = new double[d], md = new double[d];
        for (int i = 0; i < d; i++) delta[i] = mq[i] - mu[i];
        // B = M A M^T = M diag(vq) M^T + (M delta)(M delta)^T
        for (int i = 0; i < d; i++) {
            double s = 0;
            for (int k = 0; k <= i; k++) s += m[i * d + k] * delta[k];
            md[i] = s;
        }
        double[] b = new double[d * d];
        double trace = 0, logVq = 0;
        for (int i = 0; i < d; i++) {
            logVq += Math.log(vq[i]);
            for (int j = 0; j < d; j++) {
                double s = md[i] * md[j];
                for (int k = 0; k <= Math.min(i, j); k++) s += m[i * d + k] * vq[k] * m[j * d + k];
                b[i * d + j] = s;
            }
            trace += b[i * d + i];
        }
        double kl = 0.5 * (trace - d + logDet(l, off, d) - logVq);
        if (gMu != null) {
            for (int i = 0; i < d; i++) {   // Sigma^{-1}(mu - mq) = -M^T (M delta)
                double s = 0;
                for (int k = i; k < d; k++) s += m[k * d + i] * md[k];
                gMu[i] = -s;
            }
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    double s = 0;
                    if (j <= i) for (int k = i; k < d; k++) s += m[k * d + i] * ((k == j ? 1 : 0) - b[k * d + j]);
                    gL[i * d + j] = s;
                }
            }
        }
        return kl;
    }

    /** log N(x; mu, L L^T) in nats for one example. */
    public static double logDensity(double[] x, double[] mu, double[] l, int off, int d) {
        double[] r = new double[d];
        for (int i = 0; i < d; i++) r[i] = x[i] - mu[i];
        solveLower(l, off, d, r, r);
        double q = 0;
        for (double v : r) q += v * v;
        return -0.5 * (q + logDet(l, off, d) + d * Math.log(2 * Math.PI));
    }
}
