package org.dpm4j.jupyter;

import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A cell's value as a Jupyter MIME bundle, chosen by its type: an image or an XChart chart as image/png, a Tablesaw
 * table as text/html, anything else as text/plain (JShell's own rendering). XChart and Tablesaw are found by name in
 * the value's own class loader, so the kernel needs neither at compile time and works without them.
 */
final class ValueDisplay {
    static final String CHART = "org.knowm.xchart.internal.chartpart.Chart";
    static final String BITMAP_ENCODER = "org.knowm.xchart.BitmapEncoder";
    /** What BitmapEncoder.getBufferedImage takes (XChart 4: the interface every chart implements). */
    static final String ICHART = "org.knowm.xchart.internal.chartpart.IChart";
    static final String TABLE = "tech.tablesaw.api.Table";

    private ValueDisplay() {}

    /** The MIME bundle of a value (insertion order: the richest type first, text/plain last). */
    static Map<String, Object> bundle(Object value) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (value == null || value == CellEvaluator.NULL) {
            data.put("text/plain", "null");
            return data;
        }
        if (value instanceof RenderedImage image) {
            data.put("image/png", png(image));
            data.put("text/plain", "image " + image.getWidth() + " x " + image.getHeight());
            return data;
        }
        if (isA(value, CHART)) {
            RenderedImage image = (RenderedImage) chartImage(value);
            data.put("image/png", png(image));
            data.put("text/plain", value.getClass().getSimpleName() + " " + image.getWidth() + " x " + image.getHeight());
            return data;
        }
        if (isA(value, TABLE)) {
            data.put("text/html", tableHtml(value));
            data.put("text/plain", String.valueOf(value));
            return data;
        }
        data.put("text/plain", CellExecutionControl.plain(value));
        return data;
    }

    /** Content handed to {@link Display} for a MIME type, as Jupyter carries it (PNG as base64, text as text). */
    static Object content(String mime, Object content) {
        if (mime.startsWith("image/") && content instanceof RenderedImage image) return png(image);
        if (mime.startsWith("image/") && content instanceof byte[] bytes) return Base64.getEncoder().encodeToString(bytes);
        if (mime.startsWith("image/") && isA(content, CHART)) {
            return png((RenderedImage) chartImage(content));
        }
        if (mime.equals("text/html") && isA(content, TABLE)) return tableHtml(content);
        return String.valueOf(content);
    }

    /** XChart's own bitmap of a chart, at the chart's width and height. */
    private static RenderedImage chartImage(Object chart) {
        Class<?> parameter = loadClass(chart, ICHART);
        return (RenderedImage) call(BITMAP_ENCODER, chart, "getBufferedImage", parameter != null ? parameter : loadClass(chart, CHART));
    }

    static String png(RenderedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) throw new IllegalStateException("no PNG writer for " + image);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode image as PNG", e);
        }
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }

    /** Tablesaw's own HTML of a table: {@code table.write().toString("html")} (tablesaw-html must be present). */
    private static String tableHtml(Object table) {
        try {
            Object writer = table.getClass().getMethod("write").invoke(table);
            return (String) writer.getClass().getMethod("toString", String.class).invoke(writer, "html");
        } catch (InvocationTargetException e) {
            // no HTML writer registered (tablesaw-html absent): the plain text is still a faithful picture
            return "<pre>" + escape(String.valueOf(table)) + "</pre>";
        } catch (ReflectiveOperationException e) {
            return "<pre>" + escape(String.valueOf(table)) + "</pre>";
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** True when value is an instance of the named class as its own class loader sees it. */
    static boolean isA(Object value, String className) {
        if (value == null) return false;
        Class<?> c = loadClass(value, className);
        return c != null && c.isInstance(value);
    }

    private static Class<?> loadClass(Object value, String className) {
        try {
            return Class.forName(className, false, value.getClass().getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    private static Object call(String className, Object value, String method, Class<?> parameter) {
        try {
            Class<?> c = Class.forName(className, true, value.getClass().getClassLoader());
            return c.getMethod(method, parameter).invoke(null, value);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(className + "." + method + " failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot call " + className + "." + method + ": " + e, e);
        }
    }
}
