package org.dpm4j.experiments;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.dpm4j.notebook.Profile;
import org.dpm4j.util.Check;

/**
 * What one run of a registered {@link Experiment} measured, with everything needed to trace and rerun it: the
 * experiment, its data set (and whether that is a stand-in for the paper's data), the model, the metrics, the named
 * settings, profile and root seed, and its wall and CPU time.
 */
public record Outcome(String experiment, String dataset, boolean standIn, String model, List<Metric> metrics,
                      Map<String, String> settings, Profile profile, long seed, double wallSeconds, double cpuSeconds, Instant finished) {
    public Outcome {
        if (experiment == null || dataset == null || model == null) throw Check.bad("experiment/dataset/model", null, "names");
        metrics = List.copyOf(metrics);
        settings = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(settings));
        if (profile == null) throw Check.bad("profile", null, "quick, standard or paper");
        if (finished == null) throw Check.bad("finished", null, "the time the run finished");
    }

    /** The metric of that name; an error naming the metrics there are when there is none. */
    public Metric metric(String name) {
        for (Metric m : metrics) if (m.name().equals(name)) return m;
        throw Check.bad("metric", name, "one of " + metrics.stream().map(Metric::name).toList());
    }

    /** The command line that reruns this run. */
    public String commandLine() {
        StringBuilder b = new StringBuilder("java -cp 'lib/*' org.dpm4j.cli.Main run " + experiment + " --profile " + profile + " --seed " + seed);
        return b.toString();
    }

    @Override public String toString() {
        StringBuilder b = new StringBuilder(experiment + " (" + dataset + (standIn ? ", stand-in data" : "") + "), " + profile + ", seed " + seed + ":");
        for (Metric m : metrics) b.append("\n  ").append(m);
        return b.append(String.format(java.util.Locale.ROOT, "%n  %.0f s wall, %.0f s CPU", wallSeconds, cpuSeconds)).toString();
    }
}
