package org.dpm4j.ablation;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.dpm4j.experiments.Estimate;
import org.dpm4j.plot.Plots;
import org.dpm4j.results.Markdown;
import org.dpm4j.results.Metric;
import org.dpm4j.results.Run;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.util.Check;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvWriteOptions;

/**
 * What an ablation measured: one {@link ArmResult} per arm, as a table ({@link #table}), paired comparisons against a
 * baseline arm ({@link #compare}), the ranking of schedules by oracle K ({@link #oracleRanking}), and plots. All
 * values in the experiment's unit (e.g. bits per point).
 */
public record AblationResult(Ablation ablation, List<ArmResult> arms, double processCpuSeconds) {
    public AblationResult {
        arms = List.copyOf(arms);
        if (arms.isEmpty()) throw Check.bad("arms", arms, "at least one arm");
        if (!(processCpuSeconds >= 0) && !Double.isNaN(processCpuSeconds)) {
            throw Check.bad("processCpuSeconds", processCpuSeconds, "at least 0 (NaN when the JVM cannot measure it)");
        }
    }

    /**
     * The CPU seconds of the arms run now, each counted on its own thread (the table's "CPU s"); never more than
     * {@link #processCpuSeconds}, the whole JVM's CPU time over the same run, whose remainder is the garbage
     * collector, the JIT compiler and any thread an arm's native code started outside its own thread.
     */
    public double armCpuSeconds() {
        return arms.stream().filter(a -> !a.reused()).mapToDouble(a -> a.run().cpuSeconds()).sum();
    }

    /** One line: the arms' own CPU seconds against the process's, so a reader sees what the "CPU s" column leaves out. */
    public String cpuAccounting() {
        double own = armCpuSeconds();
        return String.format(java.util.Locale.ROOT, "CPU: the arms run now used %.1f s on their own threads; the JVM used "
                + "%.1f s over the same run (%.0f%% on the arms; the rest is GC, JIT and other threads)", own,
                processCpuSeconds, 100 * own / processCpuSeconds);
    }

    /** The unit of K (the first arm's). */
    public String unit() { return arms.get(0).unit(); }

    /** The result of one arm by its label ({@link Arm#label}). */
    public ArmResult arm(String label) {
        return arms.stream().filter(a -> a.arm().label().equals(label)).findFirst()
                .orElseThrow(() -> Check.bad("arm", label, "one of " + arms.stream().map(a -> a.arm().label()).toList()));
    }

    /** The oracle arm of the same schedule, T and seed as this arm (for a learned arm: of the schedule it started from). */
    public Optional<ArmResult> oracleOf(Arm arm) {
        return arms.stream().filter(o -> o.arm().kind() == Arm.Kind.ORACLE && o.arm().schedule().equals(arm.schedule())
                && o.arm().T() == arm.T() && o.arm().seed() == arm.seed()).findFirst();
    }

    /**
     * One row per arm: arm, kind, schedule, T, seed, K and its standard error, K - L_null, the Eq. 9 log-likelihood
     * (when the ablation asks for it), steps, the arm's CPU seconds (its own thread's), the oracle K of its schedule
     * and the gap K - oracle K, and whether the run was found in the log rather than run now.
     */
    public Table table() {
        StringColumn arm = StringColumn.create("arm"), kind = StringColumn.create("kind"), schedule = StringColumn.create("schedule");
        IntColumn T = IntColumn.create("T"), steps = IntColumn.create("steps");
        LongColumn seed = LongColumn.create("seed");
        DoubleColumn k = DoubleColumn.create("K"), kse = DoubleColumn.create("K s.e."), knull = DoubleColumn.create("K - L_null"),
                eq9 = DoubleColumn.create("Eq. 9"), eq9se = DoubleColumn.create("Eq. 9 s.e."), cpu = DoubleColumn.create("CPU s"),
                oracle = DoubleColumn.create("oracle K"), oracleSe = DoubleColumn.create("oracle s.e."),
                gap = DoubleColumn.create("K - oracle K");
        BooleanColumn reused = BooleanColumn.create("from log");
        for (ArmResult a : arms) {
            arm.append(a.arm().label());
            kind.append(a.arm().kind().id());
            schedule.append(a.arm().scheduleLabel());
            T.append(a.arm().T());
            seed.append(a.arm().seed());
            k.append(a.k());
            orMissing(kse, a.kStandardError());
            orMissing(knull, a.run().value(Metric.K_MINUS_L_NULL));
            orMissing(eq9, a.run().value(Metric.EQ9));
            orMissing(eq9se, a.run().standardError(Metric.EQ9));
            steps.append(a.steps());
            orMissing(cpu, a.run().cpuSeconds());
            Optional<ArmResult> o = a.arm().kind() == Arm.Kind.ORACLE ? Optional.empty() : oracleOf(a.arm());
            orMissing(oracle, o.map(ArmResult::k).orElse(a.arm().kind() == Arm.Kind.ORACLE ? a.k() : Double.NaN));
            orMissing(oracleSe, o.map(ArmResult::kStandardError).orElse(a.arm().kind() == Arm.Kind.ORACLE ? a.kStandardError() : Double.NaN));
            orMissing(gap, o.map(x -> a.k() - x.k()).orElse(Double.NaN));
            reused.append(a.reused());
        }
        Table t = Table.create("Schedule ablation: " + ablation.experiment() + ", profile " + ablation.profile() + ", K in " + unit(),
                arm, kind, schedule, T, seed, k, kse, knull);
        if (ablation.eq9()) t.addColumns(eq9, eq9se);
        t.addColumns(steps, cpu, oracle, oracleSe, gap, reused);
        return t;
    }

