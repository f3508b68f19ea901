package org.dpm4j.sampling;

import java.util.SplittableRandom;
import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.kernel.GaussianReverseKernel;
import org.dpm4j.util.Matrices;
import org.dpm4j.diffusion.GaussianStep;
import org.dpm4j.util.Check;
import org.dpm4j.util.DataValues;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Denoising (Sec. 2.5): r(x) = N(y; x, s^2 I), a Gaussian observation y of the clean x. The product of two Gaussians
 * is closed form: var' = (1/var + 1/s^2)^-1, mean' = var' (mu/var + y/s^2), the reference code's diffusion_step with
 * denoise_sigma = s (its sigma_new^2 and mu_new). Applied by {@link AncestralSampler} to every reverse step and to
 * x_T's pi (Sec. 2.5's p~(x_T) proportional to pi(x_T) r(x_T)); the reference code instead starts its chain at x_T = y.
 * <p>
 * What this samples is not the exact posterior p(x_0 | y) proportional to p(x_0) r(x_0): each step's normaliser
 * (about r(x_t)) is dropped, so the observation is counted again along the chain. For unit-variance Gaussian data and
 * the exact reverse kernel it draws p(x_0) r(x_0)^2 (at s^2 = 1: N(2y/3, 1/3) instead of N(y/2, 1/2); DenoisingTest
 * shows it), i.e. it trusts the noisy image more than Bayes would. {@link WienerFilter} gives the exact Gaussian
 * posterior to compare against.
 */
public final class Denoising implements GaussianConditioning {
    private final INDArray observed;
    private final double noiseVariance;

    public Denoising(INDArray observed, double noiseVariance) {
        this.observed = DataValues.bounded("observed", Matrices.matrix("observed", observed)).dup();
        this.noiseVariance = Check.positive("noiseVariance", noiseVariance);
    }

    /**
     * The first step t* whose forward marginal is at least as noisy as the observation: the smallest t with
     * alphabar_t <= 1 / (1 + s^2), where q(x_t | x_0) = N(sqrt(alphabar_t) x_0, (1 - alphabar_t) I) has the
     * noise-to-signal ratio (1 - alphabar_t) / alphabar_t = s^2 of y = x_0 + N(0, s^2 I).
     */
    public static int startStep(GaussianDiffusion diffusion, double noiseVariance) {
        if (diffusion == null) throw Check.bad("diffusion", null, "a GaussianDiffusion");
        Check.positive("noiseVariance", noiseVariance);
        double target = 1 / (1 + noiseVariance);
        for (int t = 1; t <= diffusion.T(); t++) {
            double ab = diffusion.sqrtAlphaBar(t) * diffusion.sqrtAlphaBar(t);
            if (ab <= target) return t;
        }
        double abT = diffusion.sqrtAlphaBar(diffusion.T()) * diffusion.sqrtAlphaBar(diffusion.T());
        throw Check.bad("noiseVariance", noiseVariance, "at most (1 - alphabar_T) / alphabar_T = " + (1 - abT) / abT
                + ": noisier observations than the diffusion's x_T");
    }

    /**
     * Posterior samples of x_0 given y = x_0 + N(0, s^2 I) that are exact when the reverse kernel is (an alternative
     * to Sec. 2.5's per-step product, which is not; see the class comment): sqrt(alphabar_{t*}) y plus N(0, 1 -
     * alphabar_{t*}(1 + s^2)) is distributed given x_0 exactly as q(x_{t*} | x_0) ({@link #startStep}), so running the
     * unconditioned reverse process from it, t = t*..1 (the fixed first step at t = 1), draws p(x_0 | x_{t*}), which
     * is p(x_0 | y) up to the small extra noise that rounds t* to the schedule's grid. Seeded; z units; [n, d] in, out.
     */
    public static INDArray posteriorFromDiffusedObservation(GaussianDiffusion diffusion, GaussianReverseKernel kernel,
                                                            INDArray observed, double noiseVariance, long seed) {
        if (kernel == null) throw Check.bad("kernel", null, "a GaussianReverseKernel");
        DataValues.bounded("observed", Matrices.matrix("observed", observed));
        int start = startStep(diffusion, noiseVariance);
        double ab = diffusion.sqrtAlphaBar(start) * diffusion.sqrtAlphaBar(start);
        double extra = Math.max(0, 1 - ab * (1 + noiseVariance));
        SplittableRandom rng = new SplittableRandom(seed);
        INDArray x = GaussianDiffusion.sample(new GaussianStep(observed.mul(Math.sqrt(ab)),
                Matrices.full(observed.rows(), observed.columns(), extra)), rng);
        GaussianReverseKernel model = GaussianReverseKernel.withFixedFirstStep(diffusion, kernel);
        for (int t = start; t >= 1; t--) {
            final INDArray xt = x;
            final int step = t;
            try (org.nd4j.linalg.api.memory.MemoryWorkspace ws = Matrices.loopWorkspace()) {
                x = GaussianDiffusion.sample(Matrices.outsideWorkspace(() -> model.step(xt, step)), rng).detach();
            }
        }
        return x;
    }

    /**
     * The model's posterior mean E[x_0 | y] in one network pass (Tweedie's estimate read off the reverse kernel): at
     * x_{t*} = sqrt(alphabar_{t*}) y ({@link #startStep}) the K-optimal reverse mean is the posterior-of-the-forward-step
     * mean averaged over x_0 given x_{t*}, mu(x_{t*}) = a E[x_0 | x_{t*}] + b x_{t*} with (a, b) the coefficients of
     * q(x_{t*-1} | x_{t*}, x_0) ({@link GaussianDiffusion#posteriorCoefficients}), so (mu - b x_{t*}) / a is the
     * model's E[x_0 | x_{t*}], whatever its parameterisation. x_{t*} / sqrt(alphabar_{t*}) = x_0 + noise of variance
     * (1 - alphabar_{t*}) / alphabar_{t*}, which is s^2 up to the schedule's grid (the extra noise of
     * {@link #posteriorFromDiffusedObservation} is left at its mean, zero). For an exact kernel this is the Bayes
     * posterior mean at that variance (for Gaussian data, the Wiener filter's). Not a sample: one estimate per row;
     * z units; [n, d] in, out.
     */
    public static INDArray posteriorMeanFromDiffusedObservation(GaussianDiffusion diffusion, GaussianReverseKernel kernel,
                                                                INDArray observed, double noiseVariance) {
        if (kernel == null) throw Check.bad("kernel", null, "a GaussianReverseKernel");
        DataValues.bounded("observed", Matrices.matrix("observed", observed));
        int start = startStep(diffusion, noiseVariance);
        if (start < 2) throw Check.bad("noiseVariance", noiseVariance, "noisier than the first step's beta_1 (t* >= 2, where the kernel is learned)");
        INDArray xt = observed.mul(diffusion.sqrtAlphaBar(start));
        GaussianDiffusion.PosteriorCoefficients c = diffusion.posteriorCoefficients(start);
        INDArray mean = kernel.step(xt, start).mean();
        return mean.sub(xt.mul(c.xt())).divi(c.x0());
    }

    @Override public GaussianStep condition(GaussianStep p, int t) {
        Matrices.sameShape("observed", observed, "p.mean", p.mean());
        INDArray precision = p.variance().rdiv(1).addi(1 / noiseVariance);
        INDArray variance = precision.rdiv(1);
        INDArray mean = p.mean().div(p.variance()).addi(observed.div(noiseVariance)).muli(variance);
        return new GaussianStep(mean, variance);
    }
}
