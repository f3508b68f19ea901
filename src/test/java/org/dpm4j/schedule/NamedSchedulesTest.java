package org.dpm4j.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Each named schedule against its closed form, built by name through {@link ScheduleSpec}. */
class NamedSchedulesTest {

    private static BetaSchedule build(String spec, int T) { return ScheduleSpec.parse(spec).build(T); }

    private static double logSnr(BetaSchedule s, int t) { return Math.log(s.alphaBar(t) / (1 - s.alphaBar(t))); }

    private static double logistic(double z) { return 1 / (1 + Math.exp(-z)); }

    @Test
    @DisplayName("binomial-paper: beta_t = 1/(T-t+1), so alphabar_t = (T-t)/T and beta_T = 1")
    void binomialPaper() {
        int T = 2000;
        BetaSchedule s = build("binomial-paper", T);
        for (int t = 1; t <= T; t++) assertEquals((double) (T - t) / T, s.alphaBar(t), 1e-12, "alphabar_" + t);
        assertEquals(1.0, s.beta(T), 0);
    }

    @Test
    @DisplayName("reference at T = 1000: beta_1 ~ 0.0020, beta_T ~ 0.50, alphabar_T ~ 9.9e-4; beta_t = m_t + (1/linspace(T,2,T))_t (1 - m_t - 1e-5)")
    void reference() {
        int T = 1000;
        BetaSchedule s = build("reference", T);
        assertEquals(0.0020, s.beta(1), 1e-5);
        assertEquals(0.50, s.beta(T), 1e-4);
        assertEquals(9.9e-4, s.alphaBar(T), 0.05e-4);
        // numpy's linspace(T, 2, T): T points from T down to 2, step (2 - T)/(T - 1)
        double step = (2.0 - T) / (T - 1);
        for (int t : new int[] {2, 17, 500, 999, 1000}) {
            double base = 1 / (T + step * (t - 1));
            assertEquals(1e-6 + base * (1 - 1e-6 - 1e-5), s.beta(t), 1e-15, "beta_" + t);
        }
        BetaSchedule noStep1 = build("reference:step1Beta=0", T);
        assertEquals(1e-6 + (1.0 / T) * (1 - 1e-6 - 1e-5), noStep1.beta(1), 1e-15);
        BetaSchedule floor = build("reference:minBeta=1e-3,step1Beta=0", 10);
        assertEquals(1e-3 + 0.1 * (1 - 1e-3 - 1e-5), floor.beta(1), 1e-15, "minBeta is the floor m_t");
    }

    @Test
    @DisplayName("linear: beta1 and betaT at the ends, equal spacing (betaT - beta1)/(T - 1); scaled multiplies both ends by 1000/T")
    void linear() {
        BetaSchedule s = build("linear:beta1=0.1,betaT=0.5,scaled=false", 5);
        assertArrayEquals(new double[] {0.1, 0.2, 0.3, 0.4, 0.5}, s.betas(), 1e-15);
        int T = 1000;
        BetaSchedule ho = build("linear", T);
        assertEquals(1e-4, ho.beta(1), 1e-18);
        assertEquals(0.02, ho.beta(T), 1e-17);
        for (int t = 2; t <= T; t++) assertEquals((0.02 - 1e-4) / (T - 1), ho.beta(t) - ho.beta(t - 1), 1e-15, "spacing at t=" + t);
        BetaSchedule ho100 = build("linear", 100);
        assertEquals(10 * 1e-4, ho100.beta(1), 1e-15);
        assertEquals(10 * 0.02, ho100.beta(100), 1e-15);
        BetaSchedule unscaled = build("linear:scaled=false", 100);
        assertEquals(1e-4, unscaled.beta(1), 1e-18);
        assertEquals(0.02, unscaled.beta(100), 1e-17);
    }

    @Test
    @DisplayName("cosine: alphabar_t = f(t)/f(0) wherever beta is below the cap, the last step capped at maxBeta, everything finite")
    void cosine() {
        for (String spec : new String[] {"cosine", "cosine:s=0", "cosine:s=0.1,maxBeta=0.5"}) {
            ScheduleSpec p = ScheduleSpec.parse(spec);
            double sOff = p.number("s"), cap = p.number("maxBeta");
            for (int T : new int[] {10, 1000, 4000}) {
                BetaSchedule s = p.build(T);
                double f0 = Math.pow(Math.cos(sOff / (1 + sOff) * Math.PI / 2), 2);
                boolean clipped = false;
                for (int t = 1; t <= T; t++) {
                    if (s.beta(t) == cap) clipped = true;
                    assertTrue(s.beta(t) > 0 && s.beta(t) <= cap, spec + " beta_" + t + " = " + s.beta(t));
                    assertTrue(Double.isFinite(Schedules.logit(s.beta(t))), "logit(beta_" + t + ") finite: no NaN at the end");
                    if (clipped) continue;   // after a clipped step alphabar no longer follows f
                    double f = Math.pow(Math.cos(((double) t / T + sOff) / (1 + sOff) * Math.PI / 2), 2);
                    assertEquals(f / f0, s.alphaBar(t), 1e-12 + 1e-9 * f / f0, spec + " T=" + T + " alphabar_" + t);
                }
                assertEquals(cap, s.beta(T), 0, "f(T) = 0 would make beta_T = 1: the cap takes it");
                assertTrue(s.alphaBar(T) > 0);
            }
        }
    }

