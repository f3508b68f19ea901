package org.dpm4j.kernel;

import org.dpm4j.diffusion.Matrices;
import org.dpm4j.schedule.BetaSchedule;
import static org.dpm4j.util.Logistic.logit;
import static org.dpm4j.util.Logistic.sigmoid;

import org.dpm4j.util.Check;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The two published ways to turn readouts (z_mu, z_Sigma) into the mean and variance of p(x_{t-1} | x_t).
 * Both give the forward kernel's form (variance beta_t, mean about x_t (1 - beta_t)) at z = 0, so an untrained
 * network starts with K at L_null rather than far below it.
 */
public enum GaussianParameterisation {
    /**
     * The paper's Eqs. 64-65: Sigma = sigmoid(z_Sigma + logit(beta_t)); mu = (x_t - z_mu)(1 - Sigma) + z_mu.
     */
    PAPER {
        @Override public void map(double x, double zMu, double zSigma, double beta, int T, double[] out) {
            double u = zSigma + logit(beta), s = sigmoid(u), oneMinus = sigmoid(-u);
            out[0] = x * oneMinus + zMu * s;
            out[1] = s;
            out[2] = s;
            out[3] = (zMu - x) * s * oneMinus;
            out[4] = oneMinus;
        }

        @Override public void partials(double x, double zMu, double zSigma, double beta, int T, double[] out) {
            double s = sigmoid(zSigma + logit(beta)), ds = s * (1 - s) / (beta * (1 - beta));
            out[0] = 1 - s;
            out[1] = (zMu - x) * ds;
            out[2] = ds;
        }
    },
    /**
     * The reference code's variant: mu = x_t sqrt(1 - beta_t) + z_mu sqrt(beta_t);
     * Sigma = sigmoid(z_Sigma / sqrt(T) + logit(beta_t)).
     */
    REFERENCE {
        @Override public void map(double x, double zMu, double zSigma, double beta, int T, double[] out) {
            double rootT = Math.sqrt(T), u = zSigma / rootT + logit(beta);
            out[0] = x * Math.sqrt(1 - beta) + zMu * Math.sqrt(beta);
            out[1] = sigmoid(u);
            out[2] = Math.sqrt(beta);
            out[3] = 0;
            out[4] = sigmoid(-u) / rootT;
        }

        @Override public void partials(double x, double zMu, double zSigma, double beta, int T, double[] out) {
            double v = sigmoid(zSigma / Math.sqrt(T) + logit(beta));
            out[0] = Math.sqrt(1 - beta);
            out[1] = -x / (2 * Math.sqrt(1 - beta)) + zMu / (2 * Math.sqrt(beta));
            out[2] = v * (1 - v) / (beta * (1 - beta));
        }
    };

    /**
     * One dimension of one example: writes {mean, variance, dmean/dz_mu, dmean/dz_Sigma, dvariance/dz_Sigma / variance}
     * into {@code out} (length >= 5). The last entry is divided by the variance because the KL's gradient is naturally
     * written in d log Sigma. The networks' hand-derived gradients use the derivatives; {@link #step} uses the first two.
     */
    public abstract void map(double x, double zMu, double zSigma, double beta, int T, double[] out);

    /**
     * The map's other partial derivatives, which learning the schedule needs (Sec. 2.4.1: x_t and beta_t both move with
     * the betas): writes {dmean/dx, dmean/dbeta, dvariance/dbeta} into {@code out} (length >= 3). This default takes
     * central differences of {@link #map}; the published forms override it with the exact derivatives.
     */
    public void partials(double x, double zMu, double zSigma, double beta, int T, double[] out) {
        double[] up = new double[5], down = new double[5];
        double hx = 1e-6 * Math.max(1, Math.abs(x)), hb = 1e-6 * Math.min(beta, 1 - beta);
        map(x + hx, zMu, zSigma, beta, T, up);
        map(x - hx, zMu, zSigma, beta, T, down);
        out[0] = (up[0] - down[0]) / (2 * hx);
        map(x, zMu, zSigma, beta + hb, T, up);
        map(x, zMu, zSigma, beta - hb, T, down);
        out[1] = (up[0] - down[0]) / (2 * hb);
        out[2] = (up[1] - down[1]) / (2 * hb);
    }

    /** Mean and variance of p(x_{t-1} | x_t) from the readouts, each [n, d]; betaT is beta_t, T the number of steps. */
    public GaussianStep step(INDArray xt, Readout z, double betaT, int T) {
        double[] x = Matrices.values(xt), zMu = Matrices.values(z.zMu()), zSigma = Matrices.values(z.zSigma());
        double[] mean = new double[x.length], variance = new double[x.length], out = new double[5];
        for (int i = 0; i < x.length; i++) {
            map(x[i], zMu[i], zSigma[i], betaT, T, out);
            mean[i] = out[0];
            variance[i] = out[1];
        }
        return new GaussianStep(Matrices.fromValues(mean, xt.size(0), xt.size(1)),
                Matrices.fromValues(variance, xt.size(0), xt.size(1)));
    }

    /** A reverse kernel from a readout function and a schedule, in this parameterisation. */
    public GaussianReverseKernel kernel(Readout.Function network, BetaSchedule schedule) {
        if (network == null) throw Check.bad("network", null, "a Readout.Function");
        if (schedule == null) throw Check.bad("schedule", null, "a BetaSchedule");
        return (xt, t) -> {
            Matrices.matrix("xt", xt);
            Readout z = network.apply(xt, t);
            Matrices.sameShape("xt", xt, "zMu", z.zMu());
            Matrices.sameShape("xt", xt, "zSigma", z.zSigma());
            return step(xt, z, schedule.beta(t), schedule.T());
        };
    }


}
