package org.dpm4j.baselines;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.dpm4j.diffusion.GaussianKL;
import org.dpm4j.nn.Activation;
import org.dpm4j.nn.Params;
import org.dpm4j.train.Objective;
import org.dpm4j.train.TimeSampler;
import org.dpm4j.util.Check;

/**
 * A variational autoencoder (Kingma and Welling 2014) as an {@link Objective} of the one training loop. The encoder
 * q(z | x) = N(m(x), diag exp(s(x))) and the decoder p(x | z) are {@link Perceptron}s in one flat parameter vector;
 * the prior is p(z) = N(0, I). The decoder is a product of Bernoullis with logits a(z) for binary data, or a diagonal
 * Gaussian N(mu(z), diag(v_min + exp(l(z)))) with learned variance for continuous data; the floor v_min keeps a model
 * of noise-free data (the Swiss roll lies on a curve) from buying unbounded likelihood with vanishing variance, as the
 * diffusion model's first step beta_1 bounds its K.
 * <p>
 * The objective is the ELBO (Kingma and Welling Eq. 10), one reparameterised draw z = m + exp(s/2) eps per example:
 * ELBO(x) = log p(x | z) - KL(q(z | x) || N(0, I)), the KL in closed form through {@link GaussianKL} (the same formula
 * as every KL of Eq. 14). Loss = -ELBO in nats per example, ceiling 0, so the loop's "K" is the ELBO. Gradients are
 * hand-derived through the layers (the reparameterisation carries dL/dz into the encoder as dL/dm = dL/dz and
 * dL/ds = dL/dz eps exp(s/2) / 2).
 */
public final class Vae implements Objective {
    /** The decoder's distribution p(x | z). */
    public enum Decoder { BERNOULLI, GAUSSIAN }

    private static final double LOG_2PI = Math.log(2 * Math.PI);
    private static final int CHUNK_ROWS = 65_536;

    private final Params params = new Params();
    private final Perceptron encoder, decoder;
    private final int d, latent;
    private final Decoder kind;
    private final double minVariance;
    private final String unit;
    private final int valuesPerUnit;
    private final String description;

    /**
     * @param d             values per example
     * @param latent        latent dimensions
     * @param hidden        hidden widths of encoder and decoder alike (empty: affine maps)
     * @param activation    hidden units' nonlinearity
     * @param decoder       BERNOULLI for binary data, GAUSSIAN for continuous
     * @param minVariance   the Gaussian decoder's variance floor v_min (>= 0; ignored for BERNOULLI)
     * @param unit          the reporting unit's name, e.g. "bits/seq"
     * @param valuesPerUnit reporting units per example as {@link Objective#valuesPerUnit} counts them (1: per example)
     * @param rng           the initial weights' generator
     */
    public Vae(int d, int latent, int[] hidden, Activation activation, Decoder decoder, double minVariance, String unit,
               int valuesPerUnit, RandomGenerator rng) {
        this.d = Check.positive("d", d);
        this.latent = Check.positive("latent", latent);
        if (activation == null) throw Check.bad("activation", null, "SIGMOID, TANH or SOFTPLUS");
        if (decoder == null) throw Check.bad("decoder", null, "BERNOULLI or GAUSSIAN");
        if (!(minVariance >= 0) || Double.isInfinite(minVariance)) throw Check.bad("minVariance", minVariance, "a finite number >= 0");
        if (unit == null || unit.isBlank()) throw Check.bad("unit", unit, "a unit name such as bits/seq");
        if (rng == null) throw Check.bad("rng", null, "a seeded generator (e.g. new SplittableRandom(seed))");
        this.kind = decoder;
        this.minVariance = minVariance;
        this.unit = unit;
        this.valuesPerUnit = Check.positive("valuesPerUnit", valuesPerUnit);
        this.encoder = new Perceptron(params, "encoder", d, hidden, 2 * latent, activation);
        this.decoder = new Perceptron(params, "decoder", latent, hidden, decoder == Decoder.GAUSSIAN ? 2 * d : d, activation);
        params.allocate(rng);
        // The output layers start at zero elsewhere in the library (an untrained diffusion kernel is the forward one);
        // here that is the posterior-collapse saddle: with the decoder's weights at zero no gradient reaches the encoder
        // but the KL's, which holds q(z | x) at the prior, and z then carries nothing the decoder could learn from
        // (measured: a Swiss-roll run stayed at the N(0, I) fit, -4.09 bits, for 3000 steps). So they start at LeCun scale.
        for (Params.Slot slot : params.slots()) {
            if (slot.name.endsWith(".out.W")) {
                double scale = 1 / Math.sqrt(slot.shape[2]);
                for (int i = 0; i < slot.size; i++) params.values()[slot.offset + i] = (float) (scale * rng.nextGaussian());
            }
        }
        this.description = "Vae(d=" + d + ", latent=" + latent + ", hidden=" + Arrays.toString(hidden).replace(" ", "")
                + ", activation=" + activation + ", decoder=" + decoder + (decoder == Decoder.GAUSSIAN ? ", minVariance=" + minVariance : "")
                + ", parameters=" + params.size() + ")";
    }

