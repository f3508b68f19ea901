package org.dpm4j.results;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import org.dpm4j.util.Check;

/**
 * The rows one run produced, one per metric, sharing the run's identity and provenance (experiment, data set, model,
 * profile, seed, configuration, code version, times). Built with {@link #builder}, appended with
 * {@link RunLog#append(Run)}.
 *
 * <p>A run may also keep named series of numbers behind its metrics ({@link #series(String)}): K of each held-out
 * example ({@link #K_PER_EXAMPLE}), so two runs on the same held-out data and evaluation noise can be compared paired
 * (the difference of per-example K and its standard error), and the bound lost at each step t
 * ({@link #BOUND_LOST_PER_STEP}). They are kept in the run log beside the rows ({@link RunLog#series(String)}).
 *
 * @param rows   one row per metric
 * @param series named series in the metrics' units (may be empty), each a non-empty list of finite numbers
 */
public record Run(List<ResultRow> rows, Map<String, List<Double>> series) {
    /** K (Eq. 14) of each held-out example, in the K row's unit, in the held-out set's order. */
    public static final String K_PER_EXAMPLE = "K per example";
    /** E_q KL_t, the bound lost at step t = 1..T (index t-1; entry 0 is 0), in the K row's unit. */
    public static final String BOUND_LOST_PER_STEP = "bound lost per step";
    /** beta_1..beta_T of the schedule the run ended with (a learned schedule's). */
    public static final String BETAS = "beta_t";

    /** A run with no series. */
    public Run(List<ResultRow> rows) { this(rows, Map.of()); }

    public Run {
        if (series == null) throw Check.bad("series", null, "a map of name -> values (may be empty)");
        Map<String, List<Double>> s = new LinkedHashMap<>();
        for (Map.Entry<String, List<Double>> e : series.entrySet()) {
            if (e.getKey() == null || e.getKey().isBlank()) throw Check.bad("series name", e.getKey(), "a name such as " + K_PER_EXAMPLE);
            if (e.getValue() == null || e.getValue().isEmpty()) throw Check.bad("series " + e.getKey(), e.getValue(), "at least one value");
            for (Double v : e.getValue()) {
                if (v == null || !Double.isFinite(v)) throw Check.bad("series " + e.getKey() + " value", v, "a finite number");
            }
            s.put(e.getKey(), List.copyOf(e.getValue()));
        }
        series = Collections.unmodifiableMap(s);
        if (rows == null || rows.isEmpty()) throw Check.bad("rows", rows, "at least one result row");
        rows = List.copyOf(rows);
        ResultRow first = rows.get(0);
        List<String> metrics = new ArrayList<>();
        for (ResultRow r : rows) {
            if (!sameRun(first, r)) {
                throw Check.bad("rows", r.runId() + "/" + r.metric(), "rows sharing run " + first.runId()
                        + "'s identity and provenance (experiment, data set, model, profile, seed, configuration, "
                        + "code version, times)");
            }
            if (metrics.contains(r.metric())) throw Check.bad("metric", r.metric(), "each metric once per run");
            metrics.add(r.metric());
        }
    }

    public String runId() { return rows.get(0).runId(); }
    public String experiment() { return rows.get(0).experiment(); }
    public String dataset() { return rows.get(0).dataset(); }
    public String datasetLabel() { return rows.get(0).datasetLabel(); }
    public String model() { return rows.get(0).model(); }
    public String profile() { return rows.get(0).profile(); }
    public long seed() { return rows.get(0).seed(); }
    public SortedMap<String, String> configuration() { return rows.get(0).configuration(); }
    public String codeVersion() { return rows.get(0).codeVersion(); }
    public Instant finished() { return rows.get(0).finished(); }
    public double wallSeconds() { return rows.get(0).wallSeconds(); }
    public double cpuSeconds() { return rows.get(0).cpuSeconds(); }

