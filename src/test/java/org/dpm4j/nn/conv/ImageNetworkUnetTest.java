package org.dpm4j.nn.conv;

import static org.dpm4j.nn.conv.ImageNetworkTest.SCHEDULE;
import static org.dpm4j.nn.conv.ImageNetworkTest.randomiseOutput;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.dpm4j.data.ImageShape;
import org.dpm4j.diffusion.GaussianStep;
import org.dpm4j.experiments.DeadLeavesExperiment;
import org.dpm4j.experiments.Profile;
import org.dpm4j.experiments.Settings;
import org.dpm4j.kernel.GaussianParameterisation;
import org.dpm4j.kernel.Readout;
import org.dpm4j.testing.BadInput;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The U-Net lower pathway ({@link ImageNetworkConfig#unetChannels}, not in the paper; issue #15): its gradient against
 * central differences, the GroupNorm's statistics, the zero readout's kernel, other image sizes, refusals, and the dead
 * leaves experiment's setting; with and without the GroupNorm ({@link ImageNetworkConfig#unetGroupNorm}).
 */
class ImageNetworkUnetTest {
    static final ImageShape GREY = ImageShape.grey(8, 8);
    /**
     * c0 = 16, J = 3, x_t and x_t / sqrt(1 - alphabar_t) in. Not c0 = 8: with one channel per GroupNorm group the
     * per-channel time bias of a c0 block is removed by the norm that follows it, and its gradient is exactly zero.
     */
    static final ImageNetworkConfig UNET = new ImageNetworkConfig(GREY, 1, 4, 1, 0, 0, 0, 1, 0, 3)
            .withNoiseScaledInput(true).withUnet(16);

    static INDArray images(ImageShape shape, int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[n * shape.dimensions()];
        for (int i = 0; i < v.length; i++) v[i] = rng.nextGaussian();
        return Nd4j.createFromArray(v).reshape(n, shape.dimensions());
    }

    /** Every parameter moved off its initial value (the readout off zero, GroupNorm's scale off 1), so each one matters. */
    static void perturb(ImageNetwork net, double scale, long seed) {
        randomiseOutput(net, 0.3, seed);
        SplittableRandom rng = new SplittableRandom(seed + 1);
        for (var e : net.parameters().entrySet()) {
            if (e.getKey().startsWith("upper")) continue;
            INDArray a = e.getValue();
            double[] v = new double[(int) a.length()];
            for (int i = 0; i < v.length; i++) v[i] = scale * rng.nextGaussian();
            a.addi(Nd4j.createFromArray(v).reshape(a.shape()).castTo(a.dataType()));
        }
    }

    /**
     * The U-Net without GroupNorm ({@link ImageNetworkConfig#unetGroupNorm} false), c0 = 12: not a multiple of the 8
     * groups, which only the norm needs.
     */
    static final ImageNetworkConfig NOGN = new ImageNetworkConfig(GREY, 1, 4, 1, 0, 0, 0, 1, 0, 3)
            .withNoiseScaledInput(true).withUnet(12, false);

    @Test
    @DisplayName("every parameter's gradient of the loss (Eq. 14's KL terms, POSTERIOR_V) equals central differences, DOUBLE, 8x8, c0 = 16")
    void gradientMatchesFiniteDifferences() {
        assertGradientMatchesFiniteDifferences(UNET);
    }

    @Test
    @DisplayName("without GroupNorm: every parameter's gradient of the loss equals central differences, DOUBLE, 8x8, c0 = 12")
    void gradientMatchesFiniteDifferencesWithoutGroupNorm() {
        assertGradientMatchesFiniteDifferences(NOGN);
    }

    /** The largest-gradient entry and four random entries of every parameter, against central differences of the loss. */
    private static void assertGradientMatchesFiniteDifferences(ImageNetworkConfig config) {
        ImageNetwork net = ImageNetwork.create(config, SCHEDULE, GaussianParameterisation.POSTERIOR_V, 11, DataType.DOUBLE);
        perturb(net, 0.1, 12);
        ImageObjective obj = new ImageObjective(net);
        int[] t = {2, 4, 7, 10};
        INDArray x0 = images(GREY, 4, 13);
        INDArray xt = obj.drawXt(x0, t, new SplittableRandom(14));
        Map<String, INDArray> grads = obj.evaluate(x0, t, xt, 0.7, true).gradients();
        assertEquals(net.parameters().keySet(), grads.keySet(), "a gradient for every parameter");
        SplittableRandom pick = new SplittableRandom(15);
        int checked = 0;
        for (var e : net.parameters().entrySet()) {
            INDArray w = e.getValue(), g = grads.get(e.getKey()).reshape(w.shape());
            assertTrue(g.amaxNumber().doubleValue() > 1e-6, e.getKey() + "'s gradient is not zero");
            List<Long> entries = new ArrayList<>();
            long largest = 0;   // the entry of the largest gradient, and four at random
            for (long i = 1; i < g.length(); i++) if (Math.abs(g.getDouble(i)) > Math.abs(g.getDouble(largest))) largest = i;
            entries.add(largest);
            for (int k = 0; k < 4; k++) entries.add(pick.nextLong(w.length()));
            for (long i : entries) {
                double fd = org.dpm4j.testing.FiniteDifference.central(w, i, 1e-6, () -> obj.evaluate(x0, t, xt, 0.7, false).lossNats());
                double an = g.getDouble(i);
                assertEquals(fd, an, 1e-5 * (1 + Math.abs(fd)) + 1e-6 * g.amaxNumber().doubleValue(), e.getKey() + "[" + i + "]");
                checked++;
            }
        }
        assertEquals(5 * net.parameters().size(), checked);
    }

    @Test
    @DisplayName("the FLOAT U-Net's graph (float32) gives the DOUBLE graph's loss and gradients to float precision")
    void floatGraphEqualsDouble() {
        ImageNetwork f = ImageNetwork.create(UNET, SCHEDULE, GaussianParameterisation.POSTERIOR_V, 21);
        perturb(f, 0.1, 22);
        ImageNetwork d = ImageNetwork.create(UNET, SCHEDULE, GaussianParameterisation.POSTERIOR_V, 0, DataType.DOUBLE);
        d.setParameterValues(f.parameterValues());
        int[] t = {2, 5, 9};
        INDArray x0 = ImageNetworkFloatTest.floatValued(images(GREY, 3, 23));
        ImageObjective of = new ImageObjective(f), od = new ImageObjective(d);
        INDArray xt = ImageNetworkFloatTest.floatValued(od.drawXt(x0, t, new SplittableRandom(24)));
        ImageObjective.Value vf = of.evaluateGraph(x0, t, xt, of.coefficients(x0, t, xt), 1.0, true), vd = od.evaluate(x0, t, xt, 1.0, true);
        assertEquals(vd.lossNats(), vf.lossNats(), 1e-4 * Math.abs(vd.lossNats()));
        for (String name : d.parameters().keySet()) {
            INDArray gd = vd.gradients().get(name), gf = vf.gradients().get(name).castTo(DataType.DOUBLE).reshape(gd.shape());
            double scale = gd.amaxNumber().doubleValue();
            assertTrue(gf.sub(gd).amaxNumber().doubleValue() <= 1e-3 * scale + 1e-6, name + ": float and double gradients differ");
        }
    }

    /** Per image and group of consecutive channels, mean and biased variance of a normalised NHWC array [n, h, w, ch]. */
    private static void assertNormalised(INDArray v, String name) {
        long n = v.size(0), pixels = v.size(1) * v.size(2), ch = v.size(3);
        int groups = ImageNetworkConfig.UNET_GROUPS;
        INDArray r = v.reshape(n, pixels, ch);
        for (long i = 0; i < n; i++) {
            for (int gr = 0; gr < groups; gr++) {
                double s = 0, s2 = 0;
                long m = 0;
                for (long p = 0; p < pixels; p++) {
                    for (long c = gr * ch / groups; c < (gr + 1) * ch / groups; c++) {
                        double x = r.getDouble(i, p, c);
                        s += x;
                        s2 += x * x;
                        m++;
                    }
                }
                double mean = s / m, var = s2 / m - mean * mean;
                assertEquals(0, mean, 1e-10, name + " image " + i + " group " + gr + " mean");
                // var / (var + 1e-5) of the input's group: 1 to within 1e-5 / var for inputs of variance >= 0.01
                assertEquals(1, var, 1e-3, name + " image " + i + " group " + gr + " variance");
            }
        }
    }

    @Test
    @DisplayName("GroupNorm before its affine: every image's group of consecutive channels has mean 0 and variance 1, at full and quarter resolution")
    void groupNormStatistics() {
        ImageNetwork net = ImageNetwork.create(UNET, SCHEDULE, GaussianParameterisation.POSTERIOR_V, 31, DataType.DOUBLE);
        perturb(net, 0.5, 32);   // the shifts and scales off 0 and 1: the normalised values must not care
        INDArray x = images(GREY, 3, 33).mul(3).add(1);
        String[] names = {"unet.e1.norm1.normalised", "unet.e1.norm2.normalised", "unet.e3.norm2.normalised", "unet.d1.norm1.normalised"};
        Map<String, INDArray> out = net.graph().output(net.forwardInputs(x, 3, 6), names);
        for (String name : names) {
            INDArray v = out.get(name);
            assertEquals(4, v.rank(), name + " is NHWC");
            assertNormalised(v, name);
        }
        assertEquals(2, out.get("unet.e3.norm2.normalised").size(1), "e3 at a quarter of 8 pixels");
        assertEquals(48, out.get("unet.d1.norm1.normalised").size(3), "d1 takes 3 c0 channels");
    }

    @ParameterizedTest
    @EnumSource(GaussianParameterisation.class)
    @DisplayName("untrained (readout at zero): z = 0 exactly, so the kernel is the parameterisation's z = 0 kernel, bit for bit the multi-scale network's")
    void untrainedIsZeroReadoutKernel(GaussianParameterisation p) {
        assertZeroReadoutKernel(UNET, p, 41);
    }

    /** An untrained U-Net of config (seed s) reads out z = 0 and steps exactly as a multi-scale network (seed s + 1). */
    private static void assertZeroReadoutKernel(ImageNetworkConfig config, GaussianParameterisation p, long s) {
        ImageNetwork unet = ImageNetwork.create(config, SCHEDULE, p, s);
        ImageNetwork multi = ImageNetwork.create(new ImageNetworkConfig(GREY, 2, 4, 2, 0, 0, 0, 2, 4, 3, true), SCHEDULE, p, s + 1);
        INDArray x = ImageNetworkFloatTest.floatValued(images(GREY, 3, s + 2));
        for (int t : new int[] {2, 5, 10}) {
            Readout r = unet.readout(x, t);
            assertEquals(0, r.zMu().amaxNumber().doubleValue(), 0.0, "z_mu at t=" + t);
            assertEquals(0, r.zSigma().amaxNumber().doubleValue(), 0.0, "z_Sigma at t=" + t);
            GaussianStep a = unet.kernel().step(x, t), b = multi.kernel().step(x, t);
            assertArrayEquals(b.mean().data().asDouble(), a.mean().data().asDouble(), 0.0, p + " mean at t=" + t);
            assertArrayEquals(b.variance().data().asDouble(), a.variance().data().asDouble(), 0.0, p + " variance at t=" + t);
        }
    }

    @Test
    @DisplayName("without GroupNorm the U-Net's parameters are the normed one's less every norm's scale and shift, drawn alike from the same seed")
    void noGroupNormParameters() {
        ImageNetwork normed = ImageNetwork.create(UNET, SCHEDULE, GaussianParameterisation.POSTERIOR_V, 71, DataType.DOUBLE);
        ImageNetwork bare = ImageNetwork.create(UNET.withUnetGroupNorm(false), SCHEDULE, GaussianParameterisation.POSTERIOR_V, 71, DataType.DOUBLE);
        List<String> norms = new ArrayList<>();
        for (String name : normed.parameters().keySet()) if (name.contains(".norm")) norms.add(name);
        // five blocks, two norms each, a scale and a shift per norm
        assertEquals(5 * 2 * 2, norms.size(), norms.toString());
        for (String name : bare.parameters().keySet()) assertFalse(name.contains("norm"), name + " without the norm");
        Set<String> expected = new TreeSet<>(normed.parameters().keySet());
        norms.forEach(expected::remove);
        assertEquals(expected, new TreeSet<>(bare.parameters().keySet()));
        long normValues = norms.stream().mapToLong(n -> normed.parameters().get(n).length()).sum();
        assertEquals(normed.parameterCount() - normValues, bare.parameterCount());
        for (String name : expected) {
            assertArrayEquals(normed.parameters().get(name).data().asDouble(), bare.parameters().get(name).data().asDouble(), 0.0,
                    name + ": the norm's parameters take nothing from the seed's stream");
        }
        // no norm op in the graph either
        assertFalse(bare.graph().hasVariable("unet.e1.norm1.normalised"), "no normalised variable without the norm");
        assertTrue(normed.graph().hasVariable("unet.e1.norm1.normalised"));
    }

    @ParameterizedTest
    @EnumSource(GaussianParameterisation.class)
    @DisplayName("without GroupNorm, untrained: z = 0 exactly, the kernel bit for bit the multi-scale network's")
    void untrainedWithoutGroupNormIsZeroReadoutKernel(GaussianParameterisation p) {
        assertZeroReadoutKernel(NOGN, p, 81);
    }

    @Test
    @DisplayName("atShape: the same parameters on 16x16 and 8x12 images, the same readout at the training shape; its GroupNorm statistics are the new image's")
    void atShape() {
        ImageNetwork net = ImageNetwork.create(UNET, SCHEDULE, GaussianParameterisation.POSTERIOR_V, 51);
        perturb(net, 0.1, 52);
        ImageNetwork same = net.atShape(GREY), large = net.atShape(ImageShape.grey(16, 16)), wide = net.atShape(ImageShape.grey(8, 12));
        for (ImageNetwork other : new ImageNetwork[] {same, large, wide}) {
            assertEquals(net.parameterCount(), other.parameterCount());
            assertArrayEquals(net.parameterValues(), other.parameterValues(), 0f, "parameters unchanged");
            assertTrue(other.config().hasUnet());
        }
        INDArray x = ImageNetworkFloatTest.floatValued(images(GREY, 2, 53));
        assertArrayEquals(ImageNetworkNoiseScaledInputTest.bits(net.readout(x, 4)), ImageNetworkNoiseScaledInputTest.bits(same.readout(x, 4)), 0.0);
        Readout r = large.readout(images(ImageShape.grey(16, 16), 2, 54), 4);
        assertArrayEquals(new long[] {2, 256}, r.zMu().shape());
        assertTrue(r.zMu().amaxNumber().doubleValue() > 0 && Double.isFinite(r.zSigma().sumNumber().doubleValue()));
        // the copy is independent: training one must not move the other
        large.parameters().values().iterator().next().addi(1);
        assertArrayEquals(net.parameterValues(), same.parameterValues(), 0f);
        assertEquals(96, wide.readout(images(ImageShape.grey(8, 12), 1, 55), 3).zMu().length());
    }

    @Test
    @DisplayName("refusals name the parameter: channels not a multiple of 8, sides not divisible by 4, a dense pathway or multi-scale layers beside it, input gradients")
    void refusals() {
        ImageNetworkConfig base = new ImageNetworkConfig(GREY, 1, 4, 1, 0, 0, 0, 1, 0, 3);
        BadInput.assertRejected(() -> base.withUnet(12), "unetChannels", "12");
        BadInput.assertRejected(() -> base.withUnet(0), "unetChannels", "0");
        BadInput.assertRejected(() -> new ImageNetworkConfig(ImageShape.grey(10, 10), 1, 4, 1, 0, 0, 0, 1, 0, 3).withUnet(8), "shape", "10");
        BadInput.assertRejected(() -> new ImageNetworkConfig(GREY, 0, 0, 1, 2, 8, 1, 1, 0, 3, false, 8), "denseLayers", "2");
        BadInput.assertRejected(() -> new ImageNetworkConfig(GREY, 2, 4, 1, 0, 0, 0, 1, 0, 3, false, 8), "convLayers", "2");
        BadInput.assertRejected(() -> new ImageNetworkConfig(GREY, 0, 0, 1, 0, 0, 0, 2, 4, 3, false, 8), "upperLayers", "2");
        ImageNetwork net = ImageNetwork.create(UNET, SCHEDULE, GaussianParameterisation.POSTERIOR_V, 61);
        BadInput.assertRejected(() -> net.atShape(ImageShape.grey(8, 14)), "shape", "14");
        // no input gradients on the U-Net's float[] path, so no schedule gradients (a learned schedule)
        INDArray x0 = images(GREY, 2, 62);
        int[] t = {2, 3};
        ImageObjective obj = new ImageObjective(net);
        // without the norm: any positive c0, but the switch only on a U-Net
        assertEquals(12, base.withUnet(12, false).unetChannels());
        BadInput.assertRejected(() -> base.withUnet(0, false), "unetChannels", "0");
        BadInput.assertRejected(() -> base.withUnetGroupNorm(false), "unetGroupNorm", "false");
        BadInput.assertRejected(() -> NOGN.withUnetGroupNorm(true), "unetChannels", "12");
        BadInput.assertRejected(() -> obj.evaluateWithInputGradients(x0, t, obj.drawXt(x0, t, new SplittableRandom(63)), 1.0), "unetChannels", "16");
    }

    @Test
    @DisplayName("configuration text: unchanged for the multi-scale network (checkpoint fingerprints), unetChannels named for the U-Net")
    void description() {
        ImageNetworkConfig multi = new ImageNetworkConfig(GREY, 2, 4, 2, 0, 0, 0, 2, 4, 3, true);
        assertFalse(multi.toString().contains("unet"));
        assertEquals(multi.toString(), ImageNetworkConfig.reference(GREY).withConv(2, 4, 2).withDense(0, 0, 0).withUpper(2, 4)
                .withTemporalBasis(3).withNoiseScaledInput(true).toString());
        assertTrue(UNET.toString().endsWith(", noiseScaledInput=true, unetChannels=16]"), UNET.toString());
        // the norm is the default: named only when off, and the 12-component constructor means it on
        assertTrue(UNET.unetGroupNorm() && multi.unetGroupNorm());
        assertEquals(UNET, new ImageNetworkConfig(GREY, 0, 0, 1, 0, 0, 0, 1, 0, 3, true, 16));
        assertEquals(UNET.toString().replace("]", ", unetGroupNorm=false]"), UNET.withUnetGroupNorm(false).toString());
        assertEquals(UNET.toString(), UNET.withUnetGroupNorm(false).withUnetGroupNorm(true).toString());
    }

    @Test
    @DisplayName("dead leaves: every profile keeps the multi-scale network; architecture=unet gives the U-Net of unetChannels, refusals named")
    void deadLeavesSetting() {
        for (Profile p : Profile.values()) {
            DeadLeavesExperiment.Config c = DeadLeavesExperiment.Config.of(p);
            assertEquals(DeadLeavesExperiment.Architecture.MULTISCALE, c.architecture());
            assertEquals(new ImageNetworkConfig(c.shape(), c.convLayers(), c.convChannels(), c.scales(), 0, 0, 0, c.upperLayers(),
                    c.upperHidden(), c.temporalBasis(), c.noiseScaledInput()), c.network(), p + " keeps its network");
        }
        DeadLeavesExperiment.Config q = Settings.with(DeadLeavesExperiment.Config.of(Profile.QUICK), Map.of("architecture", "unet"));
        assertTrue(q.network().hasUnet());
        assertEquals(32, q.network().unetChannels());
        assertEquals(q.noiseScaledInput(), q.network().noiseScaledInput());
        assertNotNull(DeadLeavesExperiment.network(q, 1).atShape(ImageShape.grey(q.largeSize(), q.largeSize())));
        assertTrue(q.unetGroupNorm() && q.network().unetGroupNorm(), "the norm by default");
        DeadLeavesExperiment.Config bare = Settings.with(q, Map.of("unetGroupNorm", "false"));
        assertEquals(q.network().withUnetGroupNorm(false), bare.network());
        assertEquals(20, Settings.change(bare, "unetChannels", 20).network().unetChannels(), "any c0 without the norm");
        for (Profile p : Profile.values()) assertTrue(DeadLeavesExperiment.Config.of(p).unetGroupNorm(), p + " keeps the norm setting");
        BadInput.assertRejected(() -> Settings.change(q, "unetChannels", 20), "unetChannels", "20");
        BadInput.assertRejected(() -> Settings.change(q, "largeSize", 34), "shape", "34");
    }
}
