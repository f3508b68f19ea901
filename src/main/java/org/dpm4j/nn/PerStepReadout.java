package org.dpm4j.nn;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A separate affine readout z = h W_t + b_t for every time step (the Swiss-roll and heartbeat models).
 * Weights start at zero, so an untrained kernel is exactly the forward kernel's form (z = 0) and K starts near L_null.
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
        Rows.checkTimes(t, h.rows(), T);
        int n = t.length;
        INDArray z = Nd4j.create(DataType.FLOAT, n, out);
        FloatBuffer hb = Rows.buffer(h), zb = Rows.buffer(z), pb = params.valueBuffer();
        int h0 = Rows.offset(h), w0 = w.offset(), b0 = b.offset();
        float[] acc = new float[out];
        for (int i = 0; i < n; i++) {
            int wt = w0 + (t[i] - 1) * in * out, bt = b0 + (t[i] - 1) * out, hr = h0 + i * in;
            for (int j = 0; j < out; j++) acc[j] = pb.get(bt + j);
            for (int k = 0; k < in; k++) {
                float hk = hb.get(hr + k);
                int wk = wt + k * out;
                for (int j = 0; j < out; j++) acc[j] += hk * pb.get(wk + j);
            }
            for (int j = 0; j < out; j++) zb.put(i * out + j, acc[j]);
        }
        return z;
    }

    @Override public INDArray backward(INDArray h, int[] t, INDArray dz) {
        int n = t.length;
        INDArray dh = Nd4j.create(DataType.FLOAT, n, in);
        FloatBuffer hb = Rows.buffer(h), db = Rows.buffer(dz), dhb = Rows.buffer(dh);
        FloatBuffer pb = params.valueBuffer(), gb = params.gradBuffer();
        int h0 = Rows.offset(h), d0 = Rows.offset(dz), w0 = w.offset(), b0 = b.offset();
        float[] g = new float[out];
        for (int i = 0; i < n; i++) {
            int wt = w0 + (t[i] - 1) * in * out, bt = b0 + (t[i] - 1) * out, hr = h0 + i * in;
            for (int j = 0; j < out; j++) {
                g[j] = db.get(d0 + i * out + j);
                gb.put(bt + j, gb.get(bt + j) + g[j]);
            }
            for (int k = 0; k < in; k++) {
                float hk = hb.get(hr + k), s = 0;
                int wk = wt + k * out;
                for (int j = 0; j < out; j++) {
                    s += pb.get(wk + j) * g[j];
                    gb.put(wk + j, gb.get(wk + j) + hk * g[j]);
                }
                dhb.put(i * in + k, s);
            }
        }
        return dh;
    }
}
