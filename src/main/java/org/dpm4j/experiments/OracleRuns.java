package org.dpm4j.experiments;

import org.dpm4j.results.Elapsed;
import org.dpm4j.results.Metric;
import org.dpm4j.results.Run;

/** The run of an oracle's K ({@link OracleK}): one shape for every experiment's oracle. */
final class OracleRuns {
    private OracleRuns() {}

    /**
     * A run of model {@link OracleK#MODEL}: K with its standard error, the ceiling, and the series K per example and
     * bound lost per step, all in {@code unit}; the settings and seed as provenance.
     */
    static Run run(String experiment, String dataset, String unit, Profile profile, long seed, Record settings,
                   double k, double standardError, double ceiling, double[] kPerExample, double[] lostPerStep,
                   Elapsed elapsed) {
        Run.Builder b = Run.builder(experiment, dataset, OracleK.MODEL).profile(profile.id()).seed(seed)
                .configuration(settings).elapsed(elapsed)
                .metric(Metric.K, k, standardError, unit)
                .series(Run.BOUND_LOST_PER_STEP, lostPerStep);
        if (Double.isFinite(ceiling)) b.metric(Metric.CEILING, ceiling, unit);
        if (kPerExample != null) b.series(Run.K_PER_EXAMPLE, kPerExample);
        return b.build();
    }
}
