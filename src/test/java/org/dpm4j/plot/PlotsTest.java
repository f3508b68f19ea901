package org.dpm4j.plot;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.Map;
import org.dpm4j.schedule.BetaSchedule;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class PlotsTest {
    @Test
    @DisplayName("binary image: the square of bin j in row i is black exactly when bit (i, j) is 1")
    void binaryImagePixels() {
        double[][] bits = {{1, 0, 0, 1}, {0, 1, 0, 0}};
        BufferedImage img = Plots.binaryImage("t", Nd4j.createFromArray(bits));
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 4; j++) {
                int rgb = img.getRGB(j * 12 + 5, 24 + i * 12 + 5) & 0xFFFFFF;
                assertEquals(bits[i][j] == 1, rgb == 0, "row " + i + ", bin " + j);
            }
        }
    }

    @Test
    @DisplayName("quiver plot draws its arrows in the arrow colour; schedule plot is two charts side by side")
    void quiverAndSchedules() {
        BufferedImage q = Plots.quiver("drift", Nd4j.createFromArray(new double[][] {{0, 0}, {1, 1}}),
                Nd4j.createFromArray(new double[][] {{1, 0}, {0, -1}}), 0.5, null, 2);
        int arrow = new Color(31, 119, 180).getRGB() & 0xFFFFFF, count = 0;
        for (int x = 0; x < q.getWidth(); x++)
            for (int y = 0; y < q.getHeight(); y++) if ((q.getRGB(x, y) & 0xFFFFFF) == arrow) count++;
        assertTrue(count > 20, "arrow pixels: " + count);
        BetaSchedule s = new BetaSchedule("const", new double[] {0.1, 0.1, 0.1});
        assertEquals(2 * Plots.WIDTH, Plots.schedules(s, s).getWidth());
    }

    @Test
    @DisplayName("mismatched lengths, schedules of different T and non-2-D points are rejected, naming the parameter")
    void badInput() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Plots.line("K", "step", "K", new double[] {0, 1}, Map.of("K", new double[] {1}), false));
        assertTrue(e.getMessage().startsWith("series 'K' length = 1"), e.getMessage());
        BetaSchedule a = new BetaSchedule("a", new double[] {0.1}), b = new BetaSchedule("b", new double[] {0.1, 0.2});
        assertThrows(IllegalArgumentException.class, () -> Plots.schedules(a, b));
        e = assertThrows(IllegalArgumentException.class, () -> Plots.scatter("x", Nd4j.zeros(3, 3), 0));
        assertTrue(e.getMessage().startsWith("points.shape"), e.getMessage());
    }
}
