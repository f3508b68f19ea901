package org.dpm4j.nn.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.dpm4j.kernel.GaussianParameterisation;
import org.dpm4j.train.LearningRate;
import org.dpm4j.train.OptimizerKind;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ImageOptimizerTest {
    @ParameterizedTest
    @EnumSource(OptimizerKind.class)
    @DisplayName("the Java-loop optimiser of FLOAT networks equals ND4J's fused updaters: parameters (to 1e-5 of the largest) and state in ND4J's layout (1e-5 relative) after 6 steps")
    void javaLoopEqualsNd4j(OptimizerKind kind) {
        ImageNetwork a = ImageNetwork.create(ImageNetworkTest.tiny(), ImageNetworkTest.SCHEDULE, GaussianParameterisation.PAPER, 3);
        ImageNetwork b = ImageNetwork.create(ImageNetworkTest.tiny(), ImageNetworkTest.SCHEDULE, GaussianParameterisation.PAPER, 3);
        LearningRate lr = LearningRate.geometric(1e-2, 1e-3, 6, 3);
        ImageOptimizer java = new ImageOptimizer(a, kind, lr, true), nd4j = new ImageOptimizer(b, kind, lr, false);
        SplittableRandom rng = new SplittableRandom(4);
        for (int step = 0; step < 6; step++) {
            Map<String, INDArray> ga = new LinkedHashMap<>(), gb = new LinkedHashMap<>();
            for (var e : a.parameters().entrySet()) {
                double[] v = new double[(int) e.getValue().length()];
                // |g| >= 0.5: the two place Adam's epsilon differently (ND4J: sqrt(v) + eps before the bias correction,
                // the library's Optimizer: textbook Adam), which shows only for |g| near eps / sqrt(1 - beta2) ~ 3e-7
                for (int i = 0; i < v.length; i++) {
                    double z = rng.nextGaussian();
                    v[i] = Math.copySign(0.5 + Math.abs(z), z) * (1 + step);
                }
                INDArray g = Nd4j.createFromArray(v).reshape(e.getValue().shape()).castTo(e.getValue().dataType());
                ga.put(e.getKey(), g);
                gb.put(e.getKey(), g.dup());
            }
            java.step(ga, step);
            nd4j.step(gb, step);
        }
        // parameters to 1e-5 of the largest (the two fold Adam's bias corrections in different orders in float)
        float[] pb = b.parameterValues(), pa = a.parameterValues();
        double largest = 0;
        for (float v : pb) largest = Math.max(largest, Math.abs(v));
        for (int i = 0; i < pb.length; i++) assertTrue(Math.abs(pb[i] - pa[i]) <= 1e-5 * largest, "parameters[" + i + "]: ND4J " + pb[i] + ", Java loop " + pa[i]);
        float[] before = ImageNetwork.create(ImageNetworkTest.tiny(), ImageNetworkTest.SCHEDULE, GaussianParameterisation.PAPER, 3).parameterValues();
        double moved = 0;
        for (int i = 0; i < before.length; i++) moved = Math.max(moved, Math.abs(before[i] - a.parameterValues()[i]));
        assertTrue(moved > 1e-3, "the steps moved the parameters");
        close(nd4j.state(), java.state(), "state");
        // the state round-trips through restore in ND4J's layout
        ImageOptimizer again = new ImageOptimizer(a, kind, lr, true);
        again.restore(nd4j.state());
        assertArrayEquals(nd4j.state(), again.state());
    }

    static void close(float[] expected, float[] actual, String what) {
        double scale = 0;
        for (float v : expected) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < expected.length; i++) {
            double tol = 1e-5 * Math.max(Math.abs(expected[i]), 1e-3 * scale) + 1e-9;
            assertTrue(Math.abs(expected[i] - actual[i]) <= tol, what + "[" + i + "]: ND4J " + expected[i] + ", Java loop " + actual[i]);
        }
    }
}
