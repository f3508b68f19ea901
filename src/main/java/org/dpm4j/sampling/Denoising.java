package org.dpm4j.sampling;

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

    @Override public GaussianStep condition(GaussianStep p, int t) {
        Matrices.sameShape("observed", observed, "p.mean", p.mean());
        INDArray precision = p.variance().rdiv(1).addi(1 / noiseVariance);
        INDArray variance = precision.rdiv(1);
        INDArray mean = p.mean().div(p.variance()).addi(observed.div(noiseVariance)).muli(variance);
        return new GaussianStep(mean, variance);
    }
}
