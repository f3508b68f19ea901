package org.dpm4j.bound;

import static org.dpm4j.bound.GaussianOracleTest.pairedDifference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dpm4j.diffusion.BinomialDiffusion;
import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.util.Matrices;
import org.dpm4j.kernel.BinomialParameterisation;
import org.dpm4j.kernel.BinomialReverseKernel;
import org.dpm4j.kernel.GaussianParameterisation;
import org.dpm4j.kernel.GaussianReverseKernel;
import org.dpm4j.kernel.Readout;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.schedule.Schedules;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * K and Eq. 9 for an arbitrary (not exact) reverse kernel. With one trajectory, log w of Eq. 9 is an unbiased
 * estimate of the exact ELBO = K + edge terms, whatever the kernel; with M trajectories the estimate can only rise
 * (the importance-weighted bound grows with M). So the two estimators check each other, edge terms included.
 */
class BoundVersusLikelihoodTest {

    @Test
    @DisplayName("Gaussian, paper-form kernel with an arbitrary readout: Eq. 9 with M = 1 equals K + edge terms (4 SE); M = 16 is higher")
    void gaussianOneTrajectoryEstimatesTheElbo() {
        BetaSchedule s = Schedules.referenceGaussian(30);
        GaussianDiffusion diff = new GaussianDiffusion(s);
        GaussianReverseKernel kernel = GaussianParameterisation.PAPER.kernel(
                (xt, t) -> new Readout(xt.mul(0.3).addi(0.2), Matrices.full(xt.size(0), xt.size(1), 0.5)), s);
        double[] m = {0.5, -1}, s2 = {0.6, 1.4};
        int n = 3000;
        INDArray x0 = GaussianOracleTest.gaussianData(n, m, s2, 12);
        BoundResult k = BoundK.gaussian(diff, kernel, x0, 1);
        LikelihoodEstimate one = ImportanceSampledLikelihood.gaussian(diff, kernel, x0, 1, 2);
        double[] elbo = k.perExampleNats().clone(), x = Matrices.values(x0);
        double factor = (s.beta(1) + s.alphaBar(s.T())) / 2;
        for (int i = 0; i < n; i++) elbo[i] += factor * (2 - x[2 * i] * x[2 * i] - x[2 * i + 1] * x[2 * i + 1]);
        double[] d = pairedDifference(elbo, one.logLikelihoodNats());
        assertEquals(0, d[0], 4 * d[1], "K + edge - log w = " + d[0] + " +- " + d[1]);
        assertEquals(k.elboNats(), GaussianOracleTest.mean(elbo), 1e-9, "BoundResult's edge terms are the per-example ones averaged");
        INDArray few = x0.getRows(java.util.stream.IntStream.range(0, 200).toArray());
        LikelihoodEstimate many = ImportanceSampledLikelihood.gaussian(diff, kernel, few, 16, 3);
        LikelihoodEstimate single = ImportanceSampledLikelihood.gaussian(diff, kernel, few, 1, 3);
        assertTrue(many.meanNats() > single.meanNats(), many.meanNats() + " vs " + single.meanNats());
    }

    @Test
    @DisplayName("binomial, forward-logit kernel with an arbitrary readout: Eq. 9 with M = 1 equals K + edge terms (4 SE)")
    void binomialOneTrajectoryEstimatesTheElbo() {
        BetaSchedule s = Schedules.binomialPaper(30);
        BinomialDiffusion diff = new BinomialDiffusion(s, 0.3);
        BinomialReverseKernel kernel = BinomialParameterisation.FORWARD_LOGIT.kernel((xt, t) -> xt.mul(0.8).subi(0.3), diff);
        int n = 3000;
        INDArray x0 = Matrices.bernoulli(Matrices.tile(new double[] {0.1, 0.6, 0.9, 0.5}, n), new java.util.SplittableRandom(5));
        BoundResult k = BoundK.binomial(diff, kernel, x0, 1);
        LikelihoodEstimate one = ImportanceSampledLikelihood.binomial(diff, kernel, x0, 1, 2);
        double[] elbo = k.perExampleNats().clone(), x = Matrices.values(x0);
        double factor = Math.log(0.3 / 0.7) * (s.beta(1) + s.alphaBar(s.T()));
        for (int i = 0; i < n; i++) for (int j = 0; j < 4; j++) elbo[i] += factor * (x[4 * i + j] - 0.3);
        double[] d = pairedDifference(elbo, one.logLikelihoodNats());
        assertEquals(0, d[0], 4 * d[1], "K + edge - log w = " + d[0] + " +- " + d[1]);
        assertEquals(k.elboNats(), GaussianOracleTest.mean(elbo), 1e-9);
    }
}
