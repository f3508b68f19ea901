package org.dpm4j.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The baselines' experiments find their data where the diffusion experiments do, and their settings by name. */
class BaselineExperimentsTest {
    @Test
    @DisplayName("vae and dae are registered; --set dataset=heartbeat and dataset=swiss-roll parse")
    void registeredAndNamed() {
        assertEquals(VaeExperiment.Config.class, Experiments.get("vae").settingsType());
        assertEquals(DaeExperiment.Config.class, Experiments.get("dae").settingsType());
        assertEquals(VaeExperiment.Dataset.HEARTBEAT, VaeExperiment.EXPERIMENT.settings(Profile.QUICK, Map.of("dataset", "heartbeat")).dataset());
        assertEquals(VaeExperiment.Dataset.SWISS_ROLL, VaeExperiment.EXPERIMENT.settings(Profile.QUICK, Map.of("dataset", "swiss-roll")).dataset());
    }

    @Test
    @DisplayName("the VAE's held-out examples are the diffusion experiment's, row for row, for the same profile and seed")
    void sameHeldOutSplits() {
        var hb = VaeExperiment.data(VaeExperiment.Config.of(Profile.QUICK).withDataset(VaeExperiment.Dataset.HEARTBEAT), Profile.QUICK, 7);
        assertEquals(HeartbeatExperiment.data(HeartbeatExperiment.Config.of(Profile.QUICK), 7).heldOut(), hb.heldOut());
        assertEquals(HeartbeatExperiment.UNITS, hb.unit());
        var sr = VaeExperiment.data(VaeExperiment.Config.of(Profile.QUICK), Profile.QUICK, 7);
        assertEquals(SwissRollExperiment.data(SwissRollExperiment.Config.of(Profile.QUICK), 7).heldOut(), sr.heldOut());
        assertEquals(SwissRollExperiment.UNITS, sr.unit());
    }
}
