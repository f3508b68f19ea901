package org.dpm4j.kernel;

import org.dpm4j.util.Check;

/**
 * How 2d + d(d-1)/2 network outputs become the mean and Cholesky factor of a full-covariance p(x_{t-1} | x_t):
 * z_mu and z_Sigma (the first 2d, laid out as for the diagonal kernel) go through a {@link GaussianParameterisation}
 * to a mean mu and variances s_i^2; the remaining d(d-1)/2 outputs z_ij (i > j, row by row) are the strictly lower
 * entries of a unit lower-triangular U, and L = U diag(s), so Sigma = U diag(s^2) U^T (an LDL^T factorisation: z_ij
 * is the regression coefficient of x_i on x_j's innovation, O(1) for any orientation). At z_ij = 0 the kernel is the
 * diagonal one exactly, so an untrained network starts where the diagonal kernel does.
 *
 * <p>A reader holds scratch arrays for one example at a time; it is not thread-safe.
 */
public final class CholeskyReadout {
    private final GaussianParameterisation parameterisation;
    private final int d;
    private final double[] o = new double[5];
    /** mu, then L (row-major d x d), for the last example read. */
    public final double[] mean, cholesky;
    private final double[] dMeanDzMu, dMeanDzSigma, dLogVarDzSigma, s;

    public CholeskyReadout(GaussianParameterisation parameterisation, int d) {
        if (parameterisation == null) throw Check.bad("parameterisation", null, "a GaussianParameterisation");
        Check.positive("d", d);
        this.parameterisation = parameterisation;
        this.d = d;
        mean = new double[d];
        cholesky = new double[d * d];
        dMeanDzMu = new double[d];
        dMeanDzSigma = new double[d];
        dLogVarDzSigma = new double[d];
        s = new double[d];
    }

    /** Network outputs per example for dimension d: 2d + d(d-1)/2. */
    public static int outputs(int d) { return 2 * d + d * (d - 1) / 2; }

    /** The dimension d whose {@link #outputs} is the given count. */
    public static int dimension(int outputs) {
        for (int d = 1; outputs(d) <= outputs; d++) if (outputs(d) == outputs) return d;
        throw Check.bad("outputs", outputs, "2d + d(d-1)/2 for some d >= 1 (5 for d = 2, 9 for d = 3)");
    }

    /** Index of z_ij (i > j) within an example's outputs. */
    private int off(int i, int j) { return 2 * d + i * (i - 1) / 2 + j; }

    /** Reads example x (at xOff) with outputs z (at zOff) at step s into {@link #mean} and {@link #cholesky}. */
    public void read(double[] x, int xOff, float[] z, int zOff, GaussianParameterisation.Step step) {
        for (int c = 0; c < d; c++) {
            parameterisation.map(x[xOff + c], z[zOff + c], z[zOff + d + c], step, o);
            mean[c] = o[0];
            s[c] = Math.sqrt(o[1]);
            dMeanDzMu[c] = o[2];
            dMeanDzSigma[c] = o[3];
            dLogVarDzSigma[c] = o[4];
        }
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) cholesky[i * d + j] = j == i ? s[i] : j < i ? z[zOff + off(i, j)] * s[j] : 0;
        }
    }

    /**
     * Chains dLoss/dmu and dLoss/dL (lower triangle, row-major) of the last example read to its outputs, times
     * weight, into dz at zOff: d s_j / dz_Sigma_j = s_j (d log Sigma_j / dz_Sigma_j) / 2 moves column j of L.
     */
    public void backward(double[] gMu, double[] gL, double weight, float[] dz, int zOff) {
        for (int j = 0; j < d; j++) {
            double column = 0;
            for (int i = j; i < d; i++) column += gL[i * d + j] * cholesky[i * d + j];
            dz[zOff + j] = (float) (weight * gMu[j] * dMeanDzMu[j]);
            dz[zOff + d + j] = (float) (weight * (gMu[j] * dMeanDzSigma[j] + 0.5 * dLogVarDzSigma[j] * column));
        }
        for (int i = 1; i < d; i++) {
            for (int j = 0; j < i; j++) dz[zOff + off(i, j)] = (float) (weight * gL[i * d + j] * s[j]);
        }
    }
}
