package org.dpm4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.dpm4j.bound.BoundK;
import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.kernel.CholeskyReadout;
import org.dpm4j.kernel.GaussianParameterisation;
import org.dpm4j.nn.Activation;
import org.dpm4j.nn.Mlp;
import org.dpm4j.nn.Network;
import org.dpm4j.nn.NetworkFullGaussianKernel;
import org.dpm4j.nn.NetworkGaussianKernel;
import org.dpm4j.nn.Params;
import org.dpm4j.schedule.Schedules;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The full-covariance objective is Eq. 14 with the full kernel, and reduces to the diagonal one at zero off-diagonals. */
class FullGaussianObjectiveTest {
    static final int T = ObjectiveTest.T, N = ObjectiveTest.N;

    /** A 2-D network with the diagonal network's outputs and a zero off-diagonal output appended. */
    record ZeroOffDiagonal(Network inner) implements Network {
        public int inputSize() { return inner.inputSize(); }

        public int outputSize() { return inner.outputSize() + 1; }

        public int T() { return inner.T(); }

        public Params params() { return inner.params(); }

        record Padded(Network.Pass inner, INDArray output) implements Network.Pass {}

        public Pass forward(INDArray x, int[] t) {
            Pass p = inner.forward(x, t);
            return new Padded(p, Nd4j.hstack(p.output(), Nd4j.zeros(DataType.FLOAT, p.output().rows(), 1)));
        }

        public void backward(Pass pass, INDArray dz) {
            inner.backward(((Padded) pass).inner(), dz.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 4)).dup('c'));
        }
    }

    static NetworkFullGaussianKernel fullKernel(GaussianParameterisation par) {
        Mlp net = new Mlp(2, new int[] {8, 8}, CholeskyReadout.outputs(2), Activation.SOFTPLUS, Mlp.Readout.PER_STEP, T, new SplittableRandom(1));
        ObjectiveTest.randomise(net, 7);
        return new NetworkFullGaussianKernel(net, Schedules.referenceGaussian(T), par);
    }

    @ParameterizedTest
    @EnumSource(GaussianParameterisation.class)
    @DisplayName("off-diagonal readout at 0: the full objective's value and parameter gradient equal GaussianObjective's on the same draws")
    void zeroOffDiagonalIsTheDiagonalObjective(GaussianParameterisation par) {
        NetworkGaussianKernel diagonal = ObjectiveTest.gaussianKernel(par);
        NetworkFullGaussianKernel full = new NetworkFullGaussianKernel(new ZeroOffDiagonal(diagonal.network()), diagonal.schedule(), par);
        double[] x0 = ObjectiveTest.gaussianData().data().asDouble();
        NetworkObjective d = new GaussianObjective(diagonal), f = new FullGaussianObjective(full);
        SplittableRandom rng = new SplittableRandom(3);
        Rows rows = Rows.of(Estimator.ALL_T, N, T, rng);
        float[] xt = d.drawXt(x0, rows, rng);
        Params p = diagonal.network().params();
        p.zeroGrad();
        double lossD = d.evaluate(x0, rows, xt, true).lossNats();
        float[] gradD = p.grads().clone();
        p.zeroGrad();
        double lossF = f.evaluate(x0, rows, xt, true).lossNats();
        assertEquals(lossD, lossF, 1e-9 * Math.abs(lossD));
        for (int i = 0; i < gradD.length; i++) assertEquals(gradD[i], p.grads()[i], 1e-5 * (1 + Math.abs(gradD[i])), "parameter " + i);
        assertEquals(d.ceilingNats(x0), f.ceilingNats(x0), 1e-12);
        SplittableRandom a = new SplittableRandom(4), b = new SplittableRandom(4);
        Rows ra = Rows.of(Estimator.ALL_T, N, T, a), rb = Rows.of(Estimator.ALL_T, N, T, b);
        assertEquals(java.util.Arrays.toString(d.drawXt(x0, ra, a)), java.util.Arrays.toString(f.drawXt(x0, rb, b)), "the same x_t draws");
    }

    @org.junit.jupiter.api.Test
    @DisplayName("Trainer refuses schedule learning for a full-covariance kernel, naming learnSchedule")
    void noScheduleLearning() {
        NetworkFullGaussianKernel kernel = fullKernel(GaussianParameterisation.POSTERIOR_V);
        TrainConfig cfg = TrainConfig.of(1, 2).withLearnedSchedule(new ScheduleLearning(1e-2, 1));
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Trainer.train(kernel, ObjectiveTest.gaussianData(), cfg));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("learnSchedule"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(GaussianParameterisation.class)
    @DisplayName("non-zero off-diagonals: the objective with the core's x_t draws equals BoundK.gaussianFull (Eq. 14)")
    void matchesCore(GaussianParameterisation par) {
        NetworkFullGaussianKernel kernel = fullKernel(par);
        GaussianDiffusion diffusion = new GaussianDiffusion(kernel.schedule());
        INDArray x0 = ObjectiveTest.gaussianData();
        double core = BoundK.gaussianFull(diffusion, kernel, x0, 42).kNats();
        float[] xt = ObjectiveTest.coreDraws(x0, 42, (t, rng) -> diffusion.sampleQ(x0, t, rng));
        Objective.Value v = new FullGaussianObjective(kernel).evaluate(x0.data().asDouble(), Rows.allT(N, T), xt, false);
        assertEquals(core, v.kNats(), 1e-5 * Math.abs(core) + 1e-6);
    }

    @ParameterizedTest
    @EnumSource(GaussianParameterisation.class)
    @DisplayName("gradient of the loss -K in the network parameters equals central finite differences (off-diagonals non-zero)")
    void gradient(GaussianParameterisation par) {
        ObjectiveTest.checkGradient(new FullGaussianObjective(fullKernel(par)), ObjectiveTest.gaussianData().data().asDouble(), 5);
    }

    @ParameterizedTest
    @EnumSource(GaussianParameterisation.class)
    @DisplayName("gradient of the loss in every network output (mean, variance, off-diagonal) equals central differences")
    void outputGradient(GaussianParameterisation par) {
        FullGaussianObjective f = new FullGaussianObjective(fullKernel(par));
        double[] x0 = ObjectiveTest.gaussianData().data().asDouble();
        SplittableRandom rng = new SplittableRandom(8);
        Rows rows = Rows.of(Estimator.ALL_T, N, T, rng);
        float[] xt = f.drawXt(x0, rows, rng), z = new float[rows.size() * 5], dz = new float[z.length];
        for (int i = 0; i < z.length; i++) z[i] = (float) (0.5 * rng.nextGaussian());
        f.lossAndGradient(x0, rows, xt, z, dz);
        double h = 1e-2;
        for (int k = 0; k < 60; k++) {
            int i = rng.nextInt(z.length);
            float old = z[i];
            z[i] = (float) (old + h);
            double up = f.lossAndGradient(x0, rows, xt, z, null);
            z[i] = (float) (old - h);
            double down = f.lossAndGradient(x0, rows, xt, z, null);
            z[i] = old;
            double fd = (up - down) / (2 * h);
            assertEquals(fd, dz[i], 1e-4 + 1e-3 * Math.abs(fd), "output " + i + " (column " + i % 5 + ")");
        }
    }
}
