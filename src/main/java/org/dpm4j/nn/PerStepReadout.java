package org.dpm4j.nn;

/**
 * A separate affine readout z = h W_t + b_t for every time step (the Swiss-roll and heartbeat models).
 * Weights start at zero, so an untrained kernel is exactly the forward kernel's form (z = 0) and K starts near L_null.
 * Rows gather their own W_t; plain Java loops over the flat parameter array do this without any per-step array
 * operation, whatever mix of time steps a minibatch holds. W_t is stored transposed, [out, in] per step, so that the
 * backward pass's inner loops (dL/dh += g_j W_t[j, :], dL/dW_t[j, :] += g_j h) run along the long input dimension,
 * where the JIT compiler vectorises them; the forward pass is then a dot product per output.
 */
public final class PerStepReadout implements TimeReadout {
    private final Params params;
    private final Params.Slot w, b; // w [T, out, in] (W_t transposed), b [T, out]
    private final int in, out, T;

    public PerStepReadout(Params params, String name, int in, int out, int T) {
        this.params = params;
        this.in = in;
        this.out = out;
        this.T = T;
        this.w = params.add(name + ".W", Params.Init.zeros(), T, out, in);
        this.b = params.add(name + ".b", Params.Init.zeros(), T, out);
    }

    @Override public int in() { return in; }
    @Override public int out() { return out; }
    @Override public int T() { return T; }

    @Override public float[] forward(float[] h, int[] t) {
        FloatMatrices.checkTimes(t, h.length / in, T);
        int n = t.length;
        float[] z = new float[n * out], p = params.values();
        for (int i = 0; i < n; i++) {
            int wt = w.offset + (t[i] - 1) * out * in, bt = b.offset + (t[i] - 1) * out;
            for (int j = 0; j < out; j++) z[i * out + j] = p[bt + j] + dot(h, i * in, p, wt + j * in, in);
        }
        return z;
    }

    /** sum_k a[ao + k] b[bo + k] with four partial sums, which Java may evaluate in parallel (one float sum it may not reorder). */
    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int k = 0;
        for (; k + 4 <= n; k += 4) {
            s0 += a[ao + k] * b[bo + k];
            s1 += a[ao + k + 1] * b[bo + k + 1];
            s2 += a[ao + k + 2] * b[bo + k + 2];
            s3 += a[ao + k + 3] * b[bo + k + 3];
        }
        for (; k < n; k++) s0 += a[ao + k] * b[bo + k];
        return (s0 + s1) + (s2 + s3);
    }

    @Override public float[] backward(float[] h, int[] t, float[] g) {
        int n = t.length;
        float[] dh = new float[n * in], p = params.values(), gp = params.grads();
        for (int i = 0; i < n; i++) {
            int wt = w.offset + (t[i] - 1) * out * in, bt = b.offset + (t[i] - 1) * out, hr = i * in;
            for (int j = 0; j < out; j++) {
                float gj = g[i * out + j];
                gp[bt + j] += gj;
                int wj = wt + j * in;
                for (int k = 0; k < in; k++) {
                    dh[hr + k] += gj * p[wj + k];
                    gp[wj + k] += gj * h[hr + k];
                }
            }
        }
        return dh;
    }
}
