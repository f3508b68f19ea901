package org.dpm4j.results;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RunClockTest {
    @Test
    @DisplayName("spinning one thread for at least 300 ms and until it has 0.1 s of its own CPU (however loaded the machine): "
            + "wall >= 0.3 s and >= that CPU, and the process CPU time covers the thread's (to 20 ms of clock-tick granularity)")
    void measuresWallAndCpu() {
        var threads = ManagementFactory.getThreadMXBean();
        RunClock clock = RunClock.start();
        long threadStart = threads.getCurrentThreadCpuTime();
        long minEnd = System.nanoTime() + 300_000_000L, maxEnd = System.nanoTime() + 120_000_000_000L;
        double sink = 0;
        // a fixed wall time gave the thread 9 ms of CPU at load 20; spinning to a CPU amount does not depend on the load
        while (System.nanoTime() < minEnd || (threads.getCurrentThreadCpuTime() - threadStart < 100_000_000L && System.nanoTime() < maxEnd)) {
            sink += Math.sqrt(sink + 1);
        }
        double threadCpu = (threads.getCurrentThreadCpuTime() - threadStart) / 1e9;
        Elapsed e = clock.elapsed();
        assertTrue(sink > 0);
        assertTrue(threadCpu >= 0.1, "the spinning thread got " + threadCpu + " s of CPU in 120 s of wall time");
        assertTrue(e.wallSeconds() >= 0.3 && e.wallSeconds() >= threadCpu - 0.02, "wall " + e.wallSeconds() + ", thread cpu " + threadCpu);
        assertFalse(Double.isNaN(e.cpuSeconds()), "this JVM reports process CPU time");
        assertTrue(e.cpuSeconds() >= threadCpu - 0.02, "process cpu " + e.cpuSeconds() + " < thread cpu " + threadCpu);
    }

    @Test
    @DisplayName("cpuSecondsFine: 2 ms of work on the starting thread reads above 0 (the process clock may count 10 ms "
            + "ticks and read 0) and never below the process clock")
    void fineCpu() {
        RunClock clock = RunClock.start();
        var threads = ManagementFactory.getThreadMXBean();
        long t0 = threads.getCurrentThreadCpuTime();
        double sink = 0;
        while (threads.getCurrentThreadCpuTime() - t0 < 2_000_000L) sink += Math.sqrt(sink + 1);
        double fine = clock.cpuSecondsFine();
        assertTrue(sink > 0);
        assertTrue(fine >= 0.002, "fine " + fine);
        assertTrue(fine >= clock.elapsed().cpuSeconds() - 0.02);
    }

    @Test
    @DisplayName("Elapsed refuses a negative or infinite wall time and a negative CPU time, naming the field; NaN CPU means not measured")
    void validation() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Elapsed(-1, 0)).getMessage().startsWith("wallSeconds = -1.0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Elapsed(Double.NaN, 0)).getMessage().startsWith("wallSeconds = NaN"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Elapsed(1, -2)).getMessage().startsWith("cpuSeconds = -2.0"));
        assertTrue(Double.isNaN(Elapsed.wall(3).cpuSeconds()));
    }
}
