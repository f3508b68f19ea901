package org.dpm4j.nn;

/**
 * Element-wise nonlinearities over float[] written so that HotSpot's C2 compiler turns them into SIMD code: only
 * +, -, *, /, min, max and abs in short loop bodies (C2 (Java 17) vectorises neither Math.exp nor the bit tricks a
 * libm exp uses, nor loop bodies much longer than ~40 nodes, so longer computations are split into passes).
 * Measured on [2496, 128] FLOAT (this machine, one thread): ND4J's tanh, sigmoid and exp took 4-5 ms, these 0.1-0.5 ms.
 * <ul>
 *   <li>tanh: the rational minimax approximation Eigen uses (x P(x^2) / Q(x^2), clamped at |x| = 7.905), absolute
 *   error below 4e-7;</li>
 *   <li>sigmoid(x) = (1 + tanh(x / 2)) / 2, absolute error below 2e-7 (relative accuracy is lost only for outputs
 *   below ~1e-6, which a hidden unit does not need);</li>
 *   <li>softplus and its derivative through the same tanh (exp(-u) = (1 - tanh(u/2)) / (1 + tanh(u/2))) and the
 *   atanh series of log1p; absolute error below 4e-7 (as ND4J's float softplus, relative accuracy goes for outputs
 *   below ~1e-6, i.e. a below -14).</li>
 *   <li>sin and cos of 2 pi u for u in cycles ({@link #sinCos2Pi}): exact reduction to r = u - rint(u) in [-1/2, 1/2],
 *   then r P(r^2) and Q(r^2) of degrees 13 and 14 (least-squares fits on Chebyshev nodes), in double, absolute error
 *   below 2e-9 (Math.sin and Math.cos, scalar intrinsics, cost about ten times more here).</li>
 * </ul>
 */
public final class FloatKernels {
    private FloatKernels() {}

    private static final float TANH_CLAMP = 7.90531110763549805f;

    /** a[i] = tanh(a[i]) for i below n. */
    public static void tanh(float[] a, int n) {
        for (int i = 0; i < n; i++) a[i] = tanhOf(a[i]);
    }

    /** a[i] = sigmoid(a[i]) = (1 + tanh(a[i] / 2)) / 2 for i below n. */
    public static void sigmoid(float[] a, int n) {
        for (int i = 0; i < n; i++) a[i] = 0.5f + 0.5f * tanhOf(0.5f * a[i]);
    }

    private static float tanhOf(float v) {
        float x = Math.max(-TANH_CLAMP, Math.min(TANH_CLAMP, v));
        float x2 = x * x;
        float p = x2 * -2.76076847742355e-16f + 2.00018790482477e-13f;
        p = x2 * p + -8.60467152213735e-11f;
        p = x2 * p + 5.12229709037114e-08f;
        p = x2 * p + 1.48572235717979e-05f;
        p = x2 * p + 6.37261928875436e-04f;
        p = x2 * p + 4.89352455891786e-03f;
        float q = x2 * 1.19825839466702e-06f + 1.18534705686654e-04f;
        q = x2 * q + 2.26843463243900e-03f;
        q = x2 * q + 4.89352518554385e-03f;
        return x * p / q;
    }

    /**
     * a[i] = softplus(a[i]) = max(a, 0) + log1p(exp(-|a|)) for i below n, through tau = tanh(|a| / 2): exp(-|a|) =
     * (1 - tau) / (1 + tau), and log1p(e) = 2 atanh(s) with s = e / (2 + e) = (1 - tau) / (3 + tau) in [0, 1/3], by its
     * series to s^15. {@code scratch} holds at least n floats (overwritten).
     */
    public static void softplus(float[] a, int n, float[] scratch) {
        float[] s = scratch;
        for (int i = 0; i < n; i++) s[i] = tanhOf(0.5f * Math.abs(a[i]));
        for (int i = 0; i < n; i++) s[i] = (1 - s[i]) / (3 + s[i]);
        for (int i = 0; i < n; i++) a[i] = Math.max(a[i], 0f) + atanh2(s[i]);
    }

