package org.dpm4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class NonFiniteGuardTest {
    @Test
    @DisplayName("non-finite steps are counted from a resumed total; a finite step resets the run; the limit-th in a row throws naming the step")
    void countsAndStops() {
        NonFiniteGuard guard = new NonFiniteGuard(3, 5);
        guard.record(false, 10, null);
        guard.record(false, 11, null);
        assertFalse(guard.clean());
        guard.record(true, 12, null);
        assertTrue(guard.clean());
        guard.record(false, 13, null);
        guard.record(false, 14, null);
        assertEquals(9, guard.skipped());
        var e = assertThrows(NonFiniteTrainingException.class, () -> guard.record(false, 15, null));
        assertEquals(15, e.step());
        assertThrows(IllegalArgumentException.class, () -> new NonFiniteGuard(0, 0));
    }
}
