package org.dpm4j.diffusion;

import org.dpm4j.util.Matrices;
import java.util.random.RandomGenerator;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.util.Check;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Binomial diffusion (paper Sec. 2.1, Eq. 2 with the binomial entry of the appendix table of kernels): forward kernel q(x_t = 1 | x_{t-1}) = x_{t-1} (1 - beta_t)
 * + r beta_t on independent bits, with terminal distribution pi = B(r). The paper's table writes r = 0.5; the
 * heartbeat experiment needs r = 0.2. Arrays are [n, d] DOUBLE in {0, 1} (or probabilities); results in nats.
 */
public final class BinomialDiffusion {
    private final BetaSchedule schedule;
    private final double baseRate;

    public BinomialDiffusion(BetaSchedule schedule, double baseRate) {
        if (schedule == null) throw Check.bad("schedule", null, "a BetaSchedule");
        this.schedule = schedule;
        this.baseRate = Check.openUnit("baseRate", baseRate);
    }

    /** The paper's table form, terminal B(0.5). */
    public BinomialDiffusion(BetaSchedule schedule) { this(schedule, 0.5); }

    public BetaSchedule schedule() { return schedule; }

    public int T() { return schedule.T(); }

    /** The terminal rate r of pi = B(r). */
    public double baseRate() { return baseRate; }

    /** q(x_t = 1 | x_{t-1}) = x_{t-1} (1 - beta_t) + r beta_t, elementwise; xPrev may hold probabilities. */
    public INDArray forwardProbabilityOfOne(INDArray xPrev, int t) {
        Matrices.probabilities("xPrev", xPrev);
        Check.inRange("t", t, 1, T());
        double b = schedule.beta(t);
        return xPrev.mul(1 - b).addi(baseRate * b);
    }

    /** A draw from q(x_t | x_{t-1}). */
    public INDArray sampleStep(INDArray xPrev, int t, RandomGenerator rng) {
        Matrices.binary("xPrev", xPrev);
        return Matrices.bernoulli(forwardProbabilityOfOne(xPrev, t), rng);
    }

    /**
     * q(x_t = 1 | x_0) = x_0 alphabar_t + r (1 - alphabar_t), t in 0..T: each step moves the probability a fraction
     * beta_t of the way to r, so the distance to r shrinks by the product of (1 - beta_s).
     */
    public INDArray marginalProbabilityOfOne(INDArray x0, int t) {
        Matrices.probabilities("x0", x0);
        Check.inRange("t", t, 0, T());
        return marginalOf(x0, t);
    }

    private INDArray marginalOf(INDArray x0, int t) {
        double ab = schedule.alphaBar(t);
        return x0.mul(ab).addi(baseRate * (1 - ab));
    }

    /** A draw from q(x_t | x_0); t = 0 returns a copy of x_0. */
    public INDArray sampleQ(INDArray x0, int t, RandomGenerator rng) {
        Matrices.binary("x0", x0);
        if (t == 0) return x0.dup();
        return Matrices.bernoulli(marginalProbabilityOfOne(x0, t), rng);
    }

    /**
     * The posterior q(x_{t-1} = 1 | x_t, x_0), t in 2..T, for binary x_0 and x_t, by Bayes' rule:
     * q(x_t | x_{t-1} = 1) q(x_{t-1} = 1 | x_0) / sum over x_{t-1} in {0, 1} of the same product.
     */
    public INDArray posteriorProbabilityOfOne(INDArray x0, INDArray xt, int t) {
        Matrices.sameShape("x0", x0, "xt", xt);
        Matrices.binary("x0", x0);
        Matrices.binary("xt", xt);
        Check.inRange("t", t, 2, T());
        return bilinear(x0, xt, x0.mul(xt), posteriorTable(t));
    }

    /** q(x_{t-1} = 1 | x_t, x_0) for the four binary cases, indexed [2 x_0 + x_t], t in 1..T (a new array). */
    public double[] posteriorTable(int t) {
        Check.inRange("t", t, 1, T());
        double b = schedule.beta(t), up1 = 1 - b + baseRate * b, up0 = baseRate * b;   // q(x_t = 1 | x_{t-1})
        double[] table = new double[4];
        for (int x0 = 0; x0 <= 1; x0++) {
            double prior1 = x0 * schedule.alphaBar(t - 1) + baseRate * (1 - schedule.alphaBar(t - 1));
            for (int xt = 0; xt <= 1; xt++) {
                double joint1 = (xt == 1 ? up1 : 1 - up1) * prior1, joint0 = (xt == 1 ? up0 : 1 - up0) * (1 - prior1);
                table[2 * x0 + xt] = joint1 / (joint1 + joint0);
            }
        }
        return table;
    }

