package org.dpm4j.results;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PaperTable1Test {
    private static double log2(double x) { return Math.log(x) / Math.log(2); }

    @Test
    @DisplayName("the paper's K - (K - L_null) equals the closed-form L_null: -log2(2 pi e) for the 2-D unit-variance "
            + "roll, -20 H2(0.2) for the heartbeat (to the printed precision)")
    void lNullConsistent() {
        PaperTable1 roll = PaperTable1.SWISS_ROLL, beat = PaperTable1.BINARY_HEARTBEAT;
        assertEquals(-log2(2 * Math.PI * Math.E), roll.k() - roll.kMinusLNull(), 0.01);
        double h2 = -(0.2 * log2(0.2) + 0.8 * log2(0.8));
        assertEquals(-20 * h2, beat.k() - beat.kMinusLNull(), 0.002);
    }

    @Test
    @DisplayName("rows are found by the name Table 1 prints, and an unknown name is rejected naming dataset")
    void lookup() {
        assertEquals(PaperTable1.BINARY_HEARTBEAT, PaperTable1.of("Binary heartbeat"));
        assertEquals(2.35, PaperTable1.of("Swiss roll").k());
        var e = assertThrows(IllegalArgumentException.class, () -> PaperTable1.of("swiss"));
        assertTrue(e.getMessage().startsWith("dataset = swiss"), e.getMessage());
    }
}
