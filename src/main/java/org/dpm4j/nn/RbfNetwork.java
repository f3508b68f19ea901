package org.dpm4j.nn;

import java.nio.FloatBuffer;
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

    private record RbfPass(INDArray x, INDArray h, int[] t, INDArray output) implements Pass {}

    @Override public Pass forward(INDArray x, int[] t) {
        if (x.columns() != d) throw Check.bad("x.columns", x.columns(), d + " (the network's input size)");
        int n = (int) x.rows();
        INDArray h = Nd4j.create(DataType.FLOAT, n, K);
        FloatBuffer xb = Rows.buffer(x), hb = Rows.buffer(h), pb = params.valueBuffer();
        int x0 = Rows.offset(x);
        double[] a = new double[K];
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int k = 0; k < K; k++) {
                double r2 = 0;
                for (int c = 0; c < d; c++) {
                    double diff = xb.get(x0 + i * d + c) - pb.get(centres.offset() + k * d + c);
                    r2 += diff * diff;
                }
                a[k] = -r2 / 2 * Math.exp(-2 * pb.get(logWidth.offset() + k));
                max = Math.max(max, a[k]);
            }
            for (int k = 0; k < K; k++) sum += a[k] = Math.exp(a[k] - max);
            for (int k = 0; k < K; k++) hb.put(i * K + k, (float) (a[k] / sum));
        }
        return new RbfPass(x, h, t, readout.forward(h, t));
    }

    @Override public void backward(Pass pass, INDArray dz) {
        RbfPass p = (RbfPass) pass;
        INDArray dh = readout.backward(p.h, p.t, dz);
        int n = (int) p.x.rows();
        FloatBuffer xb = Rows.buffer(p.x), hb = Rows.buffer(p.h), db = Rows.buffer(dh);
        FloatBuffer pb = params.valueBuffer(), gb = params.gradBuffer();
        int x0 = Rows.offset(p.x), c0 = centres.offset(), s0 = logWidth.offset();
        for (int i = 0; i < n; i++) {
            // softmax backward: da_k = h_k (dh_k - sum_j h_j dh_j)
            double dot = 0;
            for (int k = 0; k < K; k++) dot += hb.get(i * K + k) * db.get(i * K + k);
            for (int k = 0; k < K; k++) {
                double da = hb.get(i * K + k) * (db.get(i * K + k) - dot);
                double inv = Math.exp(-2 * pb.get(s0 + k)), r2 = 0;
                for (int c = 0; c < d; c++) {
                    double diff = xb.get(x0 + i * d + c) - pb.get(c0 + k * d + c);
                    r2 += diff * diff;
                    gb.put(c0 + k * d + c, (float) (gb.get(c0 + k * d + c) + da * diff * inv)); // da/dc = (x - c) / s^2
                }
                gb.put(s0 + k, (float) (gb.get(s0 + k) + da * r2 * inv));                         // da/dlog s = r^2 / s^2
            }
        }
    }
}
