package org.dpm4j.baselines;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.dpm4j.nn.Activation;
import org.dpm4j.nn.Dense;
import org.dpm4j.nn.Params;
import org.dpm4j.nn.PerStepReadout;
import org.dpm4j.train.Objective;
import org.dpm4j.train.TimeSampler;
import org.dpm4j.util.Check;

/**
 * One layer of a denoising autoencoder (Vincent et al. 2008) as an {@link Objective} of the one training loop:
 * corrupt x by {@link MaskingNoise} at rate nu, encode y = sigmoid(W x~ + b), decode z = sigmoid(W' y + b') (untied
 * weights, which the paper allows), and minimise the cross-entropy reconstruction error of the clean input,
 * L_H(x, z) = -sum_i [x_i log z_i + (1 - x_i) log(1 - z_i)] in nats per example (inputs in [0, 1]). The loop's "K" is
 * -L_H (ceiling 0). Gradients hand-derived through the layers ({@link Dense}; the decoder is an affine layer whose
 * logits feed the cross-entropy directly, dL/d logit = z - x).
 */
public final class DenoisingAutoencoder implements Objective {
    private final Params params = new Params();
    private final Dense encoder;
    private final PerStepReadout decoder;
    private final int d, hidden;
    private final double nu;

    /**
     * @param d      inputs per example (values in [0, 1])
     * @param hidden hidden sigmoid units (the features)
     * @param nu     the masking noise's destruction rate, in [0, 1)
     * @param rng    the initial weights' generator
     */
    public DenoisingAutoencoder(int d, int hidden, double nu, RandomGenerator rng) {
        this.d = Check.positive("d", d);
        this.hidden = Check.positive("hidden", hidden);
        if (!(nu >= 0 && nu < 1)) throw Check.bad("nu", nu, "a destruction rate in [0, 1)");
        if (rng == null) throw Check.bad("rng", null, "a seeded generator");
        this.nu = nu;
        this.encoder = new Dense(params, "encoder", d, hidden, Activation.SIGMOID);
        this.decoder = new PerStepReadout(params, "decoder", hidden, d, 1);
        params.allocate(rng);
    }

    public double nu() { return nu; }

    public int hidden() { return hidden; }

    public Params params() { return params; }

    @Override public int dimension() { return d; }
    @Override public float[] parameterValues() { return params.values(); }
    @Override public float[] parameterGradients() { return params.grads(); }
    @Override public void zeroGradients() { params.zeroGrad(); }
    @Override public String unit() { return "bits"; }

    @Override public String describe() {
        return "DenoisingAutoencoder(d=" + d + ", hidden=" + hidden + ", nu=" + nu + ", parameters=" + params.size() + ")";
    }

    /** L_H of the clean minibatch reconstructed from its masked copy (masks from rng), nats per example. */
    @Override public Value evaluate(double[] x0, TimeSampler sampler, RandomGenerator rng, boolean gradient) {
        checkRows(x0);
        return new Value(loss(x0, MaskingNoise.apply(x0, nu, rng), gradient), 0);
    }

    /** -L_H on x0 with masks from a generator seeded by {@code seed}, nats per example. */
    @Override public double evaluateNats(double[] x0, long seed) {
        checkRows(x0);
        return -loss(x0, MaskingNoise.apply(x0, nu, new SplittableRandom(seed)), false);
    }

    /** Mean over rows of L_H(clean, reconstruction of corrupted); with {@code gradient} adds its gradient. */
    double loss(double[] clean, double[] corrupted, boolean gradient) {
        int n = checkRows(clean);
        float[] h = encoder.forward(Vae.floats(corrupted), n);
        float[] a = decoder.forward(h, ones(n));
        double total = 0;
        float[] da = gradient ? new float[a.length] : null;
        for (int i = 0; i < a.length; i++) {
            double x = clean[i], ai = a[i];
            total += Vae.softplus(ai) - x * ai;   // -[x log sigmoid(a) + (1 - x) log(1 - sigmoid(a))]
            if (gradient) da[i] = (float) ((Vae.sigmoid(ai) - x) / n);
        }
        if (gradient) encoder.backward(Vae.floats(corrupted), h, decoder.backward(h, ones(n), da), n, false);
        return total / n;
    }

    /** The features y = sigmoid(W x + b) of (uncorrupted) inputs x [n, d]: [n, hidden], row-major. */
    public double[] encode(double[] x) {
        int n = checkRows(x);
        float[] h = encoder.forward(Vae.floats(x), n);
        double[] y = new double[h.length];
        for (int i = 0; i < h.length; i++) y[i] = h[i];
        return y;
    }

    /** The reconstruction z = sigmoid(W' y + b') of features y [n, hidden]: [n, d]. */
    public double[] decode(double[] y) {
        if (y == null || y.length == 0 || y.length % hidden != 0) throw Check.bad("y.length", y == null ? null : y.length, "a positive multiple of hidden = " + hidden);
        int n = y.length / hidden;
        float[] a = decoder.forward(Vae.floats(y), ones(n));
        double[] z = new double[a.length];
        for (int i = 0; i < a.length; i++) z[i] = Vae.sigmoid(a[i]);
        return z;
    }

    /** z = decode(encode(x)): each value's predicted probability of being 1 (for a masked x, the fill-in). */
    public double[] reconstruct(double[] x) { return decode(encode(x)); }

    private int checkRows(double[] x) {
        if (x == null || x.length == 0 || x.length % d != 0) throw Check.bad("x.length", x == null ? null : x.length, "a positive multiple of d = " + d);
        return x.length / d;
    }

    private static int[] ones(int n) {
        int[] t = new int[n];
        Arrays.fill(t, 1);
        return t;
    }
}
