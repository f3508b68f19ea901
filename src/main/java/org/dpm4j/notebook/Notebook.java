package org.dpm4j.notebook;

import org.dpm4j.util.KernelOutput;

import java.awt.image.BufferedImage;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;
import tech.tablesaw.io.Destination;
import tech.tablesaw.io.html.HtmlWriteOptions;
import tech.tablesaw.io.html.HtmlWriter;

/**
 * What notebooks need from their surroundings: rich output in dpm4j's Java kernel (environment/kernel, whose public
 * class {@code org.dpm4j.jupyter.Display} this class reaches by reflection, so the library does not depend on the
 * kernel), and where the repository and its results/ folder are. Outside a kernel, display calls print plain text
 * instead, so library code that reports (progress bars, tables) runs unchanged in a terminal.
 */
public final class Notebook {
    private Notebook() {}

    /** True when running inside dpm4j's Java Jupyter kernel. */
    public static boolean inKernel() { return KernelOutput.inKernel(); }

    /**
     * Shows content of a MIME type ("text/html", "text/plain", "image/png" as a BufferedImage) as a cell output and
     * returns its display id, for {@link #update}; outside a kernel prints it and returns null.
     */
    public static String display(String mime, Object content) { return KernelOutput.display(mime, content); }

    /** Replaces the output shown under a display id (one progress line that updates instead of thousands). */
    public static void update(String displayId, String mime, Object content) { KernelOutput.update(displayId, mime, content); }

    /**
     * A Tablesaw table as an HTML table element. Decimal columns are shown to {@link #SIGNIFICANT_DIGITS}
     * significant digits (the table itself is not changed).
     */
    public static String html(Table table) {
        Table shown = table.copy();
        for (var c : shown.columns()) {
            if (c instanceof DoubleColumn d) d.setPrintFormatter(new NumberColumnFormatter(new SignificantDigits(SIGNIFICANT_DIGITS)));
        }
        StringWriter out = new StringWriter();
        new HtmlWriter().write(shown, HtmlWriteOptions.builder(new Destination(out)).build());
        return out.toString();
    }

    /** How many significant digits tables show; enough to compare bounds to the paper's three decimals. */
    public static final int SIGNIFICANT_DIGITS = 5;

    /** Formats a number to a fixed count of significant digits (%g without trailing zeros). */
    private static final class SignificantDigits extends java.text.NumberFormat {
        private final int digits;

        SignificantDigits(int digits) { this.digits = digits; }

        @Override public StringBuffer format(double v, StringBuffer to, java.text.FieldPosition pos) {
            if (!Double.isFinite(v)) return to.append(v);
            String s = String.format(java.util.Locale.ROOT, "%." + digits + "g", v);
            if (s.contains("e")) return to.append(s);
            return to.append(s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s);
        }

        @Override public StringBuffer format(long v, StringBuffer to, java.text.FieldPosition pos) { return to.append(v); }

        @Override public Number parse(String source, java.text.ParsePosition pos) { throw new UnsupportedOperationException(); }
    }

    /** Shows a Tablesaw table as a real HTML table in a notebook (plain text in a terminal). */
    public static void show(Table table) {
        if (inKernel()) display("text/html", html(table));
        else System.out.println(table.printAll());
    }

    /** A chart as an image; a cell whose last expression is a BufferedImage renders it inline as PNG. */
    public static BufferedImage image(Chart<?, ?> chart) { return BitmapEncoder.getBufferedImage(chart); }

    /**
     * The repository root: DPM4J_HOME (set by the kernel launcher and the notebook runner), else the first folder
     * upward from the working directory that holds pom.xml, else the working directory.
     */
    public static Path home() {
        String env = System.getenv("DPM4J_HOME");
        if (env != null && !env.isBlank()) return Paths.get(env).toAbsolutePath();
        Path cwd = Paths.get("").toAbsolutePath();
        for (Path p = cwd; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml"))) return p;
        }
        return cwd;
    }

    /** results/ under the repository root (git-ignored), created on demand. */
    public static Path results() {
        Path dir = home().resolve("results");
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create results folder " + dir, e);
        }
        return dir;
    }

    /** A public static method of the kernel's display class, found through the context or this class's loader. */
}
