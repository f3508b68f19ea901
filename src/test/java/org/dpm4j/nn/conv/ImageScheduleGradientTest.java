package org.dpm4j.nn.conv;

import static org.dpm4j.nn.conv.ImageNetworkTest.images;
import static org.dpm4j.nn.conv.ImageNetworkTest.randomiseOutput;
import static org.dpm4j.nn.conv.ImageNetworkTest.tiny;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.dpm4j.kernel.GaussianParameterisation;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.schedule.LearnableSchedule;
import org.dpm4j.schedule.Schedules;
import org.dpm4j.testing.BadInput;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** dK/dbeta of the image objective under frozen noise (Sec. 2.4.1), against its oracles. */
class ImageScheduleGradientTest {
    static final BetaSchedule S8 = Schedules.referenceGaussian(8);
    /** Rows at every t = 2..8 and a few repeats, one image each. */
    static final int[] T = {2, 3, 4, 5, 6, 7, 8, 3, 8};
    static final double WEIGHT = 7.0 / T.length;   // the trainer's sampled-t weight (T - 1) / batch

    /** A FLOAT network with a non-zero readout (so x_t acts through the network) and its DOUBLE twin. */
    static ImageNetwork[] twins(GaussianParameterisation p, long seed) {
        ImageNetwork f = ImageNetwork.create(tiny(), S8, p, seed);
        randomiseOutput(f, 0.3, seed + 1);
        ImageNetwork dbl = ImageNetwork.create(tiny(), S8, p, seed, DataType.DOUBLE);
        dbl.setParameterValues(f.parameterValues());
        return new ImageNetwork[] {f, dbl};
    }

    static INDArray floatValued(INDArray x) { return x.castTo(DataType.FLOAT).castTo(DataType.DOUBLE); }

    /** K = ceiling - loss in nats under schedule s with x_t from the frozen eps: the function whose gradient is checked. */
    static ToDoubleFunction<BetaSchedule> frozenK(ImageNetwork net, INDArray x0, INDArray eps) {
        ImageObjective objective = new ImageObjective(net);
        return s -> {
            BetaSchedule old = net.schedule();
            net.setSchedule(s);
            try {
                return objective.ceilingNats() - objective.evaluate(x0, T, objective.xt(x0, T, eps), WEIGHT, false).lossNats();
            } finally {
                net.setSchedule(old);
            }
        };
    }

    @ParameterizedTest
    @EnumSource(GaussianParameterisation.class)
    @DisplayName("FLOAT analytic dK/dbeta_t (frozen noise, T = 8, 2x8x8 images) equals central differences of the DOUBLE graph's frozen-noise K at every t = 1..8 (tolerance 1e-3 relative + 1e-3 nats)")
    void analyticMatchesCentralDifferences(GaussianParameterisation p) {
        ImageNetwork[] nets = twins(p, 31);
        INDArray x0 = floatValued(images(T.length, 32)), eps = new ImageObjective(nets[0]).noise(T.length, new SplittableRandom(33));
        double[] g = new double[8];
        ImageObjective.Value v = new ImageObjective(nets[0]).evaluateWithScheduleGradient(x0, T, eps, WEIGHT, g);
        var k = frozenK(nets[1], x0, eps);
        assertEquals(k.applyAsDouble(S8), v.kNats(), 1e-4 * Math.abs(v.kNats()), "the same K as the DOUBLE graph");
        double[] fd = LearnableSchedule.numericalBetaGradient(S8, k, 1e-6);
        double[] up = S8.betas(), down = S8.betas();
        double h = 1e-3 * S8.beta(1);
        up[0] += h;
        down[0] -= h;
        fd[0] = (k.applyAsDouble(Schedules.explicit(up)) - k.applyAsDouble(Schedules.explicit(down))) / (2 * h);
        int large = 0;
        for (int t = 1; t <= 8; t++) {
            assertEquals(fd[t - 1], g[t - 1], 1e-3 * Math.abs(fd[t - 1]) + 1e-3, p + " dK/dbeta_" + t);
            if (Math.abs(fd[t - 1]) > 1) large++;
        }
        assertTrue(large >= 4, "the gradient is far from 0 at several t (" + large + ")");
    }

