package org.dpm4j.results;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class RunLogConcurrencyTest {
    private static final int RUNS = 150;
    private static final List<String> NAMES = List.of("alpha", "beta");

    @Test
    @DisplayName("two JVM processes appending 150 runs of 3 rows each to a fresh results directory at once: every row is in the log exactly once, each run whole, and the log and its CSV export read back")
    void twoProcessesAppend(@TempDir Path dir) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<Process> processes = new ArrayList<>();
        for (String name : NAMES) {
            processes.add(new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                    RunLogAppender.class.getName(), dir.toString(), name, Integer.toString(RUNS))
                    .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".out").toFile()).start());
        }
        assertFalse(Files.exists(dir.resolve(RunLog.FILE_NAME)), "the log does not exist before the processes start");
        Files.writeString(dir.resolve("go"), "");
        for (int i = 0; i < processes.size(); i++) {
            Process p = processes.get(i);
            String name = NAMES.get(i);
            assertTrue(p.waitFor(5, TimeUnit.MINUTES), "process " + name + " did not finish");
            assertEquals(0, p.exitValue(), () -> name + " failed:\n" + read(dir.resolve(name + ".out")));
        }

        List<ResultRow> rows = RunLog.open(dir).rows();
        assertEquals(NAMES.size() * RUNS * RunLogAppender.METRICS.length, rows.size());
        Map<String, Integer> seen = new HashMap<>();
        for (ResultRow r : rows) seen.merge(r.runId() + "/" + r.metric(), 1, Integer::sum);
        for (String name : NAMES) {
            for (int i = 0; i < RUNS; i++) {
                for (String metric : RunLogAppender.METRICS) {
                    assertEquals(1, seen.getOrDefault(name + "-" + i + "/" + metric, 0), name + "-" + i + "/" + metric);
                }
            }
        }
        // each run's rows are contiguous in the log: a run is one transaction, never interleaved with another
        List<Run> runs = Run.group(rows);
        assertEquals(NAMES.size() * RUNS, runs.size());
        int start = 0;
        for (Run run : runs) {
            for (int m = 0; m < RunLogAppender.METRICS.length; m++) assertEquals(run.runId(), rows.get(start + m).runId());
            start += RunLogAppender.METRICS.length;
            assertEquals(run.runId().split("-")[0], run.configuration().get("process"));
            assertEquals(run.seed() + 0.1, run.value(Metric.K_MINUS_L_NULL), 1e-12);
        }
        // and the test did exercise concurrency: the two processes' runs interleave in the log
        int switches = 0;
        for (int i = 1; i < runs.size(); i++) {
            if (!runs.get(i).configuration().get("process").equals(runs.get(i - 1).configuration().get("process"))) switches++;
        }
        assertTrue(switches >= 2, "the processes did not overlap: " + switches + " switches between them");
        Path csv = RunLog.open(dir).exportCsv(dir.resolve("log.csv"), RunLog.Query.ALL);
        assertEquals(rows.size(), Table.read().csv(csv.toFile()).rowCount());
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "(no output: " + e + ")";
        }
    }
}
