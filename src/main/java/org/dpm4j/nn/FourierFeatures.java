package org.dpm4j.nn;

import java.util.random.RandomGenerator;
import org.dpm4j.util.Check;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Random Fourier features in front of a network (Tancik et al. 2020): the input x becomes
 * [x, sin(2 pi x B), cos(2 pi x B)] with a fixed B [d, m] of N(0, scale^2) entries (cycles per unit of x), and the
 * inner network sees 2m + d inputs. A tanh MLP on raw 2-D coordinates learns fine detail slowly; the Swiss roll's
 * low-noise steps need the curve located to a fraction of sigma_t (~0.003 at t = 2), detail these features supply.
 * B is drawn from the seeded generator at construction and is not trained, so it is not among the parameters.
 * sin and cos come from {@link FloatKernels#sinCos2Pi} (absolute error below 2e-9, SIMD code) into scratch arrays the
 * instance reuses: like the layers (whose {@link Gemm} buffers are reused), a network serves one thread.
 */
public final class FourierFeatures implements Network {
    private final Network inner;
    private final float[] b; // [d, m] row-major
    private final double[][] bRows; // the same, a double[m] per input dimension
    private final int d, m;
    private final double scale;
    // scratch for x B (cycles), its reduction, and sin, cos [n, m]; reused from call to call
    private double[] cycles = new double[0], scratch = new double[0];
    private float[] sin = new float[0], cos = new float[0];

    /** Wraps {@code inner}, whose input size must be 2 m + d. */
    public FourierFeatures(int d, int m, double scale, Network inner, RandomGenerator rng) {
        if (rng == null) throw Check.bad("rng", null, "a seeded generator (e.g. new SplittableRandom(seed)): every draw is seeded");
        this.d = Check.positive("d", d);
        this.m = Check.positive("m", m);
        this.scale = Check.positive("scale", scale);
        if (inner.inputSize() != 2 * m + d) throw Check.bad("inner.inputSize", inner.inputSize(), (2 * m + d) + " (2m + d)");
        this.inner = inner;
        this.b = new float[d * m];
        for (int i = 0; i < b.length; i++) b[i] = (float) (scale * rng.nextGaussian());
        this.bRows = new double[d][m];
        for (int c = 0; c < d; c++) for (int j = 0; j < m; j++) bRows[c][j] = b[c * m + j];
    }

    /** The number of frequencies m and their scale (cycles per unit). */
    public int frequencies() { return m; }

    public double scale() { return scale; }

    /** A copy of the fixed frequencies B, row-major [d, m], cycles per unit of x. */
    public float[] frequencyMatrix() { return b.clone(); }

    public Network inner() { return inner; }

    @Override public int inputSize() { return d; }
    @Override public int outputSize() { return inner.outputSize(); }
    @Override public int T() { return inner.T(); }
    @Override public Params params() { return inner.params(); }

    /** The feature rows [N, 2m + d] for x [N, d]. */
    public INDArray features(INDArray x) {
        if (x.columns() != d) throw Check.bad("x.columns", x.columns(), d + " (the network's input size)");
        return FloatMatrices.matrix(features(FloatMatrices.floats(x)), (int) x.rows(), 2 * m + d);
    }

    private float[] features(float[] xv) {
        int n = xv.length / d, w = 2 * m + d;
        angles(xv);
        float[] f = new float[n * w];
        for (int i = 0; i < n; i++) {
            System.arraycopy(xv, i * d, f, i * w, d);
            System.arraycopy(sin, i * m, f, i * w + d, m);
            System.arraycopy(cos, i * m, f, i * w + d + m, m);
        }
        return f;
    }

    /** Fills {@link #sin} and {@link #cos} with sin and cos of a = 2 pi x B, row-major [n, m]. */
    private void angles(float[] xv) {
        int n = xv.length / d, size = n * m;
        if (cycles.length < size) {
            cycles = new double[size];
            scratch = new double[size];
            sin = new float[size];
            cos = new float[size];
        }
        double[] row = new double[m];
        for (int i = 0; i < n; i++) {   // x B in cycles, a row at a time so that the inner loop's arrays are indexed alike
            java.util.Arrays.fill(row, 0);
            for (int c = 0; c < d; c++) {
                double xc = xv[i * d + c];
                double[] bc = bRows[c];
                for (int j = 0; j < m; j++) row[j] += xc * bc[j];
            }
            System.arraycopy(row, 0, cycles, i * m, m);
        }
        FloatKernels.sinCos2Pi(cycles, scratch, sin, cos, size);
    }

    /** The inner network's pass with the input kept, for the input gradient. */
    private record FeaturePass(Pass inner, float[] x) implements Pass {
        @Override public INDArray output() { return inner.output(); }
        @Override public float[] values() { return inner.values(); }
    }

    @Override public Pass forward(INDArray x, int[] t) {
        if (x.columns() != d) throw Check.bad("x.columns", x.columns(), d + " (the network's input size)");
        return forward(FloatMatrices.floats(x), t);
    }

    @Override public Pass forward(float[] x, int[] t) {
        if (x.length != (long) t.length * d) throw Check.bad("x.length", x.length, t.length + " rows of " + d + " (the network's input size)");
        return new FeaturePass(inner.forward(features(x), t), x);
    }

    @Override public void backward(Pass pass, INDArray dz) { backward(pass, dz, false); }

    @Override public INDArray backward(Pass pass, INDArray dz, boolean inputGradient) {
        float[] dx = backward(pass, FloatMatrices.floats(dz), inputGradient);
        return dx == null ? null : FloatMatrices.matrix(dx, dx.length / d, d);
    }

    /** With {@code inputGradient}: d sin(a)/dx_c = cos(a) 2 pi B_cj and d cos(a)/dx_c = -sin(a) 2 pi B_cj, a = 2 pi x B_j. */
    @Override public float[] backward(Pass pass, float[] dz, boolean inputGradient) {
        FeaturePass p = (FeaturePass) pass;
        float[] g = inner.backward(p.inner(), dz, inputGradient);
        if (!inputGradient) return null;
        int n = p.x().length / d, w = 2 * m + d;
        angles(p.x());
        float[] dx = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double da = g[i * w + d + j] * cos[i * m + j] - g[i * w + d + m + j] * sin[i * m + j];
                for (int c = 0; c < d; c++) dx[i * d + c] += (float) (da * 2 * Math.PI * b[c * m + j]);
            }
            for (int c = 0; c < d; c++) dx[i * d + c] += g[i * w + c];
        }
        return dx;
    }
}
