package org.dpm4j.results;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RunTest {
    private static final Instant T0 = Runs.T0;

    private static ResultRow row(String metric, double value, double se) {
        return new ResultRow("r1", "mnist-vae", "MNIST", false, "VAE", metric, value, se, "bits/image", "quick", 3,
                new TreeMap<>(Map.of("latent", "16")), "unknown", 1.5, Double.NaN, T0);
    }

    @Test
    @DisplayName("a row with no paper counterpart (a VAE's ELBO on MNIST) is an ordinary row; its fields read back as given")
    void baselineRowIsNormal() {
        ResultRow r = row(Metric.ELBO, -120.5, 0.4);
        assertTrue(r.paper().isEmpty());
        assertEquals("MNIST", r.datasetLabel());
        assertEquals("{\"latent\":\"16\"}", r.configurationJson());
        ResultRow standIn = new ResultRow("r", "dead-leaves", "Dead leaves", true, "diffusion", Metric.K, 1.2, Double.NaN,
                "bits/pixel", "quick", 1, new TreeMap<>(), "unknown", 0, Double.NaN, T0);
        assertEquals("Dead leaves (stand-in)", standIn.datasetLabel());
        assertEquals(1.489, standIn.paper().orElseThrow().value(), "the paper's value, shown beside a flagged label");
    }

    @Test
    @DisplayName("each bad field is rejected with a message naming it: blank names, non-finite value, negative s.e., negative time, no finish")
    void validation() {
        assertMessage("metric = \" \"", () -> new ResultRow("r", "e", "d", false, "m", " ", 1, 0, "u", "p", 1, new TreeMap<>(), "c", 0, 0, T0));
        assertMessage("runId = null", () -> new ResultRow(null, "e", "d", false, "m", "K", 1, 0, "u", "p", 1, new TreeMap<>(), "c", 0, 0, T0));
        assertMessage("value = NaN", () -> row(Metric.K, Double.NaN, 0));
        assertMessage("value = Infinity", () -> row(Metric.K, Double.POSITIVE_INFINITY, 0));
        assertMessage("standardError = -0.1", () -> row(Metric.K, 1, -0.1));
        assertMessage("unit = \"\"", () -> new ResultRow("r", "e", "d", false, "m", "K", 1, 0, "", "p", 1, new TreeMap<>(), "c", 0, 0, T0));
        assertMessage("configuration = null", () -> new ResultRow("r", "e", "d", false, "m", "K", 1, 0, "u", "p", 1, null, "c", 0, 0, T0));
        assertMessage("wallSeconds = -1.0", () -> new ResultRow("r", "e", "d", false, "m", "K", 1, 0, "u", "p", 1, new TreeMap<>(), "c", -1, 0, T0));
        assertMessage("cpuSeconds = Infinity", () -> new ResultRow("r", "e", "d", false, "m", "K", 1, 0, "u", "p", 1, new TreeMap<>(), "c", 0, Double.POSITIVE_INFINITY, T0));
        assertMessage("finished = null", () -> new ResultRow("r", "e", "d", false, "m", "K", 1, 0, "u", "p", 1, new TreeMap<>(), "c", 0, 0, null));
    }

    @Test
    @DisplayName("the builder gives one row per metric sharing the run's provenance; value() and standardError() look metrics up, NaN when absent")
    void builder() {
        Run run = Runs.swissRoll("standard", 2.0, T0);
        assertEquals(List.of(Metric.K, Metric.K_MINUS_L_NULL, Metric.EQ9, Metric.CEILING), run.metrics());
        assertEquals(6.094, run.value(Metric.K_MINUS_L_NULL), 1e-12);
        assertEquals(0.03, run.standardError(Metric.K));
        assertTrue(Double.isNaN(run.standardError(Metric.CEILING)));
        assertTrue(Double.isNaN(run.value(Metric.PARZEN)));
        assertEquals(1, run.rows().stream().map(ResultRow::runId).distinct().count());
        assertEquals(20.25, run.cpuSeconds());
        assertTrue(run.summary().contains("K = 2.0000 +- 0.0300 bits/point"), run.summary());
        Run other = Runs.swissRoll("standard", 2.0, T0);
        assertNotEquals(run.runId(), other.runId(), "each build gets a fresh run id");
    }

    @Test
    @DisplayName("the builder refuses a run without profile, seed, elapsed time or metrics, and a metric given twice, naming what is missing")
    void builderRefuses() {
        Elapsed e = new Elapsed(1, 1);
        assertMessage("profile = null", () -> Run.builder("x", "d", "m").seed(1).elapsed(e).metric("K", 1, "u").build());
        assertMessage("seed = null", () -> Run.builder("x", "d", "m").profile("quick").elapsed(e).metric("K", 1, "u").build());
        assertMessage("elapsed = null", () -> Run.builder("x", "d", "m").profile("quick").seed(1).metric("K", 1, "u").build());
        assertMessage("metrics = (none)", () -> Run.builder("x", "d", "m").profile("quick").seed(1).elapsed(e).build());
        assertMessage("metric = K", () -> Run.builder("x", "d", "m").profile("quick").seed(1).elapsed(e)
                .metric("K", 1, "u").metric("K", 2, "u").build());
    }

    @Test
    @DisplayName("a Run refuses rows of different runs or with differing provenance")
    void runInvariant() {
        ResultRow a = row(Metric.ELBO, 1, 0), b = row(Metric.PARZEN, 2, 0);
        assertEquals(2, new Run(List.of(a, b)).rows().size());
        ResultRow otherSeed = new ResultRow("r1", "mnist-vae", "MNIST", false, "VAE", Metric.PARZEN, 2, 0, "bits/image",
                "quick", 4, new TreeMap<>(Map.of("latent", "16")), "unknown", 1.5, Double.NaN, T0);
        assertMessage("rows = r1/Parzen", () -> new Run(List.of(a, otherSeed)));
        assertMessage("rows = []", () -> new Run(List.of()));
    }

    @Test
    @DisplayName("group() rebuilds runs from interleaved rows; latest() keeps the latest run per key, a tie going to the later one")
    void groupAndLatest() {
        Run a = Runs.swissRoll("quick", 1, T0.plusSeconds(10)), b = Runs.swissRoll("quick", 2, T0.plusSeconds(5)),
                c = Runs.swissRoll("standard", 3, T0), d = Runs.swissRoll("quick", 4, T0.plusSeconds(10));
        List<ResultRow> rows = new ArrayList<>();
        for (int i = 0; i < a.rows().size(); i++) {
            for (Run r : List.of(a, b, c, d)) rows.add(r.rows().get(i));
        }
        assertEquals(List.of(a, b, c, d), Run.group(rows));
        List<Run> latest = Run.latest(List.of(a, b, c, d), Run::profile);
        assertEquals(List.of(d, c), latest);
    }

    private static void assertMessage(String prefix, org.junit.jupiter.api.function.Executable e) {
        var ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().startsWith(prefix), "expected a message starting " + prefix + ", got " + ex.getMessage());
    }
}
