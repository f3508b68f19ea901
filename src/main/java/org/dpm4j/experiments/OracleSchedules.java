package org.dpm4j.experiments;

import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.util.Check;

/**
 * Schedules with a given first step beta_1, for asking which schedule lets the best kernel of a family reach most of
 * K ({@link KernelCeiling}).
 */
public final class OracleSchedules {
    private OracleSchedules() {}

    /**
     * beta_1 fixed, then the log-SNR lambda_t = log(alphabar_t / (1 - alphabar_t)) falls from logit(1 - beta_1) to
     * log(terminalSnr) along lambda(u) = lambda_1 + (lambda_T - lambda_1) u^power, u = (t - 1)/(T - 1). power = 1 is
     * {@link SwissRollExperiment#schedule}; power > 1 spends more steps at high SNR, where the data look locally
     * like a line.
     */
    public static BetaSchedule warpedLogSnr(int T, double beta1, double terminalSnr, double power) {
        Check.positive("power", power);
        double[] lambda = ends(T, beta1, terminalSnr);
        double first = lambda[0], last = lambda[1];
        return fromLogSnr(String.format("log-SNR warped (power %.2f), beta_1=%.0e, SNR_T=%.0e", power, beta1, terminalSnr),
                beta1, T, u -> first + (last - first) * Math.pow(u, power));
    }

    /**
     * beta_1 fixed, then log-SNR linear in t down to lambdaMid at t = 1 + stepsToMid, and linear again from there to
     * log(terminalSnr) at t = T: two rates, one for the high-SNR steps (where the data look locally like a line and a
     * diagonal kernel loses about (Delta lambda)^2 / 16 nats a step, see {@link KernelCeiling#lineLossBits}) and one for
     * the rest.
     */
    public static BetaSchedule twoPieceLogSnr(int T, double beta1, double lambdaMid, int stepsToMid, double terminalSnr) {
        double[] lambda = ends(T, beta1, terminalSnr);
        double first = lambda[0], last = lambda[1];
        Check.inRange("stepsToMid", stepsToMid, 1, T - 2);
        if (!(lambdaMid < first && lambdaMid > last)) throw Check.bad("lambdaMid", lambdaMid, "between " + last + " and " + first);
        double uMid = (double) stepsToMid / (T - 1);
        return fromLogSnr(String.format("log-SNR two-piece (to %.1f in %d steps), beta_1=%.0e, SNR_T=%.0e", lambdaMid, stepsToMid,
                beta1, terminalSnr), beta1, T, u -> u <= uMid ? first + (lambdaMid - first) * u / uMid
                : lambdaMid + (last - lambdaMid) * (u - uMid) / (1 - uMid));
    }

    private static double[] ends(int T, double beta1, double terminalSnr) {
        Check.inRange("T", T, 2, 100_000);
        Check.openUnit("beta1", beta1);
        Check.positive("terminalSnr", terminalSnr);
        double first = Math.log((1 - beta1) / beta1), last = Math.log(terminalSnr);
        if (!(last < first)) throw Check.bad("terminalSnr", terminalSnr, "below the SNR after the first step, " + Math.exp(first));
        return new double[] {first, last};
    }

    /** beta_t from a log-SNR path lambda(u), u = (t - 1)/(T - 1), with beta_1 given: beta_t = 1 - alphabar_t / alphabar_{t-1}. */
    private static BetaSchedule fromLogSnr(String name, double beta1, int T, java.util.function.DoubleUnaryOperator lambda) {
        double[] b = new double[T];
        double prev = 1;
        for (int t = 1; t <= T; t++) {
            double alphaBar = 1 / (1 + Math.exp(-lambda.applyAsDouble((t - 1.0) / (T - 1))));
            b[t - 1] = t == 1 ? beta1 : 1 - alphaBar / prev;
            prev = alphaBar;
        }
        return new BetaSchedule(name, b);
    }

    /** The schedule with its first step replaced by beta_1 (the rest unchanged), to compare schedules at one ceiling. */
    public static BetaSchedule withFirstStep(BetaSchedule s, double beta1) {
        Check.openUnit("beta1", beta1);
        double[] b = s.betas();
        b[0] = beta1;
        return new BetaSchedule(s.name() + ", beta_1 set to " + beta1, b);
    }
}
