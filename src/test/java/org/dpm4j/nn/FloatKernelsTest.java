package org.dpm4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FloatKernelsTest {
    /** 200,001 points on [-100, 100] plus the edges of the float range. */
    static float[] grid() {
        float[] a = new float[200_005];
        for (int i = 0; i <= 200_000; i++) a[i] = -100f + i * 1e-3f;
        a[200_001] = -Float.MAX_VALUE;
        a[200_002] = Float.MAX_VALUE;
        a[200_003] = 1e-30f;
        a[200_004] = -1e-30f;
        return a;
    }

    @Test
    @DisplayName("tanh and sigmoid agree with Math.tanh and 1 / (1 + e^-a) to 4e-7 and 2e-7 absolute on [-100, 100] and at the float range's ends")
    void tanhAndSigmoid() {
        float[] a = grid(), t = a.clone(), s = a.clone();
        FloatKernels.tanh(t, t.length);
        FloatKernels.sigmoid(s, s.length);
        for (int i = 0; i < a.length; i++) {
            assertEquals(Math.tanh(a[i]), t[i], 4e-7, "tanh at " + a[i]);
            assertEquals(1 / (1 + Math.exp(-(double) a[i])), s[i], 2e-7, "sigmoid at " + a[i]);
        }
        float[] tiny = {1e-30f};
        FloatKernels.tanh(tiny, 1);
        assertEquals(1e-30, tiny[0], 1e-36, "tanh keeps relative accuracy near 0");
    }

    @Test
    @DisplayName("softplus equals max(a, 0) + log1p(e^-|a|) to 4e-7 absolute (relative above 1), finite up to Float.MAX_VALUE")
    void softplus() {
        float[] a = grid(), y = a.clone();
        FloatKernels.softplus(y, y.length, new float[y.length]);
        for (int i = 0; i < a.length; i++) {
            double exact = Math.max(a[i], 0) + Math.log1p(Math.exp(-Math.abs((double) a[i])));
            assertEquals(exact, y[i], 4e-7 * Math.max(1, exact), "softplus at " + a[i]);
        }
    }

    @Test
    @DisplayName("softplus' from the output, 1 - e^-y, equals sigmoid(a) to 4e-7 relative (small y keep their relative accuracy)")
    void softplusBack() {
        float[] a = grid(), y = a.clone(), g = new float[a.length];
        java.util.Arrays.fill(g, 1f);
        FloatKernels.softplus(y, y.length, new float[y.length]);
        FloatKernels.softplusBack(y, g, y.length);
        for (int i = 0; i < a.length; i++) {
            double exact = -Math.expm1(-(double) y[i]);   // the derivative given the float output y
            assertEquals(exact, g[i], 4e-7 * Math.max(exact, 1e-3), "softplus' at y = " + y[i]);
        }
    }

    @Test
    @DisplayName("each activation's back() equals the central difference of its apply() (float, h = 1e-2)")
    void backMatchesDifferences() {
        float[] a = new float[801];
        for (int i = 0; i < a.length; i++) a[i] = -8f + i * 0.02f;
        for (Activation f : Activation.values()) {
            float[] y = a.clone(), up = new float[a.length], down = new float[a.length], g = new float[a.length];
            f.apply(y, y.length);
            for (int i = 0; i < a.length; i++) { up[i] = a[i] + 1e-2f; down[i] = a[i] - 1e-2f; g[i] = 1f; }
            f.apply(up, up.length);
            f.apply(down, down.length);
            f.back(y, g, g.length);
            for (int i = 0; i < a.length; i++) assertEquals((up[i] - down[i]) / 2e-2, g[i], 2e-3, f + " at " + a[i]);
        }
    }
}
