package org.dpm4j.experiments;

import java.util.random.RandomGenerator;
import org.dpm4j.bound.Units;
import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.experiments.Profile;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.util.Check;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * How much of K (Eq. 14) the best Gaussian reverse kernel of a family can reach: an oracle, computed from the data's
 * true reverse posteriors q(x_{t-1} | x_t) (see {@link MixtureReverse}), not trained.
 *
 * <p>Eq. 14's t-th term splits as E KL(q(x_{t-1} | x_t, x_0) || p) = E_{x_t} KL(q(x_{t-1} | x_t) || p) + I_t, with
 * I_t = I(X_{t-1}; X_0 | X_t) independent of p. Over Gaussians p the first part is smallest when p has the moments of
 * q(x_{t-1} | x_t) (for diagonal p: its mean and marginal variances), and for that p, averaging over x_0 given x_t in
 * closed form, E_{x_0 | x_t} KL(q(x_{t-1} | x_t, x_0) || p) = (ln det Sigma_p - d ln v_t) / 2, with v_t the variance of
 * q(x_{t-1} | x_t, x_0). The exact reverse kernel (p = q(x_{t-1} | x_t) itself, a mixture) gives
 * H(q(x_{t-1} | x_t)) - (d/2) ln(2 pi e v_t), with the entropy from one draw y ~ q(x_{t-1} | x_t) as
 * (1/2) ln det(2 pi e Sigma) - (log q(y) - log N(y; mean, Sigma)) (low variance: q is nearly Gaussian at most t).
 * Those terms replace Eq. 14's KL
 * terms; the first step stays fixed to the forward kernel and the entropy terms are {@link GaussianDiffusion}'s,
 * exactly as in org.dpm4j.bound.BoundK, so the numbers compare with a trained kernel's K. For the exact reverse,
 * K = H(X_T) - H(X_1) - H_p(X_T): the ceiling -H(X_1) of {@link BlurCeiling} less KL(q(x_T) || pi).
 *
 * <p>Draws: per example x_0 = data.sample(rng), then for t = 2..T in order x_t ~ q(x_t | x_0) and one draw from
 * q(x_{t-1} | x_t), from the one generator.
 */
public final class KernelCeiling {
    private KernelCeiling() {}

    /** Monte-Carlo draws of x_0 per profile: about a second in quick, ~0.01-bit standard errors in standard. */
    public static int examples(Profile profile) {
        return switch (profile) {
            case QUICK -> 200;
            case STANDARD -> 4000;
            case PAPER -> 20_000;
        };
    }

    /**
     * One table of what K reaches on the same data and schedule, bits per example: the oracle families of r, the blur
     * ceiling, a trained kernel's K and the paper's value (NaN standard error where none applies).
     */
    public static Table summary(Result r, double ceilingBits, Estimate trained, double paperBits) {
        StringColumn kernel = StringColumn.create("reverse kernel p(x_{t-1} | x_t), t >= 2");
        DoubleColumn k = DoubleColumn.create("K (bits)"), se = DoubleColumn.create("s.e.");
        kernel.append("best Gaussian, diagonal covariance (the paper's family)");
        k.append(r.kDiagonal().mean());
        se.append(r.kDiagonal().standardError());
        kernel.append("best Gaussian, full covariance");
        k.append(r.kFull().mean());
        se.append(r.kFull().standardError());
        kernel.append("exact reverse posterior (a mixture)");
        k.append(r.kExact().mean());
        se.append(r.kExact().standardError());
        kernel.append("ceiling: -H(X_1), data blurred by the fixed first step");
        k.append(ceilingBits);
        se.append(Double.NaN);
        kernel.append("trained network (this run)");
        k.append(trained.mean());
        se.append(trained.standardError());
        kernel.append("paper (Table 1)");
        k.append(paperBits);
        se.append(Double.NaN);
        return Table.create("What K can reach (" + r.schedule() + ", n = " + r.examples() + ")", kernel, k, se);
    }

