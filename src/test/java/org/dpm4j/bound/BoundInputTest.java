package org.dpm4j.bound;

import static org.dpm4j.testing.BadInput.assertRejected;

import org.dpm4j.diffusion.BinomialDiffusion;
import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.util.Matrices;
import org.dpm4j.kernel.GaussianReverseKernel;
import org.dpm4j.diffusion.GaussianStep;
import org.dpm4j.schedule.Schedules;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class BoundInputTest {
    static final GaussianDiffusion G = new GaussianDiffusion(Schedules.referenceGaussian(10));
    static final INDArray X = Matrices.full(4, 2, 0.3);

    @Test
    @DisplayName("bad input to K and Eq. 9: NaN or wrongly shaped kernel output, NaN data, non-binary data, no trajectories")
    void badInput() {
        GaussianReverseKernel nan = (xt, t) -> new GaussianStep(Matrices.full(4, 2, Double.NaN), Matrices.full(4, 2, 1));
        assertRejected(() -> BoundK.gaussian(G, nan, X, 1), "p.mean[0, 0]", "NaN");
        GaussianReverseKernel narrow = (xt, t) -> new GaussianStep(Matrices.full(4, 1, 0), Matrices.full(4, 1, 1));
        assertRejected(() -> BoundK.gaussian(G, narrow, X, 1), "p.mean.shape", "[4, 1]");
        GaussianReverseKernel negative = (xt, t) -> new GaussianStep(xt, xt.mul(0).subi(1));
        assertRejected(() -> BoundK.gaussian(G, negative, X, 1), "p.variance min", "-1");
        INDArray nanData = X.dup();
        nanData.putScalar(3, 1, Double.NaN);
        assertRejected(() -> BoundK.gaussian(G, G::forwardStep, nanData, 1), "x0[3, 1]", "NaN");
        BinomialDiffusion b = new BinomialDiffusion(Schedules.binomialPaper(10));
        assertRejected(() -> BoundK.binomial(b, b::forwardProbabilityOfOne, X, 1), "x0[0, 0]", "0.3");
        assertRejected(() -> ImportanceSampledLikelihood.gaussian(G, G::forwardStep, X, 0, 1), "trajectories", "0");
        assertRejected(() -> BoundK.gaussian(G, null, X, 1), "kernel", "null");
    }
}