    /** The value v[2 x_0 + x_t] elementwise for binary x_0, x_t, as the bilinear interpolation of the four values. */
    private static INDArray bilinear(INDArray x0, INDArray xt, INDArray x0xt, double[] v) {
        return x0.mul(v[2] - v[0]).addi(xt.mul(v[1] - v[0])).addi(x0xt.mul(v[3] - v[2] - v[1] + v[0])).addi(v[0]);
    }


    /** p ln p, with 0 ln 0 = 0. */
    public static double xlogx(double p) { return p == 0 ? 0 : p * Math.log(p); }

    /** q ln p + (1 - q) ln(1 - p) elementwise, p clipped to [1e-12, 1 - 1e-12]. */
    public static INDArray crossTerm(INDArray q, INDArray p) {
        INDArray pc = Transforms.max(Transforms.min(p, 1 - 1e-12, true), 1e-12, false);
        INDArray log1mp = Transforms.log(pc.rsub(1), false);
        return q.mul(Transforms.log(pc, false)).addi(q.rsub(1).muli(log1mp));
    }

    /**
     * The paper's fixed first reverse step p(x_0 = 1 | x_1) = x_1 (1 - beta_1) + r beta_1: a two-state chain with
     * stationary B(r) is reversible, so reversing the first forward step under pi gives the same kernel (App. B.3).
     */
    public INDArray firstReverseProbabilityOfOne(INDArray x1) {
        return forwardProbabilityOfOne(x1, 1);
    }


    /**
     * Elementwise KL(B(q) || B(p)) in nats, [n, d]: q log(q/p) + (1-q) log((1-q)/(1-p)), with 0 log 0 = 0.
     * p is clipped to [1e-12, 1 - 1e-12] so a confident wrong kernel costs a large finite amount.
     */
    public static INDArray klBernoulli(INDArray q, INDArray p) {
        Matrices.probabilities("q", q);
        Matrices.probabilities("p", p);
        Matrices.sameShape("q", q, "p", p);
        return crossTerm(q, p).negi().subi(bernoulliEntropy(q));
    }

    /** Elementwise Bernoulli entropy H(p) = -p ln p - (1-p) ln(1-p) in nats, [n, d], with 0 ln 0 = 0. */
    public static INDArray bernoulliEntropy(INDArray p) {
        Matrices.probabilities("p", p);
        return xlogx(p).addi(xlogx(p.rsub(1))).negi();
    }

    /** Elementwise log B(x; p) in nats for x in {0, 1}: x ln p + (1 - x) ln(1 - p). */
    public static INDArray logProbability(INDArray x, INDArray probabilityOfOne) {
        Matrices.sameShape("x", x, "probabilityOfOne", probabilityOfOne);
        return Transforms.log(likelihoodOf(x, probabilityOfOne), false);
    }

    private static INDArray likelihoodOf(INDArray x, INDArray p) {
        // x p + (1 - x)(1 - p)
        return x.mul(p.mul(2).subi(1)).addi(p.rsub(1));
    }

    private static INDArray xlogx(INDArray p) {
        INDArray safe = Transforms.max(p, 1e-300, true);
        return p.mul(Transforms.log(safe, false));
    }

    /** H_q(X_t | X_0 = x_0) per example, in nats summed over bits, t in 1..T (Eq. 14's entropy terms). */
    public double[] forwardEntropy(INDArray x0, int t) {
        Check.inRange("t", t, 1, T());
        return Matrices.rowSums(bernoulliEntropy(marginalProbabilityOfOne(x0, t)));
    }

    /** H_p(X_T) of pi = B(r), in nats per bit. */
    public double terminalEntropyPerDimension() {
        return -(baseRate * Math.log(baseRate) + (1 - baseRate) * Math.log(1 - baseRate));
    }

    /** log pi(x) = sum of log B(x; r) in nats per example, length n. */
    public double[] logTerminal(INDArray x) {
        Matrices.binary("x", x);
        return Matrices.rowSums(logProbability(x, Matrices.full(x.size(0), x.size(1), baseRate)));
    }
}
