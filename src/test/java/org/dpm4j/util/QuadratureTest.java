package org.dpm4j.util;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class QuadratureTest {
    @Test
    @DisplayName("one 16-node panel integrates x^30 on [-1, 1] exactly (2/31), and x^31 to 0")
    void exactForDegree31() {
        assertEquals(2.0 / 31, Quadrature.integrate(-1, 1, 1, x -> Math.pow(x, 30)), 1e-14);
        assertEquals(0.0, Quadrature.integrate(-1, 1, 1, x -> Math.pow(x, 31)), 1e-14);
    }

    @Test
    @DisplayName("integral of sin over [0, pi] is 2 and weights sum to the interval length")
    void closedForms() {
        assertEquals(2.0, Quadrature.integrate(0, Math.PI, 3, Math::sin), 1e-13);
        double sum = 0;
        for (double w : Quadrature.rule(1, 4, 7).weights()) sum += w;
        assertEquals(3.0, sum, 1e-13);
    }

    @Test
    @DisplayName("an empty interval or zero panels is rejected, naming the parameter")
    void badInput() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Quadrature.integrate(1, 1, 2, x -> x))
                .getMessage().startsWith("b = "));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Quadrature.rule(0, 1, 0))
                .getMessage().startsWith("panels = 0"));
    }
}
