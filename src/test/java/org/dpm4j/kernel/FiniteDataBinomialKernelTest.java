package org.dpm4j.kernel;

import static org.dpm4j.testing.BadInput.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.dpm4j.bound.BoundK;
import org.dpm4j.bound.BoundResult;
import org.dpm4j.diffusion.BinomialDiffusion;
import org.dpm4j.util.Matrices;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.schedule.Schedules;
import org.dpm4j.util.Logistic;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The best factorised binomial kernel for finite-support data, against brute-force enumeration and the closed forms. */
class FiniteDataBinomialKernelTest {
    static final double R = 0.2;

    /** All 2^d binary vectors, vector k having bit j = (k >> j) & 1. */
    static double[][] allVectors(int d) {
        double[][] v = new double[1 << d][d];
        for (int k = 0; k < v.length; k++) for (int j = 0; j < d; j++) v[k][j] = (k >> j) & 1;
        return v;
    }

    @Test
    @DisplayName("data with independent bits: the kernel equals the exact kernel ExactBernoulliDataKernel (the true reverse factorises)")
    void independentBitsGiveTheExactKernel() {
        BetaSchedule s = Schedules.binomialPaper(30);
        double[] rates = {0.1, 0.6, 0.9};
        double[][] support = allVectors(3);
        double[] p = new double[support.length];
        for (int k = 0; k < p.length; k++) {
            p[k] = 1;
            for (int j = 0; j < 3; j++) p[k] *= support[k][j] == 1 ? rates[j] : 1 - rates[j];
        }
        FiniteDataBinomialKernel finite = new FiniteDataBinomialKernel(s, R, support, p);
        ExactBernoulliDataKernel exact = new ExactBernoulliDataKernel(s, R, rates);
        INDArray xt = Matrices.row(support[0]);
        for (double[] v : support) xt = org.nd4j.linalg.factory.Nd4j.vstack(xt, Matrices.row(v));
        for (int t : new int[] {2, 15, 30}) {
            INDArray a = finite.probabilityOfOne(xt, t), b = exact.probabilityOfOne(xt, t);
            for (int i = 0; i < a.rows(); i++) for (int j = 0; j < 3; j++) assertEquals(b.getDouble(i, j), a.getDouble(i, j), 1e-12);
        }
    }

    @Test
    @DisplayName("correlated data: each bit's probability is the marginal of the true reverse q(x_{t-1} | x_t), enumerated over all 2^d x_{t-1}")
    void marginalOfTheTrueReverse() {
        BetaSchedule s = Schedules.binomialPaper(20);
        double[][] support = {{1, 0, 0, 1}, {0, 1, 1, 0}, {1, 1, 0, 0}};
        double[] prior = {0.5, 0.3, 0.2};
        FiniteDataBinomialKernel kernel = new FiniteDataBinomialKernel(s, R, support, prior);
        double[][] all = allVectors(4);
        for (int t : new int[] {2, 9, 19}) {
            for (double[] xt : all) {
                // q(x_{t-1} = u, x_t) = sum_k prior_k q(u | s_k) q(x_t | u), all bits independent given the conditioning
                double[] marginal = new double[4];
                double total = 0;
                for (double[] u : all) {
                    double joint = 0;
                    for (int k = 0; k < support.length; k++) {
                        double f = prior[k];
                        for (int j = 0; j < 4; j++) {
                            double up = support[k][j] * s.alphaBar(t - 1) + R * (1 - s.alphaBar(t - 1));
                            f *= u[j] == 1 ? up : 1 - up;
                            double stay = u[j] * (1 - s.beta(t)) + R * s.beta(t);
                            f *= xt[j] == 1 ? stay : 1 - stay;
                        }
                        joint += f;
                    }
                    total += joint;
                    for (int j = 0; j < 4; j++) if (u[j] == 1) marginal[j] += joint;
                }
                INDArray p = kernel.probabilityOfOne(Matrices.row(xt), t);
                for (int j = 0; j < 4; j++) assertEquals(marginal[j] / total, p.getDouble(0, j), 1e-12, "t = " + t + ", bit " + j);
            }
        }
    }

