package org.dpm4j.experiments;

/** A Monte-Carlo estimate: the sample mean and its standard error, in the units the producer states. */
public record Estimate(double mean, double standardError) {
    /** Mean and standard error of the mean of the values. */
    public static Estimate of(double[] values) {
        int n = values.length;
        double mean = 0;
        for (double v : values) mean += v / n;
        double ss = 0;
        for (double v : values) ss += (v - mean) * (v - mean);
        double sd = n > 1 ? Math.sqrt(ss / (n - 1)) : Double.NaN;
        return new Estimate(mean, sd / Math.sqrt(n));
    }

    @Override public String toString() { return String.format("%.4f +- %.4f", mean, standardError); }
}
