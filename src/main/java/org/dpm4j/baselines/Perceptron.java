package org.dpm4j.baselines;

import org.dpm4j.nn.Activation;
import org.dpm4j.nn.Dense;
import org.dpm4j.nn.Params;
import org.dpm4j.nn.PerStepReadout;
import org.dpm4j.util.Check;

/**
 * A plain multilayer perceptron z = W_out h_L + b_out, h_l = f(W_l h_{l-1} + b_l), with no time input, declared in a
 * {@link Params} it shares with other networks: a VAE's encoder and decoder live in one flat parameter vector, which
 * is what the training loop's {@link org.dpm4j.train.Objective} wants. Built from the library's layers with their
 * hand-derived gradients ({@link Dense}, and a {@link PerStepReadout} with a single step as the affine output layer,
 * which starts at zero). With no hidden layers it is affine, z = W x + b (the linear-Gaussian VAE of the tests).
 */
final class Perceptron {
    private final Dense[] layers;
    private final PerStepReadout out;
    private final int in;

    /** Declares the layers' slots in {@code params} (allocate them afterwards). */
    Perceptron(Params params, String name, int in, int[] hidden, int out, Activation activation) {
        Check.positive(name + ".in", in);
        Check.positive(name + ".out", out);
        if (hidden == null) throw Check.bad(name + ".hidden", null, "hidden widths (empty for an affine map)");
        this.in = in;
        layers = new Dense[hidden.length];
        int width = in;
        for (int i = 0; i < hidden.length; i++) {
            layers[i] = new Dense(params, name + ".hidden" + i, width, Check.positive(name + ".hidden[" + i + "]", hidden[i]), activation);
            width = hidden[i];
        }
        this.out = new PerStepReadout(params, name + ".out", width, out, 1);
    }

    int in() { return in; }

    int out() { return out.out(); }

    /** The activations of a forward pass over n rows; {@code a[0]} is the input, the last entry the output z. */
    float[][] forward(float[] x, int n) {
        if (x.length != n * in) throw Check.bad("x.length", x.length, n + " rows of " + in);
        float[][] a = new float[layers.length + 2][];
        a[0] = x;
        for (int i = 0; i < layers.length; i++) a[i + 1] = layers[i].forward(a[i], n);
        a[layers.length + 1] = out.forward(a[layers.length], ones(n));
        return a;
    }

    /** The output of {@link #forward}. */
    static float[] output(float[][] a) { return a[a.length - 1]; }

    /**
     * Adds the parameter gradients for dL/dz (row-major [n, out]) and returns dL/dx [n, in] when asked (else null).
     */
    float[] backward(float[][] a, float[] dz, int n, boolean inputGradient) {
        float[] d = out.backward(a[layers.length], ones(n), dz);
        if (layers.length == 0) return inputGradient ? d : null;
        for (int i = layers.length - 1; i >= 0; i--) d = layers[i].backward(a[i], a[i + 1], d, n, i > 0 || inputGradient);
        return d;
    }

    private static int[] ones(int n) {
        int[] t = new int[n];
        java.util.Arrays.fill(t, 1);
        return t;
    }
}
