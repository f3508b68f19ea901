package org.dpm4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.dpm4j.bound.BoundK;
import org.dpm4j.diffusion.BinomialDiffusion;
import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.nn.Activation;
import org.dpm4j.kernel.BinomialParameterisation;
import org.dpm4j.kernel.GaussianParameterisation;
import org.dpm4j.nn.Mlp;
import org.dpm4j.nn.Network;
import org.dpm4j.nn.NetworkBinomialKernel;
import org.dpm4j.nn.NetworkGaussianKernel;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.schedule.Schedules;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The training objective is the core's K (Eq. 14) and its gradient is the derivative of that K. */
class ObjectiveTest {
    static final int T = 6, N = 5;

    static void randomise(Network net, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] p = net.params().values();
        for (int i = 0; i < net.params().size(); i++) p[i] = (float) (0.4 * rng.nextGaussian());
    }

    static NetworkGaussianKernel gaussianKernel(GaussianParameterisation par) {
        BetaSchedule s = Schedules.referenceGaussian(T);
        Mlp net = new Mlp(2, new int[] {8, 8}, 4, Activation.SOFTPLUS, Mlp.Readout.PER_STEP, T, new SplittableRandom(1));
        randomise(net, 7);
        return new NetworkGaussianKernel(net, s, par);
    }

    static NetworkBinomialKernel binomialKernel(BinomialParameterisation par) {
        BetaSchedule s = Schedules.binomialPaper(T);
        Mlp net = new Mlp(4, new int[] {6}, 4, Activation.SIGMOID, Mlp.Readout.PER_STEP, T, new SplittableRandom(2));
        randomise(net, 8);
        return new NetworkBinomialKernel(net, s, 0.2, par);
    }

    static INDArray gaussianData() {
        SplittableRandom rng = new SplittableRandom(3);
        double[][] x = new double[N][2];
        for (double[] row : x) for (int c = 0; c < 2; c++) row[c] = rng.nextGaussian();
        return Nd4j.createFromArray(x);
    }

    static INDArray binaryData() {
        return Nd4j.createFromArray(new double[][] {{1, 0, 0, 1}, {0, 1, 0, 0}, {0, 0, 1, 0}, {1, 1, 1, 1}, {0, 0, 0, 0}});
    }

    /** The x_t draws BoundK makes with this seed, in the all-T row layout. */
    static float[] coreDraws(INDArray x0, long seed, java.util.function.BiFunction<Integer, SplittableRandom, INDArray> sampleQ) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = (int) x0.rows(), d = (int) x0.columns();
        float[] xt = new float[n * (T - 1) * d];
        for (int t = 2; t <= T; t++) {
            float[] draw = sampleQ.apply(t, rng).castTo(DataType.FLOAT).dup('c').data().asFloat();
            System.arraycopy(draw, 0, xt, (t - 2) * n * d, n * d);
        }
        return xt;
    }

    @ParameterizedTest
    @EnumSource(GaussianParameterisation.class)
    @DisplayName("Gaussian: the training objective with the core's x_t draws equals BoundK.gaussian (Eq. 14)")
    void gaussianMatchesCore(GaussianParameterisation par) {
        NetworkGaussianKernel kernel = gaussianKernel(par);
        GaussianDiffusion diffusion = new GaussianDiffusion(kernel.schedule());
        INDArray x0 = gaussianData();
        double core = BoundK.gaussian(diffusion, kernel, x0, 42).kNats();
        float[] xt = coreDraws(x0, 42, (t, rng) -> diffusion.sampleQ(x0, t, rng));
        Objective.Value v = new GaussianObjective(kernel).evaluate(x0.data().asDouble(), Rows.allT(N, T), xt, false);
        assertEquals(core, v.kNats(), 1e-5 * Math.abs(core) + 1e-6);
    }

    @ParameterizedTest
    @EnumSource(BinomialParameterisation.class)
    @DisplayName("binomial: the training objective with the core's x_t draws equals BoundK.binomial (Eq. 14)")
    void binomialMatchesCore(BinomialParameterisation par) {
        NetworkBinomialKernel kernel = binomialKernel(par);
        BinomialDiffusion diffusion = new BinomialDiffusion(kernel.schedule(), 0.2);
        INDArray x0 = binaryData();
        double core = BoundK.binomial(diffusion, kernel, x0, 43).kNats();
        float[] xt = coreDraws(x0, 43, (t, rng) -> diffusion.sampleQ(x0, t, rng));
        Objective.Value v = new BinomialObjective(kernel).evaluate(x0.data().asDouble(), Rows.allT(N, T), xt, false);
        assertEquals(core, v.kNats(), 1e-5 * Math.abs(core) + 1e-6);
    }

    static void checkGradient(NetworkObjective objective, double[] x0, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Rows rows = Rows.of(Estimator.ALL_T, x0.length / objective.dimension(), T, rng);
        float[] xt = objective.drawXt(x0, rows, rng);
        Network net = objective.network();
        net.params().zeroGrad();
        objective.evaluate(x0, rows, xt, true);
        float[] p = net.params().values(), g = net.params().grads();
        double eps = 1e-2;
        for (int k = 0; k < 40; k++) {
            int i = rng.nextInt(net.params().size());
            float old = p[i];
            p[i] = (float) (old + eps);
            double up = objective.evaluate(x0, rows, xt, false).lossNats();
            p[i] = (float) (old - eps);
            double down = objective.evaluate(x0, rows, xt, false).lossNats();
            p[i] = old;
            double fd = (up - down) / (2 * eps);
            assertEquals(fd, g[i], 3e-3 + 2e-2 * Math.abs(fd), "parameter " + i);
        }
    }

    @ParameterizedTest
    @EnumSource(GaussianParameterisation.class)
    @DisplayName("Gaussian: gradient of the loss -K equals central finite differences")
    void gaussianGradient(GaussianParameterisation par) {
        checkGradient(new GaussianObjective(gaussianKernel(par)), gaussianData().data().asDouble(), 5);
    }

    @ParameterizedTest
    @EnumSource(BinomialParameterisation.class)
    @DisplayName("binomial: gradient of the loss -K equals central finite differences")
    void binomialGradient(BinomialParameterisation par) {
        checkGradient(new BinomialObjective(binomialKernel(par)), binaryData().data().asDouble(), 6);
    }

    @ParameterizedTest
    @EnumSource(value = Estimator.class, names = {"SAMPLED_T", "STRATIFIED_T"})
    @DisplayName("one-t-per-example estimators are unbiased: the mean over 4000 draws matches the all-T value within 4 standard errors")
    void oneTUnbiased(Estimator estimator) {
        NetworkObjective objective = new GaussianObjective(gaussianKernel(GaussianParameterisation.PAPER));
        double[] x0 = gaussianData().data().asDouble();
        SplittableRandom rng = new SplittableRandom(9);
        int draws = 4000;
        double sum = 0, sumSq = 0, all = 0;
        for (int k = 0; k < draws; k++) {
            double v = objective.evaluate(x0, estimator, rng, false).lossNats();
            sum += v;
            sumSq += v * v;
        }
        for (int k = 0; k < 400; k++) all += objective.evaluate(x0, Estimator.ALL_T, rng, false).lossNats() / 400;
        double mean = sum / draws, se = Math.sqrt((sumSq / draws - mean * mean) / draws);
        assertEquals(all, mean, 4 * se);
    }
}
