package org.dpm4j.bound;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.dpm4j.diffusion.BinomialDiffusion;
import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.util.Matrices;
import org.dpm4j.kernel.BinomialReverseKernel;
import org.dpm4j.kernel.GaussianReverseKernel;
import org.dpm4j.diffusion.GaussianStep;
import org.dpm4j.sampling.AncestralSampler;
import org.dpm4j.schedule.Schedules;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The per-step loops reuse workspace memory; a kernel that creates an array on its first call and keeps it (as
 * networks do with parameter mirrors) must see it intact on later calls. Same results as an eagerly built kernel.
 */
class KernelCachingTest {

    /** Scales x_t by 0.9 and uses a variance array it creates lazily on the first call and then keeps. */
    static final class LazyGaussian implements GaussianReverseKernel {
        private INDArray variance;

        @Override public GaussianStep step(INDArray xt, int t) {
            if (variance == null) variance = Matrices.full(xt.size(0), xt.size(1), 0.05);
            return new GaussianStep(xt.mul(0.9), variance);
        }
    }

    static final class LazyBinomial implements BinomialReverseKernel {
        private INDArray flip;

        @Override public INDArray probabilityOfOne(INDArray xt, int t) {
            if (flip == null) flip = Matrices.full(xt.size(0), xt.size(1), 0.1);
            return xt.mul(0.8).addi(flip);
        }
    }

    @Test
    @DisplayName("a kernel that caches an array made in its first call gives the same K, Eq. 9 and samples as one built eagerly")
    void cachedArraysSurviveTheLoopWorkspace() {
        GaussianDiffusion g = new GaussianDiffusion(Schedules.referenceGaussian(30));
        INDArray x0 = Matrices.full(8, 3, 0.4);
        INDArray variance = Matrices.full(8, 3, 0.05);
        GaussianReverseKernel eager = (xt, t) -> new GaussianStep(xt.mul(0.9), variance);
        assertEquals(BoundK.gaussian(g, eager, x0, 1).kNats(), BoundK.gaussian(g, new LazyGaussian(), x0, 1).kNats(), 0);
        INDArray one = x0.getRows(0);
        assertEquals(ImportanceSampledLikelihood.gaussian(g, eager, one, 8, 2).meanNats(),
                ImportanceSampledLikelihood.gaussian(g, new LazyGaussian(), one, 8, 2).meanNats(), 0);
        assertEquals(AncestralSampler.gaussian(g, eager, 8, 3, 4, false).x0(), AncestralSampler.gaussian(g, new LazyGaussian(), 8, 3, 4, false).x0());

        BinomialDiffusion b = new BinomialDiffusion(Schedules.binomialPaper(30));
        INDArray bits = Matrices.full(8, 3, 1);
        INDArray flip = Matrices.full(8, 3, 0.1);
        BinomialReverseKernel eagerB = (xt, t) -> xt.mul(0.8).addi(flip);
        assertEquals(BoundK.binomial(b, eagerB, bits, 1).kNats(), BoundK.binomial(b, new LazyBinomial(), bits, 1).kNats(), 0);
    }
}
