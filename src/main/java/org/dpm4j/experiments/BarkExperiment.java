package org.dpm4j.experiments;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.dpm4j.bound.BoundK;
import org.dpm4j.bound.BoundResult;
import org.dpm4j.bound.GaussianConditional;
import org.dpm4j.bound.GaussianDensity;
import org.dpm4j.bound.HeldOutLikelihood;
import org.dpm4j.bound.Per;
import org.dpm4j.bound.StationaryGaussian;
import org.dpm4j.bound.TextureGaussian;
import org.dpm4j.data.DataSet;
import org.dpm4j.data.ImageGrid;
import org.dpm4j.data.ImageShape;
import org.dpm4j.data.Picture;
import org.dpm4j.data.StandIns;
import org.dpm4j.data.UiucTextures;
import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.kernel.GaussianParameterisation;
import org.dpm4j.nn.conv.ImageNetwork;
import org.dpm4j.nn.conv.ImageNetworkConfig;
import org.dpm4j.nn.conv.ImageNetworkObjective;
import org.dpm4j.notebook.Notebook;
import org.dpm4j.plot.Plots;
import org.dpm4j.results.Elapsed;
import org.dpm4j.results.Metric;
import org.dpm4j.results.Run;
import org.dpm4j.results.RunClock;
import org.dpm4j.sampling.AncestralSampler;
import org.dpm4j.sampling.Inpainting;
import org.dpm4j.sampling.TextureMetrics;
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
 * The bark experiment (Table 1's bark row, Sec. 2.5 and Figure 5): Gaussian diffusion with T = 500 and the reference
 * schedule on grey texture crops, z-scored by one scalar mean and standard deviation; the paper's multi-scale
 * convolutional reverse kernel, its convolutional pathway alone, so the trained network applies to a larger image
 * ({@link ImageNetwork#atShape}); trained by ascent on K (Eq. 14) with the one training loop; K, K - L_null and Eq. 9
 * on held-out crops in bits per pixel beside the full-covariance and stationary Gaussians on the same crops; then
 * Figure 5: an image three times the crop size whose central third is filled in by the reverse process with the
 * known pixels held fixed ({@link Inpainting}), beside a Gaussian model's conditional mean, with texture statistics
 * of the filled region against the true one ({@link TextureMetrics}).
 * <p>
 * Data. The paper's are the UIUC texture set's bark classes T01-T04 ({@link UiucTextures}), used here with
 * {@code --set dataset=uiuc --set uiucPath=DIR}; they cannot be installed. By default one grey texture photograph of
 * scikit-image ({@link StandIns#TEXTURES}: brick, grass, gravel) stands in, labelled as stand-in data in every row and
 * title: training crops come from its top rows, held-out crops and the inpainting image from the bottom rows, so
 * nothing tested was seen in training. With the UIUC set, whole images are held out (the last quarter of each class).
 */
public final class BarkExperiment {
    /** Table 1's data-set name: rows on the stand-in are labelled "Bark (stand-in)". */
    public static final String DATASET = "Bark";
    public static final String UNITS = "bits/pixel";
    /** Values of one grey pixel. */
    public static final Per PER_PIXEL = Per.pixel(1);
    /** Metric names of the baselines and of Figure 5's texture statistics in a run's rows. */
    public static final String FULL_GAUSSIAN = "full-covariance Gaussian", STATIONARY_GAUSSIAN = "stationary Gaussian",
            SPECTRUM_DIFFUSION = "inpainting log-spectrum distance (diffusion)",
            SPECTRUM_GAUSSIAN = "inpainting log-spectrum distance (Gaussian mean)",
            W1_DIFFUSION = "inpainting grey-level W1 (diffusion)", W1_GAUSSIAN = "inpainting grey-level W1 (Gaussian mean)";
    /** The data choices: the packaged stand-in texture, or the UIUC set on disk. */
    public static final String STAND_IN = "stand-in", UIUC = "uiuc";
    private static final int WARM_UP = 10, DECAYS = 20, EVALUATIONS = 4, EVALUATION_IMAGES = 16, HISTOGRAM_BINS = 32;

    /**
     * Every setting of a run, by name (see {@link Settings}).
     *
     * @param dataset           {@code stand-in} (the packaged texture photograph) or {@code uiuc} (the UIUC set at uiucPath)
     * @param uiucPath          the UIUC set's folder (empty: DataCache.root()/uiuc-textures)
     * @param texture           the stand-in texture: brick, grass or gravel
     * @param downscale         each image is averaged down by this factor first (texture elements a few pixels across)
     * @param heldOutFraction   the stand-in's bottom rows (UIUC: each class's last images) held out, as a fraction
     * @param size              crop side in pixels (training and held-out crops)
     * @param inpaintSize       side of Figure 5's image, three times the hole; a multiple of 3 and of 2^(scales-1)
     * @param T                 diffusion steps (the paper: 500)
     * @param schedule          the beta schedule by name (the reference code's, {@code reference})
     * @param parameterisation  how the network's readout becomes the Gaussian kernel's mean and variance
     * @param convLayers        multi-scale convolution layers
     * @param convChannels      channels of each convolution layer
     * @param scales            mean-pool factors 1, 2, ..., 2^(scales-1) in each layer
     * @param upperLayers       per-pixel (1x1) layers on top, the last one the temporal readout
     * @param upperHidden       width of the upper hidden layers
     * @param temporalBasis     J, bump functions of t in the readout (the reference code: 10)
     * @param trainCrops        training crops (also the baselines' fit)
     * @param steps             training steps
     * @param batch             crops per minibatch
     * @param estimator         how a minibatch picks its time steps (SAMPLED_T: one t per crop)
     * @param learningRate      Adam's rate at the first step
     * @param finalLearningRate the rate reached by a geometric decay at the last step
     * @param heldOut           held-out crops for K and the baselines
     * @param eq9Images         held-out crops for Eq. 9 (the first of the K set)
     * @param eq9Trajectories   forward trajectories per crop for Eq. 9
     * @param draws             inpainted draws of Figure 5
     * @param baselineImages    training images (regions) whose autocovariance gives the baseline's stationary Gaussian
     * @param checkpointEvery   steps between checkpoints (0: none)
     */
    public record Config(String dataset, String uiucPath, String texture, int downscale, double heldOutFraction, int size,
                         int inpaintSize, int T, ScheduleSpec schedule, GaussianParameterisation parameterisation,
                         int convLayers, int convChannels, int scales, int upperLayers, int upperHidden, int temporalBasis,
                         int trainCrops, int steps, int batch, Estimator estimator, double learningRate,
                         double finalLearningRate, int heldOut, int eq9Images, int eq9Trajectories, int draws,
                         int baselineImages, int checkpointEvery) {
        public Config {
            if (!STAND_IN.equals(dataset) && !UIUC.equals(dataset)) throw Check.bad("dataset", dataset, STAND_IN + " or " + UIUC);
            if (uiucPath == null) throw Check.bad("uiucPath", null, "a folder, or empty for DataCache.root()/uiuc-textures");
            if (texture == null || !StandIns.TEXTURES.contains(texture + ".png")) throw Check.bad("texture", texture,
                    "one of the packaged textures " + StandIns.TEXTURES.stream().map(f -> f.replace(".png", "")).toList());
            Check.inRange("downscale", downscale, 1, 64);
            if (!(heldOutFraction > 0 && heldOutFraction < 1)) throw Check.bad("heldOutFraction", heldOutFraction, "a number in (0, 1)");
            Check.inRange("size", size, 2, 4096);
            if (inpaintSize % 3 != 0 || inpaintSize < 3 * 2) throw Check.bad("inpaintSize", inpaintSize, "a multiple of 3, at least 6 (the hole is its central third)");
            Check.inRange("T", T, 2, 100_000);
            if (schedule == null) throw Check.bad("schedule", null, "a schedule by name, such as reference");
            schedule.build(T);
            if (parameterisation == null) throw Check.bad("parameterisation", null, "PAPER, REFERENCE, POSTERIOR_X0 or POSTERIOR_V");
            Check.positive("convLayers", convLayers);
            // the network's own checks name the size that the pools do not divide
            new ImageNetworkConfig(ImageShape.grey(size, size), convLayers, convChannels, scales, 0, 0, 0, upperLayers, upperHidden, temporalBasis);
            new ImageNetworkConfig(ImageShape.grey(inpaintSize, inpaintSize), convLayers, convChannels, scales, 0, 0, 0, upperLayers, upperHidden, temporalBasis);
            Check.inRange("trainCrops", trainCrops, 2, Integer.MAX_VALUE);
            Check.inRange("steps", steps, 0, Integer.MAX_VALUE);
            Check.positive("batch", batch);
            if (estimator == null) throw Check.bad("estimator", null, "SAMPLED_T, STRATIFIED_T, ONE_T_PER_BATCH or ALL_T");
            Check.positive("learningRate", learningRate);
            if (!(finalLearningRate > 0 && finalLearningRate <= learningRate)) {
                throw Check.bad("finalLearningRate", finalLearningRate, "a number in (0, learningRate = " + learningRate + "]");
            }
            Check.inRange("heldOut", heldOut, 2, Integer.MAX_VALUE);
            Check.inRange("eq9Images", eq9Images, 1, heldOut);
            Check.positive("eq9Trajectories", eq9Trajectories);
            Check.positive("draws", draws);
            Check.positive("baselineImages", baselineImages);
            Check.inRange("checkpointEvery", checkpointEvery, 0, Integer.MAX_VALUE);
        }

        /**
         * The settings of a profile. Every profile: T = 500 and the reference schedule, the paper's network form with
         * the convolutional pathway alone, one t per crop (SAMPLED_T), Adam decaying tenfold; the stand-in texture
         * gravel, halved (stones about 8 pixels across), its bottom quarter held out.
         * <ul>
         *   <li>quick (CI, the whole notebook under two minutes): 16 x 16 crops, 2 layers of 16 channels, 600 steps,
         *   Figure 5 at 48 x 48;</li>
         *   <li>standard (at most 15 minutes on an idle 2-core machine): 16 x 16 crops, 4 layers of 32 channels over
         *   3 scales, 8,000 steps of 32 crops, Figure 5 at 48 x 48 (a 16 x 16 hole). Its {@link #estimate} measured
         *   0.088 CPU s per step at load average 21 (8000 steps: 704 CPU s of training); the same network took 0.056
         *   CPU s per step on dead leaves at load 2-3 (450 s), and K, Eq. 9 and Figure 5 add a few minutes. Not yet
         *   run to the end here: at that load it would have taken about 90 minutes of wall time;</li>
         *   <li>paper: 32 x 32 crops of the full-resolution texture, the reference code's 4 layers of 20 channels and
         *   upper 2 x 20, 100,000 steps of 128 crops, checkpointed every 1000 steps (its estimated time is printed
         *   before it trains), Figure 5 at 96 x 96 (the stationary Gaussian's 9216 x 9216 covariance wants a few GB).</li>
         * </ul>
         * The parameterisation is REFERENCE (mu = x_t sqrt(1 - beta_t) + z_mu sqrt(beta_t)), the best of the four at
         * one short, equal budget, though within about a standard error of POSTERIOR_V. Measured with
         * {@link #compareParameterisations} (the quick network, 800 steps of 32 crops, Adam 2e-3 decaying to 2e-4,
         * 2000 training crops, seed 1; K on 100 held-out crops with the same noise, bits/pixel, s.e. about 0.012):
         * PAPER -1.124, REFERENCE -1.039, POSTERIOR_X0 -1.075, POSTERIOR_V -1.054, against the full-covariance
         * Gaussian's -1.140 and the stationary Gaussian's -1.094 on the same crops.
         */
        public static Config of(Profile profile) {
            Config standard = Settings.build(Config.class,
                    "dataset", STAND_IN, "uiucPath", "", "texture", "gravel", "downscale", 2, "heldOutFraction", 0.25,
                    "size", 16, "inpaintSize", 48, "T", 500, "schedule", ScheduleSpec.parse("reference"),
                    "parameterisation", GaussianParameterisation.REFERENCE,
                    "convLayers", 4, "convChannels", 32, "scales", 3, "upperLayers", 2, "upperHidden", 32, "temporalBasis", 10,
                    "trainCrops", 20_000, "steps", 8_000, "batch", 32, "estimator", Estimator.SAMPLED_T,
                    "learningRate", 2e-3, "finalLearningRate", 2e-4, "heldOut", 200, "eq9Images", 10, "eq9Trajectories", 10,
                    "draws", 4, "baselineImages", 8, "checkpointEvery", 0);
            return switch (profile) {
                case QUICK -> Settings.change(standard, "convLayers", 2, "convChannels", 16, "scales", 2, "upperHidden", 16,
                        "trainCrops", 2000, "steps", 600, "heldOut", 40, "eq9Images", 4, "eq9Trajectories", 4,
                        "draws", 3);
                case STANDARD -> standard;
                case PAPER -> Settings.change(standard, "downscale", 1, "size", 32, "inpaintSize", 96, "convChannels", 20,
                        "scales", 4, "upperHidden", 20, "trainCrops", 100_000, "steps", 100_000, "batch", 128,
                        "learningRate", 1e-3, "finalLearningRate", 1e-4, "heldOut", 2000, "eq9Images", 100,
                        "eq9Trajectories", 20, "checkpointEvery", 1000);
            };
        }

        /** The crop shape. */
        public ImageShape shape() { return ImageShape.grey(size, size); }

        /** Figure 5's image shape. */
        public ImageShape inpaintShape() { return ImageShape.grey(inpaintSize, inpaintSize); }

        /** The network's sizes (the convolutional pathway alone). */
        public ImageNetworkConfig network() {
            return new ImageNetworkConfig(shape(), convLayers, convChannels, scales, 0, 0, 0, upperLayers, upperHidden, temporalBasis);
        }

        /** True when the data are the packaged stand-in texture rather than the paper's bark. */
        public boolean standIn() { return STAND_IN.equals(dataset); }

        /** The UIUC set's folder. */
        public Path uiucRoot() { return uiucPath.isBlank() ? UiucTextures.defaultRoot() : Path.of(uiucPath); }

        /** The settings as name=value pairs, for printing. */
        public String describe() {
            StringBuilder b = new StringBuilder();
            Settings.describe(this).forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append('=').append(v));
            return b.toString();
        }
    }

    /** Rows [top, bottom) of one picture: where crops of one side of the split are cut. */
    public record Region(String name, Picture picture, int top, int bottom) {
        public Region {
            if (picture == null) throw Check.bad("picture", null, "a Picture");
            Check.inRange("top", top, 0, picture.shape().height() - 1);
            Check.inRange("bottom", bottom, top + 1, picture.shape().height());
        }

        public int rows() { return bottom - top; }

        public int width() { return picture.shape().width(); }

        /** The size x size crop at (row, column) of the region, row 0 its top row. */
        public double[] crop(int row, int column, int size) { return picture.crop(top + row, column, size); }
    }

    /**
     * The texture images split into training and held-out regions, with the label every figure and row shows.
     *
     * @param description "Stand-in data: ..." for the stand-in, the UIUC set's name otherwise
     */
    public record Texture(String description, boolean standIn, List<Region> train, List<Region> heldOut) {
        public Texture {
            if (train == null || train.isEmpty() || heldOut == null || heldOut.isEmpty())
                throw Check.bad("regions", train + " / " + heldOut, "at least one training and one held-out region");
            train = List.copyOf(train);
            heldOut = List.copyOf(heldOut);
        }
    }

    /**
     * The data of a run, z-scored by the training crops' scalar mean and std (the reference code's 8-bit noise
     * width): training and held-out crops, each dequantised once from a seeded stream, and Figure 5's image.
     *
     * @param stored    the crops before dequantisation, with the scaling
     * @param eq9Images the first eq9Images held-out crops
     * @param image     Figure 5's inpaintSize x inpaintSize image from the first held-out region, z units, [1, D]
     */
    public record Data(Texture texture, DataSet stored, INDArray train, INDArray heldOut, INDArray eq9Images, INDArray image) {}

    /** The closed-form baselines on the held-out crops, mean log-likelihood (nats per crop inside). */
    public record Baselines(HeldOutLikelihood full, HeldOutLikelihood stationary) {
        public double fullBits() { return full.meanBits(PER_PIXEL); }

        public double stationaryBits() { return stationary.meanBits(PER_PIXEL); }
    }

    private BarkExperiment() {}

    /** The registered experiment ({@link Experiments}): {@code Main run bark}. */
    public static final Experiment<Config> EXPERIMENT = Experiment.of("bark",
            "bark textures (stand-in texture photograph unless --set dataset=uiuc), Gaussian diffusion T = 500, multi-scale conv net, inpainting (Table 1, Figure 5)",
            Config.class, Config::of, BarkExperiment::run);

    public static BetaSchedule schedule(Config c) { return c.schedule().build(c.T()); }

    public static GaussianDiffusion diffusion(Config c) { return new GaussianDiffusion(schedule(c)); }

    /**
     * The texture's regions: the stand-in photograph's top rows to train and its bottom heldOutFraction of rows held
     * out; or the UIUC classes T01-T04 split by image ({@link UiucTextures#split}). Every image averaged down by
     * {@code downscale} first.
     */
    public static Texture texture(Config c) {
        if (c.standIn()) {
            String file = c.texture() + ".png";
            Picture p = StandIns.image(file).downscale(c.downscale());
            int h = p.shape().height(), split = h - (int) Math.round(h * c.heldOutFraction());
            if (split < 1 || split >= h) throw Check.bad("heldOutFraction", c.heldOutFraction(), "a fraction that leaves rows on both sides of " + file);
            String d = "Stand-in data: the scikit-image texture photograph " + file + " (" + p.shape() + " after "
                    + c.downscale() + "x downscaling), not bark: training crops from rows 0-" + (split - 1)
                    + ", held-out crops and the inpainting image from rows " + split + "-" + (h - 1);
            return new Texture(d, true, List.of(new Region(file + " top", p, 0, split)), List.of(new Region(file + " bottom", p, split, h)));
        }
        var split = UiucTextures.split(UiucTextures.read(c.uiucRoot(), UiucTextures.BARK), c.heldOutFraction());
        List<Region> train = new ArrayList<>(), held = new ArrayList<>();
        for (var im : split.train()) train.add(whole(im, c.downscale()));
        for (var im : split.heldOut()) held.add(whole(im, c.downscale()));
        return new Texture("UIUC texture set (Lazebnik et al. 2005) classes " + String.join(", ", UiucTextures.BARK)
                + " at " + c.uiucRoot() + ", " + c.downscale() + "x downscaled; " + held.size() + " held-out images", false, train, held);
    }

    private static Region whole(UiucTextures.Image im, int downscale) {
        Picture p = im.picture().downscale(downscale);
        return new Region(im.file().getFileName().toString(), p, 0, p.shape().height());
    }

    /**
     * n size x size crops, stored values in [0, 1], at uniform positions of uniformly chosen regions, [n, size^2].
     */
    public static INDArray crops(List<Region> regions, int size, int n, SplittableRandom rng) {
        Check.positive("n", n);
        for (Region r : regions) {
            if (r.rows() < size || r.width() < size) throw Check.bad("size", size, "at most " + Math.min(r.rows(), r.width())
                    + " so a crop fits region " + r.name() + " (" + r.rows() + " x " + r.width() + ")");
        }
        int d = size * size;
        double[] v = new double[n * d];
        for (int k = 0; k < n; k++) {
            Region r = regions.get(rng.nextInt(regions.size()));
            System.arraycopy(r.crop(rng.nextInt(r.rows() - size + 1), rng.nextInt(r.width() - size + 1), size), 0, v, k * d, d);
        }
        return Nd4j.create(v, new long[] {n, d}, 'c');
    }

    /**
     * Training crops from the training regions, held-out crops and Figure 5's image from the held-out regions (the
     * image from the first of them), all from the data stream; dequantisation noise from a split-off stream.
     */
    public static Data data(Config c, long seed) { return data(c, texture(c), seed); }

    /** The same from a texture already read. */
    public static Data data(Config c, Texture texture, long seed) {
        SplittableRandom rng = new SplittableRandom(new Seeds(seed).data()), noise = rng.split();
        INDArray train = crops(texture.train(), c.size(), c.trainCrops(), rng), held = crops(texture.heldOut(), c.size(), c.heldOut(), rng);
        INDArray image = crops(texture.heldOut().subList(0, 1), c.inpaintSize(), 1, rng);
        DataSet ds = DataSet.fromStored("texture-crops-" + c.size(), texture.description(), texture.standIn(), c.shape(),
                train, held, new int[0], new int[0], true);
        INDArray z = ds.scaling().dequantise(ds.train(), noise), h = ds.scaling().dequantise(ds.test(), noise);
        INDArray img = ds.scaling().dequantise(ds.scaling().toModel(image), noise);
        return new Data(texture, ds, z, h, h.get(NDArrayIndex.interval(0, c.eq9Images()), NDArrayIndex.all()).dup(), img);
    }

    /** The full-covariance and stationary Gaussians fitted to the training crops, scored on the held-out crops (ridge 0). */
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
     * {@code estimator}'s time steps, K on 16 training crops at four points of the run, and a checkpoint file under
     * checkpoints/ when checkpointEvery > 0.
     */
    public static TrainConfig trainConfig(Config c, long seed) {
        LearningRate lr = LearningRate.decaying(c.learningRate(), c.finalLearningRate(), c.steps(), DECAYS);
        TrainConfig t = TrainConfig.of(new Seeds(seed).training(), c.steps()).withBatch(c.batch()).withEstimator(c.estimator())
                .withOptimizer(OptimizerKind.ADAM, lr).withEvaluation(Math.max(1, c.steps() / EVALUATIONS), EVALUATION_IMAGES);
        return c.checkpointEvery() > 0 ? t.withCheckpoint(checkpointFile(c, seed), c.checkpointEvery()) : t;
    }

    /** Where a checkpointed run keeps its state: checkpoints/bark-&lt;dataset&gt;-&lt;size&gt;-seed&lt;seed&gt;.ckpt. */
    public static Path checkpointFile(Config c, long seed) {
        return Notebook.home().resolve("checkpoints").resolve("bark-" + (c.standIn() ? c.texture() : UIUC) + "-" + c.size() + "-seed" + seed + ".ckpt");
    }

    /** Trains the network in place by ascent on K (Eq. 14); the history's K in bits per pixel. */
    public static TrainResult<ImageNetwork> train(Config c, ImageNetwork network, Data data, long seed) {
        if (c.checkpointEvery() > 0) {
            try {
                java.nio.file.Files.createDirectories(checkpointFile(c, seed).getParent());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot create " + checkpointFile(c, seed).getParent(), e);
            }
        }
        return ImageNetworkObjective.train(network, data.train(), null, trainConfig(c, seed));
    }

    /** CPU seconds per training step, measured on a throw-away network over a few steps after ten warm-up steps. */
    public static double secondsPerStep(Config c, Data data, long seed, int steps) {
        Config probeConfig = Settings.change(c, "steps", steps + WARM_UP, "checkpointEvery", 0);
        return StepCost.secondsPerStep(network(c, seed), data.train(),
                trainConfig(probeConfig, seed).withEvaluation(0, 1).withProgress(false), WARM_UP, steps);
    }

    /** The training's estimated time, one line, from {@link #secondsPerStep} over 20 steps ({@link StepCost#estimate}). */
    public static String estimate(Config c, Data data, long seed) {
        return StepCost.estimate(c.steps(), secondsPerStep(c, data, seed, 20), c.checkpointEvery(), checkpointFile(c, seed));
    }

    /** K (Eq. 14) on every held-out crop and Eq. 9 on the first eq9Images, seeded. */
    public static Evaluation evaluate(Config c, ImageNetwork network, Data data, long seed) {
        return Evaluation.gaussianImages(new GaussianDiffusion(network.schedule()), network.kernel(), data.heldOut(), data.eq9Images(),
                c.eq9Trajectories(), seed, PER_PIXEL);
    }

    /** x_t for one z-scored crop at each of the times (t = 0: the crop), one row per time, seeded (Eq. 1's marginal). */
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
        return Nd4j.vstack(rows);
    }

    /** 1 outside Figure 5's hole (the central third of a side x side image, side divisible by 3), 0 inside; [1, side^2]. */
    public static INDArray knownMask(int side) {
        if (side % 3 != 0 || side < 3) throw Check.bad("side", side, "a positive multiple of 3");
        double[] m = new double[side * side];
        int lo = side / 3, hi = 2 * side / 3;
        for (int y = 0; y < side; y++) for (int x = 0; x < side; x++) m[y * side + x] = y >= lo && y < hi && x >= lo && x < hi ? 0 : 1;
        return Nd4j.create(m, new long[] {1, side * side}, 'c');
    }

    /**
     * Figure 5: the original image, the masked input (hole replaced by standard normal noise, as the paper shows it),
     * the inpainted draws and the Gaussian baseline's conditional mean, all [., D] in z units on inpaintSize^2 pixels.
     */
    public record Inpainted(ImageShape shape, INDArray original, INDArray known, INDArray masked, INDArray draws, INDArray gaussianMean) {
        /** The hole's values of row r of a [., D] array, row-major (side/3)^2 values. */
        public double[] hole(INDArray images, int r) {
            int side = shape.height(), lo = side / 3, n = side / 3;
            double[] v = new double[n * n];
            for (int y = 0; y < n; y++) for (int x = 0; x < n; x++) v[y * n + x] = images.getDouble(r, (lo + y) * side + lo + x);
            return v;
        }
    }

    /**
     * Fills in Figure 5's hole {@code draws} times by the reverse process at inpaintSize ({@link ImageNetwork#atShape})
     * conditioned on the known pixels (Sec. 2.5: r is a delta on them, so every step holds them at their values,
     * exactly); and the baseline, the conditional mean E[hole | known pixels] ({@link GaussianConditional}) under the
     * texture's stationary Gaussian ({@link #stationaryFit}). Seeded from the "inpainting" stream (the masked
     * input's noise from "figures").
     */
    public static Inpainted inpaint(Config c, ImageNetwork network, Data data, long seed) {
        ImageShape big = c.inpaintShape();
        int D = big.dimensions();
        INDArray known = knownMask(c.inpaintSize()), original = data.image();
        ImageNetwork large = network.atShape(big);
        INDArray[] k = new INDArray[c.draws()], v = new INDArray[c.draws()];
        java.util.Arrays.fill(k, known);
        java.util.Arrays.fill(v, original);
        INDArray knownRows = Nd4j.vstack(k), values = Nd4j.vstack(v);
        INDArray draws = AncestralSampler.gaussian(new GaussianDiffusion(large.schedule()), large.kernel(), c.draws(), D,
                new Seeds(seed).of("inpainting"), false, new Inpainting(knownRows, values)).x0();
        StationaryGaussian g = stationaryFit(c, data);
        double[] mu = new double[D];
        java.util.Arrays.fill(mu, g.mean());
        boolean[] isKnown = new boolean[D];
        for (int i = 0; i < D; i++) isKnown[i] = known.getDouble(0, i) == 1;
        INDArray mean = new GaussianConditional(mu, g.covarianceMatrix(), isKnown).mean(original);
        double[] m = original.dup().data().asDouble();
        SplittableRandom fill = new SplittableRandom(new Seeds(seed).of("figures"));
        for (int i = 0; i < D; i++) if (!isKnown[i]) m[i] = fill.nextGaussian();
        return new Inpainted(big, original, known, Nd4j.create(m, new long[] {1, D}, 'c'), draws, mean);
    }

    /** Ridges tried in turn for the baseline's stationary Gaussian (z units squared; the data's variance is 1). */
    static final double[] BASELINE_RIDGES = {0, 1e-6, 1e-4, 1e-2};

    /**
     * The baseline's texture model: the stationary Gaussian of Figure 5's size whose autocovariance is estimated from
     * the first baselineImages training regions whole, in z units ({@link TextureGaussian}: positive semi-definite by
     * construction), with the smallest ridge of {@link #BASELINE_RIDGES} that makes it definite.
     */
    public static StationaryGaussian stationaryFit(Config c, Data data) {
        var s = data.stored().scaling();
        List<double[][]> images = new ArrayList<>();
        for (Region r : data.texture().train().subList(0, Math.min(c.baselineImages(), data.texture().train().size()))) {
            double[][] v = new double[r.rows()][r.width()];
            for (int y = 0; y < r.rows(); y++)
                for (int x = 0; x < r.width(); x++) v[y][x] = (r.picture().values()[(r.top() + y) * r.width() + x] - s.mean()) / s.std();
            images.add(v);
        }
        IllegalArgumentException last = null;
        for (double ridge : BASELINE_RIDGES) {
            try {
                return TextureGaussian.fit(images, c.inpaintShape(), ridge);
            } catch (IllegalArgumentException e) {
                last = e;
            }
        }
        throw last;
    }

    /**
     * Figure 5's texture statistics on the stored [0, 1] grey scale, hole against true hole: the radially averaged
     * power spectra (the draws' averaged), the grey-level histograms (32 bins on [0, 1], the draws' pooled), and per
     * draw the log-spectrum distance (decades, RMS over radius) and the Wasserstein-1 distance of the grey levels.
     */
    public record TextureComparison(TextureMetrics.Spectrum truth, TextureMetrics.Spectrum draws, TextureMetrics.Spectrum gaussian,
                                    double[] histogramTruth, double[] histogramDraws, double[] histogramGaussian,
                                    double[] spectrumDistanceDraws, double spectrumDistanceGaussian,
                                    double[] w1Draws, double w1Gaussian, double tvDraws, double tvGaussian) {
        public double meanSpectrumDistanceDraws() { return java.util.Arrays.stream(spectrumDistanceDraws).average().orElseThrow(); }

        public double meanW1Draws() { return java.util.Arrays.stream(w1Draws).average().orElseThrow(); }

        /** Histogram bin centres on [0, 1]. */
        public double[] binCentres() {
            double[] x = new double[histogramTruth.length];
            for (int i = 0; i < x.length; i++) x[i] = (i + 0.5) / x.length;
            return x;
        }
    }

    public static TextureComparison compare(Data data, Inpainted p) {
        var s = data.stored().scaling();
        int n = p.shape().height() / 3;
        double[] truth = stored(p.hole(p.original(), 0), s), gauss = stored(p.hole(p.gaussianMean(), 0), s);
        int k = (int) p.draws().rows();
        double[][] draws = new double[k][];
        double[] pooled = new double[k * n * n], sd = new double[k], w1 = new double[k];
        var tSpec = TextureMetrics.radialPowerSpectrum(truth, n, n);
        for (int i = 0; i < k; i++) {
            draws[i] = stored(p.hole(p.draws(), i), s);
            System.arraycopy(draws[i], 0, pooled, i * n * n, n * n);
            sd[i] = TextureMetrics.logSpectrumDistance(TextureMetrics.radialPowerSpectrum(draws[i], n, n), tSpec);
            w1[i] = TextureMetrics.wasserstein1(draws[i], truth);
        }
        var gSpec = TextureMetrics.radialPowerSpectrum(gauss, n, n);
        double[] hT = TextureMetrics.histogram(truth, 0, 1, HISTOGRAM_BINS), hD = TextureMetrics.histogram(pooled, 0, 1, HISTOGRAM_BINS),
                hG = TextureMetrics.histogram(gauss, 0, 1, HISTOGRAM_BINS);
        return new TextureComparison(tSpec, TextureMetrics.meanSpectrum(draws, n, n), gSpec, hT, hD, hG, sd,
                TextureMetrics.logSpectrumDistance(gSpec, tSpec), w1, TextureMetrics.wasserstein1(gauss, truth),
                TextureMetrics.totalVariation(hD, hT), TextureMetrics.totalVariation(hG, hT));
    }

    private static double[] stored(double[] z, org.dpm4j.data.Scaling s) {
        double[] v = new double[z.length];
        for (int i = 0; i < z.length; i++) v[i] = z[i] * s.std() + s.mean();
        return v;
    }

    /**
     * Figure 5 as one picture on the stored [0, 1] grey scale, left to right: the original, the masked input, each
     * inpainted draw, the Gaussian conditional mean.
     */
    public static BufferedImage figure5(Data data, Inpainted p, int zoom) {
        var s = data.stored().scaling();
        INDArray all = s.toStored(Nd4j.vstack(p.original(), p.masked(), p.draws(), p.gaussianMean()));
        BufferedImage[] panels = new BufferedImage[2 * (int) all.rows() - 1];
        for (int i = 0; i < all.rows(); i++) {
            panels[2 * i] = ImageGrid.of(all.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all()), p.shape(), 1, 0, 1, zoom);
            // a transparent spacer: the white background shows between the panels
            if (i + 1 < all.rows()) panels[2 * i + 1] = new BufferedImage(8, 1, BufferedImage.TYPE_INT_ARGB);
        }
        return Plots.sideBySide(panels);
    }

    /** The power spectra of the hole (log power against radius) and its grey-level histograms, side by side. */
    public static BufferedImage metricsPlots(TextureComparison t, String label) {
        var spectra = new java.util.LinkedHashMap<String, double[]>();
        spectra.put("true region", t.truth().power());
        spectra.put("diffusion draws (mean)", t.draws().power());
        spectra.put("Gaussian conditional mean", t.gaussian().power());
        var hist = new java.util.LinkedHashMap<String, double[]>();
        hist.put("true region", t.histogramTruth());
        hist.put("diffusion draws", t.histogramDraws());
        hist.put("Gaussian conditional mean", t.histogramGaussian());
        return Plots.sideBySide(
                Plots.line("power spectrum of the hole, " + label, "radius (cycles per hole)", "power", t.truth().radius(), spectra, true),
                Plots.line("grey levels of the hole, " + label, "grey level", "fraction", t.binCentres(), hist, false));
    }

    /**
     * The four Gaussian parameterisations at one short, equal budget: each trains a fresh network from the same
     * seed on the same data for {@code steps} steps, then K (Eq. 14) on the first {@code images} held-out crops with
     * the same noise; bits/pixel, with the training's CPU seconds.
     */
    public static tech.tablesaw.api.Table compareParameterisations(Config c, Data data, long seed, int steps, int images) {
        Check.positive("steps", steps);
        Check.inRange("images", images, 2, (int) data.heldOut().rows());
        INDArray x = data.heldOut().get(NDArrayIndex.interval(0, images), NDArrayIndex.all()).dup();
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
                + " held-out crops", name, k, se, cpu);
    }

    /**
     * The run's rows: K with its standard error, K - L_null, Eq. 9 with its, both baselines' held-out log-likelihoods
     * (bits/pixel on the same held-out crops), and Figure 5's texture statistics; marked stand-in unless the data are
     * the UIUC set, with the settings, the data's description and the seed.
     */
    public static Run row(Config c, Profile profile, long seed, Data data, Evaluation e, Baselines b, TextureComparison t, Elapsed elapsed) {
        return Run.builder("bark", DATASET, "diffusion").standIn(data.texture().standIn()).profile(profile.id()).seed(seed)
                .configuration(c).configuration("data", data.texture().description()).configuration(ImageNetwork.THREADS_FIELD, ImageNetwork.threads()).elapsed(elapsed)
                .metric(Metric.K, e.kBits(), e.kStandardErrorBits(), UNITS)
                .metric(Metric.K_MINUS_L_NULL, e.kMinusLNullBits(), UNITS)
                .metric(Metric.EQ9, e.eq9Bits(), e.eq9StandardErrorBits(), UNITS)
                .metric(FULL_GAUSSIAN, b.fullBits(), b.full().standardErrorBits(PER_PIXEL), UNITS)
                .metric(STATIONARY_GAUSSIAN, b.stationaryBits(), b.stationary().standardErrorBits(PER_PIXEL), UNITS)
                .metric(SPECTRUM_DIFFUSION, t.meanSpectrumDistanceDraws(), "decades (RMS over radius)")
                .metric(SPECTRUM_GAUSSIAN, t.spectrumDistanceGaussian(), "decades (RMS over radius)")
                .metric(W1_DIFFUSION, t.meanW1Draws(), "grey levels in [0, 1]")
                .metric(W1_GAUSSIAN, t.w1Gaussian(), "grey levels in [0, 1]")
                .build();
    }

    public static Run run(Profile profile, long seed) { return run(Config.of(profile), profile, seed); }

    /** Data, baselines, training (the estimated time printed first when checkpointed), evaluation, Figure 5, the row. */
    public static Run run(Config c, Profile profile, long seed) {
        RunClock clock = RunClock.start();
        Data data = data(c, seed);
        Baselines b = baselines(c, data);
        if (c.checkpointEvery() > 0) System.out.println(estimate(c, data, seed));
        ImageNetwork network = network(c, seed);
        train(c, network, data, seed);
        Evaluation e = evaluate(c, network, data, seed);
        Inpainted p = inpaint(c, network, data, seed);
        return row(c, profile, seed, data, e, b, compare(data, p), clock.elapsed());
    }
}
