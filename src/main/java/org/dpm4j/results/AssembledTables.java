package org.dpm4j.results;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.dpm4j.util.Check;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvWriteOptions;

/**
 * The paper's Table 1 and Table 2 assembled from the run log for one profile (default standard), each measured row
 * beside the paper's value: one row per data set (Table 1) or per data set and model (Table 2), from the latest run
 * of that profile only, so quick rows from tests never mix into a standard table. Each row carries K, K - L_null,
 * Eq. 9, the ceiling and the oracle K where known, the gap to the paper in bits, the baselines measured on the same
 * data, seed, profile, code version, wall time and the command line that reruns it; stand-in data are labelled.
 * What the paper reports and the log does not hold is listed in {@link #missing}.
 *
 * @param profile the profile the rows come from
 * @param table1  Table 1 as measured
 * @param table2  Table 2 as measured
 * @param missing the paper's rows with no run of this profile in the log
 */
public record AssembledTables(String profile, Table table1, Table table2, List<String> missing) {
    public static final String DEFAULT_PROFILE = "standard";
    private static final String ORACLE_MODEL = "oracle";

    /** The tables for these rows and profile. */
    public static AssembledTables assemble(List<ResultRow> rows, String profile) {
        if (profile == null || profile.isBlank()) throw Check.bad("profile", profile, "quick, standard or paper");
        List<Run> runs = Run.group(rows).stream().filter(r -> r.profile().equals(profile)).toList();
        List<String> missing = new ArrayList<>();
        Table t1 = table1(runs, missing, profile);
        Table t2 = table2(runs, missing, profile);
        return new AssembledTables(profile, t1, t2, List.copyOf(missing));
    }

