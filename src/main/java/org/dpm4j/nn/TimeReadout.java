package org.dpm4j.nn;

/**
 * The last layer of a reverse-kernel network, the only place where the time step enters: z = readout(h, t).
 * Rows of one minibatch may have different t, so all time steps of a minibatch go through in one pass.
 * Matrices are row-major float[].
 */
public interface TimeReadout {
    int in();

    int out();

    /** Number of diffusion steps T; t ranges over 1..T. */
    int T();

    /** z [N, out] for features h [N, in] and t[i] in 1..T (N = t.length). */
    float[] forward(float[] h, int[] t);

    /** Accumulates this readout's parameter gradients for dL/dz [N, out] and returns dL/dh [N, in]. */
    float[] backward(float[] h, int[] t, float[] dz);
}
