package org.dpm4j.diffusion;

import org.dpm4j.util.Matrices;
import static org.dpm4j.testing.BadInput.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.dpm4j.schedule.Schedules;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class BinomialDiffusionTest {
    static final BinomialDiffusion DIFF = new BinomialDiffusion(Schedules.binomialPaper(40), 0.2);

    static INDArray row(double... v) { return Nd4j.create(v, new long[] {1, v.length}, DataType.DOUBLE); }

    @Test
    @DisplayName("q(x_t=1|x_0) in closed form equals the one-step kernel applied t times to the probabilities (1e-12)")
    void marginalMatchesRepeatedKernel() {
        INDArray x0 = row(0, 1, 1, 0);
        INDArray p = x0.dup();
        for (int t = 1; t <= DIFF.T(); t++) {
            p = DIFF.forwardProbabilityOfOne(p, t);   // the kernel is linear in x, so it maps P(x_{t-1} = 1) to P(x_t = 1)
            INDArray closed = DIFF.marginalProbabilityOfOne(x0, t);
            for (int j = 0; j < 4; j++) assertEquals(closed.getDouble(0, j), p.getDouble(0, j), 1e-12, "t=" + t);
        }
        assertEquals(Matrices.full(1, 4, 0.2), DIFF.marginalProbabilityOfOne(x0, DIFF.T()), "beta_T = 1: x_T ~ B(r) exactly");
    }

    @Test
    @DisplayName("repeated one-step draws reach the closed-form marginal (MC, n = 20000, 4 standard errors)")
    void sampledChainMatchesMarginal() {
        int n = 20000, t = 25;
        INDArray x0 = Matrices.full(n, 2, 0);
        x0.getColumn(1).assign(1);
        INDArray x = x0;
        SplittableRandom rng = new SplittableRandom(8);
        for (int s = 1; s <= t; s++) x = DIFF.sampleStep(x, s, rng);
        INDArray q = DIFF.marginalProbabilityOfOne(x0, t);
        INDArray direct = DIFF.sampleQ(x0, t, new SplittableRandom(9));
        for (int j = 0; j < 2; j++) {
            double p = q.getDouble(0, j), se = Math.sqrt(p * (1 - p) / n);
            assertEquals(p, x.getColumn(j).meanNumber().doubleValue(), 4 * se, "chain, bit " + j);
            assertEquals(p, direct.getColumn(j).meanNumber().doubleValue(), 4 * se, "sampleQ, bit " + j);
        }
    }

    @Test
    @DisplayName("posterior q(x_{t-1}=1|x_t,x_0) equals Bayes' rule by enumeration and averages back to q(x_{t-1}=1|x_0)")
    void posteriorMatchesEnumeratedBayes() {
        double r = 0.2;
        for (int t : new int[] {2, 20, 40}) {
            double b = DIFF.schedule().beta(t);
            for (int x0 = 0; x0 <= 1; x0++) {
                double prior1 = DIFF.marginalProbabilityOfOne(row(x0), t - 1).getDouble(0, 0);
                double mixed = 0, total = 0;
                for (int xt = 0; xt <= 1; xt++) {
                    double[] joint = new double[2];
                    for (int xp = 0; xp <= 1; xp++) {
                        double up = xp * (1 - b) + r * b;
                        joint[xp] = (xt == 1 ? up : 1 - up) * (xp == 1 ? prior1 : 1 - prior1);
                    }
                    double post = DIFF.posteriorProbabilityOfOne(row(x0), row(xt), t).getDouble(0, 0);
                    assertEquals(joint[1] / (joint[0] + joint[1]), post, 1e-14, "t=" + t + " x0=" + x0 + " xt=" + xt);
                    mixed += (joint[0] + joint[1]) * post;
                    total += joint[0] + joint[1];
                }
                assertEquals(1, total, 1e-14, "joint probabilities sum to one");
                assertEquals(prior1, mixed, 1e-14, "sum_xt q(x_t|x_0) q(x_{t-1}=1|x_t,x_0) = q(x_{t-1}=1|x_0)");
            }
        }
    }

    @Test
    @DisplayName("Bernoulli KL and entropy match Monte-Carlo estimates (n = 200000, 4 SE); KL(q||q) = 0")
    void klAndEntropyMatchMonteCarlo() {
        double q = 0.3, p = 0.65;
        int n = 200000;
        INDArray x = Matrices.bernoulli(Matrices.full(n, 1, q), new SplittableRandom(12));
        INDArray lq = BinomialDiffusion.logProbability(x, Matrices.full(n, 1, q));
        INDArray lp = BinomialDiffusion.logProbability(x, Matrices.full(n, 1, p));
        double[] d = lq.sub(lp).data().asDouble(), h = lq.neg().data().asDouble();
        double[] md = GaussianDiffusionTest.meanVar(d), mh = GaussianDiffusionTest.meanVar(h);
        assertEquals(BinomialDiffusion.klBernoulli(row(q), row(p)).getDouble(0, 0), md[0], 4 * Math.sqrt(md[1] / n));
        assertEquals(BinomialDiffusion.bernoulliEntropy(row(q)).getDouble(0, 0), mh[0], 4 * Math.sqrt(mh[1] / n));
        assertEquals(0, BinomialDiffusion.klBernoulli(row(0, 0.4, 1), row(0, 0.4, 1)).sumNumber().doubleValue(), 1e-11, "zero up to the 1e-12 clipping");
        assertEquals(Math.log(5), BinomialDiffusion.klBernoulli(row(1), row(0.2)).getDouble(0, 0), 1e-14);
        double confident = BinomialDiffusion.klBernoulli(row(1), row(0)).getDouble(0, 0);
        assertTrue(Double.isFinite(confident) && confident > 20, "a wrong certain kernel costs a large finite KL");
        assertEquals(0.5004024235381879, DIFF.terminalEntropyPerDimension(), 1e-15, "H(0.2) in nats");
    }

    @Test
    @DisplayName("the fixed first reverse step is the forward kernel (two-state chains are reversible)")
    void firstReverseStepIsForwardKernel() {
        INDArray x1 = row(0, 1);
        assertEquals(DIFF.forwardProbabilityOfOne(x1, 1), org.dpm4j.kernel.BinomialReverseKernel.withFixedFirstStep(DIFF, (x, t) -> x.mul(0).addi(0.5)).probabilityOfOne(x1, 1));
        // reversibility: pi(a) q(b|a) = pi(b) q(a|b) for a = 0, b = 1
        double b1 = DIFF.schedule().beta(1), r = 0.2;
        assertEquals((1 - r) * (r * b1), r * (1 - (1 - b1 + r * b1)), 1e-15);
    }

    @Test
    @DisplayName("bad input: non-binary x, base rate outside (0, 1), t out of range, mismatched shapes")
    void badInput() {
        SplittableRandom rng = new SplittableRandom(0);
        assertRejected(() -> DIFF.sampleQ(row(0, 0.5), 3, rng), "x0[0, 1]", "0.5");
        assertRejected(() -> new BinomialDiffusion(Schedules.binomialPaper(4), 1.0), "baseRate", "1.0");
        assertRejected(() -> DIFF.posteriorProbabilityOfOne(row(0, 1), row(1, 1), 41), "t", "41");
        assertRejected(() -> DIFF.posteriorProbabilityOfOne(row(0, 1), row(1, 1, 0), 4), "xt.shape", "[1, 3]");
        assertRejected(() -> BinomialDiffusion.klBernoulli(row(0.5), row(1.5)), "p.range", "1.5");
        assertRejected(() -> DIFF.sampleStep(row(Double.NaN), 1, rng), "xPrev[0, 0]", "NaN");
    }
}
