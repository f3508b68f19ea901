package org.dpm4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dpm4j.data.ImageShape;
import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.experiments.MnistExperiment;
import org.dpm4j.kernel.GaussianParameterisation;
import org.dpm4j.nn.conv.ImageNetwork;
import org.dpm4j.nn.conv.ImageNetworkConfig;
import org.dpm4j.nn.conv.ImageObjective;
import org.dpm4j.schedule.Schedules;
import org.dpm4j.train.Estimator;
import org.dpm4j.train.TrainConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ImageTargetTest {
    /** A small dense-pathway network (4 x 4 grey, T = 12), its last layer random so that K depends on all of it. */
    private static ImageNetwork network(long seed) {
        ImageNetworkConfig c = new ImageNetworkConfig(ImageShape.grey(4, 4), 0, 0, 1, 2, 8, 2, 2, 4, 3);
        ImageNetwork net = ImageNetwork.create(c, Schedules.referenceGaussian(12), GaussianParameterisation.REFERENCE, seed);
        ImageBench.perturbLastLayer(net);
        return net;
    }

    private static INDArray images(int n) { return ImageWorkloads.images(n, ImageShape.grey(4, 4)).castTo(DataType.DOUBLE); }

    @Test
    @DisplayName("K on supplied noise equals the library's estimator (ImageObjective.kNats) when supplied the draws it makes")
    void kOnSuppliedNoiseIsTheLibrarysEstimator() {
        ImageNetwork net = network(3);
        INDArray x0 = images(5);
        double library = new ImageObjective(net).kNats(x0, 77);
        double supplied = ImageTarget.kNats(net, x0, ImageTarget.draws(new GaussianDiffusion(net.schedule()), x0, 77));
        assertEquals(library, supplied, 1e-9 * Math.abs(library));
        // and other noise gives another value, so the agreement is not vacuous
        double other = ImageTarget.kNats(net, x0, ImageTarget.draws(new GaussianDiffusion(net.schedule()), x0, 78));
        assertNotEquals(library, other, 1e-6 * Math.abs(library));
        assertThrows(IllegalArgumentException.class, () -> ImageTarget.kNats(net, x0, new INDArray[3]));
    }

    @Test
    @DisplayName("parameters written as little-endian float32 files load into another network and give it the same K")
    void loadRoundTrip(@TempDir Path dir) throws IOException {
        ImageNetwork a = network(1), b = network(2);
        for (var e : a.parameters().entrySet()) {
            float[] v = e.getValue().castTo(DataType.FLOAT).dup('c').data().asFloat();
            ByteBuffer buf = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            buf.asFloatBuffer().put(v);
            Files.write(dir.resolve(e.getKey() + ".f32"), buf.array());
        }
        INDArray x0 = images(4);
        assertNotEquals(new ImageObjective(a).kNats(x0, 5), new ImageObjective(b).kNats(x0, 5), 1e-6);
        ImageTarget.load(b, dir);
        for (var e : a.parameters().entrySet()) assertEquals(e.getValue(), b.parameters().get(e.getKey()), e.getKey());
        assertEquals(new ImageObjective(a).kNats(x0, 5), new ImageObjective(b).kNats(x0, 5), 1e-9);
        // a file of the wrong length is refused, naming it
        String name = a.parameters().keySet().iterator().next();
        Files.write(dir.resolve(name + ".f32"), new byte[8]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageTarget.load(b, dir));
        assertEquals(true, e.getMessage().contains(name), e.getMessage());
    }

    @Test
    @DisplayName("the replay's draws are the trainer's: Adam's first step from them is the step the library's trainer takes")
    void replayDrawsAreTheTrainers() {
        ImageNetwork net = network(6);
        INDArray train = ImageWorkloads.images(40, ImageShape.grey(4, 4)).castTo(DataType.DOUBLE);
        double lr = 1e-3;
        TrainConfig tc = TrainConfig.of(11, 1).withBatch(6).withEstimator(Estimator.ONE_T_PER_BATCH).withLearningRate(lr).withProgress(false);
        ImageObjective objective = new ImageObjective(net);
        ImageTarget.Draws draws = ImageTarget.trainerDraws(tc, train, objective, 1);
        int B = tc.batch(), d = 16;
        int[] rows = new int[B], t = new int[B];
        for (int b = 0; b < B; b++) {
            rows[b] = (int) draws.index()[b];
            t[b] = (int) draws.t()[0];
        }
        INDArray x0 = train.getRows(rows).castTo(DataType.FLOAT);
        INDArray xt = Nd4j.createFromArray(draws.xt()).reshape(B, d);
        var g = objective.evaluate(x0, t, xt, (net.T() - 1) / (double) B, true).gradients();
        java.util.Map<String, INDArray> before = new java.util.HashMap<>();
        net.parameters().forEach((k, v) -> before.put(k, v.dup()));
        org.dpm4j.nn.conv.ImageNetworkObjective.train(net, train, null, tc);
        // Adam's first step: mhat = g, vhat = g^2, so p1 = p0 - lr g / (|g| + 1e-8)
        int moved = 0;
        for (var e : net.parameters().entrySet()) {
            double[] p0 = before.get(e.getKey()).castTo(DataType.DOUBLE).dup('c').data().asDouble();
            double[] p1 = e.getValue().castTo(DataType.DOUBLE).dup('c').data().asDouble();
            double[] gv = g.get(e.getKey()).castTo(DataType.DOUBLE).dup('c').data().asDouble();
            for (int i = 0; i < p0.length; i++) {
                double expected = p0[i] - lr * gv[i] / (Math.abs(gv[i]) + 1e-8);
                assertEquals(expected, p1[i], 1e-6, e.getKey() + "[" + i + "]");
                if (Math.abs(gv[i]) > 1e-6) moved++;
            }
        }
        assertEquals(true, moved > 100, moved + " parameters moved");
    }

    @Test
    @DisplayName("the run's settings are the MNIST experiment's standard ones: network, schedule, estimator, batch, optimiser and rate")
    void standardSettings() {
        MnistExperiment.Config c = ImageTarget.config();
        ImageWorkloads.Workload w = ImageTarget.workload(c);
        assertEquals(MnistExperiment.networkConfig(c), w.network());
        assertEquals(c.T(), w.T());
        assertEquals(c.estimator(), w.estimator());
        assertEquals(Estimator.ONE_T_PER_BATCH, w.estimator());
        TrainConfig t = ImageTarget.trainConfig(c, 4), experiment = MnistExperiment.trainConfig(c, 4);
        assertEquals(experiment.steps(), t.steps());
        assertEquals(experiment.batch(), t.batch());
        assertEquals(experiment.seed(), t.seed());
        assertEquals(experiment.estimator(), t.estimator());
        assertEquals(experiment.optimizer(), t.optimizer());
        assertEquals(0, t.evalEvery(), "the benchmark sets its own evaluation");
        for (int step : new int[] {0, 1000, 4500, c.steps() - 1}) assertEquals(experiment.learningRate().at(step), t.learningRate().at(step));
        assertEquals(c.learningRate(), t.learningRate().at(0), 1e-15);
        assertEquals(c.finalLearningRate(), t.learningRate().at(c.steps()), 1e-12);   // the decay ends at the last step
        // the exported rates are the trainer's, step by step
        double[] r = Export.rates(c.steps(), t.learningRate()::at);
        assertEquals(c.steps(), r.length);
        assertEquals(t.learningRate().at(c.steps() / 2), r[c.steps() / 2]);
    }
}
