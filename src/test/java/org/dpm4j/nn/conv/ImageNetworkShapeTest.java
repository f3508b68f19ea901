package org.dpm4j.nn.conv;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.dpm4j.data.ImageShape;
import org.dpm4j.kernel.GaussianParameterisation;
import org.dpm4j.kernel.Readout;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.schedule.Schedules;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link ImageNetwork#atShape}: the convolutional network applied to images of another size. */
class ImageNetworkShapeTest {
    private static final BetaSchedule SCHEDULE = Schedules.referenceGaussian(10);
    private static final int SMALL = 8, LARGE = 20, OFFSET = 6, LAYERS = 2;

    /** A conv-only network (one scale: no pooling windows, so locality is exact) with every parameter random. */
    private static ImageNetwork randomNetwork(int scales, long seed) {
        ImageNetworkConfig c = new ImageNetworkConfig(ImageShape.grey(SMALL, SMALL), LAYERS, 5, scales, 0, 0, 0, 2, 6, 4);
        ImageNetwork net = ImageNetwork.create(c, SCHEDULE, GaussianParameterisation.PAPER, seed);
        float[] v = net.parameterValues();
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < v.length; i++) v[i] = (float) (0.5 * rng.nextGaussian());   // the zero readout layer too
        net.setParameterValues(v);
        return net;
    }

    @Test
    @DisplayName("the same parameters, and at the same shape the same readout to the last bit")
    void sameParameters() {
        ImageNetwork net = randomNetwork(2, 3);
        ImageNetwork same = net.atShape(net.config().shape()), large = net.atShape(ImageShape.grey(LARGE, LARGE));
        assertArrayEquals(net.parameterValues(), large.parameterValues());
        assertEquals(ImageShape.grey(LARGE, LARGE), large.config().shape());
        assertEquals(LARGE * LARGE, large.dimensions());
        SplittableRandom rng = new SplittableRandom(4);
        double[] xs = new double[3 * SMALL * SMALL];
        for (int i = 0; i < xs.length; i++) xs[i] = rng.nextDouble(-1.5, 1.5);
        INDArray x = Nd4j.createFromArray(xs).reshape(3, SMALL * SMALL);
        for (int t : new int[] {1, 5, 10}) {
            Readout a = net.readout(x, t), b = same.readout(x, t);
            assertEquals(a.zMu(), b.zMu());
            assertEquals(a.zSigma(), b.zSigma());
        }
        // independent copies: changing one leaves the other
        float[] v = large.parameterValues();
        v[0] += 1;
        large.setParameterValues(v);
        assertNotEquals(net.parameterValues()[0], large.parameterValues()[0]);
    }

    /**
     * With one scale, output pixel p of L 3x3 layers depends on the input within L pixels of p, and the small image's
     * zero padding equals a zero canvas around it: layer l's activations agree wherever their 3x3 neighbourhoods lie
     * inside the small image, so the readout of the small image equals the readout of the same image pasted into a
     * zero canvas at every pixel at least L - 1 from the small image's border (float arithmetic, 1e-5).
     */
    @Test
    @DisplayName("locality: an image pasted into a larger zero canvas gives the same readout away from its border")
    void pastedImageSameReadoutInside() {
        ImageNetwork net = randomNetwork(1, 7), large = net.atShape(ImageShape.grey(LARGE, LARGE));
        SplittableRandom rng = new SplittableRandom(8);
        int n = 2;
        double[] small = new double[n * SMALL * SMALL], canvas = new double[n * LARGE * LARGE];
        for (int i = 0; i < n; i++)
            for (int r = 0; r < SMALL; r++)
                for (int c = 0; c < SMALL; c++) {
                    double v = rng.nextDouble(-1.5, 1.5);
                    small[i * SMALL * SMALL + r * SMALL + c] = v;
                    canvas[i * LARGE * LARGE + (r + OFFSET) * LARGE + c + OFFSET] = v;
                }
        int t = 6, margin = LAYERS - 1, compared = 0;
        Readout a = net.readout(Nd4j.createFromArray(small).reshape(n, SMALL * SMALL), t);
        Readout b = large.readout(Nd4j.createFromArray(canvas).reshape(n, LARGE * LARGE), t);
        double maxAbs = 0;
        for (int i = 0; i < n; i++)
            for (int r = margin; r < SMALL - margin; r++)
                for (int c = margin; c < SMALL - margin; c++) {
                    int s = r * SMALL + c, l = (r + OFFSET) * LARGE + c + OFFSET;
                    assertEquals(a.zMu().getDouble(i, s), b.zMu().getDouble(i, l), 1e-5, "z_mu at " + r + "," + c);
                    assertEquals(a.zSigma().getDouble(i, s), b.zSigma().getDouble(i, l), 1e-5, "z_Sigma at " + r + "," + c);
                    maxAbs = Math.max(maxAbs, Math.abs(a.zMu().getDouble(i, s)));
                    compared++;
                }
        assertEquals(n * (SMALL - 2 * margin) * (SMALL - 2 * margin), compared);
        assertTrue(maxAbs > 0.1, "the readout is not trivially zero: " + maxAbs);
        // and the border pixels do differ (the canvas is not a zero padding there for the second layer)
        int edge = 0, le = OFFSET * LARGE + OFFSET;
        assertNotEquals(a.zMu().getDouble(0, edge), b.zMu().getDouble(0, le), 1e-6);
    }

    @Test
    @DisplayName("refused: a dense pathway, other channels, sides the largest pool does not divide; names the parameter")
    void refusals() {
        ImageNetwork withDense = ImageNetwork.create(new ImageNetworkConfig(ImageShape.grey(SMALL, SMALL), 1, 3, 1, 1, 0, 1, 1, 0, 3),
                SCHEDULE, GaussianParameterisation.PAPER, 1);
        var e = assertThrows(IllegalArgumentException.class, () -> withDense.atShape(ImageShape.grey(16, 16)));
        assertTrue(e.getMessage().contains("denseLayers"), e.getMessage());
        ImageNetwork net = randomNetwork(2, 1);
        e = assertThrows(IllegalArgumentException.class, () -> net.atShape(ImageShape.colour(16, 16)));
        assertTrue(e.getMessage().contains("channels"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> net.atShape(ImageShape.grey(15, 16)));
        assertTrue(e.getMessage().contains("scales"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> net.atShape(null));
        assertTrue(e.getMessage().contains("shape"), e.getMessage());
    }
}
