package org.dpm4j.schedule;

import java.util.function.ToDoubleFunction;
import org.dpm4j.util.Check;

/**
 * A schedule whose beta_2..beta_T are learned by gradient ascent on K with beta_1 fixed (Sec. 2.4.1).
 * Monotone by construction: logit(beta_2) = theta_0 and logit(beta_t) = logit(beta_{t-1}) + softplus(theta_{t-2})
 * for t = 3..T, so beta_2 <= beta_3 <= ... <= beta_T < 1 for every parameter vector. Immutable: an ascent step
 * returns a new schedule. T - 1 parameters. Training learns them jointly with the network through
 * {@code TrainConfig.withLearnedSchedule}, from the analytic frozen-noise gradient of
 * {@code GaussianObjective.evaluateWithScheduleGradient}; {@link #numericalBetaGradient} is its test oracle.
 */
public final class LearnableSchedule {
    private final double beta1;
    private final double[] theta;

    /** @param theta T - 1 parameters (see the class comment); beta1 the fixed first step in (0, 1) */
    public LearnableSchedule(double beta1, double[] theta) {
        this.beta1 = Check.openUnit("beta1", beta1);
        if (theta == null || theta.length < 1) throw Check.bad("theta.length", theta == null ? null : theta.length, "T - 1 >= 1 parameters");
        this.theta = Check.allFinite("theta", theta).clone();
    }

    /**
     * Parameters that reproduce a schedule whose beta_2..beta_T are strictly increasing and below 1 (the reference
     * and linear schedules); a non-increasing step is replaced by an increase of 1e-9 in logit.
     */
    public static LearnableSchedule startingFrom(BetaSchedule s) {
        Check.inRange("T", s.T(), 2, Integer.MAX_VALUE);
        double[] theta = new double[s.T() - 1];
        if (s.beta(s.T()) >= 1) throw Check.bad("beta_T", 1.0, "below 1 (a learnable schedule never reaches 1)");
        theta[0] = Schedules.logit(s.beta(2));
        for (int t = 3; t <= s.T(); t++) {
            double inc = Math.max(Schedules.logit(s.beta(t)) - Schedules.logit(s.beta(t - 1)), 1e-9);
            theta[t - 2] = inc > 30 ? inc : Math.log(Math.expm1(inc));   // softplus^-1
        }
        return new LearnableSchedule(s.beta(1), theta);
    }

    public int T() { return theta.length + 1; }

    public double[] parameters() { return theta.clone(); }

    public BetaSchedule schedule() {
        double[] b = new double[T()];
        b[0] = beta1;
        double logit = theta[0];
        b[1] = Schedules.logistic(logit);
        for (int t = 3; t <= T(); t++) {
            logit += softplus(theta[t - 2]);
            b[t - 1] = Math.min(Schedules.logistic(logit), 1 - 1e-12);
        }
        return new BetaSchedule("learnable: beta_1 = " + beta1 + " fixed, logit(beta_t) non-decreasing for t >= 2", b);
    }

    /**
     * The chain rule from dK/dbeta_t (index t-1, t = 1..T; entry 0 ignored since beta_1 is fixed) to dK/dtheta.
     * dbeta_t/dlogit_t = beta_t (1 - beta_t); logit_t depends on theta_0 and on theta_{s-2} through softplus for
     * s = 3..t.
     */
    public double[] gradient(double[] dKdBeta) {
        Check.allFinite("dKdBeta", dKdBeta);
        if (dKdBeta.length != T()) throw Check.bad("dKdBeta.length", dKdBeta.length, "T = " + T());
        double[] b = schedule().betas(), g = new double[theta.length];
        double tail = 0;   // sum over t' >= t of dK/dlogit_t'
        for (int t = T(); t >= 2; t--) {
            tail += dKdBeta[t - 1] * b[t - 1] * (1 - b[t - 1]);
            if (t >= 3) g[t - 2] = tail * Schedules.logistic(theta[t - 2]);
            else g[0] = tail;
        }
        return g;
    }

    /** One step of gradient ascent on K: theta + learningRate * dK/dtheta. */
    public LearnableSchedule ascend(double[] dKdBeta, double learningRate) {
        Check.positive("learningRate", learningRate);
        double[] g = gradient(dKdBeta), next = theta.clone();
        for (int i = 0; i < next.length; i++) next[i] += learningRate * g[i];
        return new LearnableSchedule(beta1, next);
    }

    /**
     * dK/dbeta_t by central differences of a deterministic objective (K with frozen noise: a fixed seed), for
     * t = 2..T (entry 0 is 0). Costs 2 (T - 1) evaluations, so it suits small T (the Swiss roll's T = 40).
     */
    public static double[] numericalBetaGradient(BetaSchedule s, ToDoubleFunction<BetaSchedule> objective, double h) {
        Check.positive("h", h);
        double[] b = s.betas(), g = new double[b.length];
        for (int i = 1; i < b.length; i++) {
            double[] up = b.clone(), down = b.clone();
            up[i] = Math.min(b[i] + h, 1);
            down[i] = Math.max(b[i] - h, b[i] / 2);   // stay inside (0, 1]
            g[i] = (objective.applyAsDouble(Schedules.explicit(up)) - objective.applyAsDouble(Schedules.explicit(down))) / (up[i] - down[i]);
        }
        return g;
    }

    private static double softplus(double x) { return x > 30 ? x : Math.log1p(Math.exp(x)); }
}
