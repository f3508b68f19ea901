package org.dpm4j.nn;

import java.util.random.RandomGenerator;
import org.dpm4j.util.Check;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The paper's Swiss-roll network: a normalised radial-basis-function layer,
 * h_k(x) = phi_k(x) / sum_j phi_j(x), phi_k(x) = exp(-|x - c_k|^2 / (2 s_k^2)), with learned centres c_k and widths
 * s_k = exp(logWidth_k) shared over time, and a separate readout per time step.
 */
public final class RbfNetwork implements Network {
    private final Params params = new Params();
    private final Params.Slot centres, logWidth; // [K, d], [K]
    private final PerStepReadout readout;
    private final int d, K, out;

    /** Centres start at N(0, 1) (unit-variance data), widths at 1. */
    public RbfNetwork(int d, int units, int out, int T, RandomGenerator rng) {
        if (rng == null) throw Check.bad("rng", null, "a seeded generator (e.g. new SplittableRandom(seed)): every draw is seeded");
        this.d = Check.positive("d", d);
        this.K = Check.positive("units", units);
        this.out = Check.positive("out", out);
        this.centres = params.add("rbf.centres", Params.Init.gaussian(1.0), K, d);
        this.logWidth = params.add("rbf.logWidth", Params.Init.zeros(), K);
        this.readout = new PerStepReadout(params, "readout", K, out, T);
        params.allocate(rng);
    }

    @Override public int inputSize() { return d; }
    @Override public int outputSize() { return out; }
    @Override public int T() { return readout.T(); }
    @Override public Params params() { return params; }

    private record RbfPass(float[] x, float[] hv, int[] t, float[] values, int out) implements Pass {
        @Override public INDArray output() { return FloatMatrices.matrix(values, t.length, out); }
    }

    @Override public Pass forward(INDArray x, int[] t) {
        if (x.columns() != d) throw Check.bad("x.columns", x.columns(), d + " (the network's input size)");
        return forward(FloatMatrices.floats(x), t);
    }

    @Override public Pass forward(float[] xv, int[] t) {
        if (xv.length != (long) t.length * d) throw Check.bad("x.length", xv.length, t.length + " rows of " + d + " (the network's input size)");
        int n = t.length;
        float[] hv = new float[n * K], p = params.values();
        double[] a = new double[K];
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int k = 0; k < K; k++) {
                double r2 = 0;
                for (int c = 0; c < d; c++) {
                    double diff = xv[i * d + c] - p[centres.offset + k * d + c];
                    r2 += diff * diff;
                }
                a[k] = -r2 / 2 * Math.exp(-2 * p[logWidth.offset + k]);
                max = Math.max(max, a[k]);
            }
            for (int k = 0; k < K; k++) sum += a[k] = Math.exp(a[k] - max);
            for (int k = 0; k < K; k++) hv[i * K + k] = (float) (a[k] / sum);
        }
        return new RbfPass(xv, hv, t, readout.forward(hv, t), out);
    }

    @Override public void backward(Pass pass, INDArray dz) { backward(pass, dz, false); }

    @Override public INDArray backward(Pass pass, INDArray dz, boolean inputGradient) {
        float[] dx = backward(pass, FloatMatrices.floats(dz), inputGradient);
        return dx == null ? null : FloatMatrices.matrix(dx, dx.length / d, d);
    }

    @Override public float[] backward(Pass pass, float[] dz, boolean inputGradient) {
        RbfPass p = (RbfPass) pass;
        float[] dv = readout.backward(p.hv, p.t, dz);
        int n = p.t.length;
        float[] xv = p.x, hv = p.hv, pv = params.values(), gv = params.grads();
        int c0 = centres.offset, s0 = logWidth.offset;
        float[] dx = inputGradient ? new float[n * d] : null;
        for (int i = 0; i < n; i++) {
            // softmax backward: da_k = h_k (dh_k - sum_j h_j dh_j)
            double dot = 0;
            for (int k = 0; k < K; k++) dot += hv[i * K + k] * dv[i * K + k];
            for (int k = 0; k < K; k++) {
                double da = hv[i * K + k] * (dv[i * K + k] - dot);
                double inv = Math.exp(-2 * pv[s0 + k]), r2 = 0;
                for (int c = 0; c < d; c++) {
                    double diff = xv[i * d + c] - pv[c0 + k * d + c];
                    r2 += diff * diff;
                    gv[c0 + k * d + c] += (float) (da * diff * inv); // da/dc = (x - c) / s^2 = -da/dx
                    if (dx != null) dx[i * d + c] -= (float) (da * diff * inv);
                }
                gv[s0 + k] += (float) (da * r2 * inv);           // da/dlog s = r^2 / s^2
            }
        }
        return dx;
    }
}
