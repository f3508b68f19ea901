package org.dpm4j.sampling;

import org.dpm4j.util.Matrices;
import org.dpm4j.diffusion.GaussianStep;
import org.dpm4j.util.Check;
import org.dpm4j.util.DataValues;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Denoising (Sec. 2.5): r(x) = N(y; x, s^2 I), a Gaussian observation y of the clean x. The product of two Gaussians
 * is closed form: var' = (1/var + 1/s^2)^-1, mean' = var' (mu/var + y/s^2).
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
