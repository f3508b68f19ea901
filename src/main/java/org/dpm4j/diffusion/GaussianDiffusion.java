package org.dpm4j.diffusion;

import java.util.random.RandomGenerator;
import org.dpm4j.kernel.GaussianReverseKernel;
import org.dpm4j.kernel.GaussianStep;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.util.Check;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Gaussian diffusion (paper Sec. 2.1, Eq. 2): forward kernel q(x_t | x_{t-1}) = N(x_{t-1} sqrt(1 - beta_t), beta_t I),
 * terminal distribution pi = N(0, I). All the closed forms of the forward process live here: the marginal
 * q(x_t | x_0), the posterior q(x_{t-1} | x_t, x_0), the diagonal-Gaussian KL and the entropies used by Eq. 14.
 * Arrays are [n, d] DOUBLE; densities and entropies are in nats.
 */
public final class GaussianDiffusion {
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    private final BetaSchedule schedule;

    public GaussianDiffusion(BetaSchedule schedule) {
        if (schedule == null) throw Check.bad("schedule", null, "a BetaSchedule");
        this.schedule = schedule;
    }

    public BetaSchedule schedule() { return schedule; }

    public int T() { return schedule.T(); }

    /** q(x_t | x_0) = N(x_0 sqrt(alphabar_t), (1 - alphabar_t) I), t in 1..T (the kernel of Eq. 2 applied t times). */
    public GaussianStep marginal(INDArray x0, int t) {
        Matrices.matrix("x0", x0);
        Check.inRange("t", t, 1, T());
        double ab = schedule.alphaBar(t);
        return new GaussianStep(x0.mul(Math.sqrt(ab)), Matrices.full(x0.size(0), x0.size(1), 1 - ab));
    }

    /** A draw from q(x_t | x_0); t = 0 returns a copy of x_0. */
    public INDArray sampleQ(INDArray x0, int t, RandomGenerator rng) {
        Matrices.matrix("x0", x0);
        Check.inRange("t", t, 0, T());
        if (t == 0) return x0.dup();
        return drawQ(x0, t, rng);
    }

    private INDArray drawQ(INDArray x0, int t, RandomGenerator rng) {
        double ab = schedule.alphaBar(t);
        return Matrices.gaussian(x0.size(0), x0.size(1), rng).muli(Math.sqrt(1 - ab)).addi(x0.mul(Math.sqrt(ab)));
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
     * The posterior q(x_{t-1} | x_t, x_0) = N(x0 x_0 + xt x_t, variance) as three numbers per step.
     *
     * @param x0       coefficient of x_0 in the mean: sqrt(alphabar_{t-1}) / (1 - alphabar_{t-1}) / precision
     * @param xt       coefficient of x_t in the mean: sqrt(alpha_t) / beta_t / precision
     * @param variance 1 / precision, precision = 1/(1 - alphabar_{t-1}) + alpha_t/beta_t
     */
    public record PosteriorCoefficients(double x0, double xt, double variance) {}

    /** The coefficients of q(x_{t-1} | x_t, x_0), t in 2..T (see {@link #posterior}). */
    public PosteriorCoefficients posteriorCoefficients(int t) {
        Check.inRange("t", t, 2, T());
        double abPrev = schedule.alphaBar(t - 1), a = schedule.alpha(t), b = schedule.beta(t);
        double precision = 1 / (1 - abPrev) + a / b;
        return new PosteriorCoefficients(Math.sqrt(abPrev) / (1 - abPrev) / precision, Math.sqrt(a) / b / precision, 1 / precision);
    }

    /**
     * The paper's fixed first reverse step p(x_0 | x_1) = q(x_1 | x_0) pi(x_0) / pi(x_1) = N(x_1 sqrt(1 - beta_1),
     * beta_1 I) (App. B.3, "edge effect"): the reverse of the first forward step under the equilibrium pi = N(0, I).
     */
    public GaussianStep firstReverseStep(INDArray x1) {
        return forwardStep(x1, 1);
    }

    /**
     * The reverse kernel actually used by the model: the given kernel for t in 2..T and the fixed first step
     * {@link #firstReverseStep} at t = 1, as the paper does. K, Eq. 9 and sampling all go through this.
     */
    public GaussianReverseKernel withFixedFirstStep(GaussianReverseKernel kernel) {
        if (kernel == null) throw Check.bad("kernel", null, "a GaussianReverseKernel");
        return (xt, t) -> t == 1 ? firstReverseStep(xt) : kernel.step(xt, t);
    }

    /** The terminal distribution pi(x_T) = N(0, I), as a step for shape [n, d]. */
    public GaussianStep terminal(long n, long d) {
        return new GaussianStep(Matrices.full(n, d, 0), Matrices.full(n, d, 1));
    }

    /**
     * Elementwise KL(q || p) between diagonal Gaussians, in nats, shape [n, d]:
     * (log(v_p / v_q) + (v_q + (m_q - m_p)^2) / v_p - 1) / 2.
     */
    public static INDArray kl(GaussianStep q, GaussianStep p) {
        checkStep("q", q);
        checkStep("p", p);
        Matrices.sameShape("q.mean", q.mean(), "p.mean", p.mean());
        return klOf(q, p);
    }

    /**
     * The t-th term of Eq. 14 before averaging, t in 2..T: per example, KL(q(x_{t-1} | x_t, x_0) || p(x_{t-1} | x_t))
     * summed over dimensions, in nats, at one draw x_t = sampleQ(x0, t, rng). The kernel's output is validated only
     * if the result is not finite (NaN, negative variance), so the check costs nothing per step in the usual case.
     *
     * @return [n] KL per example, nats
     */
    public INDArray klTerm(INDArray x0, int t, GaussianReverseKernel kernel, RandomGenerator rng) {
        Matrices.matrix("x0", x0);
        Check.inRange("t", t, 2, T());
        INDArray xt = drawQ(x0, t, rng);
        GaussianStep p = Matrices.outsideWorkspace(() -> kernel.step(xt, t));
        if (p == null || p.mean() == null || p.variance() == null) throw Check.bad("p", p, "a GaussianStep with mean and variance");
        Matrices.sameShapeOnly("xt", xt, "p.mean", p.mean());
        Matrices.sameShapeOnly("xt", xt, "p.variance", p.variance());
        INDArray kl = klOf(posteriorOf(x0, xt, t), p).sum(1);
        if (!Double.isFinite(kl.sumNumber().doubleValue())) checkStep("p", p);
        return kl;
    }

    private static INDArray klOf(GaussianStep q, GaussianStep p) {
        INDArray diff = q.mean().sub(p.mean());
        INDArray ratio = q.variance().div(p.variance());
        return diff.muli(diff).divi(p.variance()).addi(ratio).subi(1).subi(Transforms.log(ratio, true)).muli(0.5);
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

    private static void checkStep(String name, GaussianStep g) {
        if (g == null || g.mean() == null || g.variance() == null) throw Check.bad(name, g, "a GaussianStep with mean and variance");
        Matrices.sameShape(name + ".mean", g.mean(), name + ".variance", g.variance());
        if (g.variance().minNumber().doubleValue() < 0) {
            throw Check.bad(name + ".variance min", g.variance().minNumber(), "variances >= 0");
        }
    }
}
