package org.dpm4j.sampling;

import static org.dpm4j.testing.BadInput.assertRejected;
import static org.junit.jupiter.api.Assertions.*;

import org.dpm4j.diffusion.BinomialDiffusion;
import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.util.Matrices;
import org.dpm4j.kernel.ExactBernoulliDataKernel;
import org.dpm4j.kernel.ExactGaussianDataKernel;
import org.dpm4j.kernel.FullGaussianReverseKernel;
import org.dpm4j.kernel.GaussianReverseKernel;
import org.dpm4j.schedule.Schedules;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Hostile inputs to ancestral sampling and its conditioning (Sec. 2.5), each refused up front with a named message. */
class SamplingInputTest {
    static final GaussianDiffusion G20 = new GaussianDiffusion(Schedules.referenceGaussian(20));
    static final GaussianReverseKernel K10 = new ExactGaussianDataKernel(Schedules.referenceGaussian(10),
            new double[] {0, 0}, new double[] {1, 1});

    @Test
    @DisplayName("a kernel of T = 10 on a diffusion of T = 20 is refused before drawing, for every sampler")
    void kernelTMismatch() {
        assertRejected(() -> AncestralSampler.gaussian(G20, K10, 3, 2, 1, false), "kernel.steps()", "10");
        assertRejected(() -> AncestralSampler.gaussianFull(G20, FullGaussianReverseKernel.of(K10), 3, 2, 1, false),
                "kernel.steps()", "10");
        BinomialDiffusion b20 = new BinomialDiffusion(Schedules.binomialPaper(20));
        ExactBernoulliDataKernel bk10 = new ExactBernoulliDataKernel(Schedules.binomialPaper(10), 0.5, new double[] {0.3, 0.7});
        assertRejected(() -> AncestralSampler.binomial(b20, bk10, 3, 2, 1, false), "kernel.steps()", "10");
        // conditioned sampling is refused the same way, before the conditioning sees anything
        INDArray known = Matrices.full(3, 2, 1);
        assertRejected(() -> AncestralSampler.gaussian(G20, K10, 3, 2, 1, false, new Inpainting(known, known)),
                "kernel.steps()", "10");
    }

    @Test
    @DisplayName("null kernels and diffusions, and n x d beyond one array, are named")
    void nullsAndSizes() {
        assertRejected(() -> AncestralSampler.gaussian(G20, null, 3, 2, 1, false), "kernel", "null");
        assertRejected(() -> AncestralSampler.gaussianFull(null, FullGaussianReverseKernel.of(K10), 3, 2, 1, false), "diffusion", "null");
        assertRejected(() -> AncestralSampler.gaussianFull(G20, null, 3, 2, 1, false), "kernel", "null");
        assertRejected(() -> AncestralSampler.gaussian(G20, G20::forwardStep, 1_000_000_000, 1000, 1, false),
                "n x d", "1000000000000");
    }

    @Test
    @DisplayName("observations of 1e200 are refused naming the input and its first offending row and column")
    void hugeObservations() {
        INDArray y = Matrices.full(3, 2, 0.1);
        y.putScalar(1, 0, 1e200);
        assertRejected(() -> new Denoising(y, 0.1), "observed[1, 0]", "1.0E200");
        INDArray known = Matrices.full(3, 2, 1);
        assertRejected(() -> new Inpainting(known, y), "values[1, 0]", "1.0E200");
        // a value on a pixel to be filled in is ignored, so it is not checked
        INDArray mask = known.dup();
        mask.putScalar(1, 0, 0);
        Trajectory t = AncestralSampler.gaussian(G20, G20::forwardStep, 3, 2, 1, false, new Inpainting(mask, y));
        assertEquals(0.1, t.x0().getDouble(0, 0), 0.0, "a known pixel keeps its value exactly");
        assertTrue(Double.isFinite(t.x0().getDouble(1, 0)));
    }
}
