package org.dpm4j.diffusion;

import org.dpm4j.util.Check;

/**
 * KL(q || p) between one-dimensional Gaussians q = N(m_q, v_q) and p = N(m_p, v_p), in nats per dimension:
 * KL = (log(v_p / v_q) + (v_q + (m_q - m_p)^2) / v_p - 1) / 2. A diagonal Gaussian's KL is the sum of these over
 * dimensions. This is the one home of the formula behind every KL term of Eq. 14 (q the forward posterior
 * q(x_{t-1} | x_t, x_0), p the reverse kernel p(x_{t-1} | x_t)): {@link GaussianDiffusion#kl} and the training
 * objectives call it, so the number a user reads and the gradient a model follows cannot drift apart. (The image
 * network's SameDiff graph writes it again in graph ops, which cannot call Java; a test holds the two equal.)
 * <p>
 * The partial derivatives ({@link #nats(double, double, double, double, double[])}) are those of KL with respect to
 * p's mean and log-variance (what a network's readout moves) and variance, and to q's mean and variance (what the
 * schedule moves through the posterior, Sec. 2.4.1). No argument checks on the scalar forms: they sit in the
 * innermost loop of training; a non-positive variance gives NaN or an infinity, which the trainers' guards catch.
 */
public final class GaussianKL {
    /** Where {@link #nats(double, double, double, double, double[])} writes each partial derivative (nats per unit). */
    public static final int D_MEAN_P = 0, D_LOG_VARIANCE_P = 1, D_VARIANCE_P = 2, D_MEAN_Q = 3, D_VARIANCE_Q = 4;

    /** Length of the partials array. */
    public static final int PARTIALS = 5;

    private GaussianKL() {}

    /** KL(N(meanQ, varianceQ) || N(meanP, varianceP)) in nats (one dimension). */
    public static double nats(double meanQ, double varianceQ, double meanP, double varianceP) {
        double diff = meanQ - meanP;
        return 0.5 * (Math.log(varianceP / varianceQ) + (varianceQ + diff * diff) / varianceP - 1);
    }

    /**
     * The same KL in nats, and its partial derivatives written into {@code partials} (length >= {@link #PARTIALS}),
     * each with the other arguments held: with s = (v_q + (m_q - m_p)^2) / v_p,
     * dKL/dm_p = -(m_q - m_p) / v_p, dKL/dlog v_p = (1 - s) / 2, dKL/dv_p = (1 - s) / (2 v_p),
     * dKL/dm_q = (m_q - m_p) / v_p, dKL/dv_q = (1 / v_p - 1 / v_q) / 2.
     */
    public static double nats(double meanQ, double varianceQ, double meanP, double varianceP, double[] partials) {
        double diff = meanQ - meanP, spread = (varianceQ + diff * diff) / varianceP;
        partials[D_MEAN_P] = -diff / varianceP;
        partials[D_LOG_VARIANCE_P] = 0.5 * (1 - spread);
        partials[D_VARIANCE_P] = 0.5 * (1 - spread) / varianceP;
        partials[D_MEAN_Q] = diff / varianceP;
        partials[D_VARIANCE_Q] = 0.5 * (1 / varianceP - 1 / varianceQ);
        return 0.5 * (Math.log(varianceP / varianceQ) + spread - 1);
    }

    /** Elementwise KL(N(meanQ[i], varianceQ[i]) || N(meanP[i], varianceP[i])) in nats; all four of one length. */
    public static double[] nats(double[] meanQ, double[] varianceQ, double[] meanP, double[] varianceP) {
        int n = lengthOf(meanQ, varianceQ, meanP, varianceP);
        double[] kl = new double[n];
        for (int i = 0; i < n; i++) kl[i] = nats(meanQ[i], varianceQ[i], meanP[i], varianceP[i]);
        return kl;
    }

    private static int lengthOf(double[] meanQ, double[] varianceQ, double[] meanP, double[] varianceP) {
        if (meanQ == null) throw Check.bad("meanQ", null, "an array");
        if (varianceQ == null || varianceQ.length != meanQ.length) throw Check.bad("varianceQ.length", varianceQ == null ? null : varianceQ.length, "meanQ.length = " + meanQ.length);
        if (meanP == null || meanP.length != meanQ.length) throw Check.bad("meanP.length", meanP == null ? null : meanP.length, "meanQ.length = " + meanQ.length);
        if (varianceP == null || varianceP.length != meanQ.length) throw Check.bad("varianceP.length", varianceP == null ? null : varianceP.length, "meanQ.length = " + meanQ.length);
        return meanQ.length;
    }
}