    @Test
    @DisplayName("sigmoid: alphabar_t = (v(end) - sig((t/T (end - start) + start)/tau)) / (v(end) - v(start)) up to the cap")
    void sigmoid() {
        for (String spec : new String[] {"sigmoid", "sigmoid:start=-2,end=4,tau=0.7", "sigmoid:start=0,end=3,tau=2,maxBeta=0.9"}) {
            ScheduleSpec p = ScheduleSpec.parse(spec);
            double start = p.number("start"), end = p.number("end"), tau = p.number("tau"), cap = p.number("maxBeta");
            int T = 500;
            BetaSchedule s = p.build(T);
            double vStart = logistic(start / tau), vEnd = logistic(end / tau);
            for (int t = 1; t < T; t++) {
                double a = (vEnd - logistic(((double) t / T * (end - start) + start) / tau)) / (vEnd - vStart);
                assertEquals(a, s.alphaBar(t), 1e-12 + 1e-9 * a, spec + " alphabar_" + t);
                if (spec.equals("sigmoid")) assertTrue(s.beta(t) <= s.beta(t + 1), "beta non-decreasing at t=" + t);
            }
            assertEquals(cap, s.beta(T), 0, "alphabar reaches 0 at t = T: the cap takes the last step");
        }
        assertEquals(0.5, build("sigmoid", 500).alphaBar(250), 1e-12, "the default sigmoid's centre is at T/2");
    }

    @Test
    @DisplayName("log-snr-linear: beta_1 = beta1 exactly, then log-SNR exactly linear in t from logit(1 - beta1) to log(snrT)")
    void logSnrLinear() {
        for (String spec : new String[] {"log-snr-linear", "log-snr-linear:beta1=1e-3,snrT=1e-2"}) {
            ScheduleSpec p = ScheduleSpec.parse(spec);
            double beta1 = p.number("beta1"), snrT = p.number("snrT");
            int T = 40;
            BetaSchedule s = p.build(T);
            assertEquals(beta1, s.beta(1), 0);
            double first = Math.log((1 - beta1) / beta1), last = Math.log(snrT);
            for (int t = 1; t <= T; t++) {
                assertEquals(first + (last - first) * (t - 1) / (T - 1), logSnr(s, t), 1e-6, spec + " lambda_" + t);
            }
        }
    }

    @Test
    @DisplayName("log-snr-warped: lambda(u) = lambda_1 + (lambda_T - lambda_1) u^power; power = 1 is log-snr-linear up to rounding")
    void logSnrWarped() {
        int T = 40;
        BetaSchedule s = build("log-snr-warped:power=2.5", T);
        double first = Math.log((1 - 1e-5) / 1e-5), last = Math.log(1e-3);
        for (int t = 1; t <= T; t++) {
            double u = (t - 1.0) / (T - 1);
            assertEquals(first + (last - first) * Math.pow(u, 2.5), logSnr(s, t), 1e-6, "lambda_" + t);
        }
        assertArrayEquals(build("log-snr-linear", T).betas(), build("log-snr-warped:power=1", T).betas(), 1e-12);
    }

    @Test
    @DisplayName("two-piece: log-SNR linear to lambdaMid at t = 1 + stepsToMid, linear again to log(snrT) at t = T")
    void twoPiece() {
        int T = 40, k = 30;
        BetaSchedule s = build("two-piece:beta1=1e-5,lambdaMid=0.5,stepsToMid=30,snrT=1e-2", T);
        double first = Math.log((1 - 1e-5) / 1e-5), last = Math.log(1e-2);
        for (int t = 1; t <= T; t++) {
            double expected = t <= 1 + k ? first + (0.5 - first) * (t - 1) / k : 0.5 + (last - 0.5) * (t - 1 - k) / (T - 1 - k);
            assertEquals(expected, logSnr(s, t), 1e-6, "lambda_" + t);
        }
        assertEquals(0, logSnr(build("two-piece", T), 37), 1e-6, "defaults: log-SNR 0 at step 37 of 40 (stepsToMid=auto is 36)");
    }

    @Test
    @DisplayName("constant and explicit hold exactly the given betas")
    void constantAndExplicit() {
        BetaSchedule c = build("constant:beta=0.1", 5);
        for (int t = 1; t <= 5; t++) assertEquals(0.1, c.beta(t), 0);
        assertEquals(Math.pow(0.9, 5), c.alphaBar(5), 1e-15);
        BetaSchedule e = build("explicit:betas=[0.1, 0.2,0.3]", 3);
        assertArrayEquals(new double[] {0.1, 0.2, 0.3}, e.betas(), 0);
        assertEquals(0.9 * 0.8 * 0.7, e.alphaBar(3), 1e-15);
    }

    @Test
    @DisplayName("learned:from=X builds X's betas as the starting point, records the learned spec, and LearnableSchedule starts from it exactly")
    void learned() {
        int T = 40;
        ScheduleSpec spec = ScheduleSpec.parse("learned:from=log-snr-linear,snrT=1e-2");
        BetaSchedule start = spec.build(T);
        assertArrayEquals(ScheduleSpec.parse("log-snr-linear:snrT=1e-2").build(T).betas(), start.betas(), 0);
        assertEquals(spec, start.spec());
        assertEquals(ScheduleSpec.parse("log-snr-linear:snrT=0.01"), spec.from());
        assertEquals("learned:from=log-snr-linear,beta1=1e-5,snrT=0.01", spec.toString());
        LearnableSchedule l = LearnableSchedule.startingFrom(start);
        assertArrayEquals(start.betas(), l.schedule().betas(), 1e-12, "the learnable parameterisation reproduces the start");
        assertArrayEquals(Schedules.referenceGaussian(T).betas(), ScheduleSpec.parse("learned:from=reference").build(T).betas(), 0);
    }
}
