package org.dpm4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.dpm4j.data.ImageShape;
import org.dpm4j.nn.conv.ImageNetworkConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class ImageBenchTest {
    @Test
    @DisplayName("FLOPs per step: a one-layer dense network counted by hand (forward, weight gradient, no input gradient of the data layer)")
    void flopsDenseByHand() {
        // 2 x 2 grey, dense 4 -> 4 (one channel per pixel), last layer 1 -> 2 per pixel; batch 3
        ImageNetworkConfig c = new ImageNetworkConfig(ImageShape.grey(2, 2), 0, 0, 1, 1, 0, 1, 1, 0, 2);
        double dense = 2.0 * 3 * 4 * 4, last = 2.0 * (3 * 4) * 1 * 2;
        assertEquals(2 * dense + 3 * last, ImageBench.flopsPerStep(c, 3), 0);
    }

    @Test
    @DisplayName("FLOPs per step: a convolution at scales 1 and 2 costs 9 in out 2 per pixel of each scale, and the count is linear in the batch")
    void flopsConvByHand() {
        // 4 x 4 grey, one conv layer of 5 channels over 2 scales, last layer 5 -> 2 per pixel
        ImageNetworkConfig c = new ImageNetworkConfig(ImageShape.grey(4, 4), 1, 5, 2, 0, 0, 0, 1, 0, 2);
        double conv = 2.0 * 9 * 1 * 5 * (16 + 4), last = 2.0 * 16 * 5 * 2;
        assertEquals(2 * conv + 3 * last, ImageBench.flopsPerStep(c, 1), 0);
        assertEquals(7 * ImageBench.flopsPerStep(c, 1), ImageBench.flopsPerStep(c, 7), 1e-6);
    }

    @Test
    @DisplayName("stand-in images: z-scored by one scalar (mean 0, variance 1 over all values), channels differ")
    void images() {
        INDArray x = ImageWorkloads.images(20, new ImageShape(3, 8, 8));
        assertEquals(0, x.meanNumber().doubleValue(), 1e-9);
        assertEquals(1, x.mul(x).meanNumber().doubleValue(), 1e-9);
        assertEquals(false, x.getDouble(0, 0) == x.getDouble(0, 64));
    }

    @Test
    @DisplayName("every image workload builds its network and names itself")
    void workloads() {
        for (var e : ImageWorkloads.all().entrySet()) {
            assertEquals(e.getKey(), e.getValue().name());
            assertEquals(e.getValue().network().dimensions(), e.getValue().d());
        }
    }
}
