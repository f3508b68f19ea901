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
        Check.inRange("T", T, 2, 100_000);
        Check.openUnit("beta1", beta1);
        Check.positive("terminalSnr", terminalSnr);
        Check.positive("power", power);
        double first = Math.log((1 - beta1) / beta1), last = Math.log(terminalSnr);
        if (!(last < first)) throw Check.bad("terminalSnr", terminalSnr, "below the SNR after the first step, " + Math.exp(first));
        double[] b = new double[T];
        double prev = 1;
        for (int t = 1; t <= T; t++) {
            double lambda = first + (last - first) * Math.pow((t - 1.0) / (T - 1), power);
            double alphaBar = 1 / (1 + Math.exp(-lambda));
            b[t - 1] = t == 1 ? beta1 : 1 - alphaBar / prev;
            prev = alphaBar;
        }
        return new BetaSchedule(String.format("log-SNR warped (power %.2f), beta_1=%.0e, SNR_T=%.0e", power, beta1, terminalSnr), b);
    }

    /** The schedule with its first step replaced by beta_1 (the rest unchanged), to compare schedules at one ceiling. */
    public static BetaSchedule withFirstStep(BetaSchedule s, double beta1) {
        Check.openUnit("beta1", beta1);
        double[] b = s.betas();
        b[0] = beta1;
        return new BetaSchedule(s.name() + ", beta_1 set to " + beta1, b);
    }
}
