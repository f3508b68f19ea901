package org.dpm4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PerStepReadoutTest {
    @Test
    @DisplayName("per-step readout on rows in runs of a shared step (the blocked path) and single rows: z, dL/dh, dL/dW_t and dL/db_t equal the double-precision formulas")
    void blockedAndSingleRowsMatchTheFormula() {
        int in = 7, out = 3, T = 5;
        int[] t = {3, 3, 3, 3, 3, 1, 2, 2, 2, 2, 5, 4, 4, 4};   // runs of 5 and 4 (blocked), singles
        int n = t.length;
        Params params = new Params();
        PerStepReadout r = new PerStepReadout(params, "r", in, out, T);
        params.allocate(new SplittableRandom(1));
        SplittableRandom rng = new SplittableRandom(2);
        float[] p = params.values();
        for (int i = 0; i < p.length; i++) p[i] = (float) rng.nextGaussian();
        float[] h = new float[n * in], g = new float[n * out];
        for (int i = 0; i < h.length; i++) h[i] = (float) rng.nextGaussian();
        for (int i = 0; i < g.length; i++) g[i] = (float) rng.nextGaussian();
        float[] z = r.forward(h, t);
        params.zeroGrad();
        float[] dh = r.backward(h, t, g);
        int wSize = T * out * in;   // slot layout: W [T, out, in], then b [T, out]
        double[] gw = new double[p.length];
        for (int i = 0; i < n; i++) {
            int wt = (t[i] - 1) * out * in, bt = wSize + (t[i] - 1) * out;
            for (int j = 0; j < out; j++) {
                double zij = p[bt + j];
                for (int k = 0; k < in; k++) zij += (double) h[i * in + k] * p[wt + j * in + k];
                assertEquals(zij, z[i * out + j], 1e-5 * Math.max(1, Math.abs(zij)), "z[" + i + "," + j + "]");
                gw[bt + j] += g[i * out + j];
                for (int k = 0; k < in; k++) gw[wt + j * in + k] += (double) g[i * out + j] * h[i * in + k];
            }
            for (int k = 0; k < in; k++) {
                double d = 0;
                for (int j = 0; j < out; j++) d += (double) g[i * out + j] * p[wt + j * in + k];
                assertEquals(d, dh[i * in + k], 1e-5 * Math.max(1, Math.abs(d)), "dh[" + i + "," + k + "]");
            }
        }
        for (int i = 0; i < p.length; i++) assertEquals(gw[i], params.grads()[i], 1e-5 * Math.max(1, Math.abs(gw[i])), "gradient " + i);
    }
}
