package org.dpm4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.Set;
import org.dpm4j.bound.BoundK;
import org.dpm4j.bound.Per;
import org.dpm4j.diffusion.BinomialDiffusion;
import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.experiments.HeartbeatExperiment;
import org.dpm4j.experiments.SwissRollExperiment;
import org.dpm4j.kernel.GaussianParameterisation;
import org.dpm4j.nn.FloatMatrices;
import org.dpm4j.nn.FourierFeatures;
import org.dpm4j.nn.NetworkBinomialKernel;
import org.dpm4j.nn.NetworkFullGaussianKernel;
import org.dpm4j.nn.Params;
import org.dpm4j.experiments.Profile;
import org.dpm4j.train.Estimator;
import org.dpm4j.train.OptimizerKind;
import org.dpm4j.train.TrainConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class WorkloadsTest {
    @Test
    @DisplayName("heartbeat data: five distinct phases, each a 1 in every 5th of 20 bins, equally often")
    void heartbeat() {
        INDArray x = Workloads.heartbeat(3);
        Set<String> distinct = new HashSet<>();
        for (int i = 0; i < x.rows(); i++) {
            assertEquals(4.0, x.getRow(i).sumNumber().doubleValue());
            assertEquals(1.0, x.getDouble(i, i % 5));
            distinct.add(x.getRow(i).toString());
        }
        assertEquals(5, distinct.size());
        assertEquals(15, x.rows());
    }

    @Test
    @DisplayName("Swiss roll: each coordinate has mean 0 and variance 1")
    void swissRollIsStandardised() {
        INDArray x = Workloads.swissRoll(1000);
        for (int c = 0; c < 2; c++) {
            assertEquals(0.0, x.getColumn(c).meanNumber().doubleValue(), 1e-12);
            assertEquals(1.0, x.getColumn(c).varNumber().doubleValue() * 999 / 1000, 1e-12);
        }
    }

    @Test
    @DisplayName("Swiss time-to-target workload is the experiment's standard setting: beta_1 = 1e-5, full covariance, Fourier tanh MLP, POSTERIOR_V, its batch and rates")
    void swissWorkloadIsTheExperiments() {
        SwissRollExperiment.Config c = Workloads.swissConfig();
        SwissRollExperiment.Config standard = SwissRollExperiment.Config.of(Profile.STANDARD);
        assertEquals(standard.withCovariance(SwissRollExperiment.Covariance.FULL), c);
        NetworkFullGaussianKernel kernel = SwissRollExperiment.fullKernel(c, 1);
        assertEquals(1e-5, kernel.schedule().beta(1), 0);
        assertEquals(2, kernel.dimension());
        assertEquals(5, kernel.network().outputSize());
        assertEquals(GaussianParameterisation.POSTERIOR_V, kernel.parameterisation());
        assertInstanceOf(FourierFeatures.class, kernel.network());
        TrainConfig t = Workloads.swissTrainConfig(1);
        assertEquals(c.batch(), t.batch());
        assertEquals(Estimator.ALL_T, t.estimator());
        assertEquals(OptimizerKind.ADAM, t.optimizer());
        assertEquals(c.learningRate(), t.learningRate().at(0), 0);
        assertEquals(c.learningRate() * Math.pow(0.1, 0.9), t.learningRate().at(c.steps() - 1), 1e-12);
        assertEquals(c.learningRate() / 10, t.learningRate().at(c.steps()), 1e-12);
        assertEquals(c.learningRate() * Math.pow(0.1, 0.1), t.learningRate().at(c.steps() / 10), 1e-12);
    }

    @Test
    @DisplayName("heartbeat time-to-target workload follows the experiment's standard phases: main-phase rate, then late-phase rate")
    void heartbeatWorkloadIsTheExperiments() {
        HeartbeatExperiment.Config c = Workloads.heartbeatConfig();
        int split = c.steps() - c.lateSteps();
        assertEquals(0, split % Workloads.HEARTBEAT_EVAL_EVERY);
        TrainConfig early = Workloads.heartbeatTrainConfig(1, split), late = Workloads.heartbeatTrainConfig(1, split + 1);
        assertEquals(HeartbeatExperiment.learningRate(c), early.learningRate());
        assertEquals(HeartbeatExperiment.learningRate(c), late.learningRate());
        assertEquals(4, early.batch());
        assertEquals(Estimator.ALL_T, early.estimator());
        assertEquals(2000, c.T());
        assertEquals(split, early.steps());
    }

    @Test
    @DisplayName("the exported Fourier frequencies reproduce the library's features to float rounding")
    void fourierFrequenciesReproduceFeatures() {
        FourierFeatures f = (FourierFeatures) SwissRollExperiment.fullKernel(Workloads.swissConfig(), 3).network();
        float[] b = f.frequencyMatrix();
        int m = f.frequencies(), w = 2 * m + 2;
        double[][] x = {{0.3, -1.2}, {-2.0, 0.7}, {1.5, 1.5}};
        float[] lib = FloatMatrices.floats(f.features(Nd4j.createFromArray(x).castTo(DataType.FLOAT)));
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < m; j++) {
                double a = 2 * Math.PI * ((double) (float) x[i][0] * b[j] + (double) (float) x[i][1] * b[m + j]);
                assertEquals(Math.sin(a), lib[i * w + 2 + j], 1e-7);
                assertEquals(Math.cos(a), lib[i * w + 2 + m + j], 1e-7);
            }
        }
    }

    @Test
    @DisplayName("Swiss export: K of the initial and of a readout-perturbed model on the exported noise equals BoundK with its seed")
    void swissExportedNoiseIsBoundKs() {
        SwissRollExperiment.Config c = Workloads.swissConfig();
        NetworkFullGaussianKernel kernel = SwissRollExperiment.fullKernel(c, 1);
        GaussianDiffusion diffusion = new GaussianDiffusion(kernel.schedule());
        INDArray x0 = Workloads.head(SwissRollExperiment.data(c.withSteps(0), 1).heldOut(), 40);
        INDArray[] xt = Export.boundNoise(diffusion::sampleQ, x0, c.T(), 99);
        double initial = Export.gaussianKBits(diffusion, kernel, x0, xt);
        assertEquals(BoundK.gaussianFull(diffusion, kernel, x0, 99).kBits(Per.sequence(2)), initial, 1e-9);
        Params p = kernel.network().params();
        p.set(Export.perturbedReadouts(p, 5));
        double perturbed = Export.gaussianKBits(diffusion, kernel, x0, xt);
        assertNotEquals(initial, perturbed, 0.1);
        assertEquals(BoundK.gaussianFull(diffusion, kernel, x0, 99).kBits(Per.sequence(2)), perturbed, 1e-9);
    }

    @Test
    @DisplayName("heartbeat export: K of a readout-perturbed model on the exported noise equals BoundK with its seed")
    void heartbeatExportedNoiseIsBoundKs() {
        HeartbeatExperiment.Config c = Workloads.heartbeatConfig();
        NetworkBinomialKernel kernel = HeartbeatExperiment.kernel(c, 1);
        BinomialDiffusion diffusion = HeartbeatExperiment.diffusion(c);
        INDArray x0 = Workloads.head(HeartbeatExperiment.data(c, 1).heldOut(), 3);
        Params p = kernel.network().params();
        p.set(Export.perturbedReadouts(p, 5));
        INDArray[] xt = Export.boundNoise(diffusion::sampleQ, x0, c.T(), 99);
        assertEquals(BoundK.binomial(diffusion, kernel, x0, 99).kBits(HeartbeatExperiment.PER_SEQUENCE),
                Export.binomialKBits(diffusion, kernel, x0, xt), 1e-9);
    }
}