    public int latent() { return latent; }

    public Decoder decoderKind() { return kind; }

    /** The parameters by name (encoder.hidden0.W, decoder.out.b, ...), for tests and inspection. */
    public Params params() { return params; }

    @Override public int dimension() { return d; }
    @Override public float[] parameterValues() { return params.values(); }
    @Override public float[] parameterGradients() { return params.grads(); }
    @Override public void zeroGradients() { params.zeroGrad(); }
    @Override public String describe() { return description; }
    @Override public String unit() { return unit; }
    @Override public int valuesPerUnit() { return valuesPerUnit; }

    /** -ELBO on the minibatch, one draw of eps per example from {@code rng} (the time sampler is not used: no t). */
    @Override public Value evaluate(double[] x0, TimeSampler sampler, RandomGenerator rng, boolean gradient) {
        int n = rows(x0);
        double[] eps = new double[n * latent];
        for (int i = 0; i < eps.length; i++) eps[i] = rng.nextGaussian();
        return new Value(loss(x0, eps, gradient), 0);
    }

    /** The ELBO (nats per example) on x0 with one draw per example from a generator seeded by {@code seed}. */
    @Override public double evaluateNats(double[] x0, long seed) { return elbo(x0, seed).meanNats(); }

    /** The ELBO per example, one reparameterised draw each (the k = 1 importance-weighted estimate), seeded. */
    public LogLikelihood elbo(double[] x0, long seed) { return importanceWeighted(x0, 1, seed); }

