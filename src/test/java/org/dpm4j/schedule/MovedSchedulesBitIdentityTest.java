package org.dpm4j.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.dpm4j.experiments.OracleSchedules;
import org.dpm4j.experiments.SwissRollExperiment;
import org.dpm4j.experiments.SwissRollExperiment.Config;
import org.dpm4j.experiments.Profile;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Moving the schedules into the registry changed no beta: every one is compared bit for bit (assertArrayEquals on
 * double[] compares doubleToLongBits) with the arithmetic it replaced ({@link OldScheduleCode}).
 */
class MovedSchedulesBitIdentityTest {

    private static final int[] TS = {2, 3, 5, 10, 40, 41, 100, 1000};
    private static final double[] BETA1 = {1e-5, 1e-3, 0.05};
    private static final double[] SNR_T = {1e-3, 1e-2, 0.3};

    /** The settings' T and schedule replaced: the log-SNR-linear family, or (twoPiece) the two-piece one with auto steps. */
    private static Config withT(Config c, int T, double beta1, double snrT, boolean twoPiece) {
        ScheduleSpec s = twoPiece ? ScheduleSpec.of("two-piece", "beta1", beta1) : ScheduleSpec.of("log-snr-linear", "beta1", beta1, "snrT", snrT);
        return org.dpm4j.experiments.Settings.change(c, "T", T, "schedule", s);
    }

    @Test
    @DisplayName("SwissRollExperiment.schedule (log-SNR linear) gives the old inline loop's betas bit for bit, every profile, T, beta_1, SNR_T")
    void swissRollLogSnrLinear() {
        for (Profile p : Profile.values()) {
            Config c = Config.of(p);
            assertArrayEquals(OldScheduleCode.swissRollLogSnrLinear(c.T(), c.beta1(), c.schedule().number("snrT")), SwissRollExperiment.schedule(c).betas(),
                    "profile " + p);
            for (int T : TS) for (double b1 : BETA1) for (double snr : SNR_T) {
                Config v = withT(c, T, b1, snr, false);
                assertArrayEquals(OldScheduleCode.swissRollLogSnrLinear(T, b1, snr), SwissRollExperiment.schedule(v).betas(),
                        "T=" + T + ", beta1=" + b1 + ", snrT=" + snr);
                assertArrayEquals(OldScheduleCode.swissRollLogSnrLinear(T, b1, snr),
                        ScheduleSpec.of("log-snr-linear", "beta1", b1, "snrT", snr).build(T).betas());
            }
        }
    }

    @Test
    @DisplayName("SwissRollExperiment.schedule (two-piece) and OracleSchedules.twoPieceLogSnr give the old betas bit for bit; auto steps are the old rule")
    void twoPiece() {
        Config c = Config.of(Profile.STANDARD);
        for (int T : new int[] {3, 5, 10, 40, 41, 100, 1000}) for (double b1 : BETA1) {
            int steps = OldScheduleCode.swissRollTwoPieceSteps(T);
            double[] old = OldScheduleCode.twoPieceLogSnr(T, b1, 0, steps, 1e-2);
            String at = "T=" + T + ", beta1=" + b1;
            assertArrayEquals(old, SwissRollExperiment.schedule(withT(c, T, b1, 1e-3, true)).betas(), at);
            assertArrayEquals(old, OracleSchedules.twoPieceLogSnr(T, b1, 0, steps, 1e-2).betas(), at);
            assertArrayEquals(old, ScheduleSpec.of("two-piece", "beta1", b1).build(T).betas(), "stepsToMid=auto, " + at);
            assertEquals(steps, ScheduleRegistry.stepsToMid(T, "auto"), at);
        }
        for (double mid : new double[] {-2, 0, 0.5, 3}) for (int steps : new int[] {1, 10, 30, 38}) {
            assertArrayEquals(OldScheduleCode.twoPieceLogSnr(40, 1e-5, mid, steps, 1e-2),
                    OracleSchedules.twoPieceLogSnr(40, 1e-5, mid, steps, 1e-2).betas(), "lambdaMid=" + mid + ", steps=" + steps);
        }
    }

    @Test
    @DisplayName("OracleSchedules.warpedLogSnr gives the old betas bit for bit")
    void warped() {
        for (int T : TS) for (double b1 : BETA1) for (double snr : SNR_T) for (double power : new double[] {0.5, 1, 2, 3.7}) {
            assertArrayEquals(OldScheduleCode.warpedLogSnr(T, b1, snr, power), OracleSchedules.warpedLogSnr(T, b1, snr, power).betas(),
                    "T=" + T + ", beta1=" + b1 + ", snrT=" + snr + ", power=" + power);
        }
    }

    @Test
    @DisplayName("Schedules' factories, now built by name, give the old betas bit for bit")
    void factories() {
        for (int T : new int[] {2, 3, 20, 40, 999, 1000, 2000}) {
            assertArrayEquals(OldScheduleCode.binomialPaper(T), Schedules.binomialPaper(T).betas(), "binomialPaper T=" + T);
            assertArrayEquals(OldScheduleCode.referenceGaussian(T, 1e-3), Schedules.referenceGaussian(T).betas(), "reference T=" + T);
            assertArrayEquals(OldScheduleCode.referenceGaussian(T, 0), Schedules.referenceGaussian(T, 0).betas(), "reference 0, T=" + T);
            assertArrayEquals(OldScheduleCode.cosine(T), Schedules.cosine(T).betas(), "cosine T=" + T);
            assertArrayEquals(OldScheduleCode.sigmoid(T), Schedules.sigmoid(T).betas(), "sigmoid T=" + T);
            if (T >= 20) assertArrayEquals(OldScheduleCode.linearHo(T), Schedules.linearHo(T).betas(), "linearHo T=" + T);
        }
    }
}
