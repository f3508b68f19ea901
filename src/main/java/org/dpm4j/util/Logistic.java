package org.dpm4j.util;

/** The logistic function and its inverse, on doubles, stable in both tails. */
public final class Logistic {
    private Logistic() {}

    /** sigmoid(a) = 1 / (1 + e^-a), without overflow for large |a|. */
    public static double sigmoid(double a) { return a >= 0 ? 1 / (1 + Math.exp(-a)) : Math.exp(a) / (1 + Math.exp(a)); }

    /** logit(p) = log(p / (1 - p)); logit(1) = +infinity, whose sigmoid is 1 (a step that forgets everything). */
    public static double logit(double p) { return Math.log(p / (1 - p)); }
}
