package org.dpm4j.schedule;

import org.dpm4j.util.Check;

/**
 * Shorthands for the named schedules of {@link ScheduleRegistry} that code calls often; each says which spec it
 * builds ({@code cosine}, {@code reference:step1Beta=...}). The schedules themselves, and any other, are built by
 * name with {@link ScheduleSpec}.
 */
public final class Schedules {
    private Schedules() {}

    /** Default extra variance of the first step in the reference code (its {@code step1_beta}). */
    public static final double REFERENCE_STEP1_BETA = 1e-3;
    /** The reference code's floor on every beta_t. */
    public static final double REFERENCE_MIN_BETA = 1e-6;
    /** Nichol and Dhariwal's cap on beta_t, which avoids the singularity at the end of the cosine schedule. */
    public static final double COSINE_MAX_BETA = 0.999;

    /**
     * The paper's binomial schedule beta_t = 1 / (T - t + 1) (Sec. 2.4.1): each step erases a constant fraction of
     * the remaining signal, and beta_T = 1, so x_T is exactly the terminal distribution. {@code binomial-paper}.
     */
    public static BetaSchedule binomialPaper(int T) { return ScheduleSpec.of("binomial-paper").build(T); }

    /** {@link #referenceGaussian(int, double)} with the reference code's default step-1 beta of 0.001. */
    public static BetaSchedule referenceGaussian(int T) { return referenceGaussian(T, REFERENCE_STEP1_BETA); }

    /**
     * The reference implementation's Gaussian schedule with its learned perturbation at zero:
     * beta_base = 1 / linspace(T, 2, T); beta_t = m_t + sigmoid(logit(beta_base_t)) (1 - m_t - 1e-5) with
     * m_t = 1e-6, plus step1Beta at t = 1. For T = 1000: beta_1 ~ 0.0020, beta_T ~ 0.50, alphabar_T ~ 9.9e-4.
     * {@code reference:step1Beta=...}.
     */
    public static BetaSchedule referenceGaussian(int T, double step1Beta) {
        return ScheduleSpec.of("reference", "step1Beta", step1Beta).build(T);
    }

    /**
     * Ho et al. (2020): beta linear in t from 1e-4 to 0.02 at T = 1000, both ends scaled by 1000/T
     * (Nichol and Dhariwal's scaling), so the total noise is about the same for every T. Needs T >= 20. {@code linear}.
     */
    public static BetaSchedule linearHo(int T) {
        Check.inRange("T", T, 20, Integer.MAX_VALUE);
        return ScheduleSpec.of("linear").build(T);
    }

    /**
     * Nichol and Dhariwal (2021): alphabar(t) = f(t)/f(0), f(t) = cos^2(((t/T + s)/(1 + s)) pi/2), s = 0.008;
     * beta_t = 1 - alphabar_t/alphabar_{t-1}, capped at 0.999. {@code cosine}.
     */
    public static BetaSchedule cosine(int T) { return ScheduleSpec.of("cosine").build(T); }

    /**
     * Jabri et al. (2022), as in denoising-diffusion-pytorch: alphabar(t) falls along a sigmoid,
     * alphabar(u) = (sigmoid(3) - sigmoid(6u - 3)) / (sigmoid(3) - sigmoid(-3)) with u = t/T (start -3, end 3, tau 1);
     * beta_t = 1 - alphabar_t/alphabar_{t-1}, capped at 0.999. {@code sigmoid}.
     */
    public static BetaSchedule sigmoid(int T) { return ScheduleSpec.of("sigmoid").build(T); }

    /** beta_t = beta for every t. {@code constant:beta=...}. */
    public static BetaSchedule constant(int T, double beta) { return ScheduleSpec.of("constant", "beta", beta).build(T); }

    /** The given beta_1..beta_T, each in (0, 1]. */
    public static BetaSchedule explicit(double... betas) {
        if (betas == null) throw Check.bad("betas", null, "an array of beta_1..beta_T");
        return new BetaSchedule("explicit: " + betas.length + " given betas", betas);
    }

    static double logistic(double z) { return 1 / (1 + Math.exp(-z)); }

    static double logit(double p) { return Math.log(p / (1 - p)); }
}
