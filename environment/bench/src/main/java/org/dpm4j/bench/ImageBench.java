package org.dpm4j.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.kernel.GaussianParameterisation;
import org.dpm4j.nn.Gemm;
import org.dpm4j.nn.conv.ImageNetwork;
import org.dpm4j.nn.conv.ImageNetworkConfig;
import org.dpm4j.nn.conv.ImageNetworkObjective;
import org.dpm4j.nn.conv.ImageObjective;
import org.dpm4j.sampling.AncestralSampler;
import org.dpm4j.train.TrainConfig;
import org.dpm4j.train.TrainResult;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * dpm4j side of the image benchmark (environment/benchmark.sh, PHASES=image; torch_image_bench.py is the PyTorch
 * side). Modes, each printing one JSON line:
 * <ul>
 * <li>{@code --export DIR --workload W [--seed s]}: W's configuration, initial parameters, per-t coefficients, bump
 * table and stand-in images for torch_image_bench.py, with the loss (Eq. 14's KL terms, nats) dpm4j computes on a
 * frozen check batch for the initial network and for one with a random last layer (at zero last layer the loss does
 * not depend on the rest of the network);</li>
 * <li>{@code --workload W --threads k --seconds s}: training throughput (steps per wall and per CPU second, after
 * warm-up steps), with the FLOPs of a step ({@link #flopsPerStep});</li>
 * <li>{@code --sample W --images 64 --threads k}: seconds to draw the images by ancestral sampling (T reverse steps);</li>
 * <li>{@code --gemm --threads k --size 2048 --seconds s}: the machine's sgemm rate on square matrices, GFLOP/s.</li>
 * </ul>
 * Threads: with --threads 2 the image network splits each batch in two halves carried by two threads
 * (system property dpm4j.imageThreads), every product on one OpenBLAS thread; --blas-threads 2 instead keeps one
 * half and lets OpenBLAS multithread each product (blas_set_num_threads). The GEMM peak uses OpenBLAS's threads.
 */
public final class ImageBench {
    private ImageBench() {}

    /** Images handed to the PyTorch side and trained on by both (stand-ins, see {@link ImageWorkloads#images}). */
    static final int TRAIN_IMAGES = 512;
    /** Rows of the agreement check batch, and its seed. */
    static final int CHECK_ROWS = 8;
    static final long CHECK_SEED = 4242;
    /** Untimed steps before a throughput run (JIT compilation, work buffers; PyTorch takes as many). */
    static final int WARM_UP = 5;

    public static void main(String[] args) {
        Map<String, String> a = new HashMap<>(Map.of("seed", "1", "threads", "1", "seconds", "20", "size", "2048", "images", "64"));
        for (int i = 0; i + 1 < args.length; i += 2) a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        int threads = Integer.parseInt(a.get("threads"));
        // training and sampling: the network splits each batch over its threads, each product on one BLAS thread
        // (--blas-threads k instead multithreads each product); the GEMM peak: OpenBLAS's own threads
        System.setProperty("dpm4j.imageThreads", a.getOrDefault("blas-threads", "").isEmpty() ? Integer.toString(threads) : "1");
        openblas.blas_set_num_threads(a.containsKey("gemm") ? threads : Integer.parseInt(a.getOrDefault("blas-threads", "1")));
        if (a.containsKey("gemm")) {
            System.out.println(gemm(Integer.parseInt(a.get("size")), threads, Double.parseDouble(a.get("seconds"))));
            return;
        }
        if (a.containsKey("sample")) {
            System.out.println(sample(ImageWorkloads.get(a.get("sample")), Integer.parseInt(a.get("images")), threads, Long.parseLong(a.get("seed"))));
            return;
        }
        ImageWorkloads.Workload w = ImageWorkloads.get(a.get("workload"));
        long seed = Long.parseLong(a.get("seed"));
        if (a.containsKey("export")) {
            System.out.println(export(w, Path.of(a.get("export")), seed));
            return;
        }
        System.out.println(throughput(w, seed, threads, Double.parseDouble(a.get("seconds"))));
    }

    static ImageNetwork network(ImageWorkloads.Workload w, long seed) {
        return ImageNetwork.create(w.network(), w.schedule(), w.parameterisation(), seed);
    }

    static TrainConfig trainConfig(ImageWorkloads.Workload w, long seed) {
        return TrainConfig.of(seed, Integer.MAX_VALUE).withBatch(w.batch()).withEstimator(w.estimator())
                .withLearningRate(w.learningRate()).withEvaluation(0, 1).withProgress(false);
    }

    /** Steps per second of training, wall and process CPU, after {@link #WARM_UP} untimed steps. */
    static String throughput(ImageWorkloads.Workload w, long seed, int threads, double seconds) {
        ImageNetwork net = network(w, seed);
        INDArray data = ImageWorkloads.images(TRAIN_IMAGES, w.network().shape());
        TrainConfig cfg = trainConfig(w, seed);
        ImageNetworkObjective.train(net, data, null, cfg.withSteps(WARM_UP));
        TrainResult<ImageNetwork> r = ImageNetworkObjective.train(net, data, null, cfg.withMaxSeconds(seconds));
        double flops = flopsPerStep(w.network(), w.batch());
        return String.format(Locale.ROOT, "{\"side\": \"dpm4j\", \"phase\": \"image\", \"workload\": \"%s\", \"threads\": %d, \"batch\": %d, "
                        + "\"steps\": %d, \"seconds\": %.3f, \"cpu_seconds\": %.3f, \"steps_per_s\": %.4f, \"steps_per_cpu_s\": %.4f, "
                        + "\"flops_per_step\": %.6e, \"parameters\": %d}",
                w.name(), threads, w.batch(), r.steps(), r.seconds(), r.cpuSeconds(), r.steps() / r.seconds(),
                r.steps() / Math.max(r.cpuSeconds(), 1e-9), flops, net.parameterCount());
    }

    /**
     * Floating-point operations of one training step counted from the network's shapes: the matrix products of the
     * forward pass (2 m n k each: every scale's 3x3 convolution, the dense layers, the per-pixel layers, the fused
     * readout), and in the backward pass each product's weight gradient and, except for a layer whose input is the
     * data, its input gradient (2 m n k each again). The element-wise work (im2col, pooling, activations, the loss,
     * Adam) is a few operations per value and is left out: it is the work no GEMM does, the overhead this count
     * measures the rest against. Both sides do the same products, so the count serves both. The first convolution
     * layer takes 2C channels with the noise-scaled input ({@link ImageNetworkConfig#convInputChannels}). The U-Net
     * ({@link #unetForwardFlops}) counts the same way: its input convolution is the data layer (forward and weight
     * gradient, 2 x), every other convolution 3 x its forward products.
     */
    public static double flopsPerStep(ImageNetworkConfig c, int n) {
        int C = c.shape().channels(), H = c.shape().height(), W = c.shape().width(), d = c.dimensions();
        double fwd = 0, bwd = 0;
        if (c.hasUnet()) {
            double data = 2.0 * n * H * W * 9 * c.convInputChannels() * c.unetChannels(), rest = n * unetForwardFlops(c) - data;
            fwd += data + rest;
            bwd += data + 2 * rest;
        }
        if (c.hasConv()) {
            int in = c.convInputChannels();
            for (int l = 0; l < c.convLayers(); l++) {
                for (int s = 0; s < c.scales(); s++) {
                    double pixels = (double) n * (H >> s) * (W >> s), f = 2 * pixels * 9 * in * c.convChannels();
                    fwd += f;
                    bwd += l == 0 ? f : 2 * f;
                }
                in = c.convChannels();
            }
        }
        if (c.hasDense()) {
            int in = d;
            for (int l = 0; l < c.denseLayers(); l++) {
                int out = l == c.denseLayers() - 1 ? c.denseOutputChannels() * H * W : c.denseHidden();
                double f = 2.0 * n * in * out;
                fwd += f;
                bwd += l == 0 ? f : 2 * f;
                in = out;
            }
        }
        double P = (double) n * H * W;
        int in = (c.hasConv() ? c.convChannels() : 0) + (c.hasDense() ? c.denseOutputChannels() : 0) + (c.hasUnet() ? c.unetChannels() : 0);
        for (int l = 0; l < c.upperLayers() - 1; l++) {
            double f = 2 * P * in * c.upperHidden();
            fwd += f;
            bwd += 2 * f;
            in = c.upperHidden();
        }
        double f = 2 * P * in * 2 * C;              // the last layer, fused with the bump readout
        fwd += f;
        bwd += 2 * f;
        return fwd + bwd;
    }

    /**
     * The U-Net's convolution products of one image's forward pass (2 m n k each, FLOPs; ImageNetwork.unet): the input
     * 3x3 convolution (convInputChannels -> c0 at H x W) and per block (cin -> cout at its size P pixels) the two 3x3
     * convolutions 2 P 9 (cin cout + cout cout) and, where the channels change, the 1x1 skip 2 P cin cout: e1 (c0 -> c0,
     * HW), e2 (c0 -> 2c0, HW/4), e3 (2c0 -> 2c0, HW/16), d2 (4c0 -> 2c0, HW/4), d1 (3c0 -> c0, HW). The time bias
     * (2 J cout per block and image) is left out, as the readout's weight mixing is for every network: a
     * thousandth of the rest. The readout itself is counted in {@link #flopsPerStep}. 0 without a U-Net.
     */
    public static double unetForwardFlops(ImageNetworkConfig c) {
        if (!c.hasUnet()) return 0;
        int c0 = c.unetChannels();
        double P = (double) c.shape().height() * c.shape().width();
        return 2 * P * 9 * c.convInputChannels() * c0 + unetBlockFlops(c0, c0, P) + unetBlockFlops(c0, 2 * c0, P / 4)
                + unetBlockFlops(2 * c0, 2 * c0, P / 16) + unetBlockFlops(4 * c0, 2 * c0, P / 4) + unetBlockFlops(3 * c0, c0, P);
    }

    private static double unetBlockFlops(int cin, int cout, double pixels) {
        return 2 * pixels * 9 * ((double) cin * cout + (double) cout * cout) + (cin == cout ? 0 : 2 * pixels * cin * cout);
    }

    /** Seconds (wall and CPU) to draw n images with T reverse steps from the untrained network (the cost does not depend on training). */
    static String sample(ImageWorkloads.Workload w, int n, int threads, long seed) {
        ImageNetwork net = network(w, seed);
        GaussianDiffusion diffusion = new GaussianDiffusion(w.schedule());
        // a few reverse steps first, for the JIT and the work buffers
        net.readout(Nd4j.zeros(DataType.DOUBLE, n, w.d()), w.T());
        long cpu0 = cpu();
        long wall0 = System.nanoTime();
        var trajectory = AncestralSampler.gaussian(diffusion, net.kernel(), n, w.d(), seed, false);
        double wall = (System.nanoTime() - wall0) / 1e9, cpuS = (cpu() - cpu0) / 1e9;
        double check = trajectory.x0().sumNumber().doubleValue();
        return String.format(Locale.ROOT, "{\"side\": \"dpm4j\", \"phase\": \"sample\", \"workload\": \"%s\", \"threads\": %d, \"images\": %d, "
                + "\"T\": %d, \"seconds\": %.3f, \"cpu_seconds\": %.3f, \"finite\": %s}", w.name(), threads, n, w.T(), wall, cpuS, Double.isFinite(check));
    }

    /** The sgemm rate, GFLOP/s of wall and of process CPU time, on [size, size] matrices for about {@code seconds}. */
    static String gemm(int size, int threads, double seconds) {
        long m = (long) size * size;
        FloatPointer a = new FloatPointer(m), b = new FloatPointer(m), c = new FloatPointer(m);
        SplittableRandom rng = new SplittableRandom(1);
        for (long i = 0; i < m; i++) {
            a.put(i, (float) rng.nextGaussian());
            b.put(i, (float) rng.nextGaussian());
        }
        for (int i = 0; i < 3; i++) Gemm.multiply(false, false, size, size, size, a, b, 0f, c);
        long cpu0 = cpu(), wall0 = System.nanoTime();
        int reps = 0;
        while ((System.nanoTime() - wall0) / 1e9 < seconds) {
            Gemm.multiply(false, false, size, size, size, a, b, 0f, c);
            reps++;
        }
        double wall = (System.nanoTime() - wall0) / 1e9, cpuS = (cpu() - cpu0) / 1e9, flops = 2.0 * size * size * size * reps;
        return String.format(Locale.ROOT, "{\"side\": \"dpm4j\", \"phase\": \"gemm\", \"library\": \"OpenBLAS sgemm (bytedeco 0.3.19)\", "
                + "\"threads\": %d, \"size\": %d, \"reps\": %d, \"seconds\": %.3f, \"cpu_seconds\": %.3f, \"gflops_wall\": %.2f, \"gflops_cpu\": %.2f}",
                threads, size, reps, wall, cpuS, flops / wall / 1e9, flops / cpuS / 1e9);
    }

    private static long cpu() { return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0; }

    // ---- the export for torch_image_bench.py ----

    /**
     * A new export of W in dir with what every image export holds: the configuration, net's parameters as
     * params_initial, the per-t coefficients (row t) and the bump table; the caller adds its data and checks.
     */
    static Writer header(ImageWorkloads.Workload w, ImageNetwork net, Path dir, long seed) {
        int T = w.T(), d = w.d();
        Writer out = new Writer(dir);
        ImageNetworkConfig c = w.network();
        out.field("workload", "\"" + w.name() + "\"").field("seed", seed).field("T", T).field("d", d)
                .field("channels", c.shape().channels()).field("height", c.shape().height()).field("width", c.shape().width())
                .field("conv_layers", c.convLayers()).field("conv_channels", c.convChannels()).field("scales", c.scales())
                .field("dense_layers", c.denseLayers()).field("dense_hidden", c.denseHidden()).field("dense_out", c.denseOutputChannels())
                .field("upper_layers", c.upperLayers()).field("upper_hidden", c.upperHidden()).field("J", c.temporalBasis())
                .field("parameterisation", "\"" + w.parameterisation() + "\"").field("estimator", "\"" + w.estimator() + "\"")
                .field("noise_scaled_input", c.noiseScaledInput()).field("unet_channels", c.unetChannels())
                .field("unet_group_norm", c.unetGroupNorm()).field("parameter_count", net.parameterCount())
                .field("batch", w.batch()).field("lr", w.learningRate())
                .field("flops_per_step", flopsPerStep(c, w.batch()));
        out.params("params_initial", net);
        // per-t coefficients (row t, 0 unused): as ImageObjective feeds the graph's placeholders
        GaussianDiffusion diffusion = new GaussianDiffusion(w.schedule());
        String[] cols = {"c0", "ct", "vq", "logit_beta", "log_beta", "sqrt_alpha", "sqrt_beta", "sqrt_alpha_bar", "x0_scale", "marginal_mean", "marginal_std"};
        double[] tab = new double[(T + 1) * cols.length];
        for (int t = 1; t <= T; t++) {
            GaussianParameterisation.Step s = GaussianParameterisation.Step.of(diffusion, t);
            double[] row = {s.meanX0(), s.meanXt(), s.posteriorVariance(), Math.log(s.beta() / (1 - s.beta())), Math.log(s.beta()),
                    Math.sqrt(1 - s.beta()), Math.sqrt(s.beta()), Math.sqrt(s.alphaBar()),
                    w.parameterisation().predictsX0() ? w.parameterisation().x0ReadoutScale(s) : 0, diffusion.sqrtAlphaBar(t), diffusion.sqrtOneMinusAlphaBar(t)};
            System.arraycopy(row, 0, tab, t * cols.length, cols.length);
        }
        out.field("coefficient_columns", "[\"" + String.join("\", \"", cols) + "\"]");
        out.f64("coefficients", tab, T + 1, cols.length);
        float[][] bumps = org.dpm4j.nn.BumpReadout.bumps(T, c.temporalBasis());
        float[] flatBumps = new float[T * c.temporalBasis()];
        for (int t = 0; t < T; t++) System.arraycopy(bumps[t], 0, flatBumps, t * c.temporalBasis(), c.temporalBasis());
        out.f32("bumps", flatBumps, T, c.temporalBasis());
        return out;
    }

    /**
     * Writes W's configuration, initial parameters, a perturbed copy, the per-t coefficients, bumps, training images
     * and the check batch with dpm4j's losses on it; returns a JSON summary line.
     */
    static String export(ImageWorkloads.Workload w, Path dir, long seed) {
        ImageNetwork net = network(w, seed);
        int T = w.T(), d = w.d();
        ImageNetworkConfig c = w.network();
        Writer out = header(w, net, dir, seed);
        out.f32("train", floats(ImageWorkloads.images(TRAIN_IMAGES, c.shape())), TRAIN_IMAGES, d);
        // the check batch: x0 (the first images), t spread over 2..T, x_t from frozen noise
        INDArray x0 = Workloads.head(ImageWorkloads.images(TRAIN_IMAGES, c.shape()), CHECK_ROWS);
        int[] t = new int[CHECK_ROWS];
        for (int i = 0; i < CHECK_ROWS; i++) t[i] = 2 + (int) ((long) i * (T - 2) / (CHECK_ROWS - 1));
        ImageObjective objective = new ImageObjective(net);
        INDArray xt = objective.xt(x0, t, objective.noise(CHECK_ROWS, new SplittableRandom(CHECK_SEED)));
        double initial = objective.evaluate(x0, t, xt, 1, false).lossNats();
        perturbLastLayer(net);
        double perturbed = objective.evaluate(x0, t, xt, 1, false).lossNats();
        out.params("params_perturbed", net);
        out.f32("check_x0", floats(x0), CHECK_ROWS, d);
        out.f32("check_xt", floats(xt), CHECK_ROWS, d);
        out.f64("check_t", Arrays.stream(t).asDoubleStream().toArray(), CHECK_ROWS);
        out.field("check_loss_initial_nats", initial).field("check_loss_perturbed_nats", perturbed);
        out.write();
        return String.format(Locale.ROOT, "{\"side\": \"dpm4j\", \"phase\": \"export\", \"workload\": \"%s\", \"check_loss_initial_nats\": %.6f, "
                + "\"check_loss_perturbed_nats\": %.6f}", w.name(), initial, perturbed);
    }

    /**
     * Draws net's last layer (readout weights and biases) at random, scale 0.1, every other parameter as it was: at a
     * zero last layer the loss does not depend on the rest of the network, so an agreement check needs this too.
     */
    static void perturbLastLayer(ImageNetwork net) {
        SplittableRandom rng = new SplittableRandom(CHECK_SEED + 1);
        String last = "upper" + (net.config().upperLayers() - 1);
        for (String name : List.of(last + ".W", last + ".b")) {
            INDArray p = net.parameters().get(name);
            double[] v = new double[(int) p.length()];
            for (int i = 0; i < v.length; i++) v[i] = 0.1 * rng.nextGaussian();
            p.assign(Nd4j.createFromArray(v).reshape(p.shape()).castTo(p.dataType()));
        }
    }

    static float[] floats(INDArray x) { return x.castTo(DataType.FLOAT).dup('c').data().asFloat(); }

    /** The export of an image workload: a {@link Manifest} that also lists the network's parameter names. */
    static final class Writer extends Manifest {
        private final List<String> params = new ArrayList<>();

        Writer(Path dir) { super(dir); }

        @Override Writer field(String name, Object value) {
            super.field(name, value);
            return this;
        }

        /** Every parameter array as prefix/NAME (FLOAT, row-major in its shape). */
        void params(String prefix, ImageNetwork net) {
            boolean names = params.isEmpty();
            for (var e : net.parameters().entrySet()) {
                INDArray p = e.getValue();
                f32(prefix + "." + e.getKey(), floats(p), p.shape());
                if (names) params.add("\"" + e.getKey() + "\"");
            }
        }

        void write() { write("parameters", params); }
    }
}
