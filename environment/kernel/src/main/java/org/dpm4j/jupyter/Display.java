package org.dpm4j.jupyter;

import java.util.Objects;
import java.util.UUID;

/**
 * What code in a cell may ask of the kernel: show content as a cell output and replace it later under its display
 * id. The dpm4j library reaches this class by reflection ({@code org.dpm4j.notebook.Notebook}), so the library does
 * not depend on the kernel and runs unchanged outside it. Loaded by the application class loader, which is the
 * parent of JShell's, so every snippet sees the same class and the same kernel.
 */
public final class Display {
    /** Where displays go: the running kernel's current cell. */
    interface Sink {
        void display(String displayId, String mime, Object content);

        void update(String displayId, String mime, Object content);
    }

    private static volatile Sink sink;

    private Display() {}

    static void attach(Sink s) { sink = s; }

    static void detach(Sink s) {
        if (sink == s) sink = null;
    }

    /** True inside a running kernel. */
    public static boolean active() { return sink != null; }

    /**
     * Shows content as a new output of the running cell and returns its display id (for {@link #updateDisplay}).
     * The content is text for a text type ("text/html", "text/plain", ...), and for "image/png" a
     * {@code java.awt.image.RenderedImage}, an XChart chart or the PNG's bytes. Outside a kernel returns null.
     */
    public static String display(String mime, Object content) {
        Objects.requireNonNull(mime, "mime");
        Sink s = sink;
        if (s == null) return null;
        String id = UUID.randomUUID().toString();
        s.display(id, mime, content);
        return id;
    }

    /** Replaces the output shown under a display id with new content of a MIME type (a progress line, say). */
    public static void updateDisplay(String displayId, String mime, Object content) {
        Objects.requireNonNull(displayId, "displayId");
        Objects.requireNonNull(mime, "mime");
        Sink s = sink;
        if (s != null) s.update(displayId, mime, content);
    }
}
