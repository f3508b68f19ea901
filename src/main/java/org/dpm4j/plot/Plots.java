package org.dpm4j.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.util.Check;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Figures for the notebooks, each one call returning a BufferedImage (a notebook cell whose last expression is an
 * image shows it). Line charts of schedules and K, scatter plots of 2-D points, quiver plots of a drift, and
 * binary sequences as an image.
 */
public final class Plots {
    public static final int WIDTH = 600;
    public static final int HEIGHT = 380;
    private static final Color ARROW = new Color(31, 119, 180);

    private Plots() {}

    /** Line chart of named series over a shared x, optionally with a logarithmic y axis. */
    public static BufferedImage line(String title, String xLabel, String yLabel, double[] x,
                                     Map<String, double[]> series, boolean logY) {
        XYChart chart = chart(title, xLabel, yLabel, WIDTH, HEIGHT);
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setLegendVisible(series.size() > 1);
        slantIfCrowded(chart, x);
        series.forEach((name, y) -> {
            if (y.length != x.length) throw Check.bad("series '" + name + "' length", y.length, x.length + " values");
            chart.addSeries(name, x, y).setMarker(SeriesMarkers.NONE);
        });
        return BitmapEncoder.getBufferedImage(chart);
    }

    /**
     * The same with either axis logarithmic: a per-step quantity over t = 2..T (the bound lost at each step) on a
     * logarithmic t axis reads at decades 10, 100, 1000 instead of crowded labels at odd multiples, and shows the
     * small t where most of the bound goes.
     */
    public static BufferedImage line(String title, String xLabel, String yLabel, double[] x,
                                     Map<String, double[]> series, boolean logX, boolean logY) {
        if (logX) {
            for (double v : x) if (!(v > 0)) throw Check.bad("x (logarithmic axis)", v, "every x > 0");
        }
        XYChart chart = chart(title, xLabel, yLabel, WIDTH, HEIGHT);
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setLegendVisible(series.size() > 1);
        if (!logX) slantIfCrowded(chart, x);
        series.forEach((name, y) -> {
            if (y.length != x.length) throw Check.bad("series '" + name + "' length", y.length, x.length + " values");
            chart.addSeries(name, x, y).setMarker(SeriesMarkers.NONE);
        });
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** Line chart of one series against 0, 1, 2, ... (e.g. K against training steps). */
    public static BufferedImage line(String title, String xLabel, String yLabel, double[] y) {
        double[] x = IntStream.range(0, y.length).asDoubleStream().toArray();
        return line(title, xLabel, yLabel, x, Map.of(yLabel, y), false);
    }

    /**
     * A training curve: K on each minibatch (NaN for skipped ones) and its moving average over window steps, the
     * optional reference levels (name -> value, e.g. the ceiling and L_null) as horizontal lines.
     */
    public static BufferedImage trainingCurve(String title, double[] k, int window, Map<String, Double> levels) {
        return curve(title, "K (bits per example)", k, window, levels, false);
    }

    /**
     * The same with the y axis named (e.g. "K (bits/pixel)" when K is per pixel, not per example) and the step
     * numbers on the x axis slanted: XChart packs level three- to five-digit labels edge to edge at 480 pixels
     * ("120160200..."), slanted they stay apart.
     */
    public static BufferedImage trainingCurve(String title, String yLabel, double[] k, int window, Map<String, Double> levels) {
        if (yLabel == null || yLabel.isBlank()) throw Check.bad("yLabel", yLabel, "the y axis's name and units");
        return curve(title, yLabel, k, window, levels, true);
    }

    private static BufferedImage curve(String title, String yLabel, double[] k, int window, Map<String, Double> levels,
                                       boolean slanted) {
        Check.positive("window", window);
        if (k.length == 0) throw Check.bad("k.length", 0, "at least one training step");
        double[] x = IntStream.range(0, k.length).asDoubleStream().toArray();
        double[] smooth = new double[k.length];
        double sum = 0;
        int n = 0;
        for (int i = 0; i < k.length; i++) {
            if (Double.isFinite(k[i])) { sum += k[i]; n++; }
            int drop = i - window;
            if (drop >= 0 && Double.isFinite(k[drop])) { sum -= k[drop]; n--; }
            smooth[i] = n > 0 ? sum / n : Double.NaN;
        }
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("moving average (" + window + " steps)", smooth);
        levels.forEach((name, v) -> {
            double[] flat = new double[k.length];
            java.util.Arrays.fill(flat, v);
            series.put(name, flat);
        });
        XYChart chart = chart(title, "training step", yLabel, WIDTH, HEIGHT);
        if (slanted) chart.getStyler().setXAxisLabelRotation(30);
        else slantIfCrowded(chart, x);
        chart.getStyler().setLegendVisible(series.size() > 1);
        series.forEach((name, y) -> chart.addSeries(name, x, y).setMarker(SeriesMarkers.NONE));
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** Writes a figure as a PNG (its directory created); returns the file. */
    public static java.nio.file.Path write(BufferedImage figure, java.nio.file.Path file) {
        if (figure == null) throw Check.bad("figure", null, "an image");
        if (file == null) throw Check.bad("file", null, "a .png path");
        try {
            if (file.getParent() != null) java.nio.file.Files.createDirectories(file.getParent());
            javax.imageio.ImageIO.write(figure, "png", file.toFile());
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException("cannot write " + file, ex);
        }
        return file;
    }

    /**
     * An image (e.g. an {@code ImageGrid}) under a title line, on a white background at least as wide as the title:
     * image grids carry no title of their own, and a stand-in data set must be labelled in every figure's title.
     */
    public static BufferedImage titled(String title, BufferedImage image) {
        if (title == null || title.isBlank()) throw Check.bad("title", title, "a non-blank title");
        if (image == null) throw Check.bad("image", null, "a BufferedImage");
        Font font = new Font(Font.SANS_SERIF, Font.BOLD, 13);
        Graphics2D probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        java.awt.FontMetrics m = probe.getFontMetrics(font);
        probe.dispose();
        int pad = 4, strip = m.getHeight() + 2 * pad, w = Math.max(image.getWidth(), m.stringWidth(title) + 2 * pad);
        BufferedImage out = new BufferedImage(w, strip + image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING, java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.BLACK);
        g.setFont(font);
        g.drawString(title, pad, pad + m.getAscent());
        g.drawImage(image, 0, strip, null);
        g.dispose();
        return out;
    }

    /** beta_t (log scale) and alphabar_t against t for one or more schedules, side by side. */
    public static BufferedImage schedules(BetaSchedule... schedules) {
        if (schedules.length == 0) throw Check.bad("schedules.length", 0, "at least one schedule");
        int T = schedules[0].T();
        Map<String, double[]> betas = new LinkedHashMap<>(), alphaBars = new LinkedHashMap<>();
        for (BetaSchedule s : schedules) {
            if (s.T() != T) throw Check.bad("schedule '" + s.name() + "' T", s.T(), "T = " + T + " like the first");
            betas.put(s.name(), s.betas());
            alphaBars.put(s.name(), java.util.Arrays.copyOfRange(s.alphaBars(), 1, T + 1));
        }
        double[] t = IntStream.rangeClosed(1, T).asDoubleStream().toArray();
        return sideBySide(line("beta_t", "t", "beta_t", t, betas, true),
                line("alphabar_t", "t", "alphabar_t", t, alphaBars, false));
    }

    /** Scatter plot of the rows of points ([n, 2]), equal axis ranges [-lim, lim] when lim > 0. */
    public static BufferedImage scatter(String title, INDArray points, double lim) {
        XYChart chart = chart(title, "x_1", "x_2", HEIGHT, HEIGHT);
        double[][] p = xy(points, "points");
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(3);
        chart.getStyler().setLegendVisible(false);
        limits(chart, lim);
        chart.addSeries("points", p[0], p[1]);
        return BitmapEncoder.getBufferedImage(chart);
    }

    /**
     * Quiver plot: an arrow from each origin (row of origins, [n, 2]) along its vector (row of vectors, [n, 2]),
     * vectors multiplied by scale (scale <= 0: chosen so the longest arrow spans 0.9 of the typical spacing of the
     * origins); optional background points drawn grey.
     */
    public static BufferedImage quiver(String title, INDArray origins, INDArray vectors, double scale,
                                       INDArray background, double lim) {
        double[][] o = xy(origins, "origins"), v = xy(vectors, "vectors");
        if (o[0].length != v[0].length) throw Check.bad("vectors rows", v[0].length, o[0].length + " like origins");
        if (scale <= 0) scale = autoScale(o, v);
        XYChart chart = chart(title, "x_1", "x_2", HEIGHT, HEIGHT);
        chart.getStyler().setLegendVisible(false);
        limits(chart, lim);
        if (background != null) {
            double[][] b = xy(background, "background");
            XYSeries s = chart.addSeries("data", b[0], b[1]);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarkerColor(Color.LIGHT_GRAY);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        chart.getStyler().setMarkerSize(2);
        for (int i = 0; i < o[0].length; i++) {
            double x0 = o[0][i], y0 = o[1][i], dx = v[0][i] * scale, dy = v[1][i] * scale;
            double x1 = x0 + dx, y1 = y0 + dy, len = Math.hypot(dx, dy), head = 0.3;
            double ux = len > 0 ? dx / len : 0, uy = len > 0 ? dy / len : 0;
            double hx = len * head, c = Math.cos(0.4), s = Math.sin(0.4);
            // tail -> tip -> one barb -> tip -> other barb: one polyline per arrow
            double[] xs = {x0, x1, x1 - hx * (c * ux - s * uy), x1, x1 - hx * (c * ux + s * uy)};
            double[] ys = {y0, y1, y1 - hx * (s * ux + c * uy), y1, y1 - hx * (-s * ux + c * uy)};
            XYSeries a = chart.addSeries("arrow " + i, xs, ys);
            a.setMarker(SeriesMarkers.NONE);
            a.setLineColor(ARROW);
            a.setLineStyle(new BasicStroke(1.2f));
        }
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** Binary sequences as an image: one row per sequence, one square per bin, black for 1 (entries >= 0.5). */
    public static BufferedImage binaryImage(String title, INDArray bits) {
        if (bits.rank() != 2) throw Check.bad("bits.shape", bits.shape(), "[sequences, bins]");
        double[][] b = bits.toDoubleMatrix();
        int cell = 12, top = 24, rows = b.length, cols = b[0].length;
        BufferedImage img = new BufferedImage(Math.max(cols * cell, 200), top + rows * cell, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(title, 2, 16);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                g.setColor(b[i][j] >= 0.5 ? Color.BLACK : new Color(235, 235, 235));
                g.fillRect(j * cell, top + i * cell, cell - 1, cell - 1);
            }
        }
        g.dispose();
        return img;
    }

    /** Images placed left to right on a white background, top-aligned. */
    public static BufferedImage sideBySide(BufferedImage... images) {
        int w = 0, h = 0;
        for (BufferedImage i : images) {
            w += i.getWidth();
            h = Math.max(h, i.getHeight());
        }
        BufferedImage out = new BufferedImage(Math.max(w, 1), Math.max(h, 1), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        int x = 0;
        for (BufferedImage i : images) {
            g.drawImage(i, x, 0, null);
            x += i.getWidth();
        }
        g.dispose();
        return out;
    }

    private static double autoScale(double[][] o, double[][] v) {
        double minX = Double.POSITIVE_INFINITY, maxX = Double.NEGATIVE_INFINITY, maxLen = 0;
        for (int i = 0; i < o[0].length; i++) {
            minX = Math.min(minX, o[0][i]);
            maxX = Math.max(maxX, o[0][i]);
            maxLen = Math.max(maxLen, Math.hypot(v[0][i], v[1][i]));
        }
        double spacing = (maxX - minX) / Math.max(1, Math.sqrt(o[0].length) - 1);
        return maxLen > 0 && spacing > 0 ? 0.9 * spacing / maxLen : 1;
    }

    /**
     * XChart places the tick labels of equally spaced x values (t = 2..T, training steps) at data points and runs
     * three- to five-digit labels into each other ("1,0501,400..."); slanted by 30 degrees they stay apart.
     */
    private static void slantIfCrowded(XYChart chart, double[] x) {
        double most = 0;
        for (double v : x) most = Math.max(most, Math.abs(v));
        if (x.length > 20 && most >= 100) chart.getStyler().setXAxisLabelRotation(30);
    }

    private static XYChart chart(String title, String xLabel, String yLabel, int width, int height) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
                .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        // Long titles (data set and unit) were cut at XChart's default 16-point font and 480 pixels.
        chart.getStyler().setChartTitleFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 13));
        return chart;
    }

    private static void limits(XYChart chart, double lim) {
        if (lim > 0) {
            chart.getStyler().setXAxisMin(-lim).setXAxisMax(lim).setYAxisMin(-lim).setYAxisMax(lim);
        }
    }

    private static double[][] xy(INDArray points, String name) {
        if (points.rank() != 2 || points.columns() != 2) throw Check.bad(name + ".shape", points.shape(), "[n, 2]");
        return new double[][] {points.getColumn(0).toDoubleVector(), points.getColumn(1).toDoubleVector()};
    }
}
