package org.dpm4j.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A reverse-kernel network z = f(x_t, t) with a hand-derived gradient. Rows of one call may carry different time
 * steps, so a whole minibatch, all its time steps included, goes through in one pass.
 */
public interface Network {
    int inputSize();

    int outputSize();

    /** Number of diffusion steps T the time readout covers. */
    int T();

    Params params();

    /** The activations of one forward pass, kept for {@link #backward}. */
    interface Pass {
        /** z [N, outputSize] (FLOAT). */
        INDArray output();

        /** z as a row-major float[] [N, outputSize]. */
        default float[] values() { return FloatMatrices.floats(output()); }
    }

    /** Forward pass for x [N, inputSize] (FLOAT, c order) with t[i] in 1..T for row i. */
    Pass forward(INDArray x, int[] t);

    /**
     * Forward pass for row-major x [t.length, inputSize]. Networks built on float[] (Mlp, RbfNetwork, FourierFeatures)
     * override it and never touch ND4J: every ND4J array also allocates native shape buffers, which costs more than
     * the arithmetic of a small layer.
     */
    default Pass forward(float[] x, int[] t) { return forward(FloatMatrices.matrix(x, t.length, inputSize()), t); }

    /** {@link #backward(Pass, INDArray, boolean)} on row-major float[]: dz [N, outputSize] in, dL/dx [N, inputSize] (or null) out. */
    default float[] backward(Pass pass, float[] dz, boolean inputGradient) {
        INDArray dx = backward(pass, FloatMatrices.matrix(dz, dz.length / outputSize(), outputSize()), inputGradient);
        return dx == null ? null : FloatMatrices.floats(dx);
    }

    /** Accumulates dL/dparameters into {@code params().grads()} for dL/dz [N, outputSize] (overwritten). */
    void backward(Pass pass, INDArray dz);

    /**
     * The same, and with {@code inputGradient} also returns dL/dx [N, inputSize] (FLOAT), which the learnable schedule
     * needs because x_t depends on the betas (Sec. 2.4.1). A network that cannot supply it throws; Mlp and RbfNetwork can.
     */
    default INDArray backward(Pass pass, INDArray dz, boolean inputGradient) {
        if (inputGradient) throw new UnsupportedOperationException(getClass().getSimpleName() + " has no input gradient (needed to learn the schedule)");
        backward(pass, dz);
        return null;
    }
}
