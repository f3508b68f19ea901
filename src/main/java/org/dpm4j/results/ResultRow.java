package org.dpm4j.results;

import java.time.Instant;
import org.dpm4j.util.Check;

/**
 * One measured Table 1 row with its provenance: the data set, the held-out bound K (Eq. 14), K - L_null, the
 * Eq. 9 importance-sampled log-likelihood with its standard error, the ceiling K cannot exceed, all in {@code units}
 * (bits per example: per 2-D point for the Swiss roll, per sequence for the heartbeat); and the profile, seed,
 * configuration and wall time that produced them. NaN marks a quantity that was not measured.
 */
public record ResultRow(
        String dataset,
        double k,
        double kMinusLNull,
        double eq9,
        double eq9StandardError,
        double ceiling,
        String units,
        String profile,
        long seed,
        String configuration,
        double wallSeconds,
        Instant finished) {

    public ResultRow {
        PaperTable1.of(dataset);
        Check.finite("k", k);
        Check.finite("kMinusLNull", kMinusLNull);
        if (units == null || units.isBlank()) throw Check.bad("units", units, "a unit such as bits or bits/seq");
        if (profile == null || profile.isBlank()) throw Check.bad("profile", profile, "quick, standard or paper");
        if (configuration == null) throw Check.bad("configuration", null, "a description of the settings");
        if (!(wallSeconds >= 0)) throw Check.bad("wallSeconds", wallSeconds, "a time >= 0");
        if (finished == null) throw Check.bad("finished", null, "the time the run finished");
    }

    /** L_null = K - (K - L_null), in {@code units}. */
    public double lNull() { return k - kMinusLNull; }

    /** The paper's row for this data set. */
    public PaperTable1 paper() { return PaperTable1.of(dataset); }
}
