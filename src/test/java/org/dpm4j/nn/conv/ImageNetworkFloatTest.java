package org.dpm4j.nn.conv;

import static org.dpm4j.nn.conv.ImageNetworkTest.SCHEDULE;
import static org.dpm4j.nn.conv.ImageNetworkTest.SHAPE;
import static org.dpm4j.nn.conv.ImageNetworkTest.images;
import static org.dpm4j.nn.conv.ImageNetworkTest.randomiseOutput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.dpm4j.kernel.GaussianParameterisation;
import org.dpm4j.kernel.Readout;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The float[] path of FLOAT image networks ({@link ImageNetworkFloat} with {@link ImageObjective}'s loss) against the
 * SameDiff graph, the reference: the same readout, per-row KL and loss, and gradients that agree with the DOUBLE
 * graph's and with its central finite differences. Tolerances (the float path accumulates in float):
 * readout |fast - graph| <= 1e-4 (1 + max |z|); KL per row and loss within 1e-4 relative + 1e-3 nats;
 * gradients within 1e-3 of the largest magnitude of their array (or row) + 1e-5.
 */
class ImageNetworkFloatTest {
    static final int[] T = {2, 4, 7, 9, 10};

    /**
     * Every parameterisation on both pathways (2 scales, 2 upper layers); PAPER and REFERENCE also on convolution alone
     * (3 scales, the readout layer alone on top) and dense alone. Every parameterisation also with the noise-scaled
     * input channels of the first convolution layer ({@link ImageNetworkConfig#noiseScaledInput}), PAPER and REFERENCE
     * on convolution alone too.
     */
    static Stream<Arguments> cases() {
        ImageNetworkConfig both = ImageNetworkTest.tiny();
        ImageNetworkConfig convOnly = new ImageNetworkConfig(SHAPE, 2, 3, 3, 0, 0, 0, 1, 0, 3);
        ImageNetworkConfig denseOnly = new ImageNetworkConfig(SHAPE, 0, 0, 1, 2, 8, 1, 2, 4, 3);
        Stream.Builder<Arguments> s = Stream.builder();
        for (GaussianParameterisation p : GaussianParameterisation.values()) {
            s.add(Arguments.of(p, "both", both));
            s.add(Arguments.of(p, "both, noise-scaled input", both.withNoiseScaledInput(true)));
            if (p.predictsX0()) continue;   // the pathways differ in the network alone, which the published two already cover
            s.add(Arguments.of(p, "conv only", convOnly));
            s.add(Arguments.of(p, "dense only", denseOnly));
            s.add(Arguments.of(p, "conv only, noise-scaled input", convOnly.withNoiseScaledInput(true)));
        }
        return s.build();
    }

    /** A FLOAT network with a random readout layer and a DOUBLE one holding exactly the same parameter values. */
    record Pair(ImageNetwork single, ImageNetwork reference) {
        static Pair of(ImageNetworkConfig cfg, GaussianParameterisation p, long seed) {
            ImageNetwork f = ImageNetwork.create(cfg, SCHEDULE, p, seed);
            randomiseOutput(f, 0.3, seed + 1);
            ImageNetwork dbl = ImageNetwork.create(cfg, SCHEDULE, p, seed, DataType.DOUBLE);
            dbl.setParameterValues(f.parameterValues());
            return new Pair(f, dbl);
        }
    }

    /** Values exactly representable in float, so both paths see the same inputs. */
    static INDArray floatValued(INDArray x) { return x.castTo(DataType.FLOAT).castTo(DataType.DOUBLE); }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    @DisplayName("fast forward equals the SameDiff graph: readout z, per-row KL (Eq. 14, nats) and the weighted loss")
    void forwardEqualsGraph(GaussianParameterisation p, String name, ImageNetworkConfig cfg) {
        ImageNetwork net = ImageNetwork.create(cfg, SCHEDULE, p, 3);
        randomiseOutput(net, 0.5, 4);
        assertForwardEqualsGraph(net, floatValued(images(5, 5)), name);
    }

    /**
     * The float[] path's readout z at t = 1, 6, 10 within 1e-4 (1 + max |z|) of the graph's (both float32: about 1,000
     * float ulps, room for sums in other orders), z not trivially zero, and per-row KL and loss within 1e-4 relative +
     * 1e-3 nats, on images x (float-valued) and x_t drawn at {@link #T}.
     */
    static void assertForwardEqualsGraph(ImageNetwork net, INDArray x, String name) {
        for (int t : new int[] {1, 6, 10}) {
            Readout fast = net.readout(x, t), graph = net.readoutGraph(x, t);
            for (INDArray[] pair : new INDArray[][] {{fast.zMu(), graph.zMu()}, {fast.zSigma(), graph.zSigma()}}) {
                double scale = 1 + pair[1].amaxNumber().doubleValue(), diff = pair[0].sub(pair[1]).amaxNumber().doubleValue();
                assertTrue(diff <= 1e-4 * scale, name + " t=" + t + ": max |z_fast - z_graph| = " + diff);
            }
            assertTrue(graph.zMu().amaxNumber().doubleValue() > 1e-2, "the readout is not trivially zero");
        }
        ImageObjective obj = new ImageObjective(net);
        INDArray xt = floatValued(obj.drawXt(x, T, new SplittableRandom(6)));
        ImageObjective.Value fast = obj.evaluate(x, T, xt, 0.7, false);
        ImageObjective.Value graph = obj.evaluateGraph(x, T, xt, obj.coefficients(x, T, xt), 0.7, false);
        for (int i = 0; i < T.length; i++) {
            assertEquals(graph.klPerRow()[i], fast.klPerRow()[i], 1e-4 * Math.abs(graph.klPerRow()[i]) + 1e-3, name + " KL row " + i);
        }
        assertEquals(graph.lossNats(), fast.lossNats(), 1e-4 * Math.abs(graph.lossNats()) + 1e-3);
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    @DisplayName("fast parameter gradients equal the DOUBLE graph's and its central finite differences")
    void parameterGradients(GaussianParameterisation p, String name, ImageNetworkConfig cfg) {
        Pair nets = Pair.of(cfg, p, 7);
        ImageObjective fastObj = new ImageObjective(nets.single()), refObj = new ImageObjective(nets.reference());
        INDArray x0 = floatValued(images(5, 8));
        INDArray xt = floatValued(fastObj.drawXt(x0, T, new SplittableRandom(9)));
        Map<String, INDArray> fast = fastObj.evaluate(x0, T, xt, 3.0, true).gradients();
        Map<String, INDArray> ref = refObj.evaluate(x0, T, xt, 3.0, true).gradients();
        SplittableRandom pick = new SplittableRandom(10);
        for (var e : nets.reference().parameters().entrySet()) {
            INDArray r = ref.get(e.getKey()), f = fast.get(e.getKey()).castTo(DataType.DOUBLE).reshape(r.shape());
            double tol = 1e-3 * r.amaxNumber().doubleValue() + 1e-5;
            double diff = f.sub(r).amaxNumber().doubleValue();
            assertTrue(diff <= tol, name + " " + e.getKey() + ": max |fast - graph| = " + diff + " > " + tol);
            INDArray a = e.getValue();
            for (int k = 0; k < 2; k++) {
                long i = pick.nextLong(a.length());
                double fd = org.dpm4j.testing.FiniteDifference.central(a, i, 1e-5, () -> refObj.evaluate(x0, T, xt, 3.0, false).lossNats());
                assertEquals(fd, f.getDouble(i), tol + 1e-5 * Math.abs(fd), name + " " + e.getKey() + "[" + i + "] vs finite difference");
            }
        }
        assertTrue(fast.values().stream().anyMatch(g -> g.amaxNumber().doubleValue() > 1e-3), "gradients are not trivially zero");
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    @DisplayName("input gradients (x_t; alphabar_{t-1} and beta_t per row) equal the graph's dK/dx_t and central finite differences of the graph's loss")
    void inputGradients(GaussianParameterisation p, String name, ImageNetworkConfig cfg) {
        Pair nets = Pair.of(cfg, p, 11);
        ImageObjective fastObj = new ImageObjective(nets.single()), refObj = new ImageObjective(nets.reference());
        INDArray x0 = floatValued(images(5, 12));
        INDArray xt = floatValued(fastObj.drawXt(x0, T, new SplittableRandom(13)));
        double w = 3.0;
        ImageObjective.InputGradients g = fastObj.evaluateWithInputGradients(x0, T, xt, w);
        // x_t: against the DOUBLE graph's dK/dx_t = -dL/dx_t, row by row
        INDArray dKdXt = refObj.kGradientXt(x0, T, xt, w);
        int d = SHAPE.dimensions();
        for (int i = 0; i < T.length; i++) {
            INDArray row = dKdXt.getRow(i);
            double tol = 1e-3 * row.amaxNumber().doubleValue() + 1e-5;
            for (int c = 0; c < d; c++) assertEquals(-row.getDouble(c), g.xt()[i * d + c], tol, name + " x_t[" + i + ", " + c + "]");
        }
        // alphabar_{t-1} and beta_t of each row (x_t held): central differences of the DOUBLE graph's loss, moving one
        // row's step (its posterior coefficients and the parameterisation's functions of beta_t, alphabar_t) at a time
        ImageObjective.Coefficients k = refObj.coefficients(x0, T, xt);
        for (int i = 0; i < T.length; i++) {
            GaussianParameterisation.Step old = k.steps()[i];
            double a = old.alphaBar() / (1 - old.beta()), b = old.beta();
            double ha = 1e-5 * Math.min(a, 1 - a), hb = 1e-5 * Math.min(b, 1 - b);
            k.steps()[i] = GaussianParameterisation.Step.of(a + ha, b, old.T());
            double up = refObj.evaluateGraph(x0, T, xt, k, w, false).lossNats();
            k.steps()[i] = GaussianParameterisation.Step.of(a - ha, b, old.T());
            double down = refObj.evaluateGraph(x0, T, xt, k, w, false).lossNats();
            double fdA = (up - down) / (2 * ha);
            k.steps()[i] = GaussianParameterisation.Step.of(a, b + hb, old.T());
            up = refObj.evaluateGraph(x0, T, xt, k, w, false).lossNats();
            k.steps()[i] = GaussianParameterisation.Step.of(a, b - hb, old.T());
            down = refObj.evaluateGraph(x0, T, xt, k, w, false).lossNats();
            double fdB = (up - down) / (2 * hb);
            k.steps()[i] = old;
            assertEquals(fdA, g.alphaBarPrevious()[i], 1e-3 * Math.abs(fdA) + 1e-3, name + " d/dalphabar_{t-1} row " + i);
            assertEquals(fdB, g.beta()[i], 1e-3 * Math.abs(fdB) + 1e-3, name + " d/dbeta_t row " + i);
        }
        assertTrue(Math.abs(g.beta()[0]) > 1e-3, "the schedule gradients are not trivially zero");
        // the same pass's parameter gradients and loss are those of evaluate
        ImageObjective.Value v = fastObj.evaluate(x0, T, xt, w, true);
        assertEquals(v.lossNats(), g.value().lossNats(), 1e-9 * Math.abs(v.lossNats()));
        for (String key : v.gradients().keySet()) assertEquals(v.gradients().get(key), g.value().gradients().get(key), key);
    }

    @org.junit.jupiter.api.Test
    @DisplayName("reference sizes (28x28 grey, 3 scales, both pathways, J = 10, T = 1000): fast KL rows and gradients equal the FLOAT graph's")
    void referenceSizes() {
        ImageNetworkConfig cfg = ImageNetworkConfig.reference(org.dpm4j.data.ImageShape.grey(28, 28));
        ImageNetwork net = ImageNetwork.create(cfg, org.dpm4j.schedule.Schedules.referenceGaussian(1000), GaussianParameterisation.PAPER, 17);
        randomiseOutput(net, 0.3, 18);
        ImageObjective obj = new ImageObjective(net);
        SplittableRandom rng = new SplittableRandom(19);
        double[] v = new double[2 * 784];
        for (int i = 0; i < v.length; i++) v[i] = rng.nextGaussian();
        INDArray x0 = floatValued(org.nd4j.linalg.factory.Nd4j.createFromArray(v).reshape(2, 784));
        int[] t = {3, 640};
        INDArray xt = floatValued(obj.drawXt(x0, t, rng));
        ImageObjective.Value fast = obj.evaluate(x0, t, xt, 0.5, true);
        ImageObjective.Value graph = obj.evaluateGraph(x0, t, xt, obj.coefficients(x0, t, xt), 0.5, true);
        for (int i = 0; i < t.length; i++) {
            assertEquals(graph.klPerRow()[i], fast.klPerRow()[i], 1e-4 * Math.abs(graph.klPerRow()[i]) + 1e-3, "KL row " + i);
        }
        for (String key : graph.gradients().keySet()) {
            INDArray r = graph.gradients().get(key), f = fast.gradients().get(key).reshape(r.shape());
            double tol = 1e-3 * r.amaxNumber().doubleValue() + 1e-5, diff = f.sub(r).amaxNumber().doubleValue();
            assertTrue(diff <= tol, key + ": max |fast - graph| = " + diff + " > " + tol);
        }
    }

    @org.junit.jupiter.api.Test
    @DisplayName("several im2col blocks per convolution (28x28, a last block of one image at every scale): KL rows, parameter gradients and dK/dx_t equal the FLOAT graph's")
    void blockedConvolutions() {
        // finest scale: blocks of perBlock, perBlock, 1 images; the coarser scales (14x14, 7x7) hold more images a block
        int perBlock = Math.max(1, ImageNetworkFloat.BLOCK_COLUMNS / 784), n = 2 * perBlock + 1;
        assertTrue(ImageNetworkFloat.BLOCK_COLUMNS / 196 >= 2, "the 14 x 14 scale has blocks of several images");
        ImageNetworkConfig cfg = ImageNetworkConfig.reference(org.dpm4j.data.ImageShape.grey(28, 28));
        ImageNetwork net = ImageNetwork.create(cfg, org.dpm4j.schedule.Schedules.referenceGaussian(1000), GaussianParameterisation.PAPER, 31);
        randomiseOutput(net, 0.3, 32);
        ImageObjective obj = new ImageObjective(net);
        SplittableRandom rng = new SplittableRandom(33);
        double[] v = new double[n * 784];
        for (int i = 0; i < v.length; i++) v[i] = rng.nextGaussian();
        INDArray x0 = floatValued(org.nd4j.linalg.factory.Nd4j.createFromArray(v).reshape(n, 784));
        int[] t = new int[n];
        for (int i = 0; i < n; i++) t[i] = 2 + rng.nextInt(999);
        INDArray xt = floatValued(obj.drawXt(x0, t, rng));
        ImageObjective.Value fast = obj.evaluate(x0, t, xt, 0.5, true);
        ImageObjective.Value graph = obj.evaluateGraph(x0, t, xt, obj.coefficients(x0, t, xt), 0.5, true);
        for (int i = 0; i < n; i++) {
            assertEquals(graph.klPerRow()[i], fast.klPerRow()[i], 1e-4 * Math.abs(graph.klPerRow()[i]) + 1e-3, "KL row " + i);
        }
        for (String key : graph.gradients().keySet()) {
            INDArray r = graph.gradients().get(key), f = fast.gradients().get(key).reshape(r.shape());
            double tol = 1e-3 * r.amaxNumber().doubleValue() + 1e-5, diff = f.sub(r).amaxNumber().doubleValue();
            assertTrue(diff <= tol, key + ": max |fast - graph| = " + diff + " > " + tol);
        }
        INDArray gx = obj.kGradientXt(x0, t, xt, 0.5), gxGraph = obj.kGradientXtGraph(x0, t, xt, 0.5);
        for (int i = 0; i < n; i++) {
            double tol = 1e-3 * gxGraph.getRow(i).amaxNumber().doubleValue() + 1e-5, diff = gx.getRow(i).sub(gxGraph.getRow(i)).amaxNumber().doubleValue();
            assertTrue(diff <= tol, "dK/dx_t row " + i + ": max |fast - graph| = " + diff + " > " + tol);
        }
    }

    @org.junit.jupiter.api.Test
    @DisplayName("more rows than one forward chunk: readout and per-row KL (no gradient) still equal the graph's, row by row")
    void chunkedForward() {
        ImageNetwork net = ImageNetwork.create(ImageNetworkTest.tiny(), SCHEDULE, GaussianParameterisation.REFERENCE, 21);
        randomiseOutput(net, 0.5, 22);
        int n = ImageNetworkFloat.CHUNK + 7;
        INDArray x0 = floatValued(images(n, 23));
        int[] t = new int[n];
        for (int i = 0; i < n; i++) t[i] = 2 + i % 9;
        ImageObjective obj = new ImageObjective(net);
        INDArray xt = floatValued(obj.drawXt(x0, t, new SplittableRandom(24)));
        ImageObjective.Value fast = obj.evaluate(x0, t, xt, 1.0 / n, false);
        ImageObjective.Value graph = obj.evaluateGraph(x0, t, xt, obj.coefficients(x0, t, xt), 1.0 / n, false);
        for (int i = 0; i < n; i++) {
            assertEquals(graph.klPerRow()[i], fast.klPerRow()[i], 1e-4 * Math.abs(graph.klPerRow()[i]) + 1e-3, "KL row " + i);
        }
        Readout a = net.readout(x0, 5), b = net.readoutGraph(x0, 5);
        assertTrue(a.zSigma().sub(b.zSigma()).amaxNumber().doubleValue() <= 1e-4 * (1 + b.zSigma().amaxNumber().doubleValue()));
        assertTrue(a.zMu().getRow(n - 1).sub(b.zMu().getRow(n - 1)).amaxNumber().doubleValue() <= 1e-4 * (1 + b.zMu().amaxNumber().doubleValue()),
                "the last chunk's rows");
    }

    @ParameterizedTest(name = "noiseScaledInput={0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    @DisplayName("a batch split over two threads: readout and gradients equal one thread's to float rounding, dx_t too, and the same bits on every run")
    void twoThreads(boolean noiseScaledInput) {
        ImageNetwork net = ImageNetwork.create(ImageNetworkTest.tiny().withNoiseScaledInput(noiseScaledInput), SCHEDULE, GaussianParameterisation.POSTERIOR_V, 41);
        randomiseOutput(net, 0.5, 42);
        assertTwoThreadsEqualOne(net, images(7, 43), true);
    }

    /**
     * One network's float[] path on one thread and on two, on the rows of images at t = 2 + i % 9: z equal within
     * 1e-6 (1 + max |z|), the gradients (and with {@code input} dx_t) within float rounding of sums over two halves,
     * and the two-thread gradients the same bits on a rerun.
     */
    static void assertTwoThreadsEqualOne(ImageNetwork net, INDArray images, boolean input) {
        int n = (int) images.rows(), d = net.dimensions();
        float[][] bumps = org.dpm4j.nn.BumpReadout.bumps(net.T(), net.config().temporalBasis());
        float[] scale = net.inputScaleTable();
        ImageNetworkFloat one = new ImageNetworkFloat(net.config(), net.parameters(), bumps, scale, 1);
        ImageNetworkFloat two = new ImageNetworkFloat(net.config(), net.parameters(), bumps, scale, 2);
        float[] xt = org.dpm4j.nn.FloatMatrices.floats(images);
        int[] t = new int[n];
        for (int i = 0; i < n; i++) t[i] = 2 + i % 9;
        SplittableRandom rng = new SplittableRandom(44);
        float[] dz = new float[n * 2 * d];
        for (int k = 0; k < dz.length; k++) dz[k] = (float) rng.nextGaussian();
        float[] z1 = one.forward(xt, t).clone(), z2 = two.forward(xt, t).clone();
        float zMax = 0;
        for (float v : z1) zMax = Math.max(zMax, Math.abs(v));
        for (int k = 0; k < n * 2 * d; k++) assertEquals(z1[k], z2[k], 1e-6 * (1 + zMax), "z[" + k + "]");
        float[] dx1 = one.backward(dz, input), dx2 = two.backward(dz, input);
        for (int k = 0; input && k < n * d; k++) assertEquals(dx1[k], dx2[k], 1e-5 * (1 + Math.abs(dx1[k])), "dx_t[" + k + "]");
        Map<String, float[]> first = new java.util.HashMap<>();
        for (var e : one.gradients().entrySet()) {
            float[] a = e.getValue(), b = two.gradients().get(e.getKey());
            float max = 0;
            for (float v : a) max = Math.max(max, Math.abs(v));
            for (int k = 0; k < a.length; k++) assertEquals(a[k], b[k], 1e-5 * max + 1e-7, e.getKey() + "[" + k + "]");
            first.put(e.getKey(), b.clone());
        }
        two.forward(xt, t);
        two.backward(dz, input);
        for (var e : first.entrySet()) assertTrue(java.util.Arrays.equals(e.getValue(), two.gradients().get(e.getKey())), e.getKey() + " is the same on a rerun");
    }

    @org.junit.jupiter.api.Test
    @DisplayName("the thread count: dpm4j.imageThreads when set (1 or 2, anything else refused naming it), else 2 with two or more processors")
    void threadCount() {
        String before = System.getProperty("dpm4j.imageThreads");
        try {
            System.clearProperty("dpm4j.imageThreads");
            assertEquals(Runtime.getRuntime().availableProcessors() >= 2 ? 2 : 1, ImageNetwork.threads());
            System.setProperty("dpm4j.imageThreads", "1");
            assertEquals(1, ImageNetwork.threads());
            System.setProperty("dpm4j.imageThreads", "2");
            assertEquals(2, ImageNetwork.threads());
            for (String bad : new String[] {"3", "0", "two"}) {
                System.setProperty("dpm4j.imageThreads", bad);
                IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, ImageNetwork::threads);
                assertTrue(e.getMessage().contains("dpm4j.imageThreads") && e.getMessage().contains(bad), e.getMessage());
            }
        } finally {
            if (before == null) System.clearProperty("dpm4j.imageThreads");
            else System.setProperty("dpm4j.imageThreads", before);
        }
    }

    @org.junit.jupiter.api.Test
    @DisplayName("dot and sum in eight partial sums equal the double-precision sums (every length 0..40, offsets, the tail) within float rounding")
    void partialSums() {
        SplittableRandom rng = new SplittableRandom(51);
        float[] x = new float[50], y = new float[50];
        for (int k = 0; k < 50; k++) {
            x[k] = (float) rng.nextGaussian();
            y[k] = (float) rng.nextGaussian();
        }
        for (int len = 0; len <= 40; len++) {
            double dot = 0, sum = 0, scale = 0;
            for (int q = 0; q < len; q++) {
                dot += (double) x[3 + q] * y[7 + q];
                sum += x[5 + q];
                scale += Math.abs((double) x[3 + q] * y[7 + q]) + Math.abs(x[5 + q]);
            }
            assertEquals(dot, ImageNetworkFloat.dot(x, 3, y, 7, len), 1e-6 * scale, "dot, length " + len);
            assertEquals(sum, ImageNetworkFloat.sum(x, 5, len), 1e-6 * scale, "sum, length " + len);
        }
    }
}
