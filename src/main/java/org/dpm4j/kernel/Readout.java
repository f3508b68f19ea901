package org.dpm4j.kernel;

import org.dpm4j.diffusion.GaussianStep;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A network's two readouts for a Gaussian reverse step, each [n, d]: z_mu (the mean pathway) and z_Sigma (the
 * variance pathway), as in the paper's App. D.1.2. A parameterisation turns them into a {@link GaussianStep}.
 */
public record Readout(INDArray zMu, INDArray zSigma) {

    /** A function from (x_t, t) to the network's readouts; the networks live in org.dpm4j.nn. */
    @FunctionalInterface
    public interface Function {
        Readout apply(INDArray xt, int t);
    }
}
