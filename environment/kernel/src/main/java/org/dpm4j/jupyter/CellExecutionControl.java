package org.dpm4j.jupyter;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * Runs JShell's snippets in this JVM (IJava's design), each on its own thread so that the shell thread can wait for
 * it and the control thread can stop it. Keeps the raw value of the last snippet, which JShell itself only reports as
 * a string, so the kernel can show an image or a table by its type.
 *
 * <p>Stopping interrupts the snippet's thread first (a {@code Thread.sleep} or a blocking wait ends at once) and,
 * if the thread is still running after a grace period, stops it with {@link Thread#stop()}: the only way to end a
 * busy loop in Java 17 short of ending the process.
 */
final class CellExecutionControl extends DirectExecutionControl {
    /** How long an interrupted snippet may take to end on its own before it is stopped. */
    static final long GRACE_MILLIS = 500;

    private static final AtomicInteger THREADS = new AtomicInteger();

    private volatile Thread running;

    /** Cells load through a {@link SnippetLoader}: lib/ and the JDK, not the kernel's own jars. */
    CellExecutionControl() { super(new SnippetLoader()); }

    private volatile boolean stopRequested;
    private Object lastValue;

    /** The value of the last snippet run, or null; cleared by the call. */
    Object takeLastValue() {
        Object v = lastValue;
        lastValue = null;
        return v;
    }

    /** Starts a cell: an interrupt that arrived between cells must not stop this one. */
    void beginCell() {
        stopRequested = false;
        lastValue = null;
    }

    /** True when the current cell was stopped by {@link #stop()}. */
    boolean stopRequested() { return stopRequested; }

    /** JShell's own rendering of a value ("\"text\"", "int[2] { 1, 2 }"), for text/plain. */
    static String plain(Object value) { return valueString(value); }

    @Override
    protected String invoke(Method doit) throws Exception {
        if (stopRequested) throw new StoppedException();  // a stopped cell runs none of its later snippets
        AtomicReference<Object> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                result.set(doit.invoke(null));
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "dpm4j-cell-" + THREADS.incrementAndGet());
        // Libraries that look up services or classes through the context loader (ND4J's backend, the dpm4j library's
        // kernel lookup) must see the class path JShell was given.
        t.setContextClassLoader(doit.getDeclaringClass().getClassLoader());
        running = t;
        try {
            t.start();
            t.join();
        } finally {
            running = null;
        }
        if (stopRequested) throw new StoppedException();
        Throwable f = failure.get();
        if (f instanceof InvocationTargetException e) throw e;
        if (f instanceof Exception e) throw e;
        if (f != null) throw new InvocationTargetException(f);
        lastValue = result.get();
        return valueString(lastValue);
    }

    /** Stops the running snippet, if any; returns at once (the stopping continues on a helper thread). */
    @Override
    public void stop() {
        stopRequested = true;
        Thread t = running;
        if (t == null) return;
        t.interrupt();
        Thread stopper = new Thread(() -> forceStop(t), "dpm4j-cell-stopper");
        stopper.setDaemon(true);
        stopper.start();
    }

    @SuppressWarnings({"deprecation", "removal"})
    private static void forceStop(Thread t) {
        try {
            t.join(GRACE_MILLIS);
            // A snippet may catch ThreadDeath (catch Throwable) and carry on: try again, a bounded number of times.
            for (int i = 0; i < 20 && t.isAlive(); i++) {
                t.stop();
                t.join(250);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (UnsupportedOperationException e) {
            // Thread.stop is gone in newer JDKs: the interrupt is all that can be done.
        }
    }

    /** Hands JShell one {@link CellExecutionControl}, which the kernel keeps to read values and to stop cells. */
    static final class Provider implements ExecutionControlProvider {
        private final CellExecutionControl control = new CellExecutionControl();

        CellExecutionControl control() { return control; }

        @Override public String name() { return "dpm4j"; }

        @Override public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) { return control; }
    }
}
