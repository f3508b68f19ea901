package org.dpm4j.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The paper's temporal readout: J affine readouts mixed by bump functions of time,
 * z = sum_j g_j(t) (h W_j + b_j), g_j(t) = softmax_j(-(t - tau_j)^2 / (2 w^2)) (paper appendix; J = 10 in the
 * reference code). As in the reference code the centres tau_j are J evenly spaced points on [1, T] and w is half
 * their spacing. The mixture is one matrix product: [g_1 h, ..., g_J h] times the stacked weights.
 */
public final class BumpReadout implements TimeReadout {
    private final Params.Slot w, b; // w [J * in, out], b [J, out]
    private final int in, out, T, J;
    private final float[][] g;       // g[t-1][j]

    public BumpReadout(Params params, String name, int in, int out, int T, int J) {
        if (J < 2) throw org.dpm4j.util.Check.bad("J", J, "at least 2 bump functions");
        this.in = in;
        this.out = out;
        this.T = T;
        this.J = J;
        this.w = params.add(name + ".W", Params.Init.zeros(), (long) J * in, out);
        this.b = params.add(name + ".b", Params.Init.zeros(), J, out);
        this.g = bumps(T, J);
    }

    /** g_j(t) for t = 1..T (row t-1), each row summing to one. */
    public static float[][] bumps(int T, int J) {
        double spacing = Math.max(T - 1, 1) / (double) (J - 1), width = spacing / 2;
        float[][] g = new float[T][J];
        for (int t = 1; t <= T; t++) {
            double[] a = new double[J];
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int j = 0; j < J; j++) {
                double d = t - (1 + j * spacing);
                a[j] = -d * d / (2 * width * width);
                max = Math.max(max, a[j]);
            }
            for (int j = 0; j < J; j++) sum += a[j] = Math.exp(a[j] - max);
            for (int j = 0; j < J; j++) g[t - 1][j] = (float) (a[j] / sum);
        }
        return g;
    }

    @Override public int in() { return in; }
    @Override public int out() { return out; }
    @Override public int T() { return T; }

    private INDArray gates(int[] t) {
        float[] gg = new float[t.length * J];
        for (int i = 0; i < t.length; i++) System.arraycopy(g[t[i] - 1], 0, gg, i * J, J);
        return Nd4j.createFromArray(gg).reshape(t.length, J);
    }

    private INDArray features(float[] hv, int[] t) {
        int n = t.length;
        float[] f = new float[n * J * in];
        for (int i = 0; i < n; i++) {
            float[] gi = g[t[i] - 1];
            for (int j = 0; j < J; j++) {
                for (int k = 0; k < in; k++) f[(i * J + j) * in + k] = gi[j] * hv[i * in + k];
            }
        }
        return FloatMatrices.matrix(f, n, J * in);
    }

    @Override public float[] forward(float[] h, int[] t) {
        FloatMatrices.checkTimes(t, h.length / in, T);
        INDArray z = Nd4j.create(DataType.FLOAT, t.length, out);
        Nd4j.gemm(features(h, t), w.array(), z, false, false, 1.0, 0.0);
        Nd4j.gemm(gates(t), b.array(), z, false, false, 1.0, 1.0);
        return FloatMatrices.floats(z);
    }

    @Override public float[] backward(float[] h, int[] t, float[] dzv) {
        int n = t.length;
        INDArray dz = FloatMatrices.matrix(dzv, n, out);
        w.addGrad(features(h, t).transpose().mmul(dz));
        b.addGrad(gates(t).transpose().mmul(dz));
        INDArray df = Nd4j.create(DataType.FLOAT, n, (long) J * in);
        Nd4j.gemm(dz, w.array(), df, false, true, 1.0, 0.0);
        float[] fv = FloatMatrices.floats(df), dh = new float[n * in];
        for (int i = 0; i < n; i++) {
            float[] gi = g[t[i] - 1];
            for (int k = 0; k < in; k++) {
                float s = 0;
                for (int j = 0; j < J; j++) s += gi[j] * fv[(i * J + j) * in + k];
                dh[i * in + k] = s;
            }
        }
        return dh;
    }
}
