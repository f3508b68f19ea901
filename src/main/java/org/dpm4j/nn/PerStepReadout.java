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
        for (int i = 0; i < n; ) {
            int wt = w.offset + (t[i] - 1) * out * in, bt = b.offset + (t[i] - 1) * out;
            if (sameStep(t, i)) {   // four rows share W_t: each weight is loaded once for all four
                for (int j = 0; j < out; j++) {
                    int wj = wt + j * in;
                    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                    for (int k = 0; k < in; k++) {
                        float wk = p[wj + k];
                        s0 += h[i * in + k] * wk;
                        s1 += h[(i + 1) * in + k] * wk;
                        s2 += h[(i + 2) * in + k] * wk;
                        s3 += h[(i + 3) * in + k] * wk;
                    }
                    z[i * out + j] = p[bt + j] + s0;
                    z[(i + 1) * out + j] = p[bt + j] + s1;
                    z[(i + 2) * out + j] = p[bt + j] + s2;
                    z[(i + 3) * out + j] = p[bt + j] + s3;
                }
                i += 4;
            } else {
                for (int j = 0; j < out; j++) z[i * out + j] = p[bt + j] + dot(h, i * in, p, wt + j * in, in);
                i++;
            }
        }
        return z;
    }

    /** True when rows i .. i + 3 exist and share a time step (the all-T estimator's t-major rows do). */
    private static boolean sameStep(int[] t, int i) {
        return i + 3 < t.length && t[i + 1] == t[i] && t[i + 2] == t[i] && t[i + 3] == t[i];
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
        for (int i = 0; i < n; ) {
            int wt = w.offset + (t[i] - 1) * out * in, bt = b.offset + (t[i] - 1) * out;
            int rows = sameStep(t, i) ? 4 : 1;
            for (int j = 0; j < out; j++) {
                int wj = wt + j * in;
                if (rows == 4) {   // one read-modify-write of dL/dW_t[j, :] for four rows
                    float g0 = g[i * out + j], g1 = g[(i + 1) * out + j], g2 = g[(i + 2) * out + j], g3 = g[(i + 3) * out + j];
                    gp[bt + j] += (g0 + g1) + (g2 + g3);
                    int h0 = i * in, h1 = h0 + in, h2 = h1 + in, h3 = h2 + in;
                    for (int k = 0; k < in; k++) gp[wj + k] += (g0 * h[h0 + k] + g1 * h[h1 + k]) + (g2 * h[h2 + k] + g3 * h[h3 + k]);
                } else {
                    float gj = g[i * out + j];
                    gp[bt + j] += gj;
                    for (int k = 0; k < in; k++) gp[wj + k] += gj * h[i * in + k];
                }
                for (int r = i; r < i + rows; r++) {
                    float gj = g[r * out + j];
                    int hr = r * in;
                    for (int k = 0; k < in; k++) dh[hr + k] += gj * p[wj + k];
                }
            }
            i += rows;
        }
        return dh;
    }
}
