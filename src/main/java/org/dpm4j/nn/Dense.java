package org.dpm4j.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A fully connected layer y = f(x W + b) shared by all time steps, with its hand-derived gradient. */
public final class Dense {
    private final Params.Slot w, b;
    private final Activation activation;
    private final int in, out;

    /**
     * Weights start at N(0, 1/in) (LeCun scale), or for sigmoid units at Glorot and Bengio's (2010) logistic scale,
     * N(0, 16 * 2/(in + out)): with the LeCun scale three sigmoid layers pass on almost nothing of their input and the
     * heartbeat model (Adam 1e-2, all-T, batch 4) was still at K = -9.1 bits/seq after 500 steps and -8.2 after 1500;
     * with this scale it was at -4.3 after 250 steps and -2.94 after 4250 (131 CPU seconds). Biases start at zero.
     */
    public Dense(Params params, String name, int in, int out, Activation activation) {
        this.in = in;
        this.out = out;
        this.activation = activation;
        double scale = activation == Activation.SIGMOID ? 4 * Math.sqrt(2.0 / (in + out)) : 1.0 / Math.sqrt(in);
        this.w = params.add(name + ".W", Params.Init.gaussian(scale), in, out);
        this.b = params.add(name + ".b", Params.Init.zeros(), out);
    }

    public int in() { return in; }

    public int out() { return out; }

    /** y = f(x W + b) for x [N, in]; returns a new [N, out] FLOAT array. */
    public INDArray forward(INDArray x) {
        INDArray y = Nd4j.create(DataType.FLOAT, x.rows(), out);
        Nd4j.gemm(x, w.array(), y, false, false, 1.0, 0.0);
        y.addiRowVector(b.array());
        return activation.applyInPlace(y);
    }

    /**
     * Accumulates the weight and bias gradients and returns dL/dx (or null when {@code needInputGrad} is false).
     * {@code dy} is overwritten.
     */
    public INDArray backward(INDArray x, INDArray y, INDArray dy, boolean needInputGrad) {
        INDArray dPre = activation.backInPlace(y, dy);
        INDArray dw = Nd4j.create(DataType.FLOAT, in, out);
        Nd4j.gemm(x, dPre, dw, true, false, 1.0, 0.0);
        w.addGrad(dw);
        // column sums as a matrix product with a row of ones: measured 5x faster than ND4J's sum(0) on [2496, 128]
        INDArray db = Nd4j.create(DataType.FLOAT, 1, out);
        Nd4j.gemm(Nd4j.ones(DataType.FLOAT, 1, x.rows()), dPre, db, false, false, 1.0, 0.0);
        b.addGrad(db);
        if (!needInputGrad) return null;
        INDArray dx = Nd4j.create(DataType.FLOAT, x.rows(), in);
        Nd4j.gemm(dPre, w.array(), dx, false, true, 1.0, 0.0);
        return dx;
    }
}
