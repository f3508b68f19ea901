package org.dpm4j.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A separate affine readout z = h W_t + b_t for every time step (the Swiss-roll and heartbeat models).
 * Weights start at zero, so an untrained kernel is exactly the forward kernel's form (z = 0) and K starts near L_null.
 * Rows gather their own W_t; plain Java loops over the flat parameter array do this without any per-step array
 * operation, whatever mix of time steps a minibatch holds.
 */
public final class PerStepReadout implements TimeReadout {
    private final Params params;
    private final Params.Slot w, b; // w [T, in, out], b [T, out]
    private final int in, out, T;

    public PerStepReadout(Params params, String name, int in, int out, int T) {
        this.params = params;
        this.in = in;
        this.out = out;
        this.T = T;
        this.w = params.add(name + ".W", Params.Init.zeros(), T, in, out);
        this.b = params.add(name + ".b", Params.Init.zeros(), T, out);
    }

    @Override public int in() { return in; }
    @Override public int out() { return out; }
    @Override public int T() { return T; }

    @Override public INDArray forward(INDArray h, int[] t) {
        FloatMatrices.checkTimes(t, h.rows(), T);
        int n = t.length;
        float[] hv = FloatMatrices.floats(h), z = new float[n * out], p = params.values();
        for (int i = 0; i < n; i++) {
            int wt = w.offset + (t[i] - 1) * in * out, zr = i * out, hr = i * in;
            System.arraycopy(p, b.offset + (t[i] - 1) * out, z, zr, out);
            for (int k = 0; k < in; k++) {
                float hk = hv[hr + k];
                int wk = wt + k * out;
                for (int j = 0; j < out; j++) z[zr + j] += hk * p[wk + j];
            }
        }
        return FloatMatrices.matrix(z, n, out);
    }

    @Override public INDArray backward(INDArray h, int[] t, INDArray dz) {
        int n = t.length;
        float[] hv = FloatMatrices.floats(h), g = FloatMatrices.floats(dz), dh = new float[n * in], p = params.values(), gp = params.grads();
        for (int i = 0; i < n; i++) {
            int wt = w.offset + (t[i] - 1) * in * out, bt = b.offset + (t[i] - 1) * out, gr = i * out, hr = i * in;
            for (int j = 0; j < out; j++) gp[bt + j] += g[gr + j];
            for (int k = 0; k < in; k++) {
                float hk = hv[hr + k], s = 0;
                int wk = wt + k * out;
                for (int j = 0; j < out; j++) {
                    s += p[wk + j] * g[gr + j];
                    gp[wk + j] += hk * g[gr + j];
                }
                dh[hr + k] = s;
            }
        }
        return FloatMatrices.matrix(dh, n, in);
    }
}
