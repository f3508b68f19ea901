package org.dpm4j.experiments;

import static org.junit.jupiter.api.Assertions.*;

import org.dpm4j.nn.NetworkBinomialKernel;
import org.dpm4j.notebook.Profile;
import org.dpm4j.train.Estimator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class HeartbeatExperimentTest {
    /** T = 50 instead of 2000 so the test takes seconds; the paper's network. */
    static final HeartbeatExperiment.Config SMALL = new HeartbeatExperiment.Config(50, new int[] {50, 50, 50}, 1000, 300, 8,
            Estimator.ALL_T, 1e-2, 1e-3, 300, 20, 10, 100);

    @Test
    @DisplayName("the profiles use the paper's T = 2000 and its schedule beta_t = 1/(T - t + 1), beta_T = 1")
    void paperSettings() {
        var c = HeartbeatExperiment.Config.of(Profile.STANDARD);
        assertEquals(2000, c.T());
        assertArrayEquals(new int[] {50, 50, 50}, c.hidden());
        assertEquals(1.0 / 2000, HeartbeatExperiment.schedule(c).beta(1), 1e-15);
        assertEquals(1.0, HeartbeatExperiment.schedule(c).beta(2000));
    }

    @Test
    @DisplayName("the trainer's rate starts at learningRate and decays geometrically to finalLearningRate by the last step")
    void learningRateSchedule() {
        var c = HeartbeatExperiment.Config.of(Profile.STANDARD);
        var lr = HeartbeatExperiment.trainConfig(c, 1).learningRate();
        assertEquals(c.learningRate(), lr.at(0), 1e-15);
        assertEquals(Math.sqrt(c.learningRate() * c.finalLearningRate()), lr.at(c.steps() / 2), 1e-12);
        assertEquals(c.finalLearningRate(), lr.at(c.steps() - 1), 0.05 * c.finalLearningRate());
        assertTrue(lr.at(c.steps() - 1) >= c.finalLearningRate());
    }

    @Test
    @DisplayName("a final rate above the initial one is rejected, naming finalLearningRate")
    void badFinalRate() {
        var e = assertThrows(IllegalArgumentException.class, () -> new HeartbeatExperiment.Config(50, new int[] {50}, 10,
                10, 2, Estimator.ALL_T, 1e-3, 1e-2, 10, 10, 10, 10));
        assertTrue(e.getMessage().contains("finalLearningRate"), e.getMessage());
    }

    @Test
    @DisplayName("an untrained kernel has held-out K = L_null = -14.439 bits/seq (within 0.15)")
    void untrainedAtNull() {
        NetworkBinomialKernel kernel = HeartbeatExperiment.kernel(SMALL, 2);
        var e = HeartbeatExperiment.evaluate(SMALL, kernel, HeartbeatExperiment.data(SMALL, 2), 2);
        assertEquals(-14.439, e.lNullBits(), 1e-3);
        assertEquals(0, e.kMinusLNullBits(), 0.15);
    }

    @Test
    @DisplayName("training raises K above L_null by > 1 bit and K stays below the -log2 5 ceiling (+ 3 s.e.); samples binary")
    void trainingImproves() {
        NetworkBinomialKernel kernel = HeartbeatExperiment.kernel(SMALL, 4);
        var data = HeartbeatExperiment.data(SMALL, 4);
        HeartbeatExperiment.train(SMALL, kernel, data, 4);
        var e = HeartbeatExperiment.evaluate(SMALL, kernel, data, 4);
        assertTrue(e.kMinusLNullBits() > 1, "K - L_null = " + e.kMinusLNullBits());
        double se = e.bound().kStandardErrorBits(HeartbeatExperiment.PER_SEQUENCE);
        assertTrue(e.kBits() < e.ceilingBits() + 3 * se, "K = " + e.kBits());
        INDArray x = HeartbeatExperiment.samples(SMALL, kernel, 4).x0();
        assertArrayEquals(new long[] {100, 20}, x.shape());
        for (double v : x.dup('c').data().asDouble()) assertTrue(v == 0 || v == 1, "sample entry " + v);
        double valid = Heartbeat.fractionValid(x);
        assertTrue(valid >= 0 && valid <= 1);
    }

    @Test
    @DisplayName("training set and held-out sets have the configured sizes and are all valid heartbeats")
    void dataSplit() {
        var data = HeartbeatExperiment.data(SMALL, 9);
        assertEquals(SMALL.trainExamples(), data.train().rows());
        assertEquals(SMALL.heldOut(), data.heldOut().rows());
        assertEquals(SMALL.eq9Examples(), data.eq9Sequences().rows());
        assertEquals(1.0, Heartbeat.fractionValid(data.heldOut()));
    }
}
