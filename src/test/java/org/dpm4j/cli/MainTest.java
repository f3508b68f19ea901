package org.dpm4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.dpm4j.notebook.Profile;
import org.dpm4j.results.Elapsed;
import org.dpm4j.results.Metric;
import org.dpm4j.results.Run;
import org.dpm4j.results.RunLog;
import org.dpm4j.experiments.SwissRollExperiment;
import org.dpm4j.kernel.BinomialParameterisation;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    @Test
    @DisplayName("parses experiment, --profile, --seed, --results and --beta1")
    void parses() {
        Main.Command c = Main.parse("heartbeat", "--profile", "standard", "--seed", "7", "--results", "/tmp/x");
        assertEquals("heartbeat", c.experiment());
        assertEquals(Profile.STANDARD, c.profile());
        assertEquals(7, c.seed());
        assertEquals(Path.of("/tmp/x"), c.results());
        assertEquals(Main.DEFAULT_SEED, Main.parse("swiss-roll", "--profile", "quick").seed());
        assertTrue(Double.isNaN(Main.parse("swiss-roll").beta1()));
        assertEquals(1e-3, Main.parse("swiss-roll", "--beta1", "1e-3").beta1());
    }

    @Test
    @DisplayName("--covariance selects the Swiss roll's kernel family (default diagonal); other values and experiments are rejected")
    void covariance() {
        assertEquals(SwissRollExperiment.Covariance.DIAGONAL, Main.parse("swiss-roll").covariance());
        Main.Command c = Main.parse("swiss-roll", "--covariance", "full", "--beta1", "1e-4");
        assertEquals(SwissRollExperiment.Covariance.FULL, c.covariance());
        assertEquals(SwissRollExperiment.Covariance.FULL, Main.swissRollConfig(c).covariance());
        assertEquals(1e-4, Main.swissRollConfig(c).beta1());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Main.parse("swiss-roll", "--covariance", "banded"))
                .getMessage().startsWith("--covariance = banded"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Main.parse("heartbeat", "--covariance", "full"))
                .getMessage().startsWith("--covariance = full"));
    }

    @Test
    @DisplayName("--schedule two-piece gives the Swiss roll the oracle's two-piece log-SNR schedule (beta_1 kept); other values and experiments are rejected")
    void schedule() {
        assertEquals(SwissRollExperiment.ScheduleShape.LOG_SNR_LINEAR, Main.swissRollConfig(Main.parse("swiss-roll")).scheduleShape());
        var config = Main.swissRollConfig(Main.parse("swiss-roll", "--schedule", "two-piece", "--covariance", "full"));
        assertEquals(SwissRollExperiment.ScheduleShape.TWO_PIECE, config.scheduleShape());
        var schedule = SwissRollExperiment.schedule(config);
        var expected = org.dpm4j.experiments.OracleSchedules.twoPieceLogSnr(40, 1e-5, 0, 36, 1e-2);
        assertEquals(1e-5, schedule.beta(1), 1e-18);
        for (int t = 1; t <= 40; t++) assertEquals(expected.beta(t), schedule.beta(t), 1e-15, "beta at t = " + t);
        assertTrue(config.describe().contains("two-piece"), config.describe());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Main.parse("swiss-roll", "--schedule", "cosine"))
                .getMessage().startsWith("--schedule = cosine"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Main.parse("heartbeat", "--schedule", "two-piece"))
                .getMessage().startsWith("--schedule = two-piece"));
    }

    @Test
    @DisplayName("--parameterisation selects the heartbeat's readout form (default: the profile's POSTERIOR_X0); other values and experiments are rejected")
    void parameterisation() {
        assertEquals(BinomialParameterisation.POSTERIOR_X0, Main.heartbeatConfig(Main.parse("heartbeat", "--profile", "quick")).parameterisation());
        Main.Command c = Main.parse("heartbeat", "--parameterisation", "forward_logit");
        assertEquals(BinomialParameterisation.FORWARD_LOGIT, Main.heartbeatConfig(c).parameterisation());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Main.parse("heartbeat", "--parameterisation", "x0"))
                .getMessage().startsWith("--parameterisation = x0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Main.parse("swiss-roll", "--parameterisation", "plain"))
                .getMessage().startsWith("--parameterisation = plain"));
    }

    @Test
    @DisplayName("an unknown experiment, profile, option, a bad seed or a missing value is rejected, naming it")
    void rejects() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Main.parse("cifar")).getMessage()
                .startsWith("experiment = cifar"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Main.parse("table1", "--profile", "huge"))
                .getMessage().startsWith("profile = huge"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Main.parse("table1", "--seed", "x"))
                .getMessage().startsWith("--seed = x"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Main.parse("table1", "--fast", "1"))
                .getMessage().startsWith("option = --fast"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Main.parse("table1", "--seed"))
                .getMessage().startsWith("--seed = (missing)"));
        assertThrows(IllegalArgumentException.class, Main::parse);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Main.parse("heartbeat", "--beta1", "1e-3"))
                .getMessage().startsWith("--beta1 = 1e-3"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Main.parse("swiss-roll", "--beta1", "2"))
                .getMessage().startsWith("--beta1 = 2.0"));
    }

    @Test
    @DisplayName("table1 reassembles table1.md/.csv and results.md/.csv from the run log without adding a row")
    void table1(@TempDir Path dir) throws Exception {
        Run run = Run.builder("heartbeat", "Binary heartbeat", "diffusion").profile("standard").seed(3)
                .elapsed(Elapsed.wall(60)).finished(Instant.parse("2026-01-01T00:00:00Z"))
                .metric(Metric.K, -2.5, "bits/seq").metric(Metric.K_MINUS_L_NULL, 11.94, "bits/seq").build();
        RunLog.open(dir).append(run);
        assertNull(Main.run(Main.parse("table1", "--results", dir.toString())));
        assertEquals(run.rows(), RunLog.open(dir).rows());
        assertTrue(Files.readString(dir.resolve("table1.md")).contains("| Binary heartbeat | standard | -2.500 | -2.414 |"));
        assertTrue(Files.exists(dir.resolve("table1.csv")));
        assertTrue(Files.readString(dir.resolve("results.md")).contains("| heartbeat | Binary heartbeat | diffusion | standard | K | -2.500 |"));
    }

    @Test
    @DisplayName("--results naming a regular file is refused as not a directory, before anything runs")
    void resultsIsAFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("runs.txt"), "");
        var e = assertThrows(IllegalArgumentException.class, () -> Main.parse("swiss-roll", "--results", file.toString()));
        assertTrue(e.getMessage().startsWith("--results = " + file) && e.getMessage().contains("not a directory"), e.getMessage());
    }

    @Test
    @DisplayName("an empty --results is refused naming --results (it would silently mean the working directory)")
    void resultsEmpty() {
        var e = assertThrows(IllegalArgumentException.class, () -> Main.parse("heartbeat", "--results", ""));
        assertTrue(e.getMessage().startsWith("--results = \"\""), e.getMessage());
    }

    @Test
    @DisplayName("an unwritable --results directory is refused naming --results: a read-only directory (as non-root) and /proc (even as root)")
    void resultsUnwritable(@TempDir Path dir) throws Exception {
        Path ro = Files.createDirectory(dir.resolve("ro"));
        Files.setPosixFilePermissions(ro, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            if (!Files.isWritable(ro)) {   // root may write anywhere: this case then says nothing, the /proc one still does
                var e = assertThrows(IllegalArgumentException.class, () -> Main.parse("swiss-roll", "--results", ro.resolve("out").toString()));
                assertTrue(e.getMessage().startsWith("--results = " + ro.resolve("out")) && e.getMessage().contains("not writable"), e.getMessage());
            }
        } finally {
            Files.setPosixFilePermissions(ro, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")));
        var e = assertThrows(IllegalArgumentException.class, () -> Main.parse("table1", "--results", "/proc/self"));
        assertTrue(e.getMessage().startsWith("--results = /proc/self") && e.getMessage().contains("not writable"), e.getMessage());
    }
}
