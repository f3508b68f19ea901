package org.dpm4j.experiments;

import org.dpm4j.util.Check;

/**
 * One measured quantity of a run: its name (K, K - L_null, Eq. 9, ceiling, L_null, Parzen, a baseline's K, ...), value,
 * standard error (NaN when it has none) and unit, stated in full ("bits/point", "bits/seq", "bits/pixel").
 */
public record Metric(String name, double value, double standardError, String unit) {
    public Metric {
        if (name == null || name.isBlank()) throw Check.bad("name", name, "a metric name such as K");
        if (unit == null || unit.isBlank()) throw Check.bad("unit", unit, "a unit such as bits/point");
        if (!(Double.isNaN(standardError) || standardError >= 0)) throw Check.bad("standardError", standardError, "a number >= 0, or NaN for none");
    }

    public static Metric of(String name, double value, String unit) { return new Metric(name, value, Double.NaN, unit); }

    @Override public String toString() {
        return Double.isNaN(standardError) ? String.format(java.util.Locale.ROOT, "%s = %.4f %s", name, value, unit)
                : String.format(java.util.Locale.ROOT, "%s = %.4f +- %.4f %s", name, value, standardError, unit);
    }
}
