package org.dpm4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class WorkloadsTest {
    @Test
    @DisplayName("heartbeat data: five distinct phases, each a 1 in every 5th of 20 bins, equally often")
    void heartbeat() {
        INDArray x = Workloads.heartbeat(3);
        Set<String> distinct = new HashSet<>();
        for (int i = 0; i < x.rows(); i++) {
            assertEquals(4.0, x.getRow(i).sumNumber().doubleValue());
            assertEquals(1.0, x.getDouble(i, i % 5));
            distinct.add(x.getRow(i).toString());
        }
        assertEquals(5, distinct.size());
        assertEquals(15, x.rows());
    }

    @Test
    @DisplayName("Swiss roll: each coordinate has mean 0 and variance 1")
    void swissRollIsStandardised() {
        INDArray x = Workloads.swissRoll(1000);
        for (int c = 0; c < 2; c++) {
            assertEquals(0.0, x.getColumn(c).meanNumber().doubleValue(), 1e-12);
            assertEquals(1.0, x.getColumn(c).varNumber().doubleValue() * 999 / 1000, 1e-12);
        }
    }
}
