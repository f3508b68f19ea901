package org.dpm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.dpm4j.results.Elapsed;
import org.dpm4j.results.Metric;
import org.dpm4j.results.Run;
import org.dpm4j.results.RunLog;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    /** Exit code, standard output and standard error of one command line. */
    record Result(int code, String out, String err) {}

    static Result main(String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.execute(args);
            return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    @DisplayName("list names every registered experiment with its settings")
    void list() {
        Result r = main("list");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("swiss-roll: ") && r.out().contains("heartbeat: "), r.out());
        assertTrue(r.out().contains("settings: T, schedule, net"), r.out());
    }

    @Test
    @DisplayName("settings applies the profile, --set, and the shortcuts --schedule, --T, --steps, --batch and --beta1 by name")
    void settings() {
        Result r = main("settings", "swiss-roll", "--profile", "quick", "--set", "covariance=full", "--steps", "123", "--batch", "7",
                "--T", "20", "--schedule", "log-snr-linear:beta1=1e-4,snrT=1e-2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("steps = 123") && r.out().contains("batch = 7") && r.out().contains("T = 20"), r.out());
        assertTrue(r.out().contains("covariance = full"), r.out());
        assertTrue(r.out().contains("schedule = log-snr-linear:beta1=1e-4,snrT=0.01"), r.out());
        Result b = main("settings", "swiss-roll", "--profile", "standard", "--beta1", "1e-3");
        assertTrue(b.out().contains("schedule = log-snr-linear:beta1=0.001,snrT=0.001"), b.out());
        Result h = main("settings", "heartbeat", "--profile", "standard", "--parameterisation", "forward_logit", "--set", "hidden=[20,20]");
        assertTrue(h.out().contains("parameterisation = forward_logit") && h.out().contains("hidden = [20,20]") && h.out().contains("T = 2000"), h.out());
    }

    @Test
    @DisplayName("bad arguments exit with code 2 and a message naming the argument: unknown experiment, setting, value, schedule")
    void badArguments() {
        Result unknown = main("run", "mnist-typo");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("experiment = mnist-typo, expected one of [swiss-roll, heartbeat"), unknown.err());
        Result setting = main("settings", "swiss-roll", "--set", "stpes=3");
        assertEquals(2, setting.code());
        assertTrue(setting.err().contains("setting = stpes, expected one of [T, schedule"), setting.err());
        Result value = main("settings", "swiss-roll", "--steps", "-3");
        assertEquals(2, value.code());
        assertTrue(value.err().contains("steps = -3"), value.err());
        Result schedule = main("settings", "heartbeat", "--schedule", "cosin");
        assertEquals(2, schedule.code());
        assertTrue(schedule.err().contains("cosin") && schedule.err().contains("cosine"), schedule.err());
        Result profile = main("settings", "heartbeat", "--profile", "huge");
        assertEquals(2, profile.code());
        assertTrue(profile.err().contains("huge"), profile.err());
    }

    @Test
    @DisplayName("--results is checked before any training: a regular file, an empty path and /proc are refused naming --results")
    void resultsCheckedFirst(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("runs.txt"), "");
        long t0 = System.nanoTime();
        Result r = main("run", "swiss-roll", "--profile", "standard", "--results", file.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("--results = " + file) && r.err().contains("not a directory"), r.err());
        assertTrue((System.nanoTime() - t0) / 1e9 < 30, "refused before training the standard profile");
        Result empty = main("run", "heartbeat", "--results", "");
        assertEquals(2, empty.code());
        assertTrue(empty.err().startsWith("--results = \"\""), empty.err());
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")));
        Result proc = main("table1", "--results", "/proc/self");
        assertEquals(2, proc.code());
        assertTrue(proc.err().startsWith("--results = /proc/self") && proc.err().contains("not writable"), proc.err());
    }

    @Test
    @DisplayName("run (the older form without 'run' too) trains, appends the run's rows with its settings and seed, and writes the tables")
    void runAppendsRows(@TempDir Path dir) throws Exception {
        Result r = main("heartbeat", "--profile", "quick", "--seed", "5", "--steps", "3", "--set", "T=20", "--results", dir.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("rerun: java -cp 'lib/*' org.dpm4j.cli.Main run heartbeat --profile quick --seed 5"), r.out());
        var rows = RunLog.open(dir).rows();
        assertFalse(rows.isEmpty());
        assertTrue(rows.stream().allMatch(x -> x.seed() == 5 && x.profile().equals("quick") && x.configuration().get("steps").equals("3")
                && x.configuration().get("T").equals("20")), rows.toString());
        assertTrue(Files.exists(dir.resolve("table1.md")) && Files.exists(dir.resolve("results.csv")));
    }

    @Test
    @DisplayName("table1 reassembles table1.md/.csv and results.md/.csv from the run log without adding a row")
    void table1(@TempDir Path dir) throws Exception {
        Run run = Run.builder("heartbeat", "Binary heartbeat", "diffusion").profile("standard").seed(3)
                .elapsed(Elapsed.wall(60)).finished(Instant.parse("2026-01-01T00:00:00Z"))
                .metric(Metric.K, -2.5, "bits/seq").metric(Metric.K_MINUS_L_NULL, 11.94, "bits/seq").build();
        RunLog.open(dir).append(run);
        assertEquals(0, main("table1", "--results", dir.toString()).code());
        assertEquals(run.rows(), RunLog.open(dir).rows());
        assertTrue(Files.readString(dir.resolve("table1-latest.md")).contains("| Binary heartbeat | standard | -2.500 | -2.414 |"));
        assertTrue(Files.readString(dir.resolve("table1.md")).contains("Binary heartbeat"), Files.readString(dir.resolve("table1.md")));
        assertTrue(Files.readString(dir.resolve("results.md")).contains("| heartbeat | Binary heartbeat | diffusion | standard | K | -2.500 |"));
    }
}