    /**
     * Each arm against the baseline arm: the difference of K (arm - baseline) and its standard error. Where both runs
     * kept K per held-out example on the same examples (same seed, so the same held-out data and evaluation noise) the
     * difference is paired, mean and standard error of the per-example differences, which is far tighter than the
     * two standard errors combined; otherwise (e.g. the Swiss roll's oracle, which draws its own points) the two are
     * taken as independent, sqrt(se_a^2 + se_b^2).
     */
    public Table compare(String baselineLabel) {
        ArmResult base = arm(baselineLabel);
        StringColumn arm = StringColumn.create("arm"), baseline = StringColumn.create("baseline");
        DoubleColumn diff = DoubleColumn.create("K - K(baseline)"), se = DoubleColumn.create("s.e."), z = DoubleColumn.create("z");
        IntColumn n = IntColumn.create("examples paired");
        BooleanColumn paired = BooleanColumn.create("paired");
        for (ArmResult a : arms) {
            if (a == base) continue;
            Estimate d = difference(a, base);
            boolean p = isPaired(a, base);
            arm.append(a.arm().label());
            baseline.append(baselineLabel);
            diff.append(d.mean());
            orMissing(se, d.standardError());
            orMissing(z, d.mean() / d.standardError());
            n.append(p ? a.run().series(Run.K_PER_EXAMPLE).orElseThrow().length : 0);
            paired.append(p);
        }
        return Table.create("Against " + baselineLabel + " (" + unit() + ")", arm, baseline, diff, se, z, paired, n);
    }

    /** Against the first arm. */
    public Table compare() { return compare(arms.get(0).arm().label()); }

    /** K(a) - K(b) with its standard error, paired where both kept K per example on the same held-out examples. */
    public static Estimate difference(ArmResult a, ArmResult b) {
        if (isPaired(a, b)) {
            return Estimate.ofDifference(a.run().series(Run.K_PER_EXAMPLE).orElseThrow(), b.run().series(Run.K_PER_EXAMPLE).orElseThrow());
        }
        return new Estimate(a.k() - b.k(), Math.hypot(a.kStandardError(), b.kStandardError()));
    }

    static boolean isPaired(ArmResult a, ArmResult b) {
        Optional<double[]> x = a.run().series(Run.K_PER_EXAMPLE), y = b.run().series(Run.K_PER_EXAMPLE);
        return a.arm().seed() == b.arm().seed() && x.isPresent() && y.isPresent() && x.get().length == y.get().length
                && sameHeldOut(a, b);
    }

    /** Both are evaluated on the held-out set (a trained arm, or an oracle that uses it), not on points of their own. */
    private static boolean sameHeldOut(ArmResult a, ArmResult b) {
        return usesHeldOut(a) == usesHeldOut(b);
    }

    /** The Swiss roll's oracle draws its own points (KernelCeiling); every other K is on the held-out set. */
    private static boolean usesHeldOut(ArmResult a) {
        return !(a.arm().kind() == Arm.Kind.ORACLE && a.run().experiment().equals("swiss-roll"));
    }

    /** The oracle arms ranked by K, best first (means over seeds, with their standard errors combined). */
    public Table oracleRanking() {
        Map<String, List<ArmResult>> by = new LinkedHashMap<>();
        for (ArmResult a : arms) if (a.arm().kind() == Arm.Kind.ORACLE) by.computeIfAbsent(a.arm().schedule() + " T=" + a.arm().T(), x -> new ArrayList<>()).add(a);
        StringColumn name = StringColumn.create("schedule"), from = StringColumn.create("family");
        IntColumn T = IntColumn.create("T");
        DoubleColumn k = DoubleColumn.create("oracle K"), se = DoubleColumn.create("s.e.");
        by.forEach((key, list) -> {
            Estimate e = mean(list);
            name.append(list.get(0).arm().schedule().toString());
            from.append(list.get(0).arm().schedule().name());
            T.append(list.get(0).arm().T());
            k.append(e.mean());
            orMissing(se, e.standardError());
        });
        Table t = Table.create("Schedules ranked by oracle K (" + unit() + ")", name, from, T, k, se);
        return t.sortDescendingOn("oracle K");
    }

