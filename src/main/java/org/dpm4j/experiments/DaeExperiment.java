package org.dpm4j.experiments;

import java.util.Map;
import java.util.SplittableRandom;
import org.dpm4j.baselines.FillIn;
import org.dpm4j.baselines.StackedDenoisingAutoencoder;
import org.dpm4j.data.Heartbeat;
import org.dpm4j.data.Mnist;
import org.dpm4j.nn.conv.ImageNetwork;
import org.dpm4j.nn.NetworkBinomialKernel;
import org.dpm4j.results.Run;
import org.dpm4j.results.RunClock;
import org.dpm4j.sampling.AncestralSampler;
import org.dpm4j.sampling.Inpainting;
import org.dpm4j.train.TrainConfig;
import org.dpm4j.util.Check;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The denoising-autoencoder baseline (Vincent et al. 2008; issue 19) as a fill-in-the-blanks model on the heartbeat
 * experiment's held-out sequences: a stack trained layer-wise with masking noise, then a contiguous block of bins of
 * each held-out sequence hidden and filled in by the bottom layer's reconstruction; scored by the log-likelihood the
 * true hidden bits get ({@link FillIn}, bits per sequence, 0 is perfect). {@link #diffusionFillIn} scores the
 * diffusion model's inpainting (Sec. 2.5) on the same masks from its draws, for the comparison in notebook 09.
 * <p>
 * MNIST ({@code --set dataset=mnist}): the stack learns from MnistExperiment's training digits (pixels in [0, 1]); a
 * centred square block of each of the first held-out digits is hidden and filled in by the DAE and by the inpainting of
 * MnistExperiment's diffusion model trained at the profile's settings, on the same masks. Both are scored by the
 * log-likelihood the true hidden pixels, thresholded at 1/2, get (bits per image, 0 is perfect) and by the mean squared
 * error of the grey values. And the lecture's use of pretraining: a Tribuo logistic regression ({@link SampleClassifier})
 * on the stack's top features against the same classifier on raw pixels, held-out accuracy of each.
 */
public final class DaeExperiment {
    /** The metric name: log-likelihood of the true missing bits. */
    public static final String FILL_IN = "fill-in log-likelihood";
    /** The metric name: share of sequences whose hidden bins, rounded, are all right. */
    public static final String EXACT_FILL_IN = "exact fill-ins";
    /** The metric name: mean squared error of the hidden grey values (MNIST). */
    public static final String FILL_IN_MSE = "fill-in MSE";
    /** The metric names of the classifier's held-out accuracy on raw pixels and on the stack's features (MNIST). */
    public static final String ACCURACY_RAW = "classifier accuracy, raw pixels", ACCURACY_DAE = "classifier accuracy, DAE features";
    /** MNIST fill-in scores: bits per image on the hidden pixels. */
    public static final String IMAGE_UNIT = "bits/image";

    /** Whose data. */
    public enum Dataset { HEARTBEAT, MNIST }

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
     * @param dataset      heartbeat, or mnist (then {@code missing} is the side of the centred square hidden in each digit)
     * @param classifierEpochs MNIST: epochs of the Tribuo classifiers
     * @param classifierTrain  MNIST: training digits the classifiers see (the first ones)
     */
    public record Config(int[] hidden, double nu, int steps, int batch, double learningRate, int missing, int fillExamples, int draws,
                         Dataset dataset, int classifierEpochs, int classifierTrain) {
        public Config {
            if (dataset == null) throw Check.bad("dataset", null, "heartbeat or mnist");
            if (hidden == null || hidden.length == 0) throw Check.bad("hidden", hidden, "at least one hidden width");
            hidden = hidden.clone();
            if (!(nu >= 0 && nu < 1)) throw Check.bad("nu", nu, "a destruction rate in [0, 1)");
            Check.inRange("steps", steps, 0, Integer.MAX_VALUE);
            Check.positive("batch", batch);
            Check.positive("learningRate", learningRate);
            Check.inRange("missing", missing, 1, dataset == Dataset.HEARTBEAT ? Heartbeat.LENGTH : Math.min(Mnist.SHAPE.height(), Mnist.SHAPE.width()));
            Check.positive("fillExamples", fillExamples);
            Check.positive("draws", draws);
            Check.positive("classifierEpochs", classifierEpochs);
            Check.positive("classifierTrain", classifierTrain);
        }

        @Override public int[] hidden() { return hidden.clone(); }

        /** quick: two layers (64, 32), 1500 steps each; standard: 5000 steps each, more sequences and draws. */
        public static Config of(Profile profile) {
            Config quick = Settings.build(Config.class, "hidden", new int[] {64, 32}, "nu", 0.5, "steps", 1500, "batch", 32,
                    "learningRate", 1e-2, "missing", 10, "fillExamples", 100, "draws", 20, "dataset", Dataset.HEARTBEAT,
                    "classifierEpochs", 2, "classifierTrain", 1000);
            return switch (profile) {
                case QUICK -> quick;
                case STANDARD -> Settings.change(quick, "steps", 5000, "fillExamples", 500, "draws", 50);
                case PAPER -> Settings.change(quick, "steps", 20_000, "fillExamples", 2000, "draws", 100);
            };
        }

        /**
         * The settings of a profile for a data set ({@link #of(Profile)} for the heartbeat). MNIST: masking noise at
         * nu = 0.5, a centred 12 x 12 block hidden (the middle of the digit, 144 of 784 pixels); quick: layers of 64 and
         * 32 units, 300 steps of 64 each, 16 digits filled in with 4 draws, classifiers on 1000 digits for 2 epochs;
         * standard: 256 and 128 units, 3000 steps each, 40 digits with 8 draws (an MNIST inpainting draw costs T = 1000
         * network passes), classifiers on all 7,337 training digits for 5 epochs.
         * <p>
         * Measured, standard settings, seed 1 (the diffusion model for the inpainting at quick settings): nu = 0.25 gave
         * a fill-in of -330.9 +- 19.4 bits/image (MSE 0.290) and feature accuracy 0.909; nu = 0.5 -260.5 +- 16.1 (MSE
         * 0.251) and 0.924 (raw pixels 0.895 in both). At quick settings nu = 0.25 and 0.5 fill in alike (-123.6 and
         * -123.2 bits/image on 50 digits, the pixels' marginal frequencies -135.8). The larger standard stack fills in
         * worse than the quick one: it reconstructs the zeroed block as confidently dark.
         */
        public static Config of(Profile profile, Dataset dataset) {
            if (dataset == null) throw Check.bad("dataset", null, "heartbeat or mnist");
            if (dataset == Dataset.HEARTBEAT) return of(profile);
            Config quick = Settings.change(of(Profile.QUICK), "dataset", Dataset.MNIST, "nu", 0.5, "steps", 300, "batch", 64,
                    "learningRate", 3e-3, "missing", 12, "fillExamples", 16, "draws", 4);
            return switch (profile) {
                case QUICK -> quick;
                case STANDARD -> Settings.change(quick, "hidden", new int[] {256, 128}, "steps", 3000, "fillExamples", 40, "draws", 8,
                        "classifierEpochs", 5, "classifierTrain", 60_000);
                case PAPER -> Settings.change(quick, "hidden", new int[] {500, 500}, "steps", 20_000, "fillExamples", 200, "draws", 20,
                        "classifierEpochs", 10, "classifierTrain", 60_000);
            };
        }
    }

    private DaeExperiment() {}

    /**
     * The registered experiment ({@link Experiments}): {@code Main run dae [--set dataset=mnist]}. A {@code dataset}
     * change picks that data set's settings ({@link Config#of(Profile, Dataset)}) before the other changes apply.
     */
    public static final Experiment<Config> EXPERIMENT = new Experiment<>() {
        @Override public String name() { return "dae"; }

        @Override public String title() {
            return "stacked denoising autoencoder: fill-in of hidden heartbeat bins or MNIST blocks against inpainting; MNIST features for a Tribuo classifier";
        }

        @Override public Class<Config> settingsType() { return Config.class; }

        @Override public Config settings(Profile profile) { return Config.of(profile); }

        @Override public Config settings(Profile profile, Map<String, String> changes) {
            String d = changes.get("dataset");
            Config base = d == null ? Config.of(profile) : Config.of(profile, Settings.with(Config.of(profile), "dataset", d).dataset());
            return Settings.with(base, changes);
        }

        @Override public Run run(Config c, Profile profile, long seed) { return DaeExperiment.run(c, profile, seed); }
    };

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

    // ---- MNIST: fill-in of a hidden block, and the stack's features for a classifier ----

    /** Training digits as pixels in [0, 1] (MnistExperiment's dequantised training images, clipped): the DAE's inputs. */
    public static INDArray trainPixels(MnistExperiment.Data d) { return MnistExperiment.toPixels(d, d.train()); }

    /** Trains the stack layer-wise by the one loop on the training digits (held-out digits evaluated 10 times per layer). */
    public static StackedDenoisingAutoencoder trainMnist(Config c, MnistExperiment.Data d, long seed) {
        TrainConfig t = TrainConfig.of(new Seeds(seed).training(), c.steps()).withBatch(c.batch()).withLearningRate(c.learningRate())
                .withEvaluation(Math.max(1, c.steps() / 10), 256);
        return StackedDenoisingAutoencoder.train(trainPixels(d), MnistExperiment.toPixels(d, d.heldOut()), c.hidden(), c.nu(), t,
                new Seeds(seed).model());
    }

    /** The first fillExamples held-out digits (exact 8-bit levels in [0, 1]), row-major [m, 784]. */
    public static double[] fillImages(Config c, MnistExperiment.Data d) {
        INDArray x = d.testPixels(Math.min(c.fillExamples(), (int) d.testPixels().rows()));
        return x.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').data().asDouble();
    }

    /** The known-pixel masks of the fill-in digits: a centred missing x missing block hidden in each. */
    public static double[] mnistMasks(Config c, double[] images) {
        return FillIn.centredBlockMask(images.length / Mnist.SHAPE.dimensions(), Mnist.SHAPE.height(), Mnist.SHAPE.width(), c.missing());
    }

    /**
     * The diffusion model's fill-in of the same masks: {@code draws} inpainting samples per digit (Sec. 2.5: the known
     * pixels, in z units, clamped at every step), back to pixels in [0, 1]; row-major [m * draws, 784], draw j of digit i
     * in row i * draws + j.
     */
    public static double[] mnistDiffusionDraws(Config c, MnistExperiment.Config mc, ImageNetwork network, MnistExperiment.Data d,
                                               double[] images, double[] known, long seed) {
        int dim = Mnist.SHAPE.dimensions(), m = images.length / dim, r = c.draws();
        double[] kn = new double[m * r * dim], val = new double[m * r * dim];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < r; j++) {
                System.arraycopy(known, i * dim, kn, (i * r + j) * dim, dim);
                System.arraycopy(images, i * dim, val, (i * r + j) * dim, dim);
            }
        }
        INDArray k = Nd4j.create(kn, new long[] {(long) m * r, dim}, 'c');
        INDArray v = d.set().scaling().toModel(Nd4j.create(val, new long[] {(long) m * r, dim}, 'c'));
        INDArray x0 = AncestralSampler.gaussian(MnistExperiment.diffusion(mc), network.kernel(), m * r, dim, new Seeds(seed).of("inpainting"),
                false, new Inpainting(k, v.castTo(k.dataType()))).x0();
        return MnistExperiment.toPixels(d, x0).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').data().asDouble();
    }

    /**
     * A digit fill-in's scores on the hidden pixels.
     *
     * @param score the log-likelihood the true hidden pixels, thresholded at 1/2, get (bits per image)
     * @param mse   mean squared error of the grey values over the hidden pixels (pixel value squared)
     */
    public record MnistFill(FillIn.Score score, double mse) {}

    /** The DAE's fill-in: its reconstruction is both each hidden pixel's probability of being on and its grey value. */
    public static MnistFill scoreDae(StackedDenoisingAutoencoder dae, double[] images, double[] known) {
        double[] p = dae.fillIn(images, known);
        return new MnistFill(FillIn.perExampleBits(p, FillIn.threshold(images), known, Mnist.SHAPE.dimensions()),
                FillIn.meanSquaredError(p, images, known));
    }

    /** The diffusion model's fill-in from its draws: the (Krichevsky-Trofimov) share of draws >= 1/2, and the draws' mean grey value. */
    public static MnistFill scoreDraws(Config c, double[] draws, double[] images, double[] known) {
        int dim = Mnist.SHAPE.dimensions();
        double[] p = FillIn.fromDraws(FillIn.threshold(draws), c.draws(), dim);
        return new MnistFill(FillIn.perExampleBits(p, FillIn.threshold(images), known, dim),
                FillIn.meanSquaredError(FillIn.meanOfDraws(draws, c.draws(), dim), images, known));
    }

    /** Held-out accuracy of the same Tribuo classifier on raw pixels and on the stack's top features. */
    public record Accuracy(double rawPixels, double daeFeatures, int trainImages, int testImages) {}

    /**
     * Tribuo's multinomial logistic regression ({@link SampleClassifier}) trained on the first classifierTrain training
     * digits, once on their pixels and once on the stack's top features (sigmoid units, in [0, 1] as pixels are), both
     * scored on MnistExperiment's labelled held-out digits; the same epochs and shuffling seed for both.
     */
    public static Accuracy classifierAccuracy(Config c, StackedDenoisingAutoencoder dae, MnistExperiment.Data d, long seed) {
        if (d.trainLabels().length == 0) throw Check.bad("data", d.set(), "labelled digits (the classifier needs labels)");
        int n = Math.min(c.classifierTrain(), d.trainLabels().length);
        INDArray train = trainPixels(d).get(NDArrayIndex.interval(0, n), NDArrayIndex.all()).dup();
        int[] labels = java.util.Arrays.copyOf(d.trainLabels(), n);
        INDArray test = d.testPixels();
        long s = new Seeds(seed).of("classifier");
        double raw = SampleClassifier.train(train, labels, c.classifierEpochs(), s).classify(test).accuracy(d.testLabels());
        INDArray ft = features(dae, train), fs = features(dae, test);
        double feat = SampleClassifier.train(ft, labels, c.classifierEpochs(), s).classify(fs).accuracy(d.testLabels());
        return new Accuracy(raw, feat, n, (int) test.rows());
    }

    /** The stack's top features of images [n, 784]: [n, hidden[last]]. */
    public static INDArray features(StackedDenoisingAutoencoder dae, INDArray images) {
        double[] y = dae.features(images.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').data().asDouble());
        return Nd4j.create(y, new long[] {images.rows(), y.length / images.rows()}, 'c');
    }

    /** The MNIST run's row: both fill-ins' scores (bits/image on the hidden pixels, MSE) and both classifiers' accuracy. */
    public static Run mnistRow(Config c, Profile profile, long seed, MnistExperiment.Config mc, MnistFill dae, MnistFill diffusion,
                               Accuracy accuracy, org.dpm4j.results.Elapsed elapsed) {
        int hidden = c.missing() * c.missing();
        return Run.builder("dae", MnistExperiment.datasetLabel(mc), "dae").profile(profile.id()).seed(seed).configuration(c)
                .configuration("diffusion", mc.describe()).elapsed(elapsed)
                .metric(FILL_IN, dae.score().mean(), dae.score().standardError(), IMAGE_UNIT)
                .metric(FILL_IN_MSE, dae.mse(), "pixel value^2")
                .metric("diffusion " + FILL_IN, diffusion.score().mean(), diffusion.score().standardError(), IMAGE_UNIT)
                .metric("diffusion " + FILL_IN_MSE, diffusion.mse(), "pixel value^2")
                .metric("diffusion fill-in floor (draws)", FillIn.floorBits(hidden, c.draws()), IMAGE_UNIT)
                .metric(ACCURACY_RAW, accuracy.rawPixels(), "fraction")
                .metric(ACCURACY_DAE, accuracy.daeFeatures(), "fraction")
                .build();
    }

    /** The MNIST stages on MnistExperiment's data under settings {@code mc} (the profile's for the command line). */
    public static Run runMnist(Config c, MnistExperiment.Config mc, Profile profile, long seed) {
        RunClock clock = RunClock.start();
        MnistExperiment.Data d = MnistExperiment.data(mc, seed);
        StackedDenoisingAutoencoder dae = trainMnist(c, d, seed);
        double[] images = fillImages(c, d), known = mnistMasks(c, images);
        ImageNetwork network = MnistExperiment.network(mc, seed);
        MnistExperiment.train(mc, network, d, seed);
        double[] draws = mnistDiffusionDraws(c, mc, network, d, images, known, seed);
        return mnistRow(c, profile, seed, mc, scoreDae(dae, images, known), scoreDraws(c, draws, images, known),
                classifierAccuracy(c, dae, d, seed), clock.elapsed());
    }

    /** Train the stack, fill in the hidden bins of held-out sequences, return the row (bits/seq on the hidden bins). */
    public static Run run(Config c, Profile profile, long seed) {
        if (c.dataset() == Dataset.MNIST) return runMnist(c, MnistExperiment.Config.of(profile), profile, seed);
        RunClock clock = RunClock.start();
        HeartbeatExperiment.Data data = data(profile, seed);
        StackedDenoisingAutoencoder dae = train(c, data, seed);
        double[] x = fillSequences(c, data);
        double[] known = masks(c, data, seed);
        return row(c, profile, seed, x, known, dae.fillIn(x, known), clock.elapsed());
    }
}
