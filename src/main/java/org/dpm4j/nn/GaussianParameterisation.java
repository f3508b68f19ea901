package org.dpm4j.nn;

/**
 * The two published maps from network outputs (z_mu, z_Sigma) to the mean and variance of p(x_{t-1} | x_t), per
 * dimension. Both give the forward kernel's form at z = 0 (variance beta_t, mean close to x_t), so training starts
 * near L_null.
 */
public enum GaussianParameterisation {
    /** Paper Eqs. 64-65: Sigma = sigmoid(z_Sigma + logit beta_t), mu = (x - z_mu)(1 - Sigma) + z_mu. */
    PAPER,
    /** Reference code: mu = x sqrt(1 - beta_t) + z_mu sqrt(beta_t), Sigma = sigmoid(z_Sigma / sqrt(T) + logit beta_t). */
    REFERENCE;

    /**
     * Writes {mean, variance, dmean/dz_mu, dmean/dz_Sigma, dvariance/dz_Sigma / variance} into {@code out}.
     * The last entry is divided by the variance because the KL gradient is naturally written in d log Sigma.
     */
    public void map(double x, double zMu, double zSigma, double beta, int T, double[] out) {
        double logitBeta = Math.log(beta / (1 - beta));
        if (this == PAPER) {
            double s = sigmoid(zSigma + logitBeta), oneMinus = sigmoid(-(zSigma + logitBeta));
            out[0] = x * oneMinus + zMu * s;
            out[1] = s;
            out[2] = s;
            out[3] = (zMu - x) * s * oneMinus;
            out[4] = oneMinus;
        } else {
            double rootT = Math.sqrt(T), u = zSigma / rootT + logitBeta;
            out[0] = x * Math.sqrt(1 - beta) + zMu * Math.sqrt(beta);
            out[1] = sigmoid(u);
            out[2] = Math.sqrt(beta);
            out[3] = 0;
            out[4] = sigmoid(-u) / rootT;
        }
    }

    static double sigmoid(double a) {
        return a >= 0 ? 1 / (1 + Math.exp(-a)) : Math.exp(a) / (1 + Math.exp(a));
    }
}
