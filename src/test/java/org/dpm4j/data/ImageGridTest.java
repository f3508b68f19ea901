package org.dpm4j.data;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ImageGridTest {

    @Test
    @DisplayName("grey grid: 5 images in rows of 3 give 2 rows with 1-pixel gaps; pixels map [lo, hi] to 0..255")
    void greyLayout() {
        ImageShape s = ImageShape.grey(2, 3);
        double[] v = new double[5 * 6];
        for (int i = 0; i < v.length; i++) v[i] = i / 29.0;
        INDArray batch = Nd4j.create(v, new long[] {5, 6}, 'c');
        BufferedImage img = ImageGrid.of(batch, s, 3, 0, 1, 2);
        assertEquals(3 * 6 + 2, img.getWidth());
        assertEquals(2 * 4 + 1, img.getHeight());
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, img.getType());
        // image 4 (second row, second column), row 1, column 2, zoomed by 2
        int x = 1 * (6 + 1) + 2 * 2, y = 1 * (4 + 1) + 1 * 2;
        assertEquals(Math.round(v[4 * 6 + 1 * 3 + 2] * 255), img.getRaster().getSample(x + 1, y + 1, 0));
        assertEquals(128, img.getRaster().getSample(6, 0, 0)); // the gap column
    }

    @Test
    @DisplayName("colour grid: channel 0 is red, 1 green, 2 blue; values outside [lo, hi] are clipped")
    void colourChannels() {
        ImageShape s = ImageShape.colour(1, 1);
        INDArray batch = Nd4j.create(new double[] {2.0, 0.5, -1.0}, new long[] {1, 3}, 'c');
        BufferedImage img = ImageGrid.of(batch, s, 4, 0, 1);
        assertEquals(1, img.getWidth());
        assertEquals((255 << 16) | (128 << 8), img.getRGB(0, 0) & 0xffffff);
    }

    @Test
    @DisplayName("a batch whose width does not match the shape is refused naming the batch and the expected shape")
    void badBatch() {
        INDArray batch = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 2, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageGrid.of(batch, ImageShape.grey(2, 3), 2, 0, 1));
        assertTrue(e.getMessage().startsWith("batch = [2, 5]") && e.getMessage().contains("[n, 6]"), e.getMessage());
    }
}
