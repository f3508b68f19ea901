package org.dpm4j.results;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PaperTablesTest {
    private static double log2(double x) { return Math.log(x) / Math.log(2); }

    @Test
    @DisplayName("Table 1's K - (K - L_null) equals the closed-form L_null: -log2(2 pi e) per 2-D unit-variance point, "
            + "-20 H2(0.2) per heartbeat, -(3/2) log2(2 pi e) per CIFAR-10 pixel (to the printed precision)")
    void lNullConsistent() {
        double roll = PaperTables.table1("Swiss roll", Metric.K).value()
                - PaperTables.table1("Swiss roll", Metric.K_MINUS_L_NULL).value();
        assertEquals(-log2(2 * Math.PI * Math.E), roll, 0.01);
        double h2 = -(0.2 * log2(0.2) + 0.8 * log2(0.8));
        double beat = PaperTables.table1("Binary heartbeat", Metric.K).value()
                - PaperTables.table1("Binary heartbeat", Metric.K_MINUS_L_NULL).value();
        assertEquals(-20 * h2, beat, 0.002);
        double cifar = PaperTables.table1("CIFAR-10", Metric.K).value()
                - PaperTables.table1("CIFAR-10", Metric.K_MINUS_L_NULL).value();
        assertEquals(-1.5 * log2(2 * Math.PI * Math.E), cifar, 0.05);
        assertEquals(0.2, PaperTables.table1("CIFAR-10", Metric.K).plusMinus());
        assertTrue(Double.isNaN(PaperTables.table1("Bark", Metric.K).plusMinus()), "no +- printed for bark");
    }

    @Test
    @DisplayName("Table 1 holds K and K - L_null for its five data sets in the paper's order; Table 2 its 2 dead-leaves and 6 MNIST rows")
    void contents() {
        assertEquals(List.of("Swiss roll", "Binary heartbeat", "Bark", "Dead leaves", "CIFAR-10"), PaperTables.table1Datasets());
        assertEquals(10, PaperTables.table(1).size());
        List<PaperValue> t2 = PaperTables.table(2);
        assertEquals(8, t2.size());
        assertEquals(1.244, PaperTables.counterpart("Dead leaves", "MCGSM", Metric.LOG_LIKELIHOOD, "bits/pixel").orElseThrow().value());
        List<String> mnist = t2.stream().filter(v -> v.dataset().equals("MNIST")).map(PaperValue::model).toList();
        assertEquals(List.of("stacked CAE", "DBN", "deep GSN", "diffusion", "adversarial net", "perfect model"), mnist);
        PaperValue diffusion = PaperTables.counterpart("MNIST", "diffusion", Metric.PARZEN, "bits/image").orElseThrow();
        assertEquals(317, diffusion.value());
        assertEquals(2.7, diffusion.plusMinus());
        assertThrows(IllegalArgumentException.class, () -> PaperTables.table(3));
    }

    @Test
    @DisplayName("Table 2's MNIST values in bits are the earlier versions' nats times log2(e), to the printed rounding (121, 138, 214, 220, 225 nats)")
    void mnistBitsAreNats() {
        double[] nats = {121, 138, 214, 220, 225};
        List<PaperValue> bits = PaperTables.table(2).stream().filter(v -> v.dataset().equals("MNIST")).limit(5).toList();
        for (int i = 0; i < nats.length; i++) {
            assertEquals(nats[i] / Math.log(2), bits.get(i).value(), 1.0, bits.get(i).model());
        }
    }

    @Test
    @DisplayName("a value printed in both tables (dead leaves diffusion K) is the same in both, so counterpart() is unambiguous")
    void duplicatesAgree() {
        for (PaperValue a : PaperTables.all()) {
            for (PaperValue b : PaperTables.all()) {
                if (a.dataset().equals(b.dataset()) && a.model().equals(b.model()) && a.metric().equals(b.metric())
                        && a.unit().equals(b.unit())) {
                    assertEquals(a.value(), b.value(), a + " vs " + b);
                }
            }
        }
    }

    @Test
    @DisplayName("counterparts need the same data set, model, metric and unit; a baseline or an unknown metric has none; "
            + "table1() refuses a data set Table 1 does not have, naming it")
    void lookup() {
        assertEquals(-2.414, PaperTables.counterpart("Binary heartbeat", "diffusion", Metric.K, "bits/seq").orElseThrow().value());
        assertTrue(PaperTables.counterpart("Binary heartbeat", "diffusion", Metric.K, "bits/bin").isEmpty());
        assertTrue(PaperTables.counterpart("MNIST", "VAE", Metric.PARZEN, "bits/image").isEmpty());
        assertTrue(PaperTables.counterpart("Swiss roll", "diffusion", Metric.EQ9, "bits/point").isEmpty());
        var e = assertThrows(IllegalArgumentException.class, () -> PaperTables.table1("MNIST", Metric.K));
        assertTrue(e.getMessage().startsWith("dataset/metric = MNIST/K"), e.getMessage());
    }
}
