package org.dpm4j.sampling;

import static org.dpm4j.testing.BadInput.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dpm4j.diffusion.BinomialDiffusion;
import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.util.Matrices;
import org.dpm4j.kernel.ExactBernoulliDataKernel;
import org.dpm4j.kernel.ExactGaussianDataKernel;
import org.dpm4j.diffusion.GaussianStep;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.schedule.Schedules;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class SamplingTest {
    static final BetaSchedule G = Schedules.referenceGaussian(40);
    static final GaussianDiffusion GD = new GaussianDiffusion(G);
    static final double[] M = {1.0, -2.0}, S2 = {0.3, 2.0};
    static final ExactGaussianDataKernel GK = new ExactGaussianDataKernel(G, M, S2);

    @Test
    @DisplayName("ancestral samples with the exact kernel have the model's closed-form mean and variance (n = 20000, 4 SE)")
    void gaussianSamplesMatchModelMarginal() {
        int n = 20000;
        INDArray x = AncestralSampler.gaussian(GD, GK, n, 2, 5, false).x0();
        double[][] mv = GK.modelMarginal();
        for (int j = 0; j < 2; j++) {
            double[] col = Matrices.values(x.getColumn(j).dup());
            double mean = 0, var = 0;
            for (double v : col) mean += v;
            mean /= n;
            for (double v : col) var += (v - mean) * (v - mean);
            var /= n - 1;
            assertEquals(mv[0][j], mean, 4 * Math.sqrt(mv[1][j] / n), "mean, dim " + j);
            assertEquals(mv[1][j], var, 4 * mv[1][j] * Math.sqrt(2.0 / n), "variance, dim " + j);
        }
    }

    @Test
    @DisplayName("binary ancestral samples with the exact Bernoulli kernel have the model's rates of ones (n = 20000, 4 SE)")
    void binomialSamplesMatchModelMarginal() {
        BetaSchedule s = Schedules.binomialPaper(30);
        double[] rates = {0.1, 0.8};
        ExactBernoulliDataKernel k = new ExactBernoulliDataKernel(s, 0.5, rates);
        int n = 20000;
        INDArray x = AncestralSampler.binomial(new BinomialDiffusion(s, 0.5), k, n, 2, 3, false).x0();
        double[] p = k.modelProbabilityOfOne();
        for (int j = 0; j < 2; j++) {
            assertEquals(p[j], x.getColumn(j).meanNumber().doubleValue(), 4 * Math.sqrt(p[j] * (1 - p[j]) / n), "bit " + j);
        }
    }

    @Test
    @DisplayName("a captured trajectory holds x_T..x_0 (T + 1 states), ends at the returned sample, and the same seed repeats it exactly; x_1 is kept without capture too")
    void trajectoryCaptureAndDeterminism() {
        Trajectory a = AncestralSampler.gaussian(GD, GK, 50, 2, 9, true);
        Trajectory b = AncestralSampler.gaussian(GD, GK, 50, 2, 9, false);
        assertEquals(G.T() + 1, a.states().size());
        assertEquals(a.x0(), a.state(0));
        assertEquals(a.x0(), b.x0(), "same seed, same samples");
        assertEquals(a.state(1), a.x1(), "x_1 is the state before the last step");
        assertEquals(a.state(1), b.x1(), "x_1 kept without capture");
        assertTrue(!b.x1().equals(b.x0()), "x_1 is not the sample itself");
        assertTrue(!a.x0().equals(AncestralSampler.gaussian(GD, GK, 50, 2, 10, false).x0()), "another seed, other samples");
        assertRejected(() -> b.state(0), "states", "not captured");
    }

    @Test
    @DisplayName("inpainting: known pixels equal the data exactly in the returned sample and at every step of the trajectory")
    void inpaintingKeepsKnownPixelsExact() {
        int n = 30;
        INDArray data = Matrices.gaussian(n, 2, new java.util.SplittableRandom(4)).muli(1.7).addi(0.123456789);
        INDArray known = Matrices.full(n, 2, 0);
        known.getColumn(0).assign(1);
        Trajectory tr = AncestralSampler.gaussian(GD, GK, n, 2, 2, true, new Inpainting(known, data));
        INDArray dataKnown = data.getColumn(0).dup();
        assertEquals(dataKnown, tr.x0().getColumn(0).dup(), "returned sample");
        for (INDArray state : tr.states()) assertEquals(dataKnown, state.getColumn(0).dup(), "every captured step");
        assertTrue(!data.getColumn(1).equals(tr.x0().getColumn(1)), "unknown pixels are sampled");
        // the unknown pixel still follows the model: its mean over samples is near the data mean of that dimension
        INDArray bits = Matrices.bernoulli(Matrices.full(n, 4, 0.5), new java.util.SplittableRandom(1));
        BetaSchedule s = Schedules.binomialPaper(20);
        INDArray mask = Matrices.full(n, 4, 1);
        mask.getColumn(3).assign(0);
        Trajectory bt = AncestralSampler.binomial(new BinomialDiffusion(s), new ExactBernoulliDataKernel(s, 0.5, new double[] {0.5, 0.5, 0.5, 0.9}),
                n, 4, 6, true, new Inpainting(mask, bits));
        for (INDArray state : bt.states()) {
            for (int j = 0; j < 3; j++) assertEquals(bits.getColumn(j).dup(), state.getColumn(j).dup(), "binary, every step");
        }
    }

    @Test
    @DisplayName("denoising: the closed-form product equals the normalised product of the two Gaussians on a grid (1e-6)")
    void denoisingIsTheGaussianProduct() {
        double mu = 0.4, var = 0.3, y = -0.5, s2 = 0.2;
        GaussianStep out = new Denoising(Matrices.row(new double[] {y}), s2)
                .condition(new GaussianStep(Matrices.row(new double[] {mu}), Matrices.row(new double[] {var})), 3);
        double z = 0, m1 = 0, m2 = 0, h = 1e-4;
        for (double x = -8; x <= 8; x += h) {
            double w = Math.exp(-(x - mu) * (x - mu) / (2 * var) - (y - x) * (y - x) / (2 * s2));
            z += w;
            m1 += w * x;
            m2 += w * x * x;
        }
        double mean = m1 / z;
        assertEquals(mean, out.mean().getDouble(0, 0), 1e-6);
        assertEquals(m2 / z - mean * mean, out.variance().getDouble(0, 0), 1e-6);
    }

    @Test
    @DisplayName("gradient conditioning: mu + Sigma d/dx log r(mu); for Gaussian r it differs from the exact product by Sigma^2 (y - mu)/(s^2 (s^2 + Sigma))")
    void gradientConditioningFirstOrder() {
        double mu = 0.4, var = 0.01, y = -0.5, s2 = 2.0;
        GaussianStep p = new GaussianStep(Matrices.row(new double[] {mu}), Matrices.row(new double[] {var}));
        INDArray yArr = Matrices.row(new double[] {y});
        GaussianStep first = new GradientConditioning(x -> yArr.sub(x).divi(s2)).condition(p, 5);
        GaussianStep exact = new Denoising(yArr, s2).condition(p, 5);
        assertEquals(mu + var * (y - mu) / s2, first.mean().getDouble(0, 0), 1e-15);
        assertEquals(var, first.variance().getDouble(0, 0), 0);
        assertEquals(var * var * (y - mu) / (s2 * (s2 + var)), first.mean().getDouble(0, 0) - exact.mean().getDouble(0, 0), 1e-15);
    }

    @Test
    @DisplayName("bad input: inpainting mask not binary or of the wrong shape, non-positive denoising variance")
    void badInput() {
        INDArray x = Matrices.full(3, 2, 0.5);
        assertRejected(() -> new Inpainting(x, x), "known[0, 0]", "0.5");
        assertRejected(() -> new Inpainting(Matrices.full(3, 2, 1), Matrices.full(2, 2, 0)), "values.shape", "[2, 2]");
        assertRejected(() -> new Denoising(x, 0), "noiseVariance", "0");
        Inpainting in = new Inpainting(Matrices.full(3, 2, 1), x);
        assertRejected(() -> AncestralSampler.gaussian(GD, GK, 4, 2, 1, false, in), "sample shape", "[4, 2]");
    }
}
