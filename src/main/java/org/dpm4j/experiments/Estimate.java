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

    /** Mean and standard error of the paired differences a[i] - b[i] (the same examples and draws in both). */
    public static Estimate ofDifference(double[] a, double[] b) {
        if (a.length != b.length) throw org.dpm4j.util.Check.bad("b.length", b.length, "a.length = " + a.length);
        double[] d = new double[a.length];
        for (int i = 0; i < d.length; i++) d[i] = a[i] - b[i];
        return of(d);
    }

    /** The estimate in other units: both numbers times factor (e.g. 1 / ln 2 for nats to bits). */
    public Estimate times(double factor) { return new Estimate(mean * factor, standardError * Math.abs(factor)); }

    @Override public String toString() { return String.format("%.4f +- %.4f", mean, standardError); }
}
