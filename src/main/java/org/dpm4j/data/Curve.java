package org.dpm4j.data;

/**
 * A noise-free data set on a plane curve: x = c(s) with the parameter s uniform on [sMin, sMax].
 * Enough to compute the likelihood ceiling of {@link BlurCeiling} as an integral along the curve.
 */
public interface Curve {
    double sMin();

    double sMax();

    /** The point c(s), in data units (after any scaling the data set applies). */
    double[] point(double s);

    /** |dc/ds|, in data units per unit of s. */
    double speed(double s);
}
