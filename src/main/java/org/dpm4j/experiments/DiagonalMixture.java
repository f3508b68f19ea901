package org.dpm4j.experiments;

import org.dpm4j.util.Check;

/**
 * Data as a finite mixture of Gaussians with diagonal covariance: x_0 ~ sum_k w_k N(m_k, diag v_k) in R^d.
 * A variance of 0 is allowed (a point mass: quadrature nodes along a noise-free curve). Immutable.
 *
 * @param weights   w_k, positive, summing to 1 (within 1e-9)
 * @param means     m_k, [K][d]
 * @param variances v_k per dimension, [K][d], each >= 0
 */
public record DiagonalMixture(double[] weights, double[][] means, double[][] variances) {
    public DiagonalMixture {
        if (weights == null || weights.length == 0) throw Check.bad("weights", weights, "K >= 1 weights");
        if (means == null || means.length != weights.length) throw Check.bad("means.length", means == null ? null : means.length, "K = " + weights.length);
        if (variances == null || variances.length != weights.length) throw Check.bad("variances.length", variances == null ? null : variances.length, "K = " + weights.length);
        int d = means[0].length;
        if (d < 1) throw Check.bad("means[0].length", d, "d >= 1");
        double sum = 0;
        for (int k = 0; k < weights.length; k++) {
            Check.positive("weights[" + k + "]", weights[k]);
            sum += weights[k];
            if (means[k].length != d) throw Check.bad("means[" + k + "].length", means[k].length, "d = " + d);
            if (variances[k].length != d) throw Check.bad("variances[" + k + "].length", variances[k].length, "d = " + d);
            Check.allFinite("means[" + k + "]", means[k]);
            for (int j = 0; j < d; j++) {
                if (!(variances[k][j] >= 0) || !Double.isFinite(variances[k][j])) {
                    throw Check.bad("variances[" + k + "][" + j + "]", variances[k][j], "a finite variance >= 0");
                }
            }
        }
        if (Math.abs(sum - 1) > 1e-9) throw Check.bad("sum of weights", sum, "1");
    }

    /** A single Gaussian N(mean, diag variance). */
    public static DiagonalMixture gaussian(double[] mean, double[] variance) {
        return new DiagonalMixture(new double[] {1}, new double[][] {mean.clone()}, new double[][] {variance.clone()});
    }

    public int size() { return weights.length; }

    public int dimensions() { return means[0].length; }

    /** The largest component variance over all components and dimensions. */
    public double maxVariance() {
        double max = 0;
        for (double[] v : variances) for (double x : v) max = Math.max(max, x);
        return max;
    }
}
