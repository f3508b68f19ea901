package org.dpm4j.experiments;

import java.util.SplittableRandom;
import org.dpm4j.baselines.FillIn;
import org.dpm4j.baselines.StackedDenoisingAutoencoder;
import org.dpm4j.data.Heartbeat;
import org.dpm4j.nn.NetworkBinomialKernel;
import org.dpm4j.results.Run;
import org.dpm4j.results.RunClock;
import org.dpm4j.sampling.AncestralSampler;
import org.dpm4j.sampling.Inpainting;
import org.dpm4j.train.TrainConfig;
import org.dpm4j.util.Check;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The denoising-autoencoder baseline (Vincent et al. 2008; issue 19) as a fill-in-the-blanks model on the heartbeat
 * experiment's held-out sequences: a stack trained layer-wise with masking noise, then a contiguous block of bins of
 * each held-out sequence hidden and filled in by the bottom layer's reconstruction; scored by the log-likelihood the
 * true hidden bits get ({@link FillIn}, bits per sequence, 0 is perfect). {@link #diffusionFillIn} scores the
 * diffusion model's inpainting (Sec. 2.5) on the same masks from its draws, for the comparison in notebook 09.
 */
public final class DaeExperiment {
    /** The metric name: log-likelihood of the true missing bits. */
    public static final String FILL_IN = "fill-in log-likelihood";
    /** The metric name: share of sequences whose hidden bins, rounded, are all right. */
    public static final String EXACT_FILL_IN = "exact fill-ins";

    /**
     * Every setting of a run, by name (see {@link Settings}).
     *
     * @param hidden       hidden sigmoid units of each layer, bottom first
     * @param nu           the masking noise's destruction rate
     * @param steps        training steps per layer
     * @param batch        sequences per minibatch
     * @param learningRate Adam's rate (constant)
     * @param missing      hidden bins per held-out sequence (one contiguous block at a uniform offset)
     * @param fillExamples held-out sequences filled in (the first ones)
     * @param draws        inpainting draws per sequence when the diffusion model fills in the same masks
     */
    public record Config(int[] hidden, double nu, int steps, int batch, double learningRate, int missing, int fillExamples, int draws) {
        public Config {
            if (hidden == null || hidden.length == 0) throw Check.bad("hidden", hidden, "at least one hidden width");
            hidden = hidden.clone();
            if (!(nu >= 0 && nu < 1)) throw Check.bad("nu", nu, "a destruction rate in [0, 1)");
            Check.inRange("steps", steps, 0, Integer.MAX_VALUE);
            Check.positive("batch", batch);
            Check.positive("learningRate", learningRate);
            Check.inRange("missing", missing, 1, Heartbeat.LENGTH);
            Check.positive("fillExamples", fillExamples);
            Check.positive("draws", draws);
        }

        @Override public int[] hidden() { return hidden.clone(); }

        /** quick: two layers (64, 32), 1500 steps each; standard: 5000 steps each, more sequences and draws. */
        public static Config of(Profile profile) {
            Config quick = Settings.build(Config.class, "hidden", new int[] {64, 32}, "nu", 0.5, "steps", 1500, "batch", 32,
                    "learningRate", 1e-2, "missing", 10, "fillExamples", 100, "draws", 20);
            return switch (profile) {
                case QUICK -> quick;
                case STANDARD -> Settings.change(quick, "steps", 5000, "fillExamples", 500, "draws", 50);
                case PAPER -> Settings.change(quick, "steps", 20_000, "fillExamples", 2000, "draws", 100);
            };
        }
    }

    private DaeExperiment() {}

    /** The registered experiment ({@link Experiments}): {@code Main run dae}. */
    public static final Experiment<Config> EXPERIMENT = Experiment.of("dae",
            "stacked denoising autoencoder, fill-in of hidden heartbeat bins (inpainting baseline)", Config.class, Config::of, DaeExperiment::run);

    /** The heartbeat experiment's data for this profile and root seed. */
    public static HeartbeatExperiment.Data data(Profile profile, long seed) {
        return HeartbeatExperiment.data(HeartbeatExperiment.Config.of(profile), seed);
    }

    /** The first fillExamples held-out sequences, row-major [m, 20]. */
    public static double[] fillSequences(Config c, HeartbeatExperiment.Data data) {
        int m = Math.min(c.fillExamples(), (int) data.heldOut().rows());
        return java.util.Arrays.copyOf(data.heldOut().dup('c').data().asDouble(), m * Heartbeat.LENGTH);
    }

    /** The known-bin masks of the fill-in sequences (1 known, 0 hidden), from the run's "masks" stream. */
    public static double[] masks(Config c, HeartbeatExperiment.Data data, long seed) {
        int m = fillSequences(c, data).length / Heartbeat.LENGTH;
        return FillIn.blockMask(m, Heartbeat.LENGTH, c.missing(), new SplittableRandom(new Seeds(seed).of("masks")));
    }

    /** Trains the stack layer-wise by the one loop on the training sequences (each layer's reconstruction evaluated 10 times). */
    public static StackedDenoisingAutoencoder train(Config c, HeartbeatExperiment.Data data, long seed) {
        TrainConfig t = TrainConfig.of(new Seeds(seed).training(), c.steps()).withBatch(c.batch()).withLearningRate(c.learningRate())
                .withEvaluation(Math.max(1, c.steps() / 10), 256);
        return StackedDenoisingAutoencoder.train(data.train(), data.heldOut(), c.hidden(), c.nu(), t, new Seeds(seed).model());
    }

    /** The DAE's fill-in score on the masks, bits per sequence (on the hidden bins). */
    public static FillIn.Score fillIn(StackedDenoisingAutoencoder dae, double[] sequences, double[] known) {
        return FillIn.perExampleBits(dae.fillIn(sequences, known), sequences, known, Heartbeat.LENGTH);
    }

    /**
     * The diffusion model's fill-in on the same masks: {@code draws} inpainting samples per sequence (Sec. 2.5: the
     * known bins clamped at every step), the share of draws with a 1 as each hidden bin's probability (with the
     * Krichevsky-Trofimov 1/2), scored as the DAE's. Returns the score and the draws [m * draws, 20].
     */
    public static FillIn.Score diffusionFillIn(Config c, HeartbeatExperiment.Config hc, NetworkBinomialKernel kernel, double[] sequences,
                                               double[] known, long seed) {
        return FillIn.perExampleBits(FillIn.fromDraws(diffusionDraws(c, hc, kernel, sequences, known, seed), c.draws(), Heartbeat.LENGTH),
                sequences, known, Heartbeat.LENGTH);
    }

    /** The inpainting draws behind {@link #diffusionFillIn}, row-major [m * draws, 20] (draw j of sequence i in row i * draws + j). */
    public static double[] diffusionDraws(Config c, HeartbeatExperiment.Config hc, NetworkBinomialKernel kernel, double[] sequences,
                                          double[] known, long seed) {
        int d = Heartbeat.LENGTH, m = sequences.length / d, r = c.draws();
        double[] kn = new double[m * r * d], val = new double[m * r * d];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < r; j++) {
                System.arraycopy(known, i * d, kn, (i * r + j) * d, d);
                System.arraycopy(sequences, i * d, val, (i * r + j) * d, d);
            }
        }
        INDArray k = Nd4j.create(kn, new long[] {(long) m * r, d}, 'c'), v = Nd4j.create(val, new long[] {(long) m * r, d}, 'c');
        return AncestralSampler.binomial(HeartbeatExperiment.diffusion(hc), kernel, m * r, d, new Seeds(seed).of("inpainting"), false,
                new Inpainting(k, v)).x0().dup('c').data().asDouble();
    }

    /** The run's rows: the fill-in's log-likelihood of the hidden bins (bits/seq) and the share of exact fill-ins. */
    public static Run row(Config c, Profile profile, long seed, double[] sequences, double[] known, double[] probabilityOfOne,
                          org.dpm4j.results.Elapsed elapsed) {
        FillIn.Score s = FillIn.perExampleBits(probabilityOfOne, sequences, known, Heartbeat.LENGTH);
        return Run.builder("dae", HeartbeatExperiment.DATASET, "dae").profile(profile.id()).seed(seed).configuration(c).elapsed(elapsed)
                .metric(FILL_IN, s.mean(), s.standardError(), HeartbeatExperiment.UNITS)
                .metric(EXACT_FILL_IN, FillIn.exactFraction(probabilityOfOne, sequences, known, Heartbeat.LENGTH), "fraction").build();
    }

    /** Train the stack, fill in the hidden bins of held-out sequences, return the row (bits/seq on the hidden bins). */
    public static Run run(Config c, Profile profile, long seed) {
        RunClock clock = RunClock.start();
        HeartbeatExperiment.Data data = data(profile, seed);
        StackedDenoisingAutoencoder dae = train(c, data, seed);
        double[] x = fillSequences(c, data);
        double[] known = masks(c, data, seed);
        return row(c, profile, seed, x, known, dae.fillIn(x, known), clock.elapsed());
    }
}
