package org.dpm4j.experiments;

import org.dpm4j.bound.BoundResult;
import org.dpm4j.bound.LikelihoodEstimate;
import org.dpm4j.bound.Per;
import org.dpm4j.notebook.Profile;
import org.dpm4j.results.ResultRow;

/**
 * An experiment's held-out measurements in its own unit: K (Eq. 14), the Eq. 9 log-likelihood and the ceiling on K,
 * all in bits per {@code per} (a 2-D point for the Swiss roll, a 20-bit sequence for the heartbeat).
 */
public record Evaluation(BoundResult bound, LikelihoodEstimate eq9, double ceilingBits, Per per) {
    public double kBits() { return bound.kBits(per); }

    public double kMinusLNullBits() { return bound.kMinusLNullBits(per); }

    public double lNullBits() { return bound.lNullBits(per); }

    public double eq9Bits() { return eq9.meanBits(per); }

    /** Standard error of the Eq. 9 mean: over the examples and the importance sampling together. */
    public double eq9StandardErrorBits() {
        double data = eq9.dataStandardErrorNats(), mc = eq9.monteCarloErrorNats();
        return per.of(Math.sqrt(data * data + mc * mc) / Math.log(2), bound.dimensions());
    }

    /**
     * The measurements as named metrics in {@code unit}: K (Eq. 14) with its standard error over the held-out examples,
     * K - L_null, L_null, the Eq. 9 log-likelihood with its standard error, and the ceiling on K.
     */
    public java.util.List<Metric> metrics(String unit) {
        return java.util.List.of(new Metric("K", kBits(), bound.kStandardErrorBits(per), unit),
                Metric.of("K - L_null", kMinusLNullBits(), unit), Metric.of("L_null", lNullBits(), unit),
                new Metric("Eq. 9", eq9Bits(), eq9StandardErrorBits(), unit), Metric.of("ceiling", ceilingBits, unit));
    }

    /** The Table 1 row of these measurements, with the settings and seed that produced them. */
    public ResultRow row(String dataset, String units, Profile profile, long seed, String configuration,
                         java.time.Duration wall) {
        return new ResultRow(dataset, kBits(), kMinusLNullBits(), eq9Bits(), eq9StandardErrorBits(), ceilingBits,
                units, profile.id(), seed, configuration, wall.toMillis() / 1000.0, java.time.Instant.now());
    }
}
