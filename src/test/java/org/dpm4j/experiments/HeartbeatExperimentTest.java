package org.dpm4j.experiments;

import org.dpm4j.data.Heartbeat;
import static org.junit.jupiter.api.Assertions.*;

import org.dpm4j.nn.NetworkBinomialKernel;
import org.dpm4j.experiments.Profile;
import org.dpm4j.train.Estimator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.dpm4j.kernel.BinomialParameterisation;
import org.nd4j.linalg.api.ndarray.INDArray;

class HeartbeatExperimentTest {
    /** T = 50 instead of 2000 so the test takes seconds; the paper's network. */
    static final HeartbeatExperiment.Config SMALL = new HeartbeatExperiment.Config(50, org.dpm4j.schedule.ScheduleSpec.parse("binomial-paper"), new int[] {50, 50, 50}, 1000, 300, 8,
            Estimator.ALL_T, BinomialParameterisation.POSTERIOR_X0, 1e-2, 1e-3, 1e-3, 0, 300, 20, 10, 100);

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
    @DisplayName("standard's rate: learningRate at step 0, decayedLearningRate where the late phase starts, finalLearningRate at the end")
    void learningRateSchedule() {
        var c = HeartbeatExperiment.Config.of(Profile.STANDARD);
        int start = c.steps() - c.lateSteps();
        var main = HeartbeatExperiment.learningRate(c);
        var late = main;
        assertEquals(c.steps(), HeartbeatExperiment.trainConfig(c, 1).steps());
        assertTrue(main.at(start - 1) > c.decayedLearningRate(), "the main phase is still decaying just before the late phase starts");
        assertEquals(c.learningRate(), main.at(0), 1e-15);
        assertEquals(Math.sqrt(c.learningRate() * c.decayedLearningRate()), main.at(start / 2), 1e-12);
        assertEquals(c.decayedLearningRate(), late.at(start), 1e-12);
        assertEquals(c.finalLearningRate(), late.at(c.steps() - 1), 0.05 * c.finalLearningRate());
        for (int s = start + 1; s < c.steps(); s += 13) assertTrue(late.at(s) <= late.at(s - 1), "non-increasing at " + s);
    }

    @Test
    @DisplayName("a two-phase run keeps one history over all its steps, the rate falling to finalLearningRate at the end")
    void twoPhaseRun() {
        var c = new HeartbeatExperiment.Config(20, org.dpm4j.schedule.ScheduleSpec.parse("binomial-paper"), new int[] {8}, 50, 120, 2, Estimator.ALL_T, BinomialParameterisation.POSTERIOR_X0, 1e-2, 1e-3, 1e-4, 100,
                20, 5, 2, 10);
        var r = HeartbeatExperiment.train(c, HeartbeatExperiment.kernel(c, 3), HeartbeatExperiment.data(c, 3), 3);
        var t = r.table();
        assertEquals(120, r.steps());
        assertEquals(120, t.rowCount());
        assertEquals(120, t.intColumn("step").get(119));
        assertEquals(1e-4, t.doubleColumn("learning_rate").get(119), 1e-5);
        assertEquals(1e-3, t.doubleColumn("learning_rate").get(20), 1e-12);
    }

    @Test
    @DisplayName("final rates that rise, or differ from the decayed rate with no late phase, are rejected, naming the parameter")
    void badRates() {
        var e = assertThrows(IllegalArgumentException.class, () -> new HeartbeatExperiment.Config(50, org.dpm4j.schedule.ScheduleSpec.parse("binomial-paper"), new int[] {50}, 10,
                10, 2, Estimator.ALL_T, BinomialParameterisation.POSTERIOR_X0, 1e-3, 1e-2, 1e-2, 0, 10, 10, 10, 10));
        assertTrue(e.getMessage().contains("decayedLearningRate"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new HeartbeatExperiment.Config(50, org.dpm4j.schedule.ScheduleSpec.parse("binomial-paper"), new int[] {50}, 10,
                10, 2, Estimator.ALL_T, BinomialParameterisation.POSTERIOR_X0, 1e-2, 1e-3, 1e-4, 0, 10, 10, 10, 10));
        assertTrue(e.getMessage().contains("finalLearningRate"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new HeartbeatExperiment.Config(50, org.dpm4j.schedule.ScheduleSpec.parse("binomial-paper"), new int[] {50}, 10,
                10, 2, Estimator.ALL_T, BinomialParameterisation.POSTERIOR_X0, 1e-2, 1e-3, 1e-2, 5, 10, 10, 10, 10));
        assertTrue(e.getMessage().contains("finalLearningRate"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new HeartbeatExperiment.Config(50, org.dpm4j.schedule.ScheduleSpec.parse("binomial-paper"), new int[] {50}, 10,
                10, 2, Estimator.ALL_T, BinomialParameterisation.POSTERIOR_X0, 1e-2, 1e-3, 1e-4, 10, 10, 10, 10, 10));
        assertTrue(e.getMessage().contains("lateSteps"), e.getMessage());
    }

    @Test
    @DisplayName("an untrained FORWARD_LOGIT kernel has held-out K = L_null = -14.439 bits/seq (within 0.15)")
    void untrainedAtNull() {
        var c = new HeartbeatExperiment.Config(50, org.dpm4j.schedule.ScheduleSpec.parse("binomial-paper"), new int[] {50, 50, 50}, 1000, 300, 8, Estimator.ALL_T,
                BinomialParameterisation.FORWARD_LOGIT, 1e-2, 1e-3, 1e-3, 0, 300, 20, 10, 100);
        NetworkBinomialKernel kernel = HeartbeatExperiment.kernel(c, 2);
        var e = HeartbeatExperiment.evaluate(c, kernel, HeartbeatExperiment.data(c, 2), 2);
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

        // the oracle is the best factorised kernel: on the same held-out sequences and the same x_t draws, the trained
        // kernel's K is not above it (the paired difference's mean within 3 of its standard errors)
        var oracle = HeartbeatExperiment.oracleBound(SMALL, data, SMALL.heldOut(), 4);
        Estimate gap = HeartbeatExperiment.gapToOracleBits(oracle, e.bound());
        assertTrue(gap.mean() > -3 * gap.standardError(), "oracle K - trained K = " + gap + " bits/seq");
        assertTrue(oracle.kNats() < Math.log(1.0 / Heartbeat.PERIOD) + 3 * oracle.kStandardErrorNats(), "oracle K " + oracle.kNats());
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
