package org.dpm4j.results;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.dpm4j.util.Check;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/**
 * Reads dpm4j's earlier run log {@code runs.csv} (one Table 1 line per run: data set, K, K - L_null, Eq. 9 and its
 * standard error, ceiling, units, profile, seed, a free-text configuration, wall seconds, finish time) as runs of the
 * present kind, so a log written before {@link RunLog} still counts. Each line becomes a run whose id is derived from
 * the line's content, so importing it twice adds nothing. A second header line (what two processes appending to a
 * fresh directory used to leave) is skipped.
 */
public final class LegacyRunsCsv {
    public static final String FILE_NAME = "runs.csv";
    static final List<String> COLUMNS = List.of("dataset", "k", "k_minus_l_null", "eq9", "eq9_se", "ceiling", "units",
            "profile", "seed", "configuration", "wall_seconds", "finished");
    /** The configuration field that holds the old log's free-text description of the settings. */
    public static final String DESCRIPTION = "description";

    private LegacyRunsCsv() {}

    /** The runs in an old runs.csv, oldest first; a malformed line is refused naming the file and line. */
    public static List<Run> read(Path csv) {
        ColumnType[] types = new ColumnType[COLUMNS.size()];
        java.util.Arrays.fill(types, ColumnType.STRING);
        Table t;
        try {
            t = Table.read().usingOptions(CsvReadOptions.builder(csv.toFile()).columnTypes(types).header(true)
                    .build());
        } catch (RuntimeException e) {
            throw Check.bad(csv.toString(), "(unreadable)", "dpm4j's old run log with columns " + COLUMNS + " (" + e.getMessage() + ")");
        }
        if (!t.columnNames().equals(COLUMNS)) throw Check.bad(csv + " columns", t.columnNames(), COLUMNS.toString());
        List<Run> runs = new ArrayList<>();
        for (Row r : t) {
            if (r.getString(0).equals(COLUMNS.get(0))) continue;   // a repeated header
            int line = r.getRowNumber() + 2;
            try {
                runs.add(run(r));
            } catch (RuntimeException e) {
                throw Check.bad(csv + " line " + line, "(malformed)", "a run of the old log (" + e.getMessage() + ")");
            }
        }
        return runs;
    }

    private static Run run(Row r) {
        String dataset = r.getString("dataset");
        String units = r.getString("units");
        // the old log wrote the Swiss roll's per-point unit as "bits", as the paper prints it
        String unit = dataset.equals("Swiss roll") && units.equals("bits") ? "bits/point" : units;
        String experiment = switch (dataset) {
            case "Swiss roll" -> "swiss-roll";
            case "Binary heartbeat" -> "heartbeat";
            default -> dataset.toLowerCase(Locale.ROOT).replace(' ', '-');
        };
        StringBuilder identity = new StringBuilder(FILE_NAME);
        for (int i = 0; i < COLUMNS.size(); i++) identity.append('\u0000').append(r.getString(i));
        Run.Builder b = Run.builder(experiment, dataset, "diffusion")
                .runId("runs.csv-" + UUID.nameUUIDFromBytes(identity.toString().getBytes(StandardCharsets.UTF_8)))
                .profile(r.getString("profile"))
                .seed(Long.parseLong(r.getString("seed")))
                .configuration(Map.of(DESCRIPTION, r.getString("configuration")))
                .codeVersion(CodeVersion.UNKNOWN)
                .elapsed(Elapsed.wall(number(r, "wall_seconds")))
                .finished(Instant.parse(r.getString("finished")))
                .metric(Metric.K, number(r, "k"), unit)
                .metric(Metric.K_MINUS_L_NULL, number(r, "k_minus_l_null"), unit);
        double eq9 = number(r, "eq9"), ceiling = number(r, "ceiling");
        if (!Double.isNaN(eq9)) b.metric(Metric.EQ9, eq9, number(r, "eq9_se"), unit);
        if (!Double.isNaN(ceiling)) b.metric(Metric.CEILING, ceiling, unit);
        return b.build();
    }

    private static double number(Row r, String column) {
        String s = r.getString(column);
        return s.isEmpty() || s.equals("NaN") ? Double.NaN : Double.parseDouble(s);
    }
}
