package org.dpm4j.results;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvWriteOptions;

/**
 * Table 1 as measured here: for each of Table 1's data sets and each profile, the latest diffusion run that measured
 * K, its values beside the paper's ({@link PaperTables}). K and the Eq. 9 log-likelihood are on held-out data, in
 * the row's unit. Runs on other data sets or with other models are left to {@link Comparison}.
 */
public final class Table1 {
    static final List<String> PROFILE_ORDER = List.of("quick", "standard", "paper");
    /** The model name Table 1's rows are measured with. */
    public static final String MODEL = "diffusion";

    private Table1() {}

    /** The table for these rows: one row per (data set, stand-in, profile), the latest run winning; Table 1's order. */
    public static Table assemble(List<ResultRow> rows) {
        List<String> datasets = PaperTables.table1Datasets();
        List<Run> candidates = Run.group(rows).stream()
                .filter(r -> datasets.contains(r.dataset()) && r.model().equals(MODEL) && r.row(Metric.K).isPresent() && !r.ablationArm())
                .toList();
        List<Run> runs = Run.latest(candidates, r -> List.of(r.datasetLabel(), r.profile())).stream()
                .sorted(Comparator.comparing((Run r) -> datasets.indexOf(r.dataset()))
                        .thenComparing(Run::datasetLabel)
                        .thenComparing(r -> profileRank(r.profile())))
                .toList();
        Table t = Table.create("Table 1: lower bound K on held-out log-likelihood",
                StringColumn.create("Dataset"), StringColumn.create("Profile"),
                DoubleColumn.create("K"), DoubleColumn.create("K (paper)"),
                DoubleColumn.create("K - L_null"), DoubleColumn.create("K - L_null (paper)"),
                DoubleColumn.create("Eq. 9 log-likelihood"), DoubleColumn.create("Eq. 9 s.e."),
                DoubleColumn.create("Ceiling"), StringColumn.create("Units"),
                StringColumn.create("Seed"), DoubleColumn.create("Wall time (s)"), StringColumn.create("Code"),
                StringColumn.create("Configuration"));
        for (Run r : runs) {
            ResultRow k = r.row(Metric.K).orElseThrow();
            t.stringColumn(0).append(r.datasetLabel());
            t.stringColumn(1).append(r.profile());
            t.doubleColumn(2).append(k.value());
            appendOrMissing(t.doubleColumn(3), paper(r, Metric.K));
            appendOrMissing(t.doubleColumn(4), r.value(Metric.K_MINUS_L_NULL));
            appendOrMissing(t.doubleColumn(5), paper(r, Metric.K_MINUS_L_NULL));
            appendOrMissing(t.doubleColumn(6), r.value(Metric.EQ9));
            appendOrMissing(t.doubleColumn(7), r.standardError(Metric.EQ9));
            appendOrMissing(t.doubleColumn(8), r.value(Metric.CEILING));
            t.stringColumn(9).append(k.unit());
            t.stringColumn(10).append(Long.toString(r.seed()));
            t.doubleColumn(11).append(r.wallSeconds());
            t.stringColumn(12).append(shortCommit(r.codeVersion()));
            t.stringColumn(13).append(Configuration.compact(r.configuration()));
        }
        return t;
    }

    /**
     * Reads the run log in dir and writes dir/table1-latest.csv and .md (the latest run of every Table 1 data set in
     * every profile; {@link AssembledTables} writes the curated table1.md of one profile); returns the table.
     */
    public static Table write(Path dir) {
        Table t = assemble(RunLog.open(dir).rows());
        try {
            t.write().usingOptions(CsvWriteOptions.builder(dir.resolve("table1-latest.csv").toFile()).build());
            Files.writeString(dir.resolve("table1-latest.md"), Markdown.of(t));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write Table 1 into " + dir, e);
        }
        return t;
    }

    /** The paper's value of a metric for the run's data set, when the run's unit is the paper's; NaN otherwise. */
    private static double paper(Run r, String metric) {
        return r.row(metric).flatMap(ResultRow::paper).map(PaperValue::value).orElse(Double.NaN);
    }

    static int profileRank(String profile) {
        int i = PROFILE_ORDER.indexOf(profile);
        return i < 0 ? PROFILE_ORDER.size() : i;
    }

    static String shortCommit(String codeVersion) {
        return codeVersion.length() > 10 && !codeVersion.equals(CodeVersion.UNKNOWN) ? codeVersion.substring(0, 10) : codeVersion;
    }

    static void appendOrMissing(DoubleColumn c, double v) {
        if (Double.isNaN(v)) c.appendMissing();
        else c.append(v);
    }
}
