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
 * Every metric of the latest run of each (experiment, data set, model, profile), with the paper's value beside it
 * where Table 1 or Table 2 prints one ({@link PaperTables}) and blank where it does not (a baseline, an ablation arm,
 * a metric the paper does not report). This is where a Parzen, ELBO or ablation row is read.
 */
public final class Comparison {
    private Comparison() {}

    /** One line per metric of each latest run, ordered by experiment, data set, model (ignoring case), profile. */
    public static Table assemble(List<ResultRow> rows) {
        List<Run> runs = Run.latest(Run.group(rows),
                        r -> List.of(r.experiment(), r.datasetLabel(), r.model(), r.profile())).stream()
                .sorted(Comparator.comparing(Run::experiment, String.CASE_INSENSITIVE_ORDER)
                        .thenComparing(Run::datasetLabel, String.CASE_INSENSITIVE_ORDER)
                        .thenComparing(Run::model, String.CASE_INSENSITIVE_ORDER)
                        .thenComparing(r -> Table1.profileRank(r.profile())))
                .toList();
        StringColumn experiment = StringColumn.create("Experiment"), dataset = StringColumn.create("Dataset"),
                model = StringColumn.create("Model"), profile = StringColumn.create("Profile"),
                metric = StringColumn.create("Metric"), unit = StringColumn.create("Unit"),
                paperTable = StringColumn.create("Paper table"), seed = StringColumn.create("Seed"),
                code = StringColumn.create("Code"), finished = StringColumn.create("Finished");
        DoubleColumn value = DoubleColumn.create("Value"), se = DoubleColumn.create("s.e."),
                paper = DoubleColumn.create("Paper"), paperPm = DoubleColumn.create("Paper +-"),
                wall = DoubleColumn.create("Wall (s)"), cpu = DoubleColumn.create("CPU (s)");
        for (Run run : runs) {
            for (ResultRow r : run.rows()) {
                experiment.append(r.experiment());
                dataset.append(r.datasetLabel());
                model.append(r.model());
                profile.append(r.profile());
                metric.append(r.metric());
                value.append(r.value());
                Table1.appendOrMissing(se, r.standardError());
                var p = r.paper();
                Table1.appendOrMissing(paper, p.map(PaperValue::value).orElse(Double.NaN));
                Table1.appendOrMissing(paperPm, p.map(PaperValue::plusMinus).orElse(Double.NaN));
                paperTable.append(p.map(v -> "Table " + v.table()).orElse(""));
                unit.append(r.unit());
                seed.append(Long.toString(r.seed()));
                code.append(Table1.shortCommit(r.codeVersion()));
                wall.append(r.wallSeconds());
                Table1.appendOrMissing(cpu, r.cpuSeconds());
                finished.append(r.finished().toString());
            }
        }
        return Table.create("Results: latest run of each experiment, data set, model and profile", experiment,
                dataset, model, profile, metric, value, se, paper, paperPm, paperTable, unit, seed, code, wall, cpu,
                finished);
    }

    /** Reads the run log in dir and writes dir/results.csv and dir/results.md; returns the table. */
    public static Table write(Path dir) {
        Table t = assemble(RunLog.open(dir).rows());
        try {
            t.write().usingOptions(CsvWriteOptions.builder(dir.resolve("results.csv").toFile()).build());
            Files.writeString(dir.resolve("results.md"), Markdown.of(t));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the results table into " + dir, e);
        }
        return t;
    }
}
