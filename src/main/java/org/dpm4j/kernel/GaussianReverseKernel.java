package org.dpm4j.kernel;

import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.util.Check;

import org.dpm4j.diffusion.GaussianStep;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The reverse kernel p(x_{t-1} | x_t) = N(f_mu(x_t, t), diag f_Sigma(x_t, t)) of Gaussian diffusion (paper Sec. 2.2, a factor of Eq. 5).
 * Implementations: the exact posterior-based kernel for Gaussian data, the paper's parameterisation (Eqs. 64-65)
 * and the reference code's, both fed by a network.
 */
public interface GaussianReverseKernel {
    /**
     * @param xt x_t, shape [n, d], DOUBLE
     * @param t  time step, 1..T
     * @return mean and diagonal variance of p(x_{t-1} | x_t), each [n, d]
     */
    GaussianStep step(INDArray xt, int t);

    /**
     * T, the number of diffusion steps this kernel was built for, when it knows it (a kernel made from a schedule
     * does); empty for a kernel that answers at any t, such as a lambda. K, Eq. 9 and the samplers refuse a kernel
     * whose T differs from their diffusion's.
     */
    default java.util.OptionalInt steps() { return java.util.OptionalInt.empty(); }

    /**
     * The reverse kernel actually used by the model: the given kernel for t in 2..T and the fixed first step
     * {@link GaussianDiffusion#firstReverseStep} at t = 1, as the paper does. K, Eq. 9 and sampling all go through this.
     */
    static GaussianReverseKernel withFixedFirstStep(GaussianDiffusion diffusion, GaussianReverseKernel kernel) {
        if (kernel == null) throw Check.bad("kernel", null, "a GaussianReverseKernel");
        if (diffusion == null) throw Check.bad("diffusion", null, "a GaussianDiffusion");
        return (xt, t) -> t == 1 ? diffusion.firstReverseStep(xt) : kernel.step(xt, t);
    }
}
