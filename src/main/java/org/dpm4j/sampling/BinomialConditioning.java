package org.dpm4j.sampling;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Sec. 2.5 for binomial diffusion: maps p(x_{t-1} = 1 | x_t) to the conditioned probability per bit. */
@FunctionalInterface
public interface BinomialConditioning {
    /**
     * @param probabilityOfOne the unconditioned p(x_{t-1} = 1 | x_t), [n, d]
     * @param t                the step being taken, 1..T; t = T + 1 for the terminal distribution of x_T
     */
    INDArray condition(INDArray probabilityOfOne, int t);

    static BinomialConditioning none() { return (p, t) -> p; }
}
