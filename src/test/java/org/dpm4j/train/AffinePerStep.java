package org.dpm4j.train;

import java.util.SplittableRandom;
import org.dpm4j.nn.FloatMatrices;
import org.dpm4j.nn.Network;
import org.dpm4j.nn.Params;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A test network that can hold the exact reverse kernel of Gaussian data: per time step and dimension,
 * z_mu = w_t x + a_t and z_Sigma = c_t, with its input gradient.
 */
final class AffinePerStep implements Network {
    private final Params params = new Params();
    final Params.Slot w, a, c; // each [T, d]
    private final int d, T;

    AffinePerStep(int d, int T) {
        this.d = d;
        this.T = T;
        w = params.add("w", Params.Init.zeros(), T, d);
        a = params.add("a", Params.Init.zeros(), T, d);
        c = params.add("c", Params.Init.zeros(), T, d);
        params.allocate(new SplittableRandom(0));
    }

    @Override public int inputSize() { return d; }
    @Override public int outputSize() { return 2 * d; }
    @Override public int T() { return T; }
    @Override public Params params() { return params; }

    void set(Params.Slot slot, int t, int j, double v) { params.values()[slot.offset + (t - 1) * d + j] = (float) v; }

    private record AffinePass(float[] x, int[] t, INDArray output) implements Pass {}

    @Override public Pass forward(INDArray x, int[] t) {
        float[] xv = FloatMatrices.floats(x), p = params.values(), z = new float[t.length * 2 * d];
        for (int i = 0; i < t.length; i++) {
            int k = (t[i] - 1) * d;
            for (int j = 0; j < d; j++) {
                z[i * 2 * d + j] = p[w.offset + k + j] * xv[i * d + j] + p[a.offset + k + j];
                z[i * 2 * d + d + j] = p[c.offset + k + j];
            }
        }
        return new AffinePass(xv, t, FloatMatrices.matrix(z, t.length, 2 * d));
    }

    @Override public void backward(Pass pass, INDArray dz) { backward(pass, dz, false); }

    @Override public INDArray backward(Pass pass, INDArray dz, boolean inputGradient) {
        AffinePass q = (AffinePass) pass;
        float[] g = FloatMatrices.floats(dz), p = params.values(), gp = params.grads(), dx = new float[q.t.length * d];
        for (int i = 0; i < q.t.length; i++) {
            int k = (q.t[i] - 1) * d;
            for (int j = 0; j < d; j++) {
                float gMu = g[i * 2 * d + j];
                gp[w.offset + k + j] += gMu * q.x[i * d + j];
                gp[a.offset + k + j] += gMu;
                gp[c.offset + k + j] += g[i * 2 * d + d + j];
                dx[i * d + j] = gMu * p[w.offset + k + j];
            }
        }
        return inputGradient ? FloatMatrices.matrix(dx, q.t.length, d) : null;
    }
}
