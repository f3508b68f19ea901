package org.dpm4j.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.dpm4j.util.Check;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A multilayer perceptron with shared hidden layers and a time readout: the heartbeat model (20 -> 50 -> 50 -> 50,
 * sigmoid units, per-step readout) and the Swiss-roll MLP variant (2 -> 128 -> 128, softplus).
 */
public final class Mlp implements Network {
    /** Which time readout to put on top of the hidden layers. */
    public enum Readout { PER_STEP, BUMPS }

    private final Params params = new Params();
    private final List<Dense> layers = new ArrayList<>();
    private final TimeReadout readout;
    private final int in, out;

    /**
     * @param in      input size (the data dimension d)
     * @param hidden  hidden-layer widths, e.g. {50, 50, 50}
     * @param out     output size (2d for a Gaussian kernel, d for a binomial one)
     * @param readout per-step readout or J = 10 bump functions
     */
    public Mlp(int in, int[] hidden, int out, Activation activation, Readout readout, int T, RandomGenerator rng) {
        if (rng == null) throw Check.bad("rng", null, "a seeded generator (e.g. new SplittableRandom(seed)): every draw is seeded");
        Check.positive("in", in);
        Check.positive("out", out);
        Check.positive("T", T);
        if (hidden.length == 0) throw Check.bad("hidden", hidden, "at least one hidden layer");
        this.in = in;
        this.out = out;
        int width = in;
        for (int i = 0; i < hidden.length; i++) {
            layers.add(new Dense(params, "hidden" + i, width, Check.positive("hidden[" + i + "]", hidden[i]), activation));
            width = hidden[i];
        }
        this.readout = readout == Readout.PER_STEP
                ? new PerStepReadout(params, "readout", width, out, T)
                : new BumpReadout(params, "readout", width, out, T, 10);
        params.allocate(rng);
    }

    @Override public int inputSize() { return in; }
    @Override public int outputSize() { return out; }
    @Override public int T() { return readout.T(); }
    @Override public Params params() { return params; }

    private record MlpPass(float[][] activations, int[] t, float[] values, int out) implements Pass {
        @Override public INDArray output() { return FloatMatrices.matrix(values, t.length, out); }
    }

    @Override public Pass forward(INDArray x, int[] t) {
        if (x.columns() != in) throw Check.bad("x.columns", x.columns(), in + " (the network's input size)");
        return forward(FloatMatrices.floats(x), t);
    }

    @Override public Pass forward(float[] x, int[] t) {
        if (x.length != (long) t.length * in) throw Check.bad("x.length", x.length, t.length + " rows of " + in + " (the network's input size)");
        FloatMatrices.checkTimes(t, t.length, T());
        int n = t.length;
        float[][] a = new float[layers.size() + 1][];
        a[0] = x;
        for (int i = 0; i < layers.size(); i++) a[i + 1] = layers.get(i).forward(a[i], n);
        return new MlpPass(a, t, readout.forward(a[layers.size()], t), out);
    }

    @Override public void backward(Pass pass, INDArray dz) { backward(pass, dz, false); }

    @Override public INDArray backward(Pass pass, INDArray dz, boolean inputGradient) {
        float[] d = backward(pass, FloatMatrices.floats(dz), inputGradient);
        return d == null ? null : FloatMatrices.matrix(d, ((MlpPass) pass).t.length, in);
    }

    @Override public float[] backward(Pass pass, float[] dz, boolean inputGradient) {
        MlpPass p = (MlpPass) pass;
        int n = p.t.length;
        float[] d = readout.backward(p.activations[layers.size()], p.t, dz);
        for (int i = layers.size() - 1; i >= 0; i--) d = layers.get(i).backward(p.activations[i], p.activations[i + 1], d, n, i > 0 || inputGradient);
        return d;
    }
}