    /** Mean K over arms (seeds) and the standard error of that mean (independent seeds). */
    private static Estimate mean(List<ArmResult> list) {
        double m = 0, v = 0;
        for (ArmResult a : list) {
            m += a.k() / list.size();
            v += a.kStandardError() * a.kStandardError() / ((double) list.size() * list.size());
        }
        return new Estimate(m, Math.sqrt(v));
    }

    /** The schedule an arm ended with: its learned betas for a learned arm, else the spec built at T. */
    public static BetaSchedule schedule(ArmResult a) {
        Optional<double[]> learned = a.run().series(Run.BETAS);
        return learned.map(b -> new BetaSchedule("learned", b)).orElseGet(() -> a.arm().schedule().build(a.arm().T()));
    }

    // --- plots -----------------------------------------------------------------------------------------------------

    /**
     * K per arm with +-1 standard error bars: bars grouped by T and seed, one colour per schedule (trained, learned,
     * oracle), so each group reads as the schedules compared under the same T and seed.
     */
    public BufferedImage plotK() {
        List<String> groups = new ArrayList<>();
        Map<String, Map<String, ArmResult>> bySeries = new LinkedHashMap<>();
        for (ArmResult a : arms) {
            String g = "T=" + a.arm().T() + " seed " + a.arm().seed();
            if (!groups.contains(g)) groups.add(g);
            bySeries.computeIfAbsent(a.arm().seriesLabel(), x -> new LinkedHashMap<>()).put(g, a);
        }
        // the legend beside the plot, and the chart tall enough for it: below the plot it squeezed the bars flat
        CategoryChart c = new CategoryChartBuilder().width(Plots.WIDTH + 420).height(Math.max(Plots.HEIGHT + 40, 24 * bySeries.size() + 120))
                .title("K per arm (+-1 s.e.)").xAxisTitle("T and seed").yAxisTitle("K (" + unit() + ")").build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        c.getStyler().setErrorBarsColor(java.awt.Color.BLACK);
        c.getStyler().setYAxisDecimalPattern("0.##");
        bySeries.forEach((name, byGroup) -> {
            List<Double> y = new ArrayList<>(), e = new ArrayList<>();
            for (String g : groups) {
                ArmResult a = byGroup.get(g);
                y.add(a == null ? 0.0 : a.k());   // every arm grid is complete; a gap would show as 0
                e.add(a == null || Double.isNaN(a.kStandardError()) ? 0.0 : a.kStandardError());
            }
            c.addSeries(name, groups, y, e);
        });
        return BitmapEncoder.getBufferedImage(c);
    }

