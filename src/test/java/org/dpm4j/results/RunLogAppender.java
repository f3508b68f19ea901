package org.dpm4j.results;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * A separate JVM for {@link RunLogConcurrencyTest}: waits until the file {@code go} exists in the results directory
 * and the other appender has opened the log (so the processes start appending together), then appends {@code runs} runs of {@link #METRICS} rows each, tagged
 * with the process's name, one run per transaction.
 * <pre>java -cp ... org.dpm4j.results.RunLogAppender DIR NAME RUNS</pre>
 */
public final class RunLogAppender {
    static final String[] METRICS = {Metric.K, Metric.K_MINUS_L_NULL, Metric.EQ9};

    private RunLogAppender() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String name = args[1];
        int runs = Integer.parseInt(args[2]);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Files.exists(dir.resolve("go"))) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("no go file in " + dir);
            Thread.sleep(2);
        }
        RunLog log = RunLog.open(dir);
        // a second barrier after the slow part (opening the log, loading SQLite's natives), so neither process can
        // finish before the other starts appending; then a millisecond between runs, so the two keep overlapping
        Files.writeString(dir.resolve("ready-" + name), "");
        while (true) {
            try (var ready = Files.list(dir)) {
                if (ready.filter(f -> f.getFileName().toString().startsWith("ready-")).count() >= 2) break;
            }
            if (System.nanoTime() > deadline) throw new IllegalStateException("the other appender never got ready in " + dir);
            Thread.sleep(2);
        }
        for (int i = 0; i < runs; i++) {
            Thread.sleep(1);
            Run.Builder b = Run.builder("concurrency", "Swiss roll", "diffusion").profile("quick").seed(i)
                    .runId(name + "-" + i).configuration(Map.of("process", name, "index", Integer.toString(i)))
                    .codeVersion(CodeVersion.UNKNOWN).elapsed(new Elapsed(i, i)).finished(Instant.now());
            for (int m = 0; m < METRICS.length; m++) b.metric(METRICS[m], i + m / 10.0, "bits/point");
            log.append(b.build());
        }
    }
}
