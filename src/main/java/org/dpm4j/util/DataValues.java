package org.dpm4j.util;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The check on data where they enter the library (the bound, the likelihood, the samplers' observations, the
 * data-set scaling): every value finite and of magnitude at most {@link #MAX_MAGNITUDE}, the first offending entry
 * named by its row and column.
 */
public final class DataValues {
    /**
     * Largest accepted |value|. Why 1e100: the bound, Eq. 9 and the z-scoring square data values (x0^2, (x - mu)^2 /
     * variance) and sum the squares over examples and dimensions; a square of at most 1e200 leaves 10^108 of head room
     * below double's 1.8e308 for those sums, while 1e155 squared is already infinite. Data for diffusion are z-scored
     * to order 1, so no sensible data come near the limit.
     */
    public static final double MAX_MAGNITUDE = 1e100;

    private DataValues() {}

    /** x itself when every entry is finite with |x| <= {@link #MAX_MAGNITUDE}; otherwise names the first entry that is not. */
    public static INDArray bounded(String parameter, INDArray x) {
        if (x == null) throw Check.bad(parameter, null, "an array of data values");
        if (x.isEmpty()) return x;
        // two passes without a copy; the sum catches NaN, which a max may skip, and cannot overflow once amax passes
        if (x.amaxNumber().doubleValue() <= MAX_MAGNITUDE && Double.isFinite(x.sumNumber().doubleValue())) return x;
        double[] v = x.dup('c').data().asDouble();
        long columns = x.rank() == 2 ? x.size(1) : 0;
        for (int i = 0; i < v.length; i++) {
            if (!(Math.abs(v[i]) <= MAX_MAGNITUDE)) {
                String at = columns > 0 ? "[" + i / columns + ", " + i % columns + "]" : "[" + i + "] (row-major)";
                throw Check.bad(parameter + at, v[i], Double.isFinite(v[i])
                        ? "|value| <= " + MAX_MAGNITUDE + " (squares of larger values overflow double; z-score the data first)"
                        : "a finite number (no NaN or infinity in " + parameter + ")");
            }
        }
        return x;
    }
}
