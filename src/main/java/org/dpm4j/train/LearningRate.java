package org.dpm4j.train;

import org.dpm4j.util.Check;

/**
 * A step-decayed learning rate: lr(step) = max(floor, initial * factor^floor(step / every)).
 *
 * @param initial learning rate at step 0
 * @param factor  multiplier applied every {@code every} steps (1 for a constant rate)
 * @param every   steps between decays
 * @param floor   lower limit
 */
public record LearningRate(double initial, double factor, int every, double floor, long switchAt, LearningRate next) {
    public LearningRate {
        if (next != null && switchAt < 1) throw Check.bad("switchAt", switchAt, "a step number >= 1 where the next phase starts");
        Check.positive("learning rate (initial)", initial);
        if (!(factor > 0 && factor <= 1)) throw Check.bad("factor", factor, "a number in (0, 1]");
        Check.positive("every", every);
        if (!(floor >= 0 && floor <= initial)) throw Check.bad("floor", floor, "a number in [0, initial]");
    }

    /** One phase: lr(step) = max(floor, initial * factor^floor(step / every)) at every step. */
    public LearningRate(double initial, double factor, int every, double floor) {
        this(initial, factor, every, floor, Long.MAX_VALUE, null);
    }

    /**
     * This rate before step {@code step}, then {@code later} from that step on (a run in phases, one configuration:
     * its checkpoints resume anywhere, since the whole schedule is part of the run's fingerprint).
     */
    public LearningRate then(long step, LearningRate later) {
        if (later == null) throw Check.bad("later", null, "a LearningRate");
        if (next != null) {
            if (step <= switchAt) throw Check.bad("step", step, "a step after the last phase's start " + switchAt);
            return new LearningRate(initial, factor, every, floor, switchAt, next.then(step, later));
        }
        if (step < 1) throw Check.bad("step", step, "a step number >= 1");
        return new LearningRate(initial, factor, every, floor, step, later);
    }

    public static LearningRate constant(double lr) {
        if (!(lr > 0) || !Double.isFinite(lr)) throw Check.bad("learning rate", lr, "a finite number > 0");
        return new LearningRate(lr, 1, 1, 0);
    }

    /** The reference code's RMSprop schedule: 1e-3, times exp(ln 0.1 / 1000) every 500 batches, floor 1e-4. */
    public static LearningRate reference() { return new LearningRate(1e-3, Math.exp(Math.log(0.1) / 1000), 500, 1e-4); }

    /**
     * A rate decaying geometrically from {@code initial} to {@code last} in {@code decays} equal steps spread evenly over
     * the first {@code steps} steps, then held at {@code last}: lr(step) = initial (last / initial)^(k / decays) for
     * k = min(decays, floor(step / (steps / decays))).
     */
    public static LearningRate geometric(double initial, double last, int steps, int decays) {
        Check.positive("initial", initial);
        if (!(last > 0 && last <= initial)) throw Check.bad("last", last, "a number in (0, initial]");
        Check.positive("steps", steps);
        Check.inRange("decays", decays, 1, steps);
        return new LearningRate(initial, Math.pow(last / initial, 1.0 / decays), steps / decays, last);
    }

    /**
     * The experiments' rate: {@link #geometric(double, double, int, int)}, or {@link #constant(double) constant} at
     * {@code initial} when the run has fewer than {@code decays} steps (too short to decay in steps) or
     * {@code last == initial}.
     */
    public static LearningRate decaying(double initial, double last, int steps, int decays) {
        return steps < decays || last == initial ? constant(initial) : geometric(initial, last, steps, decays);
    }

    /**
     * The geometric decay of {@link #geometric(double, double, int, int)} begun at step {@code start} instead of 0, for
     * the later phase of a run resumed at {@code start}: lr(start) = initial, lr(start + steps) = last. Before start the
     * rate is above initial, so use it only from start on.
     */
    public static LearningRate geometric(long start, double initial, double last, int steps, int decays) {
        if (start < 0) throw Check.bad("start", start, "a step number >= 0");
        LearningRate g = geometric(initial, last, steps, decays);
        return new LearningRate(initial / Math.pow(g.factor(), (double) (start / g.every())), g.factor(), g.every(), last);
    }

    public double at(long step) {
        if (next != null && step >= switchAt) return next.at(step);
        return Math.max(floor, initial * Math.pow(factor, (double) (step / every)));
    }
}
