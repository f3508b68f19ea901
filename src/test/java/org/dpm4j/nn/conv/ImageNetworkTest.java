package org.dpm4j.nn.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.dpm4j.bound.BoundK;
import org.dpm4j.data.ImageShape;
import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.kernel.GaussianParameterisation;
import org.dpm4j.diffusion.GaussianStep;
import org.dpm4j.kernel.Readout;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.schedule.Schedules;
import org.dpm4j.train.Estimator;
import org.dpm4j.train.TrainConfig;
import org.dpm4j.testing.BadInput;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ImageNetworkTest {
    static final ImageShape SHAPE = new ImageShape(2, 8, 8);
    static final BetaSchedule SCHEDULE = Schedules.referenceGaussian(10);

    /** Both pathways, two scales, every size small. */
    static ImageNetworkConfig tiny() {
        return new ImageNetworkConfig(SHAPE, 2, 3, 2, 2, 8, 1, 2, 4, 3);
    }

    static INDArray images(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[n * SHAPE.dimensions()];
        for (int i = 0; i < v.length; i++) v[i] = rng.nextGaussian();
        return Nd4j.createFromArray(v).reshape(n, SHAPE.dimensions());
    }

    /** Non-zero readout weights (the network starts with them at zero), so z depends on the whole network. */
    static void randomiseOutput(ImageNetwork net, double scale, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        String last = "upper" + (net.config().upperLayers() - 1);
        for (var e : net.parameters().entrySet()) {
            if (!e.getKey().startsWith(last)) continue;
            INDArray a = e.getValue();
            double[] v = new double[(int) a.length()];
            for (int i = 0; i < v.length; i++) v[i] = scale * rng.nextGaussian();
            a.assign(Nd4j.createFromArray(v).reshape(a.shape()).castTo(a.dataType()));
        }
    }

    @Test
    @DisplayName("shapes: readouts are [n, d] each, the kernel's mean and variance are [n, d], variances positive")
    void shapes() {
        ImageNetwork net = ImageNetwork.create(tiny(), SCHEDULE, GaussianParameterisation.PAPER, 1);
        randomiseOutput(net, 0.3, 2);
        INDArray x = images(5, 3);
        Readout z = net.readout(x, 4);
        assertArrayEquals(new long[] {5, 128}, z.zMu().shape());
        assertArrayEquals(new long[] {5, 128}, z.zSigma().shape());
        GaussianStep s = net.kernel().step(x, 4);
        assertArrayEquals(new long[] {5, 128}, s.mean().shape());
        assertTrue(s.variance().minNumber().doubleValue() > 0);
        assertTrue(z.zMu().std(true).getDouble(0) > 0, "a non-zero readout layer gives non-zero z");
    }

    @Test
    @DisplayName("reference sizes: 28x28 has 3 pool scales; dense-only MNIST network has no convolution parameters")
    void referenceSizes() {
        ImageShape mnist = ImageShape.grey(28, 28);
        assertEquals(3, ImageNetworkConfig.reference(mnist).scales());
        assertEquals(4, ImageNetworkConfig.defaultScales(ImageShape.colour(32, 32)));
        ImageNetwork dense = ImageNetwork.create(ImageNetworkConfig.denseOnly(mnist), Schedules.referenceGaussian(20),
                GaussianParameterisation.PAPER, 1);
        // 784 -> 500 -> 500 -> 500 -> 2 x 784, then per pixel 2 -> 20 -> 2 J
        long expected = (784 * 500 + 500) + 2 * (500 * 500 + 500) + (500 * 1568 + 1568) + (2 * 20 + 20) + (20 * 20 + 20);
        assertEquals(expected, dense.parameterCount());
        assertTrue(dense.parameters().keySet().stream().noneMatch(k -> k.startsWith("conv")));
    }

    @Test
    @DisplayName("bad sizes fail early naming the parameter")
    void badInput() {
        var e = assertThrows(IllegalArgumentException.class, () -> new ImageNetworkConfig(SHAPE, 2, 3, 5, 2, 8, 1, 2, 4, 3));
        assertTrue(e.getMessage().contains("scales"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ImageNetworkConfig(SHAPE, 0, 3, 1, 0, 8, 1, 2, 4, 3));
        ImageNetwork net = ImageNetwork.create(tiny(), SCHEDULE, GaussianParameterisation.PAPER, 1);
        var bad = assertThrows(IllegalArgumentException.class, () -> net.readout(Nd4j.zeros(2, 7), 3));
        assertTrue(bad.getMessage().contains("xt"), bad.getMessage());
        BadInput.assertRejected(() -> ImageNetwork.create(tiny(), SCHEDULE, null, 1), "parameterisation", "null");
    }

    @ParameterizedTest
    @EnumSource(value = GaussianParameterisation.class, names = {"PAPER", "REFERENCE"})
    @DisplayName("untrained (zero readout layer) the kernel is the forward form: variance beta_t, mean as z = 0 gives")
    void startsAtForwardForm(GaussianParameterisation p) {
        ImageNetwork net = ImageNetwork.create(tiny(), SCHEDULE, p, 1);
        INDArray x = images(3, 4);
        for (int t : new int[] {2, 7, 10}) {
            GaussianStep s = net.kernel().step(x, t);
            double beta = SCHEDULE.beta(t);
            assertEquals(beta, s.variance().minNumber().doubleValue(), 1e-12);
            assertEquals(beta, s.variance().maxNumber().doubleValue(), 1e-12);
            double scale = p == GaussianParameterisation.PAPER ? 1 - beta : Math.sqrt(1 - beta);
            assertEquals(0, s.mean().sub(x.mul(scale)).norm2Number().doubleValue(), 1e-12);
        }
    }

    @ParameterizedTest
    @EnumSource(value = GaussianParameterisation.class, names = {"POSTERIOR_X0", "POSTERIOR_V"})
    @DisplayName("untrained (zero readout layer) a posterior form is q(x_{t-1} | x_t, x_0) at x_0 = sqrt(alphabar_t) x_t, variance sqrt(posterior variance x beta_t)")
    void posteriorFormsStartAtLinearEstimate(GaussianParameterisation p) {
        ImageNetwork net = ImageNetwork.create(tiny(), SCHEDULE, p, 1);
        GaussianDiffusion diffusion = new GaussianDiffusion(SCHEDULE);
        INDArray x = images(3, 4);
        for (int t : new int[] {2, 7, 10}) {
            GaussianStep s = net.kernel().step(x, t);
            GaussianDiffusion.PosteriorCoefficients c = diffusion.posteriorCoefficients(t);
            double v = Math.sqrt(c.variance() * SCHEDULE.beta(t));
            assertEquals(v, s.variance().minNumber().doubleValue(), 1e-12 * v);
            assertEquals(v, s.variance().maxNumber().doubleValue(), 1e-12 * v);
            double scale = c.x0() * Math.sqrt(SCHEDULE.alphaBar(t)) + c.xt();
            assertEquals(0, s.mean().sub(x.mul(scale)).norm2Number().doubleValue(), 1e-12);
        }
    }

    @ParameterizedTest
    @EnumSource(GaussianParameterisation.class)
    @DisplayName("the graph's K equals BoundK (Eq. 14) for the same parameters and noise, to float precision")
    void lossEqualsBoundK(GaussianParameterisation p) {
        ImageNetwork net = ImageNetwork.create(tiny(), SCHEDULE, p, 5);
        randomiseOutput(net, 0.5, 6);
        INDArray x0 = images(6, 7);
        double graph = new ImageObjective(net).kNats(x0, 11);
        double bound = BoundK.gaussian(new GaussianDiffusion(SCHEDULE), net.kernel(), x0, 11).kNats();
        assertEquals(bound, graph, 1e-4 * Math.abs(bound) + 1e-3, "graph " + graph + " vs BoundK " + bound + " nats/image");
        // and the terms are not trivial: the random readout moves K well away from the untrained kernel's
        ImageNetwork untrained = ImageNetwork.create(tiny(), SCHEDULE, p, 5);
        assertTrue(Math.abs(new ImageObjective(untrained).kNats(x0, 11) - graph) > 1, "readout matters");
    }

    @Test
    @DisplayName("bump readout: with only biases b_j in the last layer, z = sum_j g_j(t) b_j at every pixel (z_mu, then z_Sigma)")
    void bumpReadoutMixesBiases() {
        ImageNetworkConfig cfg = tiny();
        ImageNetwork net = ImageNetwork.create(cfg, SCHEDULE, GaussianParameterisation.PAPER, 1);
        int J = cfg.temporalBasis(), C = SHAPE.channels();
        INDArray b = net.parameters().get("upper1.b");
        for (int j = 0; j < J; j++) {
            for (int c = 0; c < C; c++) {
                b.putScalar(new long[] {j, c}, j + 1);                 // z_mu channel c
                b.putScalar(new long[] {j, C + c}, -2.0 * (j + 1));    // z_Sigma channel c
            }
        }
        float[][] g = org.dpm4j.nn.BumpReadout.bumps(SCHEDULE.T(), J);
        for (int t : new int[] {1, 4, 10}) {
            double expected = 0;
            for (int j = 0; j < J; j++) expected += g[t - 1][j] * (j + 1);
            Readout z = net.readout(images(2, 5), t);
            assertEquals(expected, z.zMu().minNumber().doubleValue(), 1e-6);
            assertEquals(expected, z.zMu().maxNumber().doubleValue(), 1e-6);
            assertEquals(-2 * expected, z.zSigma().minNumber().doubleValue(), 1e-6);
            assertEquals(-2 * expected, z.zSigma().maxNumber().doubleValue(), 1e-6);
        }
    }

    @Test
    @DisplayName("dense pathway alone (the MNIST model): the graph's K equals BoundK for the same parameters and noise")
    void denseOnlyEqualsBoundK() {
        ImageNetworkConfig cfg = new ImageNetworkConfig(SHAPE, 0, 0, 1, 2, 8, 1, 2, 4, 3);
        ImageNetwork net = ImageNetwork.create(cfg, SCHEDULE, GaussianParameterisation.PAPER, 5);
        randomiseOutput(net, 0.5, 6);
        INDArray x0 = images(4, 7);
        double graph = new ImageObjective(net).kNats(x0, 12);
        double bound = BoundK.gaussian(new GaussianDiffusion(SCHEDULE), net.kernel(), x0, 12).kNats();
        assertEquals(bound, graph, 1e-4 * Math.abs(bound) + 1e-3);
    }

    @Test
    @DisplayName("SameDiff gradients of the loss agree with central finite differences in every parameterisation (DOUBLE, tiny network)")
    void gradientsMatchFiniteDifferences() {
        for (GaussianParameterisation p : GaussianParameterisation.values()) {
            ImageNetwork net = ImageNetwork.create(tiny(), SCHEDULE, p, 8, DataType.DOUBLE);
            randomiseOutput(net, 0.3, 9);
            ImageObjective obj = new ImageObjective(net);
            INDArray x0 = images(3, 10);
            int[] t = {2, 5, 9};
            INDArray xt = obj.drawXt(x0, t, new SplittableRandom(12));
            Map<String, INDArray> grads = obj.evaluate(x0, t, xt, 3.0, true).gradients();
            SplittableRandom pick = new SplittableRandom(13);
            int checked = 0;
            for (var e : net.parameters().entrySet()) {
                INDArray a = e.getValue(), g = grads.get(e.getKey());
                for (int k = 0; k < 3; k++) {
                    long i = pick.nextLong(a.length());
                    double fd = org.dpm4j.testing.FiniteDifference.central(a, i, 1e-5, () -> obj.evaluate(x0, t, xt, 3.0, false).lossNats());
                    double ad = g.getDouble(i);
                    assertEquals(fd, ad, 1e-6 + 1e-5 * Math.abs(fd), p + " " + e.getKey() + "[" + i + "]");
                    checked++;
                }
            }
            assertTrue(checked >= 30);
        }
    }

    @ParameterizedTest
    @EnumSource(GaussianParameterisation.class)
    @DisplayName("dK/dx_t (x_0, t fixed) agrees with central finite differences of K (DOUBLE); parameter gradients unchanged after it")
    void inputGradientMatchesFiniteDifferences(GaussianParameterisation p) {
        ImageNetwork net = ImageNetwork.create(tiny(), SCHEDULE, p, 14, DataType.DOUBLE);
        randomiseOutput(net, 0.3, 15);
        ImageObjective obj = new ImageObjective(net);
        INDArray x0 = images(3, 16);
        int[] t = {2, 6, 10};
        INDArray xt = obj.drawXt(x0, t, new SplittableRandom(17));
        INDArray g = obj.kGradientXt(x0, t, xt, 3.0);
        assertArrayEquals(new long[] {3, 128}, g.shape());
        SplittableRandom pick = new SplittableRandom(18);
        for (int k = 0; k < 12; k++) {
            int row = pick.nextInt(3), col = pick.nextInt(128);
            double old = xt.getDouble(row, col), h = 1e-5;
            xt.putScalar(row, col, old + h);
            double up = obj.evaluate(x0, t, xt, 3.0, false).kNats();
            xt.putScalar(row, col, old - h);
            double down = obj.evaluate(x0, t, xt, 3.0, false).kNats();
            xt.putScalar(row, col, old);
            double fd = (up - down) / (2 * h);
            assertEquals(fd, g.getDouble(row, col), 1e-6 + 1e-5 * Math.abs(fd), p + " x_t[" + row + ", " + col + "]");
        }
        assertTrue(g.norm2Number().doubleValue() > 1e-3, "the gradient is not trivially zero");
        // the parameter gradients after an input gradient equal those of a network that never took one
        ImageNetwork fresh = ImageNetwork.create(tiny(), SCHEDULE, p, 14, DataType.DOUBLE);
        randomiseOutput(fresh, 0.3, 15);
        Map<String, INDArray> after = obj.evaluate(x0, t, xt, 3.0, true).gradients();
        Map<String, INDArray> clean = new ImageObjective(fresh).evaluate(x0, t, xt, 3.0, true).gradients();
        for (String name : clean.keySet()) assertEquals(clean.get(name), after.get(name), name);
    }

    static TrainConfig quick(long seed, int steps) {
        return TrainConfig.of(seed, steps).withBatch(8).withEstimator(Estimator.SAMPLED_T).withLearningRate(3e-3).withProgress(false);
    }

    @Test
    @DisplayName("a few Adam steps on a tiny data set raise K (same noise before and after)")
    void trainingRaisesK() {
        ImageNetwork net = ImageNetwork.create(tiny(), SCHEDULE, GaussianParameterisation.PAPER, 21);
        // a structured data set: two fixed images with noise, z-scored scale
        INDArray base = images(2, 22);
        INDArray data = Nd4j.vstack(base, base, base, base, base, base, base, base).addi(images(16, 23).muli(0.1));
        ImageObjective obj = new ImageObjective(net);
        double before = obj.kNats(data, 31);
        var r = ImageNetworkObjective.train(net, data, null, quick(24, 60));
        double after = obj.kNats(data, 31);
        assertEquals(60, r.steps());
        assertEquals(0, r.skipped());
        assertTrue(after > before + 1, "K before " + before + ", after " + after + " nats/image");
    }

    @Test
    @DisplayName("the same seed and configuration give bit-identical parameters; another seed does not")
    void seeded() {
        INDArray data = images(12, 40);
        ImageNetwork a = ImageNetwork.create(tiny(), SCHEDULE, GaussianParameterisation.REFERENCE, 3);
        ImageNetwork b = ImageNetwork.create(tiny(), SCHEDULE, GaussianParameterisation.REFERENCE, 3);
        ImageNetwork c = ImageNetwork.create(tiny(), SCHEDULE, GaussianParameterisation.REFERENCE, 3);
        ImageNetworkObjective.train(a, data, null, quick(5, 5));
        ImageNetworkObjective.train(b, data, null, quick(5, 5));
        ImageNetworkObjective.train(c, data, null, quick(6, 5));
        boolean differs = false;
        for (String k : a.parameters().keySet()) {
            assertArrayEquals(a.parameters().get(k).data().asFloat(), b.parameters().get(k).data().asFloat(), k);
            differs |= !a.parameters().get(k).equals(c.parameters().get(k));
        }
        assertTrue(differs);
    }

    @Test
    @DisplayName("every time-step sampler is unbiased on images: the mean minibatch loss under SAMPLED_T and ONE_T_PER_BATCH agrees with ALL_T's within 4 standard errors")
    void samplersAgreeOnImages() {
        ImageNetwork net = ImageNetwork.create(tiny(), SCHEDULE, GaussianParameterisation.PAPER, 1);
        randomiseOutput(net, 0.3, 2);
        ImageNetworkObjective objective = new ImageNetworkObjective(net);
        double[] x0 = images(4, 1).castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double exact = 0;
        int reps = 60;
        for (int k = 0; k < reps; k++) exact += objective.evaluate(x0, Estimator.ALL_T, new java.util.SplittableRandom(k), false).lossNats() / reps;
        for (Estimator e : new Estimator[] {Estimator.SAMPLED_T, Estimator.ONE_T_PER_BATCH}) {
            int n = 600;
            double sum = 0, sq = 0;
            for (int k = 0; k < n; k++) {
                double v = objective.evaluate(x0, e, new java.util.SplittableRandom(1000 + k), false).lossNats();
                sum += v;
                sq += v * v;
            }
            double mean = sum / n, se = Math.sqrt((sq / n - mean * mean) / n);
            assertEquals(exact, mean, 4 * se, e + ": mean " + mean + " +- " + se + " against ALL_T " + exact);
        }
    }
}
