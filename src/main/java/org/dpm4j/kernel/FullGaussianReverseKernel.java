package org.dpm4j.kernel;

import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.util.Check;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A reverse kernel p(x_{t-1} | x_t) = N(f_mu(x_t, t), f_Sigma(x_t, t)) with a full covariance (paper Eq. 5 without
 * the paper's diagonal restriction): the reverse posterior is elongated along the data manifold, which a diagonal
 * covariance cannot follow when the manifold is not axis-aligned.
 */
@FunctionalInterface
public interface FullGaussianReverseKernel {
    /**
     * @param xt x_t, shape [n, d], DOUBLE
     * @param t  time step, 1..T
     * @return mean and Cholesky factor of the covariance of p(x_{t-1} | x_t)
     */
    FullGaussianStep step(INDArray xt, int t);

    /**
     * T, the number of diffusion steps this kernel was built for, when it knows it (a kernel made from a schedule
     * does); empty for a kernel that answers at any t, such as a lambda. K, Eq. 9 and the samplers refuse a kernel
     * whose T differs from their diffusion's.
     */
    default java.util.OptionalInt steps() { return java.util.OptionalInt.empty(); }

    /** A diagonal kernel seen as a full one (L = diag(sqrt(variance))). */
    static FullGaussianReverseKernel of(GaussianReverseKernel diagonal) {
        if (diagonal == null) throw Check.bad("diagonal", null, "a GaussianReverseKernel");
        return new FullGaussianReverseKernel() {
            @Override public FullGaussianStep step(INDArray xt, int t) { return FullGaussianStep.of(diagonal.step(xt, t)); }

            @Override public java.util.OptionalInt steps() { return diagonal.steps(); }
        };
    }

    /** The model's kernel: this one for t in 2..T and the paper's fixed first step at t = 1 (as K and Eq. 9 use). */
    static FullGaussianReverseKernel withFixedFirstStep(GaussianDiffusion diffusion, FullGaussianReverseKernel kernel) {
        if (diffusion == null) throw Check.bad("diffusion", null, "a GaussianDiffusion");
        if (kernel == null) throw Check.bad("kernel", null, "a FullGaussianReverseKernel");
        return new FullGaussianReverseKernel() {
            @Override public FullGaussianStep step(INDArray xt, int t) {
                return t == 1 ? FullGaussianStep.of(diffusion.firstReverseStep(xt)) : kernel.step(xt, t);
            }

            @Override public java.util.OptionalInt steps() { return kernel.steps(); }
        };
    }
}
