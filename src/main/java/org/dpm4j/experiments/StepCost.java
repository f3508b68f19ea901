package org.dpm4j.experiments;

import java.nio.file.Path;
import java.util.Locale;
import org.dpm4j.nn.conv.ImageNetwork;
import org.dpm4j.nn.conv.ImageNetworkObjective;
import org.dpm4j.results.RunClock;
import org.dpm4j.train.TrainConfig;
import org.dpm4j.util.Check;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The CPU cost of an image experiment's training step, measured on a throw-away network before a long run, and the
 * one line of estimated training time printed from it: one home for the image experiments (dead leaves, bark,
 * CIFAR-10), which each give their own network, images and training settings.
 */
final class StepCost {
    private StepCost() {}

    /**
     * CPU seconds per step: {@code warmUp} steps first (the JIT and the buffers' first growth make the first few steps
     * several times slower), then {@code steps} timed steps, to the nanosecond ({@link RunClock#cpuSecondsFine}).
     */
    static double secondsPerStep(ImageNetwork probe, INDArray trainImages, TrainConfig t, int warmUp, int steps) {
        Check.positive("steps", steps);
        Check.positive("warmUp", warmUp);
        ImageNetworkObjective.train(probe, trainImages, null, t.withSteps(warmUp));
        RunClock clock = RunClock.start();
        ImageNetworkObjective.train(probe, trainImages, null, t.withSteps(steps));
        return clock.cpuSecondsFine() / steps;
    }

    /**
     * "estimated training time: steps x CPU s per step = total", training alone (evaluation and sampling come on top);
     * with OMP_NUM_THREADS=1 on an idle machine CPU seconds are wall seconds. Names the checkpoint when there is one.
     */
    static String estimate(int steps, double secondsPerStep, int checkpointEvery, Path checkpoint) {
        double s = steps * secondsPerStep;
        return String.format(Locale.ROOT, "estimated training time: %d steps x %.4f CPU s = %.0f CPU s (%.1f hours)%s",
                steps, secondsPerStep, s, s / 3600, checkpointEvery > 0 ? ", checkpointed every " + checkpointEvery
                        + " steps to " + checkpoint + " (a rerun resumes there)" : "");
    }
}
