package org.dpm4j.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Hidden-unit nonlinearities. Each derivative is written in terms of the unit's output, so backward needs no pre-activation. */
public enum Activation {
    SIGMOID, TANH, SOFTPLUS;

    /** Applies the nonlinearity in place and returns {@code a}. */
    public INDArray applyInPlace(INDArray a) {
        return switch (this) {
            case SIGMOID -> Transforms.sigmoid(a, false);
            case TANH -> Transforms.tanh(a, false);
            case SOFTPLUS -> Transforms.softPlus(a, false);
        };
    }

    /** Multiplies {@code upstream} in place by f'(pre-activation), given the output y = f(pre-activation). */
    public INDArray backInPlace(INDArray y, INDArray upstream) {
        INDArray d = switch (this) {
            case SIGMOID -> y.rsub(1.0).muli(y);                        // s (1 - s)
            case TANH -> y.mul(y).rsubi(1.0);                           // 1 - tanh^2
            case SOFTPLUS -> Transforms.exp(y.neg(), false).rsubi(1.0); // sigmoid(a) = 1 - exp(-softplus(a))
        };
        return upstream.muli(d);
    }
}
