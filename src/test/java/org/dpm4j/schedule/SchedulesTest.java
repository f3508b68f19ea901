package org.dpm4j.schedule;

import static org.dpm4j.testing.BadInput.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SchedulesTest {

    @Test
    @DisplayName("binomialPaper: beta_t = 1/(T-t+1), so alphabar_t = (T-t)/T and beta_T = 1 (x_T is exactly pi)")
    void binomialPaperClosedForm() {
        int T = 2000;
        BetaSchedule s = Schedules.binomialPaper(T);
        assertEquals(1.0 / T, s.beta(1), 0);
        assertEquals(1.0, s.beta(T), 0);
        for (int t : new int[] {1, 7, 1000, 1999}) assertEquals((double) (T - t) / T, s.alphaBar(t), 1e-12);
        assertEquals(0.0, s.alphaBar(T), 0);
    }

    @Test
    @DisplayName("referenceGaussian(1000): beta_1 ~ 0.0020, beta_T ~ 0.50, alphabar_T ~ 9.9e-4 (paper brief)")
    void referenceGaussianKnownValues() {
        BetaSchedule s = Schedules.referenceGaussian(1000);
        assertEquals(0.0020, s.beta(1), 1e-5);
        assertEquals(0.50, s.beta(1000), 1e-4);
        assertEquals(9.9e-4, s.alphaBar(1000), 0.05e-4);
        // without the step-1 extra, beta_1 is the baseline 1/T squashed into [1e-6, 1 - 1e-5]
        assertEquals(1e-6 + 1e-3 * (1 - 1e-6 - 1e-5), Schedules.referenceGaussian(1000, 0).beta(1), 1e-15);
        assertEquals(Schedules.REFERENCE_STEP1_BETA + Schedules.referenceGaussian(1000, 0).beta(1),
                s.beta(1), 1e-5, "step1Beta adds 0.001 (less its share of the squash)");
    }

    @Test
    @DisplayName("linearHo: 1e-4 to 0.02 at T = 1000; both ends scaled by 1000/T at other T")
    void linearHoEnds() {
        BetaSchedule s = Schedules.linearHo(1000);
        assertEquals(1e-4, s.beta(1), 1e-15);
        assertEquals(0.02, s.beta(1000), 1e-15);
        assertEquals((1e-4 + 0.02) / 2, (s.beta(500) + s.beta(501)) / 2, 1e-12);
        BetaSchedule s100 = Schedules.linearHo(100);
        assertEquals(1e-3, s100.beta(1), 1e-15);
        assertEquals(0.2, s100.beta(100), 1e-15);
    }

    @Test
    @DisplayName("cosine: alphabar_0 = 1, alphabar_t = f(t)/f(0) where unclipped, no beta above 0.999")
    void cosineProperties() {
        int T = 1000;
        BetaSchedule s = Schedules.cosine(T);
        assertEquals(1.0, s.alphaBar(0), 0);
        double f0 = Math.pow(Math.cos(0.008 / 1.008 * Math.PI / 2), 2);
        for (int t : new int[] {1, 250, 500, 900}) {
            double f = Math.pow(Math.cos(((double) t / T + 0.008) / 1.008 * Math.PI / 2), 2);
            assertEquals(f / f0, s.alphaBar(t), 1e-9, "alphabar_" + t);
        }
        double max = 0;
        for (double b : s.betas()) max = Math.max(max, b);
        assertEquals(0.999, max, 0, "the last step is clipped to 0.999");
        for (double a : s.alphaBars()) assertTrue(Double.isFinite(a) && a >= 0);
    }

    @Test
    @DisplayName("sigmoid: alphabar falls from 1 along a sigmoid, betas increase, none above 0.999")
    void sigmoidProperties() {
        BetaSchedule s = Schedules.sigmoid(500);
        double[] b = s.betas();
        for (int i = 1; i < b.length; i++) assertTrue(b[i] >= b[i - 1], "beta non-decreasing at t=" + (i + 1));
        assertTrue(b[b.length - 1] <= 0.999);
        assertEquals(0.5, s.alphaBar(250), 1e-12, "the sigmoid's centre is at t = T/2");
    }

    @Test
    @DisplayName("constant and explicit schedules hold exactly the given betas")
    void constantAndExplicit() {
        BetaSchedule c = Schedules.constant(5, 0.1);
        for (int t = 1; t <= 5; t++) assertEquals(0.1, c.beta(t), 0);
        assertEquals(Math.pow(0.9, 5), c.alphaBar(5), 1e-15);
        BetaSchedule e = Schedules.explicit(0.1, 0.2, 0.3);
        assertEquals(3, e.T());
        assertEquals(0.9 * 0.8 * 0.7, e.alphaBar(3), 1e-15);
    }

    @Test
    @DisplayName("every schedule's name says what it is, and the names differ")
    void namesAreDistinct() {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (BetaSchedule s : new BetaSchedule[] {Schedules.binomialPaper(100), Schedules.referenceGaussian(100),
                Schedules.linearHo(100), Schedules.cosine(100), Schedules.sigmoid(100), Schedules.constant(100, 0.01),
                Schedules.explicit(0.1)}) {
            assertTrue(names.add(s.name().split(":")[0]), "duplicate name " + s.name());
        }
        assertTrue(Schedules.linearHo(100).name().contains("1e-4") && Schedules.linearHo(100).name().contains("0.02"));
    }

    @Test
    @DisplayName("bad input: beta outside (0, 1], NaN, T < 1, t out of range -> IllegalArgumentException naming parameter and value")
    void badInput() {
        assertRejected(() -> Schedules.explicit(0.1, 0.0), "beta_2", "0.0");
        assertRejected(() -> Schedules.explicit(1.5), "beta_1", "1.5");
        assertRejected(() -> Schedules.explicit(-0.1), "beta_1", "-0.1");
        assertRejected(() -> Schedules.explicit(0.1, Double.NaN), "beta_2", "NaN");
        assertRejected(() -> Schedules.explicit(), "betas.length", "0");
        assertRejected(() -> Schedules.constant(0, 0.1), "T", "0");
        assertRejected(() -> Schedules.binomialPaper(-3), "T", "-3");
        assertRejected(() -> Schedules.linearHo(10), "T", "10");
        assertRejected(() -> Schedules.constant(10, 2.0), "beta (schedule constant)", "2");
        assertRejected(() -> Schedules.referenceGaussian(100, -1), "step1Beta", "-1");
        BetaSchedule s = Schedules.constant(10, 0.1);
        assertRejected(() -> s.beta(11), "t", "11");
        assertRejected(() -> s.beta(0), "t", "0");
        assertRejected(() -> s.alphaBar(-1), "t", "-1");
    }
}
