package org.dpm4j.results;

import java.time.Instant;
import java.util.Optional;
import java.util.SortedMap;
import org.dpm4j.util.Check;

/**
 * One measured number with its provenance: which run (runId), of which experiment, on which data set (standIn marks
 * data that only imitates the named set, e.g. a synthetic dead-leaves generator), with which model, which metric
 * ({@link Metric}), its value and standard error (NaN when none) in {@code unit} (e.g. bits/point, bits/seq,
 * bits/pixel), and the profile, seed, full configuration, code version, wall and CPU seconds and finish time of the
 * run. A run gives several rows, one per metric ({@link Run}); a row with no counterpart in the paper
 * ({@link PaperTables}) is an ordinary row.
 */
public record ResultRow(
        String runId,
        String experiment,
        String dataset,
        boolean standIn,
        String model,
        String metric,
        double value,
        double standardError,
        String unit,
        String profile,
        long seed,
        SortedMap<String, String> configuration,
        String codeVersion,
        double wallSeconds,
        double cpuSeconds,
        Instant finished) {

    public ResultRow {
        nonBlank("runId", runId, "a run identifier");
        nonBlank("experiment", experiment, "an experiment name such as swiss-roll");
        nonBlank("dataset", dataset, "a data set name such as Swiss roll");
        nonBlank("model", model, "a model name such as diffusion");
        nonBlank("metric", metric, "a metric name such as " + Metric.K);
        Check.finite("value", value);
        if (!Double.isNaN(standardError) && !(standardError >= 0 && Double.isFinite(standardError))) {
            throw Check.bad("standardError", standardError, "a finite number >= 0, or NaN when there is none");
        }
        nonBlank("unit", unit, "a unit such as bits/point, bits/seq or bits/pixel");
        nonBlank("profile", profile, "quick, standard or paper");
        configuration = Configuration.copy(configuration);
        nonBlank("codeVersion", codeVersion, "a git commit or " + CodeVersion.UNKNOWN);
        new Elapsed(wallSeconds, cpuSeconds);   // validates both, naming the field
        if (finished == null) throw Check.bad("finished", null, "the time the run finished");
    }

    /** The data set as tables print it: its name, marked "(stand-in)" when the data only imitates it. */
    public String datasetLabel() {
        return standIn ? dataset + " (stand-in)" : dataset;
    }

    /** The paper's value for the same data set, model, metric and unit, if the paper reports one. */
    public Optional<PaperValue> paper() {
        return PaperTables.counterpart(dataset, model, metric, unit);
    }

    /** The configuration as a JSON object (keys sorted). */
    public String configurationJson() {
        return Configuration.toJson(configuration);
    }

    private static void nonBlank(String parameter, String value, String expected) {
        if (value == null || value.isBlank()) throw Check.bad(parameter, value == null ? null : "\"" + value + "\"", expected);
    }
}