    @ParameterizedTest
    @EnumSource(GaussianParameterisation.class)
    @DisplayName("the schedule-gradient evaluation gives the same loss and parameter gradients as evaluate at x_t = xt(x0, t, eps)")
    void sameValueAsEvaluate(GaussianParameterisation p) {
        ImageNetwork net = twins(p, 41)[0];
        ImageObjective objective = new ImageObjective(net);
        INDArray x0 = floatValued(images(T.length, 42)), eps = objective.noise(T.length, new SplittableRandom(43));
        ImageObjective.Value plain = objective.evaluate(x0, T, objective.xt(x0, T, eps), WEIGHT, true);
        var plainGrads = new java.util.HashMap<String, INDArray>();
        plain.gradients().forEach((name, a) -> plainGrads.put(name, a.dup()));
        ImageObjective.Value v = objective.evaluateWithScheduleGradient(x0, T, eps, WEIGHT, new double[8]);
        assertEquals(plain.lossNats(), v.lossNats(), 1e-9 * Math.abs(plain.lossNats()));
        for (String name : plainGrads.keySet()) assertEquals(plainGrads.get(name), v.gradients().get(name), name);
        // drawXt is xt with the noise drawn in the same order from the same generator
        assertEquals(objective.xt(x0, T, objective.noise(T.length, new SplittableRandom(5))), objective.drawXt(x0, T, new SplittableRandom(5)));
    }

    @ParameterizedTest
    @EnumSource(GaussianParameterisation.class)
    @DisplayName("one small ascent step of the learnable schedule alone raises the frozen-noise K, by its first-order prediction lr |dK/dtheta|^2 within 30%")
    void ascentStepRaisesFrozenK(GaussianParameterisation p) {
        ImageNetwork[] nets = twins(p, 51);
        INDArray x0 = floatValued(images(T.length, 52)), eps = new ImageObjective(nets[0]).noise(T.length, new SplittableRandom(53));
        LearnableSchedule start = LearnableSchedule.startingFrom(S8);
        nets[0].setSchedule(start.schedule());
        double[] g = new double[8];
        new ImageObjective(nets[0]).evaluateWithScheduleGradient(x0, T, eps, WEIGHT, g);
        double[] gTheta = start.gradient(g);
        double norm2 = 0;
        for (double x : gTheta) norm2 += x * x;
        double lr = 0.05 / Math.sqrt(norm2);   // a step of 0.05 in theta (logit units)
        var k = frozenK(nets[1], x0, eps);
        double before = k.applyAsDouble(start.schedule()), after = k.applyAsDouble(start.ascend(g, lr).schedule());
        double predicted = lr * norm2;
        assertTrue(after > before, p + ": K " + before + " -> " + after + " nats");
        assertEquals(predicted, after - before, 0.3 * predicted, p + ": gain of K in nats (before " + before + ")");
    }

    @org.junit.jupiter.api.Test
    @DisplayName("setSchedule swaps the network's schedule and kernel (same T only), the objective follows; bad input names the parameter")
    void scheduleSwap() {
        ImageNetwork net = ImageNetwork.create(tiny(), S8, GaussianParameterisation.PAPER, 61);   // readout 0: the forward-form kernel
        ImageObjective objective = new ImageObjective(net);
        BetaSchedule other = Schedules.constant(8, 0.2);
        net.setSchedule(other);
        assertSame(other, net.schedule());
        assertEquals(128 * (0.5 * Math.log(1 - Math.pow(0.8, 8)) - 0.5 * Math.log(0.2) - 0.5 - 0.5 * Math.log(2 * Math.PI)),
                objective.ceilingNats(), 1e-9, "ceiling of the new schedule: d [(1/2) log((1 - alphabar_T) / beta_1) - (1 + log 2 pi) / 2]");
        INDArray x1 = images(1, 62);
        assertEquals(0.2, net.kernel().step(x1, 5).variance().getDouble(0, 0), 1e-6, "an untrained PAPER kernel has variance beta_t");
        BadInput.assertRejected(() -> net.setSchedule(Schedules.constant(9, 0.2)), "schedule.T", "9");
        BadInput.assertRejected(() -> objective.evaluateWithScheduleGradient(x0(), T, x0(), WEIGHT, new double[7]), "dKdBeta.length", "7");
    }

    private static INDArray x0() { return images(T.length, 1); }
}