    /**
     * The oracle K (Eq. 14) for the best diagonal-covariance Gaussian reverse kernel (the paper's family), the best
     * full-covariance Gaussian, and the exact reverse; bits per example (for the Swiss roll: per 2-D point).
     *
     * @param examples Monte-Carlo draws of x_0 (each with its own forward draws at every t)
     */
    public static Result compute(MixtureData data, BetaSchedule schedule, int examples, RandomGenerator rng) {
        if (data == null) throw Check.bad("data", null, "a MixtureData");
        if (schedule == null) throw Check.bad("schedule", null, "a BetaSchedule");
        Check.inRange("T", schedule.T(), 2, Integer.MAX_VALUE);
        Check.positive("examples", examples);
        if (rng == null) throw Check.bad("rng", null, "a seeded RandomGenerator");
        int T = schedule.T(), d = data.dimensions();
        GaussianDiffusion diffusion = new GaussianDiffusion(schedule);
        MixtureReverse[] reverse = new MixtureReverse[T + 1];
        double[] halfLogV = new double[T + 1];   // (d/2) ln v_t, v_t the variance of q(x_{t-1} | x_t, x_0)
        for (int t = 2; t <= T; t++) {
            reverse[t] = new MixtureReverse(data.resolved(MixtureReverse.spread(schedule, t)), schedule, t);
            halfLogV[t] = 0.5 * d * Math.log(diffusion.posteriorCoefficients(t).variance());
        }
        double entropyTerms = d * diffusion.entropyTermsPerDimension();

        // lost[family][t][i]: nats of Eq. 14's t-th term for example i
        double[][][] lost = new double[3][T + 1][examples];
        for (int i = 0; i < examples; i++) {
            double[] x0 = data.sample(rng);
            for (int t = 2; t <= T; t++) {
                double ab = schedule.alphaBar(t), a = Math.sqrt(ab), s = Math.sqrt(1 - ab);
                double[] xt = new double[d];
                for (int j = 0; j < d; j++) xt[j] = a * x0[j] + s * rng.nextGaussian();
                MixtureReverse.Posterior q = reverse[t].at(xt);
                double[][] sigma = q.covariance();
                double logDetDiagonal = 0;
                for (int j = 0; j < d; j++) logDetDiagonal += Math.log(sigma[j][j]);
                double[][] chol = cholesky(sigma);
                lost[0][t][i] = 0.5 * logDetDiagonal - halfLogV[t];
                lost[1][t][i] = 0.5 * logDeterminant(chol) - halfLogV[t];
                // the exact kernel's term is the full one less KL(q(x_{t-1} | x_t) || p_full), estimated from one draw
                // y ~ q; E[-log p_full(y)] is known, so log q(y) - log p_full(y) is a low-variance entropy estimate
                double[] y = q.sample(rng);
                lost[2][t][i] = lost[1][t][i] - (q.logDensity(y) - logNormal(y, q.firstMoment(), chol));
            }
        }
        return Result.of(schedule, d, examples, entropyTerms, lost);
    }

    /**
     * The bits a diagonal-covariance kernel must lose at step t (t >= 2) where the data are locally a straight line
     * (noise far below the radius of curvature), with the line's direction uniform in angle: the true reverse
     * posterior has variance tau = beta_t / alpha_t along the line and c = 1 / (1/(1 - alphabar_{t-1}) + alpha_t/beta_t)
     * across it, and the best diagonal Gaussian loses E_theta (1/2) ln(Sigma_xx Sigma_yy / (c tau)) =
     * 2 ln((r^(1/4) + r^(-1/4)) / 2) nats with r = c / tau (using (1/pi) int ln(a cos^2 + b sin^2) = 2 ln((sqrt a + sqrt b)/2)).
     * When 1 - alphabar is small, r = exp(-Delta lambda) (the step's fall in log-SNR) and the loss is
     * 2 ln cosh(Delta lambda / 4) ~ (Delta lambda)^2 / 16 nats. Bits per 2-D point.
     */
    public static double lineLossBits(BetaSchedule schedule, int t) {
        if (schedule == null) throw Check.bad("schedule", null, "a BetaSchedule");
        Check.inRange("t", t, 2, schedule.T());
        double alpha = schedule.alpha(t), beta = schedule.beta(t);
        double across = 1 / (1 / (1 - schedule.alphaBar(t - 1)) + alpha / beta), r = across * alpha / beta;
        double q = Math.pow(r, 0.25);
        return Units.natsToBits(2 * Math.log((q + 1 / q) / 2));
    }

