package org.dpm4j.bound;

import static org.dpm4j.bound.GaussianOracleTest.mean;
import static org.dpm4j.bound.GaussianOracleTest.pairedDifference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.dpm4j.diffusion.BinomialDiffusion;
import org.dpm4j.util.Matrices;
import org.dpm4j.kernel.ExactBernoulliDataKernel;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.schedule.Schedules;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The binomial oracle: bits drawn independently, x_0j ~ B(rho_j), keep independent Bernoulli marginals under binomial
 * diffusion, so the exact reverse kernel factorises and the model it defines (prior B(r), exact kernel for t >= 2,
 * fixed first step) has a closed-form log-likelihood. K's expectation over x_t is enumerated here per bit,
 * independently of the library.
 */
class BinomialOracleTest {

    record Oracle(double[] b, double r, double rho, double[] abs) {
        Oracle(double[] b, double r, double rho) { this(b, r, rho, GaussianOracleTest.cumulativeAlphas(b)); }

        int T() { return b.length; }

        double ab(int t) { return abs[t]; }

        double p(double x0, int t) { return x0 * ab(t) + r * (1 - ab(t)); }

        static double h(double p) { return -(xlogx(p) + xlogx(1 - p)); }

        static double xlogx(double p) { return p == 0 ? 0 : p * Math.log(p); }

        static double kl(double q, double p) { return xlogx(q) - q * Math.log(p) + xlogx(1 - q) - (1 - q) * Math.log(1 - p); }

        /** Eq. 14 for one bit at x_0, the expectation over x_t enumerated. */
        double k(int x0) {
            double k = 0;
            for (int t = 2; t <= T(); t++) {
                double bt = b[t - 1], up1 = 1 - bt + r * bt, up0 = r * bt;   // q(x_t = 1 | x_{t-1} = 1), (.. = 0)
                double prev = p(x0, t - 1), dataPrev = p(rho, t - 1), dataT = p(rho, t);
                for (int xt = 0; xt <= 1; xt++) {
                    double l1 = xt == 1 ? up1 : 1 - up1, l0 = xt == 1 ? up0 : 1 - up0;
                    double post = l1 * prev / (l1 * prev + l0 * (1 - prev));
                    double exact = l1 * dataPrev / (xt == 1 ? dataT : 1 - dataT);
                    double pxt = xt == 1 ? p(x0, t) : 1 - p(x0, t);
                    k -= pxt * kl(post, exact);
                }
            }
            return k + h(p(x0, T())) - h(p(x0, 1)) - h(r);
        }

        double elbo(int x0) { return k(x0) + Math.log(r / (1 - r)) * (b[0] + ab(T())) * (x0 - r); }

        double dataMean(java.util.function.IntToDoubleFunction f) { return rho * f.applyAsDouble(1) + (1 - rho) * f.applyAsDouble(0); }

        double logData(int x0) { return Math.log(x0 == 1 ? rho : 1 - rho); }
    }

    static final double[] RATES = {0.2, 0.7, 0.5, 0.05};

    static INDArray bernoulliData(int n, double[] rates, long seed) {
        return Matrices.bernoulli(Matrices.tile(rates, n), new SplittableRandom(seed));
    }

    @Test
    @DisplayName("exact kernel, enumerated: per value ELBO <= model log-likelihood; on average ELBO <= model <= data; gap shrinks with T")
    void elboBoundsAndConverges() {
        for (double r : new double[] {0.5, 0.2}) {
            for (double rho : RATES) {
                double previous = Double.POSITIVE_INFINITY;
                for (int T : new int[] {10, 100, 1000}) {
                    BetaSchedule s = Schedules.binomialPaper(T);
                    Oracle o = new Oracle(s.betas(), r, rho);
                    double pModel = new ExactBernoulliDataKernel(s, r, new double[] {rho}).modelProbabilityOfOne()[0];
                    java.util.function.IntToDoubleFunction logModel = x -> Math.log(x == 1 ? pModel : 1 - pModel);
                    String where = "r=" + r + " rho=" + rho + " T=" + T;
                    for (int x0 = 0; x0 <= 1; x0++) assertTrue(o.elbo(x0) <= logModel.applyAsDouble(x0) + 1e-12, where + " x0=" + x0);
                    double eElbo = o.dataMean(o::elbo), eModel = o.dataMean(logModel), eData = o.dataMean(o::logData);
                    assertTrue(eElbo <= eModel + 1e-12 && eModel <= eData + 1e-12, where);
                    double gap = eData - eElbo;
                    if (rho != r) assertTrue(gap > 0 && gap < previous, where + ": gap " + gap + " after " + previous);
                    previous = gap;
                }
                assertTrue(previous < 2e-3, "gap at T = 1000: " + previous);
            }
        }
    }

