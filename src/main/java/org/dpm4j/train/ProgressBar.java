package org.dpm4j.train;

import java.io.PrintStream;
import org.dpm4j.util.KernelOutput;

/**
 * A one-line progress bar: step, K in bits and steps/s, redrawn at most four times a second. In a terminal it is
 * redrawn in place with a carriage return; in the Java Jupyter kernel it is one display output that is updated, so
 * the saved notebook holds one line, not thousands.
 */
public final class ProgressBar {
    private static final long MIN_INTERVAL_NANOS = 250_000_000L;
    private final PrintStream out;
    private final boolean inNotebook;
    private String displayId;
    private final long total;
    private final String unit;
    private long lastDraw = Long.MIN_VALUE / 2;
    private int lastWidth;

    /** @param unit how K is reported, e.g. "bits/seq" */
    public ProgressBar(PrintStream out, long total, String unit) {
        this(out, total, unit, out == System.out && KernelOutput.inKernel());
    }

    ProgressBar(PrintStream out, long total, String unit, boolean inNotebook) {
        this.out = out;
        this.inNotebook = inNotebook;
        this.total = Math.max(total, 1);
        this.unit = unit;
    }

    /** The shown K is an exponential moving average of the steps' minibatch values with this weight on the past. */
    static final double SMOOTHING = 0.98;
    private double ema = Double.NaN;

    /**
     * Takes the step's minibatch K (in the bar's unit; NaN for a skipped step) into the smoothed value shown, and
     * redraws when a quarter second has passed since the last drawing (or when {@code force}).
     */
    public void update(long step, double kBits, double stepsPerSecond, boolean force) {
        if (Double.isFinite(kBits)) ema = Double.isNaN(ema) ? kBits : SMOOTHING * ema + (1 - SMOOTHING) * kBits;
        kBits = ema;
        long now = System.nanoTime();
        if (!force && now - lastDraw < MIN_INTERVAL_NANOS) return;
        lastDraw = now;
        int width = 24, filled = (int) Math.min(width, width * step / total);
        String eta = stepsPerSecond > 0 ? clock((total - step) / stepsPerSecond) : "?";
        String line = String.format("[%s%s] %d/%d  K = %.4f %s  %.1f steps/s  ETA %s",
                "#".repeat(filled), ".".repeat(width - filled), step, total, kBits, unit, stepsPerSecond, eta);
        if (inNotebook) {
            if (displayId == null) displayId = KernelOutput.display("text/plain", line);
            else KernelOutput.update(displayId, "text/plain", line);
            return;
        }
        out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
        out.flush();
        lastWidth = line.length();
    }

    /** Ends the line. */
    public void finish() {
        if (inNotebook) return;
        out.println();
        out.flush();
    }

    static String clock(double seconds) {
        long s = (long) Math.max(0, seconds);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
    }
}
