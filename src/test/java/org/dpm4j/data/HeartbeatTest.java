package org.dpm4j.data;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class HeartbeatTest {
    @Test
    @DisplayName("every sample is valid, and each of the 5 phases has frequency 1/5 (n = 10000, within 4 SE)")
    void phasesUniform() {
        INDArray x = Heartbeat.sample(10_000, new SplittableRandom(5));
        assertEquals(1.0, Heartbeat.fractionValid(x));
        int[] count = new int[Heartbeat.PERIOD];
        for (double[] row : x.toDoubleMatrix()) {
            int first = 0;
            while (row[first] == 0) first++;
            count[first]++;
        }
        double se = Math.sqrt(0.2 * 0.8 / 10_000);
        for (int c : count) assertEquals(0.2, c / 10_000.0, 4 * se);
    }

    @Test
    @DisplayName("L_null under Bernoulli(0.2) is -20 H2(0.2) = -14.439 bits/seq; the true log-likelihood is -log2 5")
    void closedForms() {
        double h2 = -(0.2 * Math.log(0.2) + 0.8 * Math.log(0.8)) / Math.log(2);
        assertEquals(-20 * h2, Heartbeat.nullLogLikelihoodBits(0.2), 1e-12);
        assertEquals(-14.439, Heartbeat.nullLogLikelihoodBits(0.2), 5e-4);
        assertEquals(-2.3219, Heartbeat.trueLogLikelihoodBits(), 1e-4);
        assertEquals(-20.0, Heartbeat.nullLogLikelihoodBits(0.5), 1e-12);
    }

    @Test
    @DisplayName("flipping any single bit of a valid sequence makes it invalid")
    void singleFlipsInvalid() {
        for (int phase = 0; phase < Heartbeat.PERIOD; phase++) {
            double[] x = Heartbeat.sequence(phase);
            assertTrue(Heartbeat.isValid(x));
            for (int j = 0; j < Heartbeat.LENGTH; j++) {
                double[] y = x.clone();
                y[j] = 1 - y[j];
                assertFalse(Heartbeat.isValid(y), "phase " + phase + ", bit " + j);
            }
        }
        INDArray mixed = Nd4j.createFromArray(new double[][] {Heartbeat.sequence(1), new double[Heartbeat.LENGTH]});
        assertEquals(0.5, Heartbeat.fractionValid(mixed));
    }

    @Test
    @DisplayName("bad phase and wrongly shaped samples are rejected with the parameter named")
    void badInput() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Heartbeat.sequence(5)).getMessage()
                .startsWith("phase = 5"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Heartbeat.fractionValid(Nd4j.zeros(3, 7)))
                .getMessage().startsWith("samples.shape"));
    }
}
