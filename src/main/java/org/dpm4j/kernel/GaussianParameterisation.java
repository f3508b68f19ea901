package org.dpm4j.kernel;

import org.dpm4j.diffusion.GaussianStep;
import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.diffusion.GaussianKL;
import org.dpm4j.util.Matrices;
import org.dpm4j.schedule.BetaSchedule;
import static org.dpm4j.util.Logistic.logit;
import static org.dpm4j.util.Logistic.sigmoid;

import org.dpm4j.util.Check;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Ways to turn readouts (z_mu, z_Sigma) into the mean and variance of p(x_{t-1} | x_t): the two published ones
 * (paper Eqs. 64-65, and the reference code's), and two that go through the forward posterior q(x_{t-1} | x_t, x_0)
 * with a predicted x_0. The published two give the forward kernel's form (variance beta_t, mean about
 * x_t (1 - beta_t)) at z = 0; the posterior ones give, at z_mu = 0, the exact reverse mean for zero-mean
 * unit-variance Gaussian data. Either way an untrained network starts with K near L_null rather than far below it.
 */
public enum GaussianParameterisation {
    /**
     * The paper's Eqs. 64-65: Sigma = sigmoid(z_Sigma + logit(beta_t)); mu = (x_t - z_mu)(1 - Sigma) + z_mu.
     */
    PAPER {
        @Override public void map(double x, double zMu, double zSigma, Step s, double[] out) {
            double u = zSigma + logit(s.beta()), v = sigmoid(u), oneMinus = sigmoid(-u);
            out[0] = x * oneMinus + zMu * v;
            out[1] = v;
            out[2] = v;
            out[3] = (zMu - x) * v * oneMinus;
            out[4] = oneMinus;
        }

        @Override public void partials(double x, double zMu, double zSigma, Step s, double[] out) {
            double beta = s.beta(), v = sigmoid(zSigma + logit(beta)), dv = v * (1 - v) / (beta * (1 - beta));
            out[0] = 1 - v;
            out[1] = (zMu - x) * dv;
            out[2] = dv;
            out[3] = 0;
            out[4] = 0;
        }
    },
    /**
     * The reference code's variant: mu = x_t sqrt(1 - beta_t) + z_mu sqrt(beta_t);
     * Sigma = sigmoid(z_Sigma / sqrt(T) + logit(beta_t)).
     */
    REFERENCE {
        @Override public void map(double x, double zMu, double zSigma, Step s, double[] out) {
            double rootT = Math.sqrt(s.T()), u = zSigma / rootT + logit(s.beta());
            out[0] = x * Math.sqrt(1 - s.beta()) + zMu * Math.sqrt(s.beta());
            out[1] = sigmoid(u);
            out[2] = Math.sqrt(s.beta());
            out[3] = 0;
            out[4] = sigmoid(-u) / rootT;
        }

        @Override public void partials(double x, double zMu, double zSigma, Step s, double[] out) {
            double beta = s.beta(), v = sigmoid(zSigma / Math.sqrt(s.T()) + logit(beta));
            out[0] = Math.sqrt(1 - beta);
            out[1] = -x / (2 * Math.sqrt(1 - beta)) + zMu / (2 * Math.sqrt(beta));
            out[2] = v * (1 - v) / (beta * (1 - beta));
            out[3] = 0;
            out[4] = 0;
        }
    },
    /**
     * The mean of the forward posterior q(x_{t-1} | x_t, x_0) at a predicted x_0 = sqrt(alphabar_t) x_t + z_mu
     * (z_mu predicts the residual of the linear estimate; its target has the scale of the noise sqrt(1 - alphabar_t),
     * so readouts stay O(1) at low noise where the paper's z_mu - x_t must grow like 1/beta_t); the variance
     * log Sigma = log(posterior variance) + (1/2 + z_Sigma) (log beta_t - log(posterior variance)), linear and
     * unclamped as in Nichol and Dhariwal (2021): z_Sigma = -1/2 and 1/2 give the extremes of a point mass and of
     * unit-variance Gaussian data. It may pass beta_t: for x_t between two arms of the Swiss roll at mid noise, the
     * posterior over x_0 is bimodal and the reverse variance exceeds beta_t (a sigmoid-clamped interpolation measured
     * K 0.02 bits lower at 3000 steps).
     */
    POSTERIOR_X0 {
        @Override public void map(double x, double zMu, double zSigma, Step s, double[] out) {
            posterior(x, zMu, zSigma, s, 1, out);
        }

        @Override public double x0ReadoutScale(Step s) { return 1; }
    },
    /**
     * As {@link #POSTERIOR_X0} with x_0 = sqrt(alphabar_t) x_t + sqrt(1 - alphabar_t) z_mu: z_mu has unit-scale targets
     * at every t (the negative "v" of Salimans and Ho 2022), the noise eps at low noise and x_0 at high noise.
     */
    POSTERIOR_V {
        @Override public void map(double x, double zMu, double zSigma, Step s, double[] out) {
            posterior(x, zMu, zSigma, s, x0ReadoutScale(s), out);
        }

        @Override public double x0ReadoutScale(Step s) { return Math.sqrt(1 - s.alphaBar()); }
    };

