package org.dpm4j.results;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.dpm4j.util.Check;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/**
 * The paper's Table 1 (lower bound K and K - L_null on held-out data) and Table 2 (dead leaves against MCGSM; MNIST
 * Parzen-window log-likelihoods), as data: the resource {@code paper-tables.csv} beside this class, the one place the
 * paper's numbers live in dpm4j. Units are spelled per example (the paper prints "bits" for the Swiss roll and for
 * MNIST; here bits/point and bits/image) so a measured row meets its paper value only when the units agree.
 */
public final class PaperTables {
    public static final String RESOURCE = "paper-tables.csv";
    private static final List<PaperValue> VALUES = load();

    private PaperTables() {}

    /** Every value of Table 1 and Table 2, in the paper's row order. */
    public static List<PaperValue> all() {
        return VALUES;
    }

    /** The values of one table (1 or 2). */
    public static List<PaperValue> table(int table) {
        if (table != 1 && table != 2) throw Check.bad("table", table, "1 or 2");
        return VALUES.stream().filter(v -> v.table() == table).toList();
    }

    /** Table 1's data sets in the paper's order. */
    public static List<String> table1Datasets() {
        return List.copyOf(new LinkedHashSet<>(table(1).stream().map(PaperValue::dataset).toList()));
    }

    /** The paper's value of one metric, if printed; a data set's Table 1 and Table 2 entries agree (checked in tests). */
    public static Optional<PaperValue> counterpart(String dataset, String model, String metric, String unit) {
        return VALUES.stream().filter(v -> v.dataset().equals(dataset) && v.model().equals(model)
                && v.metric().equals(metric) && v.unit().equals(unit)).findFirst();
    }

    /** The paper's Table 1 value of a metric (K or K - L_null) for one of its data sets; throws for any other. */
    public static PaperValue table1(String dataset, String metric) {
        return table(1).stream().filter(v -> v.dataset().equals(dataset) && v.metric().equals(metric)).findFirst()
                .orElseThrow(() -> Check.bad("dataset/metric", dataset + "/" + metric, "one of Table 1's data sets "
                        + table1Datasets() + " with " + Metric.K + " or " + Metric.K_MINUS_L_NULL));
    }

    private static List<PaperValue> load() {
        ColumnType[] types = {ColumnType.INTEGER, ColumnType.STRING, ColumnType.STRING, ColumnType.STRING,
                ColumnType.DOUBLE, ColumnType.DOUBLE, ColumnType.STRING, ColumnType.STRING};
        try (InputStream in = PaperTables.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("resource " + RESOURCE + " missing beside " + PaperTables.class);
            Table t = Table.read().usingOptions(CsvReadOptions.builder(in).columnTypes(types).build());
            List<PaperValue> out = new ArrayList<>();
            for (Row r : t) {
                // Tablesaw reads an empty cell as missing: NaN for the +-, "" for the note
                out.add(new PaperValue(r.getInt("table"), r.getString("dataset"), r.getString("model"),
                        r.getString("metric"), r.getDouble("value"), r.getDouble("plus_minus"), r.getString("unit"),
                        r.getString("note")));
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
