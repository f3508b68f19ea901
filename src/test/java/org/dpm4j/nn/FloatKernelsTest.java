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
    @DisplayName("softplus with its derivative: the same values as softplus alone, and derivative = 1 / (1 + e^-a) to 2e-7 absolute")
    void softplusWithDerivative() {
        float[] a = grid(), y = a.clone(), alone = a.clone(), dy = new float[a.length];
        FloatKernels.softplusWithDerivative(y, y.length, dy);
        FloatKernels.softplus(alone, alone.length, new float[alone.length]);
        for (int i = 0; i < a.length; i++) {
            assertEquals(alone[i], y[i], 0, "softplus at " + a[i]);
            assertEquals(1 / (1 + Math.exp(-(double) a[i])), dy[i], 2e-7, "softplus' at " + a[i]);
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

    @Test
    @DisplayName("sinCos2Pi: sin and cos of 2 pi u within 2e-9 plus half a float ulp of the exact values on [-64, 64], at the quadrant points and at |u| up to 2^50")
    void sinCos2Pi() {
        int grid = 1_280_001;
        double[] extra = {0, 0.125, 0.25, 0.375, 0.5, -0.5, 0.75, 1, -1, 1e6 + 0.25, -1e6 - 0.375, 0x1p50 + 0.5, -0x1p50 - 0.25, 1e-300, 0.5 - 0x1p-40};
        int n = grid + extra.length;
        double[] u = new double[n];
        for (int i = 0; i < grid; i++) u[i] = -64 + i * 1e-4;
        System.arraycopy(extra, 0, u, grid, extra.length);
        double[] given = u.clone();
        float[] sin = new float[n], cos = new float[n];
        FloatKernels.sinCos2Pi(u, new double[n], sin, cos, n);
        for (int i = 0; i < n; i++) {
            double r = given[i] - Math.rint(given[i]);   // exact for |u| below 2^52
            double s = Math.sin(2 * Math.PI * r), c = Math.cos(2 * Math.PI * r);
            assertEquals(s, sin[i], 2e-9 + 0.5 * Math.ulp((float) s), "sin at u = " + given[i]);
            assertEquals(c, cos[i], 2e-9 + 0.5 * Math.ulp((float) c), "cos at u = " + given[i]);
            assertEquals(r, u[i], 0, "u is left reduced to u - rint(u)");
        }
        // against the unreduced angle where 2 pi u itself is exact enough (|u| <= 64: rounding below 1e-13)
        for (int i = 0; i < grid; i += 997) assertEquals(Math.sin(2 * Math.PI * given[i]), sin[i], 1e-7, "sin(2 pi u) at " + given[i]);
    }
}
