package org.dpm4j.results;

import java.lang.management.ManagementFactory;

/**
 * Measures a run's wall and CPU time from {@link #start()} to {@link #elapsed()}. CPU time is the whole process's
 * (com.sun.management's OperatingSystemMXBean), because ND4J computes on native threads a thread-CPU clock would miss;
 * in a notebook kernel it therefore also counts whatever else the process did meanwhile.
 */
public final class RunClock {
    private final long wallStartNanos;
    private final long cpuStartNanos;
    private final Thread startThread = Thread.currentThread();
    private final long threadCpuStartNanos = threadCpuNanos();

    private RunClock(long wallStartNanos, long cpuStartNanos) {
        this.wallStartNanos = wallStartNanos;
        this.cpuStartNanos = cpuStartNanos;
    }

    public static RunClock start() {
        return new RunClock(System.nanoTime(), processCpuNanos());
    }

    /**
     * CPU seconds since {@link #start()} for timing a short stretch of work done on the starting thread: the larger of
     * the process's CPU time, which the JVM may count in clock ticks (10 ms, so 20 quick steps can read 0), and this
     * thread's own, counted in nanoseconds. Called on another thread, the process's alone.
     */
    public double cpuSecondsFine() {
        double process = elapsed().cpuSeconds();
        long now = Thread.currentThread() == startThread ? threadCpuNanos() : -1;
        double thread = now < 0 || threadCpuStartNanos < 0 ? 0 : (now - threadCpuStartNanos) / 1e9;
        return Double.isNaN(process) ? thread : Math.max(process, thread);
    }

    private static long threadCpuNanos() {
        var mx = ManagementFactory.getThreadMXBean();
        return mx.isCurrentThreadCpuTimeSupported() ? mx.getCurrentThreadCpuTime() : -1;
    }

    /** Seconds since {@link #start()}: wall, and CPU (NaN if the JVM does not report process CPU time). */
    public Elapsed elapsed() {
        double wall = Math.max(0, System.nanoTime() - wallStartNanos) / 1e9;
        long cpuNow = processCpuNanos();
        double cpu = cpuStartNanos < 0 || cpuNow < 0 ? Double.NaN : Math.max(0, cpuNow - cpuStartNanos) / 1e9;
        return new Elapsed(wall, cpu);
    }

    /** The process's CPU time in nanoseconds, or -1 when unavailable. */
    public static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }
}
