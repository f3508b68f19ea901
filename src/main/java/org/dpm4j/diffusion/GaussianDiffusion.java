package org.dpm4j.diffusion;

import org.dpm4j.util.Matrices;
import java.util.random.RandomGenerator;
import org.dpm4j.diffusion.GaussianStep;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.util.Check;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Gaussian diffusion (paper Sec. 2.1, Eq. 2): forward kernel q(x_t | x_{t-1}) = N(x_{t-1} sqrt(1 - beta_t), beta_t I),
 * terminal distribution pi = N(0, I). All the closed forms of the forward process live here: the marginal
 * q(x_t | x_0), the posterior q(x_{t-1} | x_t, x_0), the diagonal-Gaussian KL (through {@link GaussianKL}) and the
 * entropies used by Eq. 14. The per-step numbers every objective reads (sqrt(alphabar_t), sqrt(1 - alphabar_t) and
 * the posterior coefficients) are computed once here, when the process is built, and nowhere else.
 * Arrays are [n, d] DOUBLE; densities and entropies are in nats.
 */
public final class GaussianDiffusion {
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    private final BetaSchedule schedule;
    private final double[] sqrtAlphaBar, sqrtOneMinusAlphaBar;   // index t = 0..T
    private final PosteriorCoefficients[] posterior;            // index t = 2..T

    public GaussianDiffusion(BetaSchedule schedule) {
        if (schedule == null) throw Check.bad("schedule", null, "a BetaSchedule");
        this.schedule = schedule;
        int T = schedule.T();
        sqrtAlphaBar = new double[T + 1];
        sqrtOneMinusAlphaBar = new double[T + 1];
        posterior = new PosteriorCoefficients[T + 1];
        for (int t = 0; t <= T; t++) {
            double ab = t == 0 ? 1 : schedule.alphaBar(t);
            sqrtAlphaBar[t] = Math.sqrt(ab);
            sqrtOneMinusAlphaBar[t] = Math.sqrt(1 - ab);
            if (t >= 2) posterior[t] = posteriorCoefficients(schedule.alphaBar(t - 1), schedule.beta(t));
        }
    }

    public BetaSchedule schedule() { return schedule; }

    public int T() { return schedule.T(); }

    /** sqrt(alphabar_t), the coefficient of x_0 in the mean of q(x_t | x_0), t in 0..T (1 at t = 0). */
    public double sqrtAlphaBar(int t) { return sqrtAlphaBar[Check.inRange("t", t, 0, T())]; }

    /** sqrt(1 - alphabar_t), the standard deviation of q(x_t | x_0), t in 0..T (0 at t = 0). */
    public double sqrtOneMinusAlphaBar(int t) { return sqrtOneMinusAlphaBar[Check.inRange("t", t, 0, T())]; }

    /**
     * The table of sqrt(alphabar_t) at index t = 0..T (a copy): x_t = sqrt(alphabar_t) x_0 + sqrt(1 - alphabar_t) eps,
     * for objectives that draw x_t element by element.
     */
    public double[] sqrtAlphaBars() { return sqrtAlphaBar.clone(); }

    /** The table of sqrt(1 - alphabar_t) at index t = 0..T (a copy). */
    public double[] sqrtOneMinusAlphaBars() { return sqrtOneMinusAlphaBar.clone(); }

    /** q(x_t | x_0) = N(x_0 sqrt(alphabar_t), (1 - alphabar_t) I), t in 1..T (the kernel of Eq. 2 applied t times). */
    public GaussianStep marginal(INDArray x0, int t) {
        Matrices.matrix("x0", x0);
        Check.inRange("t", t, 1, T());
        return new GaussianStep(x0.mul(sqrtAlphaBar[t]), Matrices.full(x0.size(0), x0.size(1), 1 - schedule.alphaBar(t)));
    }

    /** A draw from q(x_t | x_0); t = 0 returns a copy of x_0. */
    public INDArray sampleQ(INDArray x0, int t, RandomGenerator rng) {
        Matrices.matrix("x0", x0);
        Check.inRange("t", t, 0, T());
        if (t == 0) return x0.dup();
        return drawQ(x0, t, rng);
    }

