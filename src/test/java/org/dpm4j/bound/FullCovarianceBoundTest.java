package org.dpm4j.bound;

import static org.dpm4j.bound.GaussianOracleTest.gaussianData;
import static org.dpm4j.bound.GaussianOracleTest.mean;
import static org.dpm4j.bound.GaussianOracleTest.pairedDifference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.util.Matrices;
import org.dpm4j.kernel.ExactGaussianDataKernel;
import org.dpm4j.kernel.FullGaussianReverseKernel;
import org.dpm4j.kernel.FullGaussianStep;
import org.dpm4j.diffusion.GaussianStep;
import org.dpm4j.sampling.AncestralSampler;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.schedule.Schedules;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * K (Eq. 14), Eq. 9 and sampling with a full-covariance reverse kernel, against the diagonal code on the same draws
 * and against exact log-likelihoods of Gaussian data. A rotated axis-aligned Gaussian has an exact reverse kernel with
 * a genuinely full covariance, and the forward process and pi are rotation invariant, so the rotated model's
 * log-likelihood is the unrotated model's, known in closed form.
 */
class FullCovarianceBoundTest {
    static final double ANGLE = 0.6, C = Math.cos(ANGLE), S = Math.sin(ANGLE);
    static final INDArray R = Nd4j.createFromArray(new double[][] {{C, -S}, {S, C}});

    /** Rows x -> rows (R x): x R^T. */
    static INDArray rotate(INDArray x) { return x.mmul(R.transpose()); }

    /** Rows x -> rows (R^T x): x R. */
    static INDArray unrotate(INDArray x) { return x.mmul(R); }

    /** The reverse kernel of R-rotated data: mean R mu(R^T x_t), covariance R diag(v) R^T, by its 2 x 2 Cholesky factor. */
    static FullGaussianReverseKernel rotated(ExactGaussianDataKernel k) {
        return (xt, t) -> {
            GaussianStep g = k.step(unrotate(xt), t);
            int n = (int) xt.rows();
            double[] v = Matrices.values(g.variance()), l = new double[n * 4];
            for (int i = 0; i < n; i++) {
                double v0 = v[2 * i], v1 = v[2 * i + 1];
                double s00 = C * C * v0 + S * S * v1, s01 = C * S * (v0 - v1), s11 = S * S * v0 + C * C * v1;
                double l00 = Math.sqrt(s00), l10 = s01 / l00;
                l[4 * i] = l00;
                l[4 * i + 2] = l10;
                l[4 * i + 3] = Math.sqrt(s11 - l10 * l10);
            }
            return FullGaussianStep.of(Matrices.values(rotate(g.mean())), l, n, 2);
        };
    }

    @Test
    @DisplayName("a diagonal kernel seen as full gives the diagonal K, Eq. 9 and samples on the same seed (to 1e-9)")
    void diagonalSeenAsFullIsUnchanged() {
        BetaSchedule s = Schedules.referenceGaussian(20);
        GaussianDiffusion diffusion = new GaussianDiffusion(s);
        ExactGaussianDataKernel k = new ExactGaussianDataKernel(s, new double[] {0.5, -1}, new double[] {0.6, 1.4});
        INDArray x0 = gaussianData(200, new double[] {0.5, -1}, new double[] {0.6, 1.4}, 3);
        BoundResult d = BoundK.gaussian(diffusion, k, x0, 5), f = BoundK.gaussianFull(diffusion, FullGaussianReverseKernel.of(k), x0, 5);
        for (int i = 0; i < 200; i++) assertEquals(d.perExampleNats()[i], f.perExampleNats()[i], 1e-9);
        for (int t = 0; t < 20; t++) assertEquals(d.stepNats()[t], f.stepNats()[t], 1e-9);
        assertEquals(d.edgeNats(), f.edgeNats(), 0);
        INDArray few = x0.getRows(0, 1, 2, 3);
        LikelihoodEstimate ed = ImportanceSampledLikelihood.gaussian(diffusion, k, few, 8, 6);
        LikelihoodEstimate ef = ImportanceSampledLikelihood.gaussianFull(diffusion, FullGaussianReverseKernel.of(k), few, 8, 6);
        for (int i = 0; i < 4; i++) assertEquals(ed.logLikelihoodNats()[i], ef.logLikelihoodNats()[i], 1e-9);
        double[] sd = Matrices.values(AncestralSampler.gaussian(diffusion, k, 50, 2, 7, false).x0());
        double[] sf = Matrices.values(AncestralSampler.gaussianFull(diffusion, FullGaussianReverseKernel.of(k), 50, 2, 7, false).x0());
        for (int i = 0; i < sd.length; i++) assertEquals(sd[i], sf[i], 1e-9);
    }

    @Test
    @DisplayName("data N(0, I), the exact kernel as a full-covariance kernel: K equals the closed-form log-likelihood (4 SE)")
    void standardNormalKIsTheLogLikelihood() {
        BetaSchedule s = Schedules.referenceGaussian(40);
        GaussianDiffusion diffusion = new GaussianDiffusion(s);
        ExactGaussianDataKernel k = new ExactGaussianDataKernel(s, new double[] {0, 0}, new double[] {1, 1});
        INDArray x0 = gaussianData(4000, new double[] {0, 0}, new double[] {1, 1}, 8);
        BoundResult f = BoundK.gaussianFull(diffusion, rotated(k), x0, 9);
        double[] diff = pairedDifference(f.perExampleNats(), k.dataLogLikelihood(x0));
        assertEquals(0, diff[0], 4 * diff[1] + 1e-12, "K - log N(x_0; 0, I) = " + diff[0] + " +- " + diff[1]);
    }

    @Test
    @DisplayName("rotated Gaussian data (full-covariance exact kernel): Eq. 9 equals the exact model log-likelihood (4 MC SE), "
            + "K <= Eq. 9, and K equals the unrotated diagonal K (4 SE)")
    void rotatedGaussian() {
        double[] m = {0.5, -1}, s2 = {0.6, 1.4};
        BetaSchedule s = Schedules.referenceGaussian(50);
        GaussianDiffusion diffusion = new GaussianDiffusion(s);
        ExactGaussianDataKernel k = new ExactGaussianDataKernel(s, m, s2);
        FullGaussianReverseKernel full = rotated(k);

        INDArray x0 = gaussianData(300, m, s2, 21), y0 = rotate(x0);
        LikelihoodEstimate e = ImportanceSampledLikelihood.gaussianFull(diffusion, full, y0, 32, 4);
        double exact = mean(k.modelLogLikelihood(x0)), gap = e.meanNats() - exact;
        assertEquals(0, gap, 4 * e.monteCarloErrorNats(), "Eq. 9 - exact = " + gap + " +- " + e.monteCarloErrorNats());
        BoundResult onSame = BoundK.gaussianFull(diffusion, full, y0, 10);
        double[] below = pairedDifference(onSame.perExampleNats(), e.logLikelihoodNats());
        assertTrue(below[0] <= 4 * below[1], "K - Eq. 9 = " + below[0] + " +- " + below[1]);
        assertTrue(onSame.kNats() < exact, "K " + onSame.kNats() + " below the model's log-likelihood " + exact);

        INDArray x = gaussianData(4000, m, s2, 22);
        BoundResult rot = BoundK.gaussianFull(diffusion, full, rotate(x), 11), diag = BoundK.gaussian(diffusion, k, x, 12);
        double[] same = pairedDifference(rot.perExampleNats(), diag.perExampleNats());
        assertEquals(0, same[0], 4 * same[1], "K rotated - K diagonal = " + same[0] + " +- " + same[1]);
    }
}
