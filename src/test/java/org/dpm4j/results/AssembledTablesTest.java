package org.dpm4j.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tables 1 and 2 from the run log: one profile only, the latest run per data set, the paper beside it, what is missing. */
class AssembledTablesTest {
    private static List<ResultRow> rows(Run... runs) {
        List<ResultRow> out = new ArrayList<>();
        for (Run r : runs) out.addAll(r.rows());
        return out;
    }

    @Test
    @DisplayName("standard rows only (a later quick run never mixes in), the latest standard run wins, gap = K - paper K")
    void profileAndLatest() {
        var old = Runs.swissRoll("standard", 1.9, Runs.T0);
        var latest = Runs.swissRoll("standard", 2.05, Runs.T0.plusSeconds(60));
        var quick = Runs.swissRoll("quick", 1.5, Runs.T0.plusSeconds(120));
        AssembledTables t = AssembledTables.assemble(rows(old, latest, quick), "standard");
        assertEquals(1, t.table1().rowCount());
        assertEquals(2.05, t.table1().doubleColumn("K").get(0), 0);
        assertEquals(2.05 - PaperTables.table1("Swiss roll", Metric.K).value(), t.table1().doubleColumn("K - paper (bits)").get(0), 1e-12);
        assertTrue(t.table1().stringColumn("Rerun").get(0).contains("run swiss-roll --profile standard --seed 42"));
        assertTrue(t.missing().contains("Table 1: Binary heartbeat"), t.missing().toString());
        AssembledTables q = AssembledTables.assemble(rows(old, latest, quick), "quick");
        assertEquals(1.5, q.table1().doubleColumn("K").get(0), 0);
    }

    @Test
    @DisplayName("an ablation's arm never becomes a table's row, however late: the experiment's own latest run does (Table 1 and the all-profile view)")
    void ablationArmsLeftOut() {
        var own = Runs.swissRoll("standard", 2.05, Runs.T0);
        var arm = Runs.swissRoll("standard", -3.2, Runs.T0.plusSeconds(60)).withConfiguration(Run.ABLATION_ARM, "true");
        assertTrue(arm.ablationArm());
        AssembledTables t = AssembledTables.assemble(rows(own, arm), "standard");
        assertEquals(1, t.table1().rowCount());
        assertEquals(2.05, t.table1().doubleColumn("K").get(0), 0);
        assertEquals(2.05, Table1.assemble(rows(own, arm)).doubleColumn("K").get(0), 0);
        assertTrue(AssembledTables.assemble(rows(arm), "standard").missing().contains("Table 1: Swiss roll"));
    }

    @Test
    @DisplayName("the oracle K of the same experiment, seed and schedule sits beside the row; other models are its baselines")
    void oracleAndBaselines() {
        var trained = Runs.swissRoll("standard", 2.0, Runs.T0);
        var oracle = Run.builder("swiss-roll", "Swiss roll", "oracle").profile("standard").seed(42)
                .configuration(Map.of("T", "40", "beta1", "1.0E-5")).elapsed(new Elapsed(1, 1)).finished(Runs.T0)
                .metric(Metric.K, 2.2, 0.01, "bits/point").build();
        var mcgsm = Run.builder("dead-leaves-mcgsm", "Dead leaves", "MCGSM").profile("standard").seed(1).elapsed(new Elapsed(1, 1))
                .standIn(true).metric(Metric.LOG_LIKELIHOOD, 1.2, "bits/pixel").build();
        AssembledTables t = AssembledTables.assemble(rows(trained, oracle, mcgsm), "standard");
        assertEquals(2.2, t.table1().doubleColumn("Oracle K").get(0), 0);
        assertEquals(1, t.table2().rowCount());
        assertEquals("Dead leaves (stand-in)", t.table2().stringColumn("Dataset").get(0));
        assertEquals(1.2 - 1.244, t.table2().doubleColumn("Value - paper (bits)").get(0), 1e-12);
    }

    @Test
    @DisplayName("an empty log still gives both tables (no rows) and the four files, naming every missing row")
    void emptyLog(@TempDir Path dir) throws Exception {
        AssembledTables t = AssembledTables.write(dir, "standard");
        assertEquals(0, t.table1().rowCount());
        assertEquals(PaperTables.table1Datasets().size() + PaperTables.table(2).size(), t.missing().size());
        for (String f : List.of("table1.md", "table1.csv", "table2.md", "table2.csv")) assertTrue(Files.exists(dir.resolve(f)), f);
        assertTrue(Files.readString(dir.resolve("table2.md")).contains("Not in the run log"));
        assertTrue(t.chart1().getWidth() > 0);
    }
}