    private INDArray drawQ(INDArray x0, int t, RandomGenerator rng) {
        return Matrices.gaussian(x0.size(0), x0.size(1), rng).muli(sqrtOneMinusAlphaBar[t]).addi(x0.mul(sqrtAlphaBar[t]));
    }

    /** The forward kernel q(x_t | x_{t-1}) = N(x_{t-1} sqrt(1 - beta_t), beta_t I) (Eq. 2 with the Gaussian entry of the appendix table of kernels). */
    public GaussianStep forwardStep(INDArray xPrev, int t) {
        Matrices.matrix("xPrev", xPrev);
        Check.inRange("t", t, 1, T());
        double b = schedule.beta(t);
        return new GaussianStep(xPrev.mul(Math.sqrt(1 - b)), Matrices.full(xPrev.size(0), xPrev.size(1), b));
    }

    /** A draw from q(x_t | x_{t-1}). */
    public INDArray sampleStep(INDArray xPrev, int t, RandomGenerator rng) {
        return sample(forwardStep(xPrev, t), rng);
    }

    /**
     * The posterior q(x_{t-1} | x_t, x_0) for t in 2..T (used by Eq. 14): precision
     * 1/(1 - alphabar_{t-1}) + alpha_t/beta_t, mean (x_0 sqrt(alphabar_{t-1})/(1 - alphabar_{t-1})
     * + x_t sqrt(alpha_t)/beta_t) / precision.
     */
    public GaussianStep posterior(INDArray x0, INDArray xt, int t) {
        Matrices.sameShape("x0", x0, "xt", xt);
        Check.inRange("t", t, 2, T());
        return posteriorOf(x0, xt, t);
    }

    private GaussianStep posteriorOf(INDArray x0, INDArray xt, int t) {
        PosteriorCoefficients c = posteriorCoefficients(t);
        INDArray mean = x0.mul(c.x0()).addi(xt.mul(c.xt()));
        return new GaussianStep(mean, Matrices.full(x0.size(0), x0.size(1), c.variance()));
    }

    /**
     * The x_0 that a reverse mean implies: the x_0 at which the forward posterior's mean (Eq. 14's q(x_{t-1} | x_t,
     * x_0), {@link #posterior}) equals {@code mean}, i.e. (mean - xt x_t) / x0 with {@link #posteriorCoefficients}, t in
     * 2..T. For the posterior parameterisations this is exactly the network's predicted x_0; for any kernel it is the
     * denoised image its mean step aims at, the same units as x_0.
     */
    public INDArray impliedX0(INDArray mean, INDArray xt, int t) {
        Matrices.sameShape("mean", mean, "xt", xt);
        PosteriorCoefficients c = posteriorCoefficients(t);
        return mean.sub(xt.mul(c.xt())).divi(c.x0());
    }

    /**
     * The posterior q(x_{t-1} | x_t, x_0) = N(x0 x_0 + xt x_t, variance) as three numbers per step.
     *
     * @param x0       coefficient of x_0 in the mean: sqrt(alphabar_{t-1}) / (1 - alphabar_{t-1}) / precision
     * @param xt       coefficient of x_t in the mean: sqrt(alpha_t) / beta_t / precision
     * @param variance 1 / precision, precision = 1/(1 - alphabar_{t-1}) + alpha_t/beta_t
     */
    public record PosteriorCoefficients(double x0, double xt, double variance) {}

    /** The coefficients of q(x_{t-1} | x_t, x_0), t in 2..T (see {@link #posterior}), from the table built once. */
    public PosteriorCoefficients posteriorCoefficients(int t) {
        return posterior[Check.inRange("t", t, 2, T())];
    }

    /**
     * The coefficients of q(x_{t-1} | x_t, x_0) from A = alphabar_{t-1} and b = beta_t alone, each in (0, 1) (for
     * derivatives in either): precision 1/(1 - A) + (1 - b)/b, x0 = sqrt(A)/(1 - A)/precision,
     * xt = sqrt(1 - b)/b/precision, variance = 1/precision. The one formula behind {@link #posteriorCoefficients(int)}.
     */
    public static PosteriorCoefficients posteriorCoefficients(double alphaBarPrevious, double beta) {
        Check.openUnit("alphaBarPrevious", alphaBarPrevious);
        Check.openUnit("beta", beta);
        double a = 1 - beta, precision = 1 / (1 - alphaBarPrevious) + a / beta;
        return new PosteriorCoefficients(Math.sqrt(alphaBarPrevious) / (1 - alphaBarPrevious) / precision,
                Math.sqrt(a) / beta / precision, 1 / precision);
    }