    /** Whether the mean is the forward posterior's at a predicted x_0 (POSTERIOR_X0, POSTERIOR_V). */
    public boolean predictsX0() { return this == POSTERIOR_X0 || this == POSTERIOR_V; }

    /**
     * For the forms that predict x_0 = sqrt(alphabar_t) x_t + c z_mu, the scale c of z_mu at step s (1 for
     * POSTERIOR_X0, sqrt(1 - alphabar_t) for POSTERIOR_V): what a graph that rebuilds {@link #map} in its own ops
     * (the image network's SameDiff reference) reads instead of repeating the formula. The published forms predict no x_0.
     */
    public double x0ReadoutScale(Step s) {
        throw Check.bad("parameterisation", this, "POSTERIOR_X0 or POSTERIOR_V (a form that predicts x_0)");
    }

    /**
     * What a parameterisation may use of step t: beta_t, alphabar_t, T and the posterior q(x_{t-1} | x_t, x_0)
     * = N(meanX0 x_0 + meanXt x_t, posteriorVariance). At t = 1, where the bound fixes the kernel to the forward
     * one, x_0 is read off with mean coefficients (1, 0) and variance beta_1.
     */
    public record Step(double beta, double alphaBar, int T, double meanX0, double meanXt, double posteriorVariance) {
        /** Step t of a schedule, the posterior from the core's {@link GaussianDiffusion#posteriorCoefficients}. */
        public static Step of(BetaSchedule schedule, int t) {
            if (schedule == null) throw Check.bad("schedule", null, "a BetaSchedule");
            return of(new GaussianDiffusion(schedule), t);
        }

        /** Step t of a diffusion's schedule, the posterior read off its table. */
        public static Step of(GaussianDiffusion diffusion, int t) {
            BetaSchedule schedule = diffusion.schedule();
            Check.inRange("t", t, 1, schedule.T());
            if (t == 1) return new Step(schedule.beta(1), schedule.alphaBar(1), schedule.T(), 1, 0, schedule.beta(1));
            GaussianDiffusion.PosteriorCoefficients c = diffusion.posteriorCoefficients(t);
            return new Step(schedule.beta(t), schedule.alphaBar(t), schedule.T(), c.x0(), c.xt(), c.variance());
        }

        /**
         * Step t >= 2 from alphabar_{t-1} and beta_t alone (the posterior from
         * {@link GaussianDiffusion#posteriorCoefficients(double, double)}), for derivatives in either.
         */
        public static Step of(double alphaBarPrevious, double beta, int T) {
            GaussianDiffusion.PosteriorCoefficients c = GaussianDiffusion.posteriorCoefficients(alphaBarPrevious, beta);
            return new Step(beta, alphaBarPrevious * (1 - beta), T, c.x0(), c.xt(), c.variance());
        }

