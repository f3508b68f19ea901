package org.dpm4j.experiments;

import java.util.Map;
import java.util.SplittableRandom;
import org.dpm4j.baselines.LogLikelihood;
import org.dpm4j.baselines.Vae;
import org.dpm4j.bound.ParzenWindow;
import org.dpm4j.data.Heartbeat;
import org.dpm4j.nn.Activation;
import org.dpm4j.results.Metric;
import org.dpm4j.results.Run;
import org.dpm4j.results.RunClock;
import org.dpm4j.train.LearningRate;
import org.dpm4j.train.Objective;
import org.dpm4j.train.OptimizerKind;
import org.dpm4j.train.TrainConfig;
import org.dpm4j.train.TrainResult;
import org.dpm4j.train.Trainer;
import org.dpm4j.util.Check;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The variational-autoencoder baseline (Kingma and Welling 2014; issue 19) on the diffusion experiments' own data:
 * the same training and held-out sets ({@link SwissRollExperiment#data}, {@link HeartbeatExperiment#data} with the
 * profile's settings and the same root seed) and the same units (bits per 2-D point, bits per 20-bit sequence), so its
 * rows sit beside the diffusion rows in the run log. Reports the ELBO on every held-out example and the
 * importance-weighted log-likelihood (Burda et al. 2016) with k samples on the first iwExamples of them: the VAE's
 * counterparts of K (Eq. 14) and the Eq. 9 estimate.
 * <p>
 * MNIST ({@code --set dataset=mnist}) uses {@link MnistExperiment#data}'s splits for the profile and seed (the same
 * dequantised, z-scored training and held-out digits, the same validation and Parzen test images), reports ELBO and
 * IW in bits per pixel, and scores its samples by the same Parzen-window protocol and sample count as the diffusion
 * model ({@link MnistExperiment#parzen}, bits per image): the VAE's row of Table 2. With {@code binarise=true} the digits
 * are thresholded at 1/2 and the decoder is Bernoulli (the classic binarised-MNIST VAE); its bits per pixel are then on
 * other data than the diffusion model's and are labelled so.
 */
public final class VaeExperiment {
    /** The metric name of the importance-weighted log-likelihood. */
    public static final String IW = "IW log-likelihood";

    /** The metric name of the Parzen estimate on the decoder's means E[x | z] instead of draws x ~ p(x | z). */
    public static final String PARZEN_MEANS = "Parzen (decoder means)";

    /** Which diffusion experiment's data and units. */
    public enum Dataset { SWISS_ROLL, HEARTBEAT, MNIST }

    /**
     * Every setting of a run, by name (see {@link Settings}).
     *
     * @param dataset      whose data and units (the decoder follows: Gaussian for the roll, Bernoulli for the bits)
     * @param latent       latent dimensions (2: the decoded latent grid can be drawn)
     * @param hidden       hidden widths of encoder and decoder
     * @param activation   hidden units
     * @param steps        training steps
     * @param batch        examples per minibatch
     * @param learningRate Adam's rate at the first step, decayed tenfold over the run (as the Swiss-roll experiment's)
     * @param minVariance  the Gaussian decoder's variance floor; 1e-5 is the diffusion's beta_1, the noise its last
     *                     step keeps, so neither model can buy likelihood the other cannot (ignored for binary data)
     * @param iwSamples    k of the importance-weighted estimate
     * @param iwExamples   held-out examples for it (the first ones)
     * @param samples      draws from the model for the figures (MNIST: Parzen's centres, MnistExperiment's count)
     * @param binarise     MNIST only: threshold the digits at 1/2 and use a Bernoulli decoder (other data than the
     *                     diffusion model's; ignored for the other data sets)
     */
    public record Config(Dataset dataset, int latent, int[] hidden, Activation activation, int steps, int batch, double learningRate,
                         double minVariance, int iwSamples, int iwExamples, int samples, boolean binarise) {
        public Config {
            if (dataset == null) throw Check.bad("dataset", null, "swiss-roll, heartbeat or mnist");
            Check.positive("latent", latent);
            if (hidden == null || hidden.length == 0) throw Check.bad("hidden", hidden, "at least one hidden width");
            hidden = hidden.clone();
            if (activation == null) throw Check.bad("activation", null, "tanh, sigmoid or softplus");
            Check.inRange("steps", steps, 0, Integer.MAX_VALUE);
            Check.positive("batch", batch);
            Check.positive("learningRate", learningRate);
            if (!(minVariance >= 0) || Double.isInfinite(minVariance)) throw Check.bad("minVariance", minVariance, "a finite number >= 0");
            Check.positive("iwSamples", iwSamples);
            Check.positive("iwExamples", iwExamples);
            Check.positive("samples", samples);
        }

        @Override public int[] hidden() { return hidden.clone(); }

        /**
         * The settings of a profile (Swiss roll; {@code --set dataset=heartbeat} for the bits). quick: a 2-D latent,
         * 2 x 64 tanh units, 5000 steps of 256 (seconds); standard: 2 x 128 units and 20,000 steps, k = 1000.
         * Measured on the Swiss roll (quick data, seed 1, 10,000 steps at 1e-2, held-out ELBO in bits/point): batch 64
         * -3.38, batch 256 -3.20, 2 x 128 units -3.32, 3 x 32 units -3.35, softplus units -3.65; at 3000 steps of 64
         * and 3e-3, -3.67. The trained encoders use one latent direction (the roll's angle, roughly) and leave the
         * other at the prior, so the decoder's variance across the roll stays wide.
         */
        public static Config of(Profile profile) {
            Config quick = Settings.build(Config.class, "dataset", Dataset.SWISS_ROLL, "latent", 2, "hidden", new int[] {64, 64},
                    "activation", Activation.TANH, "steps", 5000, "batch", 256, "learningRate", 1e-2, "minVariance", 1e-5,
                    "iwSamples", 100, "iwExamples", 500, "samples", 1000, "binarise", false);
            return switch (profile) {
                case QUICK -> quick;
                case STANDARD -> Settings.change(quick, "hidden", new int[] {128, 128}, "steps", 20_000, "iwSamples", 1000, "iwExamples", 2000, "samples", 2000);
                case PAPER -> Settings.change(quick, "hidden", new int[] {256, 256}, "steps", 100_000, "batch", 128, "iwSamples", 5000, "iwExamples", 5000, "samples", 5000);
            };
        }

        /**
         * The settings of a profile for a data set: {@link #of(Profile)} for the roll and the heartbeat; for MNIST
         * sizes of their own, the Gaussian decoder's floor at the MNIST diffusion's beta_1 for the profile (its
         * first step's variance, which bounds its K as the floor bounds the VAE's likelihood), and MnistExperiment's
         * held-out count (IW on all of them) and sample count (Parzen's centres). quick: a 2-D latent (its decoded grid
         * can be drawn), one layer of 64 tanh units, 300 steps of 64; standard: a 16-D latent, one layer of 256 units,
         * 4000 steps of 128, k = 100.
         * <p>
         * Measured, MNIST, seed 1, bits/pixel on the 300 held-out digits ({@code Main run vae --profile standard --set
         * dataset=mnist}: 1061 s wall at a load of 15 to 25 on 2 cores, 167 s CPU): ELBO 1.202 +- 0.046, IW (k = 100)
         * 1.293 +- 0.040; Parzen (500 samples, 1,667 test digits, bits/image) on draws -153.7 +- 4.6, on decoder means
         * -65.6 +- 7.7. Quick (8 s wall): ELBO -0.397 +- 0.054, IW (k = 20) -0.389 +- 0.053; Parzen -289.9 +- 6.2 and
         * -76.2 +- 11.2.
         */
        public static Config of(Profile profile, Dataset dataset) {
            if (dataset == null) throw Check.bad("dataset", null, "swiss-roll, heartbeat or mnist");
            if (dataset != Dataset.MNIST) return of(profile).withDataset(dataset);
            MnistExperiment.Config m = MnistExperiment.Config.of(profile);
            Config quick = Settings.change(of(Profile.QUICK), "dataset", Dataset.MNIST, "latent", 2, "hidden", new int[] {64}, "steps", 300,
                    "batch", 64, "learningRate", 3e-3, "minVariance", MnistExperiment.schedule(m).beta(1), "iwSamples", 20,
                    "iwExamples", m.heldOut(), "samples", m.samples());
            return switch (profile) {
                case QUICK -> quick;
                case STANDARD -> Settings.change(quick, "latent", 16, "hidden", new int[] {256}, "steps", 4000, "batch", 128, "iwSamples", 100);
                case PAPER -> Settings.change(quick, "latent", 32, "hidden", new int[] {500, 500}, "steps", 100_000, "batch", 128, "iwSamples", 1000);
            };
        }

        public Config withDataset(Dataset d) { return Settings.change(this, "dataset", d); }
    }

    /**
     * The data of a run: the diffusion experiment's training and held-out sets for the profile and root seed.
     *
     * @param experiment the diffusion experiment whose data these are
     * @param label      the data set's name as the run log spells it
     * @param unit       the reporting unit, e.g. "bits/seq"
     * @param perUnit    values per reporting unit (1: per example; 784 for bits per pixel)
     * @param mnistConfig MnistExperiment's settings for the profile (null unless MNIST)
     * @param mnist      MnistExperiment's splits, for Parzen's validation and test images (null unless MNIST)
     */
    public record Data(INDArray train, INDArray heldOut, String experiment, String label, String unit, int perUnit,
                       MnistExperiment.Config mnistConfig, MnistExperiment.Data mnist) {
        public Data(INDArray train, INDArray heldOut, String experiment, String label, String unit) {
            this(train, heldOut, experiment, label, unit, 1, null, null);
        }

        public int dimension() { return (int) train.columns(); }

        public double[] heldOutValues() { return heldOut.dup('c').data().asDouble(); }
    }

    private VaeExperiment() {}

    /**
     * The registered experiment ({@link Experiments}): {@code Main run vae --set dataset=heartbeat}. A {@code dataset}
     * change picks that data set's settings ({@link Config#of(Profile, Dataset)}) before the other changes apply.
     */
    public static final Experiment<Config> EXPERIMENT = new Experiment<>() {
        @Override public String name() { return "vae"; }

        @Override public String title() {
            return "variational autoencoder baseline (ELBO, IW estimate; MNIST: Parzen, Table 2) on the Swiss roll, heartbeat or MNIST data";
        }

        @Override public Class<Config> settingsType() { return Config.class; }

        @Override public Config settings(Profile profile) { return Config.of(profile); }

        @Override public Config settings(Profile profile, Map<String, String> changes) {
            String d = changes.get("dataset");
            Config base = d == null ? Config.of(profile) : Config.of(profile, Settings.with(Config.of(profile), "dataset", d).dataset());
            return Settings.with(base, changes);
        }

        @Override public org.dpm4j.results.Run run(Config c, Profile profile, long seed) { return VaeExperiment.run(c, profile, seed); }
    };

    /** The diffusion experiment's data in this profile, from the same root seed (so the same held-out examples). */
    public static Data data(Config c, Profile profile, long seed) {
        return switch (c.dataset()) {
            case SWISS_ROLL -> {
                SwissRollExperiment.Data d = SwissRollExperiment.data(SwissRollExperiment.Config.of(profile), seed);
                yield new Data(d.train(), d.heldOut(), "swiss-roll", SwissRollExperiment.DATASET, SwissRollExperiment.UNITS);
            }
            case HEARTBEAT -> {
                HeartbeatExperiment.Data d = HeartbeatExperiment.data(HeartbeatExperiment.Config.of(profile), seed);
                yield new Data(d.train(), d.heldOut(), "heartbeat", HeartbeatExperiment.DATASET, HeartbeatExperiment.UNITS);
            }
            case MNIST -> mnistData(c, MnistExperiment.Config.of(profile), seed);
        };
    }

    /**
     * The VAE's data from MnistExperiment's splits under settings {@code mc} (for the profile: MnistExperiment's own;
     * Fashion-MNIST or a user's IDX files work the same way); z-scored and dequantised, or binarised.
     */
    public static Data mnistData(Config c, MnistExperiment.Config mc, long seed) {
        MnistExperiment.Data d = MnistExperiment.data(mc, seed);
        int pixels = (int) d.train().columns();
        if (!c.binarise()) return new Data(d.train(), d.heldOut(), "mnist", MnistExperiment.datasetLabel(mc), MnistExperiment.UNIT, pixels, mc, d);
        // Thresholded from the exact 8-bit levels (before dequantisation), the same images in the same order.
        INDArray train = d.set().scaling().toStored(d.set().train().get(NDArrayIndex.interval(0, d.train().rows()), NDArrayIndex.all()));
        INDArray held = d.set().scaling().toStored(d.set().test().get(NDArrayIndex.interval(0, d.heldOut().rows()), NDArrayIndex.all()));
        return new Data(binarised(train), binarised(held), "mnist", MnistExperiment.datasetLabel(mc) + " (binarised at 1/2)",
                MnistExperiment.UNIT, pixels, mc, d);
    }

    /** Pixel values in [0, 1] thresholded at 1/2: 1 where x >= 1/2, else 0. */
    public static INDArray binarised(INDArray pixels) {
        return pixels.gte(0.5).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
    }

    /** Whether the settings' data are binary (the heartbeat, binarised MNIST): a Bernoulli decoder. */
    public static boolean binary(Config c) {
        return c.dataset() == Dataset.HEARTBEAT || c.dataset() == Dataset.MNIST && c.binarise();
    }

    /** The untrained VAE: weights from the seed's model stream, output layers at zero (q(z | x) = p(z) at the start). */
    public static Vae model(Config c, Data data, long seed) {
        return new Vae(data.dimension(), c.latent(), c.hidden(), c.activation(), binary(c) ? Vae.Decoder.BERNOULLI : Vae.Decoder.GAUSSIAN,
                c.minVariance(), data.unit(), data.perUnit(), new SplittableRandom(new Seeds(seed).model()));
    }

    /** Trains in place by the one loop: Adam, the rate decaying tenfold, the held-out ELBO evaluated 20 times on 500 examples. */
    public static TrainResult<Objective> train(Config c, Vae vae, Data data, long seed) {
        LearningRate lr = new LearningRate(c.learningRate(), Math.pow(0.1, 1.0 / 10), Math.max(1, c.steps() / 10), c.learningRate() / 10);
        TrainConfig t = TrainConfig.of(new Seeds(seed).training(), c.steps()).withBatch(c.batch()).withOptimizer(OptimizerKind.ADAM, lr)
                .withEvaluation(Math.max(1, c.steps() / 20), 500);
        return Trainer.train(vae, data.train(), data.heldOut(), t);
    }

    /**
     * The held-out ELBO (all examples) and the IW estimate (the first iwExamples), both in nats per example; the bits
     * per reporting unit, an example holding {@code perUnit} values per unit (1, or 784 for bits per pixel).
     */
    public record Evaluation(LogLikelihood elbo, LogLikelihood iw, int perUnit) {
        public Evaluation {
            Check.positive("perUnit", perUnit);
        }

        public double elboBits() { return elbo.bits(perUnit); }

        public double elboStandardErrorBits() { return elbo.standardErrorBits(perUnit); }

        public double iwBits() { return iw.bits(perUnit); }

        public double iwStandardErrorBits() { return iw.standardErrorBits(perUnit); }
    }

    /** ELBO and IW estimate on held-out data, seeded by the run's bound stream. */
    public static Evaluation evaluate(Config c, Vae vae, Data data, long seed) {
        double[] x = data.heldOutValues();
        int d = data.dimension(), m = Math.min(c.iwExamples(), x.length / d);
        LogLikelihood elbo = vae.elbo(x, new Seeds(seed).bound());
        LogLikelihood iw = vae.importanceWeighted(java.util.Arrays.copyOf(x, m * d), c.iwSamples(), new Seeds(seed).of("iw"));
        return new Evaluation(elbo, iw, data.perUnit());
    }

    /** Draws from the trained model, [samples, d], seeded. */
    public static INDArray samples(Config c, Vae vae, long seed) {
        return Nd4j.create(vae.sample(c.samples(), new SplittableRandom(new Seeds(seed).samples())), new long[] {c.samples(), vae.dimension()}, 'c');
    }

    /** The decoder's means over a side x side grid of latents in [-lim, lim]^2 (2-D latents only), [side^2, d]. */
    public static INDArray latentGrid(Vae vae, int side, double lim) {
        if (vae.latent() != 2) throw Check.bad("latent", vae.latent(), "2 (a grid needs a 2-D latent)");
        double[] z = SwissRollExperiment.grid(side, lim).dup('c').data().asDouble();
        return Nd4j.create(vae.decodeMeans(z), new long[] {(long) side * side, vae.dimension()}, 'c');
    }

    /**
     * Model values back to pixels in [0, 1] (MNIST only): continuous values through MnistExperiment's scaling and
     * clipping (as its samples), binary ones as they are.
     */
    public static INDArray toPixels(Config c, Data data, INDArray x) {
        if (data.mnist() == null) throw Check.bad("data", data.label(), "MNIST data (pixels exist only for images)");
        return binary(c) ? x : MnistExperiment.toPixels(data.mnist(), x);
    }

    /** The decoder's means E[x | z] at z ~ N(0, I), [samples, d], from the samples stream's own split. */
    public static INDArray meanSamples(Config c, Vae vae, long seed) {
        SplittableRandom rng = new SplittableRandom(new Seeds(seed).of("mean samples"));
        double[] z = new double[c.samples() * vae.latent()];
        for (int i = 0; i < z.length; i++) z[i] = rng.nextGaussian();
        return Nd4j.create(vae.decodeMeans(z), new long[] {c.samples(), vae.dimension()}, 'c');
    }

    /**
     * Table 2's Parzen estimates of the VAE, bits per image (Goodfellow et al. 2014's protocol).
     *
     * @param draws the estimate with the model's draws x ~ p(x) as centres
     * @param means the estimate with the decoder's means E[x | z], z ~ N(0, I), as centres (what VAE papers usually
     *              hand to Parzen)
     */
    public record Parzen(ParzenWindow.Result draws, ParzenWindow.Result means) {}

    /**
     * Table 2's Parzen estimate of the VAE (MNIST only): {@link MnistExperiment#parzen}, the protocol and validation and
     * test digits the diffusion model's samples get, on the pixels of the draws and of the means (both in model values,
     * [samples, 784]); bits per image.
     */
    public static Parzen parzen(Config c, Data data, INDArray draws, INDArray means) {
        return new Parzen(MnistExperiment.parzen(data.mnistConfig(), data.mnist(), toPixels(c, data, draws)),
                MnistExperiment.parzen(data.mnistConfig(), data.mnist(), toPixels(c, data, means)));
    }

    /** The run's rows: ELBO and IW estimate in the data's unit, with standard errors (and for the bits, valid samples). */
    public static Run row(Config c, Profile profile, long seed, Data data, Evaluation e, INDArray samples, org.dpm4j.results.Elapsed elapsed) {
        return row(c, profile, seed, data, e, samples, null, elapsed);
    }

    /** The run's rows with, for MNIST, the Parzen estimates (bits per image) of {@link #parzen}. */
    public static Run row(Config c, Profile profile, long seed, Data data, Evaluation e, INDArray samples, Parzen parzen,
                          org.dpm4j.results.Elapsed elapsed) {
        Run.Builder b = Run.builder("vae", data.label(), "vae").profile(profile.id()).seed(seed).configuration(c).elapsed(elapsed)
                .metric(Metric.ELBO, e.elboBits(), e.elboStandardErrorBits(), data.unit())
                .metric(IW, e.iwBits(), e.iwStandardErrorBits(), data.unit());
        if (c.dataset() == Dataset.HEARTBEAT) b.metric(Metric.VALID_SAMPLES, Heartbeat.fractionValid(samples), "fraction");
        if (parzen != null) {
            b.metric(Metric.PARZEN, parzen.draws().meanBits(), parzen.draws().standardErrorBits(), MnistExperiment.PARZEN_UNIT)
                    .metric("Parzen sigma", parzen.draws().sigma(), "pixel value")
                    .metric(PARZEN_MEANS, parzen.means().meanBits(), parzen.means().standardErrorBits(), MnistExperiment.PARZEN_UNIT);
        }
        return b.build();
    }

    /** Train, evaluate on held-out data, draw samples, return the rows. */
    public static Run run(Config c, Profile profile, long seed) {
        RunClock clock = RunClock.start();
        return run(c, data(c, profile, seed), profile, seed, clock);
    }

    /** The same stages on given data (e.g. {@link #mnistData} under other MNIST settings). */
    public static Run run(Config c, Data data, Profile profile, long seed) { return run(c, data, profile, seed, RunClock.start()); }

    private static Run run(Config c, Data data, Profile profile, long seed, RunClock clock) {
        Vae vae = model(c, data, seed);
        train(c, vae, data, seed);
        Evaluation e = evaluate(c, vae, data, seed);
        INDArray s = samples(c, vae, seed);
        Check.allFinite("VAE samples", s.dup().data().asDouble());
        Parzen p = c.dataset() == Dataset.MNIST ? parzen(c, data, s, meanSamples(c, vae, seed)) : null;
        return row(c, profile, seed, data, e, s, p, clock.elapsed());
    }
}