    @Test
    @DisplayName("BoundK's Monte-Carlo K (4 bits, T = 200, n = 8000) agrees with the enumerated expectation on the same examples (4 SE)")
    void monteCarloKMatchesEnumeration() {
        int T = 200, n = 8000;
        double r = 0.2;
        BetaSchedule s = Schedules.binomialPaper(T);
        INDArray x0 = bernoulliData(n, RATES, 3);
        BoundResult k = BoundK.binomial(new BinomialDiffusion(s, r), new ExactBernoulliDataKernel(s, r, RATES), x0, 17);
        double[][] kOf = new double[RATES.length][2], elboOf = new double[RATES.length][2];   // [bit][x_0]
        for (int j = 0; j < RATES.length; j++) {
            Oracle o = new Oracle(s.betas(), r, RATES[j]);
            for (int v = 0; v <= 1; v++) {
                kOf[j][v] = o.k(v);
                elboOf[j][v] = o.elbo(v);
            }
        }
        double[] bits = Matrices.values(x0), exact = new double[n], exactElbo = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < RATES.length; j++) {
                int v = (int) bits[i * RATES.length + j];
                exact[i] += kOf[j][v];
                exactElbo[i] += elboOf[j][v];
            }
        }
        double[] diff = pairedDifference(k.perExampleNats(), exact);
        assertEquals(0, diff[0], 4 * diff[1], "K - exact = " + diff[0] + " +- " + diff[1]);
        assertEquals(mean(exactElbo) - mean(exact), k.edgeNats(), 1e-12, "edge terms");
    }

    /** The five heartbeat sequences: length 20, a 1 in every 5th bin, phase 0..4. */
    static INDArray heartbeat() {
        double[][] x = new double[5][20];
        for (int phase = 0; phase < 5; phase++) for (int i = phase; i < 20; i += 5) x[phase][i] = 1;
        return Nd4j.createFromArray(x);
    }

    @Test
    @DisplayName("heartbeat, stationary reverse kernel, r = 0.2 (T = 400 for speed): K = L_null = -14.439 bits/seq (Table 1), edge terms 0")
    void heartbeatStationaryKernelGivesLNull() {
        BinomialDiffusion diff = new BinomialDiffusion(Schedules.binomialPaper(400), 0.2);
        INDArray x0 = Nd4j.concat(0, heartbeat(), heartbeat(), heartbeat(), heartbeat(), heartbeat(), heartbeat(), heartbeat(), heartbeat());
        BoundResult k = BoundK.binomial(diff, diff::forwardProbabilityOfOne, x0, 2);
        assertEquals(-14.439, k.lNullBits(Per.sequence(20)), 5e-4);
        assertEquals(-20 * (0.2 * Math.log(0.2) + 0.8 * Math.log(0.8)) / Math.log(2) * -1, k.lNullBits(Per.sequence(20)), 1e-9, "-20 H2(0.2)");
        assertEquals(0, k.edgeNats(), 1e-12, "the data's rate of ones equals r");
        assertEquals(k.lNullNats(), k.kNats(), 4 * pairedDifference(k.perExampleNats(), diff.logTerminal(x0))[1]);
        assertEquals(0, k.kMinusLNullBits(Per.sequence(20)), 4 * k.kStandardErrorBits(Per.sequence(20)), "K - L_null ~ 0");
        LikelihoodEstimate e = ImportanceSampledLikelihood.binomial(diff, diff::forwardProbabilityOfOne, heartbeat(), 4, 1);
        for (double ll : e.logLikelihoodNats()) assertEquals(k.lNullNats(), ll, 1e-9, "every weight equals pi(x_0)");
    }

    @Test
    @DisplayName("Eq. 9 with the exact kernel agrees with the model's exact log-likelihood within 4 Monte-Carlo SE")
    void importanceSamplingMatchesExactLogLikelihood() {
        BetaSchedule s = Schedules.binomialPaper(60);
        ExactBernoulliDataKernel kern = new ExactBernoulliDataKernel(s, 0.5, RATES);
        INDArray x0 = bernoulliData(300, RATES, 8);
        LikelihoodEstimate e = ImportanceSampledLikelihood.binomial(new BinomialDiffusion(s, 0.5), kern, x0, 32, 6);
        double diff = e.meanNats() - mean(kern.modelLogLikelihood(x0));
        assertEquals(0, diff, 4 * e.monteCarloErrorNats(), "Eq. 9 - exact = " + diff + " +- " + e.monteCarloErrorNats());
        assertTrue(e.minEffectiveSampleSize() > 4, "ESS " + e.minEffectiveSampleSize());
    }
}