    @Test
    @DisplayName("the kernel is a POSTERIOR_X0 readout: x0hat = q(x_0 = 1 | x_t) per bit, computed by Bayes' rule over the support")
    void isAPosteriorReadout() {
        BetaSchedule s = Schedules.binomialPaper(20);
        BinomialDiffusion diff = new BinomialDiffusion(s, R);
        double[][] support = {{1, 0, 1}, {0, 1, 1}};
        FiniteDataBinomialKernel kernel = FiniteDataBinomialKernel.uniform(s, R, support);
        int t = 7;
        double[] xt = {1, 1, 0};
        double[] w = new double[2];
        for (int k = 0; k < 2; k++) {
            w[k] = 1;
            for (int j = 0; j < 3; j++) {
                double one = support[k][j] * s.alphaBar(t) + R * (1 - s.alphaBar(t));
                w[k] *= xt[j] == 1 ? one : 1 - one;
            }
        }
        double[] z = new double[3];
        for (int j = 0; j < 3; j++) z[j] = Logistic.logit((w[0] * support[0][j] + w[1] * support[1][j]) / (w[0] + w[1]));
        z[2] = 30;   // both support vectors have bit 2 on: x0hat = 1
        INDArray viaReadout = BinomialParameterisation.POSTERIOR_X0.probabilityOfOne(Matrices.row(xt), Matrices.row(z), diff, t);
        INDArray direct = kernel.probabilityOfOne(Matrices.row(xt), t);
        for (int j = 0; j < 3; j++) assertEquals(direct.getDouble(0, j), viaReadout.getDouble(0, j), 1e-12);
    }

    @Test
    @DisplayName("heartbeat-like data (T = 100): K of the oracle kernel <= the true log-likelihood log(1/4), and above the independent-bits kernel")
    void boundsOnCorrelatedData() {
        BetaSchedule s = Schedules.binomialPaper(100);
        BinomialDiffusion diff = new BinomialDiffusion(s, R);
        double[][] support = new double[4][8];
        for (int k = 0; k < 4; k++) { support[k][k] = 1; support[k][k + 4] = 1; }
        SplittableRandom rng = new SplittableRandom(3);
        double[][] rows = new double[600][];
        for (int i = 0; i < rows.length; i++) rows[i] = support[rng.nextInt(4)];
        INDArray x0 = org.nd4j.linalg.factory.Nd4j.createFromArray(rows);
        BoundResult oracle = BoundK.binomial(diff, FiniteDataBinomialKernel.uniform(s, R, support), x0, 5);
        BoundResult independent = BoundK.binomial(diff, new ExactBernoulliDataKernel(s, R, new double[] {
                0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25}), x0, 5);
        double ceiling = Math.log(0.25);
        assertTrue(oracle.kNats() <= ceiling + 3 * oracle.kStandardErrorNats(), oracle.kNats() + " > log(1/4) = " + ceiling);
        assertTrue(oracle.kNats() > independent.kNats() + 1, oracle.kNats() + " vs independent bits " + independent.kNats());
    }

    @Test
    @DisplayName("bad input names the parameter: non-binary support, probabilities that do not sum to 1, mismatched lengths")
    void badInput() {
        BetaSchedule s = Schedules.binomialPaper(10);
        assertRejected(() -> FiniteDataBinomialKernel.uniform(s, R, new double[][] {{0, 0.5}}), "support[0][1]", "0.5");
        assertRejected(() -> new FiniteDataBinomialKernel(s, R, new double[][] {{0}, {1}}, new double[] {0.5, 0.6}), "sum of probabilities", "1.1");
        assertRejected(() -> new FiniteDataBinomialKernel(s, R, new double[][] {{0}, {1}}, new double[] {1}), "probabilities.length", "1");
        assertRejected(() -> FiniteDataBinomialKernel.uniform(s, R, new double[][] {{0, 1}, {1}}), "support[1].length", "1");
    }
}
