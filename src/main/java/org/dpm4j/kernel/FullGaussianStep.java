package org.dpm4j.kernel;

import org.dpm4j.diffusion.GaussianStep;
import java.util.random.RandomGenerator;
import org.dpm4j.util.Matrices;
import org.dpm4j.util.Check;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A Gaussian over x_{t-1} with a full covariance per example: mean [n, d] and the lower-triangular Cholesky factor
 * L [n, d, d] (DOUBLE) of Sigma = L L^T. Its diagonal case is a {@link GaussianStep}.
 */
public record FullGaussianStep(INDArray mean, INDArray cholesky) {
    public FullGaussianStep {
        Matrices.matrix("mean", mean);
        if (cholesky == null || cholesky.rank() != 3 || cholesky.size(0) != mean.size(0)
                || cholesky.size(1) != mean.size(1) || cholesky.size(2) != mean.size(1)) {
            throw Check.bad("cholesky", cholesky == null ? null : java.util.Arrays.toString(cholesky.shape()),
                    "shape [n, d, d] matching mean " + java.util.Arrays.toString(mean.shape()));
        }
    }

    /** The diagonal step as a full one: L = diag(sqrt(variance)). */
    public static FullGaussianStep of(GaussianStep g) {
        int n = (int) g.mean().size(0), d = (int) g.mean().size(1);
        double[] v = Matrices.values(g.variance()), l = new double[n * d * d];
        for (int i = 0; i < n; i++) for (int c = 0; c < d; c++) l[i * d * d + c * d + c] = Math.sqrt(v[i * d + c]);
        return new FullGaussianStep(g.mean(), fromValues(l, n, d));
    }

    /** A step from row-major values: mean [n * d], Cholesky factors [n * d * d]. */
    public static FullGaussianStep of(double[] mean, double[] cholesky, int n, int d) {
        return new FullGaussianStep(Matrices.fromValues(mean, n, d), fromValues(cholesky, n, d));
    }

    private static INDArray fromValues(double[] l, int n, int d) {
        return Nd4j.createFromArray(l).reshape(n, d, d);
    }

    public int n() { return (int) mean.size(0); }

    public int d() { return (int) mean.size(1); }

    /** log N(x; mean, L L^T) per example, nats, [n]. */
    public double[] logDensity(INDArray x) {
        Matrices.sameShape("x", x, "mean", mean);
        int n = n(), d = d();
        double[] xs = Matrices.values(x), mu = Matrices.values(mean), l = Matrices.values(cholesky), out = new double[n];
        double[] xi = new double[d], mi = new double[d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(xs, i * d, xi, 0, d);
            System.arraycopy(mu, i * d, mi, 0, d);
            out[i] = Cholesky.logDensity(xi, mi, l, i * d * d, d);
        }
        return out;
    }

    /** A draw mean + L eps per example, [n, d]. */
    public INDArray sample(RandomGenerator rng) {
        int n = n(), d = d();
        double[] mu = Matrices.values(mean), l = Matrices.values(cholesky), out = new double[n * d], eps = new double[d];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) eps[c] = rng.nextGaussian();
            for (int r = 0; r < d; r++) {
                double s = mu[i * d + r];
                for (int c = 0; c <= r; c++) s += l[i * d * d + r * d + c] * eps[c];
                out[i * d + r] = s;
            }
        }
        return Matrices.fromValues(out, n, d);
    }

    /** KL(q || this) per example in nats, [n], for a diagonal q of the same shape (Eq. 14's terms). */
    public double[] klFrom(GaussianStep q) {
        Matrices.sameShape("q.mean", q.mean(), "mean", mean);
        int n = n(), d = d();
        double[] mq = Matrices.values(q.mean()), vq = Matrices.values(q.variance()), mu = Matrices.values(mean);
        double[] l = Matrices.values(cholesky), out = new double[n];
        double[] a = new double[d], v = new double[d], m = new double[d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(mq, i * d, a, 0, d);
            System.arraycopy(vq, i * d, v, 0, d);
            System.arraycopy(mu, i * d, m, 0, d);
            out[i] = Cholesky.klFromDiagonal(a, v, m, l, i * d * d, d, null, null);
        }
        return out;
    }
}
