package org.dpm4j.experiments;

import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.schedule.ScheduleSpec;
import org.dpm4j.util.Check;

/**
 * Schedules with a given first step beta_1, for asking which schedule lets the best kernel of a family reach most of
 * K ({@link KernelCeiling}). The log-SNR family itself lives in {@code schedule.ScheduleRegistry} (names
 * {@code log-snr-linear}, {@code log-snr-warped}, {@code two-piece}); these are shorthands for it.
 */
public final class OracleSchedules {
    private OracleSchedules() {}

    /**
     * beta_1 fixed, then the log-SNR lambda_t = log(alphabar_t / (1 - alphabar_t)) falls from logit(1 - beta_1) to
     * log(terminalSnr) along lambda(u) = lambda_1 + (lambda_T - lambda_1) u^power, u = (t - 1)/(T - 1). power = 1 is
     * {@link SwissRollExperiment#schedule} (up to rounding); power > 1 spends more steps at high SNR, where the data
     * look locally like a line. The spec {@code log-snr-warped:beta1=...,snrT=...,power=...}.
     */
    public static BetaSchedule warpedLogSnr(int T, double beta1, double terminalSnr, double power) {
        return ScheduleSpec.of("log-snr-warped", "beta1", beta1, "snrT", terminalSnr, "power", power).build(T);
    }

    /**
     * beta_1 fixed, then log-SNR linear in t down to lambdaMid at t = 1 + stepsToMid, and linear again from there to
     * log(terminalSnr) at t = T: two rates, one for the high-SNR steps (where the data look locally like a line and a
     * diagonal kernel loses about (Delta lambda)^2 / 16 nats a step, see {@link KernelCeiling#lineLossBits}) and one for
     * the rest. The spec {@code two-piece:beta1=...,lambdaMid=...,stepsToMid=...,snrT=...}.
     */
    public static BetaSchedule twoPieceLogSnr(int T, double beta1, double lambdaMid, int stepsToMid, double terminalSnr) {
        return ScheduleSpec.of("two-piece", "beta1", beta1, "lambdaMid", lambdaMid, "stepsToMid", stepsToMid, "snrT", terminalSnr)
                .build(T);
    }

    /** The schedule with its first step replaced by beta_1 (the rest unchanged), to compare schedules at one ceiling. */
    public static BetaSchedule withFirstStep(BetaSchedule s, double beta1) {
        Check.openUnit("beta1", beta1);
        double[] b = s.betas();
        b[0] = beta1;
        return new BetaSchedule(s.name() + ", beta_1 set to " + beta1, b);
    }
}
