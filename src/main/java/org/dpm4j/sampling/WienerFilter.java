package org.dpm4j.sampling;

import org.dpm4j.util.Check;
import org.dpm4j.util.DataValues;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The exact posterior of a Gaussian prior under Gaussian noise: x ~ N(mu, Sigma), y = x + n with n ~ N(0, s^2 I), so
 * x | y ~ N(mu + Sigma (Sigma + s^2 I)^{-1} (y - mu), s^2 Sigma (Sigma + s^2 I)^{-1}) (the Wiener filter). With
 * Sigma the full covariance of training images this is the best denoiser second-order statistics give: Figure 3's
 * baseline beside the diffusion model's posterior samples (Sec. 2.5). Units: those of mu and y (z units here).
 */
public final class WienerFilter {
    private final double[] mean;
    private final INDArray gain;            // (Sigma + s^2 I)^{-1} Sigma, symmetric products: rows apply as (y - mu) gain
    private final INDArray covariance;      // s^2 Sigma (Sigma + s^2 I)^{-1}
    private final double noiseVariance;

    private WienerFilter(double[] mean, INDArray gain, INDArray covariance, double noiseVariance) {
        this.mean = mean;
        this.gain = gain;
        this.covariance = covariance;
        this.noiseVariance = noiseVariance;
    }

    /**
     * @param mean          mu, the prior mean [d]
     * @param covariance    Sigma, the prior covariance [d][d], symmetric positive semi-definite
     * @param noiseVariance s^2, the noise variance per value, > 0
     */
    public static WienerFilter of(double[] mean, double[][] covariance, double noiseVariance) {
        Check.allFinite("mean", mean);
        Check.positive("noiseVariance", noiseVariance);
        int d = mean.length;
        if (d < 1) throw Check.bad("mean.length", 0, "at least 1 dimension");
        if (covariance == null || covariance.length != d) throw Check.bad("covariance rows",
                covariance == null ? null : covariance.length, "d = " + d + " (mean.length)");
        double[] flat = new double[d * d];
        for (int i = 0; i < d; i++) {
            if (covariance[i] == null || covariance[i].length != d) throw Check.bad("covariance[" + i + "].length",
                    covariance[i] == null ? null : covariance[i].length, "d = " + d);
            System.arraycopy(covariance[i], 0, flat, i * d, d);
        }
        Check.allFinite("covariance", flat);
        for (int i = 0; i < d; i++) for (int j = 0; j < i; j++) {
            double a = flat[i * d + j], b = flat[j * d + i];
            if (Math.abs(a - b) > 1e-9 * (Math.abs(a) + Math.abs(b) + 1e-300)) throw Check.bad("covariance[" + i + "][" + j + "]",
                    a, "covariance[" + j + "][" + i + "] = " + b + " (a symmetric matrix)");
        }
        INDArray sigma = Nd4j.createFromArray(flat).reshape(d, d);
        INDArray a = sigma.add(Nd4j.eye(d).castTo(DataType.DOUBLE).muli(noiseVariance));
        INDArray gain = org.nd4j.linalg.inverse.InvertMatrix.invert(a, false).mmul(sigma);
        gain = gain.add(gain.transpose()).muli(0.5);   // A^{-1} Sigma is symmetric (they commute); drop rounding asymmetry
        return new WienerFilter(mean.clone(), gain, gain.mul(noiseVariance), noiseVariance);
    }

    public int dimensions() { return mean.length; }

    public double noiseVariance() { return noiseVariance; }

    /** E[x | y] for every row y of {@code observed} [n, d]: mu + (y - mu) (Sigma + s^2 I)^{-1} Sigma, a new DOUBLE array. */
    public INDArray posteriorMean(INDArray observed) {
        if (observed == null) throw Check.bad("observed", null, "an [n, " + mean.length + "] array");
        if (observed.rank() != 2 || observed.columns() != mean.length) throw Check.bad("observed.shape",
                java.util.Arrays.toString(observed.shape()), "[n, " + mean.length + "]");
        DataValues.bounded("observed", observed);
        INDArray mu = Nd4j.createFromArray(mean).reshape(1, mean.length);
        return observed.castTo(DataType.DOUBLE).subRowVector(mu).mmul(gain).addiRowVector(mu);
    }

    /** Cov[x | y] = s^2 Sigma (Sigma + s^2 I)^{-1}, the same for every y, [d, d] (a copy). */
    public INDArray posteriorCovariance() { return covariance.dup(); }
}
