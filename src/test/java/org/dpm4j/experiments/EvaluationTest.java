package org.dpm4j.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.dpm4j.bound.BoundK;
import org.dpm4j.bound.Per;
import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.kernel.ExactGaussianDataKernel;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.schedule.Schedules;
import org.dpm4j.util.Matrices;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class EvaluationTest {
    @Test
    @DisplayName("image evaluation on Gaussian 'images' with the exact reverse kernel: Eq. 9 agrees with the exact log-likelihood, K does not exceed it, and the helpers read the bound in the same unit")
    void gaussianImagesAgainstTheExactLikelihood() {
        int d = 4, n = 200, eq9n = 40;
        double m = 0.3, s2 = 0.5;
        BetaSchedule schedule = Schedules.referenceGaussian(200);
        GaussianDiffusion diffusion = new GaussianDiffusion(schedule);
        double[] mean = new double[d], variance = new double[d];
        java.util.Arrays.fill(mean, m);
        java.util.Arrays.fill(variance, s2);
        ExactGaussianDataKernel exact = new ExactGaussianDataKernel(schedule, mean, variance);
        INDArray heldOut = Matrices.gaussian(n, d, new SplittableRandom(5)).muli(Math.sqrt(s2)).addi(m);
        INDArray eq9Images = heldOut.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, eq9n), org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
        Per per = Per.pixel(1);
        Evaluation e = Evaluation.gaussianImages(diffusion, exact, heldOut, eq9Images, 10, 7, per);

        // The exact log-likelihood of the Eq. 9 images under N(m, s2) per value, bits per pixel.
        double[] x = Matrices.values(eq9Images);
        double nats = 0;
        for (double v : x) nats += -0.5 * Math.log(2 * Math.PI * s2) - (v - m) * (v - m) / (2 * s2);
        double exactBits = nats / x.length / Math.log(2);
        // Paired on the same images, so only the importance sampling's error counts; the model's p(x_T) is N(0, 1)
        // while q(x_T) keeps a trace of the data, which at T = 200 costs well under the 0.03 bits allowed.
        double mc = e.eq9().monteCarloErrorBits(per);
        assertEquals(exactBits, e.eq9Bits(), 4 * mc + 0.03, "Eq. 9 against the exact log-likelihood of the same images");
        assertTrue(e.kBits() <= e.eq9Bits() + 4 * e.eq9StandardErrorBits(), "K " + e.kBits() + " above Eq. 9 " + e.eq9Bits());
        assertTrue(Double.isNaN(e.ceilingBits()), "no ceiling is known for image data");

        // The same streams as the bound computed directly from the root seed's bound stream.
        var direct = BoundK.gaussian(diffusion, exact, heldOut, new Seeds(7).bound());
        assertEquals(direct.kBits(per), e.kBits(), 1e-12);
        assertEquals(direct.kStandardErrorBits(per), e.kStandardErrorBits(), 1e-12);
        assertArrayEquals(direct.klBits(per), e.lostPerStepBits(), 1e-12);
        // K's standard error is the spread of the per-image K over sqrt(n).
        double[] k = e.kPerExampleBits();
        double mk = java.util.Arrays.stream(k).average().orElseThrow(), ss = 0;
        for (double v : k) ss += (v - mk) * (v - mk);
        assertEquals(e.kBits(), mk, 1e-9);
        assertEquals(Math.sqrt(ss / (n - 1) / n), e.kStandardErrorBits(), 1e-9);
    }
}
