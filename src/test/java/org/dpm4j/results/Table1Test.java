package org.dpm4j.results;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class Table1Test {
    private static final Instant T0 = Runs.T0;

    private static List<ResultRow> rows(Run... runs) {
        List<ResultRow> out = new ArrayList<>();
        for (Run r : runs) out.addAll(r.rows());
        return out;
    }

    @Test
    @DisplayName("one row per (data set, profile), the latest run wins, Table 1 order, the paper's values (from PaperTables) beside the measured")
    void latestWinsInPaperOrder() {
        Run beat = Run.builder("heartbeat", "Binary heartbeat", "diffusion").profile("quick").seed(1)
                .codeVersion("unknown").elapsed(Elapsed.wall(5)).finished(T0)
                .metric(Metric.K, -3, "bits/seq").metric(Metric.K_MINUS_L_NULL, 11.439, "bits/seq").build();
        Table t = Table1.assemble(rows(Runs.swissRoll("standard", 2.0, T0.plusSeconds(10)), beat,
                Runs.swissRoll("standard", 2.2, T0.plusSeconds(20)), Runs.swissRoll("quick", 0.5, T0.plusSeconds(30))));
        assertEquals(3, t.rowCount());
        assertEquals(List.of("Swiss roll", "Swiss roll", "Binary heartbeat"), t.stringColumn("Dataset").asList());
        assertEquals(List.of("quick", "standard", "quick"), t.stringColumn("Profile").asList());
        assertEquals(2.2, t.doubleColumn("K").get(1), 1e-12);
        assertEquals(PaperTables.table1("Swiss roll", Metric.K).value(), t.doubleColumn("K (paper)").get(1));
        assertEquals(PaperTables.table1("Binary heartbeat", Metric.K_MINUS_L_NULL).value(), t.doubleColumn("K - L_null (paper)").get(2));
        assertTrue(t.doubleColumn("Eq. 9 log-likelihood").isMissing(2), "the heartbeat run measured no Eq. 9");
        assertEquals(2.4, t.doubleColumn("Eq. 9 log-likelihood").get(1), 1e-12);
        assertEquals("0123456789", t.stringColumn("Code").get(0));
        assertTrue(t.stringColumn("Configuration").get(0).startsWith("T=40, beta1=1.0E-5"), t.stringColumn("Configuration").get(0));
    }

    @Test
    @DisplayName("runs that are not Table 1's (another data set, another model, no K) stay out; a stand-in data set gets its own flagged row")
    void onlyTable1Runs() {
        Run mnist = Run.builder("mnist", "MNIST", "diffusion").profile("quick").seed(1).elapsed(Elapsed.wall(1))
                .metric(Metric.PARZEN, 300, 3, "bits/image").build();
        Run vae = Run.builder("roll-vae", "Swiss roll", "VAE").profile("quick").seed(1).elapsed(Elapsed.wall(1))
                .metric(Metric.ELBO, 1.0, "bits/point").build();
        Run leaves = Run.builder("dead-leaves", "Dead leaves", "diffusion").standIn(true).profile("quick").seed(1)
                .elapsed(Elapsed.wall(1)).metric(Metric.K, 1.1, "bits/pixel").build();
        Table t = Table1.assemble(rows(mnist, vae, leaves, Runs.swissRoll("quick", 1, T0)));
        assertEquals(List.of("Swiss roll", "Dead leaves (stand-in)"), t.stringColumn("Dataset").asList());
        assertEquals(1.489, t.doubleColumn("K (paper)").get(1));
        assertTrue(t.doubleColumn("K - L_null").isMissing(1));
    }

    @Test
    @DisplayName("write() produces table1-latest.csv and table1-latest.md from the run log, the markdown with a row per (data set, profile)")
    void writesBothFiles(@TempDir Path dir) throws Exception {
        RunLog.open(dir).append(Runs.swissRoll("quick", 1.5, T0));
        Table t = Table1.write(dir);
        List<String> md = Files.readAllLines(dir.resolve("table1-latest.md"));
        assertEquals(3, md.size());
        assertTrue(md.get(0).startsWith("| Dataset | Profile | K | K (paper) |"), md.get(0));
        assertTrue(md.get(2).contains("| 1.500 | 2.350 |"), md.get(2));
        Table csv = Table.read().csv(dir.resolve("table1-latest.csv").toFile());
        assertEquals(t.rowCount(), csv.rowCount());
        assertEquals(t.columnCount(), csv.columnCount());
    }

    @Test
    @DisplayName("Markdown: numbers to 3 decimals, missing cells blank, pipes escaped")
    void markdown() {
        Table t = Table.create("t", tech.tablesaw.api.StringColumn.create("a", List.of("x|y")),
                tech.tablesaw.api.DoubleColumn.create("b", new double[] {Math.PI}));
        t.doubleColumn("b").appendMissing();
        t.stringColumn("a").append("z");
        assertEquals("| a | b |\n| --- | --- |\n| x\\|y | 3.142 |\n| z |  |\n", Markdown.of(t));
    }
}
