package org.dpm4j.schedule;

import java.util.Arrays;
import org.dpm4j.util.Check;

/**
 * A forward-diffusion schedule beta_1..beta_T and the quantities derived from it.
 * Time steps are 1-based as in the paper: t = 1..T, and alphaBar(0) = 1 (no diffusion yet).
 * Immutable; build one by name with {@link ScheduleSpec#build} (or {@link Schedules}), and read back how it was built
 * with {@link #spec()}.
 */
public final class BetaSchedule {
    /**
     * The smallest beta_t accepted, 2^-53 = 1.1e-16. Every derived quantity goes through alpha_t = 1 - beta_t, and
     * double precision spaces numbers just below 1 by 2^-53: 1 - 2^-53 is exact, while below 2^-54 = 5.6e-17,
     * 1 - beta_t rounds to exactly 1 and the step's posterior variances come out 0. Betas near the floor keep only
     * their magnitude (at 1e-12, about four significant digits of 1 - alpha_t survive); the oracle-searched log-SNR
     * schedules reach 1e-15 at their first steps, which is why the floor is not higher.
     */
    public static final double MIN_BETA = 0x1p-53;

    private static final String WHY_MIN_BETA = "smaller betas vanish in 1 - beta_t in double precision (below 2^-54 = 5.6e-17 it "
            + "rounds to exactly 1, and the step's posterior variances become 0; 2^-53 = 1.1e-16 is the smallest beta whose 1 - beta is exact)";

    private final String name;
    private final double[] beta;      // beta[t-1] = beta_t
    private final double[] alphaBar;  // alphaBar[t] = prod_{s<=t} (1 - beta_s), alphaBar[0] = 1
    // How it was built; null until asked for when built from a raw array, then explicit:betas=[...] (a pure function of beta,
    // so the benign race of two threads making it at once gives equal values).
    private volatile ScheduleSpec spec;

    public BetaSchedule(String name, double[] betas) {
        if (name == null) throw Check.bad("name", null, "a schedule name");
        if (betas == null || betas.length < 1) throw Check.bad("betas.length", betas == null ? null : betas.length, "T >= 1 steps");
        for (int i = 0; i < betas.length; i++) {
            // beta_t = 1 is allowed: the paper's binomial schedule 1/(T - t + 1) ends with a step that forgets x_{T-1}.
            if (!(betas[i] >= MIN_BETA && betas[i] <= 1)) {
                throw Check.bad("beta_" + (i + 1) + " (schedule '" + name + "')", betas[i], "a number in [" + MIN_BETA
                        + ", 1]" + (betas[i] > 0 && betas[i] < MIN_BETA ? ": " + WHY_MIN_BETA : ""));
            }
        }
        this.name = name;
        this.beta = betas.clone();
        this.alphaBar = new double[betas.length + 1];
        alphaBar[0] = 1.0;
        for (int t = 1; t <= betas.length; t++) alphaBar[t] = alphaBar[t - 1] * (1 - betas[t - 1]);
    }

    /** The schedule the spec builds for T = betas.length, named by the spec's text form. */
    BetaSchedule(ScheduleSpec spec, double[] betas) {
        this(spec.label(), betas);
        this.spec = spec;
    }

    public String name() { return name; }

    /**
     * The spec that built this schedule, for a configuration or a result row to record: {@code spec().build(T())} has
     * exactly these betas. A schedule made from a raw array (the public constructor) answers {@code explicit:betas=[...]};
     * one from a {@code learned:from=...} spec answers that spec, which builds the schedule learning starts from.
     */
    public ScheduleSpec spec() {
        ScheduleSpec s = spec;
        if (s == null) spec = s = ScheduleSpec.explicit(beta);
        return s;
    }

    /** Number of diffusion steps T. */
    public int T() { return beta.length; }

    /** beta_t, t in 1..T. */
    public double beta(int t) { return beta[checkT(t) - 1]; }

    /** alpha_t = 1 - beta_t, t in 1..T. */
    public double alpha(int t) { return 1 - beta(t); }

    /** alphabar_t = prod_{s=1..t} alpha_s, t in 0..T (alphabar_0 = 1). */
    public double alphaBar(int t) {
        Check.inRange("t", t, 0, T());
        return alphaBar[t];
    }

    /** Signal-to-noise ratio of q(x_t | x_0) for Gaussian diffusion: alphabar_t / (1 - alphabar_t). */
    public double snr(int t) { return alphaBar(t) / (1 - alphaBar(t)); }

    /** A copy of beta_1..beta_T (index 0 holds beta_1). */
    public double[] betas() { return beta.clone(); }

    /** A copy of alphabar_0..alphabar_T (index t holds alphabar_t). */
    public double[] alphaBars() { return alphaBar.clone(); }

    private int checkT(int t) { return Check.inRange("t", t, 1, T()); }

    @Override public String toString() {
        return name + "(T=" + T() + ", beta_1=" + beta[0] + ", beta_T=" + beta[beta.length - 1] + ")";
    }

    @Override public boolean equals(Object o) {
        return o instanceof BetaSchedule s && s.name.equals(name) && Arrays.equals(s.beta, beta);
    }

    @Override public int hashCode() { return name.hashCode() * 31 + Arrays.hashCode(beta); }
}
