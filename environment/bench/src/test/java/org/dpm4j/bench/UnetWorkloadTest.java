package org.dpm4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dpm4j.data.ImageShape;
import org.dpm4j.experiments.DeadLeavesExperiment;
import org.dpm4j.experiments.Profile;
import org.dpm4j.kernel.GaussianParameterisation;
import org.dpm4j.nn.conv.ImageNetwork;
import org.dpm4j.nn.conv.ImageNetworkConfig;
import org.dpm4j.train.Estimator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The deadleaves-unet image workload: the experiment's U-Net arm, its parameters and its FLOP count. */
class UnetWorkloadTest {
    private static final int J = 10;

    /** The U-Net's parameter arrays by name, shapes from ImageNetwork.unet's javadoc (no GroupNorm), readout included. */
    private static Map<String, long[]> expectedShapes(int in, int c0, int C) {
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put("unet.in.W", new long[] {3, 3, in, c0});
        s.put("unet.in.b", new long[] {c0});
        int[][] blocks = {{c0, c0}, {c0, 2 * c0}, {2 * c0, 2 * c0}, {4 * c0, 2 * c0}, {3 * c0, c0}};
        String[] names = {"e1", "e2", "e3", "d2", "d1"};
        for (int i = 0; i < blocks.length; i++) {
            int cin = blocks[i][0], cout = blocks[i][1];
            String b = "unet." + names[i];
            s.put(b + ".conv1.W", new long[] {3, 3, cin, cout});
            s.put(b + ".conv1.b", new long[] {cout});
            s.put(b + ".time.W", new long[] {J, cout});
            s.put(b + ".time.b", new long[] {cout});
            s.put(b + ".conv2.W", new long[] {3, 3, cout, cout});
            s.put(b + ".conv2.b", new long[] {cout});
            if (cin != cout) {
                s.put(b + ".skip.W", new long[] {1, 1, cin, cout});
                s.put(b + ".skip.b", new long[] {cout});
            }
        }
        s.put("upper0.W", new long[] {J, (long) c0 * 2 * C});
        s.put("upper0.b", new long[] {J, 2L * C});
        return s;
    }

    @Test
    @DisplayName("deadleaves-unet is the dead-leaves experiment's standard U-Net arm: 16 x 16 grey, c0 32, no GroupNorm, noise-scaled input, POSTERIOR_V, batch 32")
    void isTheExperimentsUnet() {
        ImageWorkloads.Workload w = ImageWorkloads.get("deadleaves-unet");
        DeadLeavesExperiment.Config u = DeadLeavesExperiment.Config.unet(Profile.STANDARD);
        assertEquals(u.network(), w.network());
        ImageNetworkConfig c = w.network();
        assertEquals(ImageShape.grey(16, 16), c.shape());
        assertTrue(c.hasUnet());
        assertEquals(32, c.unetChannels());
        assertFalse(c.unetGroupNorm());
        assertTrue(c.noiseScaledInput());
        assertEquals(J, c.temporalBasis());
        assertEquals(GaussianParameterisation.POSTERIOR_V, w.parameterisation());
        assertEquals(Estimator.SAMPLED_T, w.estimator());
        assertEquals(1000, w.T());
        assertEquals(32, w.batch());
        // the same trainer settings as deadleaves-standard: only the network differs
        ImageWorkloads.Workload standard = ImageWorkloads.get("deadleaves-standard");
        assertEquals(standard.learningRate(), w.learningRate());
        assertEquals(standard.parameterisation(), w.parameterisation());
        assertEquals(standard.estimator(), w.estimator());
        assertEquals(standard.batch(), w.batch());
        assertEquals(standard.schedule(), w.schedule());
    }

    @Test
    @DisplayName("deadleaves-unet's dpm4j network has exactly the U-Net's arrays (names and shapes from the architecture) and their sizes sum to its parameter count")
    void parametersByHand() {
        ImageWorkloads.Workload w = ImageWorkloads.get("deadleaves-unet");
        ImageNetwork net = ImageBench.network(w, 1);
        Map<String, long[]> expected = expectedShapes(2, 32, 1);
        assertEquals(expected.keySet(), net.parameters().keySet());
        long count = 0;
        for (var e : expected.entrySet()) {
            assertTrue(Arrays.equals(e.getValue(), net.parameters().get(e.getKey()).shape()), e.getKey() + ": " + Arrays.toString(net.parameters().get(e.getKey()).shape()));
            count += Arrays.stream(e.getValue()).reduce(1, (a, b) -> a * b);
        }
        assertEquals(count, net.parameterCount());
    }

    @Test
    @DisplayName("U-Net FLOPs per step: every convolution listed by hand (2 P 9 cin cout, 1x1 skips 2 P cin cout), the input convolution 2 x, the rest 3 x, linear in the batch")
    void flopsByHand() {
        // 8 x 8 grey, noise-scaled (2 channels in), c0 = 4: pixels 64 (e1, d1), 16 (e2, d2), 4 (e3)
        ImageNetworkConfig c = new ImageNetworkConfig(ImageShape.grey(8, 8), 1, 4, 1, 0, 0, 0, 1, 0, J, true).withUnet(4, false);
        double in = 2.0 * 64 * 9 * 2 * 4;
        double e1 = 2.0 * 64 * 9 * 4 * 4 * 2;
        double e2 = 2.0 * 16 * 9 * (4 * 8 + 8 * 8) + 2.0 * 16 * 4 * 8;
        double e3 = 2.0 * 4 * 9 * 8 * 8 * 2;
        double d2 = 2.0 * 16 * 9 * (16 * 8 + 8 * 8) + 2.0 * 16 * 16 * 8;
        double d1 = 2.0 * 64 * 9 * (12 * 4 + 4 * 4) + 2.0 * 64 * 12 * 4;
        double readout = 2.0 * 64 * 4 * 2;
        assertEquals(in + e1 + e2 + e3 + d2 + d1, ImageBench.unetForwardFlops(c), 0);
        assertEquals(2 * in + 3 * (e1 + e2 + e3 + d2 + d1 + readout), ImageBench.flopsPerStep(c, 1), 0);
        assertEquals(5 * ImageBench.flopsPerStep(c, 1), ImageBench.flopsPerStep(c, 5), 1e-6);
    }

    @Test
    @DisplayName("the noise-scaled input doubles the first multi-scale layer's input channels in the FLOP count")
    void noiseScaledFirstLayer() {
        ImageNetworkConfig plain = new ImageNetworkConfig(ImageShape.grey(4, 4), 1, 5, 1, 0, 0, 0, 1, 0, 2);
        double conv = 2.0 * 16 * 9 * 1 * 5;
        assertEquals(2 * conv, ImageBench.flopsPerStep(plain.withNoiseScaledInput(true), 1) - ImageBench.flopsPerStep(plain, 1), 1e-9);
    }
}
