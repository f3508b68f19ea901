package org.dpm4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ActivationTest {
    @Test
    @DisplayName("softplus stays finite and equals log(1 + e^a) in FLOAT for a from -100 to 1000 (ND4J's alone overflows above 88)")
    void softplusIsStable() {
        float[] a = {-100f, -5f, 0f, 5f, 19.5f, 20.5f, 89f, 1000f};
        float[] y = a.clone();
        Activation.SOFTPLUS.apply(y, y.length);
        for (int i = 0; i < a.length; i++) {
            double exact = Math.max(a[i], 0) + Math.log1p(Math.exp(-Math.abs(a[i])));
            assertEquals(exact, y[i], 1e-6 * Math.max(1, Math.abs(exact)), "a = " + a[i]);
        }
    }
}
