package org.dpm4j.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dpm4j.data.ImageShape;
import org.dpm4j.experiments.DeadLeavesExperiment;
import org.dpm4j.experiments.MnistExperiment;
import org.dpm4j.experiments.Profile;
import org.dpm4j.kernel.GaussianParameterisation;
import org.dpm4j.nn.conv.ImageNetworkConfig;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.train.Estimator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The image workloads of the throughput benchmark: the paper's image network (ImageNetwork) at the sizes the image
 * experiments train it at (their {@code standard} profiles) and at the reference code's sizes, each with the
 * experiment's parameterisation, time-step estimator, batch and (constant, first-step) learning rate, mirrored in
 * torch_image_bench.py from the export (Java hands over the configuration, the initial parameters, the schedule's
 * per-t coefficients and the stand-in images, so both sides train the same network from the same start).
 * <ul>
 * <li>mnist-standard: MnistExperiment's standard profile: the dense pathway alone (4 x 500 tanh, 2 channels out),
 * upper 2 x 20, J = 10, T = 1000, REFERENCE readout, one t per batch, batch 128, Adam 1e-3;</li>
 * <li>deadleaves-standard: DeadLeavesExperiment's standard: 16 x 16 grey, convolution alone 4 layers x 32 channels
 * over 3 scales, upper 2 x 32, POSTERIOR_V, one t per image, batch 32, Adam 2e-3;</li>
 * <li>bark-conv: the bark experiment was being written when this was set (its sizes are this benchmark's choice):
 * 32 x 32 grey crops, the dead-leaves standard network (4 x 32 channels, 3 scales, upper 2 x 32), POSTERIOR_V, one t
 * per image, batch 32, Adam 2e-3;</li>
 * <li>cifar-both: likewise the benchmark's choice for the CIFAR-10 experiment being written: 32 x 32 x 3, both
 * pathways at reduced width (convolution 3 layers x 16 channels over 4 scales; dense 3072 -> 256 -> 2048, read as 2
 * channels per pixel), upper 2 x 16, POSTERIOR_V, one t per image, batch 32, Adam 1e-3;</li>
 * <li>reference-28: the reference code's sizes (both pathways: 4 x 20 convolution over 3 scales, dense 4 x 500,
 * upper 2 x 20) on 28 x 28 grey, PAPER readout, one t per image, batch 64, Adam 1e-3 (the earlier "image" row);</li>
 * <li>reference-cifar: the reference sizes on 32 x 32 x 3 (4 scales), otherwise as reference-28;</li>
 * <li>deadleaves-unet: DeadLeavesExperiment's standard U-Net arm ({@link DeadLeavesExperiment.Config#unet}, not in
 * the paper): 16 x 16 grey, x_t and the noise-scaled x_t in, U-Net of 32 base channels without GroupNorm
 * (ImageNetwork.unet; trained on the float[] path, UnetFloat), J = 10 bump readout, POSTERIOR_V, one t per image,
 * batch 32, Adam 2e-3 (the deadleaves-standard settings with the U-Net in place of the multi-scale layers).</li>
 * </ul>
 * The images are stand-ins (plane waves, {@link #images}): a step's cost does not depend on the pixel values.
 */
public final class ImageWorkloads {
    private ImageWorkloads() {}

    /** One workload: the network's sizes and the trainer's settings that decide a step's cost. */
    public record Workload(String name, String description, ImageNetworkConfig network, BetaSchedule schedule,
                           GaussianParameterisation parameterisation, Estimator estimator, int batch, double learningRate) {
        public int T() { return schedule.T(); }

        public int d() { return network.dimensions(); }
    }

    /** Every image workload by name, in table order. */
    public static Map<String, Workload> all() {
        Map<String, Workload> w = new LinkedHashMap<>();
        MnistExperiment.Config m = MnistExperiment.Config.of(Profile.STANDARD);
        w.put("mnist-standard", new Workload("mnist-standard", "MNIST standard: dense pathway 4 x 500, 28 x 28 x 1",
                MnistExperiment.networkConfig(m), MnistExperiment.schedule(m), m.parameterisation(), m.estimator(), m.batch(), m.learningRate()));
        DeadLeavesExperiment.Config dl = DeadLeavesExperiment.Config.of(Profile.STANDARD);
        w.put("deadleaves-standard", new Workload("deadleaves-standard", "dead leaves standard: conv 4 x 32, 3 scales, 16 x 16 x 1",
                dl.network(), DeadLeavesExperiment.schedule(dl), dl.parameterisation(), dl.estimator(), dl.batch(), dl.learningRate()));
        w.put("bark-conv", new Workload("bark-conv", "bark (bench sizes): conv 4 x 32, 3 scales, 32 x 32 x 1",
                dl.network().withShape(ImageShape.grey(32, 32)), DeadLeavesExperiment.schedule(dl), GaussianParameterisation.POSTERIOR_V,
                Estimator.SAMPLED_T, 32, dl.learningRate()));
        ImageShape rgb = new ImageShape(3, 32, 32);
        w.put("cifar-both", new Workload("cifar-both", "CIFAR (bench sizes): conv 3 x 16, 4 scales + dense 3072-256-2048, 32 x 32 x 3",
                new ImageNetworkConfig(rgb, 3, 16, 4, 2, 256, 2, 2, 16, 10), DeadLeavesExperiment.schedule(dl),
                GaussianParameterisation.POSTERIOR_V, Estimator.SAMPLED_T, 32, 1e-3));
        BetaSchedule reference = org.dpm4j.schedule.Schedules.referenceGaussian(1000);
        w.put("reference-28", new Workload("reference-28", "reference sizes, both pathways, 28 x 28 x 1",
                ImageNetworkConfig.reference(ImageShape.grey(28, 28)), reference, GaussianParameterisation.PAPER, Estimator.SAMPLED_T, 64, 1e-3));
        w.put("reference-cifar", new Workload("reference-cifar", "reference sizes, both pathways, 32 x 32 x 3",
                ImageNetworkConfig.reference(rgb), reference, GaussianParameterisation.PAPER, Estimator.SAMPLED_T, 64, 1e-3));
        DeadLeavesExperiment.Config du = DeadLeavesExperiment.Config.unet(Profile.STANDARD);
        w.put("deadleaves-unet", new Workload("deadleaves-unet", "dead leaves U-Net (not in the paper): c0 32, no GroupNorm, 16 x 16 x 1",
                du.network(), DeadLeavesExperiment.schedule(du), du.parameterisation(), du.estimator(), du.batch(), du.learningRate()));
        return w;
    }

    /** The workload of this name. */
    public static Workload get(String name) {
        Workload w = all().get(name);
        if (w == null) throw new IllegalArgumentException("--workload = " + name + ", expected one of " + List.copyOf(all().keySet()));
        return w;
    }

    /**
     * n stand-in images of this shape, flattened channel-major: image i, channel c is the plane wave
     * sin(2 pi (a r + b x) / side + 0.1 i + 0.7 c) with a = 1 + i mod 5, b = 1 + (i / 5) mod 5, all values z-scored
     * by one scalar mean and standard deviation ({@link Workloads#images} for one channel).
     */
    public static INDArray images(int n, ImageShape shape) {
        int C = shape.channels(), H = shape.height(), W = shape.width(), d = shape.dimensions();
        double[] v = new double[n * d];
        for (int i = 0; i < n; i++) {
            int a = 1 + i % 5, b = 1 + (i / 5) % 5;
            for (int c = 0; c < C; c++) {
                for (int r = 0; r < H; r++) {
                    for (int x = 0; x < W; x++) {
                        v[i * d + (c * H + r) * W + x] = Math.sin(2 * Math.PI * (a * r / (double) H + b * x / (double) W) + 0.1 * i + 0.7 * c);
                    }
                }
            }
        }
        double m = 0, ss = 0;
        for (double x : v) m += x / v.length;
        for (double x : v) ss += (x - m) * (x - m) / v.length;
        double sd = Math.sqrt(ss);
        for (int i = 0; i < v.length; i++) v[i] = (v[i] - m) / sd;
        return Nd4j.createFromArray(v).reshape(n, d);
    }
}
