package org.dpm4j.util;

import java.util.Arrays;

/**
 * Argument checks whose messages name the parameter, the value received and what was expected,
 * so a user who passes a bad schedule, shape or time step learns what to change.
 */
public final class Check {
    private Check() {}

    public static IllegalArgumentException bad(String parameter, Object value, String expected) {
        return new IllegalArgumentException(
                parameter + " = " + render(value) + ", expected " + expected);
    }

    public static int positive(String parameter, int value) {
        if (value < 1) throw bad(parameter, value, "an integer >= 1");
        return value;
    }

    public static int inRange(String parameter, int value, int lo, int hi) {
        if (value < lo || value > hi) throw bad(parameter, value, "an integer in [" + lo + ", " + hi + "]");
        return value;
    }

    public static double finite(String parameter, double value) {
        if (!Double.isFinite(value)) throw bad(parameter, value, "a finite number");
        return value;
    }

    public static double openUnit(String parameter, double value) {
        if (!(value > 0 && value < 1)) throw bad(parameter, value, "a number in the open interval (0, 1)");
        return value;
    }

    public static double positive(String parameter, double value) {
        if (!(value > 0) || !Double.isFinite(value)) throw bad(parameter, value, "a finite number > 0");
        return value;
    }

    /** Every entry finite; names the first offending index. */
    public static double[] allFinite(String parameter, double[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw bad(parameter + "[" + i + "]", values[i], "a finite number (no NaN or infinity in " + parameter + ")");
            }
        }
        return values;
    }

    private static String render(Object value) {
        if (value instanceof long[] a) return Arrays.toString(a);
        if (value instanceof int[] a) return Arrays.toString(a);
        if (value instanceof double[] a) return a.length <= 8 ? Arrays.toString(a) : "double[" + a.length + "]";
        return String.valueOf(value);
    }
}
