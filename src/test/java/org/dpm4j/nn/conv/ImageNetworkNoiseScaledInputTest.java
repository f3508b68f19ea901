package org.dpm4j.nn.conv;

import static org.dpm4j.nn.conv.ImageNetworkFloatTest.floatValued;
import static org.dpm4j.nn.conv.ImageNetworkTest.SCHEDULE;
import static org.dpm4j.nn.conv.ImageNetworkTest.SHAPE;
import static org.dpm4j.nn.conv.ImageNetworkTest.images;
import static org.dpm4j.nn.conv.ImageNetworkTest.randomiseOutput;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.kernel.GaussianParameterisation;
import org.dpm4j.kernel.Readout;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.schedule.Schedules;
import org.dpm4j.testing.BadInput;
import org.dpm4j.train.Estimator;
import org.dpm4j.train.TrainConfig;
import org.dpm4j.train.Trainer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The noise-scaled input channels of the first convolution layer ({@link ImageNetworkConfig#noiseScaledInput}):
 * channels C..2C-1 carry x_t / sqrt(1 - alphabar_t) of the row's own t under the network's current schedule. The
 * float[] path against the graph is in {@link ImageNetworkFloatTest} (its cases include the option); here the scale
 * itself, conv0's hand-derived gradient and dK/dx_t against central differences, the option off unchanged, refusals.
 */
class ImageNetworkNoiseScaledInputTest {
    /** Convolution alone (2 layers, 3 scales, the readout layer on top), C = 2 colour channels. */
    static final ImageNetworkConfig CONV = new ImageNetworkConfig(SHAPE, 2, 3, 3, 0, 0, 0, 1, 0, 3).withNoiseScaledInput(true);

    /** sqrt(1 - alphabar_t) of a schedule, from the core's forward marginal. */
    static double noiseStd(BetaSchedule s, int t) { return new GaussianDiffusion(s).sqrtOneMinusAlphaBars()[t]; }

    /**
     * Network b moves a's conv0 weights on the x_t channels onto the scaled channels, multiplied by sqrt(1 - alphabar_t)
     * at tMatch, and zeroes them on the x_t channels (a has zero weights on the scaled channels): if channels C..2C-1
     * hold x_t / sqrt(1 - alphabar_t), both compute the same function at tMatch and different ones at other t.
     */
    private static void moveToScaledChannels(ImageNetwork a, ImageNetwork b, double factor) {
        int C = SHAPE.channels();
        b.setParameterValues(a.parameterValues());
        for (var e : a.parameters().entrySet()) {
            if (!e.getKey().startsWith("conv0.") || !e.getKey().endsWith(".W")) continue;
            INDArray wa = e.getValue(), wb = b.parameters().get(e.getKey());
            assertArrayEquals(new long[] {3, 3, 2 * C, 3}, wa.shape(), e.getKey() + " takes 2C input channels");
            INDArray plain = wa.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, C), NDArrayIndex.all());
            wb.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(C, 2 * C), NDArrayIndex.all()).assign(plain.mul(factor));
            wb.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, C), NDArrayIndex.all()).assign(0);
        }
    }

    private static ImageNetwork scaledZeroed(long seed) {
        ImageNetwork a = ImageNetwork.create(CONV, SCHEDULE, GaussianParameterisation.PAPER, seed);
        randomiseOutput(a, 0.5, seed + 1);
        int C = SHAPE.channels();
        for (var e : a.parameters().entrySet()) {
            if (e.getKey().startsWith("conv0.") && e.getKey().endsWith(".W")) {
                e.getValue().get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(C, 2 * C), NDArrayIndex.all()).assign(0);
            }
        }
        return a;
    }

    private static double maxDiff(Readout x, Readout y) {
        return Math.max(x.zMu().sub(y.zMu()).amaxNumber().doubleValue(), x.zSigma().sub(y.zSigma()).amaxNumber().doubleValue());
    }

    /** A readout's values, z_mu then z_Sigma, for comparisons to the last bit. */
    static double[] bits(Readout r) {
        double[] mu = r.zMu().dup('c').data().asDouble(), sigma = r.zSigma().dup('c').data().asDouble();
        double[] v = Arrays.copyOf(mu, mu.length + sigma.length);
        System.arraycopy(sigma, 0, v, mu.length, sigma.length);
        return v;
    }

    private static double size(Readout x) { return 1 + x.zMu().amaxNumber().doubleValue() + x.zSigma().amaxNumber().doubleValue(); }

    @Test
    @DisplayName("channels C..2C-1 are x_t / sqrt(1 - alphabar_t) of the current schedule: weights w on x_t equal weights w sqrt(1 - alphabar_t) on the scaled channels at that t only, fast and graph, also after setSchedule")
    void scaledChannelIsXtOverNoiseStd() {
        INDArray x = floatValued(images(4, 61));
        ImageNetwork a = scaledZeroed(60), b = ImageNetwork.create(CONV, SCHEDULE, GaussianParameterisation.PAPER, 0);
        for (BetaSchedule s : new BetaSchedule[] {SCHEDULE, Schedules.cosine(SCHEDULE.T())}) {
            a.setSchedule(s);
            b.setSchedule(s);
            for (int t : new int[] {2, 6}) {
                double sigma = noiseStd(s, t);
                moveToScaledChannels(a, b, sigma);
                Readout ra = a.readout(x, t), rb = b.readout(x, t);
                assertTrue(maxDiff(ra, rb) <= 1e-4 * size(ra), s + " t=" + t + ": fast readouts differ by " + maxDiff(ra, rb));
                Readout ga = a.readoutGraph(x, t), gb = b.readoutGraph(x, t);
                assertTrue(maxDiff(ga, gb) <= 1e-4 * size(ga), s + " t=" + t + ": graph readouts differ by " + maxDiff(ga, gb));
                // at another t the scale differs, and so does the function: the check can see a wrong scale
                int other = t == 2 ? 9 : 1;
                assertTrue(Math.abs(noiseStd(s, other) / sigma - 1) > 0.1, "the test's two times have different noise scales");
                double apart = maxDiff(a.readout(x, other), b.readout(x, other));
                assertTrue(apart > 1e-2 * size(ra), s + " t=" + other + ": the readouts should differ, max diff " + apart);
            }
        }
    }

    @Test
    @DisplayName("conv0's hand-derived weight gradient (both channel sets, every scale) equals central differences of the DOUBLE graph's loss")
    void conv0GradientMatchesFiniteDifferences() {
        ImageNetworkFloatTest.Pair nets = ImageNetworkFloatTest.Pair.of(CONV, GaussianParameterisation.POSTERIOR_V, 71);
        ImageObjective fastObj = new ImageObjective(nets.single()), refObj = new ImageObjective(nets.reference());
        int[] t = {2, 3, 5, 8, 10};
        INDArray x0 = floatValued(images(5, 72));
        INDArray xt = floatValued(fastObj.drawXt(x0, t, new SplittableRandom(73)));
        Map<String, INDArray> fast = fastObj.evaluate(x0, t, xt, 2.0, true).gradients();
        int checked = 0;
        for (var e : nets.reference().parameters().entrySet()) {
            if (!e.getKey().startsWith("conv0.") || !e.getKey().endsWith(".W")) continue;
            INDArray w = e.getValue(), f = fast.get(e.getKey()).castTo(DataType.DOUBLE).reshape(w.shape());
            double tol = 1e-3 * f.amaxNumber().doubleValue() + 1e-5;
            for (long i = 0; i < w.length(); i++) {
                double fd = org.dpm4j.testing.FiniteDifference.central(w, i, 1e-5, () -> refObj.evaluate(x0, t, xt, 2.0, false).lossNats());
                assertEquals(fd, f.getDouble(i), tol + 1e-5 * Math.abs(fd), e.getKey() + "[" + i + "]");
                checked++;
            }
            assertTrue(f.amaxNumber().doubleValue() > 1e-3, e.getKey() + "'s gradient is not trivially zero");
        }
        assertEquals(3 * 9 * 2 * SHAPE.channels() * 3, checked, "every conv0 weight of the 3 scales");
    }

    @Test
    @DisplayName("dK/dx_t of the float path (x_t reaches the loss through both channel sets) equals central differences of the DOUBLE graph's K")
    void inputGradientMatchesFiniteDifferences() {
        ImageNetworkFloatTest.Pair nets = ImageNetworkFloatTest.Pair.of(CONV, GaussianParameterisation.PAPER, 81);
        ImageObjective fastObj = new ImageObjective(nets.single()), refObj = new ImageObjective(nets.reference());
        int[] t = {2, 4, 9};
        INDArray x0 = floatValued(images(3, 82));
        INDArray xt = floatValued(fastObj.drawXt(x0, t, new SplittableRandom(83)));
        INDArray g = fastObj.kGradientXt(x0, t, xt, 1.5);
        double tol = 1e-3 * g.amaxNumber().doubleValue() + 1e-5;
        SplittableRandom pick = new SplittableRandom(84);
        for (int k = 0; k < 24; k++) {
            int i = pick.nextInt(t.length), c = pick.nextInt(SHAPE.dimensions());
            double old = xt.getDouble(i, c), h = 1e-5;
            xt.putScalar(i, c, old + h);
            double up = refObj.evaluate(x0, t, xt, 1.5, false).kNats();
            xt.putScalar(i, c, old - h);
            double down = refObj.evaluate(x0, t, xt, 1.5, false).kNats();
            xt.putScalar(i, c, old);
            double fd = (up - down) / (2 * h);
            assertEquals(fd, g.getDouble(i, c), tol + 1e-5 * Math.abs(fd), "dK/dx_t[" + i + ", " + c + "]");
        }
        // without the scaled channels' term the gradient would differ: the network's share moves with the option
        assertTrue(g.amaxNumber().doubleValue() > 1e-2, "dK/dx_t is not trivially zero");
    }

    @Test
    @DisplayName("option off: the 10-argument config is the default, equals withNoiseScaledInput(false) and gives bit-identical parameters and readout; on: only conv0's input width changes")
    void offUnchanged() {
        ImageNetworkConfig off = ImageNetworkTest.tiny();
        assertFalse(off.noiseScaledInput());
        assertEquals(off, off.withNoiseScaledInput(true).withNoiseScaledInput(false));
        ImageNetwork a = ImageNetwork.create(off, SCHEDULE, GaussianParameterisation.PAPER, 5);
        ImageNetwork b = ImageNetwork.create(off.withNoiseScaledInput(true).withNoiseScaledInput(false), SCHEDULE, GaussianParameterisation.PAPER, 5);
        assertArrayEquals(a.parameterValues(), b.parameterValues());
        assertEquals(null, a.inputScaleTable());
        randomiseOutput(a, 0.5, 6);
        randomiseOutput(b, 0.5, 6);
        INDArray x = images(3, 7);
        assertArrayEquals(bits(a.readout(x, 4)), bits(b.readout(x, 4)));
        // with the option: the same names, every shape the same but conv0's [3, 3, C, out] -> [3, 3, 2C, out]
        ImageNetwork on = ImageNetwork.create(off.withNoiseScaledInput(true), SCHEDULE, GaussianParameterisation.PAPER, 5);
        assertEquals(a.parameters().keySet(), on.parameters().keySet());
        for (var e : a.parameters().entrySet()) {
            long[] shape = e.getValue().shape().clone();
            if (e.getKey().startsWith("conv0.") && e.getKey().endsWith(".W")) shape[2] *= 2;
            assertArrayEquals(shape, on.parameters().get(e.getKey()).shape(), e.getKey());
        }
        // the same initialisation rule at in = 2C: std 1/sqrt(9 in scales) (all 4 x 9 x 3 values of each scale)
        INDArray w = on.parameters().get("conv0.s0.W");
        double std = Math.sqrt(w.mul(w).meanNumber().doubleValue()), expected = 1 / Math.sqrt(9.0 * 2 * SHAPE.channels() * off.scales());
        assertEquals(expected, std, 4 * expected / Math.sqrt(2 * w.length()), "conv0 init std");
    }

    /** The config's record before the option existed: its generated toString is what run fingerprints held. */
    record Before(org.dpm4j.data.ImageShape shape, int convLayers, int convChannels, int scales, int denseLayers, int denseHidden,
                  int denseOutputChannels, int upperLayers, int upperHidden, int temporalBasis) {}

    @Test
    @DisplayName("the config's text (part of a training run's fingerprint, so of every checkpoint) is the 10-component record's when the option is off, and names it when on")
    void describedAsBefore() {
        ImageNetworkConfig off = ImageNetworkTest.tiny();
        String before = new Before(off.shape(), off.convLayers(), off.convChannels(), off.scales(), off.denseLayers(), off.denseHidden(),
                off.denseOutputChannels(), off.upperLayers(), off.upperHidden(), off.temporalBasis()).toString();
        assertEquals(before.replaceFirst("^Before", "ImageNetworkConfig"), off.toString());
        assertEquals(before.replaceFirst("^Before", "ImageNetworkConfig").replaceFirst("]$", ", noiseScaledInput=true]"),
                off.withNoiseScaledInput(true).toString());
    }

    @Test
    @DisplayName("atShape keeps the option and every parameter: the same readout to the last bit at the same shape")
    void atShapeKeepsOption() {
        ImageNetwork a = ImageNetwork.create(CONV, SCHEDULE, GaussianParameterisation.PAPER, 90);
        randomiseOutput(a, 0.5, 91);
        ImageNetwork same = a.atShape(SHAPE), larger = a.atShape(new org.dpm4j.data.ImageShape(2, 16, 16));
        assertTrue(larger.config().noiseScaledInput() && same.config().noiseScaledInput());
        assertArrayEquals(a.parameterValues(), larger.parameterValues());
        INDArray x = images(2, 91);
        assertArrayEquals(bits(a.readout(x, 3)), bits(same.readout(x, 3)));
    }

    @Test
    @DisplayName("refused, naming noiseScaledInput: the option without a convolutional pathway, and with a learned schedule (dK/dbeta through the scale is not implemented)")
    void refusals() {
        ImageNetworkConfig dense = new ImageNetworkConfig(SHAPE, 0, 0, 1, 2, 8, 1, 2, 4, 3);
        BadInput.assertRejected(() -> dense.withNoiseScaledInput(true), "noiseScaledInput", "true");
        BadInput.assertRejected(() -> new ImageNetworkConfig(SHAPE, 0, 0, 1, 2, 8, 1, 2, 4, 3, true), "noiseScaledInput", "true");
        ImageNetwork net = ImageNetwork.create(CONV, SCHEDULE, GaussianParameterisation.PAPER, 3);
        ImageObjective obj = new ImageObjective(net);
        INDArray x0 = images(2, 4);
        int[] t = {3, 5};
        BadInput.assertRejected(() -> obj.evaluateWithScheduleGradient(x0, t, obj.noise(2, new SplittableRandom(5)), 0.5, new double[SCHEDULE.T()]),
                "noiseScaledInput", "true");
        TrainConfig learned = TrainConfig.of(1, 2).withBatch(2).withEstimator(Estimator.SAMPLED_T).withProgress(false).withLearnedSchedule(1e-3);
        BadInput.assertRejected(() -> ImageNetworkObjective.train(net, images(4, 6), images(2, 7), learned), "noiseScaledInput", "true");
        BadInput.assertRejected(() -> Trainer.train(new ImageNetworkObjective(net), images(4, 6), images(2, 7), learned), "noiseScaledInput", "true");
        float[][] bumps = org.dpm4j.nn.BumpReadout.bumps(net.T(), 3);
        BadInput.assertRejected(() -> new ImageNetworkFloat(CONV, net.parameters(), bumps, 1), "inputScale", "null");
        // a fixed schedule trains
        assertEquals(2, ImageNetworkObjective.train(net, images(4, 6), images(2, 7), TrainConfig.of(1, 2).withBatch(2).withProgress(false)).steps());
        for (float v : net.parameterValues()) assertTrue(Float.isFinite(v));
    }
}
