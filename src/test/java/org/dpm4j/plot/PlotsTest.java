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

    @Test
    @DisplayName("titled: the image is unchanged under a title strip that holds dark text; blank titles are rejected")
    void titledKeepsTheImageUnderATitle() {
        BufferedImage img = new BufferedImage(300, 40, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 300; x++) for (int y = 0; y < 40; y++) img.setRGB(x, y, (x * 7 + y * 13) & 0xFFFFFF);
        BufferedImage t = Plots.titled("stand-in: a title", img);
        int strip = t.getHeight() - img.getHeight();
        assertTrue(strip > 10, "strip height " + strip);
        assertEquals(img.getWidth(), t.getWidth(), "a short title keeps the image's width");
        for (int x = 0; x < 300; x++)
            for (int y = 0; y < 40; y++) assertEquals(img.getRGB(x, y), t.getRGB(x, strip + y), "pixel " + x + ", " + y);
        int dark = 0;
        for (int x = 0; x < t.getWidth(); x++)
            for (int y = 0; y < strip; y++) if ((t.getRGB(x, y) & 0xFF) < 128) dark++;
        assertTrue(dark > 20, "text pixels in the strip: " + dark);
        BufferedImage narrow = Plots.titled("a title much wider than the image it stands over", new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB));
        assertTrue(narrow.getWidth() > 100, "width grows to the title: " + narrow.getWidth());
        var e = assertThrows(IllegalArgumentException.class, () -> Plots.titled(" ", img));
        assertTrue(e.getMessage().startsWith("title"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Plots.titled("t", null));
    }

    @Test
    @DisplayName("logarithmic x: a step at x = 10 over 1..1000 sits a third of the way across, not at the left edge")
    void logarithmicX() {
        int n = 1000;
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
            y[i] = x[i] < 10 ? 1 : 0;
        }
        double linear = stepColumn(Plots.line("s", "x", "y", x, Map.of("y", y), false, false));
        double log = stepColumn(Plots.line("s", "x", "y", x, Map.of("y", y), true, false));
        assertTrue(log - linear > 0.2, "step at " + linear + " of the width (linear), " + log + " (log)");
        assertTrue(Math.abs(log - (0.08 + 0.9 / 3)) < 0.12, "step at " + log + " of the width on the log axis");
        var e = assertThrows(IllegalArgumentException.class,
                () -> Plots.line("s", "x", "y", new double[] {0, 1}, Map.of("y", new double[] {1, 2}), true, false));
        assertTrue(e.getMessage().startsWith("x (logarithmic axis)"), e.getMessage());
    }

    /** The column (as a fraction of the width) with the most coloured (non-grey) pixels: a series' vertical segment. */
    private static double stepColumn(BufferedImage img) {
        int best = -1, bestCount = -1;
        for (int x = 0; x < img.getWidth(); x++) {
            int count = 0;
            for (int y = 0; y < img.getHeight(); y++) {
                int rgb = img.getRGB(x, y), r = (rgb >> 16) & 0xFF, g = (rgb >> 8) & 0xFF, b = rgb & 0xFF;
                if (Math.max(Math.abs(r - g), Math.max(Math.abs(g - b), Math.abs(r - b))) > 40) count++;
            }
            if (count > bestCount) { bestCount = count; best = x; }
        }
        return (double) best / img.getWidth();
    }

    @Test
    @DisplayName("training curve: the y label is the caller's (another label draws another image); a blank label is rejected")
    void trainingCurveLabel() {
        double[] k = {-3, -2.5, -2, -1.8, -1.7, -1.65};
        BufferedImage a = Plots.trainingCurve("K", "K (bits/pixel)", k, 2, Map.of("L_null", -2.0));
        BufferedImage b = Plots.trainingCurve("K", "K (bits/seq)", k, 2, Map.of("L_null", -2.0));
        assertFalse(java.util.Arrays.equals(a.getRGB(0, 0, a.getWidth(), a.getHeight(), null, 0, a.getWidth()),
                b.getRGB(0, 0, b.getWidth(), b.getHeight(), null, 0, b.getWidth())), "another label draws another image");
        var e = assertThrows(IllegalArgumentException.class, () -> Plots.trainingCurve("K", "", k, 2, Map.of()));
        assertTrue(e.getMessage().startsWith("yLabel"), e.getMessage());
    }
}
