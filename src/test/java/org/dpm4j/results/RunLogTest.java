package org.dpm4j.results;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

class RunLogTest {
    private static final Instant T0 = Runs.T0;

    private static Run parzen(String model, double bits, Instant when) {
        return Run.builder("mnist-baselines", "MNIST", model).profile("quick").seed(9)
                .configuration(Map.of("samples", "10000")).codeVersion(CodeVersion.UNKNOWN).elapsed(Elapsed.wall(3))
                .finished(when).metric(Metric.PARZEN, bits, 2.5, "bits/image").build();
    }

    @Test
    @DisplayName("appended runs read back equal field for field (NaN standard errors and CPU times, JSON configuration, nanosecond instants), in append order")
    void roundTrip(@TempDir Path dir) {
        RunLog log = RunLog.open(dir);
        assertTrue(log.rows().isEmpty());
        Run a = Runs.swissRoll("quick", 1.25, Instant.parse("2026-01-01T00:00:00.123456789Z"));
        Run b = parzen("VAE", 240.5, T0.plusSeconds(1));
        assertEquals(dir.resolve(RunLog.FILE_NAME), log.append(a));
        log.append(b);
        List<ResultRow> back = RunLog.open(dir).rows();
        assertEquals(a.rows().size() + b.rows().size(), back.size());
        assertEquals(Run.group(back), List.of(a, b));
        assertTrue(Double.isNaN(back.get(1).standardError()), "K - L_null has no standard error");
        assertTrue(Double.isNaN(back.get(back.size() - 1).cpuSeconds()));
    }

    @Test
    @DisplayName("a run already in the log is refused, naming run, and the log is unchanged (the append is one transaction)")
    void duplicateRun(@TempDir Path dir) {
        RunLog log = RunLog.open(dir);
        Run a = Runs.swissRoll("quick", 1, T0);
        log.append(a);
        var e = assertThrows(IllegalArgumentException.class, () -> log.append(a));
        assertTrue(e.getMessage().startsWith("run = " + a.runId()), e.getMessage());
        assertEquals(a.rows(), log.rows());
    }

    @Test
    @DisplayName("queries filter by experiment, data set, model, metric, profile and run; latestRuns() keeps the latest run per experiment and profile")
    void queries(@TempDir Path dir) {
        RunLog log = RunLog.open(dir);
        Run q1 = Runs.swissRoll("quick", 1, T0.plusSeconds(10)), q2 = Runs.swissRoll("quick", 2, T0.plusSeconds(20)),
                s1 = Runs.swissRoll("standard", 3, T0.plusSeconds(5)),
                h1 = Runs.table1("heartbeat", "Binary heartbeat", "bits/seq", "quick", -2.5, T0),
                v = parzen("VAE", 240, T0), g = parzen("GAN", 300, T0.plusSeconds(1));
        for (Run r : List.of(q2, q1, s1, h1, v, g)) log.append(r);   // q2 first: latest is by finish time, not order
        RunLog.Query swiss = RunLog.Query.ALL.withExperiment("swiss-roll");
        assertEquals(List.of(q2, q1, s1), log.runs(swiss));
        assertEquals(List.of(q2, q1), log.runs(swiss.withProfile("quick")));
        assertEquals(List.of(q2, s1), log.latestRuns(swiss));
        assertEquals(List.of(q2, s1, h1, g), log.latestRuns(RunLog.Query.ALL));
        assertEquals(List.of(v), log.runs(RunLog.Query.ALL.withModel("VAE")));
        assertEquals(List.of(h1), log.runs(RunLog.Query.ALL.withDataset("Binary heartbeat")));
        assertEquals(List.of(s1), log.runs(RunLog.Query.ALL.withRunId(s1.runId())));
        List<ResultRow> ks = log.rows(RunLog.Query.ALL.withMetric(Metric.K));
        assertEquals(4, ks.size());
        assertTrue(ks.stream().allMatch(r -> r.metric().equals(Metric.K)));
    }

    @Test
    @DisplayName("the CSV export reads back with Tablesaw: one line per row, every field (configuration as JSON with quotes and commas)")
    void csvAndMarkdownExports(@TempDir Path dir) throws Exception {
        RunLog log = RunLog.open(dir);
        Run a = Runs.swissRoll("quick", 1.5, T0);
        log.append(a);
        log.append(parzen("VAE", 240, T0));
        Path csv = log.exportCsv(dir.resolve("export/log.csv"), RunLog.Query.ALL);
        Table t = Table.read().usingOptions(CsvReadOptions.builder(csv.toFile())
                .columnTypesPartial(Map.of("configuration", ColumnType.STRING, "run_id", ColumnType.STRING)).build());
        assertEquals(log.rows().size(), t.rowCount());
        assertEquals(16, t.columnCount());
        assertEquals(a.rows().get(0).configurationJson(), t.stringColumn("configuration").get(0));
        assertEquals(a.configuration(), Configuration.fromJson(t.stringColumn("configuration").get(0)));
        assertEquals(1.5, t.numberColumn("value").getDouble(0), 0);
        assertTrue(t.column("standard_error").isMissing(1), "NaN exported as a missing cell");
        List<String> md = Files.readAllLines(log.exportMarkdown(dir.resolve("log.md"), RunLog.Query.ALL.withModel("VAE")));
        assertEquals(3, md.size(), "header, rule, one VAE row");
        assertTrue(md.get(2).contains("| Parzen | 240.000 | 2.500 | bits/image |"), md.get(2));
    }

