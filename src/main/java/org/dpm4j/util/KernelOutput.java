package org.dpm4j.util;

import java.lang.reflect.Method;

/**
 * Rich output in dpm4j's Java kernel (environment/kernel, whose public class {@code org.dpm4j.jupyter.Display} is
 * reached by reflection, so the library does not depend on the kernel), and plain text outside it. The lowest layer
 * of the library's reporting: the training loop's progress bar and the notebooks' {@code Notebook} both use it.
 */
public final class KernelOutput {
    private static final String KERNEL_DISPLAY = "org.dpm4j.jupyter.Display";

    private KernelOutput() {}

    /** True when running inside dpm4j's Java Jupyter kernel. */
    public static boolean inKernel() {
        Method active = kernelMethod("active");
        return active != null && Boolean.TRUE.equals(invoke(active));
    }

    /**
     * Shows content of a MIME type ("text/html", "text/plain", "image/png" as a BufferedImage) as a cell output and
     * returns its display id, for {@link #update}; outside a kernel prints it and returns null.
     */
    public static String display(String mime, Object content) {
        Method m = inKernel() ? kernelMethod("display", String.class, Object.class) : null;
        if (m == null) {
            System.out.println(content);
            return null;
        }
        return (String) invoke(m, mime, content);
    }

    /** Replaces the output shown under a display id (one progress line that updates instead of thousands). */
    public static void update(String displayId, String mime, Object content) {
        Method m = inKernel() ? kernelMethod("updateDisplay", String.class, String.class, Object.class) : null;
        if (m == null || displayId == null) {
            System.out.println(content);
            return;
        }
        invoke(m, displayId, mime, content);
    }

    private static Method kernelMethod(String name, Class<?>... types) {
        for (ClassLoader cl : new ClassLoader[] {Thread.currentThread().getContextClassLoader(), KernelOutput.class.getClassLoader()}) {
            if (cl == null) continue;
            try {
                return Class.forName(KERNEL_DISPLAY, false, cl).getMethod(name, types);
            } catch (ReflectiveOperationException | LinkageError e) {
                // not in this loader: try the next
            }
        }
        return null;
    }

    private static Object invoke(Method m, Object... args) {
        try {
            return m.invoke(null, args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the Java kernel refused " + m.getName() + ": " + e.getCause(), e);
        }
    }
}