    /** K against T per schedule (trained, learned and oracle series), means over seeds with +-1 s.e. bars. */
    public BufferedImage plotKAgainstT() {
        Map<String, TreeMap<Integer, List<ArmResult>>> series = new LinkedHashMap<>();
        for (ArmResult a : arms) series.computeIfAbsent(a.arm().seriesLabel(), s -> new TreeMap<>())
                .computeIfAbsent(a.arm().T(), t -> new ArrayList<>()).add(a);
        XYChart c = new XYChartBuilder().width(Plots.WIDTH + 320).height(Plots.HEIGHT + 40).title("K against T")
                .xAxisTitle("T").yAxisTitle("K (" + unit() + ")").build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        c.getStyler().setXAxisLogarithmic(ablation.tValues().size() > 2);
        c.getStyler().setErrorBarsColorSeriesColor(true);
        series.forEach((name, byT) -> {
            double[] t = byT.keySet().stream().mapToDouble(Integer::doubleValue).toArray();
            double[] y = new double[t.length], e = new double[t.length];
            int i = 0;
            for (List<ArmResult> l : byT.values()) {
                Estimate m = mean(l);
                y[i] = m.mean();
                e[i++] = Double.isNaN(m.standardError()) ? 0 : m.standardError();
            }
            var s = c.addSeries(name, t, y, e);
            if (name.endsWith("(oracle)")) s.setLineStyle(new java.awt.BasicStroke(1.5f, java.awt.BasicStroke.CAP_BUTT,
                    java.awt.BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        });
        return BitmapEncoder.getBufferedImage(c);
    }

    /** The bound lost at each step t = 2..T, E_q KL_t, per schedule at this T (the first seed), trained and oracle. */
    public BufferedImage plotBoundLostPerStep(int T) {
        XYChart c = new XYChartBuilder().width(Plots.WIDTH + 320).height(Plots.HEIGHT + 40).title("bound lost per step, T = " + T)
                .xAxisTitle("t").yAxisTitle("E_q KL_t (" + unit() + ")").build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        long seed = ablation.seeds().get(0);
        int added = 0;
        for (ArmResult a : arms) {
            if (a.arm().T() != T || a.arm().seed() != seed) continue;
            Optional<double[]> lost = a.run().series(Run.BOUND_LOST_PER_STEP);
            if (lost.isEmpty()) continue;
            double[] y = java.util.Arrays.copyOfRange(lost.get(), 1, lost.get().length);
            double[] t = IntStream.rangeClosed(2, lost.get().length).asDoubleStream().toArray();
            c.addSeries(a.arm().seriesLabel(), t, y).setMarker(SeriesMarkers.NONE);
            added++;
        }
        if (added == 0) throw Check.bad("T", T, "one of the ablation's T values " + ablation.tValues());
        return BitmapEncoder.getBufferedImage(c);
    }

    /** alphabar_t and log-SNR log(alphabar_t / (1 - alphabar_t)) against t per schedule at this T (learned: as learned). */
    public BufferedImage plotSchedules(int T) {
        Map<String, BetaSchedule> by = new LinkedHashMap<>();
        long seed = ablation.seeds().get(0);
        for (ArmResult a : arms) {
            if (a.arm().T() == T && a.arm().seed() == seed && a.arm().kind() != Arm.Kind.ORACLE) by.putIfAbsent(a.arm().seriesLabel(), schedule(a));
        }
        if (by.isEmpty()) for (Arm a : ablation.arms()) if (a.T() == T) by.putIfAbsent(a.schedule().name(), a.schedule().build(T));
        if (by.isEmpty()) throw Check.bad("T", T, "one of the ablation's T values " + ablation.tValues());
        double[] t = IntStream.rangeClosed(1, T).asDoubleStream().toArray();
        Map<String, double[]> ab = new LinkedHashMap<>(), snr = new LinkedHashMap<>();
        by.forEach((name, s) -> {
            ab.put(name, java.util.Arrays.copyOfRange(s.alphaBars(), 1, T + 1));
            snr.put(name, IntStream.rangeClosed(1, T).mapToDouble(i -> Math.log(s.snr(i))).toArray());
        });
        return Plots.sideBySide(Plots.line("alphabar_t, T = " + T, "t", "alphabar_t", t, ab, false),
                Plots.line("log-SNR, T = " + T, "t", "log(alphabar_t / (1 - alphabar_t))", t, snr, false));
    }

    /**
     * Writes the table and the comparison against the baseline as dir/ablation-NAME.csv (the table) and
     * dir/ablation-NAME.md (both, with the ablation's settings); returns the Markdown file.
     */
    public Path write(Path dir, String name, String baselineLabel) {
        if (name == null || !name.matches("[A-Za-z0-9._-]+")) throw Check.bad("name", name, "letters, digits, '.', '_' or '-'");
        try {
            Files.createDirectories(dir);
            table().write().usingOptions(CsvWriteOptions.builder(dir.resolve("ablation-" + name + ".csv").toFile()).build());
            StringBuilder md = new StringBuilder("# Schedule ablation: " + ablation.experiment() + "\n\n")
                    .append("Profile ").append(ablation.profile()).append(", budget ").append(ablation.budget())
                    .append(", seeds ").append(ablation.seeds()).append(", changes ").append(ablation.changes())
                    .append(". K in ").append(unit()).append("; CPU s is each arm's own thread.\n\n")
                    .append(Markdown.of(table())).append("\n");
            if (arms.size() > 1) md.append(Markdown.of(compare(baselineLabel))).append("\n");
            if (arms.stream().anyMatch(a -> a.arm().kind() == Arm.Kind.ORACLE)) md.append(Markdown.of(oracleRanking())).append("\n");
            Path out = dir.resolve("ablation-" + name + ".md");
            Files.writeString(out, md.toString());
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the ablation into " + dir, e);
        }
    }

    /** Arms sorted by K, best first (a view for reading). */
    public List<ArmResult> ranked() {
        return arms.stream().sorted(Comparator.comparingDouble(ArmResult::k).reversed()).toList();
    }

    private static void orMissing(DoubleColumn c, double v) {
        if (Double.isNaN(v)) c.appendMissing();
        else c.append(v);
    }
}
