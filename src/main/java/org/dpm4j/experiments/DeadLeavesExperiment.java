package org.dpm4j.experiments;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.dpm4j.bound.BoundK;
import org.dpm4j.bound.BoundResult;
import org.dpm4j.bound.GaussianDensity;
import org.dpm4j.bound.HeldOutLikelihood;
import org.dpm4j.bound.Per;
import org.dpm4j.bound.StationaryGaussian;
import org.dpm4j.data.DataSet;
import org.dpm4j.data.DeadLeaves;
import org.dpm4j.data.ImageShape;
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
import org.dpm4j.sampling.Trajectory;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.schedule.ScheduleSpec;
import org.dpm4j.train.Estimator;
import org.dpm4j.train.LearningRate;
import org.dpm4j.train.OptimizerKind;
import org.dpm4j.train.TrainConfig;
import org.dpm4j.train.TrainResult;
import org.dpm4j.util.Check;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The dead-leaves experiment (Table 1's dead-leaves row, Table 2's comparison with MCGSM, Figure 4): Gaussian
 * diffusion with T = 1000 and the reference schedule on images of the project's seeded dead-leaves generator
 * ({@link DeadLeaves}: occluding discs, radius density ~ r^-3, 8-bit grey levels), z-scored by one scalar mean and
 * standard deviation; the paper's multi-scale convolutional reverse kernel (mean-pool by 2^s, 3x3 convolution at each
 * scale, upsample, sum, softplus; per-pixel layers; the temporal bump readout), the convolutional pathway alone so the
 * trained network applies to larger images ({@link ImageNetwork#atShape}); trained by ascent on K (Eq. 14) with the
 * one training loop; K, K - L_null and Eq. 9 on held-out images in bits per pixel, beside two closed-form baselines
 * on the same images and units (the full-covariance Gaussian and the best stationary Gaussian).
 * <p>
 * The paper's numbers (K = 1.489, K - L_null = 3.536 bits/pixel; MCGSM 1.244) were measured on Theis et al. 2012's
 * dead-leaves images, whose generator parameters are not published: rows of this experiment are marked as measured
 * on other (stand-in) dead-leaves data.
 */
public final class DeadLeavesExperiment {
    public static final String DATASET = "Dead leaves";
    public static final String UNITS = "bits/pixel";
    /** Values of one grey pixel. */
    public static final Per PER_PIXEL = Per.pixel(1);
    /** Metric names of the baselines in a run's rows (mean held-out log-likelihood, bits/pixel). */
    public static final String FULL_GAUSSIAN = "full-covariance Gaussian", STATIONARY_GAUSSIAN = "stationary Gaussian";
    private static final int WARM_UP = 10, DECAYS = 20, EVALUATIONS = 4, EVALUATION_IMAGES = 16;

    /**
     * The quick and standard profiles' schedule: log-snr-linear between the ends of the reference schedule at T = 1000
     * (its beta_1, and its alphabar_T as the terminal signal-to-noise ratio alphabar_T / (1 - alphabar_T)), so the
     * two differ only in how the steps between are spaced (why: {@link Config#of}).
     */
    public static final ScheduleSpec LOG_SNR_SCHEDULE = logSnrBetweenReferenceEnds(1000);

    /** log-snr-linear with the beta_1 and the terminal alphabar_T / (1 - alphabar_T) of the reference schedule at T steps. */
    public static ScheduleSpec logSnrBetweenReferenceEnds(int T) {
        BetaSchedule reference = ScheduleSpec.parse("reference").build(T);
        double end = reference.alphaBar(T);
        return ScheduleSpec.of("log-snr-linear", "beta1", reference.beta(1), "snrT", end / (1 - end));
    }

    /**
     * Every setting of a run, by name (see {@link Settings}).
     *
     * @param size              image side in pixels (square grey images)
     * @param rMin              smallest disc radius of the generator, pixels
     * @param rMax              largest disc radius, pixels (radius density ~ r^-3 on [rMin, rMax])
     * @param T                 diffusion steps (the paper: 1000)
     * @param schedule          the beta schedule by name (the reference code's, {@code reference})
     * @param parameterisation  how the network's readout becomes the Gaussian kernel's mean and variance
     * @param convLayers        multi-scale convolution layers
     * @param convChannels      channels of each convolution layer
     * @param scales            mean-pool factors 1, 2, ..., 2^(scales-1) in each layer
     * @param upperLayers       per-pixel (1x1) layers on top, the last one the temporal readout
     * @param upperHidden       width of the upper hidden layers
     * @param temporalBasis     J, bump functions of t in the readout (the reference code: 10)
     * @param trainImages       training images (also the baselines' fit)
     * @param steps             training steps
     * @param batch             images per minibatch
     * @param estimator         how a minibatch picks its time steps (SAMPLED_T: one t per image)
     * @param learningRate      Adam's rate at the first step
     * @param finalLearningRate the rate reached by a geometric decay at the last step
     * @param parameterAverage  decay d in [0, 1) of the exponential moving average of the parameters that the trained
     *                          network evaluates and samples with ({@link org.dpm4j.train.ParameterAverage}); 0: none,
     *                          the last parameters
     * @param heldOut           held-out images for K and the baselines
     * @param eq9Images         held-out images for Eq. 9 (the first of the K set)
     * @param eq9Trajectories   forward trajectories per image for Eq. 9
     * @param samples           samples at the training size
     * @param largeSize         side of the larger samples (Figure 4); a multiple of 2^(scales-1)
     * @param largeSamples      samples at the larger size
     * @param checkpointEvery   steps between checkpoints (0: none)
     * @param noiseScaledInput  whether the first convolution layer also sees x_t / sqrt(1 - alphabar_t)
     *                          ({@link ImageNetworkConfig#noiseScaledInput}; not in the paper)
     * @param architecture      the lower pathway: MULTISCALE, the paper's layers (every profile), or UNET, a small U-Net
     *                          in their place (not in the paper; {@link ImageNetworkConfig#unetChannels}, issue #15),
     *                          which ignores convLayers, convChannels, scales, upperLayers and upperHidden
     * @param unetChannels      the U-Net's base channels c0 (a multiple of 8 with the GroupNorm; used with architecture =
     *                          unet only)
     * @param unetGroupNorm     whether the U-Net's blocks have GroupNorm ({@link ImageNetworkConfig#unetGroupNorm}; false
     *                          in every profile's U-Net arm, {@link #unet}; used with architecture = unet only)
     */
    public record Config(int size, double rMin, double rMax, int T, ScheduleSpec schedule,
                         GaussianParameterisation parameterisation, int convLayers, int convChannels, int scales,
                         int upperLayers, int upperHidden, int temporalBasis, int trainImages, int steps, int batch,
                         Estimator estimator, double learningRate, double finalLearningRate, double parameterAverage, int heldOut, int eq9Images,
                         int eq9Trajectories, int samples, int largeSize, int largeSamples, int checkpointEvery,
                         boolean noiseScaledInput, Architecture architecture, int unetChannels, boolean unetGroupNorm) {
        public Config {
            new DeadLeaves(size, rMin, rMax, true);   // refuses a bad generator, naming its parameter
            Check.inRange("T", T, 2, 100_000);
            if (schedule == null) throw Check.bad("schedule", null, "a schedule by name, such as reference");
            schedule.build(T);
            if (parameterisation == null) throw Check.bad("parameterisation", null, "PAPER, REFERENCE, POSTERIOR_X0 or POSTERIOR_V");
            Check.positive("convLayers", convLayers);
            if (architecture == null) throw Check.bad("architecture", null, "multiscale or unet");
            // the network's own checks name the size that the pools do not divide, or the U-Net's channels
            network(size, convLayers, convChannels, scales, upperLayers, upperHidden, temporalBasis, noiseScaledInput, architecture, unetChannels, unetGroupNorm);
            network(largeSize, convLayers, convChannels, scales, upperLayers, upperHidden, temporalBasis, noiseScaledInput, architecture, unetChannels, unetGroupNorm);
            Check.inRange("trainImages", trainImages, 2, Integer.MAX_VALUE);
            Check.inRange("steps", steps, 0, Integer.MAX_VALUE);
            Check.positive("batch", batch);
            if (estimator == null) throw Check.bad("estimator", null, "SAMPLED_T, STRATIFIED_T, ONE_T_PER_BATCH or ALL_T");
            Check.positive("learningRate", learningRate);
            if (!(finalLearningRate > 0 && finalLearningRate <= learningRate)) {
                throw Check.bad("finalLearningRate", finalLearningRate, "a number in (0, learningRate = " + learningRate + "]");
            }
            if (!(parameterAverage >= 0 && parameterAverage < 1)) throw Check.bad("parameterAverage", parameterAverage, "a decay in [0, 1) (0: no average)");
            Check.inRange("heldOut", heldOut, 2, Integer.MAX_VALUE);
            Check.inRange("eq9Images", eq9Images, 1, heldOut);
            Check.positive("eq9Trajectories", eq9Trajectories);
            Check.positive("samples", samples);
            Check.positive("largeSamples", largeSamples);
            Check.inRange("checkpointEvery", checkpointEvery, 0, Integer.MAX_VALUE);
        }

        /**
         * The settings of a profile. Every profile: T = 1000, the paper's network form with the convolutional pathway
         * alone, one t per image (SAMPLED_T), Adam decaying tenfold.
         * <ul>
         *   <li>quick (CI, the whole notebook under two minutes): 16 x 16 images, 2 layers of 16 channels, 600 steps;</li>
         *   <li>standard (the whole notebook under 25 minutes on an idle 2-core machine): 16 x 16 images, 4 layers of 32
         *   channels over 3 scales, 24,000 steps of 32 images, evaluated and sampled with the parameters' moving average
         *   at decay 0.998;</li>
         *   <li>paper: 32 x 32 images, the reference code's 4 layers of 20 channels and upper 2 x 20, 100,000 steps
         *   of 128 images, checkpointed every 1000 steps (its estimated time is printed before it trains).</li>
         * </ul>
         * <b>Noise-scaled input.</b> quick and standard give the first convolution layer x_t / sqrt(1 - alphabar_t) beside
         * x_t ({@link ImageNetworkConfig#noiseScaledInput}, not in the paper): at low noise the network must tell noise of
         * amplitude sqrt(1 - alphabar_t) from edges of amplitude about 1, and the scaled channel puts the noise at unit
         * scale. Measured (standard settings but 3,000 steps, seed 1, one thread, command line): K = 1.037 +- 0.023
         * bits/pixel with it against 0.750 +- 0.024 without, for about 2 % more CPU. The standard profile with it (notebook
         * 04, seed 1, commit 9123dad, two threads): K = 1.392 +- 0.018 on 200 held-out images against 1.188 +- 0.020
         * without, K - L_null = 3.416, Eq. 9 1.461 +- 0.125; training 668 s CPU, 375 s wall. Its implied x_0 keeps 0.19
         * of the noise at t = 2 (without the channel 0.30; an edge-keeping filter 0.18, {@link #denoising}), and the
         * samples show large flat regions with sharp, often rounded edges and a faint grain.
         * <p>
         * <b>U-Net.</b> {@code --set architecture=unet} (not in the paper; issue #15) replaces the multi-scale layers by
         * a small U-Net of unetChannels = 32 base channels ({@link ImageNetworkConfig#unetChannels}); every profile's
         * U-Net arm is {@link #unet}. The measurements in this paragraph were made on the SameDiff graph, before the
         * U-Net had its float[] path (which gives the same K, 1.3506 against 1.350 without the norm below, for 406 s of
         * CPU instead of 488, helper branch s12-unetf). Measured (standard settings but 3,000 steps,
         * heldOut 50, eq9Images 2, eq9Trajectories 2, largeSamples 2, seed 1, one thread, command line, load average
         * 3-4): K = 1.278 +- 0.042 bits/pixel, K - L_null 3.301; 913 s wall, 912 s CPU, 4.0 GB peak RSS. The samples
         * show regions of one grey that hide each other, many rounded, with mostly clean edges, a faint grain left
         * inside and a few single-pixel specks where regions meet (by eye; the neighbour-pair counts were not taken).
         * Without the GroupNorm ({@code --set unetGroupNorm=false}, {@link ImageNetworkConfig#unetGroupNorm}; the
         * sketch of issue #15 measured it better), the same command otherwise (the code of commit 4a3c695, load
         * average 2-6): K = 1.350 +- 0.039 bits/pixel, K - L_null 3.373 (with the norm 1.278 and 3.301, on the same
         * 50 held-out images, not paired); 587 s wall, 488 s CPU, 3.6 GB peak RSS, about half the CPU. The samples
         * look much like those with the norm (the same sampling seed gives nearly the same layouts): regions of one
         * grey hiding each other, some rounded, a faint grain inside, staircase edges and a few dark specks where
         * regions meet (by eye).
         * <p>
         * <b>Schedule.</b> quick and standard use {@link #LOG_SNR_SCHEDULE}: the log signal-to-noise ratio linear in t
         * between the reference schedule's own ends (beta_1 = 0.002, alphabar_T = 0.000992), so both start and end at
         * the same noise and only the spacing of the steps between differs; paper keeps the reference code's schedule.
         * The reference schedule has alphabar_t = 1 - t/T nearly exactly, so a uniform t samples the log-SNR lambda with
         * density t (T - t)/T and the terms of the bound at small t (lambda > 4.6 for t < 10) are rare rows with weights
         * about T/t larger than those at mid noise; with the log-SNR linear every row carries the same share of
         * lambda. The estimate of K's gradient is unbiased either way; its variance is what differs, and it decided
         * both K and the samples. Measured (standard settings but 3,000 steps, seed 1; K on the first 50 held-out
         * images, bits/pixel; the full-covariance Gaussian -1.012 on them): reference schedule K = 0.240 +- 0.048,
         * samples mottled grey textures with no flat regions; log-SNR linear K = 0.753 +- 0.047 (the reference
         * schedule needed 12,000 steps for 0.740), samples with larger regions of one grey and straight edges. At
         * the same 3,000 steps with the log-SNR schedule: 6 convolution layers instead of 4 K = 0.451 +- 0.053 (1.5
         * times the CPU), Adam from 4e-3 instead of 2e-3 K = 0.576 +- 0.049; neither looked better. Showing the mean
         * of the last reverse step instead of a draw changed nothing visible (its noise is sqrt(beta_1) = 0.045 z
         * units, about 3 grey levels), so the samples are draws; neither did the forward posterior's variance in
         * place of the learned one.
         * <p>
         * Measured, standard profile with the log-SNR schedule and 16,000 steps, seed 1 (notebook 04, 2026-12-06, on
         * the shared machine at load average 4-8): K = 1.103 +- 0.021 bits/pixel on 200 held-out images, K - L_null =
         * 3.127, Eq. 9 1.124 +- 0.149, against the full-covariance Gaussian's -1.001 +- 0.025 and the stationary
         * Gaussian's -0.996 +- 0.025; training 700 s CPU, the notebook 880 s kernel CPU (3505 s wall under that load).
         * The samples show regions of one grey that hide each other, some round, with a faint grain inside and many
         * jagged edges: overlapping patches more than clean discs.
         * <p>
         * <b>Parameter average.</b> Measured with that run repeated from the command line with every average kept at
         * once (seed 1, 16,000 steps of 32, its samples pixel-identical to the notebook's; 2026-12-06, load average
         * 2-3, training 591 s CPU, 593 s wall; K on the first 100 held-out images with the same noise, bits/pixel):
         * last parameters K = 1.059 +- 0.028; moving average at decay 0.998 1.068, at 0.999 1.066, at 0.9995 1.059,
         * i.e. +0.0088, +0.0066 and -0.0001 (paired s.e. 0.0008 each). The samples of the average cannot be told from
         * those of the last parameters by eye, and the grain is in both: of the horizontal and vertical neighbour pairs
         * of the 16 samples, 0.11 are equal to within 1.5 grey levels (0.81 in training images) and 0.66 differ by 1.5
         * to 20 levels (0.03 in training images), with the average or without. So the grain is not Adam's iterate
         * noise; the average stays (a small, certain gain at no cost). In quick (600 steps) the model is still
         * improving fast and an average lags it: decay 0.98, 0.99, 0.995 lost 0.011, 0.028, 0.063 bits/pixel (K on 40
         * held-out images), so quick keeps none.
         * <p>
         * <b>Longer training.</b> Measured, standard profile with the average at 0.998 and 24,000 steps of 32 (1.5 times
         * the training; seed 1, notebook 04, 2026-12-06, load average 1.1-3.3): K = 1.181 +- 0.020 bits/pixel on 200
         * held-out images (1.103 at 16,000 steps), K - L_null = 3.205, Eq. 9 1.206 +- 0.148, against the Gaussians'
         * -1.001 and -0.996; on the first 50 held-out images the average 1.147 against the last parameters' 1.141 (+0.005
         * +- 0.001 paired); training 918 s CPU (909 s wall), the notebook 1,143 s kernel CPU, 1,127 s wall. The samples
         * still show the grain and the jagged edges (neighbour pairs equal within 1.5 grey levels 0.12, differing by
         * 1.5-20 levels 0.66): more K, not yet clean discs.
         * <p>
         * <b>Larger batch.</b> Measured, 16,000 steps of 48 images instead of 32 (1.5 times the images; seed 1, from the
         * command line, load average 3): training 1,049 s CPU, 1,066 s wall; K on the first 100 held-out images 1.149
         * +- 0.027 for the last parameters and 1.167 for the average at 0.998 (+0.018 +- 0.001 paired), against 1.059
         * and 1.068 with batch 32 on the same images; its samples look the same, grain included (neighbour pairs equal
         * 0.12, small steps 0.67). Not compared with the 24,000-step run on the same images; it took more CPU per
         * image under more load, so standard keeps batch 32 and the longer run.
         * <p>
         * Every profile draws discs of radius 3 to 16 pixels (32 for paper). Each octave of radius covers the same
         * share of the image, so with radius 1 to 16 a quarter of a 16 x 16 image was discs of radius 1-2, specks a
         * few pixels across, and the training images themselves did not read as discs; from 3, the radii 3-6, 6-12
         * and 12-16 cover 0.41, 0.41 and 0.17 of it. The measurements below the parameterisation's were made with
         * radius 1 to 16 and the reference schedule.
         * <p>
         * The parameterisation is POSTERIOR_V (the forward posterior's mean at a v-predicted x_0): at an equal short
         * budget it measured best on this data (radius 1 to 16, reference schedule). Measured (16 x 16 images, 3 layers of 16 channels over 3 scales,
         * 1500 steps of 32 images, Adam 2e-3 decaying to 2e-4, 5000 training images, the same seeds; held-out K on 100
         * images, bits/pixel): PAPER -0.977, REFERENCE -0.779, POSTERIOR_X0 -1.061, POSTERIOR_V -0.674, against the
         * full-covariance Gaussian's -1.472 on the same images ({@link #compareParameterisations} repeats it).
         * <p>
         * Measured with radius 1 to 16 and the reference schedule, standard profile of then (12,000 steps), seed 1 (the notebook at commit 5d4a025, on this shared 2-core machine at load
         * average 9-16): K = -0.156 +- 0.030 bits/pixel on 200 held-out images, K - L_null = 1.890, Eq. 9 -0.127 +-
         * 0.131 (10 images x 10 trajectories), against the full-covariance Gaussian's -1.468 +- 0.017 and the
         * stationary Gaussian's -1.463 +- 0.017 on the same images; training 672 s CPU, the whole notebook 885 s CPU
         * (2084 s wall under that load); the same run from the command line gave the same numbers to the last digit in
         * 721 s wall, 709 s CPU at load average 2-3. The samples show flat patches and some straight edges but not
         * yet clean discs. With radius 3 to 16, still the reference schedule and 12,000 steps (commit 9e571ef): K =
         * 0.740 +- 0.023 on 200 held-out images, samples mottled and ragged.
         */
        public static Config of(Profile profile) {
            Config standard = Settings.build(Config.class,
                    "size", 16, "rMin", 3.0, "rMax", 16.0, "T", 1000, "schedule", LOG_SNR_SCHEDULE,
                    "parameterisation", GaussianParameterisation.POSTERIOR_V,
                    "convLayers", 4, "convChannels", 32, "scales", 3, "upperLayers", 2, "upperHidden", 32, "temporalBasis", 10,
                    "trainImages", 20_000, "steps", 24_000, "batch", 32, "estimator", Estimator.SAMPLED_T,
                    "learningRate", 2e-3, "finalLearningRate", 2e-4, "parameterAverage", 0.998, "heldOut", 200, "eq9Images", 10, "eq9Trajectories", 10,
                    "samples", 16, "largeSize", 48, "largeSamples", 4, "checkpointEvery", 0,
                    "noiseScaledInput", true, "architecture", Architecture.MULTISCALE, "unetChannels", 32, "unetGroupNorm", true);
            return switch (profile) {
                case QUICK -> Settings.change(standard, "convLayers", 2, "convChannels", 16, "scales", 2, "upperHidden", 16,
                        "trainImages", 2000, "steps", 600, "parameterAverage", 0.0, "heldOut", 40, "eq9Images", 4, "eq9Trajectories", 4,
                        "samples", 8, "largeSize", 32, "largeSamples", 2);
                case STANDARD -> standard;
                case PAPER -> Settings.change(standard, "schedule", ScheduleSpec.parse("reference"), "size", 32, "rMax", 32.0, "convChannels", 20, "scales", 4, "upperHidden", 20,
                        "trainImages", 100_000, "steps", 100_000, "batch", 128, "learningRate", 1e-3, "finalLearningRate", 1e-4, "parameterAverage", 0.0, "noiseScaledInput", false,
                        "heldOut", 2000, "eq9Images", 100, "eq9Trajectories", 20, "samples", 36, "largeSize", 96,
                        "largeSamples", 4, "checkpointEvery", 1000);
            };
        }

        /**
         * The U-Net arm of a profile (not in the paper; issue #15): {@link #of}'s data, schedule, parameterisation,
         * training rates, average and evaluation sizes, so its K is measured on the same held-out images as the paper's
         * network, with the small U-Net without GroupNorm ({@link ImageNetworkConfig#unetChannels},
         * {@link ImageNetworkConfig#unetGroupNorm}) in place of the multi-scale layers. Its rows carry the model
         * {@link #UNET_MODEL}, so Table 1 and Table 2 keep the paper's network's rows.
         * <ul>
         *   <li>quick: 8 base channels, the profile's 600 steps;</li>
         *   <li>standard: 32 base channels, {@link #UNET_STANDARD_STEPS} steps of 32 images;</li>
         *   <li>paper: 32 base channels at the paper profile's size and length (not run here).</li>
         * </ul>
         * Why the U-Net: on the paper's network the samples stayed mottled patches with ragged edges at every setting
         * measured (up to 24,000 steps, 32 x 32, a fourth scale, 6 layers, 64 channels); the U-Net's drew flat regions
         * that hide each other with sharp edges (the measurements are in the README and notebook 04).
         */
        public static Config unet(Profile profile) {
            Config base = of(profile);
            return Settings.change(base, "architecture", Architecture.UNET, "unetGroupNorm", false,
                    "unetChannels", profile == Profile.QUICK ? 8 : 32,
                    "steps", profile == Profile.STANDARD ? UNET_STANDARD_STEPS : base.steps());
        }

        /** The generator of the images. */
        public DeadLeaves generator() { return new DeadLeaves(size, rMin, rMax, true); }

        /** The image shape. */
        public ImageShape shape() { return ImageShape.grey(size, size); }

        /** The network's sizes (the convolutional pathway alone, multi-scale layers or the U-Net). */
        public ImageNetworkConfig network() {
            return network(size, convLayers, convChannels, scales, upperLayers, upperHidden, temporalBasis, noiseScaledInput, architecture, unetChannels, unetGroupNorm);
        }

        /** The network on side x side grey images: the multi-scale layers, or the U-Net in their place. */
        private static ImageNetworkConfig network(int side, int convLayers, int convChannels, int scales, int upperLayers, int upperHidden,
                                                  int temporalBasis, boolean noiseScaledInput, Architecture architecture, int unetChannels,
                                                  boolean unetGroupNorm) {
            ImageNetworkConfig multiScale = new ImageNetworkConfig(ImageShape.grey(side, side), convLayers, convChannels, scales, 0, 0, 0,
                    upperLayers, upperHidden, temporalBasis, noiseScaledInput);
            return architecture == Architecture.UNET ? multiScale.withUnet(unetChannels, unetGroupNorm) : multiScale;
        }

        /** The same settings with another readout form. */
        public Config withParameterisation(GaussianParameterisation p) { return Settings.change(this, "parameterisation", p); }

        /** The settings as name=value pairs, for printing. */
        public String describe() {
            StringBuilder b = new StringBuilder();
            Settings.describe(this).forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append('=').append(v));
            return b.toString();
        }
    }

    /** Training steps of the standard profile's U-Net arm ({@link Config#unet}). */
    public static final int UNET_STANDARD_STEPS = 12_000;

    /** The model name of U-Net rows: not the paper's network, so Table 1 and Table 2 (model "diffusion") leave them out. */
    public static final String UNET_MODEL = "diffusion, U-Net (not in the paper)";

    /** The lower pathway of the network: the paper's multi-scale layers, or a small U-Net (not in the paper). */
    public enum Architecture { MULTISCALE, UNET }

    /**
     * The registered experiment of a network's runs, whose name their rows, figure and checkpoint files carry:
     * dead-leaves, or dead-leaves-unet for the U-Net.
     */
    private static String experimentName(Architecture architecture) {
        if (architecture == null) throw Check.bad("architecture", null, "multiscale or unet");
        return (architecture == Architecture.UNET ? UNET_EXPERIMENT : EXPERIMENT).name();
    }

    /**
     * The data of a run, z-scored by the training set's scalar mean and std: training images and held-out images,
     * each dequantised once by uniform noise of the reference code's width (std/255 in z units) from a seeded stream,
     * so K, Eq. 9 and the baselines all see the same continuous values. {@code stored} is the generator's data set before
     * dequantisation (z-scored as well; its scaling maps rows back to the [0, 1] grey levels for pictures).
     */
    public record Data(DataSet stored, INDArray train, INDArray heldOut, INDArray eq9Images) {}

    /** The closed-form baselines' held-out log-likelihoods on the same images. */
    public record Baselines(HeldOutLikelihood full, HeldOutLikelihood stationary) {
        public double fullBits() { return full.meanBits(PER_PIXEL); }

        public double stationaryBits() { return stationary.meanBits(PER_PIXEL); }
    }

    private DeadLeavesExperiment() {}

    /** The registered experiment ({@link Experiments}): {@code Main run dead-leaves}. */
    public static final Experiment<Config> EXPERIMENT = Experiment.of("dead-leaves",
            "dead leaves (stand-in generator), Gaussian diffusion T = 1000, multi-scale conv net (Table 1, Table 2, Figure 4)", Config.class, Config::of, DeadLeavesExperiment::run);

    /** The U-Net arm ({@link Config#unet}): {@code Main run dead-leaves-unet}, notebook 04's U-Net section. */
    public static final Experiment<Config> UNET_EXPERIMENT = Experiment.of("dead-leaves-unet",
            "dead leaves (stand-in generator), Gaussian diffusion T = 1000, a small U-Net (not in the paper; Figure 4's samples)", Config.class, Config::unet, DeadLeavesExperiment::run);

    public static BetaSchedule schedule(Config c) { return c.schedule().build(c.T()); }

    public static GaussianDiffusion diffusion(Config c) { return new GaussianDiffusion(schedule(c)); }

    /** Training and held-out images from the data stream; dequantisation noise from a split-off stream. */
    public static Data data(Config c, long seed) {
        SplittableRandom rng = new SplittableRandom(new Seeds(seed).data()), noise = rng.split();
        DataSet ds = c.generator().dataSet(c.trainImages(), c.heldOut(), rng);
        INDArray train = ds.scaling().dequantise(ds.train(), noise), heldOut = ds.scaling().dequantise(ds.test(), noise);
        INDArray eq9 = heldOut.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, c.eq9Images()),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
        return new Data(ds, train, heldOut, eq9);
    }

    /**
     * The closed-form baselines fitted to the training images and scored on the held-out images (ridge 0: the
     * dequantisation noise keeps both covariances positive definite).
     */
    public static Baselines baselines(Config c, Data data) {
        return new Baselines(GaussianDensity.full(data.train(), 0).evaluate(data.heldOut()),
                StationaryGaussian.fit(data.train(), c.shape(), 0).evaluate(data.heldOut()));
    }

    /** The untrained network: weights from the model stream, readout at zero (K starts near L_null). */
    public static ImageNetwork network(Config c, long seed) {
        return ImageNetwork.create(c.network(), schedule(c), c.parameterisation(), new Seeds(seed).model());
    }

    /**
     * The trainer's settings: Adam with the rate decaying geometrically from learningRate to finalLearningRate,
     * {@code estimator}'s time steps, K on 16 training images at four points of the run (each such K costs T - 1
     * network passes, so few; of the last parameters), the parameter average when parameterAverage > 0, and a
     * checkpoint file under checkpoints/ when checkpointEvery > 0.
     */
    public static TrainConfig trainConfig(Config c, long seed) {
        LearningRate lr = LearningRate.decaying(c.learningRate(), c.finalLearningRate(), c.steps(), DECAYS);
        TrainConfig t = TrainConfig.of(new Seeds(seed).training(), c.steps()).withBatch(c.batch()).withEstimator(c.estimator())
                .withOptimizer(OptimizerKind.ADAM, lr).withEvaluation(Math.max(1, c.steps() / EVALUATIONS), EVALUATION_IMAGES);
        if (c.parameterAverage() > 0) t = t.withParameterAverage(c.parameterAverage());
        return c.checkpointEvery() > 0 ? t.withCheckpoint(checkpointFile(c, seed), c.checkpointEvery()) : t;
    }

    /**
     * Where a checkpointed run keeps its state: checkpoints/dead-leaves-&lt;size&gt;-seed&lt;seed&gt;.ckpt under the
     * repository, dead-leaves-unet-... for the U-Net, so the two networks of one notebook never resume from each other's.
     */
    public static Path checkpointFile(Config c, long seed) {
        return Notebook.home().resolve("checkpoints").resolve(experimentName(c.architecture()) + "-" + c.size() + "-seed" + seed + ".ckpt");
    }

    /**
     * Trains the network in place by ascent on K (Eq. 14); the history's K in bits per pixel. With parameterAverage
     * > 0 the network ends holding the averaged parameters ({@link #useAverage}), the last ones kept in the result.
     */
    public static Trained train(Config c, ImageNetwork network, Data data, long seed) {
        if (c.checkpointEvery() > 0) {
            try {
                java.nio.file.Files.createDirectories(checkpointFile(c, seed).getParent());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot create " + checkpointFile(c, seed).getParent(), e);
            }
        }
        TrainResult<ImageNetwork> r = ImageNetworkObjective.train(network, data.train(), null, trainConfig(c, seed));
        return new Trained(r, useAverage(network, r));
    }

    /**
     * A training run of this experiment: the loop's result (history, times, K of the last parameters on the
     * evaluation set) and the last parameters, which the network no longer holds when it was switched to the
     * parameter average ({@link #useAverage}).
     */
    public record Trained(TrainResult<ImageNetwork> result, float[] lastParameters) {
        public int steps() { return result.steps(); }

        public double seconds() { return result.seconds(); }

        public double cpuSeconds() { return result.cpuSeconds(); }

        public int skipped() { return result.skipped(); }

        public tech.tablesaw.api.Table table() { return result.table(); }

        public boolean averaged() { return result.hasAverage(); }
    }

    /**
     * Installs the run's parameter average into the network when the run kept one and returns the parameters it
     * replaced (the last iterate); without an average the network is unchanged and its parameters are returned.
     */
    public static float[] useAverage(ImageNetwork network, TrainResult<ImageNetwork> r) {
        float[] last = network.parameterValues();
        if (r.hasAverage()) network.setParameterValues(r.averagedParameters());
        return last;
    }

    /**
     * Runs {@code what} with the network holding {@code parameters} (laid out as {@link ImageNetwork#parameterValues}),
     * then puts back the parameters it held: to sample or evaluate the last parameters of a run that kept an average.
     */
    public static <T> T withParameters(ImageNetwork network, float[] parameters, java.util.function.Supplier<T> what) {
        float[] held = network.parameterValues();
        network.setParameterValues(parameters);
        try {
            return what.get();
        } finally {
            network.setParameterValues(held);
        }
    }

    /**
     * What the parameter average buys, from one run: K (Eq. 14) of the last and of the averaged parameters on the same
     * held-out images with the same noise, bits/pixel, and their paired difference (averaged minus last).
     */
    public record AverageGain(BoundResult last, BoundResult averaged, Estimate gainBits) {
        public double lastBits() { return last.kBits(PER_PIXEL); }

        public double averagedBits() { return averaged.kBits(PER_PIXEL); }
    }

    /** {@link AverageGain} on the first {@code images} held-out images; the network holds the run's average. */
    public static AverageGain averageGain(ImageNetwork network, Trained trained, Data data, long seed, int images) {
        if (!trained.averaged()) throw Check.bad("trained", "a run without a parameter average", "a run with parameterAverage > 0");
        Check.inRange("images", images, 2, (int) data.heldOut().rows());
        INDArray x = data.heldOut().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, images),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
        GaussianDiffusion diffusion = new GaussianDiffusion(network.schedule());
        long noise = new Seeds(seed).bound();
        BoundResult averaged = BoundK.gaussian(diffusion, network.kernel(), x, noise);
        BoundResult last = withParameters(network, trained.lastParameters(), () -> BoundK.gaussian(diffusion, network.kernel(), x, noise));
        Estimate gain = Estimate.ofDifference(averaged.perExampleNats(), last.perExampleNats()).times(1 / (Math.log(2) * network.dimensions()));
        return new AverageGain(last, averaged, gain);
    }

    /**
     * CPU seconds per training step of these settings, measured on a throw-away network over a few steps (after ten
     * warm-up steps), for the estimate printed before a long run.
     */
    public static double secondsPerStep(Config c, Data data, long seed, int steps) {
        Config probeConfig = Settings.change(c, "steps", steps + WARM_UP, "checkpointEvery", 0);
        return StepCost.secondsPerStep(network(c, seed), data.train(),
                trainConfig(probeConfig, seed).withEvaluation(0, 1).withProgress(false), WARM_UP, steps);
    }

    /** The training's estimated time, one line, from {@link #secondsPerStep} over 20 steps ({@link StepCost#estimate}). */
    public static String estimate(Config c, Data data, long seed) {
        return StepCost.estimate(c.steps(), secondsPerStep(c, data, seed, 20), c.checkpointEvery(), checkpointFile(c, seed));
    }

    /** K (Eq. 14) on every held-out image and Eq. 9 on the first eq9Images, seeded. */
    public static Evaluation evaluate(Config c, ImageNetwork network, Data data, long seed) {
        return Evaluation.gaussianImages(new GaussianDiffusion(network.schedule()), network.kernel(), data.heldOut(), data.eq9Images(),
                c.eq9Trajectories(), seed, PER_PIXEL);
    }

    /** Where {@link #run} writes Figure 4: dead-leaves-figure4-&lt;profile&gt;-seed&lt;seed&gt;.png in the results directory. */
    public static Path figureFile(Path results, Profile profile, long seed) {
        return figureFile(results, Architecture.MULTISCALE, profile, seed);
    }

    /** The same for either network; the U-Net's is dead-leaves-unet-figure4-&lt;profile&gt;-seed&lt;seed&gt;.png. */
    public static Path figureFile(Path results, Architecture architecture, Profile profile, long seed) {
        if (results == null) throw Check.bad("results", null, "a directory");
        return results.resolve(experimentName(architecture) + "-figure4-" + profile.id() + "-seed" + seed + ".png");
    }

    /**
     * Figure 4 as one picture, every panel titled as stand-in data (and the samples' as the U-Net's, not the paper's
     * network, for a U-Net config): four training images, four samples at the
     * training size and the samples at largeSize (each row of {@code samples} and {@code large} a z-scored image;
     * all shown on the stored [0, 1] grey scale, clipped), zoomed by whole pixels with no smoothing: about 160 pixels
     * per image at the training size and 480 per row of two at largeSize. At about 96 pixels per 32 x 32 sample
     * (the zoom of before) a faint grain read as a coarse texture and flat regions as mottled; the same samples at
     * 12 pixels per pixel showed flat regions with sharp edges (looked at, 2026-12-06), so the zoom sets what a
     * reader can judge.
     */
    public static java.awt.image.BufferedImage figure4(Config c, Data data, INDArray samples, INDArray large) {
        if (samples == null || samples.rank() != 2 || samples.columns() != c.shape().dimensions()) {
            throw Check.bad("samples", samples == null ? null : java.util.Arrays.toString(samples.shape()), "[n, " + c.shape().dimensions() + "]");
        }
        int dLarge = c.largeSize() * c.largeSize();
        if (large == null || large.rank() != 2 || large.columns() != dLarge) {
            throw Check.bad("large", large == null ? null : java.util.Arrays.toString(large.shape()), "[n, " + dLarge + "]");
        }
        var scaling = data.stored().scaling();
        int zoom = Math.max(1, 160 / c.size()), largeZoom = Math.max(1, 240 / c.largeSize()), n = (int) Math.min(4, samples.rows());
        INDArray train = rows(data.stored().train(), 4), drawn = rows(samples, n);
        String what = c.architecture() == Architecture.UNET ? "U-Net samples (not in the paper), " : "samples, ";
        return org.dpm4j.plot.Plots.sideBySide(
                org.dpm4j.plot.Plots.titled("training images (stand-in)", org.dpm4j.data.ImageGrid.of(scaling.toStored(train), c.shape(), 2, 0, 1, zoom)),
                org.dpm4j.plot.Plots.titled(what + c.size() + " x " + c.size() + " (stand-in)",
                        org.dpm4j.data.ImageGrid.of(scaling.toStored(drawn), c.shape(), 2, 0, 1, zoom)),
                org.dpm4j.plot.Plots.titled(what + c.largeSize() + " x " + c.largeSize() + " (stand-in)",
                        org.dpm4j.data.ImageGrid.of(scaling.toStored(large), ImageShape.grey(c.largeSize(), c.largeSize()), 2, 0, 1, largeZoom)));
    }

    /**
     * How flat the regions and how sharp the edges of grey images are: over every horizontal and vertical pair of
     * neighbouring pixels, the shares whose 8-bit grey levels (stored value x 255) differ by less than 1.5 levels
     * (equal: inside one disc), by 1.5 to 20 (small steps: grain, or two discs of nearly the same grey), and by 20 or more
     * (edges). Training images of the standard generator: about 0.81, 0.03, 0.16.
     */
    public record NeighbourSteps(double equal, double small, double edge) {
        @Override public String toString() { return String.format("equal %.3f, small steps %.3f, edges %.3f", equal, small, edge); }
    }

    /** {@link NeighbourSteps} of the z-scored square images {@code z} [n, side^2], through the data's scaling. */
    public static NeighbourSteps neighbourSteps(Data data, INDArray z) {
        if (z == null || z.rank() != 2 || z.rows() < 1) throw Check.bad("z", z == null ? null : java.util.Arrays.toString(z.shape()), "[n, side^2] images");
        int side = (int) Math.round(Math.sqrt(z.columns()));
        if (side * side != z.columns() || side < 2) throw Check.bad("z.columns", z.columns(), "side^2 for a square image of side >= 2");
        double[] v = data.stored().scaling().toStored(z).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').data().asDouble();
        long[] counts = new long[3];   // equal, small steps, edges
        for (int k = 0, n = (int) z.rows(); k < n; k++) {
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    int i = (k * side + y) * side + x;
                    if (x + 1 < side) counts[stepKind(v[i], v[i + 1])]++;        // right neighbour
                    if (y + 1 < side) counts[stepKind(v[i], v[i + side])]++;     // neighbour below
                }
            }
        }
        double all = counts[0] + counts[1] + counts[2];
        return new NeighbourSteps(counts[0] / all, counts[1] / all, counts[2] / all);
    }

    /** 0 (equal), 1 (small step) or 2 (edge) for two stored grey values in [0, 1], by their difference in grey levels. */
    private static int stepKind(double a, double b) {
        double levels = 255 * Math.abs(a - b);
        return levels < 1.5 ? 0 : levels < 20 ? 1 : 2;
    }

    /**
     * How well a kernel denoises held-out images at each of {@code times}: the mean squared error of the x_0 its mean
     * step implies ({@link GaussianDiffusion#impliedX0}) as a share of (1 - alphabar_t) / alphabar_t, the error
     * variance of the linear estimate x_t / sqrt(alphabar_t); 1 is no denoising, 0 a perfect one. {@code filter} is the
     * same share for {@link #edgeKeepingFilter} on the same x_t, a hand-made reference for what piecewise-flat images
     * allow (not a bound: a better denoiser can beat it).
     */
    public record Denoising(int[] times, double[] model, double[] filter) {}

    /**
     * {@link Denoising} on the first {@code images} held-out images, one draw of x_t ~ q(x_t | x_0) per image and t
     * (t in 2..T) from the "denoising" stream of {@code seed}. Where the per-step bound is lost at low noise, this says
     * whether the kernel's mean is the reason: its implied x_0 against an edge-keeping filter's.
     */
    public static Denoising denoising(ImageNetwork network, Data data, int images, int[] times, long seed) {
        if (network == null) throw Check.bad("network", null, "a trained ImageNetwork");
        Check.inRange("images", images, 1, (int) data.heldOut().rows());
        if (times == null || times.length == 0) throw Check.bad("times", times == null ? null : "[]", "one or more t in 2.." + network.T());
        int side = network.config().shape().height();
        if (network.config().shape().channels() != 1 || network.config().shape().width() != side) {
            throw Check.bad("network shape", network.config().shape(), "square grey images");
        }
        INDArray x0 = data.heldOut().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, images), org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
        GaussianDiffusion diffusion = new GaussianDiffusion(network.schedule());
        SplittableRandom rng = new SplittableRandom(new Seeds(seed).of("denoising"));
        double[] truth = x0.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').data().asDouble();
        double[] model = new double[times.length], filter = new double[times.length];
        for (int i = 0; i < times.length; i++) {
            int t = Check.inRange("times[" + i + "]", times[i], 2, network.T());
            double ab = network.schedule().alphaBar(t), linearVariance = (1 - ab) / ab;
            INDArray xt = diffusion.sampleQ(x0, t, rng);
            double[] implied = diffusion.impliedX0(network.kernel().step(xt, t).mean(), xt, t).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').data().asDouble();
            double[] linear = xt.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).div(Math.sqrt(ab)).dup('c').data().asDouble();
            double[] filtered = new double[linear.length];
            for (int k = 0; k < images; k++) {
                double[] one = java.util.Arrays.copyOfRange(linear, k * side * side, (k + 1) * side * side);
                System.arraycopy(edgeKeepingFilter(one, side, Math.sqrt(linearVariance)), 0, filtered, k * side * side, side * side);
            }
            model[i] = meanSquaredError(implied, truth) / linearVariance;
            filter[i] = meanSquaredError(filtered, truth) / linearVariance;
        }
        return new Denoising(times.clone(), model, filter);
    }

    /**
     * A hand-made edge-keeping filter (a sigma filter, Lee 1983): each pixel of the square image {@code z} (side x side,
     * row-major, independent noise of standard deviation {@code noiseStd}) becomes the mean of the pixels of its 5 x 5
     * window (within the image) that lie within 3 noise standard deviations of it, itself included. On flat regions it
     * averages up to 25 values; across an edge of contrast well above the noise it mixes nothing.
     */
    static double[] edgeKeepingFilter(double[] z, int side, double noiseStd) {
        if (z == null || z.length != side * side) throw Check.bad("z", z == null ? null : z.length, side * side + " values");
        if (!(noiseStd > 0)) throw Check.bad("noiseStd", noiseStd, "a positive standard deviation");
        double[] out = new double[z.length];
        double limit = 3 * noiseStd;
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                double centre = z[y * side + x], sum = 0;
                int count = 0;
                for (int v = Math.max(0, y - 2); v <= Math.min(side - 1, y + 2); v++) {
                    for (int u = Math.max(0, x - 2); u <= Math.min(side - 1, x + 2); u++) {
                        double value = z[v * side + u];
                        if (Math.abs(value - centre) < limit) {
                            sum += value;
                            count++;
                        }
                    }
                }
                out[y * side + x] = sum / count;
            }
        }
        return out;
    }

    private static double meanSquaredError(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
        return s / a.length;
    }

    private static INDArray rows(INDArray x, int n) {
        return x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, Math.min(n, (int) x.rows())),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
    }

    /** Samples at the training size, z-scored values [samples, size^2], seeded. */
    public static Trajectory samples(Config c, ImageNetwork network, long seed) {
        return AncestralSampler.gaussian(new GaussianDiffusion(network.schedule()), network.kernel(), c.samples(),
                network.dimensions(), new Seeds(seed).samples(), false);
    }

    /**
     * Samples without the last step's noise: the mean sqrt(1 - beta_1) x_1 of the fixed first reverse step, from the
     * x_1 each sample was drawn from (kept by every {@link Trajectory}, so the chain is not run again), so
     * {@link #neighbourSteps} counts the grain the model leaves apart from that step's noise of sqrt(beta_1) (0.045 z
     * units, about 3 grey levels, which alone makes most neighbour pairs of a flat region differ by more than 1.5 levels).
     */
    public static INDArray lastStepMeans(ImageNetwork network, Trajectory samples) {
        if (network == null) throw Check.bad("network", null, "the ImageNetwork that drew the samples");
        if (samples == null) throw Check.bad("samples", null, "a Trajectory from samples or largeSamples");
        if (samples.x1().columns() != network.dimensions()) {
            throw Check.bad("samples' x_1 columns", samples.x1().columns(), network.dimensions() + " (the network's dimensions)");
        }
        return new GaussianDiffusion(network.schedule()).firstReverseStep(samples.x1()).mean();
    }

    /**
     * Samples at largeSize x largeSize from the same trained network ({@link ImageNetwork#atShape}): the kernel is
     * convolutional, so it applies unchanged to a larger image (Figure 4), seeded from its own stream.
     */
    public static Trajectory largeSamples(Config c, ImageNetwork network, long seed) {
        ImageNetwork large = network.atShape(ImageShape.grey(c.largeSize(), c.largeSize()));
        return AncestralSampler.gaussian(new GaussianDiffusion(large.schedule()), large.kernel(), c.largeSamples(),
                large.dimensions(), new Seeds(seed).of("large samples"), false);
    }

    /**
     * The radius law of the generator against draws from it: the empirical CDF of {@code draws} radii at
     * {@code points} radii spaced evenly in log r over [rMin, rMax], the law F(r) = (rMin^-2 - r^-2)/(rMin^-2 - rMax^-2)
     * there, and the Kolmogorov-Smirnov distance over all draws (its 1% critical value is about 1.63 / sqrt(draws)).
     */
    public record RadiusLaw(double[] radius, double[] empirical, double[] law, double ksDistance, int draws) {
        /** The 1% critical value of the KS distance for this many draws (asymptotic, 1.628 / sqrt(n)). */
        public double criticalValue() { return 1.628 / Math.sqrt(draws); }
    }

    /** The radius law of the settings' generator, from the "figures" stream. */
    public static RadiusLaw radiusLaw(Config c, int draws, int points) {
        Check.positive("draws", draws);
        Check.inRange("points", points, 2, 100_000);
        DeadLeaves g = c.generator();
        SplittableRandom rng = new SplittableRandom(new Seeds(0).of("figures"));
        double[] r = new double[draws];
        for (int i = 0; i < draws; i++) r[i] = g.sampleRadius(rng);
        java.util.Arrays.sort(r);
        double ks = 0;
        for (int i = 0; i < draws; i++) {
            double f = g.radiusCdf(r[i]);
            ks = Math.max(ks, Math.max(Math.abs(f - (double) i / draws), Math.abs(f - (double) (i + 1) / draws)));
        }
        double[] at = new double[points], emp = new double[points], law = new double[points];
        for (int k = 0; k < points; k++) {
            at[k] = c.rMin() * Math.pow(c.rMax() / c.rMin(), k / (points - 1.0));
            int below = 0;
            while (below < draws && r[below] <= at[k]) below++;
            emp[k] = (double) below / draws;
            law[k] = g.radiusCdf(at[k]);
        }
        return new RadiusLaw(at, emp, law, ks, draws);
    }

    /** x_t for one z-scored image at each of the times (t = 0: the image), one row per time, seeded (Eq. 1's marginal). */
    public static INDArray forwardStates(Config c, INDArray image, int[] times, long seed) {
        if (image == null || image.rank() != 2 || image.rows() != 1 || image.columns() != c.shape().dimensions()) {
            throw Check.bad("image", image == null ? null : java.util.Arrays.toString(image.shape()), "[1, " + c.shape().dimensions() + "]");
        }
        GaussianDiffusion diffusion = diffusion(c);
        SplittableRandom rng = new SplittableRandom(new Seeds(seed).of("figures"));
        INDArray[] rows = new INDArray[times.length];
        for (int i = 0; i < times.length; i++) {
            Check.inRange("times[" + i + "]", times[i], 0, c.T());
            rows[i] = times[i] == 0 ? image.dup() : diffusion.sampleQ(image, times[i], rng);
        }
        return org.nd4j.linalg.factory.Nd4j.vstack(rows);
    }

    /**
     * The four Gaussian parameterisations at one short, equal budget: each trains a fresh network from the same
     * seed on the same data for {@code steps} steps (the settings' other values unchanged), then K (Eq. 14) on the
     * first {@code images} held-out images with the same noise; bits/pixel, with the training's CPU seconds.
     */
    public static tech.tablesaw.api.Table compareParameterisations(Config c, Data data, long seed, int steps, int images) {
        Check.positive("steps", steps);
        Check.inRange("images", images, 2, (int) data.heldOut().rows());
        INDArray x = data.heldOut().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, images),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
        var name = tech.tablesaw.api.StringColumn.create("parameterisation");
        var k = tech.tablesaw.api.DoubleColumn.create("K (bits/pixel)");
        var se = tech.tablesaw.api.DoubleColumn.create("K s.e.");
        var cpu = tech.tablesaw.api.DoubleColumn.create("training CPU s");
        for (GaussianParameterisation p : GaussianParameterisation.values()) {
            Config cp = Settings.change(c, "parameterisation", p, "steps", steps, "checkpointEvery", 0);
            ImageNetwork net = network(cp, seed);
            TrainResult<ImageNetwork> r = ImageNetworkObjective.train(net, data.train(), null,
                    trainConfig(cp, seed).withEvaluation(0, 1).withProgress(false));
            BoundResult b = BoundK.gaussian(new GaussianDiffusion(net.schedule()), net.kernel(), x, new Seeds(seed).bound());
            name.append(p.name());
            k.append(b.kBits(PER_PIXEL));
            se.append(b.kStandardErrorBits(PER_PIXEL));
            cpu.append(r.cpuSeconds());
        }
        return tech.tablesaw.api.Table.create("Gaussian parameterisations, " + steps + " steps each, K on " + images
                + " held-out images", name, k, se, cpu);
    }

    /**
     * The run's rows: K with its standard error, K - L_null, Eq. 9 with its, and both baselines' held-out
     * log-likelihoods with theirs, all bits/pixel on the same held-out images; marked as measured on stand-in
     * dead-leaves data (the paper's were Theis et al.'s), with the settings, the generator and the seed.
     */
    public static Run row(Config c, Profile profile, long seed, Evaluation e, Baselines b, Elapsed elapsed) {
        return Run.builder(experimentName(c.architecture()), DATASET, c.architecture() == Architecture.UNET ? UNET_MODEL : "diffusion").standIn(true).profile(profile.id()).seed(seed)
                .configuration(c).configuration("generator", c.generator().toString()).configuration(ImageNetwork.THREADS_FIELD, ImageNetwork.threads()).elapsed(elapsed)
                .metric(Metric.K, e.kBits(), e.kStandardErrorBits(), UNITS)
                .metric(Metric.K_MINUS_L_NULL, e.kMinusLNullBits(), UNITS)
                .metric(Metric.EQ9, e.eq9Bits(), e.eq9StandardErrorBits(), UNITS)
                .metric(FULL_GAUSSIAN, b.fullBits(), b.full().standardErrorBits(PER_PIXEL), UNITS)
                .metric(STATIONARY_GAUSSIAN, b.stationaryBits(), b.stationary().standardErrorBits(PER_PIXEL), UNITS)
                .build();
    }

    public static Run run(Profile profile, long seed) { return run(Config.of(profile), profile, seed); }

    /**
     * Data, baselines, training (the estimated time printed first when checkpointed), evaluation, samples, the row;
     * the samples also as Figure 4 in the repository's results directory ({@link #figureFile}), so a command-line run
     * can be looked at.
     */
    public static Run run(Config c, Profile profile, long seed) {
        RunClock clock = RunClock.start();
        Data data = data(c, seed);
        Baselines b = baselines(c, data);
        if (c.checkpointEvery() > 0) System.out.println(estimate(c, data, seed));
        ImageNetwork network = network(c, seed);
        train(c, network, data, seed);
        Evaluation e = evaluate(c, network, data, seed);
        INDArray drawn = samples(c, network, seed).x0(), large = largeSamples(c, network, seed).x0();
        Check.allFinite("dead-leaves samples", drawn.dup().data().asDouble());
        Check.allFinite("dead-leaves large samples", large.dup().data().asDouble());
        Path figure = org.dpm4j.plot.Plots.write(figure4(c, data, drawn, large), figureFile(Notebook.results(), c.architecture(), profile, seed));
        System.out.println("Figure 4 (samples) written to " + figure);
        return row(c, profile, seed, e, b, clock.elapsed());
    }
}
