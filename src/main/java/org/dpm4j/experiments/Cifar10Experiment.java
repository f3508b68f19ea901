package org.dpm4j.experiments;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.dpm4j.bound.GaussianDensity;
import org.dpm4j.bound.HeldOutLikelihood;
import org.dpm4j.bound.Per;
import org.dpm4j.data.Cifar10;
import org.dpm4j.data.DataCache;
import org.dpm4j.data.DataSet;
import org.dpm4j.data.ImageGrid;
import org.dpm4j.data.ImageShape;
import org.dpm4j.data.Psnr;
import org.dpm4j.data.StandIns;
import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.kernel.GaussianParameterisation;
import org.dpm4j.nn.conv.ImageNetwork;
import org.dpm4j.nn.conv.ImageNetworkConfig;
import org.dpm4j.nn.conv.ImageNetworkObjective;
import org.dpm4j.notebook.Notebook;
import org.dpm4j.results.Elapsed;
import org.dpm4j.results.Metric;
import org.dpm4j.results.Run;
import org.dpm4j.results.RunClock;
import org.dpm4j.sampling.AncestralSampler;
import org.dpm4j.sampling.Denoising;
import org.dpm4j.sampling.Trajectory;
import org.dpm4j.sampling.WienerFilter;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.schedule.ScheduleSpec;
import org.dpm4j.train.Estimator;
import org.dpm4j.train.LearningRate;
import org.dpm4j.train.OptimizerKind;
import org.dpm4j.train.TrainConfig;
import org.dpm4j.train.TrainResult;
import org.dpm4j.util.Check;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * CIFAR-10 (Table 1's CIFAR-10 row, Figure 3): Gaussian diffusion with T = 1000 and the reference code's schedule on
 * 32 x 32 colour images z-scored by one scalar mean and standard deviation (as the reference code), dequantised by
 * uniform noise of the reference code's width; the paper's image network with both pathways in parallel (multi-scale
 * convolution and the dense tanh pathway, App. D), three colour channels; trained by ascent on K (Eq. 14) with the one
 * training loop. Measured on held-out images: K and K - L_null in bits per three-channel pixel (summed over the
 * channels, the paper's unit), the same as an upper bound on the 8-bit negative log-likelihood in bits/dim
 * ({@link org.dpm4j.data.Scaling#nllBitsPerDim}), Eq. 9 on a subset, the bound lost per step, and a full-covariance
 * Gaussian on the same values; and Figure 3's denoising: posterior samples p(x_0 | y) through the reverse process with
 * the Gaussian noise model multiplied into every step (Sec. 2.5, {@link Denoising}), scored by PSNR against the clean
 * images beside the noisy input's, the Gaussian (Wiener) posterior mean's ({@link WienerFilter}) and those of samples
 * that are exact for an exact model ({@link Denoising#posteriorFromDiffusedObservation}; Sec. 2.5's product is not).
 * <p>
 * Data. CIFAR-10 itself ({@code dataset=cifar10}, the binary batches read by {@link Cifar10}) where a user has it;
 * otherwise (the default, and the only choice on a machine without the internet) the labelled stand-in
 * {@link StandIns#photoPatches}: 32 x 32 colour patches of scikit-image's sample photographs. Every row, heading and
 * figure title of a stand-in run says so ({@link #datasetLabel}); its numbers are not CIFAR-10's.
 * <p>
 * Dequantisation: as in {@link MnistExperiment}, the training images get one seeded draw of the noise (the trainer has
 * no per-batch hook) and the held-out images another, shared by K, Eq. 9 and the Gaussian baseline.
 */
public final class Cifar10Experiment {
    /** Where the images come from. */
    public enum Source { STAND_IN, CIFAR10 }

    public static final String DATASET = "CIFAR-10";
    /** K, K - L_null, Eq. 9 and the baseline: bits per three-channel pixel, the paper's unit. */
    public static final String UNIT = "bits/pixel";
    public static final Per PER_PIXEL = Per.pixel(3);
    /** Metric names of the Gaussian baseline and of Figure 3's PSNRs (decibels, images in [0, 1]). */
    public static final String FULL_GAUSSIAN = "full-covariance Gaussian", NLL_8BIT = "NLL bound (8-bit)",
            PSNR_NOISY = "PSNR noisy input", PSNR_SAMPLE = "PSNR posterior sample", PSNR_MEAN = "PSNR posterior-sample mean",
            PSNR_WIENER = "PSNR Gaussian (Wiener) posterior mean", PSNR_EXACT_SAMPLE = "PSNR diffused-observation sample",
            PSNR_EXACT_MEAN = "PSNR diffused-observation sample mean", PSNR_ONE_PASS = "PSNR one-pass posterior mean";
    private static final int WARM_UP = 5;

    /**
     * Every setting of a run, by name (see {@link Settings}).
     *
     * @param dataset             stand_in (scikit-image photo patches, the default here) or cifar10 (the binary batches)
     * @param cifarDir            directory of the CIFAR-10 batch files ("" for the data cache's cifar-10/cifar-10-batches-bin)
     * @param size                image side of the stand-in patches, a multiple of 2^(scales-1); always 32 for cifar10
     * @param trainImages         training images (also the Gaussian baseline's and the Wiener filter's fit)
     * @param T                   diffusion steps (the paper: 1000)
     * @param schedule            the beta schedule by name (the reference code's: reference)
     * @param parameterisation    how the network's readout becomes p(x_{t-1} | x_t)
     * @param convLayers          multi-scale convolution layers (the reference CIFAR run: 6)
     * @param convChannels        channels of each convolution layer (the reference CIFAR run: 100)
     * @param scales              mean-pool factors 1, 2, ..., 2^(scales-1) in each layer
     * @param denseLayers         layers of the dense (tanh) pathway (the reference CIFAR run: 6, its n_layers_conv bug)
     * @param denseHidden         width of its hidden layers (the reference CIFAR run: 1000)
     * @param denseOutputChannels channels per pixel it hands to the upper layers (the reference CIFAR run: 5)
     * @param upperLayers         per-pixel upper layers (the reference CIFAR run: 4)
     * @param upperHidden         their width (the reference CIFAR run: 100)
     * @param temporalBasis       J bump functions of t (the reference: 10)
     * @param estimator           the time-step sampler
     * @param optimizer           adam or rmsprop
     * @param learningRate        the first step's rate
     * @param finalLearningRate   the last step's rate, reached by a geometric decay (ignored under referenceDecay)
     * @param referenceDecay      the reference code's rate: tenfold decay per 500k steps, floor 1e-4
     * @param steps               training steps (the reference CIFAR run: 1,700 x 500 = 850,000)
     * @param batch               images per minibatch (the reference CIFAR run: 200)
     * @param heldOut             held-out images for K and the baseline
     * @param eq9Images           held-out images for Eq. 9 (the first of the K set)
     * @param eq9Trajectories     forward trajectories per image for Eq. 9
     * @param validation          training images set aside (not trained on) to choose the Gaussian baseline's ridge
     * @param ridges              candidate ridges added to the Gaussian baseline's variances (z units squared); the one
     *                            whose fit scores the validation images best is used (by the baseline and the Wiener filter)
     * @param samples             unconditional samples (Figure 3d)
     * @param denoiseImages       held-out images denoised (Figure 3a-c)
     * @param denoiseSamples      posterior samples per noisy image (their mean is the PSNR's posterior-mean estimate)
     * @param noiseVariance       variance of the Gaussian noise added to the held-out images, z units (the paper: 1)
     * @param checkpointEvery     steps between checkpoints (0: none); a rerun resumes from the checkpoint
     * @param pieceHours          stop training after this many wall hours, checkpointed (0: train to the end)
     */
    public record Config(Source dataset, String cifarDir, int size, int trainImages, int T, ScheduleSpec schedule,
                         GaussianParameterisation parameterisation, int convLayers, int convChannels, int scales,
                         int denseLayers, int denseHidden, int denseOutputChannels, int upperLayers, int upperHidden,
                         int temporalBasis, Estimator estimator, OptimizerKind optimizer, double learningRate,
                         double finalLearningRate, boolean referenceDecay, int steps, int batch, int heldOut,
                         int eq9Images, int eq9Trajectories, int validation, double[] ridges, int samples, int denoiseImages,
                         int denoiseSamples, double noiseVariance, int checkpointEvery, double pieceHours) {
        public Config {
            if (dataset == null) throw Check.bad("dataset", null, "stand_in or cifar10");
            if (cifarDir == null) throw Check.bad("cifarDir", null, "a directory, or \"\" for the data cache's");
            if (dataset == Source.CIFAR10) size = Cifar10.SHAPE.height();   // size picks the stand-in's patches; CIFAR-10's are 32 x 32
            Check.inRange("size", size, 4, 1024);
            Check.inRange("trainImages", trainImages, 2, Integer.MAX_VALUE);
            Check.inRange("T", T, 2, 100_000);
            if (schedule == null) throw Check.bad("schedule", null, "a schedule by name, such as reference");
            schedule.build(T);
            if (parameterisation == null) throw Check.bad("parameterisation", null, "paper, reference, posterior_x0 or posterior_v");
            if (convLayers == 0 || denseLayers == 0) throw Check.bad("convLayers/denseLayers", convLayers + "/" + denseLayers,
                    "both > 0: the CIFAR-10 model has both pathways in parallel");
            // the network's own checks name the size that the pools do not divide, and every other size
            new ImageNetworkConfig(ImageShape.colour(size, size), convLayers, convChannels, scales, denseLayers, denseHidden,
                    denseOutputChannels, upperLayers, upperHidden, temporalBasis);
            if (estimator == null) throw Check.bad("estimator", null, "one_t_per_batch, sampled_t, stratified_t or all_t");
            if (optimizer == null) throw Check.bad("optimizer", null, "adam or rmsprop");
            Check.positive("learningRate", learningRate);
            if (!(finalLearningRate > 0 && finalLearningRate <= learningRate)) {
                throw Check.bad("finalLearningRate", finalLearningRate, "a number in (0, learningRate = " + learningRate + "]");
            }
            Check.inRange("steps", steps, 0, Integer.MAX_VALUE);
            Check.positive("batch", batch);
            Check.inRange("heldOut", heldOut, 2, Integer.MAX_VALUE);
            Check.inRange("eq9Images", eq9Images, 1, heldOut);
            Check.positive("eq9Trajectories", eq9Trajectories);
            Check.inRange("validation", validation, 2, trainImages - 2);
            if (ridges == null || ridges.length == 0) throw Check.bad("ridges", ridges, "at least one ridge >= 0");
            for (double r : ridges) if (!(r >= 0) || !Double.isFinite(r)) throw Check.bad("ridges", java.util.Arrays.toString(ridges), "finite ridges >= 0");
            ridges = ridges.clone();
            Check.positive("samples", samples);
            Check.inRange("denoiseImages", denoiseImages, 1, heldOut);
            Check.inRange("denoiseSamples", denoiseSamples, 1, 10_000);
            Check.positive("noiseVariance", noiseVariance);
            Check.inRange("checkpointEvery", checkpointEvery, 0, Integer.MAX_VALUE);
            if (!(pieceHours >= 0) || Double.isNaN(pieceHours)) throw Check.bad("pieceHours", pieceHours, "hours >= 0 (0: the whole run at once)");
            if (pieceHours > 0 && checkpointEvery == 0) throw Check.bad("pieceHours", pieceHours, "0 unless checkpointEvery > 0 (a piece resumes from the checkpoint)");
        }

        /**
         * The settings of a profile. Every profile: T = 1000 and the reference schedule, both pathways, J = 10.
         * <ul>
         *   <li>paper: the reference code's CIFAR-10 run: 6 convolution layers of 100 channels (here over 4 scales, the
         *   paper's multi-scale form; the reference's README runs use one), dense lower pathway 6 x 1000 with 5 channels
         *   per pixel, upper 4 x 100, batch 200, RMSprop with the reference decay, one t per minibatch, 850,000 steps,
         *   REFERENCE parameterisation; checkpointed every 1000 steps, estimated time printed first (measured here:
         *   14,052,180 parameters, 10.9 CPU s per step of 200 images, so 850,000 steps are about 2,600 CPU hours);</li>
         *   <li>standard (meant for at most 15 minutes on an idle 2-core machine): 32 x 32 x 3, 3 convolution layers of
         *   24 channels over 3 scales, dense 2 x 256 with 2 channels per pixel, upper 2 x 24 (1,348,436 parameters),
         *   3,500 steps of 32 images, Adam 2e-3 decaying to 2e-4, one t per image; K on 50 held-out images; Figure 3 on
         *   8 images with 8 posterior samples each. Steps chosen by measurement (seed 1, all 50 held-out images): 2,000
         *   steps gave K = -0.29 +- 0.16 bits/pixel and the one-pass posterior mean 20.22 +- 0.10 dB (noisy 13.36);
         *   3,500 gave K = 1.09 +- 0.15 and 21.00 +- 0.11 dB, at 0.10 CPU s per step (360 CPU s of training). The mean
         *   of k diffused-observation samples rose with k (on 6 images, 3,500 steps: 17.4, 18.8, 19.7, 20.4 dB at
         *   k = 1, 2, 4, 8), hence 8;</li>
         *   <li>quick (the notebook under two minutes): 16 x 16 x 3 patches, 2 layers of 8 channels, dense 2 x 64,
         *   120 steps, 16 held-out images (the whole notebook measured 100 s of CPU at load 8-20, 269 s wall).</li>
         * </ul>
         * The parameterisation of quick and standard is POSTERIOR_V, the best of the four on the convolutional dead-leaves
         * network at an equal short budget ({@link DeadLeavesExperiment#compareParameterisations}); not re-measured here.
         */
        public static Config of(Profile profile) {
            Config paper = Settings.build(Config.class,
                    "dataset", Source.STAND_IN, "cifarDir", "", "size", 32, "trainImages", 50_000, "T", 1000,
                    "schedule", ScheduleSpec.parse("reference"), "parameterisation", GaussianParameterisation.REFERENCE,
                    "convLayers", 6, "convChannels", 100, "scales", 4, "denseLayers", 6, "denseHidden", 1000,
                    "denseOutputChannels", 5, "upperLayers", 4, "upperHidden", 100, "temporalBasis", 10,
                    "estimator", Estimator.ONE_T_PER_BATCH, "optimizer", OptimizerKind.RMSPROP, "learningRate", 1e-3,
                    "finalLearningRate", 1e-4, "referenceDecay", true, "steps", 850_000, "batch", 200,
                    "heldOut", 1000, "eq9Images", 100, "eq9Trajectories", 20, "validation", 1000,
                    "ridges", new double[] {1e-3, 1e-2}, "samples", 36,
                    "denoiseImages", 16, "denoiseSamples", 16, "noiseVariance", 1.0, "checkpointEvery", 1000, "pieceHours", 0.0);
            Config standard = Settings.change(paper, "trainImages", 8000, "parameterisation", GaussianParameterisation.POSTERIOR_V,
                    "convLayers", 3, "convChannels", 24, "scales", 3, "denseLayers", 2, "denseHidden", 256,
                    "denseOutputChannels", 2, "upperLayers", 2, "upperHidden", 24, "estimator", Estimator.SAMPLED_T,
                    "optimizer", OptimizerKind.ADAM, "learningRate", 2e-3, "finalLearningRate", 2e-4, "referenceDecay", false,
                    "steps", 3500, "batch", 32, "heldOut", 50, "validation", 500, "eq9Images", 4, "eq9Trajectories", 4, "samples", 12,
                    "denoiseImages", 8, "denoiseSamples", 8, "checkpointEvery", 0);
            return switch (profile) {
                case QUICK -> Settings.change(standard, "size", 16, "trainImages", 2000, "convLayers", 2, "convChannels", 8,
                        "scales", 2, "denseHidden", 64, "upperHidden", 8, "steps", 120, "batch", 16, "heldOut", 16, "validation", 200,
                        "eq9Images", 2, "eq9Trajectories", 2, "samples", 8, "denoiseImages", 4, "denoiseSamples", 2,
                        "ridges", new double[] {1e-4, 1e-3, 1e-2});
                case STANDARD -> standard;
                case PAPER -> paper;
            };
        }

        @Override public double[] ridges() { return ridges.clone(); }

        /** The image shape: size x size, three colour channels. */
        public ImageShape shape() { return ImageShape.colour(size, size); }

        /** The network's sizes, both pathways. */
        public ImageNetworkConfig network() {
            return new ImageNetworkConfig(shape(), convLayers, convChannels, scales, denseLayers, denseHidden, denseOutputChannels,
                    upperLayers, upperHidden, temporalBasis);
        }

        /** The settings as name=value pairs, for printing. */
        public String describe() {
            StringBuilder b = new StringBuilder();
            Settings.describe(this).forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append('=').append(v));
            return b.toString();
        }
    }

    /**
     * The data of a run.
     *
     * @param set       the loaded data set (stored values in [0, 1] through its scaling; its description names a stand-in)
     * @param train     z-scored, dequantised training images (the loaded training images but the last validation ones)
     * @param validation the last validation training images, dequantised: the ridge of the Gaussian baseline is chosen on them
     * @param heldOut   z-scored, dequantised held-out images for K, Eq. 9 and the baseline
     * @param eq9Images the first eq9Images of them
     */
    public record Data(DataSet set, INDArray train, INDArray validation, INDArray heldOut, INDArray eq9Images) {}

    /**
     * Figure 3 and its numbers, all on the first denoiseImages held-out images.
     *
     * @param clean         (a) the held-out images, z units [n, d]
     * @param noisy         (b) the same plus N(0, noiseVariance) per value, z units
     * @param samples       (c) posterior samples, image-major: rows i k .. i k + k - 1 belong to image i (k = denoiseSamples)
     * @param sampleMean    the mean of each image's k posterior samples [n, d]
     * @param exact         posterior samples by {@link Denoising#posteriorFromDiffusedObservation} (exact for an exact model),
     *                      image-major like samples
     * @param exactMean     the mean of each image's k such samples
     * @param wiener        the Gaussian (Wiener) posterior mean under the full-covariance Gaussian fitted to the training images
     * @param unconditional (d) unconditional samples
     * @param psnrNoisy     PSNR of the noisy input against the clean image, dB per image (images in [0, 1], clipped)
     * @param psnrSample    PSNR of each posterior sample, dB, image-major like samples
     * @param psnrMean      PSNR of each image's sample mean, dB
     * @param psnrWiener    PSNR of each image's Wiener mean, dB
     * @param psnrExact     PSNR of each diffused-observation sample, dB, image-major
     * @param psnrExactMean PSNR of each image's diffused-observation sample mean, dB
     * @param onePass       the model's posterior mean in one network pass ({@link Denoising#posteriorMeanFromDiffusedObservation})
     * @param psnrOnePass   PSNR of each image's one-pass posterior mean, dB
     */
    public record Denoised(INDArray clean, INDArray noisy, INDArray samples, INDArray sampleMean, INDArray exact,
                           INDArray exactMean, INDArray wiener, INDArray unconditional, double[] psnrNoisy,
                           double[] psnrSample, double[] psnrMean, double[] psnrWiener, double[] psnrExact,
                           double[] psnrExactMean, INDArray onePass, double[] psnrOnePass) {}

    private Cifar10Experiment() {}

    /** The registered experiment ({@link Experiments}): {@code Main run cifar10}. */
    public static final Experiment<Config> EXPERIMENT = Experiment.of("cifar10",
            "CIFAR-10 (stand-in colour photo patches by default), Gaussian diffusion T = 1000, conv + dense pathways (Table 1, Figure 3)",
            Config.class, Config::of, Cifar10Experiment::run);

    /** The data set's label in rows, headings and titles: "CIFAR-10", or "CIFAR-10 (stand-in)" for the photo patches. */
    public static String datasetLabel(Config c) { return c.dataset() == Source.STAND_IN ? DATASET + " (stand-in)" : DATASET; }

    /** The data set of the settings, with {@code trainImages} training images; a missing one names how to get it. */
    public static DataSet load(Config c, long seed) {
        return switch (c.dataset()) {
            case STAND_IN -> StandIns.photoPatches(DataCache.root().resolve("skimage"), c.size(), 2, c.trainImages(), c.heldOut(),
                    new SplittableRandom(new Seeds(seed).data()));
            case CIFAR10 -> Cifar10.load(c.cifarDir().isBlank() ? DataCache.root().resolve("cifar-10").resolve(Cifar10.BATCH_DIR)
                    : Path.of(c.cifarDir()), c.trainImages(), c.heldOut());
        };
    }

    /** Loads the images and dequantises each split once, from the seed's "dequantisation" stream. */
    public static Data data(Config c, long seed) {
        DataSet set = load(c, seed);
        SplittableRandom noise = new SplittableRandom(new Seeds(seed).of("dequantisation")), heldNoise = noise.split();
        int n = (int) set.train().rows();
        if (c.validation() >= n - 1) throw Check.bad("validation", c.validation(), "fewer than the " + n + " training images loaded, minus one");
        INDArray all = set.scaling().dequantise(set.train(), noise), heldOut = set.scaling().dequantise(set.test(), heldNoise);
        return new Data(set, all.get(NDArrayIndex.interval(0, n - c.validation()), NDArrayIndex.all()).dup(),
                all.get(NDArrayIndex.interval(n - c.validation(), n), NDArrayIndex.all()).dup(), heldOut, rows(heldOut, c.eq9Images()));
    }

    public static BetaSchedule schedule(Config c) { return c.schedule().build(c.T()); }

    public static GaussianDiffusion diffusion(Config c) { return new GaussianDiffusion(schedule(c)); }

    /** The untrained network: weights from the model stream, readout at zero (K starts near L_null). */
    public static ImageNetwork network(Config c, long seed) {
        return ImageNetwork.create(c.network(), schedule(c), c.parameterisation(), new Seeds(seed).model());
    }

    /** The learning rate: the reference code's decay, or a geometric decay from learningRate to finalLearningRate. */
    public static LearningRate learningRate(Config c) {
        if (c.referenceDecay()) return LearningRate.reference();
        return LearningRate.decaying(c.learningRate(), c.finalLearningRate(), c.steps(), 20);
    }

    /**
     * The trainer's settings: K on 4 held-out images at two points of the run (each costs 4 (T - 1) network
     * passes), and a checkpoint file under checkpoints/ when checkpointEvery > 0.
     */
    public static TrainConfig trainConfig(Config c, long seed) {
        TrainConfig t = TrainConfig.of(new Seeds(seed).training(), c.steps()).withBatch(c.batch()).withEstimator(c.estimator())
                .withOptimizer(c.optimizer(), learningRate(c)).withEvaluation(Math.max(1, c.steps() / 2), 4);
        if (c.pieceHours() > 0) t = t.withMaxSeconds(c.pieceHours() * 3600);
        return c.checkpointEvery() > 0 ? t.withCheckpoint(checkpointFile(c, seed), c.checkpointEvery()) : t;
    }

    /** Where a checkpointed run keeps its state: checkpoints/cifar10-&lt;dataset&gt;-seed&lt;seed&gt;.ckpt under the repository. */
    public static Path checkpointFile(Config c, long seed) {
        return Notebook.home().resolve("checkpoints").resolve("cifar10-" + c.dataset().name().toLowerCase(java.util.Locale.ROOT)
                + "-" + c.size() + "-seed" + seed + ".ckpt");
    }

    /** Trains the network in place by ascent on K (Eq. 14); the history's K in bits per three-channel pixel. */
    public static TrainResult<ImageNetwork> train(Config c, ImageNetwork network, Data data, long seed) {
        if (c.checkpointEvery() > 0) {
            try {
                Files.createDirectories(checkpointFile(c, seed).getParent());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot create " + checkpointFile(c, seed).getParent(), e);
            }
        }
        return ImageNetworkObjective.train(network, data.train(), rows(data.heldOut(), 4), trainConfig(c, seed));
    }

    /** CPU seconds per training step of these settings, measured on a throw-away network after a few warm-up steps. */
    public static double secondsPerStep(Config c, Data data, long seed, int steps) {
        Config probeConfig = Settings.change(c, "steps", steps + WARM_UP, "checkpointEvery", 0, "pieceHours", 0.0);
        return StepCost.secondsPerStep(network(c, seed), data.train(),
                trainConfig(probeConfig, seed).withEvaluation(0, 1).withProgress(false), WARM_UP, steps);
    }

    /** The training's estimated time, one line, from {@link #secondsPerStep} over 3 steps ({@link StepCost#estimate}). */
    public static String estimate(Config c, Data data, long seed) {
        return StepCost.estimate(c.steps(), secondsPerStep(c, data, seed, 3), c.checkpointEvery(), checkpointFile(c, seed));
    }

    /** K (Eq. 14) on every held-out image and Eq. 9 on the first eq9Images, seeded. */
    public static Evaluation evaluate(Config c, ImageNetwork network, Data data, long seed) {
        return Evaluation.gaussianImages(new GaussianDiffusion(network.schedule()), network.kernel(), data.heldOut(), data.eq9Images(),
                c.eq9Trajectories(), seed, PER_PIXEL);
    }

    /** K as an upper bound on the 8-bit data's negative log-likelihood, bits/dim ({@link org.dpm4j.data.Scaling#nllBitsPerDim}). */
    public static double nllBitsPerDim(Data data, double kBitsPerPixel) { return data.set().nllBitsPerDim(kBitsPerPixel); }

    /**
     * The full-covariance Gaussian fitted to the training images (maximum likelihood) plus the candidate ridge that
     * scores the validation images best: with a few thousand images of 3072 values the plain fit overfits.
     */
    public static GaussianDensity gaussian(Config c, Data data) {
        return GaussianDensity.selectRidge(GaussianDensity.Covariance.FULL, data.train(), data.validation(), c.ridges());
    }

    /** Its held-out log-likelihood on the values K scores. */
    public static HeldOutLikelihood baseline(GaussianDensity gaussian, Data data) { return gaussian.evaluate(data.heldOut()); }

    /** Unconditional samples (Figure 3d), z units, seeded. */
    public static Trajectory samples(Config c, ImageNetwork network, long seed) {
        return AncestralSampler.gaussian(new GaussianDiffusion(network.schedule()), network.kernel(), c.samples(),
                network.dimensions(), new Seeds(seed).samples(), false);
    }

    /**
     * Figure 3: the first denoiseImages held-out images (a), the same plus Gaussian noise of variance noiseVariance in z
     * units from the "denoising noise" stream (b), denoiseSamples posterior samples of each through the reverse process
     * with r(x) = N(y; x, noiseVariance I) multiplied into every step (c, {@link Denoising}, seeded), unconditional
     * samples (d); PSNR of (b), of every sample, of each image's sample mean, and of the Wiener mean under the
     * Gaussian {@code gaussian}, against (a), on stored values clipped to [0, 1] ({@link Psnr}).
     */
    public static Denoised denoise(Config c, ImageNetwork network, Data data, GaussianDensity gaussian, long seed) {
        int n = c.denoiseImages(), k = c.denoiseSamples(), d = network.dimensions();
        INDArray clean = rows(data.heldOut(), n);
        INDArray noisy = addNoise(clean, c.noiseVariance(), new SplittableRandom(new Seeds(seed).of("denoising noise")));
        INDArray repeated = Nd4j.create(clean.dataType(), (long) n * k, d);
        for (int i = 0; i < n; i++) for (int j = 0; j < k; j++) repeated.putRow((long) i * k + j, noisy.getRow(i));
        INDArray samples = AncestralSampler.gaussian(new GaussianDiffusion(network.schedule()), network.kernel(), n * k, d,
                new Seeds(seed).of("denoising"), false, new Denoising(repeated, c.noiseVariance())).x0();
        INDArray mean = groupMeans(samples, n, k);
        INDArray exact = Denoising.posteriorFromDiffusedObservation(new GaussianDiffusion(network.schedule()), network.kernel(),
                repeated, c.noiseVariance(), new Seeds(seed).of("denoising from the diffused observation"));
        INDArray exactMean = groupMeans(exact, n, k);
        INDArray onePass = Denoising.posteriorMeanFromDiffusedObservation(new GaussianDiffusion(network.schedule()), network.kernel(),
                noisy, c.noiseVariance());
        INDArray wiener = WienerFilter.of(gaussian.mean(), gaussian.covarianceMatrix(), c.noiseVariance()).posteriorMean(noisy);
        INDArray unconditional = samples(c, network, seed).x0();
        INDArray cleanPixels = pixels(data, clean), cleanRepeated = pixels(data, repeatRows(clean, k));
        return new Denoised(clean, noisy, samples, mean, exact, exactMean, wiener, unconditional,
                Psnr.perImage(cleanPixels, pixels(data, noisy), 1), Psnr.perImage(cleanRepeated, pixels(data, samples), 1),
                Psnr.perImage(cleanPixels, pixels(data, mean), 1), Psnr.perImage(cleanPixels, pixels(data, wiener), 1),
                Psnr.perImage(cleanRepeated, pixels(data, exact), 1), Psnr.perImage(cleanPixels, pixels(data, exactMean), 1),
                onePass, Psnr.perImage(cleanPixels, pixels(data, onePass), 1));
    }

    /** The mean of each consecutive group of k rows, [n, d]. */
    private static INDArray groupMeans(INDArray x, int n, int k) {
        INDArray mean = Nd4j.create(x.dataType(), n, x.columns());
        for (int i = 0; i < n; i++) mean.putRow(i, x.get(NDArrayIndex.interval((long) i * k, (long) (i + 1) * k), NDArrayIndex.all()).mean(0));
        return mean;
    }

    /**
     * Table 1's CIFAR-10 row beside this run: K, K - L_null and L_null in bits per three-channel pixel, the 8-bit NLL
     * bound in bits/dim ({@link org.dpm4j.data.Scaling#nllBitsPerDim}: -K/3 - log2(noise width in z units)), Eq. 9 and
     * the full-covariance Gaussian; the paper's column where it printed a value (its bits/dim would need CIFAR-10's
     * std, which a stand-in run does not have, so it is left empty).
     */
    public static tech.tablesaw.api.Table kTable(Config c, Data data, Evaluation e, HeldOutLikelihood gaussian) {
        var what = tech.tablesaw.api.StringColumn.create("quantity");
        var here = tech.tablesaw.api.DoubleColumn.create(datasetLabel(c));
        var se = tech.tablesaw.api.DoubleColumn.create("s.e.");
        var paper = tech.tablesaw.api.StringColumn.create("paper (CIFAR-10)");
        var unit = tech.tablesaw.api.StringColumn.create("unit");
        Object[][] rows = {
                {"K (Eq. 14)", e.kBits(), e.kStandardErrorBits(), "5.4 +- 0.2", UNIT},
                {"K - L_null", e.kMinusLNullBits(), Double.NaN, "11.5 +- 0.2", UNIT},
                {"L_null", e.lNullBits(), Double.NaN, "-6.141 (unit variance)", UNIT},
                {"Eq. 9 (" + c.eq9Images() + " images x " + c.eq9Trajectories() + " trajectories)", e.eq9Bits(), e.eq9StandardErrorBits(), "", UNIT},
                {FULL_GAUSSIAN, gaussian.meanBits(PER_PIXEL), gaussian.standardErrorBits(PER_PIXEL), "", UNIT},
                {"K - full-covariance Gaussian", e.kBits() - gaussian.meanBits(PER_PIXEL), Double.NaN, "", UNIT},
                {NLL_8BIT + " = -K/3 - log2(noise width)", nllBitsPerDim(data, e.kBits()), Double.NaN, "needs CIFAR-10's std", "bits/dim"}};
        for (Object[] r : rows) {
            what.append((String) r[0]);
            here.append((double) r[1]);
            se.append((double) r[2]);
            paper.append((String) r[3]);
            unit.append((String) r[4]);
        }
        here.setPrintFormatter(tech.tablesaw.columns.numbers.NumberColumnFormatter.fixedWithGrouping(3));
        se.setPrintFormatter(tech.tablesaw.columns.numbers.NumberColumnFormatter.fixedWithGrouping(3));
        return tech.tablesaw.api.Table.create("Table 1, CIFAR-10 row: " + datasetLabel(c) + ", " + c.heldOut() + " held-out images",
                what, here, se, paper, unit);
    }

    /** Figure 3's denoising quality: mean PSNR over the images (dB, [0, 1] scale) with its standard error, per estimate. */
    public static tech.tablesaw.api.Table psnrTable(Config c, Denoised f) {
        var what = tech.tablesaw.api.StringColumn.create("estimate of the clean image");
        var db = tech.tablesaw.api.DoubleColumn.create("PSNR (dB)");
        var se = tech.tablesaw.api.DoubleColumn.create("s.e.");
        String[] names = {"(b) the noisy input", "(c) one posterior sample (Sec. 2.5)", "mean of " + c.denoiseSamples() + " posterior samples (Sec. 2.5)",
                "one diffused-observation sample", "mean of " + c.denoiseSamples() + " diffused-observation samples",
                "the model's posterior mean in one network pass (Tweedie)", "Gaussian (Wiener) posterior mean"};
        double[][] values = {f.psnrNoisy(), f.psnrSample(), f.psnrMean(), f.psnrExact(), f.psnrExactMean(), f.psnrOnePass(), f.psnrWiener()};
        for (int i = 0; i < names.length; i++) {
            what.append(names[i]);
            db.append(Psnr.mean(values[i]));
            se.append(Psnr.standardError(values[i]));
        }
        db.setPrintFormatter(tech.tablesaw.columns.numbers.NumberColumnFormatter.fixedWithGrouping(2));
        se.setPrintFormatter(tech.tablesaw.columns.numbers.NumberColumnFormatter.fixedWithGrouping(2));
        return tech.tablesaw.api.Table.create("Denoising, " + datasetLabel(c) + ": " + c.denoiseImages()
                + " held-out images, noise variance " + c.noiseVariance() + " in z units", what, db, se);
    }

    /** Images (z units) as a titled grid of stored [0, 1] colours. */
    public static BufferedImage grid(Config c, Data data, String title, INDArray z, int columns, int zoom) {
        return titled(title + " (" + datasetLabel(c) + ")", ImageGrid.of(pixels(data, z), c.shape(), columns, 0, 1, zoom));
    }

    /** z values back to stored [0, 1] values, clipped to that range (what a picture shows, and what PSNR scores). */
    public static INDArray pixels(Data data, INDArray z) {
        INDArray x = data.set().scaling().toStored(z);
        return org.nd4j.linalg.ops.transforms.Transforms.min(org.nd4j.linalg.ops.transforms.Transforms.max(x, 0.0, false), 1.0, false);
    }

    /**
     * Figure 3 as one picture: columns (a) clean, (b) noisy, (c) one posterior sample by Sec. 2.5 and the mean of those
     * samples, then one diffused-observation sample and their mean, the model's one-pass posterior mean, (d) an
     * unconditional sample; one row per image; titled with the data set's label.
     */
    public static BufferedImage figure3(Config c, Data data, Denoised f, int zoom) {
        Check.positive("zoom", zoom);
        int n = (int) f.clean().rows(), k = c.denoiseSamples(), u = (int) Math.min(n, f.unconditional().rows());
        INDArray firstSamples = Nd4j.create(f.samples().dataType(), n, f.samples().columns());
        for (int i = 0; i < n; i++) firstSamples.putRow(i, f.samples().getRow((long) i * k));
        INDArray firstExact = Nd4j.create(f.exact().dataType(), n, f.exact().columns());
        for (int i = 0; i < n; i++) firstExact.putRow(i, f.exact().getRow((long) i * k));
        // rows past the unconditional samples stay mid-grey
        INDArray uncond = data.set().scaling().toModel(org.dpm4j.util.Matrices.full(n, (int) f.samples().columns(), 0.5));
        for (int i = 0; i < u; i++) uncond.putRow(i, f.unconditional().getRow(i));
        INDArray[] columns = {f.clean(), f.noisy(), firstSamples, f.sampleMean(), firstExact, f.exactMean(), f.onePass(), uncond};
        INDArray grid = Nd4j.create(f.clean().dataType(), (long) n * columns.length, f.clean().columns());
        for (int i = 0; i < n; i++) for (int j = 0; j < columns.length; j++) grid.putRow((long) i * columns.length + j, columns[j].getRow(i));
        BufferedImage body = ImageGrid.of(pixels(data, grid), c.shape(), columns.length, 0, 1, zoom);
        return titled("Figure 3, " + datasetLabel(c) + ": (a) held-out | (b) + noise var " + c.noiseVariance()
                + " | (c) Sec. 2.5 sample | mean of " + k + " | diffused-obs. sample | mean of " + k
                + " | one-pass mean | (d) unconditional", body);
    }

    /** Where Figure 3 is written: cifar10-figure3-&lt;profile&gt;-seed&lt;seed&gt;.png in the results directory. */
    public static Path figureFile(Path results, Profile profile, long seed) {
        if (results == null) throw Check.bad("results", null, "a directory");
        if (profile == null) throw Check.bad("profile", null, "quick, standard or paper");
        return results.resolve("cifar10-figure3-" + profile.id() + "-seed" + seed + ".png");
    }

    /** A picture with a title line above it (figure titles name the data set, stand-in included). */
    public static BufferedImage titled(String title, BufferedImage body) {
        if (title == null) throw Check.bad("title", null, "a title");
        if (body == null) throw Check.bad("body", null, "an image");
        int pad = 22, w = Math.max(body.getWidth(), 7 * title.length() + 10);
        BufferedImage out = new BufferedImage(w, body.getHeight() + pad, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(title, 5, 15);
        g.setStroke(new BasicStroke(1));
        g.drawImage(body, 0, pad, null);
        g.dispose();
        return out;
    }

    /**
     * The run's rows: K with its standard error, K - L_null, Eq. 9, the 8-bit bits/dim bound, the full-covariance
     * Gaussian and the seven PSNRs (mean over images, with their standard errors), with the settings and the seed;
     * a stand-in run is marked as one (its data set label says so).
     */
    public static Run row(Config c, Profile profile, long seed, Data data, Evaluation e, HeldOutLikelihood gaussian,
                          double ridge, Denoised f, Elapsed elapsed) {
        return Run.builder("cifar10", DATASET, "diffusion").standIn(c.dataset() == Source.STAND_IN)
                .profile(profile.id()).seed(seed).configuration(c).configuration("data", data.set().description()).configuration(ImageNetwork.THREADS_FIELD, ImageNetwork.threads()).configuration("ridge", ridge)
                .elapsed(elapsed)
                .metric(Metric.K, e.kBits(), e.kStandardErrorBits(), UNIT)
                .metric(Metric.K_MINUS_L_NULL, e.kMinusLNullBits(), UNIT)
                .metric("L_null", e.lNullBits(), UNIT)
                .metric(Metric.EQ9, e.eq9Bits(), e.eq9StandardErrorBits(), UNIT)
                .metric(NLL_8BIT, nllBitsPerDim(data, e.kBits()), "bits/dim")
                .metric(FULL_GAUSSIAN, gaussian.meanBits(PER_PIXEL), gaussian.standardErrorBits(PER_PIXEL), UNIT)
                .metric(PSNR_NOISY, Psnr.mean(f.psnrNoisy()), Psnr.standardError(f.psnrNoisy()), "dB")
                .metric(PSNR_SAMPLE, Psnr.mean(f.psnrSample()), Psnr.standardError(f.psnrSample()), "dB")
                .metric(PSNR_MEAN, Psnr.mean(f.psnrMean()), Psnr.standardError(f.psnrMean()), "dB")
                .metric(PSNR_EXACT_SAMPLE, Psnr.mean(f.psnrExact()), Psnr.standardError(f.psnrExact()), "dB")
                .metric(PSNR_EXACT_MEAN, Psnr.mean(f.psnrExactMean()), Psnr.standardError(f.psnrExactMean()), "dB")
                .metric(PSNR_ONE_PASS, Psnr.mean(f.psnrOnePass()), Psnr.standardError(f.psnrOnePass()), "dB")
                .metric(PSNR_WIENER, Psnr.mean(f.psnrWiener()), Psnr.standardError(f.psnrWiener()), "dB")
                .series(Run.K_PER_EXAMPLE, e.kPerExampleBits())
                .series(Run.BOUND_LOST_PER_STEP, e.lostPerStepBits())
                .build();
    }

    public static Run run(Profile profile, long seed) { return run(Config.of(profile), profile, seed); }

    /** Data, training (the estimated time printed first when checkpointed), evaluation, baseline, Figure 3, the row. */
    public static Run run(Config c, Profile profile, long seed) {
        RunClock clock = RunClock.start();
        Data data = data(c, seed);
        if (c.checkpointEvery() > 0) System.out.println(estimate(c, data, seed));
        ImageNetwork network = network(c, seed);
        TrainResult<ImageNetwork> trained = train(c, network, data, seed);
        if (trained.steps() < c.steps()) {   // a piece of a longer run: the same command continues from the checkpoint
            return Run.builder("cifar10", DATASET, "diffusion").standIn(c.dataset() == Source.STAND_IN)
                    .profile(profile.id()).seed(seed).configuration(c).elapsed(clock.elapsed()).configuration(ImageNetwork.THREADS_FIELD, ImageNetwork.threads())
                    .metric("training steps done", trained.steps(), "steps").build();
        }
        Evaluation e = evaluate(c, network, data, seed);
        GaussianDensity g = gaussian(c, data);
        Denoised f = denoise(c, network, data, g, seed);
        Check.allFinite("CIFAR-10 samples", f.unconditional().dup().data().asDouble());
        System.out.println("Figure 3 written to " + org.dpm4j.plot.Plots.write(figure3(c, data, f, Math.max(1, 64 / c.size())), figureFile(Notebook.results(), profile, seed)));
        return row(c, profile, seed, data, e, baseline(g, data), g.ridge(), f, clock.elapsed());
    }

    /** x plus independent N(0, variance) per value, a new array. */
    static INDArray addNoise(INDArray x, double variance, SplittableRandom rng) {
        double[] v = x.dup().data().asDouble();
        double s = Math.sqrt(variance);
        for (int i = 0; i < v.length; i++) v[i] += s * rng.nextGaussian();
        return Nd4j.create(v, x.shape(), 'c');
    }

    private static INDArray repeatRows(INDArray x, int k) {
        INDArray out = Nd4j.create(x.dataType(), x.rows() * k, x.columns());
        for (long i = 0; i < x.rows(); i++) for (int j = 0; j < k; j++) out.putRow(i * k + j, x.getRow(i));
        return out;
    }

    private static INDArray rows(INDArray x, int n) {
        return x.get(NDArrayIndex.interval(0, Math.min(n, (int) x.rows())), NDArrayIndex.all()).dup();
    }
}
