package org.dpm4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.dpm4j.kernel.GaussianParameterisation;
import org.dpm4j.nn.Activation;
import org.dpm4j.nn.Mlp;
import org.dpm4j.nn.NetworkGaussianKernel;
import org.dpm4j.schedule.Schedules;
import org.dpm4j.train.History;
import org.dpm4j.train.TrainConfig;
import org.dpm4j.train.Trainer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class TimeToTargetTest {
    private static NetworkGaussianKernel kernel() {
        return NetworkGaussianKernel.mlp(1, new int[] {16}, Activation.SOFTPLUS, Mlp.Readout.PER_STEP, Schedules.referenceGaussian(10, 0.01),
                GaussianParameterisation.PAPER, 5);
    }

    private static INDArray gaussian(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] x = new double[n][1];
        for (double[] row : x) row[0] = 0.5 * rng.nextGaussian();
        return Nd4j.createFromArray(x);
    }

    private static TimeToTarget.Result run(double target, List<TrainConfig> legs) {
        NetworkGaussianKernel k = kernel();
        INDArray train = gaussian(512, 12), heldOut = gaussian(300, 13);
        return TimeToTarget.run("test", 3, target, 10, 200, Double.POSITIVE_INFINITY, legs, cfg -> Trainer.train(k, train, heldOut, cfg));
    }

    private static TrainConfig config(int steps) {
        return TrainConfig.of(3, steps).withBatch(16).withLearningRate(3e-3).withProgress(false);
    }

    @Test
    @DisplayName("two legs joined by a checkpoint give one leg's K trace; the run stops at the first evaluation at or above the target")
    void stopsAtFirstCrossing() {
        TimeToTarget.Result whole = run(1e9, List.of(config(60)));
        TimeToTarget.Result legs = run(1e9, List.of(config(30), config(60)));
        assertNull(whole.reached());
        assertEquals(6, whole.points().size());
        assertEquals(whole.points().stream().map(History.Evaluation::kBits).toList(), legs.points().stream().map(History.Evaluation::kBits).toList());
        assertEquals(whole.points().stream().mapToDouble(History.Evaluation::kBits).max().orElseThrow(), whole.bestKBits());
        // a target between the trace's values: training is deterministic, so the run must stop where the trace first crosses it
        double target = whole.points().get(3).kBits() - 1e-9;
        int first = whole.points().stream().filter(p -> p.kBits() >= target).findFirst().orElseThrow().step();
        TimeToTarget.Result r = run(target, List.of(config(30), config(60)));
        assertNotNull(r.reached());
        assertEquals(first, r.reached().step());
        assertEquals(first, r.points().get(r.points().size() - 1).step(), "no training after the target");
        for (History.Evaluation p : r.points()) assertTrue(p.trainCpuSeconds() >= 0 && p.evalSeconds() > 0, p.toString());
        assertTrue(r.json().contains("\"steps_to_target\": " + first), r.json());
        assertFalse(r.json().contains("NaN"));
    }
}