        /** Steps 1..T of a schedule at indices 1..T (index 0 unused). */
        public static Step[] all(BetaSchedule schedule) {
            GaussianDiffusion diffusion = new GaussianDiffusion(schedule);
            Step[] s = new Step[schedule.T() + 1];
            for (int t = 1; t <= schedule.T(); t++) s[t] = of(diffusion, t);
            return s;
        }
    }

    /**
     * One dimension of one example: writes {mean, variance, dmean/dz_mu, dmean/dz_Sigma, dvariance/dz_Sigma / variance}
     * into {@code out} (length >= 5). The last entry is divided by the variance because the KL's gradient is naturally
     * written in d log Sigma. The networks' hand-derived gradients use the derivatives; {@link #step} uses the first two.
     */
    public abstract void map(double x, double zMu, double zSigma, Step s, double[] out);

    /**
     * The map's other partial derivatives, which learning the schedule needs (Sec. 2.4.1: x_t, beta_t and
     * alphabar_{t-1} all move with the betas): writes {dmean/dx, dmean/dbeta_t, dvariance/dbeta_t,
     * dmean/dalphabar_{t-1}, dvariance/dalphabar_{t-1}} into {@code out} (length >= 5), each holding the others fixed.
     * This default takes central differences of {@link #map} through {@link Step#of(double, double, int)}; the published
     * forms, which depend on beta_t alone, override it with the exact derivatives.
     */
    public void partials(double x, double zMu, double zSigma, Step s, double[] out) {
        double[] up = new double[5], down = new double[5];
        double beta = s.beta(), a = s.alphaBar() / (1 - beta);
        double hx = 1e-6 * Math.max(1, Math.abs(x)), hb = 1e-6 * Math.min(beta, 1 - beta), ha = 1e-6 * Math.min(a, 1 - a);
        map(x + hx, zMu, zSigma, s, up);
        map(x - hx, zMu, zSigma, s, down);
        out[0] = (up[0] - down[0]) / (2 * hx);
        map(x, zMu, zSigma, Step.of(a, beta + hb, s.T()), up);
        map(x, zMu, zSigma, Step.of(a, beta - hb, s.T()), down);
        out[1] = (up[0] - down[0]) / (2 * hb);
        out[2] = (up[1] - down[1]) / (2 * hb);
        map(x, zMu, zSigma, Step.of(a + ha, beta, s.T()), up);
        map(x, zMu, zSigma, Step.of(a - ha, beta, s.T()), down);
        out[3] = (up[0] - down[0]) / (2 * ha);
        out[4] = (up[1] - down[1]) / (2 * ha);
    }

    /** The posterior mean at x_0 = sqrt(alphabar_t) x + cOut z_mu; log-variance linear in z_Sigma. */
    private static void posterior(double x, double zMu, double zSigma, Step s, double cOut, double[] out) {
        double x0 = Math.sqrt(s.alphaBar()) * x + cOut * zMu;
        double logLow = Math.log(s.posteriorVariance()), span = Math.log(s.beta()) - logLow;
        out[0] = s.meanX0() * x0 + s.meanXt() * x;
        out[1] = Math.exp(logLow + (0.5 + zSigma) * span);
        out[2] = s.meanX0() * cOut;
        out[3] = 0;
        out[4] = span;
    }

