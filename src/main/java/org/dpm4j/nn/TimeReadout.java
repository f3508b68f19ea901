package org.dpm4j.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The last layer of a reverse-kernel network, the only place where the time step enters: z = readout(h, t).
 * Rows of one minibatch may have different t, so all time steps of a minibatch go through in one pass.
 */
public interface TimeReadout {
    int in();

    int out();

    /** Number of diffusion steps T; t ranges over 1..T. */
    int T();

    /** z [N, out] for features h [N, in] (FLOAT, c order) and t[i] in 1..T. */
    INDArray forward(INDArray h, int[] t);

    /** Accumulates this readout's parameter gradients for dL/dz and returns dL/dh [N, in]. */
    INDArray backward(INDArray h, int[] t, INDArray dz);
}