    /**
     * softplus as {@link #softplus(float[], int, float[])} (the same values), and derivative[i] = softplus'(a[i]) =
     * sigmoid(a[i]) = (1 + tanh(a[i] / 2)) / 2 from the tanh that softplus computes anyway (tanh is odd, so
     * tanh(|a| / 2) is its absolute value): a backward pass then multiplies by it instead of evaluating tanh again
     * ({@link #softplusBack}), which was 2.5 % of a dead-leaves training step (one thread, 2026-12-06). Absolute error
     * of the derivative below 2e-7. Two passes, the second doing the rest: C2 still vectorises it, and it took 0.75 of
     * the time of softplus's three passes plus the derivative's (microbenchmark on 262,144 values, 2026-12-06).
     */
    public static void softplusWithDerivative(float[] a, int n, float[] derivative) {
        float[] t = derivative;
        for (int i = 0; i < n; i++) t[i] = tanhOf(0.5f * a[i]);
        for (int i = 0; i < n; i++) {
            float tau = Math.abs(t[i]), s = (1 - tau) / (3 + tau);
            a[i] = Math.max(a[i], 0f) + atanh2(s);
            t[i] = 0.5f + 0.5f * t[i];
        }
    }

    /**
     * y[i] = silu(a[i]) = a[i] sigmoid(a[i]) and derivative[i] = silu'(a[i]) = sigmoid(a[i]) (1 + a[i] (1 - sigmoid(a[i])))
     * for i below n, sigmoid through the same tanh as {@link #sigmoid}: the backward pass multiplies by the kept
     * derivative, as {@link #softplusWithDerivative} lets it. y may be a (in place); derivative must be neither.
     */
    public static void siluWithDerivative(float[] a, float[] y, int n, float[] derivative) {
        for (int i = 0; i < n; i++) {
            float x = a[i], s = 0.5f + 0.5f * tanhOf(0.5f * x);
            y[i] = x * s;
            derivative[i] = s * (1 + x * (1 - s));
        }
    }

    /** 1.5 * 2^52: (u + R) - R rounds u to the nearest integer for |u| below 2^51 with + and - alone, which C2 vectorises. */
    private static final double ROUND = 6755399441055744.0;
    private static final double S1 = 6.283185272447948, S3 = -41.34169703819963, S5 = 81.60502363802438, S7 = -76.70153767012218,
            S9 = 42.016075761073466, S11 = -14.86832274887635, S13 = 3.1993388406149106;
    private static final double C0 = 0.999999999885553, C2 = -19.73920874345388, C4 = 64.93938907589234, C6 = -85.45665831478507,
            C8 = 60.24213133826147, C10 = -26.40466818697729, C12 = 7.800131436642197, C14 = -1.4531123149275318;

    /**
     * sin[i] = sin(2 pi u[i]) and cos[i] = cos(2 pi u[i]) for i below n, u in cycles with |u| below 2^51 (beyond, a
     * double holds no fraction of a cycle); u is overwritten with its reduction u - rint(u), and {@code scratch}
     * (length n) holds each polynomial before its rounding to float. Absolute error below 2e-9 before that rounding.
     * Separate passes because C2 vectorises neither a long loop body nor a polynomial rounded to float in one loop
     * (measured on 160k angles: 0.25 ms for the sine so, 0.07 ms in two passes).
     */
    public static void sinCos2Pi(double[] u, double[] scratch, float[] sin, float[] cos, int n) {
        for (int i = 0; i < n; i++) u[i] -= (u[i] + ROUND) - ROUND;
        for (int i = 0; i < n; i++) {
            double x = u[i], s = x * x;
            scratch[i] = x * (S1 + s * (S3 + s * (S5 + s * (S7 + s * (S9 + s * (S11 + s * S13))))));
        }
        for (int i = 0; i < n; i++) sin[i] = (float) scratch[i];
        for (int i = 0; i < n; i++) {
            double s = u[i] * u[i];
            scratch[i] = C0 + s * (C2 + s * (C4 + s * (C6 + s * (C8 + s * (C10 + s * (C12 + s * C14))))));
        }
        for (int i = 0; i < n; i++) cos[i] = (float) scratch[i];
    }

    /** 2 atanh(s) for s in [0, 1/3]: 2 s (1 + s^2/3 + s^4/5 + ... + s^14/15), truncation below 2e-9. */
    private static float atanh2(float s) {
        float s2 = s * s;
        float l = 1f / 15;
        l = l * s2 + 1f / 13;
        l = l * s2 + 1f / 11;
        l = l * s2 + 1f / 9;
        l = l * s2 + 1f / 7;
        l = l * s2 + 1f / 5;
        l = l * s2 + 1f / 3;
        l = l * s2 + 1f;
        return 2 * s * l;
    }

    /**
     * upstream[i] *= softplus'(a) = sigmoid(a) = 1 - exp(-y) given y[i] = softplus(a) >= 0, as 2 tau / (1 + tau) with
     * tau = tanh(y / 2), which keeps the relative accuracy of small y.
     */
    public static void softplusBack(float[] y, float[] upstream, int n) {
        for (int i = 0; i < n; i++) {
            float tau = tanhOf(0.5f * y[i]);
            upstream[i] *= 2 * tau / (1 + tau);
        }
    }
}
