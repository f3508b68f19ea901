package org.dpm4j.schedule;

import org.dpm4j.util.Check;

/**
 * Beta schedules as small pure functions from T to beta_1..beta_T. Each schedule's name says exactly what it is,
 * because "linear" means different things in different libraries.
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
     * the remaining signal, and beta_T = 1, so x_T is exactly the terminal distribution.
     */
    public static BetaSchedule binomialPaper(int T) {
        Check.positive("T", T);
        double[] b = new double[T];
        for (int t = 1; t <= T; t++) b[t - 1] = 1.0 / (T - t + 1);
        return new BetaSchedule("binomialPaper: beta_t = 1/(T-t+1)", b);
    }

    /** {@link #referenceGaussian(int, double)} with the reference code's default step-1 beta of 0.001. */
    public static BetaSchedule referenceGaussian(int T) { return referenceGaussian(T, REFERENCE_STEP1_BETA); }

    /**
     * The reference implementation's Gaussian schedule with its learned perturbation at zero:
     * beta_base = 1 / linspace(T, 2, T); beta_t = m_t + sigmoid(logit(beta_base_t)) (1 - m_t - 1e-5) with
     * m_t = 1e-6, plus step1Beta at t = 1. For T = 1000: beta_1 ~ 0.0020, beta_T ~ 0.50, alphabar_T ~ 9.9e-4.
     */
    public static BetaSchedule referenceGaussian(int T, double step1Beta) {
        Check.inRange("T", T, 2, Integer.MAX_VALUE);
        if (!(step1Beta >= 0 && step1Beta < 0.5)) throw Check.bad("step1Beta", step1Beta, "a number in [0, 0.5)");
        double[] b = new double[T];
        for (int t = 1; t <= T; t++) {
            double base = 1.0 / (T + (2.0 - T) * (t - 1) / (T - 1));   // 1 / linspace(T, 2, T)[t-1]
            double min = REFERENCE_MIN_BETA + (t == 1 ? step1Beta : 0);
            b[t - 1] = min + base * (1 - min - 1e-5);                  // sigmoid(logit(base)) = base
        }
        return new BetaSchedule("referenceGaussian: 1e-6 + (1/linspace(T,2,T))(1-1e-6-1e-5), step-1 beta +" + step1Beta, b);
    }

    /**
     * Ho et al. (2020): beta linear in t from 1e-4 to 0.02 at T = 1000, both ends scaled by 1000/T
     * (Nichol and Dhariwal's scaling), so the total noise is about the same for every T. Needs T >= 20.
     */
    public static BetaSchedule linearHo(int T) {
        Check.inRange("T", T, 20, Integer.MAX_VALUE);
        double scale = 1000.0 / T, lo = scale * 1e-4, hi = scale * 0.02;
        double[] b = new double[T];
        for (int t = 1; t <= T; t++) b[t - 1] = lo + (hi - lo) * (t - 1) / (T - 1);
        return new BetaSchedule("linearHo: beta linear from 1e-4 to 0.02, both scaled by 1000/T", b);
    }

    /**
     * Nichol and Dhariwal (2021): alphabar(t) = f(t)/f(0), f(t) = cos^2(((t/T + s)/(1 + s)) pi/2), s = 0.008;
     * beta_t = 1 - alphabar_t/alphabar_{t-1}, capped at 0.999.
     */
    public static BetaSchedule cosine(int T) {
        Check.positive("T", T);
        double s = 0.008;
        double[] b = new double[T];
        for (int t = 1; t <= T; t++) {
            double ratio = cosineF(t, T, s) / cosineF(t - 1, T, s);
            b[t - 1] = Math.min(1 - ratio, COSINE_MAX_BETA);
        }
        return new BetaSchedule("cosine (Nichol & Dhariwal): alphabar = cos^2(((t/T+0.008)/1.008) pi/2), beta <= 0.999", b);
    }

    private static double cosineF(int t, int T, double s) {
        double c = Math.cos(((double) t / T + s) / (1 + s) * Math.PI / 2);
        return c * c;
    }

    /**
     * Jabri et al. (2022), as in denoising-diffusion-pytorch: alphabar(t) falls along a sigmoid,
     * alphabar(u) = (sigmoid(3) - sigmoid(6u - 3)) / (sigmoid(3) - sigmoid(-3)) with u = t/T (start -3, end 3, tau 1);
     * beta_t = 1 - alphabar_t/alphabar_{t-1}, capped at 0.999.
     */
    public static BetaSchedule sigmoid(int T) {
        Check.positive("T", T);
        double[] b = new double[T];
        for (int t = 1; t <= T; t++) {
            double ratio = sigmoidAlphaBar((double) t / T) / sigmoidAlphaBar((double) (t - 1) / T);
            b[t - 1] = Math.min(1 - ratio, COSINE_MAX_BETA);
        }
        return new BetaSchedule("sigmoid (Jabri et al.): alphabar = (sig(3) - sig(6t/T - 3))/(sig(3) - sig(-3)), beta <= 0.999", b);
    }

    private static double sigmoidAlphaBar(double u) {
        double vStart = logistic(-3), vEnd = logistic(3);
        return (vEnd - logistic(6 * u - 3)) / (vEnd - vStart);
    }

    /** beta_t = beta for every t. */
    public static BetaSchedule constant(int T, double beta) {
        Check.positive("T", T);
        double[] b = new double[T];
        java.util.Arrays.fill(b, beta);
        return new BetaSchedule("constant: beta_t = " + beta, b);
    }

    /** The given beta_1..beta_T, each in (0, 1]. */
    public static BetaSchedule explicit(double... betas) {
        if (betas == null) throw Check.bad("betas", null, "an array of beta_1..beta_T");
        return new BetaSchedule("explicit: " + betas.length + " given betas", betas);
    }

    static double logistic(double z) { return 1 / (1 + Math.exp(-z)); }

    static double logit(double p) { return Math.log(p / (1 - p)); }
}
