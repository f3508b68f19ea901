package org.dpm4j.nn.conv;

import static org.dpm4j.nn.conv.ImageNetworkTest.SCHEDULE;
import static org.dpm4j.nn.conv.ImageNetworkUnetTest.images;
import static org.dpm4j.nn.conv.ImageNetworkUnetTest.perturb;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.dpm4j.data.ImageShape;
import org.dpm4j.kernel.GaussianParameterisation;
import org.dpm4j.kernel.Readout;
import org.dpm4j.nn.BumpReadout;
import org.dpm4j.nn.FloatMatrices;
import org.dpm4j.testing.BadInput;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The float[] path of the U-Net, with and without GroupNorm ({@link UnetFloat} inside {@link ImageNetworkFloat}) against the
 * SameDiff graph, the reference. Every parameter is moved off its initial value first ({@link ImageNetworkUnetTest#perturb},
 * the readout off zero), so a wrong piece anywhere changes z. Tolerances, each stated with its test: the float path and
 * the float32 graph sum in different orders through eleven convolutions, so they agree to float rounding grown by the
 * depth, not bit for bit; against the DOUBLE graph the gradients carry the float path's rounding alone.
 * <p>
 * upperLayers is 1 throughout: the configuration refuses anything else beside the U-Net (ImageNetworkUnetTest's
 * refusals), so the upper 1x1 layers before the readout are the multi-scale network's code and tests'.
 */
class ImageNetworkUnetFloatTest {
    static final int[] T = ImageNetworkFloatTest.T;

    /** c0 = 6 (no norm, so any count), J = 3, grey or two colours; with or without the noise-scaled input. */
    static ImageNetworkConfig unet(ImageShape shape, boolean noiseScaledInput) {
        return new ImageNetworkConfig(shape, 1, 4, 1, 0, 0, 0, 1, 0, 3).withNoiseScaledInput(noiseScaledInput).withUnet(6, false);
    }

    /**
     * With GroupNorm: c0 = 16, two channels per group in the c0 blocks (with one, the norm after the time bias removes
     * it and its gradient is zero, see ImageNetworkUnetTest.UNET).
     */
    static ImageNetworkConfig normed(ImageShape shape, boolean noiseScaledInput) {
        return unet(shape, noiseScaledInput).withUnet(16, true);
    }

    /**
     * PAPER and POSTERIOR_X0, with and without noise-scaled input, on 8x8 with two colours and on 12x8 grey (not
     * square), without GroupNorm; with it on both shapes, the noise-scaled input on one.
     */
    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> s = Stream.builder();
        for (GaussianParameterisation p : new GaussianParameterisation[] {GaussianParameterisation.PAPER, GaussianParameterisation.POSTERIOR_X0}) {
            for (boolean scaled : new boolean[] {false, true}) {
                s.add(Arguments.of(p, "2x8x8, noiseScaledInput=" + scaled, unet(new ImageShape(2, 8, 8), scaled)));
                s.add(Arguments.of(p, "1x12x8, noiseScaledInput=" + scaled, unet(ImageShape.grey(12, 8), scaled)));
            }
            s.add(Arguments.of(p, "GroupNorm, 2x8x8, noiseScaledInput=true", normed(new ImageShape(2, 8, 8), true)));
            s.add(Arguments.of(p, "GroupNorm, 1x12x8, noiseScaledInput=false", normed(ImageShape.grey(12, 8), false)));
        }
        return s.build();
    }

    static ImageNetwork perturbed(ImageNetworkConfig cfg, GaussianParameterisation p, long seed) {
        ImageNetwork net = ImageNetwork.create(cfg, SCHEDULE, p, seed);
        assertNotNull(net.fast(), "a FLOAT U-Net has the float[] path");
        perturb(net, 0.1, seed + 1);
        return net;
    }

    static INDArray floatImages(ImageShape shape, int n, long seed) { return ImageNetworkFloatTest.floatValued(images(shape, n, seed)); }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    @DisplayName("readout z equals the FLOAT graph's within 1e-4 (1 + max |z|) at t = 1, 6, 10; per-row KL (Eq. 14, nats) within 1e-4 relative + 1e-3")
    void forwardEqualsGraph(GaussianParameterisation p, String name, ImageNetworkConfig cfg) {
        ImageNetwork net = perturbed(cfg, p, 3);
        ImageNetworkFloatTest.assertForwardEqualsGraph(net, floatImages(cfg.shape(), 5, 5), name);
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    @DisplayName("every parameter's gradient of the loss from the float[] path equals the DOUBLE graph's within 1e-3 of its array's largest magnitude + 1e-5")
    void parameterGradients(GaussianParameterisation p, String name, ImageNetworkConfig cfg) {
        ImageNetwork f = perturbed(cfg, p, 7);
        ImageNetwork d = ImageNetwork.create(cfg, SCHEDULE, p, 0, DataType.DOUBLE);
        d.setParameterValues(f.parameterValues());
        ImageObjective of = new ImageObjective(f), od = new ImageObjective(d);
        INDArray x0 = floatImages(cfg.shape(), T.length, 8);
        INDArray xt = ImageNetworkFloatTest.floatValued(od.drawXt(x0, T, new SplittableRandom(9)));
        ImageObjective.Value vf = of.evaluate(x0, T, xt, 3.0, true), vd = od.evaluate(x0, T, xt, 3.0, true);
        assertEquals(vd.lossNats(), vf.lossNats(), 1e-4 * Math.abs(vd.lossNats()) + 1e-3, name + " loss");
        assertEquals(d.parameters().keySet(), vf.gradients().keySet(), "a gradient for every parameter");
        for (String key : d.parameters().keySet()) {
            INDArray gd = vd.gradients().get(key), gf = vf.gradients().get(key).castTo(DataType.DOUBLE).reshape(gd.shape());
            double scale = gd.amaxNumber().doubleValue();
            assertTrue(scale > 0, name + " " + key + ": the reference gradient is not zero (so the comparison can fail)");
            // float accumulation over 5 images of up to 12x8 pixels and 18 c0 channels: 1e-3 of the array's scale
            double tol = 1e-3 * scale + 1e-5, diff = gf.sub(gd).amaxNumber().doubleValue();
            assertTrue(diff <= tol, name + " " + key + ": max |fast - graph| = " + diff + " > " + tol);
        }
    }

    @ParameterizedTest(name = "noiseScaledInput={0}")
    @ValueSource(booleans = {false, true})
    @DisplayName("a batch split over two threads, with and without GroupNorm: readout and parameter gradients equal one thread's to float rounding, the same bits on a rerun")
    void twoThreads(boolean noiseScaledInput) {
        ImageNetworkConfig cfg = unet(new ImageShape(2, 8, 8), noiseScaledInput);
        ImageNetwork net = perturbed(cfg, GaussianParameterisation.POSTERIOR_V, 41);
        ImageNetworkFloatTest.assertTwoThreadsEqualOne(net, images(cfg.shape(), 7, 43), false);
        ImageNetworkConfig withNorm = normed(cfg.shape(), noiseScaledInput);
        ImageNetworkFloatTest.assertTwoThreadsEqualOne(perturbed(withNorm, GaussianParameterisation.POSTERIOR_V, 45), images(withNorm.shape(), 7, 46), false);
    }

    @Test
    @DisplayName("more rows than one forward chunk: the chunked readout equals one pass over all rows (float rounding) and the graph's")
    void chunkedReadout() {
        ImageNetworkConfig cfg = unet(ImageShape.grey(8, 8), true);
        ImageNetwork net = perturbed(cfg, GaussianParameterisation.PAPER, 21);
        int n = ImageNetworkFloat.CHUNK + 7, d = net.dimensions();
        ImageNetworkFloat one = new ImageNetworkFloat(cfg, net.parameters(), BumpReadout.bumps(net.T(), cfg.temporalBasis()), net.inputScaleTable(), 1);
        INDArray x = floatImages(cfg.shape(), n, 22);
        float[] xt = FloatMatrices.floats(x);
        int[] t = new int[n];
        Arrays.fill(t, 5);
        float[] chunked = one.readout(xt, t), whole = one.forward(xt, t).clone();
        assertEquals(n * 2 * d, chunked.length);
        float max = 0;
        for (float v : whole) max = Math.max(max, Math.abs(v));
        // the same arithmetic per image; only sgemm's blocking over more columns can differ
        for (int k = 0; k < whole.length; k++) assertEquals(whole[k], chunked[k], 1e-6 * (1 + max), "z[" + k + "]");
        Readout graph = net.readoutGraph(x, 5), fast = net.readout(x, 5);
        assertTrue(fast.zMu().getRow(n - 1).sub(graph.zMu().getRow(n - 1)).amaxNumber().doubleValue() <= 1e-4 * (1 + graph.zMu().amaxNumber().doubleValue()),
                "the last chunk's rows");
        assertTrue(fast.zSigma().sub(graph.zSigma()).amaxNumber().doubleValue() <= 1e-4 * (1 + graph.zSigma().amaxNumber().doubleValue()));
    }

    @Test
    @DisplayName("training: five plain gradient steps on the float[] path follow the graph's (loss within 1e-3 relative at each), and 30 Adam steps raise K")
    void training() {
        ImageNetworkConfig cfg = unet(ImageNetworkTest.SHAPE, true);
        ImageNetwork fastNet = ImageNetwork.create(cfg, SCHEDULE, GaussianParameterisation.POSTERIOR_V, 31);
        ImageNetwork graphNet = ImageNetwork.create(cfg, SCHEDULE, GaussianParameterisation.POSTERIOR_V, 31);
        ImageNetworkTest.randomiseOutput(fastNet, 0.05, 32);
        graphNet.setParameterValues(fastNet.parameterValues());
        ImageObjective fastObj = new ImageObjective(fastNet), graphObj = new ImageObjective(graphNet);
        INDArray data = ImageTrainingTest.structured(4, 33);
        int[] t = {2, 3, 5, 6, 8, 9, 10, 4};
        double rate = 0.02;
        SplittableRandom noise = new SplittableRandom(34);
        for (int step = 0; step < 5; step++) {
            INDArray xt = ImageNetworkFloatTest.floatValued(fastObj.drawXt(data, t, noise));
            ImageObjective.Value a = fastObj.evaluate(data, t, xt, 1.0 / t.length, true);
            ImageObjective.Value b = graphObj.evaluateGraph(data, t, xt, graphObj.coefficients(data, t, xt), 1.0 / t.length, true);
            // the two networks drift apart by float rounding step by step, far below this
            assertEquals(b.lossNats(), a.lossNats(), 1e-3 * Math.abs(b.lossNats()), "loss at step " + step);
            for (var e : fastNet.parameters().entrySet()) {
                e.getValue().subi(a.gradients().get(e.getKey()).reshape(e.getValue().shape()).mul(rate));
                graphNet.parameters().get(e.getKey()).subi(b.gradients().get(e.getKey()).reshape(e.getValue().shape()).mul(rate));
            }
        }
        ImageNetwork net = ImageNetwork.create(cfg, SCHEDULE, GaussianParameterisation.POSTERIOR_V, 35);
        INDArray heldOut = ImageTrainingTest.structured(2, 36);
        double before = new ImageObjective(net).kNats(heldOut, org.dpm4j.train.Trainer.evaluationSeed(7)) / Math.log(2);
        var r = ImageNetworkObjective.train(net, data, heldOut, ImageTrainingTest.config(7, 30, org.dpm4j.train.OptimizerKind.ADAM).withEvaluation(30, 5));
        assertTrue(r.evalKBits() > before + 1, "held-out K before " + before + ", after 30 steps " + r.evalKBits() + " bits/image");
    }

    @Test
    @DisplayName("refusals name the parameter: input gradients (the float[] path and ImageObjective); dK/dx_t falls back to the graph")
    void refusals() {
        ImageNetworkConfig cfg = unet(ImageShape.grey(8, 8), true);
        ImageNetwork net = perturbed(cfg, GaussianParameterisation.POSTERIOR_V, 61);
        INDArray x0 = floatImages(cfg.shape(), 2, 62);
        int[] t = {2, 3};
        ImageObjective obj = new ImageObjective(net);
        INDArray xt = ImageNetworkFloatTest.floatValued(obj.drawXt(x0, t, new SplittableRandom(63)));
        BadInput.assertRejected(() -> obj.evaluateWithInputGradients(x0, t, xt, 1.0), "unetChannels", "6");
        ImageNetworkFloat fast = net.fast();
        fast.forward(FloatMatrices.floats(xt), t);
        BadInput.assertRejected(() -> fast.backward(new float[2 * 2 * net.dimensions()], true), "input", "true");
        INDArray viaNetwork = obj.kGradientXt(x0, t, xt, 1.0), viaGraph = obj.kGradientXtGraph(x0, t, xt, 1.0);
        assertEquals(0, viaNetwork.sub(viaGraph).amaxNumber().doubleValue(), 0.0, "dK/dx_t of the U-Net is the graph's");
    }

    @Test
    @DisplayName("atShape: the network at 16x16 and 8x12 gets a float[] path of its own that equals its graph's readout")
    void atShape() {
        ImageNetwork net = perturbed(unet(ImageShape.grey(8, 8), true), GaussianParameterisation.PAPER, 51);
        for (ImageShape shape : new ImageShape[] {ImageShape.grey(16, 16), ImageShape.grey(8, 12)}) {
            ImageNetwork other = net.atShape(shape);
            assertNotNull(other.fast(), shape + ": a float[] path");
            INDArray x = floatImages(shape, 3, 52);
            Readout fast = other.readout(x, 4), graph = other.readoutGraph(x, 4);
            assertEquals(shape.dimensions(), fast.zMu().columns());
            double scale = 1 + graph.zMu().amaxNumber().doubleValue();
            assertTrue(fast.zMu().sub(graph.zMu()).amaxNumber().doubleValue() <= 1e-4 * scale, shape + " z_mu");
            assertTrue(fast.zSigma().sub(graph.zSigma()).amaxNumber().doubleValue() <= 1e-4 * (1 + graph.zSigma().amaxNumber().doubleValue()), shape + " z_Sigma");
            assertTrue(graph.zMu().amaxNumber().doubleValue() > 1e-2, "not trivially zero");
        }
    }

    @Test
    @DisplayName("FloatKernels.siluWithDerivative: silu(a) = a sigmoid(a) and its derivative within 1e-6 (1 + |a|) of the double closed forms and central differences, also in place")
    void siluKernel() {
        int n = 2001;
        float[] a = new float[n], y = new float[n], dy = new float[n];
        for (int i = 0; i < n; i++) a[i] = -20f + 0.02f * i;
        org.dpm4j.nn.FloatKernels.siluWithDerivative(a, y, n, dy);
        for (int i = 0; i < n; i++) {
            double x = a[i], s = 1 / (1 + Math.exp(-x)), h = 1e-4;
            double fd = ((x + h) / (1 + Math.exp(-(x + h))) - (x - h) / (1 + Math.exp(-(x - h)))) / (2 * h);
            // float sigmoid through the clamped tanh: about 1e-7 relative, times |a| in silu
            assertEquals(x * s, y[i], 1e-6 * (1 + Math.abs(x)), "silu(" + x + ")");
            assertEquals(s * (1 + x * (1 - s)), dy[i], 1e-6 * (1 + Math.abs(x)), "silu'(" + x + ")");
            assertEquals(fd, dy[i], 1e-5 * (1 + Math.abs(x)), "silu'(" + x + ") against central differences");
        }
        float[] inPlace = a.clone(), d2 = new float[n];
        org.dpm4j.nn.FloatKernels.siluWithDerivative(inPlace, inPlace, n, d2);
        assertTrue(Arrays.equals(y, inPlace) && Arrays.equals(dy, d2), "in place gives the same values");
    }
}
