package org.dpm4j.results;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.dpm4j.util.Check;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/**
 * The run log results/runs.csv: one line per finished experiment, appended, never rewritten, so every number in
 * Table 1 can be traced to the run (profile, seed, configuration) that produced it.
 */
public final class ResultsFile {
    public static final String FILE_NAME = "runs.csv";
    static final String[] COLUMNS = {"dataset", "k", "k_minus_l_null", "eq9", "eq9_se", "ceiling", "units",
            "profile", "seed", "configuration", "wall_seconds", "finished"};
    private static final ColumnType[] TYPES = {ColumnType.STRING, ColumnType.DOUBLE, ColumnType.DOUBLE,
            ColumnType.DOUBLE, ColumnType.DOUBLE, ColumnType.DOUBLE, ColumnType.STRING, ColumnType.STRING,
            ColumnType.LONG, ColumnType.STRING, ColumnType.DOUBLE, ColumnType.STRING};

    private ResultsFile() {}

    /** Appends the row to dir/runs.csv (creating the directory and the header if needed); returns the file. */
    public static synchronized Path append(Path dir, ResultRow r) {
        Path file = dir.resolve(FILE_NAME);
        try {
            Files.createDirectories(dir);
            StringBuilder line = new StringBuilder();
            if (!Files.exists(file)) line.append(String.join(",", COLUMNS)).append('\n');
            line.append(String.join(",", quote(r.dataset()), num(r.k()), num(r.kMinusLNull()), num(r.eq9()),
                    num(r.eq9StandardError()), num(r.ceiling()), quote(r.units()), quote(r.profile()),
                    Long.toString(r.seed()), quote(r.configuration()), num(r.wallSeconds()),
                    r.finished().toString())).append('\n');
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }

    /** Every row of dir/runs.csv, oldest first; empty if there is no such file. */
    public static List<ResultRow> read(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        List<ResultRow> rows = new ArrayList<>();
        if (!Files.exists(file)) return rows;
        Table t;
        try {
            t = Table.read().usingOptions(CsvReadOptions.builder(file.toFile()).columnTypes(TYPES)
                    .missingValueIndicator("NaN").build());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("results file " + file + " is not a dpm4j run log with columns "
                    + String.join(",", COLUMNS) + ": " + e.getMessage(), e);
        }
        if (t.columnCount() != COLUMNS.length) throw Check.bad(file + " columns", t.columnCount(), COLUMNS.length + "");
        for (Row row : t) {
            rows.add(new ResultRow(row.getString(0), row.getDouble(1), row.getDouble(2), nan(row, 3), nan(row, 4),
                    nan(row, 5), row.getString(6), row.getString(7), row.getLong(8), row.getString(9),
                    row.getDouble(10), Instant.parse(row.getString(11))));
        }
        return rows;
    }

    private static double nan(Row row, int column) {
        return row.getDouble(column);   // Tablesaw stores a missing double as NaN
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.6g", v);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\"", "\"\"").replace('\n', ' ') + "\"";
    }
}
