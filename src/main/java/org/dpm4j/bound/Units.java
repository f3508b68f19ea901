package org.dpm4j.bound;

import org.dpm4j.util.Check;

/**
 * Unit conversions that are easy to get wrong when comparing with published numbers.
 * The paper reports log-likelihoods (higher is better) in bits on z-scored data; later papers report negative
 * log-likelihoods (lower is better) in bits per dimension on the 8-bit scale.
 */
public final class Units {
    private Units() {}

    public static final double LN2 = Math.log(2);

    public static double natsToBits(double nats) { return nats / LN2; }

    public static double bitsToNats(double bits) { return bits * LN2; }

    /**
     * L_null for unit-variance data under pi = N(0, I): -(d/2) log(2 pi e), in nats for d dimensions.
     * Per dimension that is -2.047 bits (paper Table 1: Swiss roll -4.094 bits for d = 2).
     */
    public static double gaussianUnitVarianceLNullNats(int d) {
        Check.positive("d", d);
        return -0.5 * d * Math.log(2 * Math.PI * Math.E);
    }

    /**
     * Converts a log-likelihood on z-scored data to a negative log-likelihood on the 8-bit scale (the "bits/dim" of
     * DDPM and later), for z = (x - mean) / std with x = pixel / 255 and dequantisation noise filling one 8-bit bin:
     * one bin is 1/(255 std) wide in z, so P(bin) ~ p(z) / (255 std) and NLL = -logLik + log2(255 std) per dimension.
     * (org.dpm4j.data.Scaling#nllBitsPerDim does the same from K per pixel and also handles narrower noise.)
     *
     * @param logLikelihoodBitsPerDimension log p(z) in bits per dimension (divide a per-pixel value by the channels)
     * @param std                           the standard deviation used for z-scoring, on the [0, 1] scale
     * @return NLL in bits per dimension on the 8-bit scale (lower is better)
     */
    public static double zScoredLogLikelihoodToNllBitsPerDimension8Bit(double logLikelihoodBitsPerDimension, double std) {
        Check.finite("logLikelihoodBitsPerDimension", logLikelihoodBitsPerDimension);
        Check.positive("std", std);
        return -logLikelihoodBitsPerDimension + Math.log(255 * std) / LN2;
    }

    /** The inverse of {@link #zScoredLogLikelihoodToNllBitsPerDimension8Bit}. */
    public static double nllBitsPerDimension8BitToZScoredLogLikelihood(double nllBitsPerDimension, double std) {
        Check.finite("nllBitsPerDimension", nllBitsPerDimension);
        Check.positive("std", std);
        return -nllBitsPerDimension + Math.log(255 * std) / LN2;
    }
}