    @Test
    @DisplayName("a log written by a newer schema is refused, naming the file and version")
    void newerSchemaRefused(@TempDir Path dir) throws Exception {
        RunLog.open(dir);
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(RunLog.FILE_NAME));
             var s = c.createStatement()) {
            s.executeUpdate("PRAGMA user_version = " + (RunLog.SCHEMA_VERSION + 1));
        }
        var e = assertThrows(IllegalArgumentException.class, () -> RunLog.open(dir));
        assertTrue(e.getMessage().contains("runs.sqlite schema version = " + (RunLog.SCHEMA_VERSION + 1)), e.getMessage());
    }

    @Test
    @DisplayName("the log is in WAL mode (what lets readers and a writer work at once)")
    void walMode(@TempDir Path dir) throws Exception {
        RunLog.open(dir).append(Runs.swissRoll("quick", 1, T0));
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(RunLog.FILE_NAME));
             var s = c.createStatement(); var rs = s.executeQuery("PRAGMA journal_mode")) {
            assertTrue(rs.next());
            assertEquals("wal", rs.getString(1));
        }
    }

    @Test
    @DisplayName("an old runs.csv (two headers, as concurrent appends left it) is imported once: K, K - L_null, Eq. 9, ceiling per line, Swiss-roll bits read as bits/point")
    void legacyImport(@TempDir Path dir) throws Exception {
        String header = String.join(",", LegacyRunsCsv.COLUMNS);
        Files.writeString(dir.resolve(LegacyRunsCsv.FILE_NAME), header + "\n"
                + "\"Swiss roll\",1.74944,5.83038,2.52218,0.0903315,2.60086,\"bits\",\"quick\",1,\"T=40, beta_1=1e-05, \"\"rbf\"\"\",14.8120,2026-12-06T03:48:46.680330404Z\n"
                + header + "\n"
                + "\"Binary heartbeat\",-2.5,11.939,NaN,NaN,-2.3219,\"bits/seq\",\"standard\",7,\"T=2000\",100,2026-12-07T00:00:00Z\n");
        List<Run> runs = RunLog.open(dir).runs(RunLog.Query.ALL);
        assertEquals(2, runs.size());
        Run roll = runs.get(0), beat = runs.get(1);
        assertEquals("swiss-roll", roll.experiment());
        assertEquals(List.of(Metric.K, Metric.K_MINUS_L_NULL, Metric.EQ9, Metric.CEILING), roll.metrics());
        assertEquals("bits/point", roll.row(Metric.K).orElseThrow().unit());
        assertEquals(0.0903315, roll.standardError(Metric.EQ9));
        assertEquals("T=40, beta_1=1e-05, \"rbf\"", roll.configuration().get(LegacyRunsCsv.DESCRIPTION));
        assertEquals(Instant.parse("2026-12-06T03:48:46.680330404Z"), roll.finished());
        assertEquals(2.35, roll.row(Metric.K).orElseThrow().paper().orElseThrow().value());
        assertEquals(List.of(Metric.K, Metric.K_MINUS_L_NULL, Metric.CEILING), beat.metrics(), "NaN Eq. 9 not imported");
        assertEquals(7, beat.seed());
        assertEquals(7, RunLog.open(dir).rows().size(), "opening again imports nothing twice");
    }

    @Test
    @DisplayName("a malformed line of an old runs.csv is refused naming the file and line")
    void legacyMalformed(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(LegacyRunsCsv.FILE_NAME), String.join(",", LegacyRunsCsv.COLUMNS) + "\n"
                + "\"Swiss roll\",abc,5.8,NaN,NaN,NaN,\"bits\",\"quick\",1,\"T=40\",14.8,2026-12-06T03:48:46Z\n");
        var e = assertThrows(IllegalArgumentException.class, () -> RunLog.open(dir));
        assertTrue(e.getMessage().contains("runs.csv line 2"), e.getMessage());
    }

    @Test
    @DisplayName("checkDirectory: empty, a regular file, a path under a regular file and an unwritable directory are refused naming the parameter; a new directory under a writable one passes and is not created")
    void checkDirectory(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RunLog.checkDirectory("--results", ""))
                .getMessage().startsWith("--results = \"\""));
        var e = assertThrows(IllegalArgumentException.class, () -> RunLog.checkDirectory("--results", file.toString()));
        assertTrue(e.getMessage().startsWith("--results = " + file) && e.getMessage().contains("not a directory"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RunLog.checkDirectory("--results", file.resolve("sub").toString()))
                .getMessage().contains("not a directory"));
        Path fresh = dir.resolve("new/deeper");
        assertEquals(fresh, RunLog.checkDirectory("--results", fresh.toString()));
        assertFalse(Files.exists(dir.resolve("new")));
        try (var listing = Files.list(dir)) {
            assertEquals(List.of(file), listing.toList(), "the write probe leaves nothing behind");
        }
        // /proc refuses new files even for root, which permission bits would not show
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")));
        var ro = assertThrows(IllegalArgumentException.class, () -> RunLog.checkDirectory("--results", "/proc/self"));
        assertTrue(ro.getMessage().startsWith("--results = /proc/self") && ro.getMessage().contains("not writable"), ro.getMessage());
    }
}
