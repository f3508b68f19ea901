package org.dpm4j.experiments;

import java.util.SplittableRandom;
import org.dpm4j.baselines.LogLikelihood;
import org.dpm4j.baselines.Vae;
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

/**
 * The variational-autoencoder baseline (Kingma and Welling 2014; issue 19) on the diffusion experiments' own data:
 * the same training and held-out sets ({@link SwissRollExperiment#data}, {@link HeartbeatExperiment#data} with the
 * profile's settings and the same root seed) and the same units (bits per 2-D point, bits per 20-bit sequence), so its
 * rows sit beside the diffusion rows in the run log. Reports the ELBO on every held-out example and the
 * importance-weighted log-likelihood (Burda et al. 2016) with k samples on the first iwExamples of them: the VAE's
 * counterparts of K (Eq. 14) and the Eq. 9 estimate.
 */
public final class VaeExperiment {
    /** The metric name of the importance-weighted log-likelihood. */
    public static final String IW = "IW log-likelihood";

    /** Which diffusion experiment's data and units. */
    public enum Dataset { SWISS_ROLL, HEARTBEAT }

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
     * @param samples      draws from the model for the figures
     */
    public record Config(Dataset dataset, int latent, int[] hidden, Activation activation, int steps, int batch, double learningRate,
                         double minVariance, int iwSamples, int iwExamples, int samples) {
        public Config {
            if (dataset == null) throw Check.bad("dataset", null, "swiss-roll or heartbeat");
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
                    "iwSamples", 100, "iwExamples", 500, "samples", 1000);
            return switch (profile) {
                case QUICK -> quick;
                case STANDARD -> Settings.change(quick, "hidden", new int[] {128, 128}, "steps", 20_000, "iwSamples", 1000, "iwExamples", 2000, "samples", 2000);
                case PAPER -> Settings.change(quick, "hidden", new int[] {256, 256}, "steps", 100_000, "batch", 128, "iwSamples", 5000, "iwExamples", 5000, "samples", 5000);
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
     */
    public record Data(INDArray train, INDArray heldOut, String experiment, String label, String unit) {
        public int dimension() { return (int) train.columns(); }

        public double[] heldOutValues() { return heldOut.dup('c').data().asDouble(); }
    }

    private VaeExperiment() {}

    /** The registered experiment ({@link Experiments}): {@code Main run vae --set dataset=heartbeat}. */
    public static final Experiment<Config> EXPERIMENT = Experiment.of("vae",
            "variational autoencoder baseline (ELBO, IW estimate) on the Swiss roll or heartbeat data", Config.class, Config::of, VaeExperiment::run);

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
        };
    }

    /** The untrained VAE: weights from the seed's model stream, output layers at zero (q(z | x) = p(z) at the start). */
    public static Vae model(Config c, Data data, long seed) {
        boolean binary = c.dataset() == Dataset.HEARTBEAT;
        return new Vae(data.dimension(), c.latent(), c.hidden(), c.activation(), binary ? Vae.Decoder.BERNOULLI : Vae.Decoder.GAUSSIAN,
                c.minVariance(), data.unit(), 1, new SplittableRandom(new Seeds(seed).model()));
    }

    /** Trains in place by the one loop: Adam, the rate decaying tenfold, the held-out ELBO evaluated 20 times on 500 examples. */
    public static TrainResult<Objective> train(Config c, Vae vae, Data data, long seed) {
        LearningRate lr = new LearningRate(c.learningRate(), Math.pow(0.1, 1.0 / 10), Math.max(1, c.steps() / 10), c.learningRate() / 10);
        TrainConfig t = TrainConfig.of(new Seeds(seed).training(), c.steps()).withBatch(c.batch()).withOptimizer(OptimizerKind.ADAM, lr)
                .withEvaluation(Math.max(1, c.steps() / 20), 500);
        return Trainer.train(vae, data.train(), data.heldOut(), t);
    }

    /** The held-out ELBO (all examples) and the IW estimate (the first iwExamples), both in nats per example. */
    public record Evaluation(LogLikelihood elbo, LogLikelihood iw) {
        public double elboBits() { return elbo.bits(1); }

        public double iwBits() { return iw.bits(1); }
    }

    /** ELBO and IW estimate on held-out data, seeded by the run's bound stream. */
    public static Evaluation evaluate(Config c, Vae vae, Data data, long seed) {
        double[] x = data.heldOutValues();
        int d = data.dimension(), m = Math.min(c.iwExamples(), x.length / d);
        LogLikelihood elbo = vae.elbo(x, new Seeds(seed).bound());
        LogLikelihood iw = vae.importanceWeighted(java.util.Arrays.copyOf(x, m * d), c.iwSamples(), new Seeds(seed).of("iw"));
        return new Evaluation(elbo, iw);
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

    /** The run's rows: ELBO and IW estimate in the data's unit, with standard errors (and for the bits, valid samples). */
    public static Run row(Config c, Profile profile, long seed, Data data, Evaluation e, INDArray samples, org.dpm4j.results.Elapsed elapsed) {
        Run.Builder b = Run.builder("vae", data.label(), "vae").profile(profile.id()).seed(seed).configuration(c).elapsed(elapsed)
                .metric(Metric.ELBO, e.elboBits(), e.elbo().standardErrorBits(1), data.unit())
                .metric(IW, e.iwBits(), e.iw().standardErrorBits(1), data.unit());
        if (c.dataset() == Dataset.HEARTBEAT) b.metric(Metric.VALID_SAMPLES, Heartbeat.fractionValid(samples), "fraction");
        return b.build();
    }

    /** Train, evaluate on held-out data, draw samples, return the rows. */
    public static Run run(Config c, Profile profile, long seed) {
        RunClock clock = RunClock.start();
        Data data = data(c, profile, seed);
        Vae vae = model(c, data, seed);
        train(c, vae, data, seed);
        Evaluation e = evaluate(c, vae, data, seed);
        INDArray s = samples(c, vae, seed);
        Check.allFinite("VAE samples", s.dup().data().asDouble());
        return row(c, profile, seed, data, e, s, clock.elapsed());
    }
}
