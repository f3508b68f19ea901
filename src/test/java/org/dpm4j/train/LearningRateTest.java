package org.dpm4j.train;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LearningRateTest {
    @Test
    @DisplayName("geometric: initial at step 0, (last / initial)^(k / decays) after k intervals, last from the end on")
    void geometricDecay() {
        LearningRate lr = LearningRate.geometric(1e-2, 1e-4, 20_000, 20);
        assertEquals(1e-2, lr.at(0), 1e-15);
        assertEquals(1e-2, lr.at(999), 1e-15);
        for (int k = 0; k <= 20; k++) {
            assertEquals(1e-2 * Math.pow(1e-2, k / 20.0), lr.at(1000L * k), 1e-12 * lr.at(1000L * k), "k = " + k);
        }
        assertEquals(1e-3, lr.at(10_000), 1e-15);
        assertEquals(1e-4, lr.at(20_000), 1e-18);
        assertEquals(1e-4, lr.at(1_000_000), 1e-18);
        for (long s = 1; s < 25_000; s += 37) assertTrue(lr.at(s) <= lr.at(s - 1), "non-increasing at " + s);
    }

    @Test
    @DisplayName("geometric begun at step s gives at s + k the rate the unshifted decay gives at k (relative 1e-12)")
    void geometricShifted() {
        LearningRate plain = LearningRate.geometric(1e-3, 1e-4, 4000, 100);
        LearningRate shifted = LearningRate.geometric(16_000, 1e-3, 1e-4, 4000, 100);
        for (int k = 0; k <= 5000; k += 7) assertEquals(plain.at(k), shifted.at(16_000L + k), 1e-12 * plain.at(k), "k = " + k);
        assertEquals(1e-3, shifted.at(16_000), 1e-15);
        assertEquals(1e-4, shifted.at(20_000), 1e-18);
        assertThrows(IllegalArgumentException.class, () -> LearningRate.geometric(-1, 1e-3, 1e-4, 4000, 100));
    }

    @Test
    @DisplayName("geometric rejects a last rate above the initial one, and decays outside [1, steps], naming the parameter")
    void geometricBadInput() {
        var e = assertThrows(IllegalArgumentException.class, () -> LearningRate.geometric(1e-3, 1e-2, 100, 10));
        assertTrue(e.getMessage().contains("last"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LearningRate.geometric(1e-2, 1e-3, 100, 0));
        assertTrue(e.getMessage().contains("decays"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LearningRate.geometric(1e-2, 1e-3, 100, 101));
        assertTrue(e.getMessage().contains("decays"), e.getMessage());
    }

    @Test
    @DisplayName("decaying: the geometric decay when the run is long enough, constant at the first rate when shorter than its decays or when the rates are equal")
    void decaying() {
        LearningRate d = LearningRate.decaying(2e-3, 2e-4, 1000, 20), g = LearningRate.geometric(2e-3, 2e-4, 1000, 20);
        for (long step : new long[] {0, 49, 50, 500, 999, 1000, 5000}) assertEquals(g.at(step), d.at(step), 0, "step " + step);
        assertEquals(2e-4, d.at(1000), 1e-15);
        LearningRate shortRun = LearningRate.decaying(2e-3, 2e-4, 10, 20), equal = LearningRate.decaying(1e-3, 1e-3, 1000, 20);
        for (long step : new long[] {0, 9, 10, 999}) {
            assertEquals(2e-3, shortRun.at(step), 0, "short run, step " + step);
            assertEquals(1e-3, equal.at(step), 0, "equal rates, step " + step);
        }
        assertThrows(IllegalArgumentException.class, () -> LearningRate.decaying(1e-3, 2e-3, 1000, 20));
    }
}
