package org.dpm4j.results;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import tech.tablesaw.io.csv.CsvWriteOptions;

/**
 * Table 1 as measured here: the latest run for each (data set, profile), each measured value beside the paper's.
 * K and the Eq. 9 log-likelihood are on held-out data, in the row's units.
 */
public final class Table1 {
    private static final List<String> PROFILE_ORDER = List.of("quick", "standard", "paper");

    private Table1() {}

    /** The table for these runs: one row per (data set, profile), the latest run winning; Table 1's order. */
    public static Table assemble(List<ResultRow> runs) {
        Map<String, ResultRow> latest = new LinkedHashMap<>();
        runs.stream().sorted(Comparator.comparing(ResultRow::finished))
                .forEach(r -> latest.put(r.dataset() + "\u0000" + r.profile(), r));
        List<ResultRow> rows = latest.values().stream()
                .sorted(Comparator.comparing((ResultRow r) -> r.paper().ordinal())
                        .thenComparing(r -> profileRank(r.profile())))
                .toList();
        Table t = Table.create("Table 1: lower bound K on held-out log-likelihood",
                StringColumn.create("Dataset"), StringColumn.create("Profile"),
                DoubleColumn.create("K"), DoubleColumn.create("K (paper)"),
                DoubleColumn.create("K - L_null"), DoubleColumn.create("K - L_null (paper)"),
                DoubleColumn.create("Eq. 9 log-likelihood"), DoubleColumn.create("Eq. 9 s.e."),
                DoubleColumn.create("Ceiling"), StringColumn.create("Units"),
                StringColumn.create("Seed"), DoubleColumn.create("Wall time (s)"), StringColumn.create("Configuration"));
        for (ResultRow r : rows) {
            t.stringColumn(0).append(r.dataset());
            t.stringColumn(1).append(r.profile());
            t.doubleColumn(2).append(r.k());
            t.doubleColumn(3).append(r.paper().k());
            t.doubleColumn(4).append(r.kMinusLNull());
            t.doubleColumn(5).append(r.paper().kMinusLNull());
            appendOrMissing(t.doubleColumn(6), r.eq9());
            appendOrMissing(t.doubleColumn(7), r.eq9StandardError());
            appendOrMissing(t.doubleColumn(8), r.ceiling());
            t.stringColumn(9).append(r.units());
            t.stringColumn(10).append(Long.toString(r.seed()));
            t.doubleColumn(11).append(r.wallSeconds());
            t.stringColumn(12).append(r.configuration());
        }
        return t;
    }

    /** Reads dir/runs.csv and writes dir/table1.csv and dir/table1.md; returns the table. */
    public static Table write(Path dir) {
        Table t = assemble(ResultsFile.read(dir));
        try {
            Files.createDirectories(dir);
            t.write().usingOptions(CsvWriteOptions.builder(dir.resolve("table1.csv").toFile()).build());
            Files.writeString(dir.resolve("table1.md"), markdown(t));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write Table 1 into " + dir, e);
        }
        return t;
    }

    /** The table as GitHub markdown, numbers to 3 decimals, missing values blank. */
    public static String markdown(Table t) {
        StringBuilder sb = new StringBuilder("| ");
        sb.append(String.join(" | ", t.columnNames())).append(" |\n|");
        sb.append(" --- |".repeat(t.columnCount())).append('\n');
        for (int i = 0; i < t.rowCount(); i++) {
            sb.append("| ");
            for (int j = 0; j < t.columnCount(); j++) {
                Column<?> c = t.column(j);
                String cell = c.isMissing(i) ? ""
                        : c instanceof DoubleColumn d ? String.format(Locale.ROOT, "%.3f", d.getDouble(i))
                        : c.getString(i).replace("|", "\\|");
                sb.append(cell).append(j + 1 < t.columnCount() ? " | " : " |\n");
            }
        }
        return sb.toString();
    }

    private static int profileRank(String profile) {
        int i = PROFILE_ORDER.indexOf(profile);
        return i < 0 ? PROFILE_ORDER.size() : i;
    }

    private static void appendOrMissing(DoubleColumn c, double v) {
        if (Double.isNaN(v)) c.appendMissing();
        else c.append(v);
    }
}
