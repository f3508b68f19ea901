package org.dpm4j.results;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class Table1Test {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    @DisplayName("one row per (data set, profile), the latest run wins, Table 1 order, paper values beside measured")
    void latestWinsInPaperOrder() {
        Table t = Table1.assemble(List.of(
                ResultsFileTest.row("Swiss roll", "standard", 2.0, T0.plusSeconds(10)),
                new ResultRow("Binary heartbeat", -3, 11.439, Double.NaN, Double.NaN, -2.32, "bits/seq", "quick",
                        1, "T=2000", 5, T0),
                ResultsFileTest.row("Swiss roll", "standard", 2.2, T0.plusSeconds(20)),
                ResultsFileTest.row("Swiss roll", "quick", 0.5, T0.plusSeconds(30))));
        assertEquals(3, t.rowCount());
        assertEquals(List.of("Swiss roll", "Swiss roll", "Binary heartbeat"), t.stringColumn("Dataset").asList());
        assertEquals(List.of("quick", "standard", "quick"), t.stringColumn("Profile").asList());
        assertEquals(2.2, t.doubleColumn("K").get(1), 1e-12);
        assertEquals(2.35, t.doubleColumn("K (paper)").get(1));
        assertEquals(12.024, t.doubleColumn("K - L_null (paper)").get(2));
        assertTrue(t.doubleColumn("Eq. 9 log-likelihood").isMissing(2));
    }

    @Test
    @DisplayName("write() produces table1.csv and table1.md from runs.csv, the markdown with a row per run")
    void writesBothFiles(@TempDir Path dir) throws Exception {
        ResultsFile.append(dir, ResultsFileTest.row("Swiss roll", "quick", 1.5, T0));
        Table t = Table1.write(dir);
        List<String> md = Files.readAllLines(dir.resolve("table1.md"));
        assertEquals(3, md.size());
        assertTrue(md.get(0).startsWith("| Dataset | Profile | K | K (paper) |"), md.get(0));
        assertTrue(md.get(2).contains("| 1.500 | 2.350 |"), md.get(2));
        Table csv = Table.read().csv(dir.resolve("table1.csv").toFile());
        assertEquals(t.rowCount(), csv.rowCount());
        assertEquals(t.columnCount(), csv.columnCount());
    }
}
