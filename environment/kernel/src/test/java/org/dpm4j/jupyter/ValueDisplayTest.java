package org.dpm4j.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** A value is shown by its type; images round-trip through the PNG exactly. */
class ValueDisplayTest {
    private static BufferedImage decode(Object base64) throws Exception {
        return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode((String) base64)));
    }

    @Test
    void aBufferedImageIsAPngWithTheSamePixels() throws Exception {
        BufferedImage image = new BufferedImage(5, 3, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 5; x++) for (int y = 0; y < 3; y++) image.setRGB(x, y, (x * 50) << 16 | (y * 80) << 8 | 7);
        Map<String, Object> b = ValueDisplay.bundle(image);
        assertEquals(List.of("image/png", "text/plain"), new ArrayList<>(b.keySet()));
        BufferedImage back = decode(b.get("image/png"));
        for (int x = 0; x < 5; x++) for (int y = 0; y < 3; y++) {
            assertEquals(image.getRGB(x, y), back.getRGB(x, y), "pixel " + x + ", " + y);
        }
    }

    @Test
    void anXChartChartIsAPngOfTheChartsSize() throws Exception {
        XYChart chart = new XYChartBuilder().width(320).height(200).title("t").build();
        chart.addSeries("s", new double[] {0, 1, 2}, new double[] {1, 0, 2});
        Map<String, Object> b = ValueDisplay.bundle(chart);
        BufferedImage png = decode(b.get("image/png"));
        assertEquals(320, png.getWidth());
        assertEquals(200, png.getHeight());
        assertTrue(ValueDisplay.isA(chart, ValueDisplay.CHART));
    }

    @Test
    void aTablesawTableIsItsHtml() {
        Table t = Table.create("bounds").addColumns(StringColumn.create("name", "K", "H"),
                DoubleColumn.create("bits", 1.25, -0.5));
        Map<String, Object> b = ValueDisplay.bundle(t);
        String html = (String) b.get("text/html");
        assertTrue(html.contains("<table") && html.contains("<th>name</th>") && html.contains("<td>-0.5</td>"), html);
        assertEquals(t.toString(), b.get("text/plain"));
    }

    @Test
    void anythingElseIsJshellsPlainText() {
        assertEquals(Map.of("text/plain", "\"abc\""), ValueDisplay.bundle("abc"));
        assertEquals(Map.of("text/plain", "int[3] { 1, 2, 3 }"), ValueDisplay.bundle(new int[] {1, 2, 3}));
        assertEquals(Map.of("text/plain", "null"), ValueDisplay.bundle(CellEvaluator.NULL));
        assertEquals(Map.of("text/plain", "[1, 2]"), ValueDisplay.bundle(List.of(1, 2)));
    }

    @Test
    void displayGoesToTheAttachedKernelAndNowhereOutsideOne() {
        assertTrue(!Display.active());
        assertNull(Display.display("text/plain", "x"), "outside a kernel there is no display id");
        List<String> seen = new ArrayList<>();
        Display.Sink sink = new Display.Sink() {
            @Override public void display(String id, String mime, Object content) { seen.add("show " + id + " " + mime + " " + content); }

            @Override public void update(String id, String mime, Object content) { seen.add("update " + id + " " + mime + " " + content); }
        };
        Display.attach(sink);
        try {
            String id = Display.display("text/html", "<b>1%</b>");
            Display.updateDisplay(id, "text/html", "<b>2%</b>");
            assertEquals(List.of("show " + id + " text/html <b>1%</b>", "update " + id + " text/html <b>2%</b>"), seen);
        } finally {
            Display.detach(sink);
        }
        assertTrue(!Display.active());
    }

    @Test
    void displayedContentIsCarriedAsJupyterExpects() throws Exception {
        BufferedImage image = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        image.setRGB(1, 1, 0xff0000);
        assertEquals(0xff0000, decode(ValueDisplay.content("image/png", image)).getRGB(1, 1) & 0xffffff);
        assertEquals("<p>x</p>", ValueDisplay.content("text/html", "<p>x</p>"));
    }
}
