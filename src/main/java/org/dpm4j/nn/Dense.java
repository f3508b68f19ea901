package org.dpm4j.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A fully connected layer y = f(x W + b) shared by all time steps, with its hand-derived gradient. */
public final class Dense {
    private final Params.Slot w, b;
    private final Activation activation;
    private final int in, out;

    /** Weights start at N(0, 1/in) (LeCun scale), biases at zero. */
    public Dense(Params params, String name, int in, int out, Activation activation) {
        this.in = in;
        this.out = out;
        this.activation = activation;
        this.w = params.add(name + ".W", Params.Init.gaussian(1.0 / Math.sqrt(in)), in, out);
        this.b = params.add(name + ".b", Params.Init.zeros(), out);
    }

    public int in() { return in; }

    public int out() { return out; }

    /** y = f(x W + b) for x [N, in]; returns a new [N, out] FLOAT array. */
    public INDArray forward(INDArray x) {
        INDArray y = Nd4j.create(DataType.FLOAT, x.rows(), out);
        Nd4j.gemm(x, w.value(), y, false, false, 1.0, 0.0);
        y.addiRowVector(b.value());
        return activation.applyInPlace(y);
    }

    /**
     * Accumulates the weight and bias gradients and returns dL/dx (or null when {@code needInputGrad} is false).
     * {@code dy} is overwritten.
     */
    public INDArray backward(INDArray x, INDArray y, INDArray dy, boolean needInputGrad) {
        INDArray dPre = activation.backInPlace(y, dy);
        Nd4j.gemm(x, dPre, w.grad(), true, false, 1.0, 1.0);
        b.grad().addi(dPre.sum(0));
        if (!needInputGrad) return null;
        INDArray dx = Nd4j.create(DataType.FLOAT, x.rows(), in);
        Nd4j.gemm(dPre, w.value(), dx, false, true, 1.0, 0.0);
        return dx;
    }
}
