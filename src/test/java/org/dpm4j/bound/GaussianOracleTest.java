package org.dpm4j.bound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.util.Matrices;
import org.dpm4j.kernel.ExactGaussianDataKernel;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.schedule.Schedules;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The Gaussian-data oracle. For x_0 ~ N(m, diag s^2) the exact reverse kernel is Gaussian, and so is the model it
 * defines (prior N(0, I), exact kernel for t >= 2, the paper's fixed first step). Three log-likelihoods appear:
 * - model: log p(x_0) of that model, the quantity K (as an ELBO) and Eq. 9 estimate; it is the data density blurred
 *   by the first step;
 * - data: log N(x_0; m, s^2), which nothing here can exceed on average (Gibbs);
 * - K itself: Eq. 14, equal to the ELBO for data with the prior's first two moments (z-scored data), and in general
 *   the ELBO minus the edge terms Eq. 14 drops.
 * The closed-form expectation of K over x_t is computed here independently of the library (one dimension at a time;
 * every quantity is quadratic in x_0, so its data average is exactly (f(m + s) + f(m - s)) / 2).
 */
public class GaussianOracleTest {

    /** Per-dimension closed forms for data N(m, s2) under a schedule, written from the paper's formulas. */
    public record Oracle(double[] b, double m, double s2, double[] abs) {
        Oracle(double[] b, double m, double s2) { this(b, m, s2, cumulativeAlphas(b)); }

        double ab(int t) { return abs[t]; }

        int T() { return b.length; }

        static double h(double v) { return 0.5 * (1 + Math.log(2 * Math.PI)) + 0.5 * Math.log(v); }

        /** K of Eq. 14 for one dimension at x_0, the expectation over x_t taken exactly. */
        public double k(double x0) {
            double k = 0;
            for (int t = 2; t <= T(); t++) {
                double abp = ab(t - 1), abt = ab(t), at = 1 - b[t - 1], bt = b[t - 1];
                double pq = 1 / (1 - abp) + at / bt, vq = 1 / pq;
                double c0 = Math.sqrt(abp) / (1 - abp) / pq, ct = Math.sqrt(at) / bt / pq;
                double vPrev = abp * s2 + 1 - abp, mPrev = Math.sqrt(abp) * m;
                double pp = 1 / vPrev + at / bt, v = 1 / pp, g = Math.sqrt(at) / bt / pp, o = mPrev / vPrev / pp;
                double meanD = c0 * x0 - o + (ct - g) * Math.sqrt(abt) * x0;
                double ed2 = meanD * meanD + (ct - g) * (ct - g) * (1 - abt);
                k -= 0.5 * (Math.log(v / vq) + vq / v - 1 + ed2 / v);
            }
            return k + h(1 - ab(T())) - h(b[0]) - h(1);
        }

        /** The exact ELBO: K plus the terms Eq. 14 drops. */
        public double elbo(double x0) { return k(x0) + (b[0] + ab(T())) * (1 - x0 * x0) / 2; }

        public double logData(double x0) { return logNormal(x0, m, s2); }

        /** Data average of a quadratic function of x_0: exact two-point rule. */
        public double dataMean(java.util.function.DoubleUnaryOperator f) {
            double s = Math.sqrt(s2);
            return (f.applyAsDouble(m + s) + f.applyAsDouble(m - s)) / 2;
        }
    }

    /** alphabar_0..alphabar_T as products of (1 - beta), written out here rather than taken from BetaSchedule. */
    static double[] cumulativeAlphas(double[] b) {
        double[] a = new double[b.length + 1];
        a[0] = 1;
        for (int t = 1; t <= b.length; t++) a[t] = a[t - 1] * (1 - b[t - 1]);
        return a;
    }

    public static double logNormal(double x, double m, double v) { return -0.5 * Math.log(2 * Math.PI * v) - (x - m) * (x - m) / (2 * v); }

    public static INDArray gaussianData(int n, double[] m, double[] s2, long seed) {
        INDArray x = Matrices.gaussian(n, m.length, new SplittableRandom(seed));
        for (int j = 0; j < m.length; j++) x.getColumn(j).muli(Math.sqrt(s2[j])).addi(m[j]);
        return x;
    }

    public static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    /** Mean and standard error of a - b, paired by example. */
    static double[] pairedDifference(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i] - b[i];
        double md = mean(d), ss = 0;
        for (double v : d) ss += (v - md) * (v - md);
        return new double[] {md, Math.sqrt(ss / (d.length - 1) / d.length)};
    }

    // (m, s^2): narrow, wide, and second moment 1 (m^2 + s^2 = 1, like z-scored data). N(0, 1) itself is pi, which the
    // model represents exactly (every gap is zero), so it is not among them.
    static final double[][] DATA = {{0.5, 0.6}, {-1, 1.4}, {0.6, 0.64}};

    @Test
    @DisplayName("exact kernel, closed form: per example ELBO <= model log-likelihood; on average ELBO <= model <= data")
    void elboNeverExceedsModelLogLikelihood() {
        for (double[] ms : DATA) {
            for (int T : new int[] {10, 40, 200, 1000}) {
                BetaSchedule s = Schedules.referenceGaussian(T);
                Oracle o = new Oracle(s.betas(), ms[0], ms[1]);
                double[][] model = new ExactGaussianDataKernel(s, new double[] {ms[0]}, new double[] {ms[1]}).modelMarginal();
                java.util.function.DoubleUnaryOperator logModel = x -> logNormal(x, model[0][0], model[1][0]);
                for (double x0 = -5; x0 <= 5; x0 += 0.25) {
                    assertTrue(o.elbo(x0) <= logModel.applyAsDouble(x0) + 1e-12, "m,s2=" + ms[0] + "," + ms[1] + " T=" + T + " x0=" + x0);
                }
                double eElbo = o.dataMean(o::elbo), eModel = o.dataMean(logModel), eData = o.dataMean(o::logData);
                assertTrue(eElbo <= eModel && eModel <= eData, "T=" + T + ": " + eElbo + " <= " + eModel + " <= " + eData);
                assertEquals(-Oracle.h(ms[1]), eData, 1e-12, "E log N(x; m, s^2) = -entropy");
            }
        }
    }

    @Test
    @DisplayName("data with E[x^2] = 1 (as z-scored data): Eq. 14's K equals the ELBO on average, so K itself is a bound")
    void kIsTheElboForUnitSecondMoment() {
        for (int T : new int[] {10, 1000}) {
            Oracle o = new Oracle(Schedules.referenceGaussian(T).betas(), 0.6, 0.64);
            assertEquals(o.dataMean(o::elbo), o.dataMean(o::k), 1e-12);
            assertTrue(o.dataMean(o::k) < o.dataMean(o::logData));
        }
        Oracle wide = new Oracle(Schedules.referenceGaussian(10).betas(), -1, 1.4);
        assertTrue(wide.dataMean(wide::k) > wide.dataMean(wide::elbo), "E[x^2] > 1: Eq. 14 overstates the ELBO");
    }

    @Test
    @DisplayName("data N(0, 1) is the terminal distribution itself: the exact-kernel model is exact and K = log-likelihood")
    void standardNormalDataIsRepresentedExactly() {
        Oracle o = new Oracle(Schedules.referenceGaussian(40).betas(), 0, 1);
        assertEquals(o.dataMean(o::logData), o.dataMean(o::k), 1e-12);
    }

    @Test
    @DisplayName("exact kernel: the gap from E[K] to the data log-likelihood shrinks as T grows (to < 0.01 nats/dim at T = 1000)")
    void gapShrinksWithT() {
        for (double[] ms : DATA) {
            double previous = Double.POSITIVE_INFINITY;
            for (int T : new int[] {10, 40, 200, 1000}) {
                Oracle o = new Oracle(Schedules.referenceGaussian(T).betas(), ms[0], ms[1]);
                double gap = o.dataMean(o::logData) - o.dataMean(o::elbo);
                assertTrue(gap > 0 && gap < previous, "m,s2=" + ms[0] + "," + ms[1] + " T=" + T + " gap " + gap + " after " + previous);
                previous = gap;
            }
            assertTrue(previous < 0.01, "gap at T=1000: " + previous);
        }
    }

    @Test
    @DisplayName("BoundK's Monte-Carlo K (2-D data, T = 100, n = 8000) agrees with the closed-form expectation on the same examples (4 SE)")
    void monteCarloKMatchesClosedForm() {
        double[] m = {0.5, -1}, s2 = {0.6, 1.4};
        int T = 100;
        BetaSchedule s = Schedules.referenceGaussian(T);
        INDArray x0 = gaussianData(8000, m, s2, 1);
        BoundResult k = BoundK.gaussian(new GaussianDiffusion(s), new ExactGaussianDataKernel(s, m, s2), x0, 7);
        Oracle[] o = {new Oracle(s.betas(), m[0], s2[0]), new Oracle(s.betas(), m[1], s2[1])};
        double[] exact = new double[8000], exactElbo = new double[8000];
        for (int i = 0; i < exact.length; i++) {
            for (int j = 0; j < 2; j++) {
                exact[i] += o[j].k(x0.getDouble(i, j));
                exactElbo[i] += o[j].elbo(x0.getDouble(i, j));
            }
        }
        double[] diff = pairedDifference(k.perExampleNats(), exact);
        assertEquals(0, diff[0], 4 * diff[1], "mean K - exact K = " + diff[0] + " +- " + diff[1]);
        assertEquals(mean(exactElbo), k.elboNats(), Math.abs(diff[0]) + 1e-9, "edge terms match the closed form");
        double sum = 0;
        for (double v : k.stepNats()) sum += v;
        assertEquals(k.kNats(), sum, 1e-9, "K is the sum of its per-step terms");
        assertEquals(2 * new GaussianDiffusion(s).entropyTermsPerDimension(), k.stepNats()[0], 1e-12, "t = 1 entry holds the entropy terms");
    }

    @Test
    @DisplayName("the stationary reverse kernel N(x sqrt(1-beta), beta) makes the model pi: ELBO = L_null, Eq. 9 = log pi(x_0) exactly")
    void stationaryKernelGivesLNull() {
        BetaSchedule s = Schedules.referenceGaussian(40);
        GaussianDiffusion diff = new GaussianDiffusion(s);
        INDArray x0 = gaussianData(4000, new double[] {0, 0}, new double[] {1, 1}, 3);
        BoundResult k = BoundK.gaussian(diff, diff::forwardStep, x0, 5);
        assertEquals(k.lNullNats(), k.elboNats(), 4 * k.kStandardErrorNats() / 10 + 4 * pairedDifference(k.perExampleNats(), diff.logTerminal(x0))[1]);
        assertEquals(Units.gaussianUnitVarianceLNullNats(2), k.lNullNats(), 4 * 0.03, "z-scored data: L_null ~ -(d/2) log(2 pi e)");
        LikelihoodEstimate e = ImportanceSampledLikelihood.gaussian(diff, diff::forwardStep, x0.getRows(0, 1, 2), 20, 9);
        double[] lNull = diff.logTerminal(x0.getRows(0, 1, 2));
        for (int i = 0; i < 3; i++) {
            assertEquals(lNull[i], e.logLikelihoodNats()[i], 1e-9, "every importance weight equals pi(x_0)");
            assertEquals(20, e.effectiveSampleSize()[i], 1e-9);
        }
    }

    @Test
    @DisplayName("Eq. 9 with the exact kernel agrees with the model's exact log-likelihood within 4 Monte-Carlo SE (1-D and 2-D)")
    void importanceSamplingMatchesExactLogLikelihood() {
        double[][][] cases = {{{0.5}, {0.6}}, {{0.5, -1}, {0.6, 1.4}}};
        for (double[][] c : cases) {
            BetaSchedule s = Schedules.referenceGaussian(50);
            ExactGaussianDataKernel kern = new ExactGaussianDataKernel(s, c[0], c[1]);
            INDArray x0 = gaussianData(300, c[0], c[1], 21);
            LikelihoodEstimate e = ImportanceSampledLikelihood.gaussian(new GaussianDiffusion(s), kern, x0, 32, 4);
            double[] exact = kern.modelLogLikelihood(x0);
            double diff = e.meanNats() - mean(exact);
            assertEquals(0, diff, 4 * e.monteCarloErrorNats(), "d=" + c[0].length + ": Eq. 9 - exact = " + diff + " +- " + e.monteCarloErrorNats());
            assertTrue(e.minEffectiveSampleSize() > 8, "ESS " + e.minEffectiveSampleSize());
        }
    }
}
