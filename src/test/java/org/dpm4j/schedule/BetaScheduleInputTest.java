package org.dpm4j.schedule;

import static org.dpm4j.testing.BadInput.assertRejected;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BetaScheduleInputTest {
    @Test
    @DisplayName("beta_1 = 1e-300 (and any beta below the floor) is refused where the schedule is made, naming beta_t")
    void tinyBetaRefused() {
        assertRejected(() -> Schedules.explicit(1e-300, 0.1, 0.2), "beta_1", "1.0E-300");
        assertRejected(() -> Schedules.explicit(0.1, 1e-13), "beta_2", "1.0E-13");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Schedules.explicit(1e-300));
        assertTrue(e.getMessage().contains("[" + BetaSchedule.MIN_BETA + ", 1]") && e.getMessage().contains("double precision"),
                e.getMessage());
        assertRejected(() -> Schedules.constant(3, Double.NaN), "beta_1", "NaN");
        assertRejected(() -> Schedules.explicit(0.1, -0.2), "beta_2", "-0.2");
        assertRejected(() -> new BetaSchedule(null, new double[] {0.1}), "name", "null");
    }

    @Test
    @DisplayName("the floor's reason: at MIN_BETA, 1 - alphabar_1 recovers beta_1 to within half an ulp of 1 over beta (5.5e-5)")
    void floorIsWherePrecisionEnds() {
        double b = BetaSchedule.MIN_BETA;
        BetaSchedule s = Schedules.explicit(b, 0.5);
        double relative = Math.abs((1 - s.alphaBar(1)) - b) / b;
        assertTrue(relative <= Math.ulp(0.75) / 2 / b, "relative error " + relative);
        assertTrue(relative < 1e-4, "four significant digits of beta_1 survive: " + relative);
    }
}
