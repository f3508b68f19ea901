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

    /**
     * For four rows that share W_t, the rows of h, dL/dh, W_t and dL/dW_t are staged in scratch arrays: C2 (Java 17)
     * vectorises a loop only when all its arrays are indexed alike (it cannot rule out that two float[] are one array
     * at another offset), and a loop like d[k] += g w[k] ran about five times faster than d[a + k] += g w[b + k].
     */
    @Override public float[] backward(float[] h, int[] t, float[] g) {
        int n = t.length;
        float[] dh = new float[n * in], p = params.values(), gp = params.grads();
        float[] h0 = new float[in], h1 = new float[in], h2 = new float[in], h3 = new float[in];
        float[] d0 = new float[in], d1 = new float[in], d2 = new float[in], d3 = new float[in], wj = new float[in], gw = new float[in];
        for (int i = 0; i < n; ) {
            int wt = w.offset + (t[i] - 1) * out * in, bt = b.offset + (t[i] - 1) * out;
            if (sameStep(t, i)) {
                System.arraycopy(h, i * in, h0, 0, in);
                System.arraycopy(h, (i + 1) * in, h1, 0, in);
                System.arraycopy(h, (i + 2) * in, h2, 0, in);
                System.arraycopy(h, (i + 3) * in, h3, 0, in);
                java.util.Arrays.fill(d0, 0f);
                java.util.Arrays.fill(d1, 0f);
                java.util.Arrays.fill(d2, 0f);
                java.util.Arrays.fill(d3, 0f);
                for (int j = 0; j < out; j++) {
                    float g0 = g[i * out + j], g1 = g[(i + 1) * out + j], g2 = g[(i + 2) * out + j], g3 = g[(i + 3) * out + j];
                    gp[bt + j] += (g0 + g1) + (g2 + g3);
                    System.arraycopy(gp, wt + j * in, gw, 0, in);
                    for (int k = 0; k < in; k++) gw[k] += (g0 * h0[k] + g1 * h1[k]) + (g2 * h2[k] + g3 * h3[k]);
                    System.arraycopy(gw, 0, gp, wt + j * in, in);
                    System.arraycopy(p, wt + j * in, wj, 0, in);
                    for (int k = 0; k < in; k++) d0[k] += g0 * wj[k];
                    for (int k = 0; k < in; k++) d1[k] += g1 * wj[k];
                    for (int k = 0; k < in; k++) d2[k] += g2 * wj[k];
                    for (int k = 0; k < in; k++) d3[k] += g3 * wj[k];
                }
                System.arraycopy(d0, 0, dh, i * in, in);
                System.arraycopy(d1, 0, dh, (i + 1) * in, in);
                System.arraycopy(d2, 0, dh, (i + 2) * in, in);
                System.arraycopy(d3, 0, dh, (i + 3) * in, in);
                i += 4;
            } else {
                for (int j = 0; j < out; j++) {
                    float gj = g[i * out + j];
                    gp[bt + j] += gj;
                    int wo = wt + j * in, hr = i * in;
                    for (int k = 0; k < in; k++) {
                        gp[wo + k] += gj * h[hr + k];
                        dh[hr + k] += gj * p[wo + k];
                    }
                }
                i++;
            }
        }
        return dh;
    }
}