    /** A named series as an array, if the run kept it. */
    public Optional<double[]> series(String name) {
        List<Double> v = series.get(name);
        return v == null ? Optional.empty() : Optional.of(v.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The same run with these series added (replacing any of the same name). */
    public Run withSeries(Map<String, List<Double>> more) {
        Map<String, List<Double>> s = new LinkedHashMap<>(series);
        s.putAll(more);
        return new Run(rows, s);
    }

    /**
     * The configuration field an ablation adds to each arm's run: the assembled tables show an experiment's own runs,
     * never an arm trained on another budget, schedule or T (the arms' oracle K still serve as the rows' oracles).
     */
    public static final String ABLATION_ARM = "ablationArm";

    /** Whether an ablation produced this run ({@link #ABLATION_ARM} in its configuration). */
    public boolean ablationArm() { return configuration().containsKey(ABLATION_ARM); }

    /**
     * The same run (same identifier and provenance) with one more configuration field on every row, e.g. the budget
     * an ablation gave it; a field the run already has is refused (it would rewrite what produced the rows).
     */
    public Run withConfiguration(String field, String value) {
        if (configuration().containsKey(field)) throw Check.bad("field", field, "a configuration field the run does not have");
        List<ResultRow> out = new ArrayList<>();
        for (ResultRow r : rows) {
            TreeMap<String, String> c = new TreeMap<>(r.configuration());
            c.put(field, value);
            out.add(new ResultRow(r.runId(), r.experiment(), r.dataset(), r.standIn(), r.model(), r.metric(), r.value(),
                    r.standardError(), r.unit(), r.profile(), r.seed(), c, r.codeVersion(), r.wallSeconds(),
                    r.cpuSeconds(), r.finished()));
        }
        return new Run(out, series);
    }

    /** The metric names in the order they were measured. */
    public List<String> metrics() { return rows.stream().map(ResultRow::metric).toList(); }

    /** The row of one metric, if the run measured it. */
    public Optional<ResultRow> row(String metric) {
        return rows.stream().filter(r -> r.metric().equals(metric)).findFirst();
    }

    /** The value of one metric; NaN if the run did not measure it. */
    public double value(String metric) {
        return row(metric).map(ResultRow::value).orElse(Double.NaN);
    }

    /** The standard error of one metric; NaN if it has none or the run did not measure it. */
    public double standardError(String metric) {
        return row(metric).map(ResultRow::standardError).orElse(Double.NaN);
    }

    /**
     * The run in a few lines for a terminal or a notebook: what ran (experiment, data set, model, profile, seed, code,
     * times), then each metric as {@code name = value +- s.e. unit}.
     */
    public String summary() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "%s on %s, model %s, profile %s, seed %d, code %s, %.1f s wall, %.1f s CPU, finished %s%n",
                experiment(), datasetLabel(), model(), profile(), seed(), codeVersion(), wallSeconds(), cpuSeconds(),
                finished()));
        for (ResultRow r : rows) {
            sb.append(String.format(Locale.ROOT, "  %s = %.4f%s %s%n", r.metric(), r.value(),
                    Double.isNaN(r.standardError()) ? "" : String.format(Locale.ROOT, " +- %.4f", r.standardError()),
                    r.unit()));
        }
        return sb.toString();
    }

    /** Rows gathered into runs by runId, each run's rows in the given order, runs in order of first appearance. */
    public static List<Run> group(List<ResultRow> rows) {
        Map<String, List<ResultRow>> byRun = new LinkedHashMap<>();
        for (ResultRow r : rows) byRun.computeIfAbsent(r.runId(), k -> new ArrayList<>()).add(r);
        return byRun.values().stream().map(Run::new).toList();
    }

    /**
     * The latest run for each key (e.g. experiment and profile), by finish time; a tie goes to the run that comes
     * later in {@code runs} (for the run log: appended later). Returned in order of each key's first appearance.
     */
    public static <K> List<Run> latest(List<Run> runs, Function<Run, K> key) {
        Map<K, Run> latest = new LinkedHashMap<>();
        for (Run r : runs) latest.merge(key.apply(r), r, (old, now) -> now.finished().isBefore(old.finished()) ? old : now);
        return List.copyOf(latest.values());
    }

    /** Orders runs by finish time, oldest first (stable: equal times keep their order). */
    public static Comparator<Run> byFinished() {
        return Comparator.comparing(Run::finished);
    }

    private static boolean sameRun(ResultRow a, ResultRow b) {
        return a.runId().equals(b.runId()) && a.experiment().equals(b.experiment()) && a.dataset().equals(b.dataset())
                && a.standIn() == b.standIn() && a.model().equals(b.model()) && a.profile().equals(b.profile())
                && a.seed() == b.seed() && a.configuration().equals(b.configuration())
                && a.codeVersion().equals(b.codeVersion()) && Double.compare(a.wallSeconds(), b.wallSeconds()) == 0
                && Double.compare(a.cpuSeconds(), b.cpuSeconds()) == 0 && a.finished().equals(b.finished());
    }

    /** A builder for the run of an experiment on a data set with a model; see {@link Builder}. */
    public static Builder builder(String experiment, String dataset, String model) {
        return new Builder(experiment, dataset, model);
    }

    /**
     * Collects a run's provenance and metrics, then {@link #build()}s its rows. Profile, seed, elapsed time and at
     * least one metric are required; the rest defaults to no configuration fields, code version
     * {@link CodeVersion#current()}, finished now and a fresh run identifier.
     */
    public static final class Builder {
        private final String experiment, dataset, model;
        private boolean standIn;
        private String profile;
        private Long seed;
        private final TreeMap<String, String> configuration = new TreeMap<>();
        private final List<Measured> metrics = new ArrayList<>();
        private Elapsed elapsed;
        private String codeVersion;
        private Instant finished;
        private String runId;
        private final Map<String, List<Double>> series = new LinkedHashMap<>();

        private Builder(String experiment, String dataset, String model) {
            this.experiment = experiment;
            this.dataset = dataset;
            this.model = model;
        }

        /** Marks the data as a stand-in that only imitates the named data set. */
        public Builder standIn(boolean standIn) { this.standIn = standIn; return this; }

        public Builder profile(String profile) { this.profile = profile; return this; }

        public Builder seed(long seed) { this.seed = seed; return this; }

        /** Adds a configuration record's components ({@link Configuration#of(Record)}). */
        public Builder configuration(Record config) { configuration.putAll(Configuration.of(config)); return this; }

        /** Adds configuration fields. */
        public Builder configuration(Map<String, String> config) { configuration.putAll(Configuration.copy(config)); return this; }

        /** Adds one configuration field. */
        public Builder configuration(String field, Object value) {
            configuration.putAll(Configuration.copy(Map.of(field, String.valueOf(value))));
            return this;
        }

        /** Adds a metric with its standard error (NaN if none), in {@code unit}. */
        public Builder metric(String metric, double value, double standardError, String unit) {
            metrics.add(new Measured(metric, value, standardError, unit));
            return this;
        }

        /** Adds a metric with no standard error. */
        public Builder metric(String metric, double value, String unit) {
            return metric(metric, value, Double.NaN, unit);
        }

        /** Keeps a named series (e.g. {@link Run#K_PER_EXAMPLE}) with the run. */
        public Builder series(String name, double[] values) {
            if (values == null) throw Check.bad("series " + name, null, "an array of values");
            series.put(name, java.util.Arrays.stream(values).boxed().toList());
            return this;
        }

        public Builder elapsed(Elapsed elapsed) { this.elapsed = elapsed; return this; }

        public Builder codeVersion(String codeVersion) { this.codeVersion = codeVersion; return this; }

        public Builder finished(Instant finished) { this.finished = finished; return this; }

        /** Fixes the run identifier (the log's importer uses this to recognise a run it already holds). */
        public Builder runId(String runId) { this.runId = runId; return this; }

        /** The run's rows, one per metric in the order added; every field validated, naming the bad one. */
        public Run build() {
            if (profile == null) throw Check.bad("profile", null, "the profile the run used (quick, standard or paper)");
            if (seed == null) throw Check.bad("seed", null, "the root seed of the run");
            if (elapsed == null) throw Check.bad("elapsed", null, "the run's wall and CPU time (RunClock.elapsed())");
            if (metrics.isEmpty()) throw Check.bad("metrics", "(none)", "at least one metric");
            // a random identifier on purpose: it names a run, it does not feed any computation
            String id = runId != null ? runId : UUID.randomUUID().toString();
            String code = codeVersion != null ? codeVersion : CodeVersion.current();
            Instant when = finished != null ? finished : Instant.now();
            List<ResultRow> rows = new ArrayList<>();
            for (Measured m : metrics) {
                rows.add(new ResultRow(id, experiment, dataset, standIn, model, m.metric(), m.value(),
                        m.standardError(), m.unit(), profile, seed, configuration, code, elapsed.wallSeconds(),
                        elapsed.cpuSeconds(), when));
            }
            return new Run(rows, series);
        }

        private record Measured(String metric, double value, double standardError, String unit) {}
    }
}
