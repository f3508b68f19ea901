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
        assertRejected(() -> Schedules.explicit(0.1, 1e-17), "beta_2", "1.0E-17");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Schedules.explicit(1e-300));
        assertTrue(e.getMessage().contains("[" + BetaSchedule.MIN_BETA + ", 1]") && e.getMessage().contains("double precision"),
                e.getMessage());
        assertRejected(() -> Schedules.constant(3, Double.NaN), "beta (schedule constant)", "NaN");
        assertRejected(() -> Schedules.explicit(0.1, -0.2), "beta_2", "-0.2");
        assertRejected(() -> new BetaSchedule((String) null, new double[] {0.1}), "name", "null");
    }

    @Test
    @DisplayName("the floor's reason: at MIN_BETA = 2^-53, 1 - beta_1 is exact and 1 - alphabar_1 recovers beta_1 exactly; a quarter of it rounds 1 - beta to 1")
    void floorIsWherePrecisionEnds() {
        double b = BetaSchedule.MIN_BETA;
        BetaSchedule s = Schedules.explicit(b, 0.5);
        assertTrue(1 - s.alphaBar(1) == b, "1 - alphabar_1 = " + (1 - s.alphaBar(1)));
        assertTrue(1 - b / 4 == 1.0, "below the floor 1 - beta rounds to 1");
        assertRejected(() -> Schedules.explicit(b / 4, 0.5), "beta_1", "rounds to exactly 1");
    }
}
