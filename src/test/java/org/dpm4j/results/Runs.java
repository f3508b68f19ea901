package org.dpm4j.results;

import java.time.Instant;
import java.util.Map;

/** Runs to test with: a Swiss-roll-like run whose values follow from k, and a bare builder. */
final class Runs {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private Runs() {}

    /** A diffusion run on a data set with K = k, K - L_null = k + 4.094, Eq. 9 with a standard error, a ceiling. */
    static Run table1(String experiment, String dataset, String unit, String profile, double k, Instant finished) {
        return Run.builder(experiment, dataset, "diffusion").profile(profile).seed(42)
                .configuration(Map.of("T", "40", "beta1", "1.0E-5", "note", "quotes \" and, commas"))
                .codeVersion("0123456789abcdef0123456789abcdef01234567").elapsed(new Elapsed(12.5, 20.25))
                .finished(finished)
                .metric(Metric.K, k, 0.03, unit)
                .metric(Metric.K_MINUS_L_NULL, k + 4.094, unit)
                .metric(Metric.EQ9, k + 0.2, 0.09, unit)
                .metric(Metric.CEILING, 2.6, unit)
                .build();
    }

    static Run swissRoll(String profile, double k, Instant finished) {
        return table1("swiss-roll", "Swiss roll", "bits/point", profile, k, finished);
    }
}
