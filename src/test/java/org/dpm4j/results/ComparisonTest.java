package org.dpm4j.results;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class ComparisonTest {
    private static Run parzen(String model, double bits, int secondsAfter) {
        return Run.builder("mnist", "MNIST", model).profile("standard").seed(1).codeVersion("unknown")
                .elapsed(Elapsed.wall(2)).finished(Runs.T0.plusSeconds(secondsAfter))
                .metric(Metric.PARZEN, bits, 2.0, "bits/image").build();
    }

    @Test
    @DisplayName("every metric of the latest run per (experiment, data set, model, profile); Table 2's value beside a diffusion Parzen row, blank beside a baseline's")
    void paperBesideMeasured() {
        List<ResultRow> rows = new ArrayList<>();
        for (Run r : List.of(parzen("diffusion", 280, 0), parzen("diffusion", 300, 10), parzen("VAE", 250, 5),
                Runs.swissRoll("quick", 1.5, Runs.T0))) rows.addAll(r.rows());
        Table t = Comparison.assemble(rows);
        assertEquals(2 + 4, t.rowCount(), "two MNIST runs of one metric, one Swiss-roll run of four");
        assertEquals(List.of("mnist", "mnist", "swiss-roll", "swiss-roll", "swiss-roll", "swiss-roll"),
                t.stringColumn("Experiment").asList());
        assertEquals(List.of("diffusion", "VAE"), t.stringColumn("Model").asList().subList(0, 2));
        assertEquals(300, t.doubleColumn("Value").get(0), "the latest diffusion run");
        assertEquals(317, t.doubleColumn("Paper").get(0));
        assertEquals(2.7, t.doubleColumn("Paper +-").get(0));
        assertEquals("Table 2", t.stringColumn("Paper table").get(0));
        assertTrue(t.doubleColumn("Paper").isMissing(1), "no paper value for a VAE");
        assertEquals(List.of(Metric.K, Metric.K_MINUS_L_NULL, Metric.EQ9, Metric.CEILING), t.stringColumn("Metric").asList().subList(2, 6));
        assertEquals(6.45, t.doubleColumn("Paper").get(3));
        assertTrue(t.doubleColumn("Paper").isMissing(4), "the paper prints no Eq. 9 value");
    }

    @Test
    @DisplayName("write() produces results.csv and results.md from the run log")
    void writes(@TempDir Path dir) throws Exception {
        RunLog.open(dir).append(parzen("VAE", 250, 0));
        Comparison.write(dir);
        assertEquals(3, Files.readAllLines(dir.resolve("results.md")).size());
        assertEquals(1, Table.read().csv(dir.resolve("results.csv").toFile()).rowCount());
    }
}
