package org.dpm4j.results;

import org.dpm4j.util.Check;

/**
 * How long a run took: wall-clock seconds and the process's CPU seconds (every thread, ND4J's native ones included),
 * NaN when the JVM cannot report CPU time. CPU above wall means several cores were busy.
 */
public record Elapsed(double wallSeconds, double cpuSeconds) {
    public Elapsed {
        if (!(wallSeconds >= 0) || !Double.isFinite(wallSeconds)) throw Check.bad("wallSeconds", wallSeconds, "a finite time >= 0");
        if (!Double.isNaN(cpuSeconds) && !(cpuSeconds >= 0 && Double.isFinite(cpuSeconds))) {
            throw Check.bad("cpuSeconds", cpuSeconds, "a finite time >= 0, or NaN when not measured");
        }
    }

    /** A wall time with no CPU measurement. */
    public static Elapsed wall(double wallSeconds) {
        return new Elapsed(wallSeconds, Double.NaN);
    }
}
