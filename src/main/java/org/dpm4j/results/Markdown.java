package org.dpm4j.results;

import java.util.Locale;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * A Tablesaw table as a GitHub Markdown table. Hand-written on purpose: Tablesaw writes CSV, HTML and JSON, not
 * Markdown, and the rule here is short (numbers to 3 decimals, missing values blank, pipes escaped).
 */
public final class Markdown {
    private Markdown() {}

    public static String of(Table t) {
        StringBuilder sb = new StringBuilder("| ");
        sb.append(String.join(" | ", t.columnNames())).append(" |\n|");
        sb.append(" --- |".repeat(t.columnCount())).append('\n');
        for (int i = 0; i < t.rowCount(); i++) {
            sb.append("| ");
            for (int j = 0; j < t.columnCount(); j++) {
                Column<?> c = t.column(j);
                String cell = c.isMissing(i) ? ""
                        : c instanceof DoubleColumn d ? String.format(Locale.ROOT, "%.3f", d.getDouble(i))
                        : c.getString(i).replace("|", "\\|").replace("\n", " ");
                sb.append(cell).append(j + 1 < t.columnCount() ? " | " : " |\n");
            }
        }
        return sb.toString();
    }
}
