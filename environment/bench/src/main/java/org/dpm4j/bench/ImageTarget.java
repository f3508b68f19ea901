package org.dpm4j.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.bytedeco.openblas.global.openblas;
import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.experiments.MnistExperiment;
import org.dpm4j.experiments.Profile;
import org.dpm4j.nn.conv.ImageNetwork;
import org.dpm4j.nn.conv.ImageNetworkObjective;
import org.dpm4j.nn.conv.ImageObjective;
import org.dpm4j.train.TrainConfig;
import org.dpm4j.util.Check;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Time to a target K on MNIST at {@link MnistExperiment}'s standard settings (dense pathway 4 x 500, upper 2 x 20,
 * J = 10, T = 1000, REFERENCE readout, one t per batch, batch 128, Adam 1e-3 decaying geometrically to 1e-4 over its
 * 9000 steps), the image measurement of issue #20, with torch_image_bench.py --target as the PyTorch side. Modes,
 * each printing one JSON line:
 * <ul>
 * <li>{@code --export DIR [--seed s]}: the run for the PyTorch side: the network's configuration and initial
 * parameters (the experiment's, {@link MnistExperiment#network}), the per-t coefficients and bumps
 * ({@link ImageBench#header}), the experiment's dequantised z-scored training digits and the held-out digits K is
 * evaluated on ({@link MnistExperiment#data}), the learning rate of every step, the target and the evaluation
 * settings; and the agreement check: K of the initial network and of one with a random last layer on
 * {@link #CHECK_IMAGES} held-out digits with frozen noise at every t, and the gradient of the loss with respect to
 * every parameter (of the second network, the digits at t spread over 2..T), which torch_image_bench.py must
 * reproduce;</li>
 * <li>{@code --seed s [--seconds budget] [--target bits/pixel] [--max-steps 3000] [--eval-every e] [--eval-examples m]}:
 * the run itself through {@link TimeToTarget} and the library's trainer ({@link ImageNetworkObjective#train}), K
 * evaluated inside the trainer on the first m held-out digits (every t, one draw per digit and t, the same noise at
 * every evaluation: {@link ImageObjective#kNats}) and clocked apart from training;</li>
 * <li>{@code --evaluate DIR --seed s [--eval-examples m]}: K, bits per pixel, of the parameters torch_image_bench.py
 * --target --save DIR trained, evaluated exactly as this seed's dpm4j run evaluates its own (the same digits, the same
 * noise), to hold the PyTorch side's own evaluation to dpm4j's;</li>
 * <li>{@code --replay DIR --seed s [--steps 20]}: the first steps of this seed's dpm4j run, with the trainer's own draws
 * written out (each step's digits, t and x_t, reproduced from {@link org.dpm4j.train.Trainer}'s per-step generator)
 * and the parameters the library's trainer reached after them, for torch_image_bench.py --replay to take the same
 * steps and compare: whether the two sides train alike, apart from their random streams.</li>
 * </ul>
 * One thread: the network's batch split off (dpm4j.imageThreads = 1) and OpenBLAS on one thread, as ImageBench's
 * one-thread rows. Units: K in bits per image in the JSON (the trainer's history), bits per pixel in the target
 * flag and {@code *_per_pixel} fields (784 pixels an image).
 */
public final class ImageTarget {
    private ImageTarget() {}

    static final String WORKLOAD = "mnist";
    /**
     * Target K, bits per pixel, on the steep early part of every measured run's curve. A first choice, -1.40, came from
     * one probe (seed 1, K on 50 held-out digits every 250 steps: -1.67 at 250, -1.48 at 500 to 1000, -1.36 at 1250,
     * -1.32 at 2000, -1.18 at 2750; the run ends at -0.92 after 9000), but that seed left the plateau early by chance:
     * dpm4j's seed 2 and PyTorch's seed 1 stayed between -1.50 and -1.48 from step 1000 to the 3000-step cap and never
     * reached -1.40 (environment/bench/image-target-2026-12-06.md). Every run of five seeds per side reached -1.55
     * between steps 200 and 500, before the plateau, so it is first passed on the curve's descent rather than by a
     * chance excursion.
     */
    public static final double TARGET_BITS_PER_PIXEL = -1.55;
    /** Steps between evaluations: about 5 CPU s of training at 0.052 CPU s a step. */
    public static final int EVAL_EVERY = 100;
    /**
     * Held-out digits of each evaluation (the first of the experiment's 300): an evaluation is T - 1 = 999 forward
     * passes of them (9.3 CPU s at 50 in the probe). Both sides evaluate the same digits, so the digits' share of the standard
     * error (0.007 bits/pixel at 300, so about 0.024 at 25) is common to both; only the noise draws differ.
     */
    public static final int EVAL_EXAMPLES = 25;
    /**
     * Steps a run may take, a third of the standard run's 9000 (the learning rate keeps the 9000-step schedule): a side
     * that has not reached the target by then reports its best K and counts as not reaching it.
     */
    public static final int MAX_STEPS = 3000;
    /** Held-out digits of the agreement check, and the seed of its frozen noise. */
    static final int CHECK_IMAGES = 3;
    static final long CHECK_SEED = 4243;

    /** The experiment at its standard profile. */
    public static MnistExperiment.Config config() { return MnistExperiment.Config.of(Profile.STANDARD); }

    /** The image workload of these settings (the sizes and trainer settings the export hands over). */
    static ImageWorkloads.Workload workload(MnistExperiment.Config c) {
        return new ImageWorkloads.Workload(WORKLOAD, "MNIST standard (time to target)", MnistExperiment.networkConfig(c),
                MnistExperiment.schedule(c), c.parameterisation(), c.estimator(), c.batch(), c.learningRate());
    }

    /** The experiment's trainer settings ({@link MnistExperiment#trainConfig}) without its evaluation and progress bar. */
    public static TrainConfig trainConfig(MnistExperiment.Config c, long seed) {
        return MnistExperiment.trainConfig(c, seed).withEvaluation(0, 1).withProgress(false);
    }

    public static void main(String[] args) {
        Map<String, String> a = new HashMap<>(Map.of("seed", "1", "seconds", "1800", "target", Double.toString(TARGET_BITS_PER_PIXEL),
                "eval-every", Integer.toString(EVAL_EVERY), "eval-examples", Integer.toString(EVAL_EXAMPLES)));
        for (int i = 0; i + 1 < args.length; i += 2) a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        System.setProperty("dpm4j.imageThreads", "1");
        openblas.blas_set_num_threads(1);
        long seed = Long.parseLong(a.get("seed"));
        if (a.containsKey("export")) {
            System.out.println(export(Path.of(a.get("export")), seed));
            return;
        }
        if (a.containsKey("replay")) {
            System.out.println(replay(Path.of(a.get("replay")), seed, Integer.parseInt(a.getOrDefault("steps", "20"))));
            return;
        }
        if (a.containsKey("evaluate")) {
            int m = Integer.parseInt(a.get("eval-examples"));
            System.out.println(String.format(Locale.ROOT, "{\"side\": \"dpm4j\", \"phase\": \"evaluate\", \"workload\": \"%s\", \"seed\": %d, "
                    + "\"parameters\": \"%s\", \"eval_examples\": %d, \"k_bits_per_pixel\": %.6f}", WORKLOAD, seed, a.get("evaluate"), m,
                    evaluate(Path.of(a.get("evaluate")), seed, m)));
            return;
        }
        int maxSteps = Integer.parseInt(a.getOrDefault("max-steps", Integer.toString(MAX_STEPS)));
        TimeToTarget.Result r = run(seed, Double.parseDouble(a.get("target")), Integer.parseInt(a.get("eval-every")),
                Integer.parseInt(a.get("eval-examples")), maxSteps, Double.parseDouble(a.get("seconds")));
        System.out.println(r.json());
    }

    /**
     * Trains the experiment's network on its data with its settings until K on the first evalExamples held-out digits
     * reaches targetBitsPerPixel, maxSteps have been taken (the learning rate keeps the 9000-step schedule), or
     * training plus evaluation has taken budgetSeconds of wall time.
     */
    static TimeToTarget.Result run(long seed, double targetBitsPerPixel, int evalEvery, int evalExamples, int maxSteps, double budgetSeconds) {
        MnistExperiment.Config c = config();
        Check.inRange("maxSteps", maxSteps, 1, c.steps());
        MnistExperiment.Data data = MnistExperiment.data(c, seed);
        ImageNetwork net = MnistExperiment.network(c, seed);
        int pixels = MnistExperiment.networkConfig(c).shape().pixels();
        return TimeToTarget.run(WORKLOAD, seed, targetBitsPerPixel * pixels, evalEvery, evalExamples, budgetSeconds,
                List.of(trainConfig(c, seed).withSteps(maxSteps)), cfg -> ImageNetworkObjective.train(net, data.train(), data.heldOut(), cfg));
    }

    /**
     * The x_t that {@link ImageObjective#kNats} draws for x0 [n, d] with this seed: for t = 2..T in turn, x_t ~ q(x_t | x_0)
     * from one generator. Element t - 2 holds t.
     */
    static INDArray[] draws(GaussianDiffusion diffusion, INDArray x0, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        INDArray x = x0.castTo(DataType.DOUBLE);
        INDArray[] xt = new INDArray[diffusion.T() - 1];
        for (int s = 2; s <= diffusion.T(); s++) xt[s - 2] = diffusion.sampleQ(x, s, rng);
        return xt;
    }

    /**
     * K (Eq. 14) in nats per image of net on x0 [n, d] with the given x_t for every t = 2..T (xt[t - 2], [n, d]): the
     * sum {@link ImageObjective#kNats} forms, ceiling minus the mean over images of every t's KL term, with the noise
     * supplied instead of drawn, so another implementation can be held to it.
     */
    static double kNats(ImageNetwork net, INDArray x0, INDArray[] xt) {
        int T = net.T(), n = (int) x0.rows();
        if (xt == null || xt.length != T - 1) throw Check.bad("xt.length", xt == null ? null : xt.length, "T - 1 = " + (T - 1) + " arrays, one per t = 2..T");
        ImageObjective objective = new ImageObjective(net);
        INDArray x = x0.castTo(DataType.DOUBLE);
        double loss = 0;
        for (int s = 2; s <= T; s++) {
            int[] t = new int[n];
            java.util.Arrays.fill(t, s);
            loss += objective.evaluate(x, t, xt[s - 2], 1.0 / n, false).lossNats();
        }
        return objective.ceilingNats() - loss;
    }

    /**
     * K in bits per pixel of the parameters in dir (one little-endian float32 file NAME.f32 per array, row-major, as
     * torch_image_bench.py --save writes them) on the first evalExamples held-out digits with the noise of this seed's
     * trainer evaluations ({@link org.dpm4j.train.Trainer#evaluationSeed} of the run's training seed): the value dpm4j's
     * run would have reported for them.
     */
    static double evaluate(Path dir, long seed, int evalExamples) {
        MnistExperiment.Config c = config();
        MnistExperiment.Data data = MnistExperiment.data(c, seed);
        ImageNetwork net = MnistExperiment.network(c, seed);
        load(net, dir);
        INDArray x = Workloads.head(data.heldOut(), evalExamples);
        double nats = new ImageObjective(net).kNats(x.castTo(DataType.DOUBLE), org.dpm4j.train.Trainer.evaluationSeed(trainConfig(c, seed).seed()));
        return nats / Math.log(2) / MnistExperiment.networkConfig(c).shape().pixels();
    }

    /** Overwrites every parameter array of net with dir/NAME.f32 (little-endian float32, row-major in the array's shape). */
    static void load(ImageNetwork net, Path dir) {
        for (var e : net.parameters().entrySet()) {
            Path f = dir.resolve(e.getKey() + ".f32");
            byte[] b;
            try {
                b = java.nio.file.Files.readAllBytes(f);
            } catch (java.io.IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
            INDArray p = e.getValue();
            if (b.length != 4 * p.length()) throw Check.bad(f.toString() + " bytes", b.length, "4 x " + p.length() + " (float32 values of " + e.getKey() + ")");
            float[] v = new float[(int) p.length()];
            java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
            p.assign(Nd4j.createFromArray(v).reshape(p.shape()).castTo(p.dataType()));
        }
    }

    /**
     * The generator the library's trainer draws step {@code step} of a run seeded {@code trainSeed} from
     * (Trainer.stepRandom, package-private there, reached by reflection rather than copied).
     */
    static java.util.random.RandomGenerator stepRandom(long trainSeed, long step) {
        try {
            java.lang.reflect.Method m = org.dpm4j.train.Trainer.class.getDeclaredMethod("stepRandom", long.class, long.class);
            m.setAccessible(true);
            return (java.util.random.RandomGenerator) m.invoke(null, trainSeed, step);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Trainer.stepRandom(long, long) not found: the replay follows the trainer's draws", e);
        }
    }

    /**
     * Writes the first {@code steps} steps of this seed's run: per step the trainer's draws in its order (the minibatch's
     * row indices, Trainer.sample; the rows' t, the estimator; the noise, ImageObjective.noise; x_t from them), the
     * parameters before and after the library's trainer took those steps (ImageNetworkObjective.train), as the export's
     * FLOAT arrays. Returns a JSON summary line.
     */
    static String replay(Path dir, long seed, int steps) {
        Check.inRange("steps", steps, 1, MAX_STEPS);
        MnistExperiment.Config c = config();
        MnistExperiment.Data data = MnistExperiment.data(c, seed);
        ImageNetwork net = MnistExperiment.network(c, seed);
        ImageWorkloads.Workload w = workload(c);
        TrainConfig tc = trainConfig(c, seed).withSteps(steps);
        int d = w.d(), B = c.batch(), n = (int) data.train().rows();
        Draws draws = trainerDraws(tc, data.train(), new ImageObjective(net), steps);
        ImageBench.Writer out = ImageBench.header(w, net, dir, seed);
        out.field("steps", steps).field("weight", (w.T() - 1) / (double) B);
        out.f32("train", ImageBench.floats(data.train()), n, d);
        out.f64("lr", Export.rates(steps, step -> tc.learningRate().at(step)), steps);
        out.f64("replay_index", draws.index(), steps, B);
        out.f64("replay_t", draws.t(), steps);
        out.f32("replay_xt", draws.xt(), steps, B, d);
        var r = ImageNetworkObjective.train(net, data.train(), null, tc);
        if (r.steps() != steps || r.skipped() != 0) throw new IllegalStateException("the replayed run took " + r.steps() + " steps, skipped " + r.skipped());
        out.params("params_trained", net);
        out.write();
        return String.format(Locale.ROOT, "{\"side\": \"dpm4j\", \"phase\": \"replay-export\", \"workload\": \"%s\", \"seed\": %d, \"steps\": %d}", WORKLOAD, seed, steps);
    }

    /**
     * The first steps' draws of a run with settings tc on train [n, d]: per step the minibatch's row indices [steps,
     * batch], its one t [steps] and x_t [steps, batch, d] (FLOAT, row-major).
     */
    record Draws(double[] index, double[] t, float[] xt) {}

    /**
     * What the library's trainer draws in the first {@code steps} steps of a run with settings tc on train (one t per
     * batch): from each step's generator ({@link #stepRandom}) the minibatch rows (Trainer.sample: batch draws of
     * nextInt(n)), then the estimator's rows, then the noise (ImageObjective.noise), in that order as
     * ImageNetworkObjective takes them; x_t = sqrt(alphabar_t) x_0 + sqrt(1 - alphabar_t) eps on the FLOAT digits.
     */
    static Draws trainerDraws(TrainConfig tc, INDArray train, ImageObjective objective, int steps) {
        int B = tc.batch(), n = (int) train.rows(), d = (int) train.columns(), T = objective.network().T();
        double[] index = new double[steps * B], ts = new double[steps];
        float[] xts = new float[steps * B * d];
        for (int step = 0; step < steps; step++) {
            java.util.random.RandomGenerator rng = stepRandom(tc.seed(), step);
            int[] rows = new int[B];
            for (int b = 0; b < B; b++) index[step * B + b] = rows[b] = rng.nextInt(n);
            org.dpm4j.train.Rows r = tc.estimator().sample(B, T, rng);
            for (int i = 0; i < B; i++) {
                if (r.example()[i] != i || r.t()[i] != r.t()[0]) throw Check.bad("estimator", tc.estimator().name(), "one t per batch, row i = example i");
            }
            ts[step] = r.t()[0];
            INDArray x0 = train.getRows(rows).castTo(DataType.FLOAT);
            INDArray xt = objective.xt(x0, r.t(), objective.noise(B, rng));
            System.arraycopy(ImageBench.floats(xt), 0, xts, step * B * d, B * d);
        }
        return new Draws(index, ts, xts);
    }

    /** n time steps spread evenly over 2..T (the gradient check's, one per image). */
    static int[] gradientTimes(int T, int n) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) t[i] = n == 1 ? T : 2 + (int) ((long) i * (T - 2) / (n - 1));
        return t;
    }

    /** x rounded to float and back (what the export's FLOAT arrays hold), DOUBLE. */
    static INDArray rounded(INDArray x) { return x.castTo(DataType.FLOAT).castTo(DataType.DOUBLE); }

    /** Writes the export for torch_image_bench.py --target (see the class comment); returns a JSON summary line. */
    static String export(Path dir, long seed) {
        MnistExperiment.Config c = config();
        MnistExperiment.Data data = MnistExperiment.data(c, seed);
        ImageNetwork net = MnistExperiment.network(c, seed);
        ImageWorkloads.Workload w = workload(c);
        int d = w.d(), T = w.T(), pixels = w.network().shape().pixels();
        TrainConfig tc = trainConfig(c, seed);
        ImageBench.Writer out = ImageBench.header(w, net, dir, seed);
        out.field("target_bits", TARGET_BITS_PER_PIXEL * pixels).field("target_bits_per_pixel", TARGET_BITS_PER_PIXEL)
                .field("pixels", pixels).field("eval_every", EVAL_EVERY).field("eval_examples", EVAL_EXAMPLES).field("max_steps", MAX_STEPS)
                .field("ceiling_nats", new ImageObjective(net).ceilingNats());
        out.f64("lr", Export.rates(c.steps(), step -> tc.learningRate().at(step)), c.steps());
        INDArray train = data.train(), eval = Workloads.head(data.heldOut(), EVAL_EXAMPLES);
        out.f32("train", ImageBench.floats(train), train.rows(), d);
        out.f32("eval", ImageBench.floats(eval), eval.rows(), d);
        // the agreement check: K on frozen noise, on the float-rounded values the PyTorch side reads
        INDArray x0 = rounded(Workloads.head(data.heldOut(), CHECK_IMAGES));
        INDArray[] xt = draws(new GaussianDiffusion(w.schedule()), x0, CHECK_SEED);
        for (int i = 0; i < xt.length; i++) xt[i] = rounded(xt[i]);
        double initial = kNats(net, x0, xt);
        ImageBench.perturbLastLayer(net);
        double perturbed = kNats(net, x0, xt);
        out.params("params_perturbed", net);
        // and the gradient that training follows: image i at t_i spread over 2..T (its x_t from the same frozen noise),
        // the loss's gradient with respect to every parameter of the perturbed network (at a zero last layer the
        // lower layers' gradients vanish), which PyTorch's autograd must reproduce
        int[] gt = gradientTimes(T, CHECK_IMAGES);
        INDArray gxt = Nd4j.create(DataType.DOUBLE, CHECK_IMAGES, d);
        for (int i = 0; i < CHECK_IMAGES; i++) gxt.putRow(i, xt[gt[i] - 2].getRow(i));
        ImageObjective.Value g = new ImageObjective(net).evaluate(x0, gt, gxt, 1, true);
        for (String name : net.parameters().keySet()) {
            INDArray p = g.gradients().get(name);
            out.f32("check_grad." + name, ImageBench.floats(p), p.shape());
        }
        out.f64("check_grad_t", java.util.Arrays.stream(gt).asDoubleStream().toArray(), CHECK_IMAGES);
        out.field("check_grad_loss_nats", g.lossNats());
        out.f32("check_x0", ImageBench.floats(x0), CHECK_IMAGES, d);
        out.f32("check_xt", ImageBench.floats(Nd4j.concat(0, xt)), T - 1, CHECK_IMAGES, d);
        out.field("check_k_initial_nats", initial).field("check_k_perturbed_nats", perturbed);
        out.write();
        return String.format(Locale.ROOT, "{\"side\": \"dpm4j\", \"phase\": \"export\", \"workload\": \"%s\", \"seed\": %d, \"check_k_initial_nats\": %.6f, "
                + "\"check_k_perturbed_nats\": %.6f}", WORKLOAD, seed, initial, perturbed);
    }
}
