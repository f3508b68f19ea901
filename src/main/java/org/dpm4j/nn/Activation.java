package org.dpm4j.nn;

/**
 * Hidden-unit nonlinearities over row-major float[] ({@link FloatKernels}: SIMD-friendly Java, several times faster
 * than ND4J's transforms on this machine). Each derivative is written in terms of the unit's output, so backward
 * needs no pre-activation. Softplus is resolved over the whole float range (no overflow above 88, as ND4J's has).
 */
public enum Activation {
    SIGMOID, TANH, SOFTPLUS;

    /** Applies the nonlinearity to a[0..n) in place. */
    public void apply(float[] a, int n) {
        switch (this) {
            case SIGMOID -> FloatKernels.sigmoid(a, n);
            case TANH -> FloatKernels.tanh(a, n);
            case SOFTPLUS -> FloatKernels.softplus(a, n, new float[n]);
        }
    }

    /** Multiplies upstream[0..n) in place by f'(pre-activation), given the outputs y = f(pre-activation). */
    public void back(float[] y, float[] upstream, int n) {
        switch (this) {
            case SIGMOID -> { for (int i = 0; i < n; i++) upstream[i] *= y[i] * (1 - y[i]); }   // s (1 - s)
            case TANH -> { for (int i = 0; i < n; i++) upstream[i] *= 1 - y[i] * y[i]; }         // 1 - tanh^2
            case SOFTPLUS -> FloatKernels.softplusBack(y, upstream, n);            // sigmoid(a) = 1 - exp(-softplus(a))
        }
    }
}
