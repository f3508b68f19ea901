package org.dpm4j.kernel;

import org.dpm4j.diffusion.BinomialDiffusion;
import org.dpm4j.util.Check;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The reverse kernel p(x_{t-1} | x_t) = B(f_b(x_t, t)) of binomial diffusion (paper Sec. 2.2, a factor of Eq. 5), independent
 * Bernoulli per bit.
 */
public interface BinomialReverseKernel {
    /**
     * @param xt x_t in {0, 1}, shape [n, d], DOUBLE
     * @param t  time step, 1..T
     * @return p(x_{t-1} = 1 | x_t) per bit, shape [n, d], each in (0, 1)
     */
    INDArray probabilityOfOne(INDArray xt, int t);

    /**
     * T, the number of diffusion steps this kernel was built for, when it knows it (a kernel made from a schedule
     * does); empty for a kernel that answers at any t, such as a lambda. K, Eq. 9 and the samplers refuse a kernel
     * whose T differs from their diffusion's.
     */
    default java.util.OptionalInt steps() { return java.util.OptionalInt.empty(); }

    /** The model's reverse kernel: the given kernel for t in 2..T and the fixed first step at t = 1. */
    static BinomialReverseKernel withFixedFirstStep(BinomialDiffusion diffusion, BinomialReverseKernel kernel) {
        if (kernel == null) throw Check.bad("kernel", null, "a BinomialReverseKernel");
        if (diffusion == null) throw Check.bad("diffusion", null, "a BinomialDiffusion");
        return (xt, t) -> t == 1 ? diffusion.firstReverseProbabilityOfOne(xt) : kernel.probabilityOfOne(xt, t);
    }
}