    /**
     * Partial derivatives of the posterior coefficients ({@link #posteriorCoefficients}) at step t with respect to
     * A = alphabar_{t-1} and b = beta_t, each held apart from the other (the chain rule to beta_1..beta_T is
     * {@link #boundScheduleGradient}). With P = 1/(1 - A) + (1 - b)/b: variance = 1/P, x0 = sqrt(A)/(1 - A) variance,
     * xt = sqrt(1 - b)/b variance.
     */
    public record PosteriorPartials(double x0dA, double x0dB, double xtdA, double xtdB, double variancedA, double variancedB) {}

    /** See {@link PosteriorPartials}; t in 2..T. */
    public PosteriorPartials posteriorPartials(int t) {
        Check.inRange("t", t, 2, T());
        return posteriorPartials(schedule.alphaBar(t - 1), schedule.beta(t));
    }

    /** {@link PosteriorPartials} at A = alphabar_{t-1} and b = beta_t, each in (0, 1). */
    public static PosteriorPartials posteriorPartials(double alphaBarPrevious, double beta) {
        double a = alphaBarPrevious, b = beta, v = posteriorCoefficients(a, b).variance();
        double dVdA = -v * v / ((1 - a) * (1 - a)), dVdB = v * v / (b * b);
        double f = Math.sqrt(a) / (1 - a), df = 1 / (2 * Math.sqrt(a) * (1 - a)) + Math.sqrt(a) / ((1 - a) * (1 - a));
        double h = Math.sqrt(1 - b) / b, dh = -1 / (2 * Math.sqrt(1 - b) * b) - Math.sqrt(1 - b) / (b * b);
        return new PosteriorPartials(df * v + f * dVdA, f * dVdB, h * dVdA, dh * v + h * dVdB, dVdA, dVdB);
    }

    /**
     * dK/dbeta_s for s = 1..T (index s - 1) of K = d entropyTermsPerDimension - loss (Eq. 14, nats), from the loss's
     * partial derivatives in alphabar_u (index u = 0..T; entry 0 unused, alphabar_0 = 1) and in beta_t (index t = 1..T;
     * entry 0 unused), each taken with the other held. alphabar_u = prod_{s <= u} (1 - beta_s), so
     * dalphabar_u/dbeta_s = -alphabar_u / (1 - beta_s) for s <= u; the entropy terms hold (d/2) log(1 - alphabar_T)
     * - (d/2) log beta_1. This is the last step of the frozen-noise schedule gradient (Sec. 2.4.1).
     *
     * @param d dimensions per example the loss is summed over
     */
    public double[] boundScheduleGradient(double[] dLossdAlphaBar, double[] dLossdBeta, int d) {
        int T = T();
        if (dLossdAlphaBar == null || dLossdAlphaBar.length != T + 1) throw Check.bad("dLossdAlphaBar.length", dLossdAlphaBar == null ? null : dLossdAlphaBar.length, "T + 1 = " + (T + 1));
        if (dLossdBeta == null || dLossdBeta.length != T + 1) throw Check.bad("dLossdBeta.length", dLossdBeta == null ? null : dLossdBeta.length, "T + 1 = " + (T + 1));
        double[] ab = schedule.alphaBars(), g = new double[T];
        double tail = 0, ceilingTail = d * 0.5 * ab[T] / (1 - ab[T]);   // tail: sum_{u >= s} dLoss/dalphabar_u alphabar_u
        for (int s = T; s >= 1; s--) {
            double b = schedule.beta(s);
            tail += dLossdAlphaBar[s] * ab[s];
            double dLoss = dLossdBeta[s] - tail / (1 - b);
            double dCeiling = ceilingTail / (1 - b) - (s == 1 ? d * 0.5 / b : 0);
            g[s - 1] = dCeiling - dLoss;
        }
        return g;
    }