    /**
     * One element of one KL term of Eq. 14 under a parameterisation: KL(q(x_{t-1} | x_t, x_0) || p(x_{t-1} | x_t)) in
     * nats, with p from {@link #map} at the readouts and q the posterior of the step, and the derivatives the training
     * objectives need, each multiplied by the row's weight w. The scalar objective and the image network's float[]
     * path both go through it, so the number they report and the gradient they follow are one formula. A reusable
     * scratch (not thread-safe): call {@link #nats} first, then {@link #readoutGradient} and, for a learned schedule,
     * {@link #scheduleGradient} with the same arguments.
     */
    public static final class KlTerm {
        private final double[] map = new double[5], partials = new double[5], kl = new double[GaussianKL.PARTIALS];
        /** w dKL/dz_mu and w dKL/dz_Sigma, set by {@link #readoutGradient}. */
        public double dZMu, dZSigma;
        /**
         * Set by {@link #scheduleGradient}, each with the others held: w dKL/dx_t with the readouts held (the network's
         * part is added by its backward pass), w dKL/dalphabar_{t-1} and w dKL/dbeta_t with x_t held.
         */
        public double dXt, dAlphaBarPrevious, dBeta;

        /** KL(q || p) in nats for one element: x0, x = x_t, readouts (zMu, zSigma), step s (t >= 2). */
        public double nats(GaussianParameterisation parameterisation, double x0, double x, double zMu, double zSigma, Step s) {
            parameterisation.map(x, zMu, zSigma, s, map);
            return GaussianKL.nats(s.meanX0() * x0 + s.meanXt() * x, s.posteriorVariance(), map[0], map[1], kl);
        }

        /** Fills {@link #dZMu} and {@link #dZSigma} for the element of the last {@link #nats}, at weight w. */
        public void readoutGradient(double w) {
            double dMean = kl[GaussianKL.D_MEAN_P];
            dZMu = w * dMean * map[2];
            dZSigma = w * (dMean * map[3] + kl[GaussianKL.D_LOG_VARIANCE_P] * map[4]);
        }

        /**
         * Fills {@link #dXt}, {@link #dAlphaBarPrevious} and {@link #dBeta} for the element of the last {@link #nats}
         * (called with the same arguments), at weight w: through the posterior's coefficients (their partials q, from
         * {@link GaussianDiffusion#posteriorPartials}) and through the parameterisation ({@link #partials}).
         */
        public void scheduleGradient(GaussianParameterisation parameterisation, double x0, double x, double zMu, double zSigma, Step s,
                                     GaussianDiffusion.PosteriorPartials q, double w) {
            parameterisation.partials(x, zMu, zSigma, s, partials);
            double dMq = kl[GaussianKL.D_MEAN_Q], dVq = kl[GaussianKL.D_VARIANCE_Q], dVar = kl[GaussianKL.D_VARIANCE_P];
            dXt = w * dMq * (s.meanXt() - partials[0]);
            dAlphaBarPrevious = w * (dMq * (q.x0dA() * x0 + q.xtdA() * x - partials[3]) + dVq * q.variancedA() + dVar * partials[4]);
            dBeta = w * (dMq * (q.x0dB() * x0 + q.xtdB() * x - partials[1]) + dVq * q.variancedB() + dVar * partials[2]);
        }
    }

    /** Mean and variance of p(x_{t-1} | x_t) from the readouts, each [n, d], at step s. */
    public GaussianStep step(INDArray xt, Readout z, Step s) {
        double[] x = Matrices.values(xt), zMu = Matrices.values(z.zMu()), zSigma = Matrices.values(z.zSigma());
        double[] mean = new double[x.length], variance = new double[x.length], out = new double[5];
        for (int i = 0; i < x.length; i++) {
            map(x[i], zMu[i], zSigma[i], s, out);
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
        Step[] steps = Step.all(schedule);
        return new GaussianReverseKernel() {
            @Override public GaussianStep step(INDArray xt, int t) {
                Matrices.matrix("xt", xt);
                Check.inRange("t", t, 1, schedule.T());
                Readout z = network.apply(xt, t);
                Matrices.sameShape("xt", xt, "zMu", z.zMu());
                Matrices.sameShape("xt", xt, "zSigma", z.zSigma());
                return GaussianParameterisation.this.step(xt, z, steps[t]);
            }

            @Override public java.util.OptionalInt steps() { return java.util.OptionalInt.of(schedule.T()); }
        };
    }
}