    /**
     * The mean over the minibatch of -ELBO(x) = -log p(x | z) + KL(q(z | x) || N(0, I)) with z = m + exp(s/2) eps for
     * the given eps [n, latent], nats per example; with {@code gradient} its gradient is added to the parameter gradients.
     */
    double loss(double[] x0, double[] eps, boolean gradient) {
        int n = rows(x0);
        if (eps.length != n * latent) throw Check.bad("eps.length", eps.length, n + " rows of " + latent);
        float[][] enc = encoder.forward(floats(x0), n);
        float[] ms = Perceptron.output(enc);
        float[] z = new float[n * latent];
        double kl = 0;
        double[] partials = new double[GaussianKL.PARTIALS];
        float[] dms = gradient ? new float[ms.length] : null;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < latent; j++) {
                double m = ms[i * 2 * latent + j], s = ms[i * 2 * latent + latent + j], v = Math.exp(s);
                z[i * latent + j] = (float) (m + Math.sqrt(v) * eps[i * latent + j]);
                kl += GaussianKL.nats(m, v, 0, 1, partials);
                if (gradient) {
                    dms[i * 2 * latent + j] = (float) (partials[GaussianKL.D_MEAN_Q] / n);
                    dms[i * 2 * latent + latent + j] = (float) (partials[GaussianKL.D_VARIANCE_Q] * v / n);   // d/ds = v d/dv
                }
            }
        }
        float[][] dec = decoder.forward(z, n);
        float[] out = Perceptron.output(dec);
        float[] dOut = gradient ? new float[out.length] : null;
        double logLikelihood = logLikelihood(x0, out, n, dOut, -1.0 / n);
        if (gradient) {
            float[] dz = decoder.backward(dec, dOut, n, true);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < latent; j++) {
                    double s = ms[i * 2 * latent + latent + j], g = dz[i * latent + j];
                    dms[i * 2 * latent + j] += (float) g;
                    dms[i * 2 * latent + latent + j] += (float) (g * eps[i * latent + j] * 0.5 * Math.exp(s / 2));
                }
            }
            encoder.backward(enc, dms, n, false);
        }
        return (kl - logLikelihood) / n;
    }

    /**
     * Sum over rows of log p(x_row | decoder output), nats; when {@code dOut} is not null writes scale * d/d(output)
     * into it. Row r of the outputs belongs to example r / (outputRows / examples) of x0 (k draws per example).
     */
    private double logLikelihood(double[] x0, float[] out, int outputRows, float[] dOut, double scale) {
        int per = outputRows / (x0.length / d);
        double total = 0;
        for (int r = 0; r < outputRows; r++) {
            int xi = (r / per) * d;
            if (kind == Decoder.BERNOULLI) {
                for (int j = 0; j < d; j++) {
                    double a = out[r * d + j], x = x0[xi + j];
                    total += x * a - softplus(a);   // log Bernoulli(x; sigmoid(a))
                    if (dOut != null) dOut[r * d + j] = (float) (scale * (x - sigmoid(a)));
                }
            } else {
                for (int j = 0; j < d; j++) {
                    double mu = out[r * 2 * d + j], e = Math.exp(out[r * 2 * d + d + j]), v = minVariance + e, x = x0[xi + j];
                    double r2 = (x - mu) * (x - mu);
                    total += -0.5 * (LOG_2PI + Math.log(v) + r2 / v);
                    if (dOut != null) {
                        dOut[r * 2 * d + j] = (float) (scale * (x - mu) / v);
                        dOut[r * 2 * d + d + j] = (float) (scale * 0.5 * (r2 / v - 1) / v * e);   // d/dl = e d/dv
                    }
                }
            }
        }
        return total;
    }

    /**
     * The importance-weighted log-likelihood estimate (Burda et al. 2016) with k draws z_j ~ q(z | x) per example:
     * log (1/k) sum_j p(x | z_j) p(z_j) / q(z_j | x), nats per example; forward passes only, seeded.
     */
    public LogLikelihood importanceWeighted(double[] x0, int k, long seed) {
        int n = rows(x0);
        Check.positive("k", k);
        SplittableRandom rng = new SplittableRandom(seed);
        int chunk = Math.max(1, CHUNK_ROWS / k);
        double[] logW = new double[n * k];
        for (int start = 0; start < n; start += chunk) {
            int m = Math.min(chunk, n - start);
            double[] x = Arrays.copyOfRange(x0, start * d, (start + m) * d);
            float[] ms = Perceptron.output(encoder.forward(floats(x), m));
            float[] z = new float[m * k * latent];
            double[] logPriorOverQ = new double[m * k];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < k; j++) {
                    int r = i * k + j;
                    double lw = 0;
                    for (int l = 0; l < latent; l++) {
                        double mean = ms[i * 2 * latent + l], s = ms[i * 2 * latent + latent + l], e = rng.nextGaussian();
                        double zz = mean + Math.exp(s / 2) * e;
                        z[r * latent + l] = (float) zz;
                        lw += -0.5 * zz * zz + 0.5 * (s + e * e);   // log N(z; 0, 1) - log N(z; m, exp s), the 2 pi cancels
                    }
                    logPriorOverQ[r] = lw;
                }
            }
            float[] out = Perceptron.output(decoder.forward(z, m * k));
            for (int r = 0; r < m * k; r++) {
                double[] one = Arrays.copyOfRange(x, (r / k) * d, (r / k + 1) * d);
                float[] o = Arrays.copyOfRange(out, r * decoder.out(), (r + 1) * decoder.out());
                logW[start * k + r] = logLikelihood(one, o, 1, null, 0) + logPriorOverQ[r];
            }
        }
        return LogLikelihood.fromLogWeights(logW, k);
    }

    /** The encoder's posterior means m(x) [n, latent] (row-major). */
    public double[] encodeMeans(double[] x0) {
        int n = rows(x0);
        float[] ms = Perceptron.output(encoder.forward(floats(x0), n));
        double[] m = new double[n * latent];
        for (int i = 0; i < n; i++) for (int j = 0; j < latent; j++) m[i * latent + j] = ms[i * 2 * latent + j];
        return m;
    }

    /** The decoder's mean E[x | z] for latents z [n, latent] (row-major): sigmoid(a(z)), or mu(z). */
    public double[] decodeMeans(double[] z) {
        if (z.length == 0 || z.length % latent != 0) throw Check.bad("z.length", z.length, "a positive multiple of latent = " + latent);
        int n = z.length / latent;
        float[] out = Perceptron.output(decoder.forward(floats(z), n));
        double[] x = new double[n * d];
        int width = decoder.out();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double o = out[i * width + j];
                x[i * d + j] = kind == Decoder.BERNOULLI ? sigmoid(o) : o;
            }
        }
        return x;
    }

    /** n draws x ~ p(x) = sum_z p(z) p(x | z): z ~ N(0, I), then x ~ p(x | z); row-major [n, d]. */
    public double[] sample(int n, RandomGenerator rng) {
        Check.positive("n", n);
        if (rng == null) throw Check.bad("rng", null, "a seeded generator");
        double[] z = new double[n * latent];
        for (int i = 0; i < z.length; i++) z[i] = rng.nextGaussian();
        float[] out = Perceptron.output(decoder.forward(floats(z), n));
        double[] x = new double[n * d];
        int width = decoder.out();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double o = out[i * width + j];
                x[i * d + j] = kind == Decoder.BERNOULLI ? (rng.nextDouble() < sigmoid(o) ? 1 : 0)
                        : o + Math.sqrt(minVariance + Math.exp(out[i * width + d + j])) * rng.nextGaussian();
            }
        }
        return x;
    }

    private int rows(double[] x0) {
        if (x0 == null || x0.length == 0 || x0.length % d != 0) throw Check.bad("x0.length", x0 == null ? null : x0.length, "a positive multiple of d = " + d);
        return x0.length / d;
    }

    static float[] floats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }

    static double sigmoid(double a) { return a >= 0 ? 1 / (1 + Math.exp(-a)) : Math.exp(a) / (1 + Math.exp(a)); }

    static double softplus(double a) { return Math.max(a, 0) + Math.log1p(Math.exp(-Math.abs(a))); }
}
