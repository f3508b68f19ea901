package org.dpm4j.sampling;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.dpm4j.diffusion.BinomialDiffusion;
import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.util.Matrices;
import org.dpm4j.kernel.BinomialReverseKernel;
import org.dpm4j.kernel.FullGaussianReverseKernel;
import org.dpm4j.kernel.GaussianReverseKernel;
import org.dpm4j.diffusion.GaussianStep;
import org.dpm4j.util.Check;
import java.util.OptionalInt;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Ancestral sampling of the reverse trajectory (Eq. 5, Sec. 2.3): x_T ~ pi, then x_{t-1} ~ p(x_{t-1} | x_t) for
 * t = T..1, with the reverse kernel for t >= 2 and the paper's fixed first step at t = 1 (the model K and Eq. 9
 * evaluate). Optional conditioning (Sec. 2.5) is applied to every step's distribution, x_T's included.
 */
public final class AncestralSampler {
    private AncestralSampler() {}

    /** n unconditioned samples of dimension d from Gaussian diffusion, seeded. */
    public static Trajectory gaussian(GaussianDiffusion diffusion, GaussianReverseKernel kernel, int n, int d,
                                      long seed, boolean captureTrajectory) {
        return gaussian(diffusion, kernel, n, d, seed, captureTrajectory, GaussianConditioning.none());
    }

    /** n samples conditioned by r (Sec. 2.5), seeded. */
    public static Trajectory gaussian(GaussianDiffusion diffusion, GaussianReverseKernel kernel, int n, int d,
                                      long seed, boolean captureTrajectory, GaussianConditioning conditioning) {
        if (diffusion == null) throw Check.bad("diffusion", null, "a GaussianDiffusion");
        if (conditioning == null) throw Check.bad("conditioning", null, "a GaussianConditioning (or none())");
        if (kernel == null) throw Check.bad("kernel", null, "a GaussianReverseKernel");
        check(kernel.steps(), diffusion.T(), n, d);
        GaussianReverseKernel model = GaussianReverseKernel.withFixedFirstStep(diffusion, kernel);
        SplittableRandom rng = new SplittableRandom(seed);
        int T = diffusion.T();
        INDArray xT = GaussianDiffusion.sample(conditioning.condition(diffusion.terminal(n, d), T + 1), rng);
        return run(xT, T, seed, captureTrajectory, (xt, t) -> {
            GaussianStep p = Matrices.outsideWorkspace(() -> conditioning.condition(model.step(xt, t), t));
            return GaussianDiffusion.sample(p, rng);
        });
    }

    /** n unconditioned samples of dimension d from Gaussian diffusion with a full-covariance reverse kernel, seeded. */
    public static Trajectory gaussianFull(GaussianDiffusion diffusion, FullGaussianReverseKernel kernel, int n, int d,
                                      long seed, boolean captureTrajectory) {
        if (diffusion == null) throw Check.bad("diffusion", null, "a GaussianDiffusion");
        if (kernel == null) throw Check.bad("kernel", null, "a FullGaussianReverseKernel");
        check(kernel.steps(), diffusion.T(), n, d);
        FullGaussianReverseKernel model = FullGaussianReverseKernel.withFixedFirstStep(diffusion, kernel);
        SplittableRandom rng = new SplittableRandom(seed);
        INDArray xT = GaussianDiffusion.sample(diffusion.terminal(n, d), rng);
        return run(xT, diffusion.T(), seed, captureTrajectory,
                (xt, t) -> Matrices.outsideWorkspace(() -> model.step(xt, t)).sample(rng));
    }

    /** n unconditioned binary samples of dimension d from binomial diffusion, seeded. */
    public static Trajectory binomial(BinomialDiffusion diffusion, BinomialReverseKernel kernel, int n, int d,
                                      long seed, boolean captureTrajectory) {
        return binomial(diffusion, kernel, n, d, seed, captureTrajectory, BinomialConditioning.none());
    }

    /** n binary samples conditioned by r (Sec. 2.5), seeded. */
    public static Trajectory binomial(BinomialDiffusion diffusion, BinomialReverseKernel kernel, int n, int d,
                                      long seed, boolean captureTrajectory, BinomialConditioning conditioning) {
        if (diffusion == null) throw Check.bad("diffusion", null, "a BinomialDiffusion");
        if (conditioning == null) throw Check.bad("conditioning", null, "a BinomialConditioning (or none())");
        if (kernel == null) throw Check.bad("kernel", null, "a BinomialReverseKernel");
        check(kernel.steps(), diffusion.T(), n, d);
        BinomialReverseKernel model = BinomialReverseKernel.withFixedFirstStep(diffusion, kernel);
        SplittableRandom rng = new SplittableRandom(seed);
        int T = diffusion.T();
        INDArray xT = Matrices.bernoulli(conditioning.condition(Matrices.full(n, d, diffusion.baseRate()), T + 1), rng);
        return run(xT, T, seed, captureTrajectory, (xt, t) -> {
            INDArray p = Matrices.outsideWorkspace(() -> conditioning.condition(model.probabilityOfOne(xt, t), t));
            return Matrices.bernoulli(Matrices.probabilities("p(x_{t-1} = 1 | x_t) at t = " + t, p), rng);
        });
    }

    /** Largest number of entries in one Java array; every state x_t of the n samples is one [n, d] array. */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    /**
     * n, d >= 1 with n d within one array, and a kernel built for the diffusion's T: a kernel of fewer steps would fail
     * midway at its first unknown t, one of more steps would silently be run on the wrong steps.
     */
    private static void check(OptionalInt kernelT, int diffusionT, int n, int d) {
        Check.positive("n", n);
        Check.positive("d", d);
        if ((long) n * d > MAX_ARRAY) throw Check.bad("n x d", n + " x " + d + " = " + (long) n * d,
                "at most " + MAX_ARRAY + " (each state x_t of the samples is one array)");
        if (kernelT.isPresent() && kernelT.getAsInt() != diffusionT) {
            throw Check.bad("kernel.steps() (the kernel's T)", kernelT.getAsInt(), "the diffusion's T = " + diffusionT
                    + ": the kernel was built for a schedule of " + kernelT.getAsInt() + " steps, the diffusion has "
                    + diffusionT);
        }
    }

    /** One draw of x_{t-1} given x_t. */
    @FunctionalInterface
    private interface ReverseStep {
        INDArray sample(INDArray xt, int t);
    }

    /** x_T, then x_{t-1} from each step for t = T..1, keeping x_1 always and every state when asked. */
    private static Trajectory run(INDArray xT, int T, long seed, boolean captureTrajectory, ReverseStep step) {
        INDArray x = xT, x1 = xT;
        List<INDArray> states = new ArrayList<>();
        if (captureTrajectory) states.add(x);
        for (int t = T; t >= 1; t--) {
            if (t == 1) x1 = x;
            try (MemoryWorkspace ws = Matrices.loopWorkspace()) {
                x = step.sample(x, t).detach();
            }
            if (captureTrajectory) states.add(x);
        }
        return new Trajectory(x, x1, List.copyOf(states), seed);
    }
}
