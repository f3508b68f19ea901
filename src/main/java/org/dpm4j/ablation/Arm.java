package org.dpm4j.ablation;

import org.dpm4j.schedule.ScheduleSpec;
import org.dpm4j.util.Check;

/**
 * One arm of an ablation: a schedule (by name, with parameters), a number of steps T and a root seed, trained with the
 * schedule fixed, trained with it learned from that start (Sec. 2.4.1), or not trained at all: the oracle's K for
 * that schedule.
 */
public record Arm(Kind kind, ScheduleSpec schedule, int T, long seed) {
    public enum Kind {
        TRAINED, LEARNED, ORACLE;

        public String id() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    public Arm {
        if (kind == null) throw Check.bad("kind", null, "TRAINED, LEARNED or ORACLE");
        if (schedule == null) throw Check.bad("schedule", null, "a schedule by name");
        Check.inRange("T", T, 2, Integer.MAX_VALUE);
    }

    /** What the arm's schedule is called in tables and legends: the spec, or "learned (from spec)". */
    public String scheduleLabel() {
        return kind == Kind.LEARNED ? "learned (from " + schedule + ")" : schedule.toString();
    }

    /** The series label of plots: the schedule (with " oracle" for oracle arms, "learned" for learned ones). */
    public String seriesLabel() {
        return switch (kind) {
            case TRAINED -> schedule.toString();
            case LEARNED -> "learned";
            case ORACLE -> schedule + " (oracle)";
        };
    }

    /** A unique, readable name: {@code cosine T=20 seed=1}, {@code oracle cosine T=20 seed=1}, {@code learned ...}. */
    public String label() {
        String prefix = kind == Kind.TRAINED ? "" : kind.id() + " ";
        return prefix + schedule + " T=" + T + " seed=" + seed;
    }

    @Override public String toString() { return label(); }
}