    /** The lower Cholesky factor of a symmetric positive-definite matrix; NaN entries if it is not positive definite. */
    static double[][] cholesky(double[][] a) {
        int n = a.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int k = 0; k < j; k++) s -= l[i][k] * l[j][k];
                l[i][j] = i == j ? (s > 0 ? Math.sqrt(s) : Double.NaN) : s / l[j][j];
            }
        }
        return l;
    }

    /** ln det A from A's Cholesky factor. */
    static double logDeterminant(double[][] chol) {
        double s = 0;
        for (int i = 0; i < chol.length; i++) s += 2 * Math.log(chol[i][i]);
        return s;
    }

    /** log N(y; m, A) in nats, A given by its Cholesky factor. */
    static double logNormal(double[] y, double[] m, double[][] chol) {
        int n = y.length;
        double[] z = new double[n];
        double quad = 0;
        for (int i = 0; i < n; i++) {
            double s = y[i] - m[i];
            for (int k = 0; k < i; k++) s -= chol[i][k] * z[k];
            z[i] = s / chol[i][i];
            quad += z[i] * z[i];
        }
        return -0.5 * (n * Math.log(2 * Math.PI) + logDeterminant(chol) + quad);
    }

    /**
     * The oracle bounds, all in bits per example (the whole d-dimensional vector).
     *
     * @param schedule       the schedule's name
     * @param T              diffusion steps
     * @param dimensions     d
     * @param examples       Monte-Carlo draws of x_0
     * @param kDiagonal      K with the best diagonal-covariance Gaussian at every t >= 2 (the paper's family)
     * @param kFull          K with the best full-covariance Gaussian
     * @param kExact         K with the exact reverse posterior (a mixture): the most any reverse kernel can reach
     * @param diagonalDeficit K_full - K_diagonal, paired over the same draws
     * @param entropyBits    H_q(X_T | X_0) - H_q(X_1 | X_0) - H_p(X_T): K if every step matched q(x_{t-1} | x_t, x_0)
     * @param lossDiagonal   index t-1, t = 2..T (entry 0 is 0): E KL(q(x_{t-1} | x_t) || p_best diagonal), the bound
     *                       the diagonal family gives up at step t beyond what the exact reverse gives up
     * @param lossFull       the same for the full-covariance family
     * @param exactTerms     index t-1: I(X_{t-1}; X_0 | X_t), Eq. 14's t-th term for the exact reverse kernel
     * @param kDiagonalPerExample K_diagonal of each example (its own draws), for paired comparisons under common seeds
     */
    public record Result(String schedule, int T, int dimensions, int examples, Estimate kDiagonal, Estimate kFull,
                         Estimate kExact, Estimate diagonalDeficit, double entropyBits, Estimate[] lossDiagonal,
                         Estimate[] lossFull, Estimate[] exactTerms, double[] kDiagonalPerExample) {

        static Result of(BetaSchedule schedule, int d, int n, double entropyTerms, double[][][] lost) {
            int T = schedule.T();
            double[][] k = new double[3][n];
            double[] deficit = new double[n];
            Estimate[][] steps = new Estimate[3][T];
            for (int f = 0; f < 3; f++) {
                java.util.Arrays.fill(k[f], entropyTerms);
                steps[f][0] = new Estimate(0, 0);
            }
            double[] diff = new double[n];
            for (int t = 2; t <= T; t++) {
                for (int i = 0; i < n; i++) {
                    for (int f = 0; f < 3; f++) k[f][i] -= lost[f][t][i];
                    deficit[i] += lost[0][t][i] - lost[1][t][i];
                }
                for (int f = 0; f < 2; f++) {
                    for (int i = 0; i < n; i++) diff[i] = Units.natsToBits(lost[f][t][i] - lost[2][t][i]);
                    steps[f][t - 1] = Estimate.of(diff);
                }
                for (int i = 0; i < n; i++) diff[i] = Units.natsToBits(lost[2][t][i]);
                steps[2][t - 1] = Estimate.of(diff);
            }
            return new Result(schedule.name(), T, d, n, bits(k[0]), bits(k[1]), bits(k[2]), bits(deficit),
                    Units.natsToBits(entropyTerms), steps[0], steps[1], steps[2], toBits(k[0]));
        }

        private static Estimate bits(double[] nats) { return Estimate.of(toBits(nats)); }

        private static double[] toBits(double[] nats) {
            double[] b = new double[nats.length];
            for (int i = 0; i < b.length; i++) b[i] = Units.natsToBits(nats[i]);
            return b;
        }

        /** K_diagonal of this result minus that of another computed with the same data, examples and seed, paired. */
        public Estimate kDiagonalGain(Result baseline) {
            if (baseline.examples != examples) throw Check.bad("baseline.examples", baseline.examples, "n = " + examples + " (same seed)");
            double[] diff = new double[examples];
            for (int i = 0; i < examples; i++) diff[i] = kDiagonalPerExample[i] - baseline.kDiagonalPerExample[i];
            return Estimate.of(diff);
        }

        /** The means of a per-step profile (index t-1), for plotting. */
        public static double[] means(Estimate[] steps) {
            double[] m = new double[steps.length];
            for (int i = 0; i < m.length; i++) m[i] = steps[i].mean();
            return m;
        }

        @Override public String toString() {
            return String.format("oracle K (%s, T=%d, n=%d), bits per example: diagonal %s, full %s, exact %s; full - diagonal %s",
                    schedule, T, examples, kDiagonal, kFull, kExact, diagonalDeficit);
        }
    }
}