    /** Reads the run log in dir and writes dir/table1.md, table1.csv, table2.md and table2.csv for the profile. */
    public static AssembledTables write(Path dir, String profile) {
        AssembledTables t = assemble(RunLog.open(dir).rows(), profile);
        try {
            for (int i = 1; i <= 2; i++) {
                Table table = i == 1 ? t.table1 : t.table2;
                table.write().usingOptions(CsvWriteOptions.builder(dir.resolve("table" + i + ".csv").toFile()).build());
                StringBuilder md = new StringBuilder("# ").append(table.name()).append("\n\n")
                        .append(Markdown.of(table)).append("\n");
                String prefix = "Table " + i;
                List<String> miss = t.missing.stream().filter(m -> m.startsWith(prefix)).toList();
                if (!miss.isEmpty()) md.append("Not in the run log (profile ").append(profile).append("): ")
                        .append(String.join("; ", miss)).append(".\n");
                Files.writeString(dir.resolve("table" + i + ".md"), md.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write Tables 1 and 2 into " + dir, e);
        }
        return t;
    }

    /** {@code java -cp 'lib/*' org.dpm4j.results.AssembledTables [--profile P] [--results DIR]}: writes the four files. */
    public static void main(String[] args) {
        String profile = DEFAULT_PROFILE;
        Path dir = Path.of("results");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--profile") && i + 1 < args.length) profile = args[++i];
            else if (args[i].equals("--results") && i + 1 < args.length) dir = Path.of(args[++i]);
            else throw Check.bad("argument", args[i], "--profile P or --results DIR");
        }
        AssembledTables t = write(dir, profile);
        System.out.println(Markdown.of(t.table1()));
        System.out.println(Markdown.of(t.table2()));
        t.missing().forEach(m -> System.out.println("missing: " + m));
        System.out.println("wrote " + dir.resolve("table1.md") + ", table1.csv, table2.md, table2.csv (profile " + profile + ")");
    }

    private static Table table1(List<Run> runs, List<String> missing, String profile) {
        Table t = Table.create("Table 1",
                StringColumn.create("Dataset"), StringColumn.create("Experiment"),
                DoubleColumn.create("K"), DoubleColumn.create("K s.e."), DoubleColumn.create("K (paper)"),
                DoubleColumn.create("K - paper (bits)"), DoubleColumn.create("K - L_null"), DoubleColumn.create("K - L_null (paper)"),
                DoubleColumn.create("Eq. 9"), DoubleColumn.create("Eq. 9 s.e."), DoubleColumn.create("Ceiling"),
                DoubleColumn.create("Oracle K"), StringColumn.create("Baselines"), StringColumn.create("Units"),
                StringColumn.create("Seed"), StringColumn.create("Profile"), StringColumn.create("Code"),
                DoubleColumn.create("Wall (s)"), StringColumn.create("Rerun"));
        for (String dataset : PaperTables.table1Datasets()) {
            List<Run> candidates = runs.stream().filter(r -> r.dataset().equals(dataset) && r.model().equals(Table1.MODEL)
                    && r.row(Metric.K).isPresent() && !r.ablationArm()).toList();
            if (candidates.isEmpty()) {
                missing.add("Table 1: " + dataset);
                continue;
            }
            for (Run r : Run.latest(candidates, Run::datasetLabel)) {
                ResultRow k = r.row(Metric.K).orElseThrow();
                double paperK = paper(r, Metric.K);
                t.stringColumn("Dataset").append(r.datasetLabel());
                t.stringColumn("Experiment").append(r.experiment());
                t.doubleColumn("K").append(k.value());
                Table1.appendOrMissing(t.doubleColumn("K s.e."), k.standardError());
                Table1.appendOrMissing(t.doubleColumn("K (paper)"), paperK);
                Table1.appendOrMissing(t.doubleColumn("K - paper (bits)"), k.value() - paperK);
                Table1.appendOrMissing(t.doubleColumn("K - L_null"), r.value(Metric.K_MINUS_L_NULL));
                Table1.appendOrMissing(t.doubleColumn("K - L_null (paper)"), paper(r, Metric.K_MINUS_L_NULL));
                Table1.appendOrMissing(t.doubleColumn("Eq. 9"), r.value(Metric.EQ9));
                Table1.appendOrMissing(t.doubleColumn("Eq. 9 s.e."), r.standardError(Metric.EQ9));
                Table1.appendOrMissing(t.doubleColumn("Ceiling"), r.value(Metric.CEILING));
                Table1.appendOrMissing(t.doubleColumn("Oracle K"), oracleK(runs, r));
                t.stringColumn("Baselines").append(baselines(runs, r));
                t.stringColumn("Units").append(k.unit());
                appendProvenance(t, r);
            }
        }
        t.setName("Table 1: lower bound K on held-out data (profile " + profile + ")");
        return t;
    }

    private static Table table2(List<Run> runs, List<String> missing, String profile) {
        Table t = Table.create("Table 2",
                StringColumn.create("Dataset"), StringColumn.create("Model"), StringColumn.create("Metric"),
                DoubleColumn.create("Value"), DoubleColumn.create("s.e."), DoubleColumn.create("Paper"),
                DoubleColumn.create("Paper +-"), DoubleColumn.create("Value - paper (bits)"), StringColumn.create("Units"),
                StringColumn.create("Experiment"), StringColumn.create("Seed"), StringColumn.create("Profile"),
                StringColumn.create("Code"), DoubleColumn.create("Wall (s)"), StringColumn.create("Rerun"));
        for (PaperValue p : PaperTables.table(2)) {
            List<Run> candidates = runs.stream().filter(r -> r.dataset().equals(p.dataset()) && r.model().equals(p.model())
                    && r.row(p.metric()).map(x -> x.unit().equals(p.unit())).orElse(false) && !r.ablationArm()).toList();
            if (candidates.isEmpty()) {
                missing.add("Table 2: " + p.dataset() + ", " + p.model() + ", " + p.metric());
                continue;
            }
            for (Run r : Run.latest(candidates, Run::datasetLabel)) {
                ResultRow v = r.row(p.metric()).orElseThrow();
                t.stringColumn("Dataset").append(r.datasetLabel());
                t.stringColumn("Model").append(p.model());
                t.stringColumn("Metric").append(p.metric());
                t.doubleColumn("Value").append(v.value());
                Table1.appendOrMissing(t.doubleColumn("s.e."), v.standardError());
                t.doubleColumn("Paper").append(p.value());
                Table1.appendOrMissing(t.doubleColumn("Paper +-"), p.plusMinus());
                t.doubleColumn("Value - paper (bits)").append(v.value() - p.value());
                t.stringColumn("Units").append(v.unit());
                t.stringColumn("Experiment").append(r.experiment());
                appendProvenance(t, r);
            }
        }
        t.setName("Table 2: dead leaves and MNIST against other models (profile " + profile + ")");
        return t;
    }

    private static void appendProvenance(Table t, Run r) {
        t.stringColumn("Seed").append(Long.toString(r.seed()));
        t.stringColumn("Profile").append(r.profile());
        t.stringColumn("Code").append(Table1.shortCommit(r.codeVersion()));
        t.doubleColumn("Wall (s)").append(r.wallSeconds());
        t.stringColumn("Rerun").append(rerun(r));
    }

    /**
     * The command that reruns a row: the experiment in the row's profile from its seed. It reproduces the row where
     * the run used the profile's settings (the rows of the experiment notebooks and of {@code Main run} without
     * changes); the run's full configuration is in the run log beside it.
     */
    public static String rerun(Run r) {
        return "java -cp 'lib/*' org.dpm4j.cli.Main run " + r.experiment() + " --profile " + r.profile() + " --seed " + r.seed();
    }

    /** The latest oracle K of the same experiment, profile and seed whose settings match the run's (NaN if none). */
    private static double oracleK(List<Run> runs, Run r) {
        Optional<Run> o = Run.latest(runs.stream().filter(x -> x.model().equals(ORACLE_MODEL) && x.experiment().equals(r.experiment())
                && x.seed() == r.seed() && sameSchedule(x, r)).toList(), x -> "").stream().findFirst();
        return o.map(x -> x.value(Metric.K)).orElse(Double.NaN);
    }

    private static boolean sameSchedule(Run a, Run b) {
        for (String f : List.of("T", "schedule.name", "schedule.parameters", "covariance")) {
            if (!java.util.Objects.equals(a.configuration().get(f), b.configuration().get(f))) return false;
        }
        return true;
    }

    /** Other models' latest values on the same data set (e.g. MCGSM, Parzen), as "model metric = value unit; ...". */
    private static String baselines(List<Run> runs, Run r) {
        List<Run> others = runs.stream().filter(x -> x.dataset().equals(r.dataset()) && !x.model().equals(r.model())
                && !x.model().equals(ORACLE_MODEL)).toList();
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (Run o : Run.latest(others, Run::model)) {
            for (ResultRow row : o.rows()) out.add(String.format(Locale.ROOT, "%s %s = %.3f %s", o.model(), row.metric(), row.value(), row.unit()));
        }
        return String.join("; ", out);
    }

    private static double paper(Run r, String metric) {
        return r.row(metric).flatMap(ResultRow::paper).map(PaperValue::value).orElse(Double.NaN);
    }

    /**
     * A bar chart of a table: the measured value of each row beside the paper's (and, for Table 1, the ceiling where
     * there is one). Rows of different units share the axis, so read each pair, not across rows.
     */
    public static BufferedImage chart(Table t, String valueColumn, String paperColumn, String labelColumn, String ceilingColumn) {
        CategoryChart c = new CategoryChartBuilder().width(720).height(420).title(t.name()).yAxisTitle("bits (per row's unit)").build();
        c.getStyler().setXAxisLabelRotation(30);
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < t.rowCount(); i++) {
            String label = t.stringColumn(labelColumn).get(i);
            if (t.columnNames().contains("Model")) label += " " + t.stringColumn("Model").get(i);
            labels.add(label + " [" + t.stringColumn("Units").get(i) + "]");
        }
        if (labels.isEmpty()) {
            c.setTitle(t.name() + ": no rows of this profile in the run log");
            c.addSeries("measured", List.of("(none)"), List.of(0.0));
            return BitmapEncoder.getBufferedImage(c);
        }
        c.addSeries("measured", labels, values(t, valueColumn));
        c.addSeries("paper", labels, values(t, paperColumn));
        if (ceilingColumn != null && t.columnNames().contains(ceilingColumn)) c.addSeries("ceiling", labels, values(t, ceilingColumn));
        return BitmapEncoder.getBufferedImage(c);
    }

    /** Table 1's chart: K measured, the paper's K and the ceiling, per data set. */
    public BufferedImage chart1() { return chart(table1, "K", "K (paper)", "Dataset", "Ceiling"); }

    /** Table 2's chart: each model's value beside the paper's. */
    public BufferedImage chart2() { return chart(table2, "Value", "Paper", "Dataset", null); }

    private static List<Double> values(Table t, String column) {
        DoubleColumn c = t.doubleColumn(column);
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < t.rowCount(); i++) out.add(c.isMissing(i) ? 0.0 : c.get(i));   // a missing bar is drawn at 0
        return out;
    }
}
