package org.dpm4j.train;

import static org.dpm4j.testing.BadInput.assertRejected;

import java.nio.file.Files;
import java.nio.file.Path;
import org.dpm4j.nn.Activation;
import org.dpm4j.nn.FourierFeatures;
import org.dpm4j.nn.Mlp;
import org.dpm4j.nn.RbfNetwork;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training side's bad inputs (issue 21): each refused naming the parameter, the value and what was expected. */
class TrainInputTest {
    @Test
    @DisplayName("a negative or NaN learning rate is refused naming the learning rate, not an internal field")
    void learningRate() {
        assertRejected(() -> TrainConfig.of(1, 10).withLearningRate(-1e-3), "learning rate", "-0.001");
        assertRejected(() -> TrainConfig.of(1, 10).withLearningRate(Double.NaN), "learning rate", "NaN");
        assertRejected(() -> new LearningRate(-1, 0.5, 10, 0), "learning rate (initial)", "-1");
        assertRejected(() -> TrainConfig.of(1, 10).withBatch(0), "batch", "0");
        assertRejected(() -> TrainConfig.of(1, 10).withEstimator(null), "estimator", "null");
        assertRejected(() -> TrainConfig.of(1, 10).withPauseAt(0), "pauseAt", "0");
    }

    @Test
    @DisplayName("a null generator is refused naming rng, not a bare NullPointerException")
    void nullGenerator() {
        assertRejected(() -> new Mlp(2, new int[] {4}, 4, Activation.TANH, Mlp.Readout.PER_STEP, 5, null), "rng", "null");
        assertRejected(() -> new RbfNetwork(2, 4, 4, 5, null), "rng", "null");
        assertRejected(() -> new FourierFeatures(2, 4, 1.0, null, null), "rng", "null");
    }

    @Test
    @DisplayName("a checkpoint path that is a directory is called a directory, not a corrupt file")
    void checkpointDirectory(@TempDir Path dir) throws Exception {
        Path folder = Files.createDirectory(dir.resolve("run.ckpt"));
        assertRejected(() -> Checkpoint.read(folder), "checkpoint", "not a directory");
    }
}