    /**
     * The paper's fixed first reverse step p(x_0 | x_1) = q(x_1 | x_0) pi(x_0) / pi(x_1) = N(x_1 sqrt(1 - beta_1),
     * beta_1 I) (App. B.3, "edge effect"): the reverse of the first forward step under the equilibrium pi = N(0, I).
     */
    public GaussianStep firstReverseStep(INDArray x1) {
        return forwardStep(x1, 1);
    }


    /** The terminal distribution pi(x_T) = N(0, I), as a step for shape [n, d]. */
    public GaussianStep terminal(long n, long d) {
        return new GaussianStep(Matrices.full(n, d, 0), Matrices.full(n, d, 1));
    }

    /**
     * Elementwise KL(q || p) between diagonal Gaussians, in nats, shape [n, d]:
     * (log(v_p / v_q) + (v_q + (m_q - m_p)^2) / v_p - 1) / 2 ({@link GaussianKL#nats(double, double, double, double)}).
     */
    public static INDArray kl(GaussianStep q, GaussianStep p) {
        checkStep("q", q);
        checkStep("p", p);
        Matrices.sameShape("q.mean", q.mean(), "p.mean", p.mean());
        return klOf(q, p);
    }


    private static INDArray klOf(GaussianStep q, GaussianStep p) {
        double[] kl = GaussianKL.nats(Matrices.values(q.mean()), Matrices.values(q.variance()), Matrices.values(p.mean()), Matrices.values(p.variance()));
        return Matrices.fromValues(kl, q.mean().size(0), q.mean().size(1));
    }

    /** Elementwise log N(x; mean, variance) in nats, shape [n, d]. */
    public static INDArray logDensity(INDArray x, GaussianStep g) {
        checkStep("g", g);
        Matrices.sameShape("g.mean", g.mean(), "x", x);
        INDArray z = x.sub(g.mean());
        return z.muli(z).divi(g.variance()).addi(Transforms.log(g.variance(), true)).muli(-0.5).subi(HALF_LOG_2PI);
    }

    /** A draw mean + sqrt(variance) eps; entries of zero variance are returned exactly equal to the mean. */
    public static INDArray sample(GaussianStep g, RandomGenerator rng) {
        checkStep("g", g);
        INDArray noise = Matrices.gaussian(g.mean().size(0), g.mean().size(1), rng);
        return noise.muli(Transforms.sqrt(g.variance(), true)).addi(g.mean());
    }

    /** Entropy of a Gaussian with variance v, in nats per dimension: (1 + ln 2 pi)/2 + (ln v)/2. */
    public static double entropyPerDimension(double variance) {
        Check.positive("variance", variance);
        return 0.5 + HALF_LOG_2PI + 0.5 * Math.log(variance);
    }

    /** H_q(X_t | X_0) in nats per dimension, t in 1..T: variance 1 - alphabar_t (Eq. 14's entropy terms). */
    public double forwardEntropyPerDimension(int t) {
        Check.inRange("t", t, 1, T());
        return entropyPerDimension(1 - schedule.alphaBar(t));
    }

    /** H_p(X_T) of pi = N(0, I), in nats per dimension: (1 + ln 2 pi)/2. */
    public double terminalEntropyPerDimension() { return entropyPerDimension(1); }

    /**
     * H_q(X_T | X_0) - H_q(X_1 | X_0) - H_p(X_T) of Eq. 14 in nats per dimension: the value K would take if every
     * reverse step matched the forward posterior (its ceiling).
     */
    public double entropyTermsPerDimension() {
        return forwardEntropyPerDimension(T()) - forwardEntropyPerDimension(1) - terminalEntropyPerDimension();
    }

    /** log pi(x) = log N(x; 0, I) in nats per example (summed over dimensions), length n. */
    public double[] logTerminal(INDArray x) {
        return Matrices.rowSums(logDensity(x, terminal(x.size(0), x.size(1))));
    }

    /** Refuses a step without mean or variance, with mismatched shapes, or a negative variance, naming it. */
    public static void checkStep(String name, GaussianStep g) {
        if (g == null || g.mean() == null || g.variance() == null) throw Check.bad(name, g, "a GaussianStep with mean and variance");
        Matrices.sameShape(name + ".mean", g.mean(), name + ".variance", g.variance());
        if (g.variance().minNumber().doubleValue() < 0) {
            throw Check.bad(name + ".variance min", g.variance().minNumber(), "variances >= 0");
        }
    }
}
