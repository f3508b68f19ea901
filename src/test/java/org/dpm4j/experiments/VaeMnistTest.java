package org.dpm4j.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.dpm4j.results.Metric;
import org.dpm4j.results.Run;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The VAE on MNIST: MnistExperiment's splits and units, its Parzen protocol, and a whole small run on synthetic IDX digits. */
class VaeMnistTest {
    @TempDir Path dir;

    @Test
    @DisplayName("--set dataset=mnist takes MNIST's settings (floor = the MNIST diffusion's beta_1, its sample count), then the other changes")
    void mnistSettings() {
        for (Profile p : Profile.values()) {
            VaeExperiment.Config c = VaeExperiment.EXPERIMENT.settings(p, Map.of("dataset", "mnist"));
            MnistExperiment.Config m = MnistExperiment.Config.of(p);
            assertEquals(VaeExperiment.Dataset.MNIST, c.dataset());
            assertEquals(MnistExperiment.schedule(m).beta(1), c.minVariance(), 0);
            assertEquals(m.samples(), c.samples());
            assertEquals(m.heldOut(), c.iwExamples());
        }
        VaeExperiment.Config changed = VaeExperiment.EXPERIMENT.settings(Profile.QUICK, Map.of("dataset", "mnist", "steps", "7", "binarise", "true"));
        assertEquals(7, changed.steps());
        assertTrue(changed.binarise() && VaeExperiment.binary(changed));
        // without a dataset change the Swiss-roll settings are as before
        assertEquals(Settings.describe(VaeExperiment.Config.of(Profile.QUICK)), Settings.describe(VaeExperiment.EXPERIMENT.settings(Profile.QUICK, Map.of())));
    }

    @Test
    @DisplayName("the VAE's MNIST data are MnistExperiment's held-out digits row for row; binarised ones are the exact levels thresholded at 1/2")
    void sameSplitsAndBinarisation() throws Exception {
        MnistExperiment.Config mc = SyntheticDigits.setUp(dir, 100, 40);
        VaeExperiment.Config c = VaeExperiment.Config.of(Profile.QUICK, VaeExperiment.Dataset.MNIST);
        VaeExperiment.Data d = VaeExperiment.mnistData(c, mc, 3);
        MnistExperiment.Data m = MnistExperiment.data(mc, 3);
        assertEquals(m.heldOut(), d.heldOut());
        assertEquals(m.train(), d.train());
        assertEquals(784, d.perUnit());
        assertEquals(MnistExperiment.UNIT, d.unit());
        VaeExperiment.Data b = VaeExperiment.mnistData(Settings.change(c, "binarise", true), mc, 3);
        INDArray exact = m.testPixels((int) m.heldOut().rows());
        for (int i = 0; i < exact.rows(); i++) {
            for (int j = 0; j < 784; j++) assertEquals(exact.getDouble(i, j) >= 0.5 ? 1.0 : 0.0, b.heldOut().getDouble(i, j), 0);
        }
        assertTrue(b.label().contains("binarised"), b.label());
    }

    @Test
    @DisplayName("a small MNIST run: ELBO and IW in bits/pixel rise with training, IW >= ELBO per example in the mean, Parzen in bits/image")
    void wholeRun() throws Exception {
        MnistExperiment.Config mc = SyntheticDigits.setUp(dir, 300, 40);
        for (boolean binarise : new boolean[] {false, true}) {
            VaeExperiment.Config c = Settings.change(VaeExperiment.Config.of(Profile.QUICK, VaeExperiment.Dataset.MNIST),
                    "steps", 200, "batch", 32, "hidden", new int[] {32}, "binarise", binarise, "minVariance", MnistExperiment.schedule(mc).beta(1));
            VaeExperiment.Data d = VaeExperiment.mnistData(c, mc, 1);
            var vae = VaeExperiment.model(c, d, 1);
            VaeExperiment.Evaluation before = VaeExperiment.evaluate(c, vae, d, 1);
            VaeExperiment.train(c, vae, d, 1);
            VaeExperiment.Evaluation after = VaeExperiment.evaluate(c, vae, d, 1);
            assertTrue(after.elboBits() > before.elboBits() + 0.05, binarise + ": ELBO " + before.elboBits() + " -> " + after.elboBits());
            // IW(k) - ELBO per example: >= 0 in expectation (Burda et al.); paired over the same examples
            double[] iw = after.iw().perExampleNats(), elbo = after.elbo().perExampleNats();
            double mean = 0, ss = 0;
            for (int i = 0; i < iw.length; i++) mean += (iw[i] - elbo[i]) / iw.length;
            for (int i = 0; i < iw.length; i++) ss += Math.pow(iw[i] - elbo[i] - mean, 2);
            assertTrue(mean > -3 * Math.sqrt(ss / (iw.length - 1) / iw.length), "IW - ELBO = " + mean + " nats");
            Run run = VaeExperiment.run(c, d, Profile.QUICK, 1);
            for (var r : run.rows()) assertTrue(Double.isFinite(r.value()), r.metric() + " = " + r.value());
            assertEquals(MnistExperiment.UNIT, run.row(Metric.ELBO).orElseThrow().unit());
            assertEquals(MnistExperiment.PARZEN_UNIT, run.row(Metric.PARZEN).orElseThrow().unit());
            assertEquals(MnistExperiment.PARZEN_UNIT, run.row(VaeExperiment.PARZEN_MEANS).orElseThrow().unit());
            assertEquals(after.elboBits(), after.elbo().meanNats() / Math.log(2) / 784, 1e-12);
        }
    }

    @Test
    @DisplayName("the VAE's Parzen path is MnistExperiment's protocol: training images as 'draws' give its perfect-model value")
    void parzenIsMnistExperimentsProtocol() throws Exception {
        MnistExperiment.Config mc = Settings.change(SyntheticDigits.setUp(dir, 100, 40), "samples", 30);
        VaeExperiment.Config c = Settings.change(VaeExperiment.Config.of(Profile.QUICK, VaeExperiment.Dataset.MNIST), "samples", 30, "binarise", true);
        VaeExperiment.Data d = VaeExperiment.mnistData(c, mc, 1);
        // binarised: pixels pass through unchanged, so the exact training pixels go in as they are
        INDArray train = d.mnist().trainPixels().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 30), org.nd4j.linalg.indexing.NDArrayIndex.all());
        var p = VaeExperiment.parzen(c, d, train, train);
        assertEquals(MnistExperiment.parzenPerfect(mc, d.mnist()).meanBits(), p.draws().meanBits(), 1e-9);
    }
}
