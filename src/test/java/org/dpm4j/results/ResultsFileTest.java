package org.dpm4j.results;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsFileTest {
    static ResultRow row(String dataset, String profile, double k, Instant when) {
        return new ResultRow(dataset, k, k + 4.094, Double.NaN, Double.NaN, 2.6, "bits", profile, 42,
                "T=40, beta_1=1e-05, \"rbf\" 16 units", 12.5, when);
    }

    @Test
    @DisplayName("appended rows read back equal (commas, quotes and NaN survive), in append order")
    void roundTrip(@TempDir Path dir) throws Exception {
        ResultRow a = row("Swiss roll", "quick", 1.25, Instant.parse("2026-01-01T00:00:00Z"));
        ResultRow b = new ResultRow("Binary heartbeat", -2.5, 11.939, -2.4, 0.01, -2.3219, "bits/seq", "standard",
                7, "T=2000", 100, Instant.parse("2026-01-02T00:00:00Z"));
        ResultsFile.append(dir, a);
        ResultsFile.append(dir, b);
        List<ResultRow> back = ResultsFile.read(dir);
        assertEquals(2, back.size());
        assertEquals(a.configuration(), back.get(0).configuration());
        assertTrue(Double.isNaN(back.get(0).eq9()));
        assertEquals(a.k(), back.get(0).k(), 1e-6);
        assertEquals(b.eq9(), back.get(1).eq9(), 1e-6);
        assertEquals(b.seed(), back.get(1).seed());
        assertEquals(b.finished(), back.get(1).finished());
        assertEquals(3, Files.readAllLines(dir.resolve(ResultsFile.FILE_NAME)).size(), "one header line, two rows");
    }

    @Test
    @DisplayName("a missing run log reads as no rows")
    void missing(@TempDir Path dir) {
        assertTrue(ResultsFile.read(dir).isEmpty());
    }

    @Test
    @DisplayName("a row with non-finite K or an unknown data set is rejected, naming the field")
    void badRow() {
        var e = assertThrows(IllegalArgumentException.class, () -> row("Swiss roll", "quick", Double.NaN, Instant.now()));
        assertTrue(e.getMessage().startsWith("k = NaN"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> row("Moons", "quick", 1, Instant.now()));
    }
}
