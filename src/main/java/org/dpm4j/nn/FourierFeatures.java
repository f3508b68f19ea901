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
 */
public final class FourierFeatures implements Network {
    private final Network inner;
    private final float[] b; // [d, m] row-major
    private final int d, m;
    private final double scale;

    /** Wraps {@code inner}, whose input size must be 2 m + d. */
    public FourierFeatures(int d, int m, double scale, Network inner, RandomGenerator rng) {
        this.d = Check.positive("d", d);
        this.m = Check.positive("m", m);
        this.scale = Check.positive("scale", scale);
        if (inner.inputSize() != 2 * m + d) throw Check.bad("inner.inputSize", inner.inputSize(), (2 * m + d) + " (2m + d)");
        this.inner = inner;
        this.b = new float[d * m];
        for (int i = 0; i < b.length; i++) b[i] = (float) (scale * rng.nextGaussian());
    }

    /** The number of frequencies m and their scale (cycles per unit). */
    public int frequencies() { return m; }

    public double scale() { return scale; }

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
        float[] f = new float[n * w];
        for (int i = 0; i < n; i++) {
            System.arraycopy(xv, i * d, f, i * w, d);
            for (int j = 0; j < m; j++) {
                double a = 0;
                for (int c = 0; c < d; c++) a += xv[i * d + c] * b[c * m + j];
                a *= 2 * Math.PI;
                f[i * w + d + j] = (float) Math.sin(a);
                f[i * w + d + m + j] = (float) Math.cos(a);
            }
        }
        return f;
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
        float[] dx = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double a = 0;
                for (int c = 0; c < d; c++) a += p.x()[i * d + c] * b[c * m + j];
                a *= 2 * Math.PI;
                double da = g[i * w + d + j] * Math.cos(a) - g[i * w + d + m + j] * Math.sin(a);
                for (int c = 0; c < d; c++) dx[i * d + c] += (float) (da * 2 * Math.PI * b[c * m + j]);
            }
            for (int c = 0; c < d; c++) dx[i * d + c] += g[i * w + c];
        }
        return dx;
    }
}
